//! Get-/Set-OwaVirtualDirectory (where intranetUrl and InternetUrl calendar
//! links point) and Get-/Set-EcpVirtualDirectory (where the W3SVC service
//! serves the Exchange admin center): the same object, each in its table.

use super::common::{change_in_one_write, object};
use super::identity::{server_based_identity, store_err};
use crate::format::views::{ECP_VDIR, OWA_VDIR};
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{Value, now_unix};
use crate::store::owa::{VirtualDirectory, VirtualDirectoryKind as Kind};
use crate::store::{ServerInfo, Store, StoreError, Tx};

/// Get-<Noun>VirtualDirectory: Identity and Server.
fn get_signature(name: &'static str, synopsis: &'static str) -> Signature {
    Signature::build(name)
        .synopsis(synopsis)
        .param(Param::new("Identity", T::Identity("VirtualDirectoryIdParameter")).position(0).pipeline().by_property())
        .param(Param::new("Server", T::Identity("ServerIdParameter")))
}

/// Set-<Noun>VirtualDirectory: Identity, InternalUrl and ExternalUrl.
fn set_signature(
    name: &'static str,
    synopsis: &'static str,
    confirm: &'static str,
    internal_help: &'static str,
    external_help: &'static str,
) -> Signature {
    Signature::build(name)
        .synopsis(synopsis)
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .confirm_message(confirm)
        .writes_store()
        .param(
            Param::new("Identity", T::Identity("VirtualDirectoryIdParameter"))
                .position(0)
                .mandatory()
                .pipeline()
                .by_property(),
        )
        .param(Param::new("InternalUrl", T::Uri).help(internal_help))
        .param(Param::new("ExternalUrl", T::Uri).help(external_help))
}

pub fn definitions() -> Vec<CmdletDef> {
    let get_owa =
        get_signature("Get-OwaVirtualDirectory", "Shows the Outlook Web App virtual directories and their URLs.")
            .example(
                "Where calendar links point",
                "Get-OwaVirtualDirectory | Format-List Name,InternalUrl,ExternalUrl",
                "",
            );
    let set_owa = set_signature(
        "Set-OwaVirtualDirectory",
        "Changes the InternalUrl and ExternalUrl of an Outlook Web App virtual directory.",
        super::confirm_texts::SET_OWA_VIRTUAL_DIRECTORY,
        "The URL intranetUrl calendar links use.",
        "The URL InternetUrl calendar links use.",
    )
    .example(
        "Publish Outlook Web App on the Internet",
        "Set-OwaVirtualDirectory -Identity \"owa (Default Web Site)\" -ExternalUrl https://mail.contoso.com/owa",
        "",
    );
    let get_ecp =
        get_signature("Get-EcpVirtualDirectory", "Shows the Exchange admin center's virtual directory and its URLs.")
            .description(
                "The W3SVC service serves the Exchange admin center over HTTPS on the host and port of InternalUrl \
                 and ExternalUrl (443 when the URL names none; on every address when the host is a name), read \
                 when the service starts.",
            )
            .example(
                "Where the Exchange admin center is served",
                "Get-EcpVirtualDirectory | Format-List Identity,InternalUrl,ExternalUrl",
                "",
            );
    let set_ecp = set_signature(
        "Set-EcpVirtualDirectory",
        "Changes the InternalUrl and ExternalUrl of the Exchange admin center's virtual directory.",
        super::confirm_texts::SET_ECP_VIRTUAL_DIRECTORY,
        "The URL the Exchange admin center is served at inside the organization.",
        "The URL the Exchange admin center is served at from the Internet.",
    )
    .description("The W3SVC service reads them when it starts: restart it (Restart-Service W3SVC) to apply a change.")
    .example(
        "Serve the Exchange admin center on port 8443",
        "Set-EcpVirtualDirectory -Identity \"CAS01\\ecp (Default Web Site)\" -InternalUrl https://cas01.contoso.com:8443/ecp",
        "",
    );
    vec![
        CmdletDef::run(get_owa, |a, i, cx, o| get_vdir(Kind::Owa, a, i, cx, o)),
        CmdletDef::run(set_owa, |a, i, cx, o| set_vdir(Kind::Owa, a, i, cx, o)),
        CmdletDef::run(get_ecp, |a, i, cx, o| get_vdir(Kind::Ecp, a, i, cx, o)),
        CmdletDef::run(set_ecp, |a, i, cx, o| set_vdir(Kind::Ecp, a, i, cx, o)),
    ]
}

