//! Members of objects, error records, exceptions, types and regexes.

use std::rc::Rc;

use super::super::errors::{ErrorRecord, Result};
use super::super::session::Session;
use super::super::value::{Object, Regex, Table, Value, custom_object};
use super::Call;

/// Properties every object has besides its own: `.PSObject`, `.PSTypeNames`.
pub(super) fn object_extra(v: &Value, o: &Object, name: &str) -> Value {
    match name {
        "psobject" => {
            let props: Vec<Value> = o
                .properties()
                .into_iter()
                .map(|(n, val)| {
                    let p = custom_object(vec![
                        ("Value".into(), val.clone()),
                        ("MemberType".into(), Value::str("NoteProperty")),
                        ("IsSettable".into(), Value::Bool(true)),
                        ("IsGettable".into(), Value::Bool(true)),
                        ("TypeNameOfValue".into(), Value::str(val.type_name())),
                        ("Name".into(), Value::str(&n)),
                        ("IsInstance".into(), Value::Bool(true)),
                    ]);
                    if let Value::Object(po) = &p {
                        po.set_type_name("System.Management.Automation.PSNoteProperty");
                    }
                    p
                })
                .collect();
            custom_object(vec![
                ("Properties".into(), Value::array(props)),
                ("TypeNames".into(), Value::array(vec![Value::str(o.type_name()), Value::str("System.Object")])),
                ("BaseObject".into(), v.clone()),
            ])
        }
        "pstypenames" => Value::array(vec![Value::str(o.type_name()), Value::str("System.Object")]),
        "count" | "length" => Value::Int(1),
        _ => Value::Null,
    }
}

/// A property bag with a .NET type name.
fn typed(type_name: &str, props: Vec<(String, Value)>) -> Value {
    let v = custom_object(props);
    if let Value::Object(o) = &v {
        o.set_type_name(type_name);
    }
    v
}

pub fn error_record_property(r: &Rc<ErrorRecord>, name: &str) -> Value {
    match name {
        "exception" => Value::Exception(Rc::new(r.exception_value())),
        "fullyqualifiederrorid" => Value::str(r.fully_qualified_id()),
        "targetobject" => r.target_object.as_deref().cloned().unwrap_or(Value::Null),
        "categoryinfo" => {
            let info = custom_object(vec![
                ("Category".into(), Value::str(r.category.name())),
                ("Activity".into(), Value::str(r.command.clone().unwrap_or_default())),
                ("Reason".into(), Value::str(&r.reason)),
                ("TargetName".into(), Value::str(&r.target)),
                ("TargetType".into(), Value::str(&r.target_type)),
            ]);
            if let Value::Object(o) = &info {
                o.set_type_name("System.Management.Automation.ErrorCategoryInfo");
            }
            info
        }
        "invocationinfo" => {
            let pos = r.position.clone();
            let command =
                r.command.clone().map(|c| custom_object(vec![("Name".into(), Value::str(c))])).unwrap_or(Value::Null);
            typed(
                "System.Management.Automation.InvocationInfo",
                vec![
                    ("MyCommand".into(), command),
                    ("ScriptName".into(), Value::str(pos.as_ref().and_then(|p| p.script.clone()).unwrap_or_default())),
                    ("ScriptLineNumber".into(), Value::Int(pos.as_ref().map(|p| p.line as i32).unwrap_or(0))),
                    ("OffsetInLine".into(), Value::Int(pos.as_ref().map(|p| p.column as i32).unwrap_or(0))),
                    ("Line".into(), Value::str(pos.as_ref().map(|p| format!("{}\n", p.line_text)).unwrap_or_default())),
                    (
                        "PositionMessage".into(),
                        Value::str(
                            pos.as_ref()
                                .map(|p| {
                                    let at = match &p.script {
                                        Some(s) => format!("At {}:{} char:{}", s, p.line, p.column),
                                        None => format!("At line:{} char:{}", p.line, p.column),
                                    };
                                    format!(
                                        "{at}\n+ {}\n+ {}{}",
                                        p.line_text,
                                        " ".repeat(p.column.saturating_sub(1)),
                                        "~".repeat(p.mark_len)
                                    )
                                })
                                .unwrap_or_default(),
                        ),
                    ),
                ],
            )
        }
        "errordetails" => Value::Null,
        "scriptstacktrace" => Value::str(
            r.position.as_ref().map(|p| format!("at <ScriptBlock>, <No file>: line {}", p.line)).unwrap_or_default(),
        ),
        "pipelineiterationinfo" => Value::array(vec![]),
        _ => Value::Null,
    }
}

