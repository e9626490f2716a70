//! Write-Output, Write-Host, Write-Warning, Write-Error, Write-Verbose.

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let output = Signature::build("Write-Output")
        .aliases(&["echo", "write"])
        .synopsis("Sends objects down the pipeline.")
        .param(Param::new("InputObject", T::Object).position(0).pipeline().remaining())
        .param(Param::new("NoEnumerate", T::Switch))
        .example("Arguments are strings", "Write-Output 2+2", "Prints 2+2: in argument mode a bare word is text.");
    let host = Signature::build("Write-Host")
        .synopsis("Writes text straight to the console (not to the pipeline).")
        .param(Param::new("Object", T::Object).position(0).pipeline().remaining())
        .param(Param::new("NoNewline", T::Switch))
        .param(Param::new("Separator", T::String))
        .param(Param::new("ForegroundColor", T::String))
        .param(Param::new("BackgroundColor", T::String))
        .example("A message", "Write-Host \"IMAP4 is configured\"", "");
    let warning = Signature::build("Write-Warning")
        .synopsis("Writes a warning.")
        .param(Param::new("Message", T::String).position(0).mandatory().pipeline())
        .example("A warning", "Write-Warning \"Restart the IMAP4 services\"", "");
    let error = Signature::build("Write-Error")
        .synopsis("Writes a non-terminating error.")
        .param(Param::new("Message", T::String).position(0).pipeline())
        .param(Param::new("Category", T::String))
        .param(Param::new("ErrorId", T::String));
    let verbose = Signature::build("Write-Verbose")
        .synopsis("Writes a verbose message, shown with -Verbose.")
        .param(Param::new("Message", T::String).position(0).mandatory().pipeline());
    vec![
        CmdletDef::run(output, write_output),
        CmdletDef::run(host, write_host),
        CmdletDef::run(warning, write_warning),
        CmdletDef::run(error, write_error),
        CmdletDef::run(verbose, |args, _, cx, _| {
            cx.verbose(&args.string("Message").unwrap_or_default(), args.switch("Verbose"));
            Ok(())
        }),
    ]
}

fn write_output(args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let v = match input {
        Some(v) => v.clone(),
        None => args.get("InputObject").cloned().unwrap_or(Value::Null),
    };
    if args.switch("NoEnumerate") {
        return out.emit(cx, v);
    }
    out.emit_all(cx, v.into_items_for_pipeline())
}

fn write_host(args: &Args, input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let v = input.cloned().or_else(|| args.get("Object").cloned()).unwrap_or(Value::Null);
    let sep = args.string("Separator").unwrap_or_else(|| " ".into());
    let text = match v {
        Value::Array(items) => items.items().iter().map(|i| i.to_text()).collect::<Vec<_>>().join(&sep),
        other => other.to_text(),
    };
    let line = if args.switch("NoNewline") { text } else { format!("{text}\n") };
    match (cx.host.color(), args.string("ForegroundColor")) {
        (true, Some(color)) if !cx.host_stream_redirected() => {
            cx.host.write_out(&paint(&line, &color));
            if let Some(t) = cx.transcript.as_mut() {
                t.append(&line);
            }
        }
        _ => cx.host_text(&line),
    }
    Ok(())
}

/// Write-Warning: $WarningPreference (or -WarningAction) Stop makes it
/// terminating, as in PowerShell.
fn write_warning(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let text = args.string("Message").unwrap_or_default();
    let action = args
        .get("WarningAction")
        .map(crate::runtime::session::Action::from_value)
        .unwrap_or_else(|| crate::runtime::session::Action::from_value(&cx.get_var("WarningPreference")));
    if action == crate::runtime::session::Action::Stop {
        let mut rec = ErrorRecord::new(
            format!(
                "The running command stopped because the preference variable \"WarningPreference\" or common parameter is set to Stop: {text}"
            ),
            Category::OperationStopped,
            "ActionPreferenceStop",
            "ActionPreferenceStopException",
        );
        rec.stopped_by_preference = true;
        return Err(crate::runtime::errors::Flow::ScriptStop(Box::new(rec)));
    }
    cx.warn(&text);
    Ok(())
}

fn paint(text: &str, color: &str) -> String {
    use nu_ansi_term::Color::*;
    let c = match color.to_ascii_lowercase().as_str() {
        "red" | "darkred" => Red,
        "green" | "darkgreen" => Green,
        "yellow" | "darkyellow" => Yellow,
        "blue" | "darkblue" => Blue,
        "magenta" | "darkmagenta" => Purple,
        "cyan" | "darkcyan" => Cyan,
        "gray" | "darkgray" => DarkGray,
        _ => White,
    };
    let body = text.trim_end_matches('\n');
    let tail = &text[body.len()..];
    format!("{}{tail}", c.paint(body))
}

fn write_error(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let msg = args.string("Message").unwrap_or_default();
    let mut rec = ErrorRecord::new(
        msg,
        Category::NotSpecified,
        "Microsoft.PowerShell.Commands.WriteErrorException",
        "WriteErrorException",
    );
    if let Some(id) = args.string("ErrorId") {
        rec.error_id = id;
    }
    if let Some((function, call)) = cx.callers.last() {
        // Inside a script function the error is the function's, reported
        // where it was called.
        rec.command = Some(function.to_string());
        rec.activity = Some("Write-Error".into());
        rec.span = Some(*call);
        return Err(rec.into());
    }
    rec.command = Some("Write-Error".into());
    Err(rec.unqualified().into())
}
