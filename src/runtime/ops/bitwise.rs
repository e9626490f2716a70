//! -band -bor -bxor -bnot -shl -shr: integers only, Int32 unless an Int64
//! is involved.

use super::super::errors::{Category, ErrorRecord};
use super::super::types::{TypeRef, cast};
use super::super::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bitwise {
    And,
    Or,
    Xor,
    ShiftLeft,
    ShiftRight,
}

fn integer(v: &Value) -> Result<(i64, bool), ErrorRecord> {
    match v {
        Value::Long(n) => Ok((*n, true)),
        Value::Int(n) => Ok((*n as i64, false)),
        Value::Byte(n) => Ok((*n as i64, false)),
        Value::Bool(b) => Ok((*b as i64, false)),
        Value::Null => Ok((0, false)),
        Value::Enum(_, i) => Ok((*i as i64, false)),
        other => match cast(other.clone(), &TypeRef::Long) {
            Ok(Value::Long(n)) => Ok((n, i32::try_from(n).is_err())),
            _ => Err(ErrorRecord::new(
                format!(
                    "Cannot convert value \"{}\" to type \"System.Int64\". Error: \"Input string was not in a correct format.\"",
                    other.to_text()
                ),
                Category::InvalidArgument,
                "InvalidCastFromStringToInteger",
                "RuntimeException",
            )
            .unqualified()),
        },
    }
}

pub fn bitwise(op: Bitwise, l: &Value, r: &Value) -> Result<Value, ErrorRecord> {
    let (a, la) = integer(l)?;
    let (b, lb) = integer(r)?;
    let long = la || lb;
    let n = match op {
        Bitwise::And => a & b,
        Bitwise::Or => a | b,
        Bitwise::Xor => a ^ b,
        Bitwise::ShiftLeft => {
            if long {
                a.wrapping_shl((b & 63) as u32)
            } else {
                ((a as i32).wrapping_shl((b & 31) as u32)) as i64
            }
        }
        Bitwise::ShiftRight => {
            if long {
                a >> (b & 63)
            } else {
                ((a as i32) >> (b & 31)) as i64
            }
        }
    };
    Ok(if long { Value::Long(n) } else { Value::Int(n as i32) })
}

pub fn bit_not(v: &Value) -> Result<Value, ErrorRecord> {
    let (a, long) = integer(v)?;
    Ok(if long { Value::Long(!a) } else { Value::Int(!(a as i32)) })
}
