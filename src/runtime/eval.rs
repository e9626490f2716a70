//! Expression evaluation.

use std::rc::Rc;

use super::errors::{Category, ErrorRecord, Flow, Result};
use super::ops::{self, Arith, arithmetic, bitwise, compare, regex_ops};
use super::session::Session;
use super::types::{TypeRef, cast};
use super::value::{Table, Value, custom_object};
use crate::language::ast::{
    BinaryOp, Case, CompareOp, Expr, ExprKind, MemberName, Number, StatementKind, StringPart, UnaryOp, VarScope,
};

/// Unwraps a command's output the way an assignment or `$(...)` does: no
/// object is $null, one object is itself, several are an array.
pub fn collapse(mut items: Vec<Value>) -> Value {
    match items.len() {
        0 => Value::Null,
        1 => items.pop().unwrap_or(Value::Null),
        _ => Value::array(items),
    }
}

pub fn number(n: Number) -> Value {
    match n {
        Number::Int(i) => Value::Int(i),
        Number::Long(l) => Value::Long(l),
        Number::Double(f) => Value::Double(f),
        Number::Decimal(m, s) => Value::Decimal(super::value::Decimal::from_i128_with_scale(m, s)),
    }
}

/// A runtime error with PowerShell's RuntimeException shape.
pub fn runtime_error(message: impl Into<String>, error_id: &str, category: Category) -> ErrorRecord {
    ErrorRecord::new(message, category, error_id, "RuntimeException").unqualified()
}

impl Session {
    pub fn eval(&mut self, expr: &Expr) -> Result<Value> {
        // The leaves every loop and call evaluates, without entering the
        // large function that evaluates everything else (its set-up alone
        // costs more than reading a variable).
        let result = match &expr.kind {
            ExprKind::Number(n) => return Ok(number(*n)),
            ExprKind::Variable(v) => return Ok(self.read(v)),
            ExprKind::Binary { first, rest } => self.binary_chain(first, rest),
            ExprKind::IncDec { target, increment, prefix } => self.inc_dec(target, *increment, *prefix),
            _ => self.eval_inner(expr),
        };
        result.map_err(|flow| match flow {
            Flow::Error(mut rec) => {
                if rec.span.is_none() {
                    rec.span = Some(expr.span);
                }
                Flow::Error(rec)
            }
            other => other,
        })
    }

