//! Arithmetic as PowerShell does it: the left operand decides (a string
//! concatenates, an array appends, a hashtable merges), numbers widen
//! (Int32, Int64, Double; Decimal wins), integer overflow gives a Double,
//! integer division gives a Double when it is not exact.

use std::rc::Rc;

use super::super::errors::{Category, ErrorRecord};
use super::super::types::{TypeRef, cast, decimal_from_f64, parse_double, parse_integer};
use super::super::value::{Array, ArrayKind, DateTime, Decimal, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

impl Arith {
    fn method(self) -> &'static str {
        match self {
            Arith::Add => "op_Addition",
            Arith::Subtract => "op_Subtraction",
            Arith::Multiply => "op_Multiply",
            Arith::Divide => "op_Division",
            Arith::Modulo => "op_Modulus",
        }
    }
}

/// A number in the widening order PowerShell uses.
#[derive(Debug, Clone, Copy)]
pub enum Num {
    Int(i64),
    /// An Int64 operand (keeps the result Int64 even when small).
    Long(i64),
    Double(f64),
    Decimal(Decimal),
}

impl Num {
    pub fn of(v: &Value) -> Option<Num> {
        Some(match v {
            Value::Int(n) => Num::Int(*n as i64),
            Value::Byte(n) => Num::Int(*n as i64),
            Value::Bool(b) | Value::Switch(b) => Num::Int(*b as i64),
            Value::Char(c) => Num::Int(*c as i64),
            Value::Long(n) => Num::Long(*n),
            Value::Bytes(n) => Num::Long(*n as i64),
            Value::Double(f) => Num::Double(*f),
            Value::Decimal(d) => Num::Decimal(*d),
            Value::Enum(_, i) => Num::Int(*i as i64),
            Value::Null => Num::Int(0),
            _ => return None,
        })
    }

    /// A string operand as a number: an integer if it is one, else a double.
    fn parse(s: &str) -> Option<Num> {
        if let Some(n) = parse_integer(s) {
            return Some(match i64::try_from(n) {
                Ok(n) if i32::try_from(n).is_ok() => Num::Int(n),
                Ok(n) => Num::Long(n),
                Err(_) => Num::Double(n as f64),
            });
        }
        if let Ok(d) = s.trim().parse::<Decimal>()
            && s.trim().ends_with(['d', 'D'])
        {
            return Some(Num::Decimal(d));
        }
        parse_double(s).map(Num::Double)
    }

    fn as_f64(self) -> f64 {
        match self {
            Num::Int(n) | Num::Long(n) => n as f64,
            Num::Double(f) => f,
            Num::Decimal(d) => d.to_string().parse().unwrap_or(0.0),
        }
    }

    fn as_decimal(self) -> Option<Decimal> {
        match self {
            Num::Int(n) | Num::Long(n) => Some(Decimal::from(n)),
            Num::Double(f) => decimal_from_f64(f),
            Num::Decimal(d) => Some(d),
        }
    }

    pub fn into_value(self) -> Value {
        match self {
            Num::Int(n) => Value::int(n),
            Num::Long(n) => Value::Long(n),
            Num::Double(f) => Value::Double(f),
            Num::Decimal(d) => Value::Decimal(d),
        }
    }
}

pub fn divide_by_zero() -> ErrorRecord {
    ErrorRecord::new("Attempted to divide by zero.", Category::NotSpecified, "RuntimeException", "RuntimeException")
        .with_exception_type("System.Management.Automation.RuntimeException")
        .with_inner("System.DivideByZeroException", "Attempted to divide by zero.")
        .unqualified()
}

fn no_method(op: Arith, l: &Value) -> ErrorRecord {
    ErrorRecord::new(
        format!(
            "Method invocation failed because [{}] does not contain a method named '{}'.",
            l.type_name(),
            op.method()
        ),
        Category::InvalidOperation,
        "MethodNotFound",
        "RuntimeException",
    )
    .unqualified()
}

fn conversion_error(e: super::super::types::CastError) -> ErrorRecord {
    ErrorRecord::new(e.message, Category::InvalidArgument, e.error_id, "RuntimeException").unqualified()
}

/// The largest string .NET can hold, in UTF-16 units (bytes here).
pub const MAX_STRING: usize = 0x3FFF_FFDF;
/// The most references one .NET array can hold within its 2 GB object limit.
const MAX_ARRAY: usize = 0x0FFF_FFF8;

