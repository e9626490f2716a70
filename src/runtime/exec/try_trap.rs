//! try/catch/finally and trap: where terminating errors are handled.
//! While a try block or a statement list with a trap runs, `handlers` is
//! raised so that errors deeper down unwind to it instead of being written
//! where they happened.

use std::rc::Rc;

use super::super::errors::{ErrorRecord, Flow, Result};
use super::super::eval::runtime_error;
use super::super::exceptions;
use super::super::session::Session;
use super::super::value::Value;
use super::Sink;
use crate::language::ast::{CatchClause, Statement, StatementKind, TypeName};

impl Session {
    pub(crate) fn exec_try(
        &mut self,
        body: &[Statement],
        catches: &[CatchClause],
        finally: Option<&[Statement]>,
        sink: &mut Sink<'_>,
    ) -> Result<()> {
        self.handlers += 1;
        let result = self.exec_list(body, sink);
        self.handlers -= 1;
        let result = match result {
            Err(flow) if !catches.is_empty() && flow.record().is_some() => {
                let clause = match flow.record() {
                    Some(rec) => self.matching_catch(catches, rec),
                    None => Ok(None),
                };
                match (clause, flow) {
                    (Ok(Some(clause)), Flow::Error(rec) | Flow::ScriptStop(rec)) => {
                        self.run_handler(&clause.body, *rec, sink)
                    }
                    (Ok(_), flow) => Err(flow),
                    (Err(e), _) => Err(e),
                }
            }
            other => other,
        };
        match finally {
            Some(f) => {
                // The finally block runs whatever happened; its own failure wins.
                let saved = std::mem::take(&mut self.statement_errors);
                let fin = self.exec_list(f, sink);
                self.statement_errors += saved;
                fin.and(result)
            }
            None => result,
        }
    }

    fn matching_catch<'c>(&mut self, catches: &'c [CatchClause], rec: &ErrorRecord) -> Result<Option<&'c CatchClause>> {
        let thrown = rec.exception_type();
        let inner = rec.inner.as_ref().map(|e| e.type_name.to_string());
        for clause in catches {
            if clause.types.is_empty() {
                return Ok(Some(clause));
            }
            for t in &clause.types {
                if exception_matches(&thrown, t)?
                    || inner.as_deref().map(|i| exception_matches(i, t)).transpose()?.unwrap_or(false)
                    || (rec.stopped_by_preference
                        && exception_matches("System.Management.Automation.ActionPreferenceStopException", t)?)
                {
                    return Ok(Some(clause));
                }
            }
        }
        Ok(None)
    }

    /// Runs a catch or trap body with `$_` as the error record.
    fn run_handler(&mut self, body: &[Statement], mut rec: ErrorRecord, sink: &mut Sink<'_>) -> Result<()> {
        if rec.position.is_none() {
            rec.position = rec.span.map(|s| self.position(s));
        }
        let rec = Rc::new(rec);
        self.remember_error(rec.clone());
        let saved = self.take_var("_");
        self.set_local("_", Value::ErrorRecord(rec));
        let result = self.exec_list(body, sink);
        self.restore_var("_", saved);
        result
    }

    /// A statement list holding `trap` statements: an error from any of its
    /// statements runs the first matching trap; then `break` ends the list
    /// with the error, `continue` drops the error, and otherwise the error
    /// is written and the next statement runs.
    pub(crate) fn exec_list_with_traps(
        &mut self,
        statements: &[Statement],
        traps: &[&Statement],
        sink: &mut Sink<'_>,
    ) -> Result<()> {
        for st in statements {
            if matches!(st.kind, StatementKind::Trap { .. }) {
                continue;
            }
            self.handlers += 1;
            let r = self.exec_statement(st, sink);
            self.handlers -= 1;
            let rec = match r {
                Ok(()) => continue,
                Err(Flow::Error(rec)) | Err(Flow::ScriptStop(rec)) => rec,
                Err(other) => return Err(other),
            };
            // A trap for the error's type wins over a trap for everything.
            let mut handler = None;
            let mut fallback = None;
            let thrown = rec.exception_type();
            let inner = rec.inner.as_ref().map(|e| e.type_name.to_string());
            for t in traps {
                if let StatementKind::Trap { types, body } = &t.kind {
                    if types.is_empty() {
                        fallback.get_or_insert_with(|| body.clone());
                        continue;
                    }
                    let mut hit = false;
                    for ty in types {
                        hit |= exception_matches(&thrown, ty)?
                            || inner.as_deref().map(|i| exception_matches(i, ty)).transpose()?.unwrap_or(false)
                            || (rec.stopped_by_preference
                                && exception_matches(
                                    "System.Management.Automation.ActionPreferenceStopException",
                                    ty,
                                )?);
                    }
                    if hit {
                        handler = Some(body.clone());
                        break;
                    }
                }
            }
            let handler = handler.or(fallback);
            let Some(body) = handler else { return Err(Flow::ScriptStop(rec)) };
            let kept = (*rec).clone();
            match self.run_handler(&body, *rec, sink) {
                Ok(()) => {
                    let action = self.error_action_preference();
                    self.write_error(kept, action);
                }
                Err(Flow::Continue(None)) => {}
                Err(Flow::Break(None)) => return Err(Flow::ScriptStop(Box::new(passed_on(kept)))),
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }
}

/// The error a trap's `break` passes on: PowerShell wraps it again, so it
/// is reported against the statement that failed, as a
/// ParentContainsErrorRecordException.
fn passed_on(mut rec: ErrorRecord) -> ErrorRecord {
    if let Some(span) = rec.statement_span {
        rec.span = Some(span);
        rec.position = None;
    }
    rec.exception_type = rec.exception_type();
    rec.reason = "ParentContainsErrorRecordException".into();
    rec
}

/// Whether an exception of type `thrown` is caught by `[t]`.
fn exception_matches(thrown: &str, t: &TypeName) -> Result<bool> {
    let name = t.text();
    match exceptions::resolve(&name) {
        Some(wanted) => Ok(exceptions::derives_from(thrown, wanted)),
        None if thrown.eq_ignore_ascii_case(&name) || thrown.rsplit('.').next() == Some(name.as_str()) => Ok(true),
        None => Err(runtime_error(
            format!("Unable to find type [{name}]."),
            "TypeNotFound",
            super::super::errors::Category::InvalidOperation,
        )
        .at(t.span)
        .into()),
    }
}
