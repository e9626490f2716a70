//! Small cmdlets admins reach for: Get-Date, Clear-Host, Get-ExchangeServer,
//! Get-Variable.

use super::common::{custom_object, object};
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let date = Signature::build("Get-Date")
        .synopsis("The current date and time (UTC).")
        .param(Param::new("Format", T::String));
    let clear = Signature::build("Clear-Host").aliases(&["cls", "clear"]).synopsis("Clears the screen.");
    let server = Signature::build("Get-ExchangeServer")
        .synopsis("Shows this server: name, domain and roles.")
        .param(Param::new("Identity", T::Identity("ServerIdParameter")).position(0))
        .example("This server", "Get-ExchangeServer", "");
    let vars = Signature::build("Get-Variable")
        .aliases(&["gv"])
        .synopsis("Lists the session's variables.")
        .param(Param::new("Name", T::Strings).position(0))
        .param(Param::new("ValueOnly", T::Switch));
    vec![
        CmdletDef::run(date, |args, _, cx, out| {
            let now = crate::runtime::value::DateTime::now();
            match args.string("Format") {
                Some(f) => {
                    out.emit(cx, Value::str(crate::runtime::ops::format::format_value(&Value::DateTime(now), Some(&f))))
                }
                None => out.emit(cx, Value::DateTime(now)),
            }
        }),
        CmdletDef::run(clear, |_, _, cx, _| {
            if cx.host.color() {
                cx.host.write_out("\u{1b}[2J\u{1b}[H");
            }
            Ok(())
        }),
        CmdletDef::run(server, get_exchange_server),
        CmdletDef::run(vars, get_variable),
    ]
}

fn get_exchange_server(_args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let s = cx.store()?.server().clone();
    let v = object(
        "Microsoft.Exchange.Data.Directory.Management.ExchangeServer",
        vec![
            ("Name", Value::str(s.name.clone())),
            ("Site", Value::str(format!("{}/Configuration/Sites/Default-First-Site-Name", s.domain))),
            ("ServerRole", Value::str("Mailbox, ClientAccess")),
            ("Edition", Value::str("Standard")),
            ("AdminDisplayVersion", Value::str("Version 15.0 (Build 1497.2)")),
            ("Fqdn", Value::str(s.fqdn.clone())),
            ("Domain", Value::str(s.domain.clone())),
            ("Guid", Value::str(s.guid.clone())),
        ],
    );
    out.emit(cx, v)
}

fn get_variable(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let names = args.strings("Name");
    for n in cx.variable_names() {
        if names.as_ref().is_some_and(|l| !l.iter().any(|p| crate::runtime::ops::wildcard_match(p, &n, false))) {
            continue;
        }
        let v = cx.get_var(&n);
        if args.switch("ValueOnly") {
            out.emit(cx, v)?;
        } else {
            out.emit(
                cx,
                custom_object(
                    "System.Management.Automation.PSVariable",
                    vec![("Name".into(), Value::str(n)), ("Value".into(), v)],
                ),
            )?;
        }
    }
    Ok(())
}
