//! ConvertTo-Csv and Export-Csv, as Windows PowerShell 5.1 writes them.

use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let to = Signature::build("ConvertTo-Csv")
        .synopsis("Converts objects to CSV lines.")
        .param(Param::new("InputObject", T::Object).position(0).pipeline())
        .param(Param::new("NoTypeInformation", T::Switch).aliases(&["NTI"]))
        .param(Param::new("Delimiter", T::String).position(1))
        .example(
            "IMAP4 access as CSV",
            "Get-CASMailbox | Select-Object Name,ImapEnabled | ConvertTo-Csv -NoTypeInformation",
            "",
        );
    let export = Signature::build("Export-Csv")
        .synopsis("Writes objects to a CSV file.")
        .param(Param::new("Path", T::String).position(0).mandatory())
        .param(Param::new("InputObject", T::Object).pipeline())
        .param(Param::new("NoTypeInformation", T::Switch).aliases(&["NTI"]))
        .param(Param::new("Delimiter", T::String).position(1))
        .param(Param::new("Append", T::Switch))
        .param(Param::new("Encoding", T::String))
        .example(
            "Save IMAP4 access",
            "Get-CASMailbox | Select-Object Name,ImapEnabled | Export-Csv imap.csv -NoTypeInformation",
            "",
        );
    vec![
        CmdletDef::stateful(to, || Box::new(Csv { lines: Vec::new(), header: None, export: false })),
        CmdletDef::stateful(export, || Box::new(Csv { lines: Vec::new(), header: None, export: true })),
    ]
}

struct Csv {
    lines: Vec<String>,
    header: Option<Vec<String>>,
    export: bool,
}

fn field(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A collection in a cell prints as its type name, as PowerShell's does.
fn cell(v: &Value) -> String {
    match v {
        Value::Array(_) => "System.Object[]".to_string(),
        other => other.to_text(),
    }
}

impl Processor for Csv {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        let Some(v) = input.or(args.get("InputObject")) else {
            return Ok(());
        };
        let sep = args.string("Delimiter").unwrap_or_else(|| ",".into());
        let (names, type_name): (Vec<String>, String) = match v {
            Value::Object(o) => (o.names(), o.type_name().to_string()),
            Value::Hashtable(_) => (vec![], "System.Collections.Hashtable".into()),
            other => (vec!["Length".into()], other.type_name()),
        };
        let mut new_lines = Vec::new();
        if self.header.is_none() {
            if !args.switch("NoTypeInformation") {
                new_lines.push(format!("#TYPE {type_name}"));
            }
            new_lines.push(names.iter().map(|n| field(n)).collect::<Vec<_>>().join(&sep));
            self.header = Some(names.clone());
        }
        let header = self.header.clone().unwrap_or_default();
        new_lines.push(header.iter().map(|n| field(&cell(&v.property(n)))).collect::<Vec<_>>().join(&sep));
        if self.export {
            self.lines.extend(new_lines);
        } else {
            for l in new_lines {
                out.emit(cx, Value::str(l))?;
            }
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if !self.export {
            return Ok(());
        }
        let path = args.string("Path").unwrap_or_default();
        let mut text = self.lines.join("\r\n");
        text.push_str("\r\n");
        Ok(super::common::write_text_file(&path, &text, args.switch("Append"))?)
    }
}
