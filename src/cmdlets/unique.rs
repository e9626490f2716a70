//! Get-Unique (gu): drops an object equal to the one before it (so sorted
//! input comes out unique). Strings compare case-sensitively, as in
//! PowerShell; -AsString compares the text of any object, -OnType the type.

use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
use crate::runtime::ops::compare_scalars;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Get-Unique")
        .aliases(&["gu"])
        .class("Microsoft.PowerShell.Commands.GetUniqueCommand")
        .synopsis("Drops each object equal to the one just before it (sort first for unique values).")
        .param(Param::new("InputObject", T::Object).pipeline())
        .param(Param::new("AsString", T::Switch).help("Compares the objects' text."))
        .param(Param::new("OnType", T::Switch).help("Compares the objects' types."))
        .example("Unique values", "1, 3, 1, 2 | Sort-Object | Get-Unique", "");
    vec![powershell_cmdlet!(sig, || Unique { last: None })]
}

struct Unique {
    last: Option<Value>,
}

fn equal(a: &Value, b: &Value, args: &Args) -> bool {
    if args.switch("OnType") {
        return a.type_name() == b.type_name();
    }
    if args.switch("AsString") {
        return a.to_text() == b.to_text();
    }
    match (a, b) {
        (Value::Object(_), _) | (_, Value::Object(_)) => a.to_text() == b.to_text(),
        _ => compare_scalars(a, b, true) == Some(std::cmp::Ordering::Equal),
    }
}

impl Processor for Unique {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        let Some(v) = input.or(args.get("InputObject")) else { return Ok(()) };
        let items = if input.is_none() { v.clone().into_items() } else { vec![v.clone()] };
        for item in items {
            if self.last.as_ref().is_some_and(|l| equal(l, &item, args)) {
                continue;
            }
            self.last = Some(item.clone());
            out.emit(cx, item)?;
        }
        Ok(())
    }
}
