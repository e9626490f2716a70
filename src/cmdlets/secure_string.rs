//! ConvertTo-SecureString, Get-Credential and New-Object: how passwords
//! and credentials reach New-Mailbox and the connectivity tests.

use super::common::custom_object;
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
        .examples_need_services();
    let new_object = Signature::build("New-Object")
        .synopsis("Creates a PSCredential or a PSCustomObject.")
        .param(Param::new("TypeName", T::String).position(0).mandatory())
        .param(Param::new("ArgumentList", T::Object).aliases(&["Args"]).position(1))
        .param(Param::new("Property", T::Hashtable))
        .example(
            "A credential in a script",
            "$cred = New-Object System.Management.Automation.PSCredential('jsmith@contoso.com', (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force))",
            "",
        );
    vec![
        CmdletDef::run(convert, to_secure),
        CmdletDef::run(credential, get_credential),
        CmdletDef::run(new_object, new_object_run),
    ]
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
    let user = match args.string("UserName") {
        Some(u) => u,
        None => cx.host.read_line("User: ").unwrap_or_default(),
    };
    let password = cx.host.read_line(&format!("Password for user {user}: ")).unwrap_or_default();
    out.emit(cx, Value::credential(user, password.as_str().into()))
}

fn new_object_run(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let type_name = args.string("TypeName").unwrap_or_default();
    let short = type_name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match short.as_str() {
        "pscredential" => {
            let list = args.get("ArgumentList").cloned().unwrap_or(Value::Null).into_items();
            match list.as_slice() {
                [user, Value::SecureString(pw)] => out.emit(cx, Value::credential(user.to_text(), pw.clone())),
                _ => Err(ErrorRecord::new(
                    "Cannot find an overload for \"PSCredential\" and the argument count: \"2\".",
                    Category::InvalidOperation,
                    "ConstructorInvokedThrowException,Microsoft.PowerShell.Commands.NewObjectCommand",
                    "MethodException",
                )
                .unqualified()
                .into()),
            }
        }
        "psobject" | "pscustomobject" | "object" => {
            let props = match args.get("Property") {
                Some(Value::Hashtable(h)) => h.entries().into_iter().map(|(k, v)| (k.to_text(), v)).collect(),
                _ => vec![],
            };
            out.emit(cx, custom_object("System.Management.Automation.PSCustomObject", props))
        }
        _ => Err(ErrorRecord::new(
            format!("Cannot find type [{type_name}]: verify that the assembly containing this type is loaded."),
            Category::InvalidType,
            "TypeNotFound,Microsoft.PowerShell.Commands.NewObjectCommand",
            "PSArgumentException",
        )
        .unqualified()
        .into()),
    }
}
