//! Start-Transcript and Stop-Transcript.

use std::path::PathBuf;

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::transcript::{HeaderInfo, Transcript};
use crate::runtime::value::{Value, format_compact_datetime, now_unix};

pub fn definitions() -> Vec<CmdletDef> {
    let start = Signature::build("Start-Transcript")
        .synopsis("Records the session (commands and output) to a file in PowerShell's transcript layout.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .param(
            Param::new("Path", T::String)
                .aliases(&["LiteralPath", "OutputDirectory"])
                .position(0)
                .help("The file; PowerShell_transcript.<server>.<time>.txt in the current folder if omitted."),
        )
        .param(Param::new("Append", T::Switch))
        .param(Param::new("IncludeInvocationHeader", T::Switch).help("Stamps each command with its start time."))
        .param(Param::new("NoClobber", T::Switch))
        .param(Param::new("Force", T::Switch))
        .examples_not_self_contained()
        .example(
            "Record a session",
            "Start-Transcript -Path ./cas01.ps1",
            "Replay it later with mailsh -Replay ./cas01.ps1.",
        );
    let stop = Signature::build("Stop-Transcript")
        .synopsis("Stops the transcript started by Start-Transcript.")
        .examples_not_self_contained();
    vec![CmdletDef::run(start, start_transcript), CmdletDef::run(stop, stop_transcript)]
}

fn start_transcript(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let server = cx.store()?.server().name.clone();
    let path = match args.string("Path") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(format!("PowerShell_transcript.{server}.{}.txt", format_compact_datetime(now_unix()))),
    };
    if args.switch("NoClobber") && path.exists() {
        return Err(ErrorRecord::new(
            format!("The file '{}' already exists.", path.display()),
            Category::ResourceExists,
            "NoClobber",
            "IOException",
        )
        .into());
    }
    if !cx.should_process(args, &super::paths::shown(&super::paths::full_path(&path.to_string_lossy())))? {
        return Ok(());
    }
    if let Some(old) = cx.transcript.take() {
        old.stop();
    }
    let user = cx.user.clone();
    let info = HeaderInfo { user: &user, machine: &server, host_application: "mailsh", width: cx.host.width() };
    let t = Transcript::start(path.clone(), args.switch("Append"), args.switch("IncludeInvocationHeader"), &info)
        .map_err(|e| {
            ErrorRecord::new(
                format!("Transcription cannot be started: {e}."),
                Category::InvalidOperation,
                "CannotStartTranscription",
                "PSInvalidOperationException",
            )
        })?;
    cx.transcript = Some(t);
    out.emit(cx, Value::str(format!("Transcript started, output file is {}", path.display())))
}

fn stop_transcript(_args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    match cx.transcript.take() {
        Some(t) => {
            let path = t.path.clone();
            t.stop();
            out.emit(cx, Value::str(format!("Transcript stopped, output file is {}", path.display())))
        }
        None => Err(ErrorRecord::new(
            "An error occurred stopping transcription: The host is not currently transcribing.",
            Category::InvalidOperation,
            "InvalidOperation,Microsoft.PowerShell.Commands.StopTranscriptCommand",
            "PSInvalidOperationException",
        )
        .unqualified()
        .into()),
    }
}
