//! Compare-Object (compare, diff): which objects are only in the reference
//! set (`<=`), only in the difference set (`=>`), or in both (`==`, with
//! -IncludeEqual); compared as PowerShell compares (strings ignoring case
//! unless -CaseSensitive), whole or by -Property.

use super::common::object_array;
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::eval::collapse;
use crate::runtime::ops::compare_scalars;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{Value, custom_object};

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Compare-Object")
        .aliases(&["compare", "diff"])
        .class("Microsoft.PowerShell.Commands.CompareObjectCommand")
        .synopsis("Compares two sets of objects: <= only in the reference set, => only in the difference set.")
        .param(Param::new("ReferenceObject", object_array()).position(0).mandatory())
        .param(Param::new("DifferenceObject", object_array()).position(1).mandatory().pipeline())
        .param(Param::new("Property", T::Properties).help("Compare these properties (names or calculated) instead of whole objects."))
        .param(Param::new("IncludeEqual", T::Switch).help("Also the objects in both sets (==)."))
        .param(Param::new("ExcludeDifferent", T::Switch).help("Only the objects in both sets."))
        .param(Param::new("PassThru", T::Switch).help("The objects themselves, with a SideIndicator property."))
        .param(Param::new("CaseSensitive", T::Switch))
        .param(Param::new("SyncWindow", T::Int { min: 0, max: i32::MAX as i64 }))
        .param(Param::new("Culture", T::String))
        .example(
            "Who lost IMAP4 access",
            "$before = 'John Smith', 'Ken Sanchez'; $after = 'John Smith'; Compare-Object -ReferenceObject $before -DifferenceObject $after",
            "",
        );
    vec![powershell_cmdlet!(sig, || Compare { difference: Vec::new(), failed: false })]
}

struct Compare {
    difference: Vec<Value>,
    /// A null -ReferenceObject: the error is written and nothing compared.
    failed: bool,
}

/// `Cannot bind argument to parameter 'X' because it is null.`
fn null_argument(name: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!("Cannot bind argument to parameter '{name}' because it is null."),
        Category::InvalidData,
        "ParameterArgumentValidationErrorNullNotAllowed",
        "ParameterBindingValidationException",
    )
}

impl Processor for Compare {
    fn begin(&mut self, args: &Args, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if matches!(args.get("ReferenceObject"), Some(Value::Null)) {
            self.failed = true;
            return Err(null_argument("ReferenceObject").into());
        }
        Ok(())
    }

    fn process(&mut self, args: &Args, _input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if self.failed {
            return Ok(());
        }
        match args.get("DifferenceObject") {
            Some(Value::Null) | None => Err(null_argument("DifferenceObject").into()),
            Some(v) => {
                self.difference.extend(v.clone().into_items());
                Ok(())
            }
        }
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        if self.failed {
            return Ok(());
        }
        let reference = args.get("ReferenceObject").cloned().unwrap_or(Value::Null).into_items();
        let cs = args.switch("CaseSensitive");
        let props = property_specs(args);
        let keys_of = |cx: &mut Session, v: &Value| -> Result<Vec<Value>> {
            match &props {
                None => Ok(vec![v.clone()]),
                Some(specs) => specs.iter().map(|s| s.value(cx, v)).collect(),
            }
        };
        let mut ref_window: Vec<(Value, Vec<Value>)> = Vec::new();
        for r in reference {
            let k = keys_of(cx, &r)?;
            ref_window.push((r, k));
        }
        let mut results: Vec<(Value, &'static str)> = Vec::new();
        let mut only_diff = Vec::new();
        for d in std::mem::take(&mut self.difference) {
            let k = keys_of(cx, &d)?;
            match ref_window.iter().position(|(_, rk)| same(rk, &k, cs)) {
                Some(i) => {
                    ref_window.remove(i);
                    results.push((d, "=="));
                }
                None => only_diff.push(d),
            }
        }
        results.extend(only_diff.into_iter().map(|d| (d, "=>")));
        results.extend(ref_window.into_iter().map(|(r, _)| (r, "<=")));
        for (v, side) in results {
            let equal = side == "==";
            if equal && !args.switch("IncludeEqual") && !args.switch("ExcludeDifferent") {
                continue;
            }
            if !equal && args.switch("ExcludeDifferent") {
                continue;
            }
            let item = if args.switch("PassThru") {
                if let Value::Object(o) = &v {
                    if o.has("SideIndicator") {
                        o.set("SideIndicator", Value::str(side));
                    } else {
                        o.add("SideIndicator", Value::str(side));
                    }
                }
                v
            } else {
                match &props {
                    None => custom_object(vec![("InputObject".into(), v), ("SideIndicator".into(), Value::str(side))]),
                    Some(specs) => {
                        let mut fields = Vec::new();
                        for s in specs {
                            fields.push((s.name.clone(), s.value(cx, &v)?));
                        }
                        fields.push(("SideIndicator".into(), Value::str(side)));
                        custom_object(fields)
                    }
                }
            };
            out.emit(cx, item)?;
        }
        Ok(())
    }
}

fn same(a: &[Value], b: &[Value], cs: bool) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Value::Null, Value::Null) => true,
            (Value::Object(_), _) | (_, Value::Object(_)) => x == y || x.to_text() == y.to_text(),
            _ => compare_scalars(x, y, cs) == Some(std::cmp::Ordering::Equal),
        })
}

/// A -Property entry: a property name, or `@{Name=...; Expression={...}}`.
struct Spec {
    name: String,
    expression: Option<std::rc::Rc<crate::language::ast::ScriptBlock>>,
}

impl Spec {
    fn value(&self, cx: &mut Session, v: &Value) -> Result<Value> {
        match &self.expression {
            Some(b) => Ok(collapse(cx.invoke_block(b, Some(v))?)),
            None => Ok(v.property(&self.name)),
        }
    }
}

fn property_specs(args: &Args) -> Option<Vec<Spec>> {
    let p = args.get("Property")?;
    Some(
        p.clone()
            .into_items()
            .into_iter()
            .map(|item| match item {
                Value::ScriptBlock(b) => Spec { name: b.text.trim().to_string(), expression: Some(b) },
                Value::Hashtable(t) => {
                    let name = t
                        .get_str("Name")
                        .or_else(|| t.get_str("Label"))
                        .or_else(|| t.get_str("n"))
                        .or_else(|| t.get_str("l"))
                        .map(|v| v.to_text());
                    let expr = t.get_str("Expression").or_else(|| t.get_str("e"));
                    match expr {
                        Some(Value::ScriptBlock(b)) => {
                            Spec { name: name.unwrap_or_else(|| b.text.trim().to_string()), expression: Some(b) }
                        }
                        Some(other) => Spec { name: name.unwrap_or_else(|| other.to_text()), expression: None },
                        None => Spec { name: name.unwrap_or_default(), expression: None },
                    }
                }
                other => Spec { name: other.to_text(), expression: None },
            })
            .collect(),
    )
}
