//! Members of values: properties (`$m.Name`, member enumeration over
//! arrays, `.Count` on everything), items (`$a[0]`, `$h['k']`), and the
//! .NET methods scripts call, one file per kind of value.

pub mod catalog;
mod collections;
mod dates;
mod objects;
pub mod string_builder;
mod strings;

use std::rc::Rc;

use super::errors::{Category, ErrorRecord, Result};
use super::session::Session;
use super::types::{TypeRef, cast};
use super::value::Value;
use super::value::text_format_guid as format_guid;

pub use dates::{add_months, days_in_month};
pub use objects::{error_record_property, regex_match, regex_matches};

/// The base type name `.GetType()` shows for a type (`System.ValueType`).
pub fn base_type_name(full: &str) -> &'static str {
    objects::base_type(full)
}

/// A method's name and arguments, for the error messages.
pub struct Call<'a> {
    pub name: &'a str,
    pub lower: String,
    pub args: Vec<Value>,
}

impl Call<'_> {
    pub fn arg(&self, i: usize) -> Value {
        self.args.get(i).cloned().unwrap_or(Value::Null)
    }
    pub fn text(&self, i: usize) -> String {
        self.args.get(i).map(Value::to_text).unwrap_or_default()
    }
    pub fn int(&self, i: usize) -> Result<i64> {
        match cast(self.arg(i), &TypeRef::Long) {
            Ok(v) => Ok(v.as_i64().unwrap_or(0)),
            Err(e) => Err(self.exception(&e.message, "PSInvalidCastException").into()),
        }
    }
    pub fn float(&self, i: usize) -> Result<f64> {
        match cast(self.arg(i), &TypeRef::Double) {
            Ok(Value::Double(f)) => Ok(f),
            Ok(_) => Ok(0.0),
            Err(e) => Err(self.exception(&e.message, "PSInvalidCastException").into()),
        }
    }
    /// `Exception calling "X" with "N" argument(s): "inner"`
    pub fn exception(&self, inner: &str, exception: &str) -> ErrorRecord {
        ErrorRecord::new(
            format!("Exception calling \"{}\" with \"{}\" argument(s): \"{inner}\"", self.name, self.args.len()),
            Category::NotSpecified,
            exception,
            "MethodInvocationException",
        )
        .with_inner(&super::exceptions::full_name(exception), inner)
        .unqualified()
    }
    /// `Cannot find an overload for "X" and the argument count: "N".`
    pub fn no_overload(&self) -> ErrorRecord {
        ErrorRecord::new(
            format!("Cannot find an overload for \"{}\" and the argument count: \"{}\".", self.name, self.args.len()),
            Category::NotSpecified,
            "MethodCountCouldNotFindBest",
            "MethodException",
        )
        .unqualified()
    }
    pub fn count(&self, allowed: &[usize]) -> Result<()> {
        if allowed.contains(&self.args.len()) { Ok(()) } else { Err(self.no_overload().into()) }
    }
}

fn no_method(target: &Value, name: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!("Method invocation failed because [{}] does not contain a method named '{name}'.", target.type_name()),
        Category::InvalidOperation,
        "MethodNotFound",
        "RuntimeException",
    )
    .unqualified()
}

/// `$x.Name`
pub fn get(cx: &mut Session, target: &Value, name: &str) -> Result<Value> {
    let _ = cx;
    let v = target.property(name);
    if v.is_null()
        && !matches!(target, Value::Null | Value::Object(_))
        && let Some((method, overloads)) = catalog::method(target, name)
    {
        return Ok(ps_method(method, overloads));
    }
    Ok(v)
}

/// `$x.ToUpper` without parentheses: the method itself, as PowerShell's
/// PSMethod (shown as its overload definitions).
fn ps_method(name: &str, overloads: Vec<String>) -> Value {
    let obj = super::value::custom_object(vec![
        ("MemberType".into(), Value::str("Method")),
        ("OverloadDefinitions".into(), Value::array(overloads.into_iter().map(Value::str).collect())),
        ("TypeNameOfValue".into(), Value::str("System.Management.Automation.PSMethod")),
        ("Name".into(), Value::str(name)),
        ("IsInstance".into(), Value::Bool(true)),
    ]);
    if let Value::Object(o) = &obj {
        o.set_type_name("System.Management.Automation.PSMethod");
    }
    obj
}

