//! Strings (single, double, here-strings) and variable references.

use std::rc::Rc;

use pest::iterators::Pair;

use super::commands::flush;
use super::{Builder, PResult, Rule, error, span};
use crate::language::ast::*;

impl Builder {
    pub(crate) fn string(&self, pair: Pair<Rule>) -> PResult<Expr> {
        let sp = span(&pair);
        match pair.as_rule() {
            Rule::literal_string => {
                let text = pair.into_inner().next().map(|t| t.as_str()).unwrap_or("");
                Ok(Expr::new(ExprKind::Str(Rc::from(unescape_single(text).as_str())), sp))
            }
            Rule::here_literal => {
                let body = pair.into_inner().next().map(|t| t.as_str()).unwrap_or("");
                Ok(Expr::new(ExprKind::Str(Rc::from(strip_last_newline(body))), sp))
            }
            _ => {
                let parts = self.expandable_parts(pair)?;
                Ok(Expr::new(expandable(parts), sp))
            }
        }
    }

    fn expandable_parts(&self, pair: Pair<Rule>) -> PResult<Vec<StringPart>> {
        let mut parts: Vec<StringPart> = Vec::new();
        let mut text = String::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::dq_text | Rule::hs_text => text.push_str(p.as_str()),
                Rule::dq_doubled => text.push('"'),
                Rule::dq_escape => {
                    let c = p.as_str().chars().nth(1).unwrap_or('`');
                    if c == '\r' || c == '\n' {
                        // A backtick before a line break keeps the break.
                        text.push_str(&p.as_str()[1..]);
                    } else {
                        text.push(backtick_escape(c));
                    }
                }
                Rule::dq_variable => self.variable_part(p, &mut parts, &mut text)?,
                Rule::dq_subexpr => self.subexpression_part(p, &mut parts, &mut text)?,
                _ => {}
            }
        }
        flush(&mut parts, &mut text);
        Ok(parts)
    }

    /// `$name` inside an expandable string or bare word: the text before it
    /// becomes a part of its own.
    pub(crate) fn variable_part(&self, p: Pair<Rule>, parts: &mut Vec<StringPart>, text: &mut String) -> PResult<()> {
        let vsp = span(&p);
        if let Some(v) = p.into_inner().next() {
            flush(parts, text);
            parts.push(StringPart::Variable(self.var_name(v)?, vsp));
        }
        Ok(())
    }

    /// `$( ... )` inside an expandable string or bare word.
    pub(crate) fn subexpression_part(
        &self,
        p: Pair<Rule>,
        parts: &mut Vec<StringPart>,
        text: &mut String,
    ) -> PResult<()> {
        flush(parts, text);
        let statements = match p.into_inner().next() {
            Some(list) => self.statement_list(list)?,
            None => vec![],
        };
        parts.push(StringPart::SubExpr(statements));
        Ok(())
    }

    /// `$name`, with its scope.
    pub(crate) fn variable_ref(&self, pair: Pair<Rule>) -> PResult<VarRef> {
        let sp = span(&pair);
        match pair.into_inner().next() {
            Some(v) => self.var_name(v),
            None => Err(error("Variable reference is not valid.", "InvalidVariableReference", sp)),
        }
    }

    /// The name after `$` (rule `var_name` or one of its alternatives).
    pub(crate) fn var_name(&self, pair: Pair<Rule>) -> PResult<VarRef> {
        let sp = span(&pair);
        let pair = if pair.as_rule() == Rule::var_name {
            match pair.into_inner().next() {
                Some(p) => p,
                None => return Err(error("Variable reference is not valid.", "InvalidVariableReference", sp)),
            }
        } else {
            pair
        };
        let text = pair.as_str();
        match pair.as_rule() {
            Rule::braced_var => {
                let inner = &text[1..text.len() - 1];
                let unescaped = unescape_braced(inner);
                Ok(scoped(&unescaped))
            }
            Rule::bad_scoped_var => Err(error(
                "Variable reference is not valid. ':' was not followed by a valid variable name character. Consider using ${} to delimit the name.",
                "InvalidVariableReferenceWithDrive",
                Span::new(sp.start.saturating_sub(1), sp.end),
            )),
            Rule::scoped_var => Ok(scoped(text)),
            _ => Ok(VarRef::new(text, VarScope::Any)),
        }
    }
}

/// `global:x`, `env:PATH`; an unknown qualifier is part of the name
/// (PowerShell reads it as a drive, which mailsh does not have).
fn scoped(text: &str) -> VarRef {
    if let Some((q, name)) = text.split_once(':') {
        let scope = match q.to_ascii_lowercase().as_str() {
            "global" => Some(VarScope::Global),
            "script" => Some(VarScope::Script),
            "local" => Some(VarScope::Local),
            "private" => Some(VarScope::Private),
            "env" => Some(VarScope::Env),
            "variable" => Some(VarScope::Variable),
            "function" => Some(VarScope::Function),
            _ => None,
        };
        if let Some(scope) = scope {
            return VarRef::new(name, scope);
        }
    }
    VarRef::new(text, VarScope::Any)
}

fn expandable(parts: Vec<StringPart>) -> ExprKind {
    match parts.as_slice() {
        [] => ExprKind::Str(Rc::from("")),
        [StringPart::Text(t)] => ExprKind::Str(t.clone()),
        _ => ExprKind::Expandable(parts),
    }
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

fn unescape_braced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '`' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn strip_last_newline(text: &str) -> &str {
    text.strip_suffix("\r\n").or_else(|| text.strip_suffix('\n')).or_else(|| text.strip_suffix('\r')).unwrap_or(text)
}

fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// Windows PowerShell 5.1's escapes inside double quotes; any other
/// character after a backtick stands for itself (`` `e `` and `` `u{} ``
/// arrived in PowerShell 6).
pub(crate) fn backtick_escape(c: char) -> char {
    match c {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'v' => '\u{b}',
        other => other,
    }
}