pub(super) fn exception_property(e: &super::super::value::Exception, name: &str) -> Value {
    match name {
        "message" => Value::str(&*e.message),
        "innerexception" => e.inner.clone().map(Value::Exception).unwrap_or(Value::Null),
        "source" | "stacktrace" | "helplink" => Value::Null,
        "hresult" => Value::Int(-2146233087),
        "data" => Value::hashtable(vec![], false),
        "errorrecord" => Value::Null,
        "wasthrownfromthrowstatement" => Value::Bool(e.thrown),
        _ => Value::Null,
    }
}

pub(super) fn type_property(full: &str, name: &str) -> Value {
    let short = full.rsplit('.').next().unwrap_or(full);
    match name {
        "name" => Value::str(short),
        "fullname" => Value::str(full),
        "namespace" => Value::str(full.rsplit_once('.').map(|(n, _)| n).unwrap_or("")),
        "basetype" => Value::Type(Rc::from(base_type(full))),
        "ispublic" | "isserializable" => Value::Bool(true),
        "isarray" => Value::Bool(full.ends_with("[]")),
        "isvaluetype" => Value::Bool(matches!(
            full,
            "System.Int32"
                | "System.Int64"
                | "System.Double"
                | "System.Boolean"
                | "System.Decimal"
                | "System.DateTime"
                | "System.TimeSpan"
                | "System.Guid"
                | "System.Char"
                | "System.Byte"
        )),
        _ => Value::Null,
    }
}

/// The base type GetType().BaseType shows.
pub fn base_type(full: &str) -> &'static str {
    match full {
        "System.Int32" | "System.Int64" | "System.Double" | "System.Boolean" | "System.Decimal" | "System.DateTime"
        | "System.TimeSpan" | "System.Guid" | "System.Char" | "System.Byte" => "System.ValueType",
        f if f.ends_with("[]") => "System.Array",
        f if f.ends_with("Exception") && f != "System.Exception" => "System.SystemException",
        _ => "System.Object",
    }
}

/// A script function's declared ConfirmImpact against `$ConfirmPreference`
/// (the function's -Confirm sets that preference in its scope).
fn function_impact_asks(cx: &Session, o: &Object) -> bool {
    use crate::runtime::signature::ConfirmImpact;
    let impact = match o.get("ConfirmImpact").map(|v| v.to_text()).as_deref() {
        Some("High") => ConfirmImpact::High,
        Some("Low") => ConfirmImpact::Low,
        Some("None") => ConfirmImpact::None,
        _ => ConfirmImpact::Medium,
    };
    cx.impact_asks(impact)
}

