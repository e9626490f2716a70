//! ConvertTo-Json, in Windows PowerShell 5.1's layout (four-space indent,
//! `"key":  value`), enums as numbers, dates as `\/Date(ms)\/`; and
//! ConvertFrom-Json, with 5.1's types: PSCustomObjects, Int32 (else Int64)
//! for whole numbers, Decimal for the others, and a JSON array output as
//! one object.

use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::{Category, ErrorRecord, Result};
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
    let from = Signature::build("ConvertFrom-Json")
        .class("Microsoft.PowerShell.Commands.ConvertFromJsonCommand")
        .synopsis("Reads JSON text into PSCustomObjects (a JSON array comes out as one array, as in 5.1).")
        .param(Param::new("InputObject", T::String).position(0).mandatory().pipeline())
        .example("Settings from a file", "Set-Content -Path settings.json -Value '{\"Server\":\"CAS01\",\"Port\":993}'; $s = Get-Content -Path settings.json -Raw | ConvertFrom-Json; $s.Port", "");
    vec![
        CmdletDef::stateful(sig, || Box::new(ToJson { items: Vec::new(), piped: false })),
        powershell_cmdlet!(from, || FromJson { text: String::new() }),
    ]
}

/// ConvertFrom-Json: the lines of every record, parsed as one text at the
/// end (as 5.1 does, so a document may come one line per record).
struct FromJson {
    text: String,
}

impl Processor for FromJson {
    fn process(&mut self, args: &Args, _input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if let Some(v) = args.get("InputObject") {
            if !self.text.is_empty() {
                self.text.push('\n');
            }
            self.text.push_str(&v.to_text());
        }
        Ok(())
    }

    fn end(&mut self, _args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        if self.text.trim().is_empty() {
            return Ok(());
        }
        let parsed: serde_json::Value = serde_json::from_str(&self.text).map_err(|e| json_error(&self.text, &e))?;
        let v = from_json(&parsed)?;
        out.emit(cx, v)
    }
}

/// JavaScriptSerializer's message for text that is not JSON.
fn json_error(text: &str, e: &serde_json::Error) -> ErrorRecord {
    let line_start: usize = text.split_inclusive('\n').take(e.line().saturating_sub(1)).map(str::len).sum();
    let at = (line_start + e.column().saturating_sub(1)).min(text.len());
    let mut start = at;
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let token: String = text[start..]
        .chars()
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '+'))
        .collect();
    let message = if token.is_empty() {
        format!("Invalid object passed in, member name or value expected. ({start}): {text}")
    } else {
        format!("Invalid JSON primitive: {token}.")
    };
    ErrorRecord::new(message, Category::NotSpecified, "System.ArgumentException", "ArgumentException")
        .with_exception_type("System.ArgumentException")
}

fn from_json(v: &serde_json::Value) -> Result<Value> {
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::int(i),
            (None, Some(f)) if n.is_u64() => {
                Value::Decimal(crate::runtime::types::decimal_from_f64(f).unwrap_or_default())
            }
            (None, Some(f)) => match crate::runtime::types::decimal_from_f64(f) {
                Some(d) => Value::Decimal(d),
                None => Value::Double(f),
            },
            _ => Value::Null,
        },
        serde_json::Value::String(s) => match ms_date(s) {
            Some(d) => d,
            None => Value::str(s),
        },
        serde_json::Value::Array(items) => {
            Value::array(items.iter().map(from_json).collect::<std::result::Result<_, _>>()?)
        }
        serde_json::Value::Object(map) => {
            let mut props: Vec<(String, Value)> = Vec::new();
            for (k, v) in map {
                if let Some((first, _)) = props.iter().find(|(n, _)| n.eq_ignore_ascii_case(k)) {
                    return Err(ErrorRecord::new(
                        format!(
                            "Cannot convert the JSON string because a dictionary that was converted from the string contains the duplicated keys '{first}' and '{k}'."
                        ),
                        Category::InvalidOperation,
                        "DuplicateKeysInJsonString",
                        "InvalidOperationException",
                    ).into());
                }
                props.push((k.clone(), from_json(v)?));
            }
            crate::runtime::value::custom_object(props)
        }
    })
}

/// `/Date(1700000000000)/`, as ConvertTo-Json writes dates: a UTC DateTime.
fn ms_date(s: &str) -> Option<Value> {
    let ms: i64 = s.strip_prefix("/Date(")?.strip_suffix(")/")?.parse().ok()?;
    crate::runtime::dotnet::DateTime::from_unix_milliseconds(ms).ok().map(Value::DateTime)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_the_types_of_windows_powershell() {
        let v = from_json(&serde_json::from_str("[1, 3000000000, 1.5]").unwrap()).unwrap();
        let items = v.into_items();
        assert!(matches!(items[0], Value::Int(1)));
        assert!(matches!(items[1], Value::Long(3_000_000_000)));
        assert!(matches!(items[2], Value::Decimal(_)));
    }

    #[test]
    fn keys_differing_in_case_are_refused() {
        let e = from_json(&serde_json::from_str(r#"{"a":1,"A":2}"#).unwrap()).unwrap_err();
        assert!(e.record().is_some_and(|r| r.message.contains("duplicated keys 'a' and 'A'")));
    }
}
