//! Select-Object (select): chosen or computed properties, first/last items.

use std::collections::VecDeque;

use super::common::custom_object;
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::{ErrorRecord, Flow, Result};
use crate::runtime::eval::collapse;
use crate::runtime::ops::{has_wildcard, wildcard_match};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Select-Object")
        .aliases(&["select"])
        .synopsis("Selects properties of objects, or the first or last objects.")
        .param(
            Param::new("Property", T::Properties)
                .position(0)
                .help("Property names (wildcards accepted) or @{Name='...'; Expression={...}}."),
        )
        .param(Param::new("ExpandProperty", T::String).help("Outputs the values of one property instead of objects."))
        .param(Param::new("First", T::Int { min: 0, max: i32::MAX as i64 }))
        .param(Param::new("Last", T::Int { min: 0, max: i32::MAX as i64 }))
        .param(Param::new("Skip", T::Int { min: 0, max: i32::MAX as i64 }))
        .param(Param::new("Unique", T::Switch))
        .param(Param::new("InputObject", T::Object).pipeline())
        .example("Names and IMAP4 access", "Get-CASMailbox | Select-Object Name,ImapEnabled", "")
        .example("Just the addresses", "Get-Mailbox | Select-Object -ExpandProperty PrimarySmtpAddress", "");
    vec![CmdletDef::stateful(sig, || {
        Box::new(Select { seen: 0, emitted: 0, last: VecDeque::new(), unique: Vec::new() })
    })]
}

struct Select {
    seen: usize,
    emitted: usize,
    last: VecDeque<Value>,
    unique: Vec<Value>,
}

/// Resolves typed property names against an object's names: wildcards
/// expand, `*` is everything, unknown names stay as typed.
pub fn expand_property_names(spec: &Value, names: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for item in spec.clone().into_items() {
        let typed = match &item {
            Value::Hashtable(_) | Value::ScriptBlock(_) => continue,
            other => other.to_text(),
        };
        if has_wildcard(&typed) {
            out.extend(names.iter().filter(|n| wildcard_match(&typed, n, false)).cloned());
        } else {
            out.push(typed);
        }
    }
    out
}

/// One selected property: a name, or a computed `@{Name=...; Expression=...}`.
enum Selector {
    Name(String),
    Computed(String, Value),
}

fn selectors(spec: &Value, input: &Value) -> std::result::Result<Vec<Selector>, ErrorRecord> {
    let names: Vec<String> = match input {
        Value::Object(o) => o.names(),
        Value::Hashtable(h) => h.keys().iter().map(Value::to_text).collect(),
        _ => vec![],
    };
    let mut out = Vec::new();
    for item in spec.clone().into_items() {
        match &item {
            Value::Hashtable(h) => {
                let get = |keys: &[&str]| {
                    h.entries()
                        .into_iter()
                        .find(|(k, _)| {
                            let k = k.to_text();
                            keys.iter().any(|w| {
                                k.len() <= w.len() && w.to_ascii_lowercase().starts_with(&k.to_ascii_lowercase())
                            })
                        })
                        .map(|(_, v)| v)
                };
                let name = get(&["name", "label"]).map(|v| v.to_text());
                let expr = get(&["expression"]);
                match (name, expr) {
                    (name, Some(expr)) => {
                        let label = name.unwrap_or_else(|| expr.to_text());
                        out.push(Selector::Computed(label, expr));
                    }
                    _ => {
                        return Err(ErrorRecord::invalid_operation(
                            "The \"Expression\" key is missing from the hash table that defines a calculated property.",
                            "DictionaryKeyMissing",
                        ));
                    }
                }
            }
            Value::ScriptBlock(_) => out.push(Selector::Computed(item.to_text(), item.clone())),
            other => {
                for n in expand_property_names(other, &names) {
                    out.push(Selector::Name(n));
                }
            }
        }
    }
    Ok(out)
}

pub fn project(spec: &Value, input: &Value, cx: &mut Session) -> Result<Value> {
    let mut props = Vec::new();
    for s in selectors(spec, input)? {
        match s {
            Selector::Name(n) => {
                let label = match input {
                    Value::Object(o) => {
                        let c = o.class();
                        c.index_of(&n).map(|i| c.names[i].clone()).unwrap_or(n.clone())
                    }
                    _ => n.clone(),
                };
                props.push((label, input.property(&n)));
            }
            Selector::Computed(label, expr) => {
                let v = match &expr {
                    Value::ScriptBlock(b) => collapse(cx.invoke_block(b, Some(input))?),
                    other => input.property(&other.to_text()),
                };
                props.push((label, v));
            }
        }
    }
    let type_name = match input {
        Value::Object(o) => format!("Selected.{}", o.type_name()),
        _ => "Selected.System.Object".to_string(),
    };
    Ok(custom_object(&type_name, props))
}

impl Select {
    fn shape(&self, args: &Args, v: &Value, cx: &mut Session) -> Result<Vec<Value>> {
        if let Some(name) = args.string("ExpandProperty") {
            let found = match v {
                Value::Object(o) => o.has(&name),
                Value::Hashtable(h) => h.get_str(&name).is_some(),
                _ => false,
            };
            if !found {
                return Err(ErrorRecord::new(
                    format!("Property \"{name}\" cannot be found."),
                    crate::runtime::errors::Category::InvalidArgument,
                    "ExpandPropertyNotFound",
                    "PSArgumentException",
                )
                .with_target(v.to_text(), &v.short_type_name())
                .into());
            }
            return Ok(v.property(&name).into_items_for_pipeline());
        }
        match args.get("Property") {
            Some(spec) => Ok(vec![project(spec, v, cx)?]),
            None => Ok(vec![v.clone()]),
        }
    }
}

impl Processor for Select {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        let Some(v) = input.or(args.get("InputObject")) else {
            return Ok(());
        };
        self.seen += 1;
        if self.seen <= args.int("Skip").unwrap_or(0) as usize {
            return Ok(());
        }
        if args.switch("Unique") {
            if self.unique.iter().any(|u| u == v) {
                return Ok(());
            }
            self.unique.push(v.clone());
        }
        if let Some(n) = args.int("Last") {
            self.last.push_back(v.clone());
            if self.last.len() > n as usize {
                self.last.pop_front();
            }
            return Ok(());
        }
        if let Some(n) = args.int("First")
            && self.emitted >= n as usize
        {
            return Err(Flow::StopUpstream);
        }
        for item in self.shape(args, v, cx)? {
            out.emit(cx, item)?;
        }
        self.emitted += 1;
        if args.int("First").is_some_and(|n| self.emitted >= n as usize) {
            return Err(Flow::StopUpstream);
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        let pending: Vec<Value> = self.last.drain(..).collect();
        for v in pending {
            for item in self.shape(args, &v, cx)? {
                out.emit(cx, item)?;
            }
        }
        Ok(())
    }
}
