//! Methods of arrays, lists and hashtables, and PowerShell's `.ForEach()`
//! and `.Where()` on every collection.

use std::rc::Rc;

use super::super::errors::Result;
use super::super::eval::collapse;
use super::super::ops::compare_scalars;
use super::super::session::Session;
use super::super::value::{Array, ArrayKind, Table, Value, custom_object};
use super::Call;

fn fixed_size(call: &Call) -> super::super::errors::Flow {
    call.exception("Collection was of a fixed size.", "NotSupportedException").into()
}

fn same(a: &Value, b: &Value) -> bool {
    compare_scalars(a, b, true) == Some(std::cmp::Ordering::Equal)
}

pub(super) fn array_call(
    cx: &mut Session,
    target: &Value,
    a: &Rc<Array>,
    call: &Call,
) -> Result<Option<Option<Value>>> {
    let growable = a.is_growable();
    let v = match call.lower.as_str() {
        "foreach" => {
            let items = a.snapshot();
            let mut out = Vec::new();
            match call.arg(0) {
                Value::ScriptBlock(b) => {
                    for item in items {
                        out.extend(cx.invoke_block(&b, Some(&item))?);
                    }
                }
                other => {
                    let name = other.to_text();
                    for item in items {
                        out.push(item.property(&name));
                    }
                }
            }
            Some(Value::Array(Rc::new(Array::new(out, ArrayKind::Object))))
        }
        "where" => {
            let Value::ScriptBlock(b) = call.arg(0) else { return Err(call.no_overload().into()) };
            let mode = call.text(1).to_lowercase();
            let limit = if call.args.len() >= 3 { call.int(2)?.max(0) as usize } else { 0 };
            let items = a.snapshot();
            let mut kept = Vec::new();
            let mut rest = Vec::new();
            let mut hit = false;
            for item in items {
                let keep = collapse(cx.invoke_block(&b, Some(&item))?).is_true();
                match mode.as_str() {
                    "first" | "" if keep && (limit == 0 || kept.len() < limit) => {
                        kept.push(item);
                        if mode == "first" && (limit == 0 || kept.len() == limit) {
                            break;
                        }
                    }
                    "last" if keep => kept.push(item),
                    "skipuntil" => {
                        hit |= keep;
                        if hit {
                            kept.push(item);
                        }
                    }
                    "until" => {
                        if keep {
                            break;
                        }
                        kept.push(item);
                    }
                    "split" => {
                        if keep && (limit == 0 || kept.len() < limit) {
                            kept.push(item);
                        } else {
                            rest.push(item);
                        }
                    }
                    _ => {}
                }
            }
            if mode == "last" && limit > 0 && kept.len() > limit {
                kept.drain(..kept.len() - limit);
            } else if mode == "last" && limit == 0 && kept.len() > 1 {
                kept.drain(..kept.len() - 1);
            }
            if mode == "split" {
                Some(Value::array(vec![Value::array(kept), Value::array(rest)]))
            } else {
                Some(Value::Array(Rc::new(Array::new(kept, ArrayKind::Object))))
            }
        }
        "contains" => {
            call.count(&[1])?;
            let x = call.arg(0);
            Some(Value::Bool(a.items().iter().any(|i| same(i, &x))))
        }
        "indexof" => {
            let x = call.arg(0);
            Some(Value::Int(a.items().iter().position(|i| same(i, &x)).map(|i| i as i32).unwrap_or(-1)))
        }
        "lastindexof" => {
            let x = call.arg(0);
            Some(Value::Int(a.items().iter().rposition(|i| same(i, &x)).map(|i| i as i32).unwrap_or(-1)))
        }
        "clone" => Some(Value::Array(Rc::new(Array::new(a.snapshot(), a.kind.clone())))),
        "toarray" => Some(Value::array(a.snapshot())),
        "getenumerator" => Some(target.clone()),
        "add" => {
            call.count(&[1])?;
            if !growable {
                return Err(fixed_size(call));
            }
            let item = typed(a, call.arg(0))?;
            a.items_mut().push(item);
            // ArrayList.Add returns the new item's index; List<T>.Add is void.
            match a.kind {
                ArrayKind::ArrayList => Some(Value::Int(a.len() as i32 - 1)),
                _ => None,
            }
        }
        "addrange" => {
            if !growable {
                return Err(fixed_size(call));
            }
            for item in call.arg(0).into_items() {
                let item = typed(a, item)?;
                a.items_mut().push(item);
            }
            None
        }
        "insert" => {
            if !growable {
                return Err(fixed_size(call));
            }
            let at = call.int(0)?;
            if at < 0 || at as usize > a.len() {
                return Err(call
                    .exception(
                        "Index must be within the bounds of the List.\nParameter name: index",
                        "ArgumentOutOfRangeException",
                    )
                    .into());
            }
            let item = typed(a, call.arg(1))?;
            a.items_mut().insert(at as usize, item);
            None
        }
        "remove" => {
            if !growable {
                return Err(fixed_size(call));
            }
            let x = call.arg(0);
            let pos = a.items().iter().position(|i| same(i, &x));
            if let Some(p) = pos {
                a.items_mut().remove(p);
            }
            match a.kind {
                ArrayKind::List(_) => Some(Value::Bool(pos.is_some())),
                _ => None,
            }
        }
        "removeat" => {
            if !growable {
                return Err(fixed_size(call));
            }
            let at = call.int(0)?;
            if at < 0 || at as usize >= a.len() {
                return Err(call
                    .exception(
                        "Index was out of range. Must be non-negative and less than the size of the collection.\nParameter name: index",
                        "ArgumentOutOfRangeException",
                    )
                    .into());
            }
            a.items_mut().remove(at as usize);
            None
        }
        "clear" => {
            if growable {
                a.items_mut().clear();
            } else {
                let n = a.len();
                let mut items = a.items_mut();
                for slot in items.iter_mut().take(n) {
                    *slot = Value::Null;
                }
            }
            None
        }
        "sort" => {
            if !growable {
                return Ok(None);
            }
            a.items_mut().sort_by(|x, y| compare_scalars(x, y, false).unwrap_or(std::cmp::Ordering::Equal));
            None
        }
        "reverse" => {
            if !growable {
                return Ok(None);
            }
            a.items_mut().reverse();
            None
        }
        "getrange" => {
            let (i, n) = (call.int(0)?.max(0) as usize, call.int(1)?.max(0) as usize);
            let items = a.snapshot();
            let end = (i + n).min(items.len());
            Some(Value::Array(Rc::new(Array::new(items[i.min(end)..end].to_vec(), a.kind.clone()))))
        }
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// Items added to a `List[T]` are converted to `T`.
fn typed(a: &Array, v: Value) -> Result<Value> {
    if let ArrayKind::List(t) = &a.kind
        && let Some(ty) = super::super::eval::type_by_name(t)
    {
        return super::super::types::cast(v, &ty).map_err(|e| {
            super::super::errors::ErrorRecord::new(
                e.message,
                super::super::errors::Category::InvalidArgument,
                e.error_id,
                "RuntimeException",
            )
            .unqualified()
            .into()
        });
    }
    Ok(v)
}

pub(super) fn table_call(t: &Rc<Table>, call: &Call) -> Result<Option<Option<Value>>> {
    let v = match call.lower.as_str() {
        "add" => {
            call.count(&[2])?;
            let k = call.arg(0);
            if t.contains(&k) {
                let key = k.to_text();
                return Err(call
                    .exception(
                        &format!("Item has already been added. Key in dictionary: '{key}'  Key being added: '{key}'"),
                        "ArgumentException",
                    )
                    .into());
            }
            if k.is_null() {
                return Err(call.exception("Key cannot be null.\nParameter name: key", "ArgumentNullException").into());
            }
            t.insert(k, call.arg(1));
            None
        }
        "remove" => {
            call.count(&[1])?;
            t.remove(&call.arg(0));
            None
        }
        "containskey" | "contains" => {
            call.count(&[1])?;
            Some(Value::Bool(t.contains(&call.arg(0))))
        }
        "containsvalue" => {
            call.count(&[1])?;
            let x = call.arg(0);
            Some(Value::Bool(t.values().iter().any(|v| same(v, &x))))
        }
        "clear" => {
            t.clear();
            None
        }
        "clone" => Some(Value::Hashtable(Rc::new(t.copy()))),
        "getenumerator" => Some(Value::array(
            t.entries()
                .into_iter()
                .map(|(k, v)| {
                    let entry = custom_object(vec![("Name".into(), k.clone()), ("Key".into(), k), ("Value".into(), v)]);
                    if let Value::Object(o) = &entry {
                        o.set_type_name("System.Collections.DictionaryEntry");
                    }
                    entry
                })
                .collect(),
        )),
        "item" => Some(t.get(&call.arg(0)).unwrap_or(Value::Null)),
        _ => return Ok(None),
    };
    Ok(Some(v))
}
