//! ConvertTo-Json, in Windows PowerShell 5.1's layout (four-space indent,
//! `"key":  value`), enums as numbers, dates as `\/Date(ms)\/`.

use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{Value, format_double};

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("ConvertTo-Json")
        .synopsis("Converts objects to JSON text.")
        .param(Param::new("InputObject", T::Object).position(0).pipeline())
        .param(Param::new("Depth", T::Int { min: 0, max: 100 }).default("2"))
        .param(Param::new("Compress", T::Switch))
        .example("IMAP4 access as JSON", "Get-CASMailbox | Select-Object Name,ImapEnabled | ConvertTo-Json", "");
    vec![CmdletDef::stateful(sig, || Box::new(ToJson { items: Vec::new(), piped: false }))]
}

struct ToJson {
    items: Vec<Value>,
    piped: bool,
}

impl Processor for ToJson {
    fn process(&mut self, args: &Args, input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        match input {
            Some(v) => {
                self.piped = true;
                self.items.push(v.clone());
            }
            None => {
                if let Some(v) = args.get("InputObject") {
                    self.items.push(v.clone());
                }
            }
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        let depth = args.int("Depth").unwrap_or(2) as usize;
        let value = if self.items.len() == 1 {
            self.items.pop().unwrap_or(Value::Null)
        } else {
            Value::array(std::mem::take(&mut self.items))
        };
        if !self.piped && matches!(value, Value::Null) && !args.has("InputObject") {
            return Ok(());
        }
        let compress = args.switch("Compress");
        let mut text = String::new();
        write_json(&mut text, &value, depth, 0, compress);
        out.emit(cx, Value::str(text))
    }
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn write_json(out: &mut String, v: &Value, depth: usize, level: usize, compress: bool) {
    let pad = |n: usize| {
        if compress { String::new() } else { " ".repeat(4 * n) }
    };
    let nl = if compress { "" } else { "\n" };
    let colon = if compress { ":" } else { ":  " };
    let fields: Option<Vec<(String, Value)>> = match v {
        Value::Object(o) => Some(o.properties()),
        Value::Hashtable(h) => Some(h.entries().into_iter().map(|(k, v)| (k.to_text(), v)).collect()),
        _ => None,
    };
    if let Some(fields) = fields {
        if level > depth {
            out.push_str(&quote(&v.to_text()));
            return;
        }
        out.push('{');
        out.push_str(nl);
        for (i, (k, val)) in fields.iter().enumerate() {
            out.push_str(&pad(level + 1));
            out.push_str(&quote(k));
            out.push_str(colon);
            write_json(out, val, depth, level + 1, compress);
            if i + 1 < fields.len() {
                out.push(',');
            }
            out.push_str(nl);
        }
        out.push_str(&pad(level));
        out.push('}');
        return;
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::Double(f) => out.push_str(&format_double(*f)),
        Value::Enum(_, i) => out.push_str(&i.to_string()),
        Value::DateTime(t) => out.push_str(&format!("\"\\/Date({})\\/\"", t.unix_secs() * 1000)),
        Value::Array(items) => {
            let items = items.snapshot();
            if level > depth {
                out.push_str(&quote(&items.iter().map(|i| i.to_text()).collect::<Vec<_>>().join(" ")));
                return;
            }
            out.push('[');
            out.push_str(nl);
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(level + 1));
                write_json(out, item, depth, level + 1, compress);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push_str(nl);
            }
            out.push_str(&pad(level));
            out.push(']');
        }
        other => out.push_str(&quote(&other.to_text())),
    }
}
