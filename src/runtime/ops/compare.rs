//! Comparison operators: case-insensitive by default, the right operand
//! converted to the left's type, a collection on the left filtered, and
//! `-like` wildcards.

use super::super::errors::{Category, ErrorRecord};
use super::super::types::{TypeRef, cast, parse_timespan_text};
use super::super::value::Value;
use crate::language::ast::CompareOp;

/// `-like` wildcards: `*`, `?` and `[abc]` / `[a-z]`, with `` ` `` escaping.
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
/// the left side's type. `None` when they cannot be ordered.
pub fn compare_scalars(l: &Value, r: &Value, case_sensitive: bool) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    match (l, r) {
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::Null, _) => Some(Ordering::Less),
        (_, Value::Null) => match l {
            Value::Str(s) if s.is_empty() => None,
            _ => Some(Ordering::Greater),
        },
        (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
        (Value::Long(a), Value::Long(b)) => Some(a.cmp(b)),
        (Value::Str(a), Value::Str(b)) => Some(compare_text(a, b, case_sensitive)),
        (
            Value::Int(_) | Value::Long(_) | Value::Double(_) | Value::Decimal(_) | Value::Byte(_) | Value::Bytes(_),
            _,
        ) => {
            let a = number(l)?;
            let b = number(r)?;
            a.partial_cmp(&b)
        }
        (Value::Bool(a) | Value::Switch(a), other) => Some(a.cmp(&other.is_true())),
        (Value::Char(a), Value::Char(b)) => {
            Some(if case_sensitive { a.cmp(b) } else { a.to_lowercase().cmp(b.to_lowercase()) })
        }
        (Value::TimeSpan(a), Value::TimeSpan(b)) => Some(a.cmp(b)),
        (Value::DateTime(a), Value::DateTime(b)) => Some(a.ticks.cmp(&b.ticks)),
        (Value::TimeSpan(a), other) => Some(a.cmp(&parse_timespan_text(&other.to_text())?)),
        (Value::DateTime(a), other) => match cast(other.clone(), &TypeRef::DateTime) {
            Ok(Value::DateTime(b)) => Some(a.ticks.cmp(&b.ticks)),
            _ => None,
        },
        (Value::Enum(d, i), other) => match other {
            Value::Enum(_, j) => Some(i.cmp(j)),
            Value::Int(_) | Value::Long(_) => Some((*i as i64).cmp(&other.as_i64().unwrap_or(-1))),
            _ => Some(compare_text(d.name(*i as usize), &other.to_text(), case_sensitive)),
        },
        (Value::Guid(a), Value::Guid(b)) => Some(a.cmp(b)),
        (Value::Guid(_), other) => match cast(other.clone(), &TypeRef::Guid) {
            Ok(b) => Some(if *l == b { Ordering::Equal } else { Ordering::Less }),
            Err(_) => None,
        },
        (Value::Object(a), _) if a.is_type(super::super::types::VERSION) => {
            let b = match cast(r.clone(), &TypeRef::Version) {
                Ok(Value::Object(b)) => b,
                _ => return None,
            };
            Some(super::super::types::version_parts(a).cmp(&super::super::types::version_parts(&b)))
        }
        (Value::Array(_) | Value::Hashtable(_) | Value::Object(_) | Value::ScriptBlock(_), _) => {
            if l == r {
                Some(Ordering::Equal)
            } else if matches!(l, Value::Object(_)) {
                Some(compare_text(&l.to_text(), &r.to_text(), case_sensitive))
            } else {
                None
            }
        }
        _ => Some(compare_text(&l.to_text(), &r.to_text(), case_sensitive)),
    }
}

