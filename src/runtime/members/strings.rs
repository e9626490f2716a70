//! System.String's methods. They are .NET's: case-sensitive (unlike
//! PowerShell's operators), and `Split(", ")` splits on each character.

use super::super::errors::Result;
use super::super::value::Value;
use super::Call;

fn chars_of(v: &Value) -> Vec<char> {
    match v {
        Value::Array(a) => a.snapshot().iter().flat_map(|c| c.to_text().chars().collect::<Vec<_>>()).collect(),
        Value::Null => vec![],
        other => other.to_text().chars().collect(),
    }
}

fn out_of_range(call: &Call, message: &str, param: &str) -> super::super::errors::Flow {
    call.exception(&format!("{message}\nParameter name: {param}"), "ArgumentOutOfRangeException").into()
}

/// `Ok(None)`: not a string method (the common ones are tried next).
pub(super) fn call(s: &str, call: &Call) -> Result<Option<Option<Value>>> {
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len() as i64;
    let v = match call.lower.as_str() {
        "toupper" | "toupperinvariant" => Value::str(s.to_uppercase()),
        "tolower" | "tolowerinvariant" => Value::str(s.to_lowercase()),
        "trim" | "trimstart" | "trimend" => {
            let set = chars_of(&call.arg(0));
            let pred =
                |c: char| if call.args.is_empty() || set.is_empty() { c.is_whitespace() } else { set.contains(&c) };
            Value::str(match call.lower.as_str() {
                "trim" => s.trim_matches(pred),
                "trimstart" => s.trim_start_matches(pred),
                _ => s.trim_end_matches(pred),
            })
        }
        "contains" => {
            call.count(&[1])?;
            Value::Bool(s.contains(&call.text(0)))
        }
        "startswith" => {
            call.count(&[1, 2])?;
            let ignore = call.args.len() == 2 && call.text(1).to_lowercase().contains("ignorecase");
            Value::Bool(if ignore {
                s.to_lowercase().starts_with(&call.text(0).to_lowercase())
            } else {
                s.starts_with(&call.text(0))
            })
        }
        "endswith" => {
            call.count(&[1, 2])?;
            let ignore = call.args.len() == 2 && call.text(1).to_lowercase().contains("ignorecase");
            Value::Bool(if ignore {
                s.to_lowercase().ends_with(&call.text(0).to_lowercase())
            } else {
                s.ends_with(&call.text(0))
            })
        }
        "replace" => {
            call.count(&[2])?;
            let from = call.text(0);
            if from.is_empty() {
                return Err(call
                    .exception("String cannot be of zero length.\nParameter name: oldValue", "ArgumentException")
                    .into());
            }
            Value::str(s.replace(&from, &call.text(1)))
        }
        "split" => {
            let separators = call.arg(0);
            let count =
                if call.args.len() >= 2 && call.arg(1).is_number() { call.int(1)?.max(0) as usize } else { usize::MAX };
            let remove_empty = call.args.iter().skip(1).any(|a| a.to_text().eq_ignore_ascii_case("RemoveEmptyEntries"));
            let pieces: Vec<String> = match &separators {
                Value::Array(a) if a.items().iter().all(|i| matches!(i, Value::Str(t) if t.chars().count() > 1)) => {
                    split_strings(s, &a.snapshot().iter().map(Value::to_text).collect::<Vec<_>>(), count)
                }
                other => {
                    let set = chars_of(other);
                    split_chars(s, &set, count)
                }
            };
            let pieces: Vec<Value> =
                pieces.into_iter().filter(|p| !(remove_empty && p.is_empty())).map(Value::str).collect();
            Value::array(pieces)
        }
        "substring" => {
            call.count(&[1, 2])?;
            let start = call.int(0)?;
            if start < 0 || start > len {
                let msg = if start < 0 {
                    "StartIndex cannot be less than zero."
                } else {
                    "startIndex cannot be larger than length of string."
                };
                return Err(out_of_range(call, msg, "startIndex"));
            }
            let take = if call.args.len() == 2 { call.int(1)? } else { len - start };
            if take < 0 {
                return Err(out_of_range(call, "Length cannot be less than zero.", "length"));
            }
            if start + take > len {
                return Err(out_of_range(
                    call,
                    "Index and length must refer to a location within the string.",
                    "length",
                ));
            }
            Value::str(chars[start as usize..(start + take) as usize].iter().collect::<String>())
        }
        "indexof" | "lastindexof" => {
            call.count(&[1, 2, 3])?;
            let needle = call.text(0);
            let last = call.lower == "lastindexof";
            let from = if call.args.len() >= 2 {
                call.int(1)?
            } else if last {
                len - 1
            } else {
                0
            };
            if from < 0 || from > len {
                return Err(out_of_range(
                    call,
                    "Index was out of range. Must be non-negative and less than the size of the collection.",
                    "startIndex",
                ));
            }
            let found = if last {
                let end = ((from + needle.chars().count() as i64).min(len)) as usize;
                let hay: String = chars[..end].iter().collect();
                hay.rfind(&needle).map(|b| hay[..b].chars().count() as i64)
            } else {
                let hay: String = chars[from as usize..].iter().collect();
                hay.find(&needle).map(|b| hay[..b].chars().count() as i64 + from)
            };
            Value::Int(found.unwrap_or(-1) as i32)
        }
        "indexofany" => {
            let set = chars_of(&call.arg(0));
            Value::Int(chars.iter().position(|c| set.contains(c)).map(|i| i as i32).unwrap_or(-1))
        }
        "padleft" | "padright" => {
            call.count(&[1, 2])?;
            let width = call.int(0)?;
            if width < 0 {
                return Err(out_of_range(call, "Non-negative number required.", "totalWidth"));
            }
            if width as usize > crate::runtime::ops::arith::MAX_STRING {
                return Err(call
                    .exception("Exception of type 'System.OutOfMemoryException' was thrown.", "OutOfMemoryException")
                    .into());
            }
            let fill = if call.args.len() == 2 { call.text(1).chars().next().unwrap_or(' ') } else { ' ' };
            let pad: String = std::iter::repeat_n(fill, (width - len).max(0) as usize).collect();
            Value::str(if call.lower == "padleft" { format!("{pad}{s}") } else { format!("{s}{pad}") })
        }
        "insert" => {
            call.count(&[2])?;
            let at = call.int(0)?;
            if at < 0 || at > len {
                return Err(out_of_range(
                    call,
                    "Index was out of range. Must be non-negative and less than the size of the collection.",
                    "startIndex",
                ));
            }
            let mut out: String = chars[..at as usize].iter().collect();
            out.push_str(&call.text(1));
            out.extend(&chars[at as usize..]);
            Value::str(out)
        }
        "remove" => {
            call.count(&[1, 2])?;
            let start = call.int(0)?;
            let n = if call.args.len() == 2 { call.int(1)? } else { len - start };
            if start < 0 || n < 0 || start + n > len {
                let msg = if call.args.len() == 1 {
                    "startIndex must be less than length of string."
                } else {
                    "Index and count must refer to a location within the string."
                };
                return Err(out_of_range(call, msg, if call.args.len() == 1 { "startIndex" } else { "count" }));
            }
            let mut out: String = chars[..start as usize].iter().collect();
            out.extend(&chars[(start + n) as usize..]);
            Value::str(out)
        }
        "tochararray" => Value::array(chars.iter().map(|c| Value::Char(*c)).collect()),
        "chars" => {
            call.count(&[1])?;
            let i = call.int(0)?;
            match chars.get(i as usize) {
                Some(c) if i >= 0 => Value::Char(*c),
                _ => {
                    return Err(call
                        .exception("Index was outside the bounds of the array.", "IndexOutOfRangeException")
                        .into());
                }
            }
        }
        "normalize" => Value::str(s),
        "isnormalized" => Value::Bool(true),
        "clone" => Value::str(s),
        "equals" if call.args.len() == 1 => Value::Bool(call.arg(0).as_str() == Some(s)),
        _ => return Ok(None),
    };
    Ok(Some(Some(v)))
}

fn split_chars(s: &str, set: &[char], count: usize) -> Vec<String> {
    if set.is_empty() {
        return split_chars(s, &[' ', '\t', '\n', '\r'], count);
    }
    let mut out = Vec::new();
    let mut current = String::new();
    for c in s.chars() {
        if set.contains(&c) && out.len() + 1 < count {
            out.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    out.push(current);
    out
}

fn split_strings(s: &str, seps: &[String], count: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        if out.len() + 1 >= count {
            break;
        }
        let next =
            seps.iter().filter(|p| !p.is_empty()).filter_map(|p| rest.find(p.as_str()).map(|i| (i, p.len()))).min();
        match next {
            Some((i, n)) => {
                out.push(rest[..i].to_string());
                rest = &rest[i + n..];
            }
            None => break,
        }
    }
    out.push(rest.to_string());
    out
}
