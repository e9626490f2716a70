//! Turns pest's pairs into the typed tree of `ast`, one function per rule.
//! Checks that the grammar leaves to this pass (what a keyword mailsh does not
//! run, what may stand left of `=`) become parse errors here, so a script
//! with any of them does not run at all.

mod commands;
mod expressions;
mod statements;
mod strings;

use pest::Parser;
use pest::iterators::Pair;

use super::ast::*;
use super::diagnose::{ParseError, diagnose, nesting_error};

#[derive(pest_derive::Parser)]
#[grammar = "grammar/mailsh.pest"]
#[grammar = "grammar/expressions.pest"]
#[grammar = "grammar/strings.pest"]
#[grammar = "grammar/opath.pest"]
pub(crate) struct Grammar;

pub(crate) type PResult<T> = Result<T, ParseError>;

/// How deep brackets may nest before the parser refuses the script (the
/// recursive descent and the evaluator both need stack per level).
pub const MAX_NESTING: usize = 100;

/// Parses a whole script. On failure nothing of it runs.
pub fn parse_script(source: &str) -> Result<Script, ParseError> {
    if let Some(e) = nesting_error(source, MAX_NESTING) {
        return Err(e);
    }
    let mut pairs = Grammar::parse(Rule::script, source).map_err(|e| {
        let pos = match e.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
        diagnose(source, pos)
    })?;
    let script = pairs.next().ok_or_else(|| diagnose(source, 0))?;
    let span = span(&script);
    let body = script.into_inner().find(|p| p.as_rule() == Rule::block_body);
    let b = Builder::default();
    match body {
        Some(body) => b.block_body(body, source.to_string(), span),
        None => Ok(ScriptBlock {
            attributes: vec![],
            params: None,
            begin: None,
            process: None,
            end: Some(vec![]),
            dynamicparam: None,
            text: String::new(),
            span,
        }),
    }
}

/// The parse pass's state: the script's `using namespace` names, and how
/// many statements were built (a `using` must come before any).
#[derive(Default)]
pub(crate) struct Builder {
    namespaces: std::cell::RefCell<Vec<std::rc::Rc<str>>>,
    statements: std::cell::Cell<usize>,
}

impl Builder {
    /// The namespaces a type name is tried in, when the script has any.
    pub(crate) fn namespaces(&self) -> Option<std::rc::Rc<[std::rc::Rc<str>]>> {
        let ns = self.namespaces.borrow();
        if ns.is_empty() { None } else { Some(ns.iter().cloned().collect()) }
    }
}

/// A pair's span, without the blanks pest's implicit whitespace leaves at
/// its end (error markers stop at the text).
pub(crate) fn span(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    let text = s.as_str();
    let kept = text.trim_end_matches([' ', '\t', '\u{00A0}']).len();
    Span::new(s.start(), s.start() + kept)
}

pub(crate) fn error(message: impl Into<String>, error_id: &'static str, span: Span) -> ParseError {
    ParseError { message: message.into(), error_id, span, incomplete: false }
}

#[cfg(test)]
mod tests;
