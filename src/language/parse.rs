//! Turns pest's pairs into the typed tree of `ast`, one function per rule.

use std::rc::Rc;

use pest::Parser;
use pest::iterators::Pair;

use super::ast::*;
use super::diagnose::{ParseError, diagnose};

#[derive(pest_derive::Parser)]
#[grammar = "grammar/mailsh.pest"]
pub(crate) struct Grammar;

/// Parses a whole script. On failure nothing of it runs.
pub fn parse_script(source: &str) -> Result<Script, ParseError> {
    let mut pairs = Grammar::parse(Rule::script, source).map_err(|e| {
        let pos = match e.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
        diagnose(source, pos)
    })?;
    let script = pairs.next().ok_or_else(|| diagnose(source, 0))?;
    let statements = script.into_inner().find(|p| p.as_rule() == Rule::statements).map(statements).unwrap_or_default();
    Ok(Script { statements })
}

fn span(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

fn statements(pair: Pair<Rule>) -> Vec<Statement> {
    pair.into_inner().filter(|p| p.as_rule() == Rule::statement).map(statement).collect()
}

fn statement(pair: Pair<Rule>) -> Statement {
    let sp = span(&pair);
    let Some(inner) = pair.into_inner().next() else {
        return Statement::Pipeline(Pipeline { elements: vec![], span: sp });
    };
    match inner.as_rule() {
        Rule::exit_stmt => Statement::Exit {
            code: inner.into_inner().find(|p| p.as_rule() == Rule::expression).map(expression),
            span: sp,
        },
        Rule::if_stmt => {
            let mut clauses = Vec::new();
            let mut otherwise = None;
            let mut pending: Option<Statement> = None;
            for p in inner.into_inner() {
                match p.as_rule() {
                    Rule::condition => pending = p.into_inner().next().map(statement),
                    Rule::block => {
                        if let Some(c) = pending.take() {
                            clauses.push((c, block(p)));
                        }
                    }
                    Rule::elseif_clause => {
                        let mut inner = p.into_inner();
                        let cond = inner
                            .find(|x| x.as_rule() == Rule::condition)
                            .and_then(|c| c.into_inner().next())
                            .map(statement);
                        let body = inner.find(|x| x.as_rule() == Rule::block).map(block).unwrap_or_default();
                        if let Some(c) = cond {
                            clauses.push((c, body));
                        }
                    }
                    Rule::else_clause => otherwise = p.into_inner().find(|x| x.as_rule() == Rule::block).map(block),
                    _ => {}
                }
            }
            Statement::If { clauses, otherwise, span: sp }
        }
        Rule::foreach_stmt => {
            let mut parts = inner.into_inner();
            let variable = parts.find(|p| p.as_rule() == Rule::variable).map(variable_name).unwrap_or_default();
            let collection = parts
                .find(|p| p.as_rule() == Rule::condition)
                .and_then(|c| c.into_inner().next())
                .map(statement)
                .unwrap_or(Statement::Pipeline(Pipeline { elements: vec![], span: sp }));
            let body = parts.find(|p| p.as_rule() == Rule::block).map(block).unwrap_or_default();
            Statement::Foreach { variable, collection: Box::new(collection), body, span: sp }
        }
        Rule::assignment => {
            let mut parts = inner.into_inner();
            let variable = parts.next().map(variable_name).unwrap_or_default();
            let op = match parts.next().map(|p| p.as_str()) {
                Some("+=") => AssignOp::Add,
                Some("-=") => AssignOp::Subtract,
                _ => AssignOp::Set,
            };
            let value = parts.next().map(pipeline).unwrap_or(Pipeline { elements: vec![], span: sp });
            Statement::Assignment { variable, op, value, span: sp }
        }
        _ => Statement::Pipeline(pipeline(inner)),
    }
}

fn block(pair: Pair<Rule>) -> Vec<Statement> {
    inner_statements(pair)
}

fn pipeline(pair: Pair<Rule>) -> Pipeline {
    let sp = span(&pair);
    let elements = pair
        .into_inner()
        .map(|p| match p.as_rule() {
            Rule::command => PipelineElement::Command(command(p)),
            _ => PipelineElement::Expression(expression(p)),
        })
        .collect();
    Pipeline { elements, span: sp }
}

fn command(pair: Pair<Rule>) -> Command {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let (name, name_span) = match inner.next() {
        Some(n) => (n.as_str().to_string(), span(&n)),
        None => (String::new(), sp),
    };
    let elements = inner
        .map(|p| match p.as_rule() {
            Rule::parameter => {
                let psp = span(&p);
                let mut parts = p.into_inner();
                let name = parts.next().map(|n| n.as_str().to_string()).unwrap_or_default();
                let value = parts.next().and_then(|cv| cv.into_inner().next()).map(argument);
                CommandElement::Parameter { name, span: psp, value }
            }
            _ => CommandElement::Argument(argument(p)),
        })
        .collect::<Vec<CommandElement>>();
    // The pair may end in the spaces before a `|`; errors mark the text only.
    let end = elements
        .last()
        .map(|e| match e {
            CommandElement::Parameter { span, value, .. } => {
                value.as_ref().map(|v| v.span.end).unwrap_or(span.end).max(span.end)
            }
            CommandElement::Argument(a) => a.span.end,
        })
        .unwrap_or(name_span.end);
    Command { name, name_span, elements, span: Span::new(sp.start, end.min(sp.end)) }
}

/// An argument-mode value: one item, or `a, b, c` as an array.
fn argument(pair: Pair<Rule>) -> Expr {
    let sp = span(&pair);
    let mut items: Vec<Expr> = pair.into_inner().map(arg_item).collect();
    if items.len() == 1 {
        items.pop().unwrap_or(Expr { kind: ExprKind::Str(String::new()), span: sp })
    } else {
        Expr { kind: ExprKind::Array(items), span: sp }
    }
}

fn arg_item(pair: Pair<Rule>) -> Expr {
    match pair.as_rule() {
        Rule::bareword => Expr { kind: ExprKind::Str(pair.as_str().to_string()), span: span(&pair) },
        Rule::number => number(pair),
        Rule::arg_number => match pair.into_inner().next() {
            Some(n) => number(n),
            None => Expr { kind: ExprKind::Str(String::new()), span: Span::default() },
        },
        _ => primary_postfix(pair),
    }
}

fn expression(pair: Pair<Rule>) -> Expr {
    // Flatten `prefix* operand (op prefix* operand)*`, then climb precedence.
    let mut operands: Vec<Expr> = Vec::new();
    let mut ops: Vec<BinaryOp> = Vec::new();
    let mut prefixes: Vec<(UnaryOp, usize)> = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::unary_prefix => {
                let op =
                    if p.as_str().starts_with('!') || p.as_str().len() > 1 { UnaryOp::Not } else { UnaryOp::Negate };
                prefixes.push((op, p.as_span().start()));
            }
            Rule::array_operand => {
                let mut e = array_operand(p);
                while let Some((op, start)) = prefixes.pop() {
                    let sp = Span::new(start, e.span.end);
                    e = Expr { kind: ExprKind::Unary(op, Box::new(e)), span: sp };
                }
                operands.push(e);
            }
            Rule::bin_op => ops.push(binary_op(p.as_str())),
            _ => {}
        }
    }
    climb(operands, ops)
}