impl Value {
    /// A property of a value; arrays give the property of each element
    /// (member enumeration), and `Count`/`Length` work on everything.
    pub fn property(&self, name: &str) -> Value {
        let lower = name.to_ascii_lowercase();
        match self {
            Value::Object(o) => match o.get(name) {
                Some(v) => v,
                None => objects::object_extra(self, o, &lower),
            },
            Value::Hashtable(t) => {
                if let Some(v) = t.get_str(name) {
                    return v;
                }
                match lower.as_str() {
                    "count" => Value::Int(t.len() as i32),
                    "keys" => Value::array(t.keys()),
                    "values" => Value::array(t.values()),
                    "isreadonly" | "isfixedsize" | "issynchronized" => Value::Bool(false),
                    _ => Value::Null,
                }
            }
            Value::Array(a) => match lower.as_str() {
                "count" | "length" | "longlength" => Value::Int(a.len() as i32),
                "rank" => Value::Int(1),
                "isfixedsize" => Value::Bool(!a.is_growable()),
                "isreadonly" => Value::Bool(false),
                _ => {
                    let vals: Vec<Value> = a
                        .snapshot()
                        .iter()
                        .map(|v| v.property(name))
                        .filter(|v| !v.is_null())
                        .flat_map(|v| match v {
                            Value::Array(inner) => inner.snapshot(),
                            other => vec![other],
                        })
                        .collect();
                    match vals.len() {
                        0 => Value::Null,
                        1 => vals.into_iter().next().unwrap_or(Value::Null),
                        _ => Value::array(vals),
                    }
                }
            },
            Value::Str(s) => match lower.as_str() {
                "length" => Value::Int(s.encode_utf16().count() as i32),
                "count" => Value::Int(1),
                _ => Value::Null,
            },
            Value::DateTime(d) => dates::date_property(d, &lower),
            Value::TimeSpan(t) => dates::timespan_property(*t, &lower),
            Value::ErrorRecord(r) => error_record_property(r, &lower),
            Value::Exception(e) => objects::exception_property(e, &lower),
            Value::Credential(c) => match lower.as_str() {
                "username" => Value::str(&c.user),
                "password" => Value::SecureString(c.password.clone()),
                _ => Value::Null,
            },
            Value::SecureString(s) => match lower.as_str() {
                "length" => Value::Int(s.chars().count() as i32),
                _ => Value::Null,
            },
            Value::Type(t) => objects::type_property(t, &lower),
            Value::Guid(g) => match lower.as_str() {
                "guid" => Value::str(format_guid(g.bits())),
                "count" | "length" => Value::Int(1),
                _ => Value::Null,
            },
            Value::Bool(b) | Value::Switch(b) if lower == "ispresent" => Value::Bool(*b),
            Value::Ref(cell) if lower == "value" => cell.borrow().clone(),
            Value::Enumerator(e) if lower == "current" => e.current(),
            Value::Enum(d, i) => match lower.as_str() {
                "value__" => Value::Int(*i as i32),
                "count" | "length" => Value::Int(1),
                _ => {
                    let _ = d;
                    Value::Null
                }
            },
            Value::Regex(r) => match lower.as_str() {
                "options" => Value::str("None"),
                _ => {
                    let _ = r;
                    Value::Null
                }
            },
            Value::Null => match lower.as_str() {
                "count" | "length" => Value::Int(0),
                _ => Value::Null,
            },
            _ => match lower.as_str() {
                "count" | "length" => Value::Int(1),
                _ => Value::Null,
            },
        }
    }
}

/// `$x.Name = value`
pub fn set(target: &Value, name: &str, value: Value) -> std::result::Result<(), ErrorRecord> {
    match target {
        Value::Object(o) => {
            if o.set(name, value) {
                Ok(())
            } else {
                Err(property_not_found(name))
            }
        }
        Value::Hashtable(t) => {
            t.insert(Value::str(name), value);
            Ok(())
        }
        Value::Ref(cell) if name.eq_ignore_ascii_case("value") => {
            *cell.borrow_mut() = value;
            Ok(())
        }
        Value::Array(a) => {
            // Member enumeration sets the property on every element.
            for item in a.snapshot() {
                set(&item, name, value.clone())?;
            }
            Ok(())
        }
        Value::Null => Err(ErrorRecord::new(
            format!(
                "The property '{name}' cannot be found on this object. Verify that the property exists and can be set."
            ),
            Category::InvalidOperation,
            "PropertyNotFound",
            "RuntimeException",
        )
        .unqualified()),
        _ => Err(ErrorRecord::new(
            format!("'{name}' is a ReadOnly property."),
            Category::InvalidOperation,
            "PropertyAssignmentException",
            "RuntimeException",
        )
        .unqualified()),
    }
}

