//! Get-ExchangeServer: the organization's servers and their roles, from
//! the directory (one with both roles in a SQLite store; every server
//! `mailsh -Setup` added in a directory on PostgreSQL).

use super::common::object;
use super::identity::{identity_text, store_err};
use crate::format::views::EXCHANGE_SERVER;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::store::servers::ExchangeServer;

/// What Exchange 2013 CU23 reports as its version.
const VERSION: &str = "Version 15.0 (Build 1497.2)";

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Get-ExchangeServer")
        .synopsis("Lists the organization's Exchange servers: name, site, roles, edition and version.")
        .param(
            Param::new("Identity", T::Identity("ServerIdParameter"))
                .position(0)
                .pipeline()
                .help("The server's name or FQDN; without it, every server."),
        )
        .example("Every server of the organization", "Get-ExchangeServer", "")
        .example("One server's roles", "Get-ExchangeServer CAS01 | Format-List Name,ServerRole,Is*Server", "");
    vec![CmdletDef::run(sig, get_exchange_server)]
}

fn get_exchange_server(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let store = cx.store()?;
    let domain = store.server().domain.clone();
    let servers = match args.get("Identity") {
        None => store.exchange_servers().map_err(store_err)?,
        Some(identity) => {
            let text = identity_text(identity);
            match store.exchange_server(&text).map_err(store_err)? {
                Some(s) => vec![s],
                None => return Err(ErrorRecord::object_not_found(&text, &store.server().fqdn).into()),
            }
        }
    };
    for s in servers {
        out.emit(cx, server_object(&s, &domain))?;
    }
    Ok(())
}

/// The server as Get-ExchangeServer shows it. In Exchange 2013 the Mailbox
/// role carries the Transport and Unified Messaging services, the Client
/// Access role the Frontend Transport.
fn server_object(s: &ExchangeServer, domain: &str) -> Value {
    let (mailbox, client_access) = (s.roles.mailbox, s.roles.client_access);
    object(
        EXCHANGE_SERVER,
        vec![
            ("Name", Value::str(s.name.clone())),
            ("Site", Value::str(format!("{domain}/Configuration/Sites/Default-First-Site-Name"))),
            ("ServerRole", Value::str(s.roles.text())),
            ("Edition", Value::str("Standard")),
            ("AdminDisplayVersion", Value::str(VERSION)),
            ("Fqdn", Value::str(s.fqdn.clone())),
            ("Domain", Value::str(domain)),
            ("IsMailboxServer", Value::Bool(mailbox)),
            ("IsClientAccessServer", Value::Bool(client_access)),
            ("IsHubTransportServer", Value::Bool(mailbox)),
            ("IsFrontendTransportServer", Value::Bool(client_access)),
            ("IsUnifiedMessagingServer", Value::Bool(mailbox)),
            ("IsEdgeServer", Value::Bool(false)),
            ("IsE15OrLater", Value::Bool(true)),
            ("WhenCreated", Value::date_unix(s.created)),
            ("Guid", Value::str(s.guid.clone())),
            ("Identity", Value::str(s.name.clone())),
        ],
    )
}
