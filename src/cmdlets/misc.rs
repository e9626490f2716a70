//! Small cmdlets admins reach for: Clear-Host, Get-ExchangeServer.

use super::common::object;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let clear = Signature::build("Clear-Host").aliases(&["cls", "clear"]).synopsis("Clears the screen.");
    let server = Signature::build("Get-ExchangeServer")
        .synopsis("Shows this server: name, domain and roles.")
        .param(Param::new("Identity", T::Identity("ServerIdParameter")).position(0))
        .example("This server", "Get-ExchangeServer", "");
    vec![
        CmdletDef::run(clear, |_, _, cx, _| {
            cx.host.clear_screen();
            Ok(())
        }),
        CmdletDef::run(server, get_exchange_server),
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