/// What .NET throws when a string or array would outgrow its limits; the
/// shell stops the statement instead of exhausting the machine's memory.
pub fn out_of_memory() -> ErrorRecord {
    ErrorRecord::new(
        "Exception of type 'System.OutOfMemoryException' was thrown.",
        Category::OperationStopped,
        "System.OutOfMemoryException",
        "OutOfMemoryException",
    )
    .with_exception_type("System.OutOfMemoryException")
    .unqualified()
}

fn within(len: Option<usize>, max: usize) -> Result<usize, ErrorRecord> {
    len.filter(|&n| n <= max).ok_or_else(out_of_memory)
}

/// `l op r`.
pub fn arithmetic(op: Arith, l: Value, r: Value) -> Result<Value, ErrorRecord> {
    match (op, &l) {
        (Arith::Add, Value::Str(a)) => {
            let right = r.to_text();
            let mut s = String::with_capacity(within(a.len().checked_add(right.len()), MAX_STRING)?);
            s.push_str(a);
            s.push_str(&right);
            return Ok(Value::str(s));
        }
        (Arith::Add, Value::Array(a)) => {
            let added = match &r {
                Value::Array(b) => b.len(),
                _ => 1,
            };
            within(a.len().checked_add(added), MAX_ARRAY)?;
            let mut items = a.snapshot();
            match &r {
                Value::Array(b) => items.extend(b.snapshot()),
                other => items.push(other.clone()),
            }
            // `+` on a list gives an object[] (op_Addition of arrays).
            return Ok(Value::Array(Rc::new(Array::new(items, ArrayKind::Object))));
        }
        (Arith::Add, Value::Hashtable(a)) => {
            let Value::Hashtable(b) = &r else {
                return Err(ErrorRecord::new(
                    "A hash table can only be added to another hash table.",
                    Category::InvalidOperation,
                    "AddHashTableToNonHashTable",
                    "RuntimeException",
                )
                .unqualified());
            };
            let out = a.copy();
            for (k, v) in b.entries() {
                if out.contains(&k) {
                    let key = k.to_text();
                    return Err(ErrorRecord::new(
                        format!("Item has already been added. Key in dictionary: '{key}'  Key being added: '{key}'"),
                        Category::NotSpecified,
                        "ArgumentException",
                        "ArgumentException",
                    )
                    .with_exception_type("System.ArgumentException")
                    .unqualified());
                }
                out.insert(k, v);
            }
            return Ok(Value::Hashtable(Rc::new(out)));
        }
        (Arith::Multiply, Value::Str(a)) => {
            let n = repeat_count(&r)?;
            within(a.len().checked_mul(n), MAX_STRING)?;
            return Ok(Value::str(a.repeat(n)));
        }
        (Arith::Multiply, Value::Array(a)) => {
            let n = repeat_count(&r)?;
            let items = a.snapshot();
            let mut out = Vec::with_capacity(within(items.len().checked_mul(n), MAX_ARRAY)?);
            for _ in 0..n {
                out.extend(items.iter().cloned());
            }
            return Ok(Value::Array(Rc::new(Array::new(out, ArrayKind::Object))));
        }
        (_, Value::Null) if !matches!(r, Value::Null) => {
            // $null + x is x; $null - x is -x: null acts as zero.
            if let Value::Str(_) = r
                && op == Arith::Add
            {
                return Ok(r);
            }
            if let Value::Array(_) = r
                && op == Arith::Add
            {
                return Ok(r);
            }
        }
        (_, Value::Null) => return Ok(Value::Null),
        (Arith::Subtract | Arith::Divide | Arith::Modulo, Value::Str(s)) => {
            // Only + and * have string meanings; the others convert to a number.
            let Some(a) = Num::parse(s) else {
                return Err(conversion_error(cast(l.clone(), &TypeRef::Int).err().unwrap_or(
                    super::super::types::CastError {
                        message: String::new(),
                        error_id: "InvalidCastFromStringToInteger",
                    },
                )));
            };
            let b = match &r {
                Value::Str(t) => Num::parse(t).ok_or_else(|| {
                    conversion_error(cast(r.clone(), &TypeRef::Int).err().unwrap_or(super::super::types::CastError {
                        message: String::new(),
                        error_id: "InvalidCastFromStringToInteger",
                    }))
                })?,
                other => Num::of(other).ok_or_else(|| no_method(op, &l))?,
            };
            return numeric(op, a, b);
        }
        (_, Value::Enum(def, i)) if matches!(op, Arith::Add | Arith::Subtract) => {
            // Enum plus a number is the enum member of that value; enum minus
            // enum is their difference.
            let a = *i as i64;
            let b = match &r {
                Value::Enum(_, j) => return Ok(Value::int(a - *j as i64)),
                other => Num::of(other).map(|n| match n {
                    Num::Int(x) | Num::Long(x) => x,
                    _ => 0,
                }),
            };
            if let Some(b) = b {
                let v = if op == Arith::Add { a + b } else { a - b };
                if v >= 0 && (v as usize) < def.members.len() {
                    return Ok(Value::Enum(def, v as u16));
                }
                return Ok(Value::int(v));
            }
        }
        (_, Value::DateTime(d)) => return date_arith(op, *d, &r, &l),
        (_, Value::TimeSpan(t)) => return timespan_arith(op, *t, &r, &l),
        _ => {}
    }
    let Some(a) = Num::of(&l) else { return Err(no_method(op, &l)) };
    let b = match &r {
        Value::Str(s) => match Num::parse(s) {
            Some(n) => n,
            None => {
                let target = match l {
                    Value::Double(_) => TypeRef::Double,
                    Value::Decimal(_) => TypeRef::Decimal,
                    Value::Long(_) => TypeRef::Long,
                    _ => TypeRef::Int,
                };
                return Err(conversion_error(cast(r.clone(), &target).err().unwrap_or(
                    super::super::types::CastError {
                        message: String::new(),
                        error_id: "InvalidCastFromStringToInteger",
                    },
                )));
            }
        },
        Value::Array(_) | Value::Hashtable(_) | Value::Object(_) | Value::ScriptBlock(_) => {
            return Err(ErrorRecord::new(
                format!(
                    "Cannot convert the \"{}\" value of type \"{}\" to type \"{}\".",
                    r.to_text(),
                    r.type_name(),
                    l.type_name()
                ),
                Category::InvalidArgument,
                "ConvertToFinalInvalidCastException",
                "RuntimeException",
            )
            .unqualified());
        }
        other => match Num::of(other) {
            Some(n) => n,
            None => return Err(no_method(op, &l)),
        },
    };
    numeric(op, a, b)
}

