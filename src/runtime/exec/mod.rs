//! Statements. A statement writes its objects to a sink; a terminating
//! error ends the statement, and (without a try or trap around it) is
//! written and the next statement runs, as PowerShell does.

mod assign;
mod loops;
mod switch;
mod try_trap;

use std::rc::Rc;

use super::errors::{ErrorRecord, Flow, Result};
use super::eval::collapse;
use super::session::{Action, Session};
use super::value::Value;
use crate::language::ast::{Expr, ExprKind, Pipeline, PipelineElement, Statement, StatementKind, TypeName};

pub type Sink<'a> = dyn FnMut(&mut Session, Value) -> Result<()> + 'a;

impl Session {
    /// Runs statements, collecting every object they output.
    pub fn run_nested(&mut self, statements: &[Statement]) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        self.exec_list(statements, &mut |_: &mut Session, v: Value| {
            out.push(v);
            Ok(())
        })?;
        Ok(out)
    }

    /// A statement list: traps in it apply to all of its statements; a
    /// statement-terminating error with no handler around is written and
    /// the next statement runs.
    pub fn exec_list(&mut self, statements: &[Statement], sink: &mut Sink<'_>) -> Result<()> {
        let traps: Vec<&Statement> =
            statements.iter().filter(|s| matches!(s.kind, StatementKind::Trap { .. })).collect();
        if !traps.is_empty() {
            return self.exec_list_with_traps(statements, &traps, sink);
        }
        for st in statements {
            if let Err(flow) = self.exec_statement(st, sink) {
                self.statement_failed(flow)?;
            }
        }
        Ok(())
    }

    /// What happens to a flow that left a statement: a statement-terminating
    /// error is written (unless a try or trap further out wants it, or
    /// $ErrorActionPreference is Stop); anything else goes on up.
    pub(crate) fn statement_failed(&mut self, flow: Flow) -> Result<()> {
        match flow {
            // Windows PowerShell 5.1: with $ErrorActionPreference
            // SilentlyContinue (or Ignore) even a throw is passed over.
            Flow::ScriptStop(rec)
                if self.handlers == 0
                    && rec.thrown
                    && matches!(self.error_action_preference(), Action::SilentlyContinue | Action::Ignore) =>
            {
                let action = self.error_action_preference();
                self.write_error(*rec, action);
                Ok(())
            }
            Flow::Error(rec) if self.handlers == 0 => {
                if self.error_action_preference() == Action::Stop {
                    return Err(Flow::ScriptStop(rec));
                }
                let action = self.error_action_preference();
                self.write_error(*rec, action);
                Ok(())
            }
            other => Err(other),
        }
    }

    pub fn exec_statement(&mut self, statement: &Statement, sink: &mut Sink<'_>) -> Result<()> {
        self.check_interrupt()?;
        match &statement.kind {
            StatementKind::Pipeline(p) => self.exec_pipeline_statement(p, sink).map_err(|f| match f {
                Flow::Error(mut rec) if rec.statement_span.is_none() => {
                    rec.statement_span = Some(statement.span);
                    Flow::Error(rec)
                }
                Flow::ScriptStop(mut rec) if rec.statement_span.is_none() => {
                    rec.statement_span = Some(statement.span);
                    Flow::ScriptStop(rec)
                }
                other => other,
            }),
            StatementKind::Assignment(a) => self.exec_assignment(a, statement.span),
            StatementKind::If { clauses, otherwise } => {
                for (condition, body) in clauses {
                    if self.condition(condition)? {
                        return self.exec_list(body, sink);
                    }
                }
                match otherwise {
                    Some(body) => self.exec_list(body, sink),
                    None => Ok(()),
                }
            }
            StatementKind::Switch(s) => self.exec_switch(s, sink),
            StatementKind::Foreach { label, variable, collection, body } => {
                self.exec_foreach(label.as_deref(), variable, collection, body, sink)
            }
            StatementKind::For { label, init, condition, iterator, body } => {
                self.exec_for(label.as_deref(), init.as_deref(), condition.as_deref(), iterator.as_deref(), body, sink)
            }
            StatementKind::While { label, condition, body } => {
                self.exec_while(label.as_deref(), condition, body, false, false, sink)
            }
            StatementKind::Do { label, body, condition, until } => {
                self.exec_while(label.as_deref(), condition, body, true, *until, sink)
            }
            StatementKind::Function(def) => {
                let (key, frame) = self.function_target(&def.name);
                self.scopes.define_function(frame, key, Rc::clone(def));
                Ok(())
            }
            StatementKind::Try { body, catches, finally } => self.exec_try(body, catches, finally.as_deref(), sink),
            // Traps are gathered by the statement list that holds them.
            StatementKind::Trap { .. } => Ok(()),
            StatementKind::Data { name, body } => {
                let out = self.run_nested(body)?;
                match name {
                    Some(v) => self.assign(v, collapse(out), None).map_err(|e| e.at(statement.span).into()),
                    None => {
                        for v in out {
                            sink(self, v)?;
                        }
                        Ok(())
                    }
                }
            }
            StatementKind::Break(label) => Err(Flow::Break(self.label(label)?)),
            StatementKind::Continue(label) => Err(Flow::Continue(self.label(label)?)),
            StatementKind::Return(p) => {
                if let Some(p) = p {
                    self.exec_pipeline_statement(p, sink)?;
                }
                Err(Flow::Return)
            }
            StatementKind::Throw(p) => Err(self.throw(p.as_ref(), statement)?),
            StatementKind::Exit(p) => {
                let code = match p {
                    Some(p) => {
                        let v = collapse(self.pipeline_values(p)?);
                        match v {
                            Value::Int(n) => n,
                            Value::Long(n) => n as i32,
                            Value::Bool(b) => b as i32,
                            Value::Null => 0,
                            other => other.to_text().trim().parse().unwrap_or(0),
                        }
                    }
                    None => 0,
                };
                Err(Flow::Exit(code))
            }
        }
    }

    /// The name and frame a `function` statement defines into
    /// (`function global:f` goes to the global scope).
    fn function_target(&self, name: &str) -> (Rc<str>, usize) {
        let lower = name.to_lowercase();
        if let Some(rest) = lower.strip_prefix("global:") {
            return (Rc::from(rest), 0);
        }
        if let Some(rest) = lower.strip_prefix("script:") {
            return (Rc::from(rest), self.scopes.script_frame());
        }
        let rest = lower.strip_prefix("local:").unwrap_or(&lower);
        (Rc::from(rest), self.scopes.current())
    }

    fn label(&mut self, label: &Option<Box<Expr>>) -> Result<Option<Rc<str>>> {
        Ok(match label {
            None => None,
            Some(e) => match &e.kind {
                ExprKind::Str(s) => Some(s.clone()),
                _ => Some(Rc::from(self.eval(e)?.to_text().as_str())),
            },
        })
    }

    /// The value of an `if`/`while` condition.
    pub(crate) fn condition(&mut self, statement: &Statement) -> Result<bool> {
        if let StatementKind::Pipeline(p) = &statement.kind
            && let [PipelineElement::Expression { expr, redirections }] = p.elements.as_slice()
            && redirections.is_empty()
        {
            return Ok(self.eval(expr)?.is_true());
        }
        if let StatementKind::Assignment(a) = &statement.kind {
            // `if ($v = Get-Thing)`: the value assigned is the condition.
            self.exec_assignment(a, statement.span)?;
            let values: Vec<Value> = a.targets.iter().map(|t| self.eval(&t.target)).collect::<Result<Vec<_>>>()?;
            return Ok(collapse(values).is_true());
        }
        let out = self.statement_values(statement)?;
        Ok(collapse(out).is_true())
    }

    /// Runs one statement and collects its output.
    pub(crate) fn statement_values(&mut self, statement: &Statement) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        self.exec_statement(statement, &mut |_: &mut Session, v: Value| {
            out.push(v);
            Ok(())
        })?;
        Ok(out)
    }

    /// A statement's output as one value (`$x = statement`): nothing is
    /// `$null`, one object itself, more an array; a single object is not
    /// gathered in a list first.
    pub(crate) fn statement_value(&mut self, statement: &Statement) -> Result<Value> {
        let mut first: Option<Value> = None;
        let mut more: Vec<Value> = Vec::new();
        self.exec_statement(statement, &mut |_: &mut Session, v: Value| {
            match first.take() {
                None if more.is_empty() => first = Some(v),
                None => more.push(v),
                Some(f) => {
                    more.push(f);
                    more.push(v);
                }
            }
            Ok(())
        })?;
        Ok(match first {
            Some(v) => v,
            None => collapse(more),
        })
    }

    pub(crate) fn pipeline_values(&mut self, p: &Pipeline) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        self.exec_pipeline_statement(p, &mut |_: &mut Session, v: Value| {
            out.push(v);
            Ok(())
        })?;
        Ok(out)
    }

    /// A pipeline as a statement: an expression alone writes its value
    /// (enumerated, and nothing for a void method or a `[void]` cast).
    pub(crate) fn exec_pipeline_statement(&mut self, p: &Pipeline, sink: &mut Sink<'_>) -> Result<()> {
        if let [PipelineElement::Expression { expr, redirections }] = p.elements.as_slice()
            && redirections.is_empty()
        {
            if let Some(v) = self.eval_for_output(expr)? {
                emit_enumerated(self, v, sink)?;
            }
            return Ok(());
        }
        self.exec_pipeline(p, sink)
    }

    /// An expression's value as output: `None` when it produces nothing (a
    /// method returning void, `[void](...)`, `$null = ...`).
    pub(crate) fn eval_for_output(&mut self, expr: &Expr) -> Result<Option<Value>> {
        match &expr.kind {
            ExprKind::Cast(TypeName { name, array_ranks, .. }, inner)
                if array_ranks.is_empty()
                    && (name.eq_ignore_ascii_case("void") || name.eq_ignore_ascii_case("System.Void")) =>
            {
                self.eval(inner)?;
                Ok(None)
            }
            ExprKind::Member { target, name, call: Some(args), is_static: false } => {
                let name = match name {
                    crate::language::ast::MemberName::Name(n, _) => n.clone(),
                    crate::language::ast::MemberName::Dynamic(e) => Rc::from(self.eval(e)?.to_text().as_str()),
                };
                let t = self.eval(target)?;
                let values = self.eval_args(args)?;
                super::members::call(self, &t, &name, values).map_err(|f| attach_span(f, expr))
            }
            ExprKind::Member {
                target,
                name: crate::language::ast::MemberName::Name(n, _),
                call: Some(_),
                is_static: true,
            } if matches!(&target.kind, ExprKind::TypeLiteral(t)
                    if super::types::TypeRef::resolve(t).is_ok_and(|ty| super::types::statics::is_void(&ty, n))) =>
            {
                self.eval(expr)?;
                Ok(None)
            }
            ExprKind::IncDec { .. } => {
                // `$i++` as a statement writes nothing.
                self.eval(expr)?;
                Ok(None)
            }
            _ => Ok(Some(self.eval(expr)?)),
        }
    }

    fn throw(&mut self, p: Option<&Pipeline>, statement: &Statement) -> Result<Flow> {
        let value = match p {
            Some(p) => collapse(self.pipeline_values(p)?),
            None => match self.read(&crate::language::ast::VarRef::new("_", crate::language::ast::VarScope::Any)) {
                // `throw` alone inside catch rethrows the error being handled.
                Value::ErrorRecord(rec) => {
                    return Ok(Flow::ScriptStop(Box::new((*rec).clone())));
                }
                _ => Value::Null,
            },
        };
        let mut rec = thrown_record(value);
        rec.span = Some(statement.span);
        Ok(Flow::ScriptStop(Box::new(rec)))
    }
}

