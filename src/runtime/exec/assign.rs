//! Assignment: `=`, the compound operators, several targets at once,
//! typed variables, and properties and items as targets.

use super::super::errors::{Category, ErrorRecord, Result};
use super::super::eval::{collapse, runtime_error};
use super::super::ops::{Arith, arithmetic};
use super::super::session::Session;
use super::super::types::TypeRef;
use super::super::value::Value;
use crate::language::ast::{AssignOp, Assignment, Expr, ExprKind, MemberName, Span, StatementKind, TypeName};

impl Session {
    pub(crate) fn exec_assignment(&mut self, a: &Assignment, span: Span) -> Result<()> {
        let value = self.assignment_value(&a.value)?;
        if a.targets.len() > 1 {
            // `$a, $b = 1, 2, 3`: the last target takes the rest.
            let mut items = value.into_items();
            let n = a.targets.len();
            for (i, t) in a.targets.iter().enumerate() {
                let v = if i + 1 == n {
                    collapse(std::mem::take(&mut items))
                } else if items.is_empty() {
                    Value::Null
                } else {
                    items.remove(0)
                };
                self.assign_target(t, v)?;
            }
            return Ok(());
        }
        let Some(t) = a.targets.first() else { return Ok(()) };
        let value = match a.op {
            AssignOp::Set => value,
            op => {
                let current = self.eval(&t.target)?;
                let arith = match op {
                    AssignOp::Add => Arith::Add,
                    AssignOp::Subtract => Arith::Subtract,
                    AssignOp::Multiply => Arith::Multiply,
                    AssignOp::Divide => Arith::Divide,
                    _ => Arith::Modulo,
                };
                // `$list += $x` on an object[] that only the variable holds
                // grows it in place: nobody else can see the difference, and
                // a loop of `+=` stays linear.
                if arith == Arith::Add
                    && t.types.is_empty()
                    && let (ExprKind::Variable(var), Value::Array(arr)) = (&t.target.kind, &current)
                    && arr.kind == super::super::value::ArrayKind::Object
                    && var.scope == crate::language::ast::VarScope::Any
                    && self.scopes.local(self.scopes.current(), &var.key).is_some()
                {
                    let arr = arr.clone();
                    drop(current);
                    if std::rc::Rc::strong_count(&arr) == 2 {
                        match value {
                            Value::Array(other) => {
                                let more = other.snapshot();
                                arr.items_mut().extend(more);
                            }
                            single => arr.items_mut().push(single),
                        }
                        return Ok(());
                    }
                    arithmetic(arith, Value::Array(arr), value).map_err(|e| e.at_span(span))?
                } else {
                    arithmetic(arith, current, value).map_err(|e| e.at_span(span))?
                }
            }
        };
        self.assign_target(t, value)
    }

    /// The value of an assignment's right side: an expression's value as it
    /// is (`$a = 1, 2` is the array), a command's output collapsed.
    fn assignment_value(&mut self, st: &crate::language::ast::Statement) -> Result<Value> {
        if let StatementKind::Pipeline(p) = &st.kind
            && let [crate::language::ast::PipelineElement::Expression { expr, redirections }] = p.elements.as_slice()
            && redirections.is_empty()
        {
            // `$x = $list.Clear()` assigns $null; the value is never enumerated.
            if let ExprKind::IncDec { .. } = expr.kind {
                return self.eval(expr);
            }
            return Ok(self.eval_for_output(expr)?.unwrap_or(Value::Null));
        }
        if let StatementKind::Assignment(inner) = &st.kind {
            // `$a = $b = 5`
            self.exec_assignment(inner, st.span)?;
            let targets: Vec<Value> = inner.targets.iter().map(|t| self.eval(&t.target)).collect::<Result<Vec<_>>>()?;
            return Ok(collapse(targets));
        }
        self.statement_value(st)
    }

    /// An assignment's target: with validation attributes, the variable
    /// keeps them (and the value must pass them now and later).
    fn assign_target(&mut self, t: &crate::language::ast::AssignTarget, value: Value) -> Result<()> {
        if t.attributes.is_empty() {
            return self.assign_to(&t.target, value, &t.types);
        }
        let ExprKind::Variable(var) = &t.target.kind else { return self.assign_to(&t.target, value, &t.types) };
        let mut validators = Vec::new();
        for a in &t.attributes {
            match super::super::functions::validator_of(self, a)? {
                Some(v) => validators.push(v),
                None if a.is("AllowNull") || a.is("AllowEmptyString") || a.is("AllowEmptyCollection") => {}
                None => return Err(super::super::functions::unknown_attribute(a)),
            }
        }
        let validators: std::rc::Rc<[super::super::signature::Validator]> = validators.into();
        // Checked on the value as it will be stored (after the types'
        // conversion), before anything is stored.
        let mut converted = value.clone();
        for ty in t.types.iter().rev() {
            let r = TypeRef::resolve(ty).map_err(|e| e.at(ty.span))?;
            converted = super::super::session::convert_for_variable(converted, &r)?;
        }
        self.check_variable(&var.name, &validators, &converted).map_err(|e| e.at(t.target.span))?;
        self.assign_to(&t.target, value, &t.types)?;
        self.set_validators(var, validators);
        Ok(())
    }

    /// Stores `value` into a variable, property or item.
    pub(crate) fn assign_to(&mut self, target: &Expr, value: Value, types: &[TypeName]) -> Result<()> {
        match &target.kind {
            ExprKind::Variable(v) => {
                let mut constraint = None;
                let mut value = value;
                // `[string][int]$x = ...`: the innermost type is the constraint.
                for t in types.iter().rev() {
                    let r = TypeRef::resolve(t).map_err(|e| e.at(t.span))?;
                    value = super::super::session::convert_for_variable(value, &r)?;
                    constraint = Some(r);
                }
                self.assign(v, value, constraint).map_err(|e| e.at(target.span).into())
            }
            ExprKind::Member { target: obj, name, call: None, is_static: false } => {
                let o = self.eval(obj)?;
                let name = match name {
                    MemberName::Name(n, _) => n.to_string(),
                    MemberName::Dynamic(e) => self.eval(e)?.to_text(),
                };
                super::super::members::set(&o, &name, value).map_err(|e| e.at(target.span).into())
            }
            ExprKind::Index { target: obj, index } => {
                let o = self.eval(obj)?;
                let i = self.eval(index)?;
                super::super::members::set_index(&o, &i, value).map_err(|e| e.at(target.span).into())
            }
            _ => Err(runtime_error(
                "The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.",
                "InvalidLeftHandSide",
                Category::ParserError,
            )
            .at(target.span)
            .into()),
        }
    }
}

impl ErrorRecord {
    /// Points the error at `span` unless it already points somewhere.
    pub fn at_span(self, span: Span) -> ErrorRecord {
        self.at(span)
    }
}
