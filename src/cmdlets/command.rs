//! Measure-Command and Invoke-Command: script blocks run here, timed or
//! with arguments. Invoke-Command runs locally only: -ComputerName and
//! sessions are refused by name.

use std::time::Instant;

use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let measure = Signature::build("Measure-Command")
        .class("Microsoft.PowerShell.Commands.MeasureCommandCommand")
        .synopsis("How long a script block takes to run, as a TimeSpan (its output is discarded).")
        .param(Param::new("Expression", T::ScriptBlock).position(0).mandatory())
        .param(Param::new("InputObject", T::Object).pipeline().help("Each object runs the block once, as $_."))
        .example("Time a query", "(Measure-Command { Get-CASMailbox }).TotalMilliseconds -ge 0", "");
    let invoke = Signature::build("Invoke-Command")
        .aliases(&["icm"])
        .class("Microsoft.PowerShell.Commands.InvokeCommandCommand")
        .synopsis("Runs a script block here, with arguments (remote computers are not supported).")
        .param(Param::new("ScriptBlock", T::ScriptBlock).position(0).mandatory())
        .param(Param::new("ArgumentList", super::common::object_array()).aliases(&["Args"]))
        .param(Param::new("InputObject", T::Object).pipeline())
        .param(Param::new("NoNewScope", T::Switch).help("Runs the block in the current scope."))
        .param(Param::new("ComputerName", super::common::string_array()).aliases(&["Cn"]))
        .param(Param::new("Session", T::Object))
        .param(Param::new("Credential", T::Credential))
        .example(
            "A block with an argument",
            "Invoke-Command -ScriptBlock { param($n) \"mailboxes: $n\" } -ArgumentList 3",
            "",
        );
    vec![
        powershell_cmdlet!(measure, || Measure { elapsed: std::time::Duration::ZERO, ran: false }),
        powershell_cmdlet!(invoke, || Invoke { input: Vec::new(), piped: false }),
    ]
}

struct Measure {
    elapsed: std::time::Duration,
    ran: bool,
}

impl Processor for Measure {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
        let Some(Value::ScriptBlock(block)) = args.get("Expression") else { return Ok(()) };
        let block = block.clone();
        let start = Instant::now();
        let r = cx.invoke_block(&block, input.or(args.get("InputObject")));
        self.elapsed += start.elapsed();
        self.ran = true;
        r.map(|_| ())
    }

    fn end(&mut self, _args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        let ticks = (self.elapsed.as_nanos() / 100) as i64;
        out.emit(cx, Value::TimeSpan(ticks))
    }
}

struct Invoke {
    input: Vec<Value>,
    piped: bool,
}

impl Processor for Invoke {
    fn begin(&mut self, args: &Args, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if args.has("ComputerName") || args.has("Session") {
            return Err(ErrorRecord::new(
                "Invoke-Command runs script blocks on this computer only in mailsh: remote computers and sessions are not supported.",
                Category::NotImplemented,
                "RemotingNotSupported",
                "PSNotSupportedException",
            )
            .into());
        }
        Ok(())
    }

    fn process(&mut self, args: &Args, input: Option<&Value>, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if let Some(v) = input {
            self.piped = true;
            self.input.push(v.clone());
        } else if let Some(v) = args.get("InputObject") {
            self.input.push(v.clone());
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        let Some(Value::ScriptBlock(block)) = args.get("ScriptBlock") else { return Ok(()) };
        let block = block.clone();
        let arguments = args.get("ArgumentList").cloned().map(Value::into_items).unwrap_or_default();
        let items = if args.switch("NoNewScope") {
            cx.invoke_block(&block, self.input.first())?
        } else {
            let input = (!self.input.is_empty()).then(|| Value::array(std::mem::take(&mut self.input)));
            cx.call_block(&block, arguments, input)?
        };
        out.emit_all(cx, items)
    }
}