/// Left-associative precedence climbing over a flat operand/operator list.
fn climb(operands: Vec<Expr>, ops: Vec<BinaryOp>) -> Expr {
    let mut out: Vec<Expr> = Vec::new();
    let mut stack: Vec<BinaryOp> = Vec::new();
    let mut operands = operands.into_iter();
    if let Some(first) = operands.next() {
        out.push(first);
    }
    fn reduce(out: &mut Vec<Expr>, op: BinaryOp) {
        let (Some(r), Some(l)) = (out.pop(), out.pop()) else {
            return;
        };
        let sp = Span::new(l.span.start, r.span.end);
        out.push(Expr { kind: ExprKind::Binary(op, Box::new(l), Box::new(r)), span: sp });
    }
    for (op, rhs) in ops.into_iter().zip(operands) {
        while let Some(&top) = stack.last() {
            if top.precedence() >= op.precedence() {
                stack.pop();
                reduce(&mut out, top);
            } else {
                break;
            }
        }
        stack.push(op);
        out.push(rhs);
    }
    while let Some(op) = stack.pop() {
        reduce(&mut out, op);
    }
    out.pop().unwrap_or(Expr { kind: ExprKind::Str(String::new()), span: Span::default() })
}

fn binary_op(text: &str) -> BinaryOp {
    let word: String = text.trim_start_matches(['-', '\u{2013}', '\u{2014}']).to_ascii_lowercase();
    let (case_sensitive, word) = match word.as_str() {
        w if w.len() > 2 && w.starts_with('c') && !w.starts_with("contains") => (true, &w[1..]),
        w if w.len() > 2 && w.starts_with('i') && !w.starts_with("in") => (false, &w[1..]),
        w => (false, w),
    };
    let cmp = |op| BinaryOp::Compare(op, case_sensitive);
    match word {
        "" => match text {
            "+" => BinaryOp::Add,
            "*" => BinaryOp::Multiply,
            "/" => BinaryOp::Divide,
            "%" => BinaryOp::Modulo,
            _ => BinaryOp::Subtract,
        },
        "and" => BinaryOp::And,
        "or" => BinaryOp::Or,
        "xor" => BinaryOp::Xor,
        "eq" => cmp(CompareOp::Eq),
        "ne" => cmp(CompareOp::Ne),
        "gt" => cmp(CompareOp::Gt),
        "ge" => cmp(CompareOp::Ge),
        "lt" => cmp(CompareOp::Lt),
        "le" => cmp(CompareOp::Le),
        "like" => cmp(CompareOp::Like),
        "notlike" => cmp(CompareOp::NotLike),
        "match" => cmp(CompareOp::Match),
        "notmatch" => cmp(CompareOp::NotMatch),
        "contains" => cmp(CompareOp::Contains),
        "notcontains" => cmp(CompareOp::NotContains),
        "in" => cmp(CompareOp::In),
        "notin" => cmp(CompareOp::NotIn),
        _ => BinaryOp::Subtract,
    }
}

