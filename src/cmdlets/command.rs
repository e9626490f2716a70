//! Measure-Command: how long a script block takes (Invoke-Command, the
//! other Command-noun cmdlet, is in invoke_command.rs).

use std::time::Instant;

use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::Result;
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
    vec![powershell_cmdlet!(measure, || Measure { elapsed: std::time::Duration::ZERO, ran: false })]
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