/// The error record `throw x` raises: a string or anything else becomes a
/// RuntimeException with that message; an exception keeps its type; an
/// error record is thrown as it is.
pub fn thrown_record(value: Value) -> ErrorRecord {
    use super::errors::Category;
    match value {
        Value::ErrorRecord(rec) => {
            let mut r = (*rec).clone();
            r.thrown = true;
            r
        }
        Value::Exception(e) => {
            let mut r = ErrorRecord::new(e.message.to_string(), Category::OperationStopped, &e.message, e.short_name())
                .unqualified();
            r.exception = Some(e.clone());
            r.thrown = true;
            r
        }
        Value::Null => {
            let mut r =
                ErrorRecord::new("ScriptHalted", Category::OperationStopped, "ScriptHalted", "RuntimeException")
                    .unqualified();
            r.thrown = true;
            r
        }
        other => {
            let message = other.to_text();
            let mut r = ErrorRecord::new(message.clone(), Category::OperationStopped, &message, "RuntimeException")
                .with_target(message.clone(), &other.short_type_name())
                .unqualified();
            r.target_object = Some(Box::new(other));
            r.thrown = true;
            r
        }
    }
}

fn attach_span(f: Flow, expr: &Expr) -> Flow {
    match f {
        Flow::Error(mut rec) => {
            if rec.span.is_none() {
                rec.span = Some(expr.span);
            }
            Flow::Error(rec)
        }
        other => other,
    }
}

/// Writes a value the way a statement's output enters the pipeline:
/// arrays and lists one item at a time.
pub(crate) fn emit_enumerated(cx: &mut Session, v: Value, sink: &mut Sink<'_>) -> Result<()> {
    match v {
        Value::Array(a) => {
            let items = a.snapshot();
            for i in items {
                sink(cx, i)?;
            }
            Ok(())
        }
        other => sink(cx, other),
    }
}
