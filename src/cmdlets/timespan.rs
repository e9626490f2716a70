//! New-TimeSpan.

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{DateTime, TICKS_PER_SECOND, Value};

pub fn definitions() -> Vec<CmdletDef> {
    let int = || T::Int { min: i32::MIN as i64, max: i32::MAX as i64 };
    let sig = Signature::build("New-TimeSpan")
        .synopsis("A time interval: between two dates, or of the days, hours, minutes and seconds given.")
        .param(Param::new("Start", T::DateTime).aliases(&["LastWriteTime"]).position(0))
        .param(Param::new("End", T::DateTime).position(1))
        .param(Param::new("Days", int()))
        .param(Param::new("Hours", int()))
        .param(Param::new("Minutes", int()))
        .param(Param::new("Seconds", int()))
        .param(Param::new("Milliseconds", int()))
        .example("Two and a half hours", "New-TimeSpan -Hours 2 -Minutes 30", "")
        .example("Between two dates", "New-TimeSpan -Start '2026-11-01' -End '2026-11-21'", "")
        .class("Microsoft.PowerShell.Commands.NewTimeSpanCommand");
    vec![CmdletDef::run(sig, new_timespan)]
}

fn new_timespan(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let date = |name: &str| match args.get(name) {
        Some(Value::DateTime(d)) => Some(*d),
        _ => None,
    };
    if args.has("Start") || args.has("End") {
        let now = DateTime::now();
        let start = date("Start").unwrap_or(now);
        let end = date("End").unwrap_or(now);
        return out.emit(cx, Value::TimeSpan(end.ticks - start.ticks));
    }
    let n = |name: &str| args.int(name).unwrap_or(0);
    let secs = n("Days") * 86_400 + n("Hours") * 3600 + n("Minutes") * 60 + n("Seconds");
    out.emit(cx, Value::TimeSpan(secs * TICKS_PER_SECOND + n("Milliseconds") * 10_000))
}
