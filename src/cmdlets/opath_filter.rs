//! Evaluates an OPATH -Filter against the objects a Get- cmdlet returns.

use crate::language::opath::{Filter, FilterOp, parse_filter};
use crate::runtime::errors::ErrorRecord;
use crate::runtime::ops::{compare_scalars, wildcard_match};
use crate::runtime::value::{Object, Value};

/// Parses -Filter and checks that each property exists on the object type
/// and that each value converts to the property's type (`booleans` names
/// the Boolean ones): Exchange refuses `ImapEnabled -eq 'Flase'` rather than
/// guess.
pub fn compile(text: &str, known: &[&str], booleans: &[&str]) -> Result<Filter, ErrorRecord> {
    let filter = parse_filter(text).map_err(|pos| {
        ErrorRecord::argument_transformation(
            "Filter",
            &format!(
                "Invalid filter syntax. For a description of the filter parameter syntax see the command help.\n\"{text}\" at position {}.",
                pos + 1
            ),
        )
    })?;
    for p in filter.properties() {
        if !known.iter().any(|k| k.eq_ignore_ascii_case(p)) {
            return Err(ErrorRecord::argument_transformation(
                "Filter",
                &format!(
                    "Cannot bind parameter 'Filter' to the target. Exception setting \"Filter\": \"'{p}' is not a recognized filterable property.\""
                ),
            ));
        }
    }
    check_values(&filter, booleans)?;
    Ok(filter)
}

fn check_values(filter: &Filter, booleans: &[&str]) -> Result<(), ErrorRecord> {
    match filter {
        Filter::And(parts) | Filter::Or(parts) => parts.iter().try_for_each(|f| check_values(f, booleans)),
        Filter::Not(f) => check_values(f, booleans),
        Filter::Compare { property, value, .. } => {
            let t = value.trim_start_matches('$').to_ascii_lowercase();
            let boolean = booleans.iter().any(|b| b.eq_ignore_ascii_case(property));
            if boolean && !matches!(t.as_str(), "true" | "false" | "1" | "0" | "null") {
                return Err(ErrorRecord::argument_transformation(
                    "Filter",
                    &format!(
                        "Cannot bind parameter 'Filter' to the target. Exception setting \"Filter\": \"The value \"{value}\" could not be converted to type System.Boolean.\""
                    ),
                ));
            }
            Ok(())
        }
    }
}

pub fn matches(filter: &Filter, o: &Object) -> bool {
    match filter {
        Filter::And(parts) => parts.iter().all(|f| matches(f, o)),
        Filter::Or(parts) => parts.iter().any(|f| matches(f, o)),
        Filter::Not(f) => !matches(f, o),
        Filter::Compare { property, op, value } => {
            let actual = o.get(property).unwrap_or(Value::Null);
            let wanted = typed_like(&actual, value);
            use std::cmp::Ordering::*;
            match op {
                FilterOp::Eq => eq(&actual, &wanted),
                FilterOp::Ne => !eq(&actual, &wanted),
                FilterOp::Like => any_text(&actual, |t| wildcard_match(value, t, false)),
                FilterOp::NotLike => !any_text(&actual, |t| wildcard_match(value, t, false)),
                FilterOp::Gt => compare_scalars(&actual, &wanted, false) == Some(Greater),
                FilterOp::Ge => matches!(compare_scalars(&actual, &wanted, false), Some(Greater | Equal)),
                FilterOp::Lt => compare_scalars(&actual, &wanted, false) == Some(Less),
                FilterOp::Le => {
                    matches!(compare_scalars(&actual, &wanted, false), Some(Less | Equal))
                }
            }
        }
    }
}

/// `$false` arrives as the text `False` (PowerShell expanded it inside the
/// double quotes); OPATH reads it by the property's type.
fn typed_like(actual: &Value, text: &str) -> Value {
    let t = text.trim_start_matches('$');
    match actual {
        Value::Bool(_) => match t.to_ascii_lowercase().as_str() {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => Value::str(text),
        },
        Value::Null if t.eq_ignore_ascii_case("null") => Value::Null,
        _ if t.eq_ignore_ascii_case("null") => Value::Null,
        _ => Value::str(text),
    }
}

fn eq(actual: &Value, wanted: &Value) -> bool {
    match actual {
        Value::Array(items) => items.items().iter().any(|i| eq(i, wanted)),
        _ => compare_scalars(actual, wanted, false) == Some(std::cmp::Ordering::Equal),
    }
}

fn any_text(actual: &Value, f: impl Fn(&str) -> bool) -> bool {
    match actual {
        Value::Array(items) => items.items().iter().any(|i| f(&i.to_text())),
        other => f(&other.to_text()),
    }
}