fn compare_text(a: &str, b: &str, case_sensitive: bool) -> std::cmp::Ordering {
    if case_sensitive {
        // Culture order puts lower case first among equal letters.
        a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| b.cmp(a))
    } else if a.is_ascii() && b.is_ascii() {
        let (x, y) = (a.as_bytes(), b.as_bytes());
        x.iter().map(u8::to_ascii_lowercase).cmp(y.iter().map(u8::to_ascii_lowercase))
    } else {
        a.to_lowercase().cmp(&b.to_lowercase())
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(n) => Some(*n as f64),
        Value::Long(n) => Some(*n as f64),
        Value::Double(f) => Some(*f),
        Value::Decimal(d) => d.to_string().parse().ok(),
        Value::Byte(b) => Some(*b as f64),
        Value::Bytes(b) => Some(*b as f64),
        Value::Bool(b) => Some(*b as i64 as f64),
        Value::Char(c) => Some(*c as u32 as f64),
        Value::Str(s) => {
            super::super::types::parse_integer(s).map(|n| n as f64).or_else(|| super::super::types::parse_double(s))
        }
        Value::Enum(_, i) => Some(*i as f64),
        Value::Null => Some(0.0),
        _ => None,
    }
}

fn not_comparable(l: &Value) -> ErrorRecord {
    ErrorRecord::new(
        format!("Cannot compare \"{}\" because it is not IComparable.", l.to_text()),
        Category::InvalidOperation,
        "NotIcomparable",
        "RuntimeException",
    )
    .unqualified()
}

/// One comparison of two scalars (no collection handling).
pub fn scalar_compare(op: CompareOp, l: &Value, r: &Value, cs: bool) -> Result<bool, ErrorRecord> {
    use std::cmp::Ordering::*;
    let ordered = |l: &Value, r: &Value| -> Result<std::cmp::Ordering, ErrorRecord> {
        compare_scalars(l, r, cs).ok_or_else(|| not_comparable(l))
    };
    Ok(match op {
        CompareOp::Eq => compare_scalars(l, r, cs) == Some(Equal),
        CompareOp::Ne => compare_scalars(l, r, cs) != Some(Equal),
        CompareOp::Gt => ordered(l, r)? == Greater,
        CompareOp::Ge => matches!(ordered(l, r)?, Greater | Equal),
        CompareOp::Lt => ordered(l, r)? == Less,
        CompareOp::Le => matches!(ordered(l, r)?, Less | Equal),
        CompareOp::Like => wildcard_match(&r.to_text(), &l.to_text(), cs),
        CompareOp::NotLike => !wildcard_match(&r.to_text(), &l.to_text(), cs),
        CompareOp::Match | CompareOp::NotMatch => {
            let re = super::regex_ops::compile(&r.to_text(), !cs)?;
            re.is_match(&l.to_text()) == (op == CompareOp::Match)
        }
        CompareOp::Contains | CompareOp::NotContains | CompareOp::In | CompareOp::NotIn => false,
    })
}

/// `-contains`: any item of `collection` equal to `item`.
pub fn contains(collection: &Value, item: &Value, cs: bool) -> bool {
    match collection {
        Value::Array(a) => a.items().iter().any(|i| compare_scalars(i, item, cs) == Some(std::cmp::Ordering::Equal)),
        other => compare_scalars(other, item, cs) == Some(std::cmp::Ordering::Equal),
    }
}

/// Applies a comparison; a collection on the left filters it.
/// `-match` results (for `$Matches`) are handled by the evaluator.
pub fn compare(op: CompareOp, l: &Value, r: &Value, cs: bool) -> Result<Value, ErrorRecord> {
    match op {
        CompareOp::Contains => Ok(Value::Bool(contains(l, r, cs))),
        CompareOp::NotContains => Ok(Value::Bool(!contains(l, r, cs))),
        CompareOp::In => Ok(Value::Bool(contains(r, l, cs))),
        CompareOp::NotIn => Ok(Value::Bool(!contains(r, l, cs))),
        _ => match l {
            Value::Array(items) => {
                let items = items.snapshot();
                let mut kept = Vec::new();
                for item in items {
                    if scalar_compare(op, &item, r, cs)? {
                        kept.push(item);
                    }
                }
                Ok(Value::array(kept))
            }
            _ => Ok(Value::Bool(scalar_compare(op, l, r, cs)?)),
        },
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
        let l = Value::array(vec![Value::Int(1), Value::Int(2), Value::Int(3)]);
        assert_eq!(
            compare(CompareOp::Gt, &l, &Value::Int(1), false).unwrap(),
            Value::array(vec![Value::Int(2), Value::Int(3)])
        );
        assert_eq!(compare(CompareOp::Contains, &l, &Value::Int(2), false).unwrap(), Value::Bool(true));
    }
}
