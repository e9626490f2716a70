//! Start-Sleep (sleep): waits, in short steps so that Ctrl-C stops it.

use std::time::{Duration, Instant};

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Flow, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

/// How often a sleep looks at Ctrl-C.
const STEP: Duration = Duration::from_millis(50);

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Start-Sleep")
        .aliases(&["sleep"])
        .class("Microsoft.PowerShell.Commands.StartSleepCommand")
        .synopsis("Waits for some seconds or milliseconds (Ctrl-C stops the wait).")
        .param(
            Param::new("Seconds", T::Int { min: 0, max: i32::MAX as i64 / 1000 }).position(0).pipeline().by_property(),
        )
        .param(Param::new("Milliseconds", T::Int { min: 0, max: i32::MAX as i64 }).aliases(&["ms"]).by_property())
        .example("Give a service time to start", "Start-Sleep -Milliseconds 10", "");
    vec![powershell_cmdlet!(sig, start_sleep)]
}

fn start_sleep(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let ms = match (args.int("Seconds"), args.int("Milliseconds")) {
        (Some(s), _) => s * 1000,
        (None, Some(ms)) => ms,
        (None, None) => {
            return Err(crate::runtime::errors::ErrorRecord::missing_mandatory(&["Seconds"]).into());
        }
    };
    let until = Instant::now() + Duration::from_millis(ms.max(0) as u64);
    loop {
        if cx.interrupted() {
            return Err(Flow::Interrupted);
        }
        let now = Instant::now();
        if now >= until {
            return Ok(());
        }
        std::thread::sleep(STEP.min(until - now));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::*;
    use crate::runtime::session::SilentHost;

    #[test]
    fn ctrl_c_ends_a_long_sleep() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut cx = Session::new(
            dir.path().join("s.db"),
            Default::default(),
            Box::new(SilentHost),
            crate::cmdlets::registry(),
            &crate::format::CONSOLE,
        );
        let sig = &crate::cmdlets::registry().find("Start-Sleep").expect("registered").signature;
        let mut args = Args::new(sig, crate::language::ast::Span::new(0, 0));
        args.set("Seconds", Value::Int(600));
        cx.interrupt.store(true, Ordering::Relaxed);
        let started = Instant::now();
        let mut sink = |_: &mut Session, _: Value| Ok(());
        let r = start_sleep(&args, None, &mut cx, &mut Output { next: &mut sink });
        assert!(matches!(r, Err(Flow::Interrupted)));
        assert!(started.elapsed() < Duration::from_secs(60));
    }
}
