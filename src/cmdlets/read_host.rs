//! Read-Host: a line typed by the user (a SecureString, masked, with
//! -AsSecureString). Without a terminal it reads the next line of standard
//! input, as powershell.exe does; under -NonInteractive it fails as
//! PowerShell fails there.

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Read-Host")
        .class("Microsoft.PowerShell.Commands.ReadHostCommand")
        .synopsis("Reads a line from the user (or from standard input without a terminal).")
        .param(Param::new("Prompt", T::Object).position(0).remaining().help("The question, shown followed by \": \"."))
        .param(
            Param::new("AsSecureString", T::Switch)
                .help("Hides what is typed (one * per character) and returns a SecureString."),
        )
        .example("Ask for a name", "$name = Read-Host -Prompt 'Mailbox name'", "")
        .examples_not_self_contained();
    vec![powershell_cmdlet!(sig, read_host)]
}

fn read_host(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    if cx.non_interactive {
        return Err(super::item::non_interactive().into());
    }
    let prompt = match args.get("Prompt") {
        Some(p) => format!("{}: ", p.to_text()),
        None => String::new(),
    };
    let secret = args.switch("AsSecureString");
    let answer = if secret { cx.host.read_secret(&prompt) } else { cx.host.read_line(&prompt) };
    let Some(line) = answer else {
        // Ctrl-C at the prompt abandons the command; the end of input is no answer.
        if cx.interrupt.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(cx.prompt_abandoned());
        }
        return Ok(());
    };
    if let Some(t) = cx.transcript.as_mut() {
        let shown = if secret { "*".repeat(line.chars().count()) } else { line.clone() };
        t.append(&format!("{prompt}{shown}\n"));
    }
    out.emit(cx, if secret { Value::SecureString(line.as_str().into()) } else { Value::str(line) })
}