fn repeat_count(r: &Value) -> Result<usize, ErrorRecord> {
    let n = match cast(r.clone(), &TypeRef::Int) {
        Ok(Value::Int(n)) => n,
        Ok(_) => 0,
        Err(e) => return Err(conversion_error(e)),
    };
    if n < 0 {
        return Err(ErrorRecord::new(
            "The value of the repeat count must be non-negative.",
            Category::InvalidOperation,
            "RuntimeException",
            "RuntimeException",
        )
        .unqualified());
    }
    Ok(n as usize)
}

/// Arithmetic on two numbers with PowerShell's widening.
pub fn numeric(op: Arith, a: Num, b: Num) -> Result<Value, ErrorRecord> {
    match (a, b) {
        (Num::Decimal(_), _) | (_, Num::Decimal(_)) => {
            let (Some(x), Some(y)) = (a.as_decimal(), b.as_decimal()) else {
                return Ok(Value::Double(float_op(op, a.as_f64(), b.as_f64())));
            };
            let r = match op {
                Arith::Add => x.checked_add(y),
                Arith::Subtract => x.checked_sub(y),
                Arith::Multiply => x.checked_mul(y),
                Arith::Divide => {
                    if y.is_zero() {
                        return Err(divide_by_zero());
                    }
                    x.checked_div(y)
                }
                Arith::Modulo => {
                    if y.is_zero() {
                        return Err(divide_by_zero());
                    }
                    x.checked_rem(y)
                }
            };
            r.map(Value::Decimal).ok_or_else(|| {
                ErrorRecord::new(
                    "Value was either too large or too small for a Decimal.",
                    Category::NotSpecified,
                    "RuntimeException",
                    "RuntimeException",
                )
                .unqualified()
            })
        }
        (Num::Double(_), _) | (_, Num::Double(_)) => Ok(Value::Double(float_op(op, a.as_f64(), b.as_f64()))),
        (Num::Int(x) | Num::Long(x), Num::Int(y) | Num::Long(y)) => {
            let long = matches!(a, Num::Long(_)) || matches!(b, Num::Long(_));
            let wrap = |n: i64| if long { Value::Long(n) } else { Value::int(n) };
            let fits = |n: i64| long || i32::try_from(n).is_ok();
            let exact = match op {
                Arith::Add => x.checked_add(y),
                Arith::Subtract => x.checked_sub(y),
                Arith::Multiply => x.checked_mul(y),
                Arith::Divide => {
                    if y == 0 {
                        return Err(divide_by_zero());
                    }
                    if x % y == 0 { x.checked_div(y) } else { None }
                }
                Arith::Modulo => {
                    if y == 0 {
                        return Err(divide_by_zero());
                    }
                    x.checked_rem(y)
                }
            };
            match exact {
                Some(n) if fits(n) => Ok(wrap(n)),
                // Overflow (or an inexact quotient) gives a Double.
                _ => Ok(Value::Double(float_op(op, x as f64, y as f64))),
            }
        }
    }
}

