//! Syntax colours for the REPL, taken from the parse tree (PSReadLine's
//! default palette): commands yellow, parameters and operators dark grey,
//! strings dark cyan, variables and keywords green, numbers white, types
//! grey. Unknown commands red.

use nu_ansi_term::{Color, Style};
use reedline::{Highlighter, StyledText};

use crate::language::ast::*;
use crate::language::parse_script;

pub struct ShellHighlighter;

type Marks = Vec<(Span, Style)>;

fn mark(out: &mut Marks, span: Span, style: Style) {
    out.push((span, style));
}

fn keyword(src: &str, span: Span, out: &mut Marks) {
    let text = &src[span.start.min(src.len())..span.end.min(src.len())];
    let len = text.chars().take_while(|c| c.is_ascii_alphabetic()).map(char::len_utf8).sum::<usize>();
    if len > 0 {
        mark(out, Span::new(span.start, span.start + len), Style::new().fg(Color::Green));
    }
}

fn expr(src: &str, e: &Expr, out: &mut Marks) {
    match &e.kind {
        ExprKind::Number(_) => mark(out, e.span, Style::new().fg(Color::White)),
        ExprKind::Str(_) | ExprKind::Expandable(_) => {
            let quoted = src[e.span.start.min(src.len())..]
                .starts_with(['\'', '"', '@', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}']);
            if quoted {
                mark(out, e.span, Style::new().fg(Color::Cyan).dimmed());
            }
            if let ExprKind::Expandable(parts) = &e.kind {
                for p in parts {
                    match p {
                        StringPart::Variable(_, span) => mark(out, *span, Style::new().fg(Color::Green)),
                        StringPart::SubExpr(st) => statements(src, st, out),
                        StringPart::Text(_) => {}
                    }
                }
            }
        }
        ExprKind::Variable(_) => mark(out, e.span, Style::new().fg(Color::Green)),
        ExprKind::Member { target, call, name, .. } => {
            expr(src, target, out);
            if let MemberName::Dynamic(d) = name {
                expr(src, d, out);
            }
            for a in call.iter().flatten() {
                expr(src, a, out);
            }
        }
        ExprKind::Index { target, index } => {
            expr(src, target, out);
            expr(src, index, out);
        }
        ExprKind::Array(items) => items.iter().for_each(|i| expr(src, i, out)),
        ExprKind::ArrayExpr(st) | ExprKind::SubExpr(st) => statements(src, st, out),
        ExprKind::Paren(st) => statement(src, st, out),
        ExprKind::Hashtable(entries) => entries.iter().for_each(|(k, st)| {
            expr(src, k, out);
            statement(src, st, out);
        }),
        ExprKind::ScriptBlock(b) => block(src, b, out),
        ExprKind::TypeLiteral(t) => mark(out, t.span, Style::new().fg(Color::LightGray)),
        ExprKind::Cast(t, inner) => {
            mark(out, t.span, Style::new().fg(Color::LightGray));
            expr(src, inner, out);
        }
        ExprKind::Attributed(a, inner) => {
            mark(out, a.span, Style::new().fg(Color::LightGray));
            expr(src, inner, out);
        }
        ExprKind::Unary(_, inner) | ExprKind::IncDec { target: inner, .. } => expr(src, inner, out),
        ExprKind::Binary { first, rest } => {
            expr(src, first, out);
            let mut prev_end = first.span.end;
            for (_, r) in rest {
                mark(out, Span::new(prev_end, r.span.start), Style::new().fg(Color::DarkGray));
                expr(src, r, out);
                prev_end = r.span.end;
            }
        }
    }
}

fn block(src: &str, b: &ScriptBlock, out: &mut Marks) {
    for list in [&b.begin, &b.process, &b.end].into_iter().flatten() {
        statements(src, list, out);
    }
    if let Some(p) = &b.params {
        for d in &p.params {
            if let Some(def) = &d.default {
                expr(src, def, out);
            }
        }
    }
}

fn statements(src: &str, list: &[Statement], out: &mut Marks) {
    list.iter().for_each(|s| statement(src, s, out));
}

fn statement(src: &str, s: &Statement, out: &mut Marks) {
    match &s.kind {
        StatementKind::Pipeline(p) => pipeline(src, p, out),
        StatementKind::Assignment(a) => {
            for t in &a.targets {
                expr(src, &t.target, out);
            }
            statement(src, &a.value, out);
        }
        StatementKind::If { clauses, otherwise } => {
            keyword(src, s.span, out);
            for (c, body) in clauses {
                statement(src, c, out);
                statements(src, body, out);
            }
            if let Some(body) = otherwise {
                statements(src, body, out);
            }
        }
        StatementKind::Foreach { collection, body, .. } => {
            keyword(src, s.span, out);
            statement(src, collection, out);
            statements(src, body, out);
        }
        StatementKind::For { init, condition, iterator, body, .. } => {
            keyword(src, s.span, out);
            for part in [init, condition, iterator].into_iter().flatten() {
                statement(src, part, out);
            }
            statements(src, body, out);
        }
        StatementKind::While { condition, body, .. } | StatementKind::Do { condition, body, .. } => {
            keyword(src, s.span, out);
            statement(src, condition, out);
            statements(src, body, out);
        }
        StatementKind::Switch(sw) => {
            keyword(src, s.span, out);
            if let SwitchInput::Value(v) = &sw.input {
                statement(src, v, out);
            }
            for c in &sw.clauses {
                expr(src, &c.test, out);
                statements(src, &c.body, out);
            }
            if let Some(d) = &sw.default {
                statements(src, d, out);
            }
        }
        StatementKind::Function(f) => {
            keyword(src, s.span, out);
            block(src, &f.body, out);
        }
        StatementKind::Try { body, catches, finally } => {
            keyword(src, s.span, out);
            statements(src, body, out);
            for c in catches {
                keyword(src, c.span, out);
                statements(src, &c.body, out);
            }
            if let Some(f) = finally {
                statements(src, f, out);
            }
        }
        StatementKind::Trap { body, .. } => {
            keyword(src, s.span, out);
            statements(src, body, out);
        }
        StatementKind::Data { body, .. } => {
            keyword(src, s.span, out);
            statements(src, body, out);
        }
        StatementKind::Break(_) | StatementKind::Continue(_) => keyword(src, s.span, out),
        StatementKind::Return(p) | StatementKind::Throw(p) | StatementKind::Exit(p) => {
            keyword(src, s.span, out);
            if let Some(p) = p {
                pipeline(src, p, out);
            }
        }
    }
}

fn pipeline(src: &str, p: &Pipeline, out: &mut Marks) {
    for el in &p.elements {
        match el {
            PipelineElement::Expression { expr: e, .. } => expr(src, e, out),
            PipelineElement::Command(c) => {
                match &c.head {
                    CommandHead::Name { name, span, .. } => {
                        let known = crate::cmdlets::registry().find(name).is_some();
                        let style = if known { Style::new().fg(Color::Yellow) } else { Style::new().fg(Color::Red) };
                        mark(out, *span, style);
                    }
                    CommandHead::Invoke { target, .. } => expr(src, target, out),
                }
                for el in &c.elements {
                    match el {
                        CommandElement::Parameter { span, value, name } => {
                            mark(
                                out,
                                Span::new(span.start, span.start + name.len() + 1),
                                Style::new().fg(Color::DarkGray),
                            );
                            if let Some(v) = value {
                                expr(src, v, out);
                            }
                        }
                        CommandElement::Argument(e) => expr(src, e, out),
                        CommandElement::Splat { span, .. } => mark(out, *span, Style::new().fg(Color::Green)),
                    }
                }
            }
        }
    }
}

/// Styled pieces covering the whole line, in order.
pub fn highlight_line(line: &str) -> Vec<(Style, String)> {
    let mut spans = Vec::new();
    if let Ok(script) = parse_script(line) {
        block(line, &script, &mut spans);
    }
    spans.retain(|(s, _)| {
        s.start < s.end && s.end <= line.len() && line.is_char_boundary(s.start) && line.is_char_boundary(s.end)
    });
    spans.sort_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
    let mut out = Vec::new();
    let mut at = 0;
    for (span, style) in spans {
        if span.start < at {
            continue;
        }
        if span.start > at {
            out.push((Style::new(), line[at..span.start].to_string()));
        }
        out.push((style, line[span.start..span.end].to_string()));
        at = span.end;
    }
    if at < line.len() {
        out.push((Style::new(), line[at..].to_string()));
    }
    out
}

impl Highlighter for ShellHighlighter {
    fn highlight(&self, line: &str, _cursor: usize) -> StyledText {
        let mut text = StyledText::new();
        for piece in highlight_line(line) {
            text.push(piece);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_line_and_colour_the_command() {
        let line = "Set-CASMailbox -Identity \"John Smith\" -ImapEnabled $false";
        let pieces = highlight_line(line);
        let joined: String = pieces.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(joined, line);
        assert_eq!(pieces[0], (Style::new().fg(Color::Yellow), "Set-CASMailbox".to_string()));
        assert!(pieces.iter().any(|(s, t)| t == "$false" && *s == Style::new().fg(Color::Green)));
        let unknown = highlight_line("Get-Nothing");
        assert_eq!(unknown[0].0, Style::new().fg(Color::Red));
    }

    #[test]
    fn keywords_are_green() {
        let pieces = highlight_line("foreach ($m in 1..3) { $m }");
        assert_eq!(pieces[0], (Style::new().fg(Color::Green), "foreach".to_string()));
    }
}
