//! Format-Table (ft): objects as rows under a header.

use crate::format::cell::{cell_text, is_numeric};
use crate::format::format_text;
use crate::format::table::{Column, column_widths, render_rows};
use crate::format::views::{View, default_view};
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Format-Table")
        .aliases(&["ft"])
        .synopsis("Shows objects as a table, one row per object.")
        .param(
            Param::new("Property", T::Properties)
                .position(0)
                .help("The columns; the type's default columns if omitted."),
        )
        .param(Param::new("AutoSize", T::Switch).help("Size columns to their content."))
        .param(Param::new("HideTableHeaders", T::Switch))
        .param(Param::new("Wrap", T::Switch))
        .param(Param::new("InputObject", T::Object).pipeline())
        .example(
            "IMAP4 and POP3 access of every mailbox",
            "Get-CASMailbox | Format-Table Name,ImapEnabled,PopEnabled -AutoSize",
            "",
        );
    vec![CmdletDef::stateful(sig, || Box::new(FormatTable { items: Vec::new() }))]
}

struct FormatTable {
    items: Vec<Value>,
}

impl Processor for FormatTable {
    fn process(&mut self, args: &Args, input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if let Some(v) = input.or(args.get("InputObject")) {
            self.items.push(v.clone());
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        let items = std::mem::take(&mut self.items);
        let Some(first) = items.iter().find_map(|v| match v {
            Value::Object(o) => Some(o.clone()),
            _ => None,
        }) else {
            let text: String = items.iter().map(|v| format!("{}\n", v.to_text())).collect();
            if !text.is_empty() {
                out.emit(cx, format_text(text))?;
            }
            return Ok(());
        };
        // Chosen (and calculated) properties: each object projected as Select-Object would.
        let items: Vec<Value> = match args.get("Property") {
            Some(spec) => {
                let mut projected = Vec::with_capacity(items.len());
                for v in &items {
                    projected.push(super::select_object::project(spec, v, cx)?);
                }
                projected
            }
            None => items,
        };
        let first = match items.iter().find_map(|v| match v {
            Value::Object(o) => Some(o.clone()),
            _ => None,
        }) {
            Some(f) => f,
            None => first,
        };
        let (labels, props, fixed): (Vec<String>, Vec<String>, Vec<Option<usize>>) = match args.get("Property") {
            Some(_) => {
                let names = first.names();
                (names.clone(), names.clone(), vec![None; names.len()])
            }
            None => match default_view(&first) {
                View::Table(specs) | View::Grouped(specs, _) => (
                    specs.iter().map(|s| s.label.to_string()).collect(),
                    specs.iter().map(|s| s.property.to_string()).collect(),
                    specs.iter().map(|s| s.width).collect(),
                ),
                _ => {
                    let names = first.names();
                    (names.clone(), names.clone(), vec![None; names.len()])
                }
            },
        };
        let auto = args.switch("AutoSize");
        let rows: Vec<Vec<String>> =
            items.iter().map(|v| props.iter().map(|p| cell_text(&v.property(p))).collect()).collect();
        let columns: Vec<Column> = labels
            .iter()
            .zip(fixed.iter())
            .zip(props.iter())
            .map(|((label, width), prop)| Column {
                label: label.clone(),
                width: if auto { None } else { *width },
                right_align: items.first().is_some_and(|v| is_numeric(&v.property(prop))),
            })
            .collect();
        let widths = column_widths(&columns, &rows, cx.host.width());
        let mut text = String::from("\n");
        text.push_str(&render_rows(&columns, &rows, &widths, !args.switch("HideTableHeaders")));
        text.push('\n');
        out.emit(cx, format_text(text))
    }
}
