//! ConvertTo-SecureString and Get-Credential: how passwords and
//! credentials reach New-Mailbox and the connectivity tests (New-Object,
//! which also makes PSCredentials, is in new_object.rs).

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let convert = Signature::build("ConvertTo-SecureString")
        .synopsis("Makes a SecureString from plain text (with -AsPlainText -Force).")
        .param(Param::new("String", T::String).position(0).mandatory().pipeline())
        .param(Param::new("AsPlainText", T::Switch))
        .param(Param::new("Force", T::Switch))
        .param(Param::new("Key", T::Object))
        .example(
            "A password for New-Mailbox",
            "$pw = ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force",
            "",
        );
    let credential = Signature::build("Get-Credential")
        .synopsis("Asks for a user name and password (REPL only).")
        .param(Param::new("UserName", T::String).aliases(&["Credential"]).position(0))
        .param(Param::new("Message", T::String))
        .examples_not_self_contained();
    vec![CmdletDef::run(convert, to_secure), CmdletDef::run(credential, get_credential)]
}

fn to_secure(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let text = args.string("String").unwrap_or_default();
    if !args.switch("AsPlainText") {
        return Err(ErrorRecord::new(
            "Input string was not in a correct format.",
            Category::InvalidArgument,
            "ImportSecureString_InvalidArgument",
            "FormatException",
        )
        .into());
    }
    if !args.switch("Force") {
        return Err(ErrorRecord::new(
            "The system cannot protect plain text input. To suppress this warning and convert the plain text to a SecureString, reissue the command specifying the Force parameter. For more information ,type: get-help ConvertTo-SecureString.",
            Category::InvalidArgument,
            "ImportSecureString_InvalidArgument",
            "ArgumentException",
        )
        .into());
    }
    out.emit(cx, Value::SecureString(text.as_str().into()))
}

fn get_credential(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    if !cx.host.interactive() || cx.non_interactive {
        return Err(ErrorRecord::invalid_operation(
            "Get-Credential needs a terminal to ask for the password. In a script, use New-Object System.Management.Automation.PSCredential('user', (ConvertTo-SecureString 'password' -AsPlainText -Force)).",
            "CouldNotPromptForCredential",
        )
        .into());
    }
    // Ctrl-C at either question abandons the command.
    let stopped = |cx: &mut Session| cx.prompt_abandoned();
    let user = match args.string("UserName") {
        Some(u) => u,
        None => match cx.host.read_line("User: ") {
            Some(u) => u,
            None => return Err(stopped(cx)),
        },
    };
    let Some(password) = cx.host.read_secret(&format!("Password for user {user}: ")) else {
        return Err(stopped(cx));
    };
    out.emit(cx, Value::credential(user, password.as_str().into()))
}