fn array_operand(pair: Pair<Rule>) -> Expr {
    let sp = span(&pair);
    let mut items: Vec<Expr> = pair.into_inner().map(primary_postfix).collect();
    if items.len() == 1 {
        items.pop().unwrap_or(Expr { kind: ExprKind::Str(String::new()), span: sp })
    } else {
        Expr { kind: ExprKind::Array(items), span: sp }
    }
}

fn primary_postfix(pair: Pair<Rule>) -> Expr {
    let mut inner = pair.into_inner();
    let Some(first) = inner.next() else {
        return Expr { kind: ExprKind::Str(String::new()), span: Span::default() };
    };
    let mut e = primary(first);
    for post in inner {
        let sp = Span::new(e.span.start, post.as_span().end());
        match post.as_rule() {
            Rule::member => {
                let mut parts = post.into_inner();
                let name = parts.next().map(|n| n.as_str().to_string()).unwrap_or_default();
                let call = parts.next().map(|args| args.into_inner().map(expression).collect());
                e = Expr { kind: ExprKind::Member { target: Box::new(e), name, call }, span: sp };
            }
            Rule::index => {
                let idx = post.into_inner().next().map(expression);
                if let Some(idx) = idx {
                    e = Expr { kind: ExprKind::Index { target: Box::new(e), index: Box::new(idx) }, span: sp };
                }
            }
            _ => {}
        }
    }
    e
}

