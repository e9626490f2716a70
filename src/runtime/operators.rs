//! PowerShell's operators: comparison (case-insensitive by default, the
//! right operand converted to the left's type), wildcards, arithmetic.

use super::errors::ErrorRecord;
use super::value::Value;
use crate::language::ast::CompareOp;

/// `-like` wildcards: `*`, `?` and `[abc]` / `[a-z]`.
pub fn wildcard_match(pattern: &str, text: &str, case_sensitive: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = if case_sensitive {
        (pattern.chars().collect(), text.chars().collect())
    } else {
        (pattern.to_lowercase().chars().collect(), text.to_lowercase().chars().collect())
    };
    wild(&p, &t)
}

fn wild(p: &[char], t: &[char]) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some(pi);
                    mark = ti;
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, next)) = bracket(&p[pi..], t[ti])
                        && matched
                    {
                        pi += next;
                        ti += 1;
                        continue;
                    }
                }
                '`' if pi + 1 < p.len() && p[pi + 1] == t[ti] => {
                    pi += 2;
                    ti += 1;
                    continue;
                }
                c if c == t[ti] => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some(s) => {
                pi = s + 1;
                mark += 1;
                ti = mark;
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Matches `c` against a `[...]` class at the start of `p`; returns whether
/// it matched and the class's length.
fn bracket(p: &[char], c: char) -> Option<(bool, usize)> {
    let end = p.iter().position(|x| *x == ']')?;
    let class = &p[1..end];
    let mut i = 0;
    let mut hit = false;
    while i < class.len() {
        if i + 2 < class.len() && class[i + 1] == '-' {
            hit |= class[i] <= c && c <= class[i + 2];
            i += 3;
        } else {
            hit |= class[i] == c;
            i += 1;
        }
    }
    Some((hit, end + 1))
}

pub fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

/// Compares two scalars as PowerShell does: the right side is converted to
/// the left side's type. Returns None when they cannot be ordered.
pub fn compare_scalars(l: &Value, r: &Value, case_sensitive: bool) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    match (l, r) {
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
        (Value::Int(_) | Value::Double(_) | Value::Bytes(_), _) => {
            let a = number(l)?;
            let b = number(r)?;
            a.partial_cmp(&b)
        }
        (Value::Bool(a), other) => Some(a.cmp(&other.is_true())),
        (Value::TimeSpan(a), Value::TimeSpan(b)) | (Value::DateTime(a), Value::DateTime(b)) => Some(a.cmp(b)),
        (Value::TimeSpan(a), other) => Some(a.cmp(&super::convert::parse_timespan(&other.to_text())?)),
        (Value::DateTime(a), other) => Some(a.cmp(&super::convert::parse_date(&other.to_text())?)),
        _ => {
            let (a, b) = (l.to_text(), r.to_text());
            Some(if case_sensitive { a.cmp(&b) } else { a.to_lowercase().cmp(&b.to_lowercase()) })
        }
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(n) => Some(*n as f64),
        Value::Double(f) => Some(*f),
        Value::Bytes(b) => Some(*b as f64),
        Value::Bool(b) => Some(*b as i64 as f64),
        Value::Str(s) => s.trim().parse::<f64>().ok(),
        Value::Enum(_, i) => Some(*i as f64),
        _ => None,
    }
}

fn scalar_op(op: CompareOp, l: &Value, r: &Value, cs: bool) -> Result<bool, ErrorRecord> {
    use std::cmp::Ordering::*;
    Ok(match op {
        CompareOp::Eq => compare_scalars(l, r, cs) == Some(Equal),
        CompareOp::Ne => compare_scalars(l, r, cs) != Some(Equal),
        CompareOp::Gt => compare_scalars(l, r, cs) == Some(Greater),
        CompareOp::Ge => matches!(compare_scalars(l, r, cs), Some(Greater | Equal)),
        CompareOp::Lt => compare_scalars(l, r, cs) == Some(Less),
        CompareOp::Le => matches!(compare_scalars(l, r, cs), Some(Less | Equal)),
        CompareOp::Like => wildcard_match(&r.to_text(), &l.to_text(), cs),
        CompareOp::NotLike => !wildcard_match(&r.to_text(), &l.to_text(), cs),
        CompareOp::Match | CompareOp::NotMatch => {
            let re = regex::RegexBuilder::new(&r.to_text()).case_insensitive(!cs).build().map_err(|e| {
                ErrorRecord::invalid_operation(
                    format!("The regular expression pattern {} is not valid: {e}", r.to_text()),
                    "InvalidRegularExpression",
                )
            })?;
            re.is_match(&l.to_text()) == (op == CompareOp::Match)
        }
        CompareOp::Contains | CompareOp::NotContains | CompareOp::In | CompareOp::NotIn => false,
    })
}