fn property_not_found(name: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!(
            "The property '{name}' cannot be found on this object. Verify that the property exists and can be set."
        ),
        Category::InvalidOperation,
        "PropertyNotFound",
        "RuntimeException",
    )
    .unqualified()
}

/// `$x[i]`: arrays (negative from the end, several indexes at once),
/// hashtables by key, strings by character.
pub fn index(target: &Value, key: &Value) -> Result<Value> {
    Ok(match (target, key) {
        (Value::Null, _) => {
            return Err(ErrorRecord::new(
                "Cannot index into a null array.",
                Category::InvalidOperation,
                "NullArray",
                "RuntimeException",
            )
            .unqualified()
            .into());
        }
        (Value::Hashtable(t), Value::Array(keys)) => {
            Value::array(keys.snapshot().iter().map(|k| t.get(k).unwrap_or(Value::Null)).collect())
        }
        (Value::Hashtable(t), key) => match t.get(key) {
            Some(v) => v,
            // An ordered dictionary also takes a position.
            None if t.ordered && matches!(key, Value::Int(_)) => {
                let i = key.as_i64().unwrap_or(-1);
                t.values().get(usize::try_from(i).unwrap_or(usize::MAX)).cloned().unwrap_or(Value::Null)
            }
            None => Value::Null,
        },
        (Value::Array(_) | Value::Str(_), Value::Array(indexes)) => {
            let mut out = Vec::new();
            for ix in indexes.snapshot() {
                let v = index(target, &ix)?;
                if !v.is_null() {
                    out.push(v);
                }
            }
            Value::array(out)
        }
        (Value::Array(a), ix) => {
            let Some(i) = int_index(ix) else { return Ok(Value::Null) };
            let len = a.len() as i64;
            let i = if i < 0 { len + i } else { i };
            if (0..len).contains(&i) { a.get(i as usize).unwrap_or(Value::Null) } else { Value::Null }
        }
        (Value::Str(s), ix) => {
            let Some(i) = int_index(ix) else { return Ok(Value::Null) };
            let chars: Vec<char> = s.chars().collect();
            let len = chars.len() as i64;
            let i = if i < 0 { len + i } else { i };
            if (0..len).contains(&i) { Value::Char(chars[i as usize]) } else { Value::Null }
        }
        (Value::Object(o), Value::Str(name)) => o.get(name).unwrap_or(Value::Null),
        (Value::Object(o), ix) if o.type_name().ends_with("MatchCollection") => Value::Object(o.clone())
            .property("Items")
            .as_array()
            .and_then(|items| {
                let i = int_index(ix)?;
                items.get(i as usize).cloned()
            })
            .unwrap_or(Value::Null),
        (other, ix) if int_index(ix) == Some(0) || int_index(ix) == Some(-1) => other.clone(),
        _ => Value::Null,
    })
}

fn int_index(v: &Value) -> Option<i64> {
    match v {
        Value::Int(_) | Value::Long(_) | Value::Byte(_) => v.as_i64(),
        other => cast(other.clone(), &TypeRef::Long).ok().and_then(|v| v.as_i64()),
    }
}

/// `$x[i] = value`
pub fn set_index(target: &Value, index: &Value, value: Value) -> std::result::Result<(), ErrorRecord> {
    match target {
        Value::Hashtable(t) => {
            t.insert(index.clone(), value);
            Ok(())
        }
        Value::Array(a) => {
            let i = int_index(index).unwrap_or(i64::MAX);
            let len = a.len() as i64;
            let at = if i < 0 { len + i } else { i };
            if !(0..len).contains(&at) {
                return Err(ErrorRecord::new(
                    "Index was outside the bounds of the array.",
                    Category::OperationStopped,
                    "System.IndexOutOfRangeException",
                    "IndexOutOfRangeException",
                )
                .with_exception_type("System.IndexOutOfRangeException")
                .unqualified());
            }
            let value = match &a.kind {
                super::value::ArrayKind::Typed(t) | super::value::ArrayKind::List(t) => {
                    match super::eval::type_by_name(t) {
                        Some(ty) => cast(value, &ty).map_err(|e| {
                            ErrorRecord::new(e.message, Category::InvalidArgument, e.error_id, "RuntimeException")
                                .unqualified()
                        })?,
                        None => value,
                    }
                }
                _ => value,
            };
            a.items_mut()[at as usize] = value;
            Ok(())
        }
        Value::Null => Err(ErrorRecord::new(
            "Cannot index into a null array.",
            Category::InvalidOperation,
            "NullArray",
            "RuntimeException",
        )
        .unqualified()),
        other => Err(ErrorRecord::new(
            format!("Unable to index into an object of type {}.", other.type_name()),
            Category::InvalidOperation,
            "CannotIndex",
            "RuntimeException",
        )
        .unqualified()),
    }
}

