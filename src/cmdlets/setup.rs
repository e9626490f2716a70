//! Exchange Setup, in the spirit of Exchange 2013's unattended
//! `Setup.exe /Mode:Install /Roles:ClientAccess,Mailbox`: a server joins
//! the organization whose directory is on PostgreSQL, or leaves it. Two
//! ways in, one body: `mailsh -Setup ...` on the command line
//! (`hosts::setup`), and `Setup.exe /Mode:Install /Roles:Mailbox
//! /IAcceptExchangeServerLicenseTerms` typed in the shell of the computer
//! being set up (`setup_exe`, below).
//!
//! The first server to run Setup on an empty directory creates the
//! organization (-Domain, $MAILSH_DOMAIN). A server's FQDN is its name
//! in the organization's domain (`mbx01.contoso.com`). A SQLite store is
//! one server with both roles and takes no other.

use std::path::Path;

use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result as CmdletResult;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::store::servers::{ExchangeServer, Roles};
use crate::store::{CreateOptions, Store, StoreError, new_guid, now_unix, pg};

const DONE: &str = "The Exchange Server setup operation completed successfully.";

/// What Setup is asked to do, from `mailsh -Setup`'s options or Setup.exe's
/// switches in the shell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetupRequest {
    /// Install (the default) or Uninstall.
    pub mode: Option<String>,
    pub roles: Option<String>,
    pub address: Option<String>,
}

/// Runs Setup for the server `options.server_name` on the directory at
/// `store`; the lines it prints, or why it refused.
pub fn setup(request: &SetupRequest, mut options: CreateOptions, store: &Path) -> Result<Vec<String>, String> {
    let url = store.to_str().filter(|s| pg::is_url(s)).ok_or_else(|| {
        format!(
            "Setup adds a server to an organization whose directory is on PostgreSQL (-Store postgresql://...); \
             the SQLite store '{}' is one server with both roles.",
            store.display()
        )
    })?;
    let name = options.server_name.clone().ok_or("-ServerName (or $MAILSH_SERVER) names the server.")?;
    if !is_computer_name(&name) {
        return Err(format!("'{name}' is not a server name: 1 to 15 letters, digits or hyphens, as a computer name."));
    }
    match request.mode.as_deref().unwrap_or("Install").to_ascii_lowercase().as_str() {
        "install" => {
            let roles = parse_roles(
                request.roles.as_deref().ok_or("-Roles names the server's roles: Mailbox, ClientAccess.")?,
            )?;
            options.roles = Some(roles);
            options.address = request.address.as_deref().map(parse_address).transpose()?;
            install(url, &options, &name, roles)
        }
        "uninstall" => uninstall(url, &name),
        other => Err(format!("-Mode {other} is not implemented by mailsh: Install and Uninstall are.")),
    }
}

/// A computer name (NetBIOS): 1 to 15 letters, digits or hyphens. A
/// server's becomes its FQDN's first label and a folder name, so nothing
/// else is taken.
pub fn is_computer_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 15 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// -Address: an IP address, or a host name the other servers resolve.
fn parse_address(text: &str) -> Result<String, String> {
    let text = text.trim();
    let host_name = !text.is_empty()
        && text.len() <= 253
        && text
            .split('.')
            .all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if text.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_unspecified()) {
        return Err(format!(
            "'{text}' is no address the other servers can reach: give this server's own (-Address 10.0.0.3)."
        ));
    }
    if text.parse::<std::net::IpAddr>().is_ok() || host_name {
        Ok(text.to_string())
    } else {
        Err(format!("'{text}' is not an address: give an IP address or a host name (-Address 10.0.0.3)."))
    }
}

/// `Mailbox,ClientAccess` (Setup's names and abbreviations, in any case
/// and order).
fn parse_roles(text: &str) -> Result<Roles, String> {
    let mut roles = Roles { mailbox: false, client_access: false };
    for role in text.split(',').map(str::trim).filter(|r| !r.is_empty()) {
        match role.to_ascii_lowercase().as_str() {
            "mailbox" | "mb" => roles.mailbox = true,
            "clientaccess" | "ca" => roles.client_access = true,
            "edgetransport" | "et" => return Err("The Edge Transport role is not implemented by mailsh.".into()),
            "managementtools" | "mt" => {
                return Err("The management tools are mailsh itself: nothing to install on a server.".into());
            }
            _ => return Err(format!("'{role}' is not a valid role. The roles are Mailbox and ClientAccess.")),
        }
    }
    if !roles.mailbox && !roles.client_access {
        return Err("-Roles names the server's roles: Mailbox, ClientAccess.".into());
    }
    Ok(roles)
}

