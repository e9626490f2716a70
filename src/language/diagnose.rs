//! Turns a failed parse into PowerShell's parser messages, and tells the REPL
//! whether the input is merely incomplete (an open quote, brace or pipe).

use super::ast::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub error_id: &'static str,
    pub span: Span,
    /// True when more input could complete the text: the REPL then asks for
    /// another line instead of reporting an error.
    pub incomplete: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Brace(usize),
    Paren(usize),
    Bracket(usize),
}

/// True when the text's last line ends in a line-continuation backtick
/// outside a comment: the console then asks for another line (`>> `), as
/// PowerShell's does, instead of running the command cut short.
pub fn ends_in_continuation(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['\n', '\r']);
    if !trimmed.ends_with('`') {
        return false;
    }
    let last_line = trimmed.rsplit('\n').next().unwrap_or(trimmed);
    let mut quote: Option<char> = None;
    let mut chars = last_line.chars().peekable();
    let mut previous_blank = true;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == '`' => {
                chars.next();
            }
            Some(_) => {}
            None if c == '`' => {
                // It escapes the next character; with none, the line continues.
                let at_end = chars.next().is_none();
                if at_end {
                    return true;
                }
            }
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && previous_blank => return false,
            None => {}
        }
        previous_blank = c.is_whitespace() || c == ';' || c == '|' || c == '{';
    }
    // The backtick was inside a string that spans lines: more input is
    // needed anyway, and the parser says so itself.
    false
}

/// Scans `source` the way the tokenizer would, to name what is wrong at
/// `pos` (where pest gave up) or what is left open at the end.
pub fn diagnose(source: &str, pos: usize) -> ParseError {
    let mut stack: Vec<Open> = Vec::new();
    let bytes: Vec<(usize, char)> = source.char_indices().collect();
    let mut i = 0;
    let mut in_string: Option<(char, usize)> = None;
    let mut last_token_end_pipe = false;
    // `<` outside a string or comment is PowerShell's reserved input
    // redirection: the seeds' `<identity>` placeholder typed as is.
    let mut first_input_redirect: Option<usize> = None;
    while i < bytes.len() {
        let (at, c) = bytes[i];
        if let Some((quote, _)) = in_string {
            if c == '`' && quote == '"' {
                i += 2;
                continue;
            }
            if is_close(quote, c) {
                if bytes.get(i + 1).is_some_and(|&(_, n)| is_close(quote, n)) {
                    i += 2;
                    continue;
                }
                in_string = None;
            }
            i += 1;
            continue;
        }
        match c {
            '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' => in_string = Some(('"', at)),
            '\'' | '\u{2018}' | '\u{2019}' => in_string = Some(('\'', at)),
            '`' => {
                i += 2;
                continue;
            }
            '#' => {
                while i < bytes.len() && bytes[i].1 != '\n' {
                    i += 1;
                }
                continue;
            }
            '<' if bytes.get(i + 1).is_some_and(|&(_, n)| n == '#') => {
                let rest = &source[at..];
                match rest.find("#>") {
                    Some(end) => {
                        let stop = at + end + 2;
                        while i < bytes.len() && bytes[i].0 < stop {
                            i += 1;
                        }
                        continue;
                    }
                    None => {
                        return error(
                            "Missing closing '#>' in comment block.",
                            "MissingEndOfCommentBlock",
                            Span::new(at, at + 2),
                            true,
                        );
                    }
                }
            }
            '<' => {
                first_input_redirect.get_or_insert(at);
            }
            '{' => stack.push(Open::Brace(at)),
            '(' => stack.push(Open::Paren(at)),
            '[' => stack.push(Open::Bracket(at)),
            '}' | ')' | ']' => {
                let matches = matches!(
                    (stack.last(), c),
                    (Some(Open::Brace(_)), '}') | (Some(Open::Paren(_)), ')') | (Some(Open::Bracket(_)), ']')
                );
                if matches {
                    stack.pop();
                } else if c != ']' {
                    return error(
                        &format!("Unexpected token '{c}' in expression or statement."),
                        "UnexpectedToken",
                        Span::new(at, at + c.len_utf8()),
                        false,
                    );
                }
            }
            _ => {}
        }
        if !c.is_whitespace() {
            last_token_end_pipe = c == '|';
        }
        i += 1;
    }
    let end = source.len();
    if let Some((quote, start)) = in_string {
        let q = if quote == '"' { "\"" } else { "'" };
        return error(
            &format!("The string is missing the terminator: {q}."),
            "TerminatorExpectedAtEndOfString",
            Span::new(start, end),
            true,
        );
    }
    if let Some(open) = stack.last() {
        let (msg, id, at) = match *open {
            Open::Brace(at) => {
                ("Missing closing '}' in statement block or type definition.", "MissingEndCurlyBrace", at)
            }
            Open::Paren(at) => ("Missing closing ')' in expression.", "MissingEndParenthesisInExpression", at),
            Open::Bracket(at) => {
                ("Missing ']' at end of attribute or type literal.", "EndSquareBracketExpectedAtEndOfAttribute", at)
            }
        };
        return error(msg, id, Span::new(at, at + 1), true);
    }
    if let Some(at) = first_input_redirect.filter(|&at| at <= pos) {
        return error(
            "The '<' operator is reserved for future use.",
            "RedirectionNotSupported",
            Span::new(at, at + 1),
            false,
        );
    }
    if last_token_end_pipe && source[..end].trim_end().ends_with('|') {
        let at = source.trim_end().len().saturating_sub(1);
        return error("An empty pipe element is not allowed.", "EmptyPipeElement", Span::new(at, at + 1), true);
    }
    if source.trim_end().ends_with('`') {
        let at = source.trim_end().len().saturating_sub(1);
        return error("Missing expression after '`'.", "MissingExpression", Span::new(at, at + 1), true);
    }
    let pos = pos.min(end);
    let token: String = source[pos..].chars().take_while(|c| !c.is_whitespace()).collect();
    if token.is_empty() {
        let at = pos.saturating_sub(1);
        let prev = source[..pos].trim_end();
        // PowerShell marks where the missing operand should have been.
        if prev.ends_with(',') {
            return error("Missing expression after ','.", "MissingExpressionAfterToken", Span::new(pos, pos), true);
        }
        let last_word = prev.rsplit(char::is_whitespace).next().unwrap_or("");
        if matches!(last_word, "+" | "-" | "*" | "/" | "%" | "..") {
            return error(
                &format!("You must provide a value expression following the '{last_word}' operator."),
                "ExpectedValueExpression",
                Span::new(pos, pos),
                true,
            );
        }
        if let Some(op) = prev.rsplit(char::is_whitespace).next().filter(|w| w.starts_with('-') && w.len() > 1) {
            return error(
                &format!("You must provide a value expression following the '{op}' operator."),
                "ExpectedValueExpression",
                Span::new(pos, pos),
                true,
            );
        }
        return error("Unexpected end of input.", "UnexpectedEndOfInput", Span::new(at, pos), true);
    }
    let before_pipe = pos.checked_sub(1).and_then(|p| source.get(p..)).is_some_and(|t| t.starts_with("||"));
    if before_pipe {
        let at = pos - 1;
        return error(
            "The token '||' is not a valid statement separator in this version.",
            "InvalidEndOfLine",
            Span::new(at, at + 2),
            false,
        );
    }
    if token.starts_with("&&") || token.starts_with("||") {
        return error(
            &format!("The token '{}' is not a valid statement separator in this version.", &token[..2]),
            "InvalidEndOfLine",
            Span::new(pos, pos + 2),
            false,
        );
    }
    if token.starts_with('|') {
        return error("An empty pipe element is not allowed.", "EmptyPipeElement", Span::new(pos, pos + 1), false);
    }
    error(
        &format!("Unexpected token '{token}' in expression or statement."),
        "UnexpectedToken",
        Span::new(pos, pos + token.len()),
        false,
    )
}