fn float_op(op: Arith, x: f64, y: f64) -> f64 {
    match op {
        Arith::Add => x + y,
        Arith::Subtract => x - y,
        Arith::Multiply => x * y,
        Arith::Divide => x / y,
        Arith::Modulo => x % y,
    }
}

fn date_arith(op: Arith, d: DateTime, r: &Value, l: &Value) -> Result<Value, ErrorRecord> {
    match (op, r) {
        (Arith::Add, Value::TimeSpan(t)) => Ok(Value::DateTime(DateTime { ticks: d.ticks + t, kind: d.kind })),
        (Arith::Subtract, Value::TimeSpan(t)) => Ok(Value::DateTime(DateTime { ticks: d.ticks - t, kind: d.kind })),
        (Arith::Subtract, Value::DateTime(o)) => Ok(Value::TimeSpan(d.ticks - o.ticks)),
        (Arith::Add | Arith::Subtract, Value::Int(_) | Value::Long(_)) => {
            let t = r.as_i64().unwrap_or(0);
            let t = if op == Arith::Add { t } else { -t };
            Ok(Value::DateTime(DateTime { ticks: d.ticks + t, kind: d.kind }))
        }
        _ => Err(no_method(op, l)),
    }
}

fn timespan_arith(op: Arith, t: i64, r: &Value, l: &Value) -> Result<Value, ErrorRecord> {
    match (op, r) {
        (Arith::Add, Value::TimeSpan(o)) => Ok(Value::TimeSpan(t + o)),
        (Arith::Subtract, Value::TimeSpan(o)) => Ok(Value::TimeSpan(t - o)),
        (Arith::Add, Value::DateTime(d)) => Ok(Value::DateTime(DateTime { ticks: d.ticks + t, kind: d.kind })),
        _ => Err(no_method(op, l)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ar(op: Arith, l: Value, r: Value) -> Value {
        arithmetic(op, l, r).unwrap()
    }

    #[test]
    fn results_beyond_dotnets_limits_are_out_of_memory_errors() {
        for (l, r) in
            [(Value::str("a"), Value::Int(i32::MAX)), (Value::array(vec![Value::Int(1)]), Value::Int(i32::MAX))]
        {
            let e = arithmetic(Arith::Multiply, l, r).unwrap_err();
            assert_eq!(e.message, "Exception of type 'System.OutOfMemoryException' was thrown.");
        }
        assert_eq!(ar(Arith::Multiply, Value::str("ab"), Value::Int(3)), Value::str("ababab"));
    }

    #[test]
    fn each_operator_does_its_own_operation() {
        assert_eq!(ar(Arith::Add, Value::Int(2), Value::Int(3)), Value::Int(5));
        assert_eq!(ar(Arith::Subtract, Value::Int(2), Value::Int(3)), Value::Int(-1));
        assert_eq!(ar(Arith::Multiply, Value::Int(5), Value::Int(2)), Value::Int(10));
        assert_eq!(ar(Arith::Divide, Value::Int(10), Value::Int(4)), Value::Double(2.5));
        assert_eq!(ar(Arith::Divide, Value::Int(10), Value::Int(5)), Value::Int(2));
        assert_eq!(ar(Arith::Modulo, Value::Int(7), Value::Int(3)), Value::Int(1));
    }

    #[test]
    fn the_left_operand_decides() {
        assert_eq!(ar(Arith::Add, Value::str("a"), Value::str("b")), Value::str("ab"));
        assert_eq!(ar(Arith::Add, Value::str("3"), Value::Int(4)), Value::str("34"));
        assert_eq!(ar(Arith::Add, Value::Int(3), Value::str("4")), Value::Int(7));
        assert_eq!(ar(Arith::Multiply, Value::str("ab"), Value::Int(3)), Value::str("ababab"));
    }

    #[test]
    fn overflow_widens_to_double() {
        assert_eq!(ar(Arith::Add, Value::Int(i32::MAX), Value::Int(1)), Value::Double(2147483648.0));
        assert_eq!(ar(Arith::Add, Value::Long(1), Value::Int(1)), Value::Long(2));
    }

    #[test]
    fn division_by_zero_is_an_error() {
        let e = arithmetic(Arith::Divide, Value::Int(1), Value::Int(0)).unwrap_err();
        assert_eq!(e.message, "Attempted to divide by zero.");
    }
}