fn install(url: &str, options: &crate::store::CreateOptions, name: &str, roles: Roles) -> Result<Vec<String>, String> {
    let shown = |e: StoreError| e.to_string();
    // An empty directory: this server creates the organization.
    let (mut store, created) = match Store::open_organization(url, None) {
        Ok(store) => (store, false),
        Err(StoreError::PgOpen { .. }) => (Store::open_organization(url, Some(options)).map_err(shown)?, true),
        Err(e) => return Err(e.to_string()),
    };
    let organization = store.server().domain.clone();
    let where_ = format!("the organization {organization} in {}", store.path().display());
    if created && store.server().name.eq_ignore_ascii_case(name) {
        let mut lines = vec![
            format!("Creating {where_} with its first server, {name} ({}).", store.server().fqdn),
            format!("    Roles: {}", roles.text()),
        ];
        lines.extend(options.address.as_ref().map(|a| format!("    Address: {a}")));
        lines.extend([String::new(), DONE.into()]);
        return Ok(lines);
    }
    let server = ExchangeServer {
        name: name.to_string(),
        fqdn: format!("{}.{organization}", name.to_lowercase()),
        roles,
        guid: new_guid(),
        created: now_unix(),
        address: options.address.clone(),
    };
    store.write(|tx| Store::add_exchange_server(tx, &server)).map_err(shown)?;
    let mut lines =
        vec![format!("Adding {name} ({}) to {where_}.", server.fqdn), format!("    Roles: {}", roles.text())];
    lines.extend(server.address.as_ref().map(|a| format!("    Address: {a}")));
    lines.extend([String::new(), DONE.into()]);
    Ok(lines)
}

fn uninstall(url: &str, name: &str) -> Result<Vec<String>, String> {
    let mut store = Store::open_organization(url, None).map_err(|e| e.to_string())?;
    let Some(server) = store.exchange_server(name).map_err(|e| e.to_string())? else {
        return Err(format!("{name} is not a server of this organization."));
    };
    if server.guid == store.server().guid {
        return Err(format!(
            "{} is the organization's first server: it holds the organization's record and cannot be removed.",
            server.name
        ));
    }
    store.write(|tx| Store::remove_exchange_server(tx, &server)).map_err(|e| e.to_string())?;
    Ok(vec![
        format!("Removing {} ({}) from the organization {}.", server.name, server.fqdn, store.server().domain),
        String::new(),
        DONE.into(),
    ])
}

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Setup.exe")
        .aliases(&["Setup"])
        .synopsis("Exchange Setup, unattended: this computer joins the organization (/Mode:Install /Roles:...) or leaves it (/Mode:Uninstall).")
        .description(
            "Switches as Exchange 2013's Setup.exe takes them: /Mode (/m) Install or Uninstall, /Roles (/Role, /r) \
             Mailbox (MB) and ClientAccess (CA), separated by commas, and /IAcceptExchangeServerLicenseTerms, which \
             Setup requires; mailsh adds /Address, where the other servers reach this one. The computer is the one \
             this shell answers for (-ServerName, Enter-PSSession). Any other switch is refused by name. A refusal \
             is printed on standard error and sets $LASTEXITCODE to 1, as a program's.",
        )
        .param(Param::new("Arguments", T::Object).position(0).remaining().help("Setup's switches."))
        .examples_not_self_contained()
        .example(
            "Install the Mailbox role on this computer",
            "Setup.exe /Mode:Install /Roles:Mailbox /IAcceptExchangeServerLicenseTerms /Address:10.0.0.3",
            "",
        );
    vec![CmdletDef::run(sig, setup_exe)]
}

