//! PowerShell's operators on values: arithmetic, comparison, regular
//! expressions, bitwise, string formatting, ranges.

pub mod arith;
pub mod bitwise;
pub mod compare;
pub mod format;
pub mod regex_ops;

pub use arith::{Arith, arithmetic};
pub use compare::{compare, compare_scalars, has_wildcard, wildcard_match};

use super::errors::{Category, ErrorRecord};
use super::types::{TypeRef, cast};
use super::value::Value;

/// The largest range PowerShell builds (`1..50000000` is refused beyond this).
const MAX_RANGE: i64 = 50_000_000;

/// `a..b`: integers up or down, both ends included.
pub fn range(l: &Value, r: &Value) -> Result<Value, ErrorRecord> {
    let to_int =
        |v: &Value| -> Result<i64, ErrorRecord> {
            match cast(v.clone(), &TypeRef::Int) {
                Ok(Value::Int(n)) => Ok(n as i64),
                Ok(_) => Ok(0),
                Err(e) => Err(ErrorRecord::new(e.message, Category::InvalidArgument, e.error_id, "RuntimeException")
                    .unqualified()),
            }
        };
    let (a, b) = (to_int(l)?, to_int(r)?);
    if (a - b).abs() >= MAX_RANGE {
        return Err(ErrorRecord::new(
            format!("The range operator cannot be used to create arrays with more than {MAX_RANGE} elements."),
            Category::InvalidOperation,
            "RangeTooBig",
            "RuntimeException",
        )
        .unqualified());
    }
    let items: Vec<Value> = if a <= b {
        (a..=b).map(|n| Value::Int(n as i32)).collect()
    } else {
        (b..=a).rev().map(|n| Value::Int(n as i32)).collect()
    };
    Ok(Value::array(items))
}

/// `-join`: items as text, separated by `sep`.
pub fn join(l: &Value, sep: &str) -> Value {
    let text = match l {
        Value::Array(a) => a.items().iter().map(Value::to_text).collect::<Vec<_>>().join(sep),
        other => other.to_text(),
    };
    Value::str(text)
}
