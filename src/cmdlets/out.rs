//! Out-String, Out-Host, Out-Null, Out-File; Out-GridView refused by name.

use crate::format::out_default::{OutDefault, render_all};
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let string = Signature::build("Out-String")
        .synopsis("Renders objects as the console would show them, as one string (or lines with -Stream).")
        .param(Param::new("InputObject", T::Object).pipeline())
        .param(Param::new("Stream", T::Switch))
        .param(Param::new("Width", T::Int { min: 2, max: 10_000 }))
        .example("A table as text", "$text = Get-CASMailbox | Out-String", "");
    let host = Signature::build("Out-Host")
        .aliases(&["oh"])
        .synopsis("Shows objects on the console.")
        .param(Param::new("InputObject", T::Object).pipeline())
        .param(Param::new("Paging", T::Switch));
    let null = Signature::build("Out-Null")
        .synopsis("Discards objects.")
        .param(Param::new("InputObject", T::Object).pipeline())
        .example("Create without showing", "New-Mailbox -Name Test -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null", "");
    let file = Signature::build("Out-File")
        .synopsis("Writes objects, rendered as on the console, to a file.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .param(Param::new("FilePath", T::String).aliases(&["Path"]).position(0).mandatory())
        .param(Param::new("InputObject", T::Object).pipeline())
        .param(Param::new("Append", T::Switch))
        .param(Param::new("Encoding", T::String))
        .param(Param::new("Width", T::Int { min: 2, max: 10_000 }));
    let grid = Signature::build("Out-GridView")
        .aliases(&["ogv"])
        .class("Microsoft.PowerShell.Commands.OutGridViewCommand")
        .synopsis("Refused: mailsh has no graphical window. Use Format-Table, Out-File or Export-Csv.")
        .param(Param::new("InputObject", T::Object).pipeline())
        .param(Param::new("Title", T::String))
        .param(Param::new("PassThru", T::Switch))
        .param(Param::new("Wait", T::Switch))
        .param(Param::new("OutputMode", T::String));
    vec![
        powershell_cmdlet!(grid, out_grid_view),
        CmdletDef::stateful(string, || Box::new(Collect { items: Vec::new(), kind: Kind::String })),
        CmdletDef::stateful(host, || Box::new(Host { od: OutDefault::new() })),
        CmdletDef::run(null, |_, _, _, _| Ok(())),
        CmdletDef::stateful(file, || Box::new(Collect { items: Vec::new(), kind: Kind::File })),
    ]
}

enum Kind {
    String,
    File,
}

struct Collect {
    items: Vec<Value>,
    kind: Kind,
}

impl Processor for Collect {
    fn process(&mut self, args: &Args, input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if let Some(v) = input.or(args.get("InputObject")) {
            self.items.push(v.clone());
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        let width = args.int("Width").map(|w| w as usize).unwrap_or_else(|| cx.host.width());
        let text = render_all(std::mem::take(&mut self.items), width);
        match self.kind {
            Kind::String if args.switch("Stream") => {
                for line in text.lines() {
                    out.emit(cx, Value::str(line))?;
                }
                Ok(())
            }
            Kind::String => out.emit(cx, Value::str(text)),
            Kind::File => {
                let path = args.string("FilePath").unwrap_or_default();
                let shown = super::paths::shown(&super::paths::full_path(&path));
                if !cx.should_process_action(args, "Output to File", &shown)? {
                    return Ok(());
                }
                Ok(super::common::write_text_file(&path, &text, args.switch("Append"))?)
            }
        }
    }
}

struct Host {
    od: OutDefault,
}

impl Processor for Host {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
        if let Some(v) = input.or(args.get("InputObject")) {
            self.od.push(cx, v.clone());
        }
        Ok(())
    }

    fn end(&mut self, _args: &Args, cx: &mut Session, _out: &mut Output) -> Result<()> {
        self.od.finish(cx);
        Ok(())
    }
}

fn out_grid_view(_args: &Args, _input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
    Err(crate::runtime::errors::ErrorRecord::new(
        "Out-GridView is not supported by mailsh: it needs a graphical window. Use Format-Table, Out-File or Export-Csv instead.",
        crate::runtime::errors::Category::NotImplemented,
        "OutGridViewNotSupported",
        "PSNotSupportedException",
    )
    .into())
}