/// Setup.exe's switches: `/Name:value` or `/Name` (`-Name` too).
fn switches(args: &Args) -> std::result::Result<(SetupRequest, bool), String> {
    let mut request = SetupRequest::default();
    let mut accepted = false;
    // A bare word with commas (`/Roles:Mailbox,ClientAccess`) reaches a
    // program as typed, one argument.
    let words: Vec<String> = match args.get("Arguments") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .snapshot()
            .iter()
            .map(|v| match v {
                Value::Array(parts) => parts.snapshot().iter().map(Value::to_text).collect::<Vec<_>>().join(","),
                other => other.to_text(),
            })
            .collect(),
        Some(one) => vec![one.to_text()],
    };
    for word in words {
        let Some(switch) = word.strip_prefix('/').or_else(|| word.strip_prefix('-')) else {
            return Err(format!("'{word}' is not a switch of Setup: they start with '/' (/Mode:Install)."));
        };
        let (name, value) = match switch.split_once(':') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (switch, None),
        };
        let value = || {
            value.clone().filter(|v| !v.is_empty()).ok_or(format!("The switch /{name} needs a value (/{name}:...)."))
        };
        match name.to_ascii_lowercase().as_str() {
            "mode" | "m" => request.mode = Some(value()?),
            "roles" | "role" | "r" => request.roles = Some(value()?),
            "address" => request.address = Some(value()?),
            "iacceptexchangeserverlicenseterms" => accepted = true,
            _ => return Err(format!("The switch /{name} is not implemented by mailsh's Setup.")),
        }
    }
    Ok((request, accepted))
}

fn setup_exe(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> CmdletResult<()> {
    let done = switches(args).and_then(|(request, accepted)| {
        if !accepted {
            return Err("To run Setup unattended, accept the Exchange Server license terms with the \
                        /IAcceptExchangeServerLicenseTerms switch."
                .into());
        }
        let mut options = cx.create_options.clone();
        options.server_name = Some(options.server_name.unwrap_or_else(crate::store::this_server_name));
        setup(&request, options, &cx.store_path.clone())
    });
    // The store this shell had open was the directory before Setup: the
    // next command opens it again, as the server it now holds.
    cx.close_store();
    match done {
        Ok(lines) => {
            let _ = cx.set_var("LASTEXITCODE", Value::Int(0));
            for line in lines {
                out.emit(cx, Value::str(line))?;
            }
        }
        Err(why) => {
            cx.print_err(&format!("Setup: {why}\n"), None);
            cx.total_errors += 1;
            cx.statement_errors += 1;
            let _ = cx.set_var("LASTEXITCODE", Value::Int(1));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_name_that_is_not_a_computer_name_is_refused_before_anything_is_opened() {
        let request = SetupRequest { roles: Some("Mailbox".into()), ..SetupRequest::default() };
        let options = CreateOptions { server_name: Some("../x".into()), ..CreateOptions::default() };
        let refused = setup(&request, options, std::path::Path::new("postgresql://mailsh@127.0.0.1:1/none"));
        assert_eq!(
            refused,
            Err("'../x' is not a server name: 1 to 15 letters, digits or hyphens, as a computer name.".into())
        );
    }

    #[test]
    fn an_address_is_one_the_other_servers_can_reach() {
        assert_eq!(parse_address(" 10.0.0.3 "), Ok("10.0.0.3".into()));
        assert_eq!(parse_address("mbx01.contoso.com"), Ok("mbx01.contoso.com".into()));
        for unspecified in ["0.0.0.0", "::"] {
            assert!(parse_address(unspecified).is_err_and(|e| e.contains("no address the other servers can reach")));
        }
        assert!(parse_address("not an address").is_err());
    }

    #[test]
    fn roles_take_setups_names_and_abbreviations_and_refuse_the_rest_by_name() {
        assert_eq!(parse_roles("ClientAccess,Mailbox"), Ok(Roles::BOTH));
        assert_eq!(parse_roles("mb"), Ok(Roles { mailbox: true, client_access: false }));
        assert_eq!(parse_roles("CA"), Ok(Roles { mailbox: false, client_access: true }));
        assert_eq!(parse_roles("EdgeTransport"), Err("The Edge Transport role is not implemented by mailsh.".into()));
        assert_eq!(
            parse_roles("Mailbox,Hub"),
            Err("'Hub' is not a valid role. The roles are Mailbox and ClientAccess.".into())
        );
    }
}