/// `$x.Method(args)`: `None` for a method that returns nothing (void).
pub fn call(cx: &mut Session, target: &Value, name: &str, args: Vec<Value>) -> Result<Option<Value>> {
    let call = Call { name, lower: name.to_ascii_lowercase(), args };
    if target.is_null() {
        return Err(ErrorRecord::new(
            "You cannot call a method on a null-valued expression.",
            Category::InvalidOperation,
            "InvokeMethodOnNull",
            "RuntimeException",
        )
        .unqualified()
        .into());
    }
    let specific = match target {
        Value::Str(s) => strings::call(s, &call)?,
        Value::Array(a) => collections::array_call(cx, target, a, &call)?,
        Value::Hashtable(t) => collections::table_call(t, &call)?,
        Value::DateTime(d) => dates::date_call(d, &call)?,
        Value::TimeSpan(t) => dates::timespan_call(*t, &call)?,
        Value::ScriptBlock(b) => match call.lower.as_str() {
            "invoke" | "invokereturnasis" => {
                let b = b.clone();
                Some(Some(super::eval::collapse(cx.call_block(&b, call.args.clone(), None)?)))
            }
            "getnewclosure" => Some(Some(cx.new_closure(b))),
            _ => None,
        },
        Value::Object(o) => objects::object_call(cx, target, o, &call)?,
        Value::Credential(c) if call.lower == "getnetworkcredential" => Some(Some(super::value::custom_object(vec![
            ("UserName".into(), Value::str(&c.user)),
            ("Password".into(), Value::str(&*c.password)),
            ("SecurePassword".into(), Value::SecureString(c.password.clone())),
            ("Domain".into(), Value::str("")),
        ]))),
        Value::Regex(r) => objects::regex_call(r, &call)?,
        Value::Enumerator(e) => match call.lower.as_str() {
            "movenext" => Some(Some(Value::Bool(e.move_next()))),
            "reset" => {
                e.reset();
                Some(None)
            }
            _ => None,
        },
        Value::Exception(_) | Value::ErrorRecord(_) | Value::Type(_) => None,
        _ => None,
    };
    if let Some(result) = specific {
        return Ok(result);
    }
    if let Value::Array(a) = target
        && !matches!(call.lower.as_str(), "tostring" | "gettype" | "equals" | "gethashcode" | "compareto")
    {
        // Member enumeration: a method the array lacks is called on each item.
        let mut out = Vec::new();
        for item in a.snapshot() {
            if let Some(v) = self::call(cx, &item, name, call.args.clone())? {
                out.push(v);
            }
        }
        return Ok(Some(super::eval::collapse(out)));
    }
    common(target, &call)
}

/// Methods every value has.
fn common(target: &Value, call: &Call) -> Result<Option<Value>> {
    Ok(Some(match call.lower.as_str() {
        "tostring" => match call.args.first() {
            Some(fmt) => Value::str(super::ops::format::format_value(target, Some(&fmt.to_text()))),
            None => Value::str(match target {
                Value::DateTime(d) => d.display_text(),
                Value::Type(t) => t.to_string(),
                other => other.to_text(),
            }),
        },
        "gettype" => {
            call.count(&[0])?;
            Value::Type(Rc::from(target.type_name().as_str()))
        }
        "equals" => {
            call.count(&[1])?;
            let other = call.arg(0);
            Value::Bool(match (target, &other) {
                (Value::Array(a), Value::Array(b)) => Rc::ptr_eq(a, b),
                (Value::Hashtable(a), Value::Hashtable(b)) => Rc::ptr_eq(a, b),
                (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
                (Value::Array(_) | Value::Hashtable(_) | Value::Object(_), _) => false,
                _ => {
                    super::ops::compare_scalars(target, &other, true) == Some(std::cmp::Ordering::Equal)
                        && (target.type_name() == other.type_name() || !target.is_number())
                }
            })
        }
        "compareto" => {
            call.count(&[1])?;
            Value::Int(match super::ops::compare_scalars(target, &call.arg(0), true) {
                Some(std::cmp::Ordering::Less) => -1,
                Some(std::cmp::Ordering::Greater) => 1,
                _ => 0,
            })
        }
        "gethashcode" => {
            Value::Int(target.to_text().bytes().fold(0i32, |h, b| h.wrapping_mul(31).wrapping_add(b as i32)))
        }
        _ => return Err(no_method(target, call.name).into()),
    }))
}
