//! Expression evaluation.

use std::rc::Rc;

use super::errors::{ErrorRecord, Result};
use super::operators::{Arith, arithmetic, compare};
use super::session::Session;
use super::value::Value;
use crate::language::ast::{BinaryOp, Expr, ExprKind, ScriptBlock, Statement, StringPart, UnaryOp};

/// Unwraps a command's output the way an assignment or `(...)` does: no
/// object is $null, one object is itself, several are an array.
pub fn collapse(mut items: Vec<Value>) -> Value {
    match items.len() {
        0 => Value::Null,
        1 => items.pop().unwrap_or(Value::Null),
        _ => Value::Array(items),
    }
}

impl Session {
    pub fn eval(&mut self, expr: &Expr) -> Result<Value> {
        self.eval_inner(expr).map_err(|flow| match flow {
            super::errors::Flow::Error(mut rec) => {
                if rec.span.is_none() {
                    rec.span = Some(expr.span);
                }
                super::errors::Flow::Error(rec)
            }
            other => other,
        })
    }

    fn eval_inner(&mut self, expr: &Expr) -> Result<Value> {
        Ok(match &expr.kind {
            ExprKind::Int(n) => Value::Int(*n),
            ExprKind::Double(f) => Value::Double(*f),
            ExprKind::Str(s) => Value::Str(s.clone()),
            ExprKind::Expandable(parts) => {
                let mut s = String::new();
                for part in parts {
                    match part {
                        StringPart::Text(t) => s.push_str(t),
                        StringPart::Variable(name) => s.push_str(&self.get_var(name).to_text()),
                        StringPart::SubExpr(statements) => {
                            let v = collapse(self.run_nested(statements)?);
                            s.push_str(&v.to_text());
                        }
                    }
                }
                Value::Str(s)
            }
            ExprKind::Variable(name) => self.get_var(name),
            ExprKind::Member { target, name, call } => {
                let target = self.eval(target)?;
                match call {
                    None => target.property(name),
                    Some(args) => {
                        let mut values = Vec::with_capacity(args.len());
                        for a in args {
                            values.push(self.eval(a)?);
                        }
                        call_method(&target, name, &values)?
                    }
                }
            }
            ExprKind::Index { target, index } => {
                let target = self.eval(target)?;
                let index = self.eval(index)?;
                index_value(&target, &index)
            }
            ExprKind::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i)?);
                }
                Value::Array(out)
            }
            ExprKind::ArrayExpr(statements) => Value::Array(self.run_nested(statements)?),
            ExprKind::SubExpr(statements) => collapse(self.run_nested(statements)?),
            ExprKind::Paren(statement) => {
                let out = self.run_nested(std::slice::from_ref(statement.as_ref()))?;
                match statement.as_ref() {
                    // `($x = 5)` shows the value assigned.
                    Statement::Assignment { variable, .. } => self.get_var(variable),
                    _ => collapse(out),
                }
            }
            ExprKind::Hashtable(entries) => {
                let mut table: Vec<(String, Value)> = Vec::with_capacity(entries.len());
                for (k, st) in entries {
                    let v = collapse(self.run_nested(std::slice::from_ref(st))?);
                    match table.iter_mut().find(|(key, _)| key.eq_ignore_ascii_case(k)) {
                        Some(slot) => slot.1 = v,
                        None => table.push((k.clone(), v)),
                    }
                }
                Value::Hashtable(table)
            }
            ExprKind::ScriptBlock(block) => Value::ScriptBlock(Rc::clone(block)),
            ExprKind::Unary(op, inner) => {
                let v = self.eval(inner)?;
                match op {
                    UnaryOp::Not => Value::Bool(!v.is_true()),
                    UnaryOp::Negate => arithmetic(Arith::Multiply, v, Value::Int(-1))?,
                }
            }
            ExprKind::Binary(op, l, r) => match op {
                BinaryOp::And => {
                    let l = self.eval(l)?;
                    Value::Bool(l.is_true() && self.eval(r)?.is_true())
                }
                BinaryOp::Or => {
                    let l = self.eval(l)?;
                    Value::Bool(l.is_true() || self.eval(r)?.is_true())
                }
                BinaryOp::Xor => {
                    let (l, r) = (self.eval(l)?, self.eval(r)?);
                    Value::Bool(l.is_true() != r.is_true())
                }
                BinaryOp::Compare(cmp, cs) => {
                    let (l, r) = (self.eval(l)?, self.eval(r)?);
                    compare(*cmp, &l, &r, *cs)?
                }
                BinaryOp::Add => arithmetic(Arith::Add, self.eval(l)?, self.eval(r)?)?,
                BinaryOp::Subtract => arithmetic(Arith::Subtract, self.eval(l)?, self.eval(r)?)?,
                BinaryOp::Multiply => arithmetic(Arith::Multiply, self.eval(l)?, self.eval(r)?)?,
                BinaryOp::Divide => arithmetic(Arith::Divide, self.eval(l)?, self.eval(r)?)?,
                BinaryOp::Modulo => arithmetic(Arith::Modulo, self.eval(l)?, self.eval(r)?)?,
            },
        })
    }

    /// Runs a script block with `$_` set to `input`; returns its output.
    pub fn invoke_block(&mut self, block: &ScriptBlock, input: Option<&Value>) -> Result<Vec<Value>> {
        let saved = self.take_var("_");
        if let Some(v) = input {
            let _ = self.set_var("_", v.clone());
        }
        let result = self.run_nested(&block.statements);
        self.restore_var("_", saved);
        result
    }
}