fn is_close(quote: char, c: char) -> bool {
    match quote {
        '"' => matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}'),
        _ => matches!(c, '\'' | '\u{2018}' | '\u{2019}'),
    }
}

fn error(message: &str, error_id: &'static str, span: Span, incomplete: bool) -> ParseError {
    ParseError { message: message.to_string(), error_id, span, incomplete }
}

/// Refuses a script whose brackets nest deeper than `limit`, before the
/// recursive parser (and later the evaluator) would need that much stack.
pub fn nesting_error(source: &str, limit: usize) -> Option<ParseError> {
    let mut depth = 0usize;
    let mut chars = source.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((at, c)) = chars.next() {
        if let Some(q) = quote {
            if c == '`' && q == '"' {
                chars.next();
            } else if is_close(q, c) {
                quote = None;
            }
            continue;
        }
        match c {
            '`' => {
                chars.next();
            }
            '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' => quote = Some('"'),
            '\'' | '\u{2018}' | '\u{2019}' => quote = Some('\''),
            '#' => {
                while chars.peek().is_some_and(|(_, n)| *n != '\n') {
                    chars.next();
                }
            }
            '(' | '{' | '[' => {
                depth += 1;
                if depth > limit {
                    return Some(error(
                        &format!(
                            "The script is nested too deeply: more than {limit} levels of parentheses, braces or brackets."
                        ),
                        "NestingTooDeep",
                        Span::new(at, at + 1),
                        false,
                    ));
                }
            }
            ')' | '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::ends_in_continuation;

    #[test]
    fn a_trailing_backtick_continues_the_line() {
        assert!(ends_in_continuation("Get-Mailbox `\n"));
        assert!(ends_in_continuation("Set-CASMailbox -Identity a `\r\n"));
        assert!(ends_in_continuation("Get-Mailbox -Identity 'a b' `"));
    }

    #[test]
    fn escaped_quotes_comments_and_strings_do_not() {
        assert!(!ends_in_continuation("Get-Mailbox\n"));
        assert!(!ends_in_continuation("'abc`'\n"));
        assert!(!ends_in_continuation("Get-Mailbox # see `\n"));
        assert!(!ends_in_continuation("\"a ``\"\n"));
        assert!(!ends_in_continuation("Write-Output ``\n"));
    }
}
