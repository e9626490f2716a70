//! Turns pest's pairs into the typed tree of `ast`, one function per rule.
//! Checks that the grammar leaves to this pass (what a keyword mailsh does not
//! run, what may stand left of `=`) become parse errors here, so a script
//! with any of them does not run at all.

mod commands;
mod expressions;
mod statements;
mod strings;

use std::num::NonZeroUsize;
use std::sync::Mutex;

use pest::Parser;
use pest::iterators::{Pair, Pairs};

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

/// The parser's work allowance: rule calls per byte of input, on top of a
/// base. PEG parsing backtracks, and some unfinished texts (method calls
/// left open inside script blocks, nested) make it retry the same text
/// along two paths at every level: without a bound such a line would hang
/// the shell. Scripts parse with well under a tenth of this.
const CALLS_BASE: usize = 200_000;
const CALLS_PER_BYTE: usize = 2_000;

/// `Grammar::parse` within the work allowance. pest keeps its call limit
/// as one setting for the process, read when a parse starts, so each
/// parse sets its own under this lock.
pub(crate) fn parse_rule(rule: Rule, text: &str) -> Result<Pairs<'_, Rule>, pest::error::Error<Rule>> {
    static LOCK: Mutex<()> = Mutex::new(());
    let _turn = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    pest::set_call_limit(NonZeroUsize::new(CALLS_BASE.saturating_add(CALLS_PER_BYTE.saturating_mul(text.len()))));
    Grammar::parse(rule, text)
}

/// Whether pest gave up because the work allowance ran out.
pub(crate) fn is_call_limit(e: &pest::error::Error<Rule>) -> bool {
    matches!(&e.variant, pest::error::ErrorVariant::CustomError { message } if message.contains("call limit"))
}

/// The error for a text the parser gave up on.
fn too_complex(source: &str) -> ParseError {
    error(
        "The parser gave up on this text: it is too intricate to parse in reasonable time. Look for an unclosed parenthesis, brace or method call.",
        "ParserGaveUp",
        Span::new(0, source.len()),
    )
}

/// Parses a whole script. On failure nothing of it runs.
pub fn parse_script(source: &str) -> Result<Script, ParseError> {
    if let Some(e) = nesting_error(source, MAX_NESTING) {
        return Err(e);
    }
    let mut pairs = parse_rule(Rule::script, source).map_err(|e| {
        if is_call_limit(&e) {
            return too_complex(source);
        }
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
        None => Ok(ScriptBlock::empty(String::new(), span)),
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