fn index_value(target: &Value, index: &Value) -> Value {
    match (target, index) {
        (Value::Array(items), Value::Int(i)) => {
            let len = items.len() as i64;
            let i = if *i < 0 { len + i } else { *i };
            if (0..len).contains(&i) { items[i as usize].clone() } else { Value::Null }
        }
        (Value::Array(items), Value::Array(indexes)) => {
            Value::Array(indexes.iter().map(|ix| index_value(&Value::Array(items.clone()), ix)).collect())
        }
        (Value::Hashtable(_), key) => target.property(&key.to_text()),
        (Value::Str(s), Value::Int(i)) => {
            let chars: Vec<char> = s.chars().collect();
            let len = chars.len() as i64;
            let i = if *i < 0 { len + i } else { *i };
            if (0..len).contains(&i) { Value::str(chars[i as usize].to_string()) } else { Value::Null }
        }
        (Value::Null, _) => Value::Null,
        (other, Value::Int(0)) => other.clone(),
        _ => Value::Null,
    }
}

/// The handful of .NET methods admins use in one-liners.
fn call_method(target: &Value, name: &str, args: &[Value]) -> Result<Value> {
    let arg = |i: usize| args.get(i).map(|v| v.to_text()).unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    if let Value::Str(s) = target {
        let v = match lower.as_str() {
            "toupper" => Value::Str(s.to_uppercase()),
            "tolower" => Value::Str(s.to_lowercase()),
            "trim" => Value::str(s.trim()),
            "trimstart" => Value::str(s.trim_start()),
            "trimend" => Value::str(s.trim_end()),
            "contains" => Value::Bool(s.contains(&arg(0))),
            "startswith" => Value::Bool(s.starts_with(&arg(0))),
            "endswith" => Value::Bool(s.ends_with(&arg(0))),
            "replace" => Value::Str(s.replace(&arg(0), &arg(1))),
            "split" => {
                let sep = arg(0);
                let parts: Vec<Value> = if sep.is_empty() {
                    s.split_whitespace().map(Value::str).collect()
                } else {
                    s.split(|c| sep.contains(c)).map(Value::str).collect()
                };
                Value::Array(parts)
            }
            "substring" => {
                let chars: Vec<char> = s.chars().collect();
                let start = match args.first() {
                    Some(Value::Int(n)) => (*n).clamp(0, chars.len() as i64) as usize,
                    _ => 0,
                };
                let len = match args.get(1) {
                    Some(Value::Int(n)) => (*n).max(0) as usize,
                    _ => chars.len() - start,
                };
                Value::Str(chars[start..(start + len).min(chars.len())].iter().collect())
            }
            "indexof" => Value::Int(s.find(&arg(0)).map(|i| s[..i].chars().count() as i64).unwrap_or(-1)),
            "tostring" => Value::Str(s.clone()),
            "equals" => Value::Bool(s == &arg(0)),
            _ => return Err(no_method(target, name)),
        };
        return Ok(v);
    }
    match lower.as_str() {
        "tostring" => Ok(Value::Str(target.to_text())),
        "equals" => Ok(Value::Bool(target.to_text() == arg(0))),
        "gettype" => Ok(Value::Str(target.type_name())),
        "contains" => {
            Ok(Value::Bool(target.clone().into_items().iter().any(|v| v.to_text().eq_ignore_ascii_case(&arg(0)))))
        }
        _ => Err(no_method(target, name)),
    }
}

fn no_method(target: &Value, name: &str) -> super::errors::Flow {
    ErrorRecord::invalid_operation(
        format!("Method invocation failed because [{}] does not contain a method named '{name}'.", target.type_name()),
        "MethodNotFound",
    )
    .into()
}
