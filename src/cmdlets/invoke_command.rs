//! Invoke-Command, on this computer: a script block with arguments.

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Invoke-Command")
        .aliases(&["icm"])
        .synopsis("Runs a script block here, with arguments; remote computers are not supported.")
        .param(Param::new("ScriptBlock", T::ScriptBlock).aliases(&["Command"]).position(0).mandatory())
        .param(Param::new("ArgumentList", T::Object).aliases(&["Args"]))
        .param(Param::new("InputObject", T::Object).pipeline())
        .param(Param::new("NoNewScope", T::Switch))
        .param(Param::new("ComputerName", T::Strings).aliases(&["Cn"]))
        .param(Param::new("Session", T::Object))
        .example(
            "Arguments to a script block",
            "Invoke-Command -ScriptBlock { param($n) \"got $n\" } -ArgumentList 5",
            "",
        )
        .class("Microsoft.PowerShell.Commands.InvokeCommandCommand");
    vec![CmdletDef::run(sig, invoke)]
}

fn invoke(args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    if args.has("ComputerName") || args.has("Session") {
        return Err(ErrorRecord::new(
            "mailsh runs commands on this computer only: -ComputerName and -Session are not supported.",
            Category::NotImplemented,
            "RemotingNotSupported",
            "NotSupportedException",
        )
        .into());
    }
    let Some(Value::ScriptBlock(block)) = args.get("ScriptBlock").cloned() else { return Ok(()) };
    let list = args.get("ArgumentList").map(|v| v.clone().into_items()).unwrap_or_default();
    let results = if args.switch("NoNewScope") {
        cx.invoke_block(&block, input)?
    } else {
        cx.call_block(&block, list, input.cloned())?
    };
    out.emit_all(cx, results)
}