fn primary(pair: Pair<Rule>) -> Expr {
    let sp = span(&pair);
    let kind = match pair.as_rule() {
        Rule::number => return number(pair),
        Rule::single_string => {
            let text = pair.into_inner().next().map(|t| t.as_str()).unwrap_or("");
            ExprKind::Str(unescape_single(text))
        }
        Rule::double_string => ExprKind::Expandable(double_parts(pair)),
        Rule::variable => ExprKind::Variable(variable_name(pair)),
        Rule::sub_expression => ExprKind::SubExpr(inner_statements(pair)),
        Rule::array_expression => ExprKind::ArrayExpr(inner_statements(pair)),
        Rule::paren_expression => match pair.into_inner().next() {
            Some(st) => ExprKind::Paren(Box::new(statement(st))),
            None => ExprKind::Str(String::new()),
        },
        Rule::script_block => {
            let raw = pair.as_str();
            let text = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("").to_string();
            ExprKind::ScriptBlock(Rc::new(ScriptBlock { statements: inner_statements(pair), text }))
        }
        Rule::hashtable => {
            let entries = pair
                .into_inner()
                .filter(|p| p.as_rule() == Rule::hash_entry)
                .filter_map(|entry| {
                    let mut parts = entry.into_inner();
                    let key = parts.next()?;
                    let key = match key.into_inner().next() {
                        Some(k) if k.as_rule() == Rule::member_name => k.as_str().to_string(),
                        Some(k) => match primary(k).kind {
                            ExprKind::Str(s) => s,
                            ExprKind::Expandable(parts) => parts
                                .into_iter()
                                .map(|p| match p {
                                    StringPart::Text(t) => t,
                                    _ => String::new(),
                                })
                                .collect(),
                            _ => String::new(),
                        },
                        None => String::new(),
                    };
                    let value = parts.next().map(statement)?;
                    Some((key, value))
                })
                .collect();
            ExprKind::Hashtable(entries)
        }
        _ => ExprKind::Str(pair.as_str().to_string()),
    };
    Expr { kind, span: sp }
}

fn inner_statements(pair: Pair<Rule>) -> Vec<Statement> {
    pair.into_inner().find(|p| p.as_rule() == Rule::statements).map(statements).unwrap_or_default()
}

fn number(pair: Pair<Rule>) -> Expr {
    let sp = span(&pair);
    let text = pair.as_str().to_ascii_lowercase();
    let (digits, factor) = match text.get(text.len().saturating_sub(2)..) {
        Some("kb") => (&text[..text.len() - 2], 1024i64),
        Some("mb") => (&text[..text.len() - 2], 1024 * 1024),
        Some("gb") => (&text[..text.len() - 2], 1024 * 1024 * 1024),
        Some("tb") => (&text[..text.len() - 2], 1024i64 * 1024 * 1024 * 1024),
        _ => (text.as_str(), 1),
    };
    let kind = match digits.parse::<i64>() {
        Ok(n) => ExprKind::Int(n.saturating_mul(factor)),
        Err(_) => match digits.parse::<f64>() {
            Ok(f) if factor == 1 => ExprKind::Double(f),
            Ok(f) => ExprKind::Int((f * factor as f64) as i64),
            Err(_) => ExprKind::Str(pair.as_str().to_string()),
        },
    };
    Expr { kind, span: sp }
}

fn variable_name(pair: Pair<Rule>) -> String {
    let text = pair.as_str().trim_start_matches('$');
    let text = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(text);
    text.to_string()
}

fn unescape_single(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if is_single_quote(c) && chars.peek().is_some_and(|n| is_single_quote(*n)) {
            chars.next();
        }
    }
    out
}

fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}')
}

fn double_parts(pair: Pair<Rule>) -> Vec<StringPart> {
    let mut parts: Vec<StringPart> = Vec::new();
    let mut text = String::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::dq_text => text.push_str(p.as_str()),
            Rule::dq_doubled => text.push('"'),
            Rule::dq_escape => text.push(backtick_escape(p.as_str().chars().nth(1).unwrap_or('`'))),
            Rule::dq_variable => {
                flush(&mut parts, &mut text);
                parts.push(StringPart::Variable(variable_name(p)));
            }
            Rule::sub_expression => {
                flush(&mut parts, &mut text);
                parts.push(StringPart::SubExpr(inner_statements(p)));
            }
            _ => {}
        }
    }
    flush(&mut parts, &mut text);
    parts
}

fn flush(parts: &mut Vec<StringPart>, text: &mut String) {
    if !text.is_empty() {
        parts.push(StringPart::Text(std::mem::take(text)));
    }
}

/// PowerShell's backtick escapes inside double quotes.
fn backtick_escape(c: char) -> char {
    match c {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        'e' => '\u{1b}',
        'f' => '\u{c}',
        'v' => '\u{b}',
        other => other,
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
