//! Syntax colours for the REPL, taken from the parse tree (PSReadLine's
//! default palette): commands yellow, parameters and operators dark grey,
//! strings dark cyan, variables green, numbers white. Unknown commands red.

use nu_ansi_term::{Color, Style};
use reedline::{Highlighter, StyledText};

use crate::language::ast::*;
use crate::language::parse_script;

pub struct ShellHighlighter;

fn mark(out: &mut Vec<(Span, Style)>, span: Span, style: Style) {
    out.push((span, style));
}

fn expr(src: &str, e: &Expr, out: &mut Vec<(Span, Style)>) {
    match &e.kind {
        ExprKind::Int(_) | ExprKind::Double(_) => mark(out, e.span, Style::new().fg(Color::White)),
        ExprKind::Str(_) | ExprKind::Expandable(_) => {
            let quoted = src[e.span.start.min(src.len())..]
                .starts_with(['\'', '"', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}']);
            if quoted {
                mark(out, e.span, Style::new().fg(Color::Cyan).dimmed());
            }
        }
        ExprKind::Variable(_) => mark(out, e.span, Style::new().fg(Color::Green)),
        ExprKind::Member { target, call, .. } => {
            expr(src, target, out);
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
        ExprKind::Hashtable(entries) => entries.iter().for_each(|(_, st)| statement(src, st, out)),
        ExprKind::ScriptBlock(b) => statements(src, &b.statements, out),
        ExprKind::Unary(_, inner) => expr(src, inner, out),
        ExprKind::Binary(_, l, r) => {
            expr(src, l, out);
            expr(src, r, out);
            let gap = Span::new(l.span.end, r.span.start);
            mark(out, gap, Style::new().fg(Color::DarkGray));
        }
    }
}

fn statements(src: &str, list: &[Statement], out: &mut Vec<(Span, Style)>) {
    list.iter().for_each(|s| statement(src, s, out));
}

fn statement(src: &str, s: &Statement, out: &mut Vec<(Span, Style)>) {
    match s {
        Statement::Pipeline(p) => pipeline(src, p, out),
        Statement::Assignment { value, span, variable, .. } => {
            mark(out, Span::new(span.start, span.start + variable.len() + 1), Style::new().fg(Color::Green));
            pipeline(src, value, out);
        }
        Statement::If { clauses, otherwise, .. } => {
            for (c, body) in clauses {
                statement(src, c, out);
                statements(src, body, out);
            }
            if let Some(body) = otherwise {
                statements(src, body, out);
            }
        }
        Statement::Foreach { collection, body, .. } => {
            statement(src, collection, out);
            statements(src, body, out);
        }
        Statement::Exit { code, span } => {
            mark(out, Span::new(span.start, span.start + 4), Style::new().fg(Color::Green));
            if let Some(c) = code {
                expr(src, c, out);
            }
        }
    }
}

fn pipeline(src: &str, p: &Pipeline, out: &mut Vec<(Span, Style)>) {
    for el in &p.elements {
        match el {
            PipelineElement::Expression(e) => expr(src, e, out),
            PipelineElement::Command(c) => {
                let known = crate::cmdlets::registry().find(&c.name).is_some();
                let style = if known { Style::new().fg(Color::Yellow) } else { Style::new().fg(Color::Red) };
                mark(out, c.name_span, style);
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
        statements(line, &script.statements, &mut spans);
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
}
