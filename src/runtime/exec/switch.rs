//! The switch statement: each input item against every clause in order
//! (exact, -Wildcard or -Regex, or a script block), `default` when none
//! matched, `break` ending the switch and `continue` the current item.

use super::super::errors::{Category, ErrorRecord, Flow, Result};
use super::super::eval::collapse;
use super::super::ops::{compare_scalars, regex_ops, wildcard_match};
use super::super::session::Session;
use super::super::value::Value;
use super::Sink;
use crate::language::ast::{ExprKind, SwitchInput, SwitchMode, SwitchStatement};

enum Next {
    Item,
    Stop,
}

impl Session {
    pub(crate) fn exec_switch(&mut self, s: &SwitchStatement, sink: &mut Sink<'_>) -> Result<()> {
        let items = match &s.input {
            SwitchInput::Value(st) => match self.collection_items(st)? {
                v if v.is_empty() && self.switch_input_is_null(st) => vec![Value::Null],
                v => v,
            },
            SwitchInput::File(path) => {
                let path = self.eval(path)?.to_text();
                let text = std::fs::read_to_string(&path).map_err(|_| {
                    ErrorRecord::new(
                        format!("Cannot find path '{path}' because it does not exist."),
                        Category::ObjectNotFound,
                        "PathNotFound",
                        "ItemNotFoundException",
                    )
                    .with_target(path.clone(), "String")
                    .unqualified()
                })?;
                text.lines().map(Value::str).collect()
            }
        };
        let saved = self.take_var("_");
        let result = self.switch_items(s, items, sink);
        self.restore_var("_", saved);
        result
    }

    /// `switch ($null)` runs once with `$_` as $null; an empty array not at all.
    fn switch_input_is_null(&mut self, st: &crate::language::ast::Statement) -> bool {
        matches!(&st.kind, crate::language::ast::StatementKind::Pipeline(p)
            if matches!(p.elements.as_slice(), [crate::language::ast::PipelineElement::Expression { expr, .. }]
                if matches!(&expr.kind, ExprKind::Variable(_)) && self.eval(expr).map(|v| v.is_null()).unwrap_or(false)))
    }

    fn switch_items(&mut self, s: &SwitchStatement, items: Vec<Value>, sink: &mut Sink<'_>) -> Result<()> {
        let label = s.label.as_deref();
        let en = std::rc::Rc::new(super::super::value::Enumerator::new(items));
        let saved = self.take_var("switch");
        self.set_local("switch", Value::Enumerator(en.clone()));
        let result = self.switch_walk(s, &en, label, sink);
        self.restore_var("switch", saved);
        result
    }

    fn switch_walk(
        &mut self,
        s: &SwitchStatement,
        en: &super::super::value::Enumerator,
        label: Option<&str>,
        sink: &mut Sink<'_>,
    ) -> Result<()> {
        while en.move_next() {
            let item = en.current();
            self.set_local("_", item.clone());
            let mut matched = false;
            let mut next = None;
            for clause in &s.clauses {
                if !self.clause_matches(s, &clause.test, &item)? {
                    continue;
                }
                matched = true;
                if let Some(n) = self.switch_body(&clause.body, label, sink)? {
                    next = Some(n);
                    break;
                }
            }
            if !matched
                && next.is_none()
                && let Some(body) = &s.default
            {
                next = self.switch_body(body, label, sink)?;
            }
            if let Some(Next::Stop) = next {
                break;
            }
        }
        Ok(())
    }

    /// Runs a clause body; `Some` when break or continue ends the item or
    /// the switch.
    fn switch_body(
        &mut self,
        body: &[crate::language::ast::Statement],
        label: Option<&str>,
        sink: &mut Sink<'_>,
    ) -> Result<Option<Next>> {
        match self.exec_list(body, sink) {
            Ok(()) => Ok(None),
            Err(Flow::Break(None)) => Ok(Some(Next::Stop)),
            Err(Flow::Continue(None)) => Ok(Some(Next::Item)),
            Err(Flow::Break(Some(l))) if label.is_some_and(|m| m.eq_ignore_ascii_case(&l)) => Ok(Some(Next::Stop)),
            Err(Flow::Continue(Some(l))) if label.is_some_and(|m| m.eq_ignore_ascii_case(&l)) => Ok(Some(Next::Item)),
            Err(other) => Err(other),
        }
    }

    fn clause_matches(&mut self, s: &SwitchStatement, test: &crate::language::ast::Expr, item: &Value) -> Result<bool> {
        if let ExprKind::ScriptBlock(b) = &test.kind {
            let b = b.clone();
            return Ok(collapse(self.invoke_block(&b, Some(item))?).is_true());
        }
        let wanted = self.eval(test)?;
        let cs = s.case_sensitive;
        Ok(match s.mode {
            SwitchMode::Exact => {
                // Compared as text, as PowerShell's switch does (an enum
                // matches its name, not its number).
                let (a, b) = (item.to_text(), wanted.to_text());
                if item.is_number() && wanted.is_number() {
                    compare_scalars(item, &wanted, cs) == Some(std::cmp::Ordering::Equal)
                } else if cs {
                    a == b
                } else {
                    a.to_lowercase() == b.to_lowercase()
                }
            }
            SwitchMode::Wildcard => wildcard_match(&wanted.to_text(), &item.to_text(), cs),
            SwitchMode::Regex => {
                let re = regex_ops::compile(&wanted.to_text(), !cs)?;
                let text = item.to_text();
                match re.captures(&text) {
                    Some(caps) => {
                        let table = regex_ops::matches_table(&re, &caps);
                        self.set_local("matches", table);
                        true
                    }
                    None => false,
                }
            }
        })
    }
}
