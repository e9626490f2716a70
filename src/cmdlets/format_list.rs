//! Format-List (fl): every object as `Label : value` lines.

use crate::format::format_text;
use crate::format::list::render_list_object;
use crate::format::out_default::list_props;
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

use super::select_object::expand_property_names;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Format-List")
        .aliases(&["fl"])
        .synopsis("Shows each object as a list of properties, one per line.")
        .param(
            Param::new("Property", T::Properties)
                .position(0)
                .help("The properties to show; wildcards and * accepted. All of them by default."),
        )
        .param(Param::new("InputObject", T::Object).pipeline())
        .example("Every IMAP4 setting", "Get-ImapSettings | format-list", "")
        .example("Chosen properties", "Get-CASMailbox | Format-List Name,ImapEnabled,PopEnabled", "");
    vec![CmdletDef::stateful(sig, || Box::new(FormatList { text: String::new(), any: false }))]
}

struct FormatList {
    text: String,
    any: bool,
}

impl Processor for FormatList {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
        let Some(v) = input.or(args.get("InputObject")) else {
            return Ok(());
        };
        if !self.any {
            self.text.push('\n');
            self.any = true;
        }
        match v {
            Value::Object(o) if crate::format::as_format_text(v).is_none() => {
                let only = args.get("Property").map(|p| expand_property_names(p, &o.names()));
                let props = list_props(o, only.as_deref());
                self.text.push_str(&render_list_object(&props, cx.host.width()));
                self.text.push('\n');
            }
            other => {
                self.text.push_str(&other.to_text());
                self.text.push('\n');
            }
        }
        Ok(())
    }

    fn end(&mut self, _args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        if self.any {
            self.text.push('\n');
            out.emit(cx, format_text(std::mem::take(&mut self.text)))?;
        }
        Ok(())
    }
}