pub(super) fn object_call(cx: &mut Session, v: &Value, o: &Object, call: &Call) -> Result<Option<Option<Value>>> {
    if o.is_type(super::string_builder::TYPE_NAME)
        && let Some(result) = super::string_builder::call(cx, v, o, call)?
    {
        return Ok(Some(Some(result)));
    }
    if o.is_type("System.Management.Automation.PSScriptCmdlet") {
        let v = match call.lower.as_str() {
            "shouldprocess" => {
                let target = call.text(0);
                let action = if call.args.len() >= 2 {
                    call.text(1)
                } else {
                    o.get("CommandName").map(|v| v.to_text()).unwrap_or_default()
                };
                let text = format!("Performing the operation \"{action}\" on target \"{target}\".");
                if o.get("WhatIf").is_some_and(|w| w.is_true()) || cx.get_var("WhatIfPreference").is_true() {
                    cx.print(&format!("What if: {text}\n"));
                    Some(Value::Bool(false))
                } else if o.get("Confirm").is_some_and(|c| c.is_true()) || function_impact_asks(cx, o) {
                    let question = format!("{}\n{text}", crate::runtime::should_process::QUERY);
                    Some(Value::Bool(cx.confirm_prompt(&question)?))
                } else {
                    Some(Value::Bool(true))
                }
            }
            "shouldcontinue" => Some(Value::Bool(!cx.non_interactive)),
            "writeverbose" => {
                cx.verbose(&call.text(0), false);
                None
            }
            "writewarning" => {
                cx.warn(&call.text(0));
                None
            }
            "writeerror" => {
                if let Value::ErrorRecord(r) = call.arg(0) {
                    let action = cx.error_action_preference();
                    cx.write_error((*r).clone(), action);
                }
                None
            }
            "throwterminatingerror" => {
                if let Value::ErrorRecord(r) = call.arg(0) {
                    return Err(super::super::errors::Flow::Error(Box::new((*r).clone())));
                }
                None
            }
            _ => return Ok(None),
        };
        return Ok(Some(v));
    }
    let _ = (Table::new(false), o);
    Ok(None)
}

fn match_object(m: regex::Captures, re: &regex::Regex) -> Value {
    let whole = m.get(0);
    let names: Vec<Option<&str>> = re.capture_names().collect();
    let groups: Vec<Value> = m
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let name = names.get(i).copied().flatten().map(str::to_string).unwrap_or_else(|| i.to_string());
            custom_object(vec![
                ("Name".into(), Value::str(name)),
                ("Success".into(), Value::Bool(g.is_some())),
                ("Value".into(), Value::str(g.map(|g| g.as_str()).unwrap_or(""))),
                ("Index".into(), Value::Int(g.map(|g| g.start() as i32).unwrap_or(0))),
                ("Length".into(), Value::Int(g.map(|g| g.as_str().chars().count() as i32).unwrap_or(0))),
            ])
        })
        .collect();
    custom_object(vec![
        ("Groups".into(), Value::array(groups)),
        ("Success".into(), Value::Bool(whole.is_some())),
        ("Name".into(), Value::str("0")),
        ("Captures".into(), Value::Null),
        ("Index".into(), Value::Int(whole.map(|g| g.start() as i32).unwrap_or(0))),
        ("Length".into(), Value::Int(whole.map(|g| g.as_str().chars().count() as i32).unwrap_or(0))),
        ("Value".into(), Value::str(whole.map(|g| g.as_str()).unwrap_or(""))),
    ])
}

/// `[regex]::Match(...)`'s result, or an unsuccessful match.
pub fn regex_match(re: &regex::Regex, input: &str) -> Value {
    match re.captures(input) {
        Some(c) => match_object(c, re),
        None => custom_object(vec![
            ("Groups".into(), Value::array(vec![])),
            ("Success".into(), Value::Bool(false)),
            ("Name".into(), Value::str("0")),
            ("Captures".into(), Value::Null),
            ("Index".into(), Value::Int(0)),
            ("Length".into(), Value::Int(0)),
            ("Value".into(), Value::str("")),
        ]),
    }
}

pub fn regex_matches(re: &regex::Regex, input: &str) -> Value {
    Value::array(re.captures_iter(input).map(|c| match_object(c, re)).collect())
}

pub(super) fn regex_call(r: &Rc<Regex>, call: &Call) -> Result<Option<Option<Value>>> {
    let re = &r.compiled;
    let v = match call.lower.as_str() {
        "ismatch" => Value::Bool(re.is_match(&call.text(0))),
        "match" => regex_match(re, &call.text(0)),
        "matches" => regex_matches(re, &call.text(0)),
        "replace" => Value::str(super::super::ops::regex_ops::replace(&call.text(0), re, &call.text(1))),
        "split" => Value::array(
            super::super::ops::regex_ops::split(&call.text(0), re, 0).into_iter().map(Value::str).collect(),
        ),
        "tostring" => Value::str(&r.pattern),
        _ => return Ok(None),
    };
    Ok(Some(Some(v)))
}
