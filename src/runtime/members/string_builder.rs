//! System.Text.StringBuilder, which admin scripts use to build reports: an
//! object whose characters are its own state and whose Capacity,
//! MaxCapacity and Length properties follow them as .NET Framework's do.

use super::Call;
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::value::{Object, Value, custom_object};

pub const TYPE_NAME: &str = "System.Text.StringBuilder";

/// .NET Framework's default capacity and the most a chunk grows by.
const DEFAULT_CAPACITY: i64 = 16;
const MAX_CHUNK: i64 = 8000;

/// `[System.Text.StringBuilder]::new()`, `::new(256)`, `::new('text')`,
/// `::new('text', 256)`.
pub fn construct(call: &Call) -> Result<Value> {
    let (text, capacity) = match call.args.as_slice() {
        [] => (String::new(), DEFAULT_CAPACITY),
        [Value::Str(s)] => (s.to_string(), DEFAULT_CAPACITY.max(utf16_len(s))),
        [n] if n.as_i64().is_some() => (String::new(), call.int(0)?),
        [s, _] => (s.to_text(), call.int(1)?.max(utf16_len(&s.to_text()))),
        _ => return Err(call.no_overload().into()),
    };
    if capacity < 0 {
        return Err(call
            .exception("Capacity must be positive.\nParameter name: capacity", "ArgumentOutOfRangeException")
            .into());
    }
    let obj = custom_object(vec![
        ("Capacity".into(), Value::int(capacity)),
        ("MaxCapacity".into(), Value::Int(i32::MAX)),
        ("Length".into(), Value::int(utf16_len(&text))),
    ]);
    if let Value::Object(o) = &obj {
        o.set_type_name(TYPE_NAME);
        o.set_own_text(text);
    }
    Ok(obj)
}

fn utf16_len(s: &str) -> i64 {
    s.encode_utf16().count() as i64
}

/// Stores new text, growing Capacity as .NET Framework does: a full
/// builder adds a chunk of at least its current length (up to 8000).
fn store(o: &Object, text: String) {
    let length = utf16_len(&text);
    let mut capacity = o.get("Capacity").and_then(|v| v.as_i64()).unwrap_or(DEFAULT_CAPACITY);
    let before = o.get("Length").and_then(|v| v.as_i64()).unwrap_or(0);
    if length > capacity {
        capacity += (length - capacity).max(before.min(MAX_CHUNK));
    }
    o.set("Capacity", Value::int(capacity));
    o.set("Length", Value::int(length));
    o.set_own_text(text);
}

/// A StringBuilder method; `Ok(None)` when it has none of that name.
pub fn call(cx: &mut Session, target: &Value, o: &Object, call: &Call) -> Result<Option<Value>> {
    let text = o.own_text().unwrap_or_default();
    let chars: Vec<char> = text.chars().collect();
    let index = |i: usize, what: &str| -> Result<usize> {
        let n = call.int(i)?;
        if n < 0 || n as usize > chars.len() {
            return Err(call
                .exception(&format!("Index was out of range. Must be non-negative and less than or equal to the size of the collection.\nParameter name: {what}"), "ArgumentOutOfRangeException")
                .into());
        }
        Ok(n as usize)
    };
    let changed = match call.lower.as_str() {
        "append" => {
            call.count(&[1, 3])?;
            let mut t = text;
            match call.args.as_slice() {
                [v, start, count] => {
                    let piece: String = v
                        .to_text()
                        .chars()
                        .skip(start.as_i64().unwrap_or(0).max(0) as usize)
                        .take(count.as_i64().unwrap_or(0).max(0) as usize)
                        .collect();
                    t.push_str(&piece);
                }
                _ => t.push_str(&cx.text_of(&call.arg(0))),
            }
            t
        }
        "appendline" => {
            call.count(&[0, 1])?;
            let mut t = text;
            if !call.args.is_empty() {
                t.push_str(&cx.text_of(&call.arg(0)));
            }
            t.push_str("\r\n");
            t
        }
        "appendformat" => {
            let format = call.text(0);
            let rest: Vec<Value> = match call.args.get(1..) {
                Some([Value::Array(a)]) => a.snapshot(),
                Some(more) => more.to_vec(),
                None => Vec::new(),
            };
            let mut t = text;
            t.push_str(&crate::runtime::ops::format::format_operator(&format, &rest)?);
            t
        }
        "insert" => {
            call.count(&[2])?;
            let at = index(0, "index")?;
            let mut out: String = chars[..at].iter().collect();
            out.push_str(&call.text(1));
            out.extend(&chars[at..]);
            out
        }
        "remove" => {
            call.count(&[2])?;
            let start = index(0, "startIndex")?;
            let count = call.int(1)?.max(0) as usize;
            if start + count > chars.len() {
                return Err(call
                    .exception(
                        "Index was out of range. Must be non-negative and less than the size of the collection.\nParameter name: length",
                        "ArgumentOutOfRangeException",
                    )
                    .into());
            }
            chars[..start].iter().chain(&chars[start + count..]).collect()
        }
        "replace" => {
            call.count(&[2, 4])?;
            let (from, to) = (call.text(0), call.text(1));
            if from.is_empty() {
                return Err(call
                    .exception("String cannot be of zero length.\nParameter name: oldValue", "ArgumentException")
                    .into());
            }
            text.replace(&from, &to)
        }
        "clear" => String::new(),
        "tostring" => {
            return Ok(Some(Value::str(match call.args.as_slice() {
                [] => text,
                _ => {
                    let start = index(0, "startIndex")?;
                    let len = call.int(1)?.max(0) as usize;
                    chars.iter().skip(start).take(len).collect()
                }
            })));
        }
        "ensurecapacity" => {
            let wanted = call.int(0)?;
            let capacity = o.get("Capacity").and_then(|v| v.as_i64()).unwrap_or(DEFAULT_CAPACITY);
            if wanted > capacity {
                o.set("Capacity", Value::int(wanted));
            }
            return Ok(Some(o.get("Capacity").unwrap_or(Value::Null)));
        }
        _ => return Ok(None),
    };
    store(o, changed);
    // The methods that change the builder return it (hence `[void]$sb.Append()`).
    Ok(Some(target.clone()))
}
