//! Write-Progress: hands the host a progress record (the console draws
//! PowerShell 5.1's pane, `hosts/progress_pane.rs`; -Completed removes the
//! activity). With $ProgressPreference SilentlyContinue nothing is sent;
//! progress never reaches redirected output, transcripts or replays.

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::progress::ProgressRecord;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Write-Progress")
        .class("Microsoft.PowerShell.Commands.WriteProgressCommand")
        .synopsis("Shows a progress bar on the terminal while a script works.")
        .param(Param::new("Activity", T::String).position(0).mandatory().help("What is being done."))
        .param(Param::new("Status", T::String).position(1).default("Processing").help("Where it stands."))
        .param(Param::new("Id", T::Int { min: 0, max: i32::MAX as i64 }).position(2))
        .param(Param::new("PercentComplete", T::Int { min: -1, max: 100 }))
        .param(Param::new("SecondsRemaining", T::Int { min: -1, max: i32::MAX as i64 }))
        .param(Param::new("CurrentOperation", T::String))
        .param(Param::new("ParentId", T::Int { min: -1, max: i32::MAX as i64 }))
        .param(Param::new("Completed", T::Switch).help("Removes the progress bar."))
        .param(Param::new("SourceId", T::Int { min: 0, max: i32::MAX as i64 }))
        .example(
            "A loop over mailboxes",
            "$all = Get-CASMailbox; $i = 0; foreach ($m in $all) { $i++; Write-Progress -Activity 'Checking mailboxes' -Status $m.Name -PercentComplete ($i * 100 / $all.Count) }; Write-Progress -Activity 'Checking mailboxes' -Completed",
            "",
        );
    vec![powershell_cmdlet!(sig, write_progress)]
}

/// The record Write-Progress's arguments describe, with .NET's defaults.
fn record(args: &Args) -> ProgressRecord {
    let int = |name: &str, default: i64| args.int(name).unwrap_or(default) as i32;
    ProgressRecord {
        activity_id: int("Id", 0),
        parent_id: int("ParentId", -1),
        activity: args.string("Activity").unwrap_or_default(),
        status: args.string("Status").unwrap_or_else(|| "Processing".into()),
        current_operation: args.string("CurrentOperation").unwrap_or_default(),
        percent_complete: int("PercentComplete", -1),
        seconds_remaining: int("SecondsRemaining", -1),
        completed: args.switch("Completed"),
    }
}

fn write_progress(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let source = args.int("SourceId").unwrap_or(0);
    cx.show_progress(source, &record(args));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::signature::Signature;

    #[test]
    fn the_record_takes_dotnet_defaults() {
        let defs = definitions();
        let sig: &'static Signature = Box::leak(Box::new(defs[0].signature.clone()));
        let mut args = Args::new(sig, crate::language::ast::Span { start: 0, end: 0 });
        args.set("Activity", Value::str("Checking"));
        let r = record(&args);
        assert_eq!(
            (r.activity_id, r.parent_id, r.status.as_str(), r.percent_complete, r.seconds_remaining, r.completed),
            (0, -1, "Processing", -1, -1, false)
        );
    }
}