fn vdir_object(kind: Kind, d: &VirtualDirectory, server: &ServerInfo) -> Value {
    let identity = format!("{}\\{}", server.name, d.name);
    object(
        match kind {
            Kind::Owa => OWA_VDIR,
            Kind::Ecp => ECP_VDIR,
        },
        vec![
            ("Name", Value::str(d.name.clone())),
            ("Server", Value::str(server.name.clone())),
            ("InternalUrl", d.internal_url.clone().map(Value::from).unwrap_or(Value::Null)),
            ("ExternalUrl", d.external_url.clone().map(Value::from).unwrap_or(Value::Null)),
            ("Identity", Value::str(identity)),
            ("WhenChanged", Value::date_unix(d.changed)),
        ],
    )
}

fn matching(kind: Kind, cx: &mut Session, args: &Args) -> Result<(Vec<VirtualDirectory>, ServerInfo)> {
    let store = cx.store()?;
    let server = store.server().clone();
    let all = store.virtual_directories(kind).map_err(store_err)?;
    let Some(id) = args.get("Identity") else {
        return Ok((all, server));
    };
    let wanted = match id {
        Value::Object(o) => o.get("Name").map(|n| n.to_text()).unwrap_or_default(),
        other => other.to_text(),
    };
    let bare = wanted.rsplit('\\').next().unwrap_or(&wanted).to_string();
    let found: Vec<VirtualDirectory> = all
        .into_iter()
        .filter(|d| wildcard_match(&bare, &d.name, false) || d.name.eq_ignore_ascii_case(&bare))
        .collect();
    if found.is_empty() {
        return Err(ErrorRecord::object_not_found(&wanted, &server.fqdn).into());
    }
    Ok((found, server))
}

fn get_vdir(kind: Kind, args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let (found, server) = matching(kind, cx, args)?;
    for d in found {
        out.emit(cx, vdir_object(kind, &d, &server))?;
    }
    Ok(())
}

fn set_vdir(kind: Kind, args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let (found, server) = matching(kind, cx, args)?;
    let shown = args.get("Identity").map(|v| server_based_identity(v, &server.fqdn)).unwrap_or_default();
    for d in found {
        let identity = format!("{}\\{}", server.name, d.name);
        if !cx.should_process(args, &shown)? {
            continue;
        }
        // Read again in the write transaction: a URL another shell set
        // meanwhile is kept.
        let read = |tx: &Tx| {
            Store::virtual_directory_for_update(tx, &server.guid, kind, &d.name)?
                .ok_or_else(|| StoreError::Conflict(format!("The virtual directory \"{identity}\" was removed.")))
        };
        let change = |d: &mut VirtualDirectory| {
            let mut changed = Vec::new();
            for (name, slot) in [("InternalUrl", &mut d.internal_url), ("ExternalUrl", &mut d.external_url)] {
                if let Some(v) = args.get(name) {
                    let next = if v.is_null() { None } else { Some(v.to_text()) };
                    if *slot != next {
                        changed.push((
                            name.to_string(),
                            slot.clone().unwrap_or_default(),
                            next.clone().unwrap_or_default(),
                        ));
                        *slot = next;
                    }
                }
            }
            d.changed = now_unix();
            Ok(changed)
        };
        change_in_one_write(cx, args, &identity, read, change, |tx, d| {
            Store::save_virtual_directory(tx, &server.guid, kind, d)
        })?;
    }
    Ok(())
}
