//! Tee-Object (tee): passes objects on and also keeps them in a file (as
//! Out-File writes them) or in a variable.

use crate::format::out_default::render_all;
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Tee-Object")
        .aliases(&["tee"])
        .class("Microsoft.PowerShell.Commands.TeeObjectCommand")
        .synopsis("Passes objects down the pipeline and also saves them in a file or a variable.")
        .param(Param::new("InputObject", T::Object).pipeline())
        .param(
            Param::new("FilePath", T::String)
                .aliases(&["Path"])
                .position(0)
                .help("The file, written as Out-File writes it."),
        )
        .param(Param::new("LiteralPath", T::String).aliases(&["PSPath"]))
        .param(Param::new("Append", T::Switch))
        .param(Param::new("Variable", T::String).help("The variable's name, without $."))
        .example("See and keep", "Get-CASMailbox | Tee-Object -Variable boxes | Format-Table Name", "")
        .example("Keep a copy in a file", "Get-CASMailbox | Tee-Object -FilePath boxes.txt | Measure-Object", "");
    vec![powershell_cmdlet!(sig, || Tee { items: Vec::new() })]
}

struct Tee {
    items: Vec<Value>,
}

impl Processor for Tee {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        if let Some(v) = input.or(args.get("InputObject")) {
            self.items.push(v.clone());
            out.emit(cx, v.clone())?;
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, _out: &mut Output) -> Result<()> {
        let items = std::mem::take(&mut self.items);
        if let Some(name) = args.string("Variable") {
            let value = match items.as_slice() {
                [one] => one.clone(),
                many => Value::array(many.to_vec()),
            };
            cx.set_var(&name, value)?;
            return Ok(());
        }
        let Some(path) = args.string("LiteralPath").or_else(|| args.string("FilePath")) else { return Ok(()) };
        let text = render_all(items, cx.host.width());
        let full = super::paths::shown(&super::paths::full_path(&path));
        Ok(super::common::write_text_file(&full, &text, args.switch("Append"))?)
    }
}
