//! Write-Progress: PowerShell 5.1's progress pane, drawn at the top of the
//! terminal (and cleared with -Completed). Progress is for the person at
//! the terminal: without one, or with $ProgressPreference SilentlyContinue,
//! nothing is written, never into redirected output, transcripts or
//! replays.

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::session::{Action, Session};
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

/// The pane's lines, `width` columns wide, as 5.1's console host draws it.
pub fn pane(args: &Args, width: usize) -> Vec<String> {
    let activity = args.string("Activity").unwrap_or_default();
    let status = args.string("Status").unwrap_or_else(|| "Processing".into());
    let mut lines = vec![format!(" {activity}"), format!("    {status}")];
    if let Some(p) = args.int("PercentComplete").filter(|p| *p >= 0) {
        let inner = width.saturating_sub(7).max(10);
        let done = inner * p as usize / 100;
        lines.push(format!("    [{}{}]", "o".repeat(done), " ".repeat(inner - done)));
    }
    if let Some(op) = args.string("CurrentOperation") {
        lines.push(format!("    {op}"));
    }
    if let Some(s) = args.int("SecondsRemaining").filter(|s| *s >= 0) {
        let t = crate::runtime::value::format_timespan(s);
        lines.push(format!("    {t} remaining."));
    }
    lines.push(String::new());
    lines
}

fn write_progress(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    if !cx.host.is_terminal() {
        return Ok(());
    }
    if matches!(Action::from_value(&cx.get_var("ProgressPreference")), Action::SilentlyContinue | Action::Ignore) {
        return Ok(());
    }
    let width = cx.host.width();
    let lines = pane(args, width);
    // Save the cursor, draw (or blank) the pane at the top in reverse video, restore.
    let mut text = String::from("\u{1b}7");
    for (i, line) in lines.iter().enumerate() {
        text.push_str(&format!("\u{1b}[{};1H", i + 1));
        if args.switch("Completed") {
            text.push_str("\u{1b}[2K");
        } else {
            let cut: String = line.chars().take(width).collect();
            let pad = width.saturating_sub(cut.chars().count());
            text.push_str(&format!("\u{1b}[7m{cut}{}\u{1b}[0m", " ".repeat(pad)));
        }
    }
    text.push_str("\u{1b}8");
    cx.host.write_err(&text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::signature::Signature;

    #[test]
    fn the_pane_shows_activity_status_and_bar() {
        let defs = definitions();
        let sig: &'static Signature = Box::leak(Box::new(defs[0].signature.clone()));
        let mut args = Args::new(sig, crate::language::ast::Span { start: 0, end: 0 });
        args.set("Activity", Value::str("Checking"));
        args.set("Status", Value::str("Ann"));
        args.set("PercentComplete", Value::Int(50));
        let lines = pane(&args, 27);
        assert_eq!(lines[0], " Checking");
        assert_eq!(lines[1], "    Ann");
        assert_eq!(lines[2], "    [oooooooooo          ]");
    }
}