    /// Every other kind of expression. Numbers, variables, binary operators
    /// and increments are taken by `eval` before it comes here; their arms
    /// stay so the match is whole.
    #[inline(never)]
    fn eval_inner(&mut self, expr: &Expr) -> Result<Value> {
        Ok(match &expr.kind {
            ExprKind::Number(n) => number(*n),
            ExprKind::Str(s) => Value::Str(s.clone()),
            ExprKind::Expandable(parts) => Value::str(self.expand(parts)?),
            ExprKind::Variable(v) => self.read(v),
            ExprKind::Member { target, name, call, is_static } => {
                let name = self.member_name(name)?;
                if *is_static {
                    let ty = self.static_target(target)?;
                    return match call {
                        None => super::types::statics::get(self, &ty, &name),
                        Some(args) => {
                            let values = self.eval_args(args)?;
                            let r = super::types::statics::call(self, &ty, &name, values.clone());
                            self.write_back_refs(args, &values)?;
                            r
                        }
                    };
                }
                let target = self.eval(target)?;
                match call {
                    None => super::members::get(self, &target, &name)?,
                    Some(args) => {
                        let values = self.eval_args(args)?;
                        let r = super::members::call(self, &target, &name, values.clone());
                        self.write_back_refs(args, &values)?;
                        r?.unwrap_or(Value::Null)
                    }
                }
            }
            ExprKind::Index { target, index } => {
                let target = self.eval(target)?;
                let index = self.eval(index)?;
                super::members::index(&target, &index)?
            }
            ExprKind::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i)?);
                }
                Value::array(out)
            }
            ExprKind::ArrayExpr(statements) => Value::array(self.run_nested(statements)?),
            ExprKind::SubExpr(statements) => collapse(self.run_nested(statements)?),
            ExprKind::Paren(statement) => self.paren(statement)?,
            ExprKind::Hashtable(entries) => self.hashtable(entries, false)?,
            ExprKind::ScriptBlock(block) => Value::ScriptBlock(Rc::clone(block)),
            ExprKind::TypeLiteral(t) => {
                let r = TypeRef::resolve(t)?;
                Value::Type(Rc::from(r.full_name().as_str()))
            }
            ExprKind::Cast(t, inner) => self.cast_expr(t, inner)?,
            ExprKind::Attributed(a, _) => {
                return Err(runtime_error(
                    format!("Unexpected attribute '{}'.", a.name),
                    "UnexpectedAttribute",
                    Category::ParserError,
                )
                .at(a.span)
                .into());
            }
            ExprKind::Unary(op, inner) => self.unary(*op, inner)?,
            ExprKind::Binary { first, rest } => self.binary_chain(first, rest)?,
            ExprKind::IncDec { target, increment, prefix } => self.inc_dec(target, *increment, *prefix)?,
        })
    }

    fn paren(&mut self, statement: &crate::language::ast::Statement) -> Result<Value> {
        match &statement.kind {
            // `(expr)` evaluates the expression: no enumeration, so `(,1)`
            // stays an array.
            StatementKind::Pipeline(p) if p.elements.len() == 1 => {
                if let crate::language::ast::PipelineElement::Expression { expr, redirections } = &p.elements[0]
                    && redirections.is_empty()
                {
                    return self.eval(expr);
                }
                Ok(collapse(self.run_nested(std::slice::from_ref(statement))?))
            }
            // `($x = 5)` shows the value assigned.
            StatementKind::Assignment(a) => {
                self.run_nested(std::slice::from_ref(statement))?;
                let values: Vec<Value> = a.targets.iter().map(|t| self.eval(&t.target)).collect::<Result<Vec<_>>>()?;
                Ok(collapse(values))
            }
            _ => Ok(collapse(self.run_nested(std::slice::from_ref(statement))?)),
        }
    }

    /// `[ref]$n` passed to a method: what the method wrote goes back into
    /// the variable when the call returns.
    pub(crate) fn write_back_refs(&mut self, args: &[Expr], values: &[Value]) -> Result<()> {
        for (e, v) in args.iter().zip(values) {
            if let (ExprKind::Cast(t, inner), Value::Ref(cell)) = (&e.kind, v)
                && t.name.eq_ignore_ascii_case("ref")
            {
                let value = cell.borrow().clone();
                self.assign_to(inner, value, &[])?;
            }
        }
        Ok(())
    }

    pub(crate) fn eval_args(&mut self, args: &[Expr]) -> Result<Vec<Value>> {
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(self.eval(a)?);
        }
        Ok(values)
    }

    fn member_name(&mut self, name: &MemberName) -> Result<Rc<str>> {
        Ok(match name {
            MemberName::Name(n, _) => n.clone(),
            MemberName::Dynamic(e) => Rc::from(self.eval(e)?.to_text().as_str()),
        })
    }

    /// The type left of `::`: a type literal, or a value holding a type.
    fn static_target(&mut self, target: &Expr) -> Result<TypeRef> {
        if let ExprKind::TypeLiteral(t) = &target.kind {
            return Ok(TypeRef::resolve(t).map_err(|e| e.at(target.span))?);
        }
        match self.eval(target)? {
            Value::Type(name) => type_by_name(&name).ok_or_else(|| super::types::not_found(&name).into()),
            other => Err(runtime_error(
                format!("Unable to find type [{}].", other.to_text()),
                "TypeNotFound",
                Category::InvalidOperation,
            )
            .into()),
        }
    }

    /// `"text $var $(expr)"`
    pub(crate) fn expand(&mut self, parts: &[StringPart]) -> Result<String> {
        let mut s = String::new();
        for part in parts {
            match part {
                StringPart::Text(t) => s.push_str(t),
                StringPart::Variable(v, _) => {
                    let value = self.read(v);
                    s.push_str(&self.text_of(&value));
                }
                StringPart::SubExpr(statements) => {
                    let v = collapse(self.run_nested(statements)?);
                    s.push_str(&self.text_of(&v));
                }
            }
        }
        Ok(s)
    }

    /// A value in a string: arrays joined by `$OFS` (a space by default).
    pub fn text_of(&self, v: &Value) -> String {
        match v {
            Value::Array(a) => {
                let ofs = self.get_var("OFS");
                let sep = if ofs.is_null() { " ".to_string() } else { ofs.to_text() };
                a.items().iter().map(|i| self.text_of(i)).collect::<Vec<_>>().join(&sep)
            }
            other => other.to_text(),
        }
    }

    fn hashtable(&mut self, entries: &[(Expr, crate::language::ast::Statement)], ordered: bool) -> Result<Value> {
        let table = Table::new(ordered);
        for (k, st) in entries {
            let key = self.eval(k)?;
            if table.contains(&key) {
                return Err(runtime_error(
                    format!("Duplicate keys '{}' are not allowed in hash literals.", key.to_text()),
                    "DuplicateKeyInHashLiteral",
                    Category::ParserError,
                )
                .at(k.span)
                .into());
            }
            let v = match &st.kind {
                StatementKind::Pipeline(p) if p.elements.len() == 1 => match &p.elements[0] {
                    crate::language::ast::PipelineElement::Expression { expr, redirections }
                        if redirections.is_empty() =>
                    {
                        self.eval(expr)?
                    }
                    _ => collapse(self.run_nested(std::slice::from_ref(st))?),
                },
                _ => collapse(self.run_nested(std::slice::from_ref(st))?),
            };
            table.insert(key, v);
        }
        Ok(Value::Hashtable(Rc::new(table)))
    }

    fn cast_expr(&mut self, t: &crate::language::ast::TypeName, inner: &Expr) -> Result<Value> {
        let ty = TypeRef::resolve(t).map_err(|e| e.at(t.span))?;
        match (&ty, &inner.kind) {
            (TypeRef::Ordered, ExprKind::Hashtable(entries)) => return self.hashtable(entries, true),
            (TypeRef::Ordered, _) => {
                return Err(runtime_error(
                    "The ordered attribute can be specified only on a hash literal node.",
                    "OrderedAttributeOnlyOnHashLiteralNode",
                    Category::ParserError,
                )
                .at(t.span)
                .into());
            }
            (TypeRef::Ref, ExprKind::Variable(var)) => {
                if let Some(cell) = self.variable_reference(var) {
                    return Ok(Value::Ref(cell));
                }
            }
            (TypeRef::PSCustomObject, ExprKind::Hashtable(entries)) => {
                let Value::Hashtable(table) = self.hashtable(entries, true)? else { return Ok(Value::Null) };
                let props = table.entries().into_iter().map(|(k, v)| (k.to_text(), v)).collect();
                return Ok(custom_object(props));
            }
            _ => {}
        }
        let v = self.eval(inner)?;
        if ty == TypeRef::String
            && let Value::Array(_) = v
        {
            // `[string]$array` joins with $OFS.
            return Ok(Value::str(self.text_of(&v)));
        }
        cast(v, &ty).map_err(|e| {
            let v_span = t.span.to(inner.span);
            Flow::from(
                ErrorRecord::new(e.message, Category::InvalidArgument, e.error_id, "RuntimeException")
                    .unqualified()
                    .at(v_span),
            )
        })
    }

    fn unary(&mut self, op: UnaryOp, inner: &Expr) -> Result<Value> {
        let v = self.eval(inner)?;
        Ok(match op {
            UnaryOp::Not => Value::Bool(!v.is_true()),
            UnaryOp::Negate => match v {
                Value::Int(n) => n.checked_neg().map(Value::Int).unwrap_or(Value::Double(-(n as f64))),
                Value::Long(n) => n.checked_neg().map(Value::Long).unwrap_or(Value::Double(-(n as f64))),
                Value::Double(f) => Value::Double(-f),
                Value::Decimal(d) => Value::Decimal(-d),
                Value::TimeSpan(t) => Value::TimeSpan(-t),
                other => arithmetic(Arith::Subtract, Value::Int(0), other)?,
            },
            UnaryOp::Plus => match v {
                Value::Str(_) => arithmetic(Arith::Add, Value::Int(0), v)?,
                other => other,
            },
            UnaryOp::BitNot => bitwise::bit_not(&v)?,
            UnaryOp::Comma => Value::array(vec![v]),
            UnaryOp::Split => {
                let pieces: Vec<Value> = v
                    .into_items()
                    .iter()
                    .flat_map(|i| i.to_text().split_whitespace().map(Value::str).collect::<Vec<_>>())
                    .collect();
                string_array(pieces)
            }
            UnaryOp::Join => ops::join(&v, ""),
        })
    }

    #[inline(never)]
    fn binary_chain(&mut self, first: &Expr, rest: &[(BinaryOp, Expr)]) -> Result<Value> {
        let mut acc = self.eval(first)?;
        let mut left_span = first.span;
        for (op, rhs) in rest {
            let span = left_span.to(rhs.span);
            acc = match op {
                BinaryOp::And => {
                    if !acc.is_true() {
                        Value::Bool(false)
                    } else {
                        Value::Bool(self.eval(rhs)?.is_true())
                    }
                }
                BinaryOp::Or => {
                    if acc.is_true() {
                        Value::Bool(true)
                    } else {
                        Value::Bool(self.eval(rhs)?.is_true())
                    }
                }
                op => {
                    let r = self.eval(rhs)?;
                    if let (Value::Int(a), Value::Int(b)) = (&acc, &r)
                        && let Some(v) = int_binary(*op, *a, *b)
                    {
                        acc = v;
                        left_span = span;
                        continue;
                    }
                    self.binary(*op, acc, r, rhs).map_err(|f| match f {
                        Flow::Error(mut rec) => {
                            if rec.span.is_none() {
                                rec.span = Some(span);
                            }
                            Flow::Error(rec)
                        }
                        other => other,
                    })?
                }
            };
            left_span = span;
        }
        Ok(acc)
    }

    /// One binary operator on evaluated operands.
    #[inline(never)]
    pub(crate) fn binary(&mut self, op: BinaryOp, l: Value, r: Value, rhs: &Expr) -> Result<Value> {
        if let (Value::Int(a), Value::Int(b)) = (&l, &r)
            && let Some(v) = int_binary(op, *a, *b)
        {
            return Ok(v);
        }
        Ok(match op {
            BinaryOp::And => Value::Bool(l.is_true() && r.is_true()),
            BinaryOp::Or => Value::Bool(l.is_true() || r.is_true()),
            BinaryOp::Xor => Value::Bool(l.is_true() != r.is_true()),
            BinaryOp::Add => arithmetic(Arith::Add, l, r)?,
            BinaryOp::Subtract => arithmetic(Arith::Subtract, l, r)?,
            BinaryOp::Multiply => arithmetic(Arith::Multiply, l, r)?,
            BinaryOp::Divide => arithmetic(Arith::Divide, l, r)?,
            BinaryOp::Modulo => arithmetic(Arith::Modulo, l, r)?,
            BinaryOp::BitAnd => bitwise::bitwise(bitwise::Bitwise::And, &l, &r)?,
            BinaryOp::BitOr => bitwise::bitwise(bitwise::Bitwise::Or, &l, &r)?,
            BinaryOp::BitXor => bitwise::bitwise(bitwise::Bitwise::Xor, &l, &r)?,
            BinaryOp::ShiftLeft => bitwise::bitwise(bitwise::Bitwise::ShiftLeft, &l, &r)?,
            BinaryOp::ShiftRight => bitwise::bitwise(bitwise::Bitwise::ShiftRight, &l, &r)?,
            BinaryOp::Range => ops::range(&l, &r)?,
            BinaryOp::Format => {
                let args = match r {
                    Value::Array(a) => a.snapshot(),
                    other => vec![other],
                };
                Value::str(ops::format::format_operator(&l.to_text(), &args)?)
            }
            BinaryOp::Join => ops::join(&l, &r.to_text()),
            BinaryOp::Compare(CompareOp::Match, case) | BinaryOp::Compare(CompareOp::NotMatch, case) => {
                let negate = matches!(op, BinaryOp::Compare(CompareOp::NotMatch, _));
                self.match_op(l, &r, case, negate)?
            }
            BinaryOp::Compare(cmp, case) => compare(cmp, &l, &r, case.sensitive())?,
            BinaryOp::Replace(case) => self.replace_op(l, r, case)?,
            BinaryOp::Split(case) => self.split_op(l, r, case)?,
            BinaryOp::Is | BinaryOp::IsNot => {
                let ty = self.type_operand(&r, rhs)?;
                let is = ty.is_instance(&l);
                Value::Bool(is == (op == BinaryOp::Is))
            }
            BinaryOp::As => {
                let ty = self.type_operand(&r, rhs)?;
                cast(l, &ty).unwrap_or(Value::Null)
            }
        })
    }

    fn type_operand(&mut self, r: &Value, rhs: &Expr) -> Result<TypeRef> {
        match r {
            Value::Type(name) => type_by_name(name).ok_or_else(|| super::types::not_found(name).at(rhs.span).into()),
            other => {
                let text = other.to_text();
                type_by_name(&text).ok_or_else(|| super::types::not_found(&text).at(rhs.span).into())
            }
        }
    }

    /// `-match`: on a scalar sets `$Matches` when it matches; on a
    /// collection returns the matching items and leaves `$Matches`.
    fn match_op(&mut self, l: Value, r: &Value, case: Case, negate: bool) -> Result<Value> {
        let re = regex_ops::compile(&r.to_text(), !case.sensitive())?;
        if let Value::Array(a) = &l {
            let kept: Vec<Value> = a.snapshot().into_iter().filter(|i| re.is_match(&i.to_text()) != negate).collect();
            return Ok(Value::array(kept));
        }
        let text = l.to_text();
        match re.captures(&text) {
            Some(caps) => {
                let table = regex_ops::matches_table(&re, &caps);
                self.set_local("matches", table);
                Ok(Value::Bool(!negate))
            }
            None => Ok(Value::Bool(negate)),
        }
    }

    fn replace_op(&mut self, l: Value, r: Value, case: Case) -> Result<Value> {
        let (pattern, replacement) = match &r {
            Value::Array(a) => {
                let items = a.snapshot();
                if items.len() > 2 {
                    return Err(runtime_error(
                        format!("The -replace operator allows only two elements to follow it, not {}.", items.len()),
                        "BadReplaceArgument",
                        Category::InvalidOperation,
                    )
                    .into());
                }
                (
                    items.first().map(Value::to_text).unwrap_or_default(),
                    items.get(1).map(Value::to_text).unwrap_or_default(),
                )
            }
            other => (other.to_text(), String::new()),
        };
        let re = regex_ops::compile(&pattern, !case.sensitive())?;
        Ok(match l {
            Value::Array(a) => Value::array(
                a.snapshot().iter().map(|i| Value::str(regex_ops::replace(&i.to_text(), &re, &replacement))).collect(),
            ),
            other => Value::str(regex_ops::replace(&other.to_text(), &re, &replacement)),
        })
    }

    /// `-split pattern[, max[, options]]`, or a script block deciding each
    /// character.
    fn split_op(&mut self, l: Value, r: Value, case: Case) -> Result<Value> {
        let parts = match &r {
            Value::Array(a) => a.snapshot(),
            other => vec![other.clone()],
        };
        let delim = parts.first().cloned().unwrap_or(Value::str(" "));
        let max = match parts.get(1) {
            Some(v) => match cast(v.clone(), &TypeRef::Int) {
                Ok(Value::Int(n)) if n >= 0 => n as usize,
                _ => 0,
            },
            None => 0,
        };
        let options = parts.get(2).map(|o| o.to_text().to_lowercase()).unwrap_or_default();
        let simple = options.contains("simplematch");
        let ignore_case = !case.sensitive() && !options.contains("ignorecase") || options.contains("ignorecase");
        let mut out = Vec::new();
        for item in l.into_items() {
            let text = item.to_text();
            let pieces = match &delim {
                Value::ScriptBlock(b) => {
                    let b = b.clone();
                    let mut pieces = vec![String::new()];
                    for c in text.chars() {
                        let hit = collapse(self.invoke_block(&b, Some(&Value::Char(c)))?).is_true();
                        if hit && (max == 0 || pieces.len() < max) {
                            pieces.push(String::new());
                        } else if let Some(last) = pieces.last_mut() {
                            last.push(c);
                        }
                    }
                    pieces
                }
                d if simple => regex_ops::split_literal(&text, &d.to_text(), max, ignore_case),
                d => {
                    let re = regex_ops::compile_with(&d.to_text(), ignore_case, &options)?;
                    regex_ops::split(&text, &re, max)
                }
            };
            out.extend(pieces.into_iter().map(Value::str));
        }
        Ok(string_array(out))
    }

    /// `++$x`, `$x--`: the new (prefix) or old (postfix) value.
    #[inline(never)]
    fn inc_dec(&mut self, target: &Expr, increment: bool, prefix: bool) -> Result<Value> {
        if !matches!(target.kind, ExprKind::Variable(_) | ExprKind::Member { call: None, .. } | ExprKind::Index { .. })
        {
            let op = if increment { "++" } else { "--" };
            return Err(runtime_error(
                format!("The '{op}' operator works only on variables or on properties."),
                "OperatorRequiresVariableOrProperty",
                Category::InvalidOperation,
            )
            .into());
        }
        // `$i++` on an `[int]` of this scope: changed where it stands, one
        // lookup instead of a read and an assignment (which would write this
        // scope too).
        if let ExprKind::Variable(v) = &target.kind
            && !v.automatic
            && v.scope == VarScope::Any
            && let Some(n) = self.scopes.here_mut(&v.key).and_then(|var| var.plain_int_mut())
            && let Some(next) = n.checked_add(if increment { 1 } else { -1 })
        {
            let old = std::mem::replace(n, next);
            return Ok(Value::Int(if prefix { next } else { old }));
        }
        let old = self.eval(target)?;
        let one = Value::Int(1);
        let new = match &old {
            Value::Int(n) => n
                .checked_add(if increment { 1 } else { -1 })
                .map(Value::Int)
                .unwrap_or_else(|| Value::Double(*n as f64 + if increment { 1.0 } else { -1.0 })),
            Value::Null => Value::Int(if increment { 1 } else { -1 }),
            other => {
                let op = if increment { Arith::Add } else { Arith::Subtract };
                arithmetic(op, other.clone(), one)?
            }
        };
        self.assign_to(target, new.clone(), &[])?;
        Ok(if prefix { new } else { old })
    }
}

