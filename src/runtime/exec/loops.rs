//! Loops: foreach, for, while, do-while, do-until; `break` and `continue`,
//! with or without a label.

use super::super::errors::{Flow, Result};
use super::super::session::Session;
use super::super::value::Value;
use super::Sink;
use crate::language::ast::{PipelineElement, Statement, StatementKind, VarRef};

/// What a loop does after its body ran.
pub(crate) enum After {
    Next,
    Stop,
}

/// Decides what a flow out of a loop body means for the loop labelled
/// `label`: its own break/continue are handled, anything else goes on.
pub(crate) fn after_body(result: Result<()>, label: Option<&str>) -> Result<After> {
    match result {
        Ok(()) => Ok(After::Next),
        Err(Flow::Break(None)) => Ok(After::Stop),
        Err(Flow::Continue(None)) => Ok(After::Next),
        Err(Flow::Break(Some(l))) if label.is_some_and(|m| m.eq_ignore_ascii_case(&l)) => Ok(After::Stop),
        Err(Flow::Continue(Some(l))) if label.is_some_and(|m| m.eq_ignore_ascii_case(&l)) => Ok(After::Next),
        Err(other) => Err(other),
    }
}

impl Session {
    /// The items a `foreach` walks: an expression's value enumerated, or a
    /// command's output.
    pub(crate) fn collection_items(&mut self, collection: &Statement) -> Result<Vec<Value>> {
        if let StatementKind::Pipeline(p) = &collection.kind
            && let [PipelineElement::Expression { expr, redirections }] = p.elements.as_slice()
            && redirections.is_empty()
        {
            return Ok(self.eval(expr)?.into_items());
        }
        self.statement_values(collection)
    }

    pub(crate) fn exec_foreach(
        &mut self,
        label: Option<&str>,
        variable: &VarRef,
        collection: &Statement,
        body: &[Statement],
        sink: &mut Sink<'_>,
    ) -> Result<()> {
        let items = self.collection_items(collection)?;
        let en = std::rc::Rc::new(super::super::value::Enumerator::new(items));
        let saved = self.take_var("foreach");
        self.set_local("foreach", Value::Enumerator(en.clone()));
        let result = (|| {
            while en.move_next() {
                self.check_interrupt()?;
                self.assign(variable, en.current(), None).map_err(|e| e.at(collection.span))?;
                let r = self.exec_list(body, sink);
                if let After::Stop = after_body(r, label)? {
                    break;
                }
            }
            Ok(())
        })();
        self.restore_var("foreach", saved);
        result
    }

    pub(crate) fn exec_for(
        &mut self,
        label: Option<&str>,
        init: Option<&Statement>,
        condition: Option<&Statement>,
        iterator: Option<&Statement>,
        body: &[Statement],
        sink: &mut Sink<'_>,
    ) -> Result<()> {
        if let Some(i) = init {
            self.exec_statement(i, sink)?;
        }
        loop {
            self.check_interrupt()?;
            if let Some(c) = condition
                && !self.condition(c)?
            {
                break;
            }
            let r = self.exec_list(body, sink);
            if let After::Stop = after_body(r, label)? {
                break;
            }
            if let Some(i) = iterator {
                self.exec_statement(i, sink)?;
            }
        }
        Ok(())
    }

    /// `while (c) {}` (test first), `do {} while (c)` and `do {} until (c)`.
    pub(crate) fn exec_while(
        &mut self,
        label: Option<&str>,
        condition: &Statement,
        body: &[Statement],
        test_after: bool,
        until: bool,
        sink: &mut Sink<'_>,
    ) -> Result<()> {
        let mut first = true;
        loop {
            self.check_interrupt()?;
            if !(test_after && first) {
                let c = self.condition(condition)?;
                if c == until {
                    break;
                }
            }
            first = false;
            let r = self.exec_list(body, sink);
            if let After::Stop = after_body(r, label)? {
                break;
            }
        }
        Ok(())
    }
}