/// Applies a comparison; a collection on the left filters it.
pub fn compare(op: CompareOp, l: &Value, r: &Value, cs: bool) -> Result<Value, ErrorRecord> {
    match op {
        CompareOp::Contains | CompareOp::NotContains => {
            let items = match l {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            };
            let found = items.iter().any(|i| compare_scalars(i, r, cs) == Some(std::cmp::Ordering::Equal));
            Ok(Value::Bool(found == (op == CompareOp::Contains)))
        }
        CompareOp::In | CompareOp::NotIn => {
            let items = match r {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            };
            let found = items.iter().any(|i| compare_scalars(l, i, cs) == Some(std::cmp::Ordering::Equal));
            Ok(Value::Bool(found == (op == CompareOp::In)))
        }
        _ => match l {
            Value::Array(items) => {
                let mut kept = Vec::new();
                for item in items {
                    if scalar_op(op, item, r, cs)? {
                        kept.push(item.clone());
                    }
                }
                Ok(Value::Array(kept))
            }
            _ => Ok(Value::Bool(scalar_op(op, l, r, cs)?)),
        },
    }
}

pub enum Arith {
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

pub fn arithmetic(op: Arith, l: Value, r: Value) -> Result<Value, ErrorRecord> {
    let bad = |l: &Value, r: &Value, sym: &str| {
        ErrorRecord::invalid_operation(
            format!(
                "Method invocation failed because [{}] does not contain a method named 'op_{}'.",
                l.type_name(),
                sym
            ),
            "MethodNotFound",
        )
        .with_target(r.to_text(), "")
    };
    match (op, l, r) {
        (Arith::Add, Value::Str(a), r) => Ok(Value::Str(a + &r.to_text())),
        (Arith::Add, Value::Array(mut a), r) => {
            a.extend(r.into_items());
            Ok(Value::Array(a))
        }
        (Arith::Add, Value::Null, r) => Ok(r),
        (Arith::Multiply, Value::Str(a), r) => {
            let n = number(&r).unwrap_or(0.0).max(0.0) as usize;
            Ok(Value::Str(a.repeat(n)))
        }
        (op, l, r) => {
            let (Some(a), Some(b)) = (number(&l), number(&r)) else {
                let sym = match op {
                    Arith::Add => "Addition",
                    Arith::Subtract => "Subtraction",
                    Arith::Multiply => "Multiply",
                    Arith::Divide => "Division",
                    Arith::Modulo => "Modulus",
                };
                return Err(bad(&l, &r, sym));
            };
            let ints = matches!((&l, &r), (Value::Int(_), Value::Int(_)));
            let v = match op {
                Arith::Add => a + b,
                Arith::Subtract => a - b,
                Arith::Multiply => a * b,
                Arith::Divide => {
                    if b == 0.0 {
                        return Err(ErrorRecord::invalid_operation("Attempted to divide by zero.", "RuntimeException"));
                    }
                    a / b
                }
                Arith::Modulo => {
                    if b == 0.0 {
                        return Err(ErrorRecord::invalid_operation("Attempted to divide by zero.", "RuntimeException"));
                    }
                    a % b
                }
            };
            Ok(if ints && v.fract() == 0.0 && v.abs() < 9.0e15 { Value::Int(v as i64) } else { Value::Double(v) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_follow_powershell() {
        assert!(wildcard_match("J*", "John Smith", false));
        assert!(wildcard_match("msexchange*", "MSExchangeIMAP4", false));
        assert!(!wildcard_match("J*", "Ken", false));
        assert!(wildcard_match("?en*", "Ken Sanchez", false));
        assert!(wildcard_match("[jk]*", "Ken", false));
        assert!(!wildcard_match("J*", "john", true));
    }

    #[test]
    fn right_operand_converts_to_left_type() {
        assert_eq!(compare(CompareOp::Eq, &Value::Int(5), &Value::str("5"), false).unwrap(), Value::Bool(true));
        assert_eq!(compare(CompareOp::Eq, &Value::str("ABC"), &Value::str("abc"), false).unwrap(), Value::Bool(true));
        assert_eq!(compare(CompareOp::Eq, &Value::str("ABC"), &Value::str("abc"), true).unwrap(), Value::Bool(false));
    }

    #[test]
    fn collections_on_the_left_filter() {
        let l = Value::Array(vec![Value::Int(1), Value::Int(2), Value::Int(3)]);
        assert_eq!(
            compare(CompareOp::Gt, &l, &Value::Int(1), false).unwrap(),
            Value::Array(vec![Value::Int(2), Value::Int(3)])
        );
        assert_eq!(compare(CompareOp::Contains, &l, &Value::Int(2), false).unwrap(), Value::Bool(true));
    }
}