/// A string[] (what -split returns).
fn string_array(items: Vec<Value>) -> Value {
    Value::Array(Rc::new(super::value::Array::new(items, super::value::ArrayKind::Typed("System.String".into()))))
}

/// A type by its full or accelerator name (for `-is`, `-as`, `$t::Member`).
pub fn type_by_name(name: &str) -> Option<TypeRef> {
    let trimmed = name.trim();
    let text = match trimmed.strip_prefix('[') {
        Some(inner) => inner.strip_suffix(']').unwrap_or(inner),
        None => trimmed,
    };
    let (base, ranks) = match text.strip_suffix("[]") {
        Some(b) => (b, vec![1u8]),
        None => (text, vec![]),
    };
    let tn = crate::language::ast::TypeName {
        name: base.to_string(),
        generic_args: vec![],
        array_ranks: ranks,
        span: Default::default(),
        namespaces: None,
    };
    TypeRef::resolve(&tn).ok().or_else(|| {
        // A generic List's full name (`System.Collections.Generic.List`1[[System.String]]`).
        let inner = text.strip_prefix("System.Collections.Generic.List`1[[")?.strip_suffix("]]")?;
        Some(TypeRef::List(Box::new(type_by_name(inner)?)))
    })
}

/// Two `[int]`s under the operators loops use most, without the general
/// path's conversions: the same answers, since an int needs none. `None`
/// (overflow, division, anything else) takes the general path, which
/// widens as PowerShell does.
fn int_binary(op: BinaryOp, a: i32, b: i32) -> Option<Value> {
    use std::cmp::Ordering;
    let ordered = |want: fn(Ordering) -> bool| Some(Value::Bool(want(a.cmp(&b))));
    match op {
        BinaryOp::Add => a.checked_add(b).map(Value::Int),
        BinaryOp::Subtract => a.checked_sub(b).map(Value::Int),
        BinaryOp::Multiply => a.checked_mul(b).map(Value::Int),
        BinaryOp::Compare(CompareOp::Eq, _) => ordered(Ordering::is_eq),
        BinaryOp::Compare(CompareOp::Ne, _) => ordered(Ordering::is_ne),
        BinaryOp::Compare(CompareOp::Lt, _) => ordered(Ordering::is_lt),
        BinaryOp::Compare(CompareOp::Le, _) => ordered(Ordering::is_le),
        BinaryOp::Compare(CompareOp::Gt, _) => ordered(Ordering::is_gt),
        BinaryOp::Compare(CompareOp::Ge, _) => ordered(Ordering::is_ge),
        _ => None,
    }
}
