//! `mailsh -Setup`: a server joins the organization whose directory is on
//! PostgreSQL, or leaves it, in the spirit of Exchange 2013's unattended
//! Setup (`Setup.exe /Mode:Install /Roles:ClientAccess,Mailbox`):
//!
//! ```text
//! mailsh -Setup -Mode Install -Roles ClientAccess,Mailbox -ServerName MBX01 -Store postgresql://...
//! mailsh -Setup -Mode Uninstall -ServerName MBX01 -Store postgresql://...
//! ```
//!
//! The first server to run Setup on an empty directory creates the
//! organization (-Domain, $MAILSH_DOMAIN). A server's FQDN is its name
//! in the organization's domain (`mbx01.contoso.com`). A SQLite store is one server
//! with both roles and takes no other.

use std::path::Path;

use super::cli::{Options, create_options};
use crate::store::servers::{ExchangeServer, Roles};
use crate::store::{Store, StoreError, new_guid, now_unix, pg};

const DONE: &str = "The Exchange Server setup operation completed successfully.";

/// Runs Setup; the exit status (0 done, 1 refused).
pub fn run(o: &Options, store: &Path) -> i32 {
    match setup(o, store) {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            0
        }
        Err(e) => {
            eprintln!("Setup: {e}");
            1
        }
    }
}

fn setup(o: &Options, store: &Path) -> Result<Vec<String>, String> {
    let url = store.to_str().filter(|s| pg::is_url(s)).ok_or_else(|| {
        format!(
            "Setup adds a server to an organization whose directory is on PostgreSQL (-Store postgresql://...); \
             the SQLite store '{}' is one server with both roles.",
            store.display()
        )
    })?;
    let mut options = create_options(o);
    let name = options.server_name.clone().ok_or("-ServerName (or $MAILSH_SERVER) names the server.")?;
    // A computer name (NetBIOS): it becomes the FQDN's first label and a
    // folder name, so nothing else is taken.
    if name.is_empty() || name.len() > 15 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(format!("'{name}' is not a server name: 1 to 15 letters, digits or hyphens, as a computer name."));
    }
    match o.mode.as_deref().unwrap_or("Install").to_ascii_lowercase().as_str() {
        "install" => {
            let roles =
                parse_roles(o.roles.as_deref().ok_or("-Roles names the server's roles: Mailbox, ClientAccess.")?)?;
            options.roles = Some(roles);
            options.address = o.address.as_deref().map(parse_address).transpose()?;
            install(url, &options, &name, roles)
        }
        "uninstall" => uninstall(url, &name),
        other => Err(format!("-Mode {other} is not implemented by mailsh: Install and Uninstall are.")),
    }
}

/// -Address: an IP address, or a host name the other servers resolve.
fn parse_address(text: &str) -> Result<String, String> {
    let text = text.trim();
    let host_name = !text.is_empty()
        && text.len() <= 253
        && text
            .split('.')
            .all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_name_that_is_not_a_computer_name_is_refused_before_anything_is_opened() {
        let o = Options {
            setup: true,
            server_name: Some("../x".into()),
            roles: Some("Mailbox".into()),
            ..Options::default()
        };
        let refused = setup(&o, std::path::Path::new("postgresql://mailsh@127.0.0.1:1/none"));
        assert_eq!(
            refused,
            Err("'../x' is not a server name: 1 to 15 letters, digits or hyphens, as a computer name.".into())
        );
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
