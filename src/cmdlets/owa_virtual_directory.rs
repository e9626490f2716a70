//! Get-/Set-OwaVirtualDirectory: where intranetUrl and InternetUrl calendar
//! links point.

use super::common::{object, save_changes};
use super::identity::store_err;
use crate::format::views::OWA_VDIR;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{Value, now_unix};
use crate::store::owa::OwaVirtualDirectory;
use crate::store::{ServerInfo, Store};

pub fn definitions() -> Vec<CmdletDef> {
    let get = Signature::build("Get-OwaVirtualDirectory")
        .synopsis("Shows the Outlook Web App virtual directories and their URLs.")
        .param(Param::new("Identity", T::Identity("VirtualDirectoryIdParameter")).position(0).pipeline().by_property())
        .param(Param::new("Server", T::Identity("ServerIdParameter")))
        .example(
            "Where calendar links point",
            "Get-OwaVirtualDirectory | Format-List Name,InternalUrl,ExternalUrl",
            "",
        );
    let set = Signature::build("Set-OwaVirtualDirectory")
        .synopsis("Changes the InternalUrl and ExternalUrl of an Outlook Web App virtual directory.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::SET_OWA_VIRTUAL_DIRECTORY)
        .writes_store()
        .param(
            Param::new("Identity", T::Identity("VirtualDirectoryIdParameter"))
                .position(0)
                .mandatory()
                .pipeline()
                .by_property(),
        )
        .param(Param::new("InternalUrl", T::Uri).help("The URL intranetUrl calendar links use."))
        .param(Param::new("ExternalUrl", T::Uri).help("The URL InternetUrl calendar links use."))
        .example(
            "Publish Outlook Web App on the Internet",
            "Set-OwaVirtualDirectory -Identity \"owa (Default Web Site)\" -ExternalUrl https://mail.contoso.com/owa",
            "",
        );
    vec![CmdletDef::run(get, get_vdir), CmdletDef::run(set, set_vdir)]
}

fn vdir_object(d: &OwaVirtualDirectory, server: &ServerInfo) -> Value {
    let identity = format!("{}\\{}", server.name, d.name);
    object(
        OWA_VDIR,
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

fn matching(cx: &mut Session, args: &Args) -> Result<(Vec<OwaVirtualDirectory>, ServerInfo)> {
    let store = cx.store()?;
    let server = store.server().clone();
    let all = store.owa_virtual_directories().map_err(store_err)?;
    let Some(id) = args.get("Identity") else {
        return Ok((all, server));
    };
    let wanted = match id {
        Value::Object(o) => o.get("Name").map(|n| n.to_text()).unwrap_or_default(),
        other => other.to_text(),
    };
    let bare = wanted.rsplit('\\').next().unwrap_or(&wanted).to_string();
    let found: Vec<OwaVirtualDirectory> = all
        .into_iter()
        .filter(|d| wildcard_match(&bare, &d.name, false) || d.name.eq_ignore_ascii_case(&bare))
        .collect();
    if found.is_empty() {
        return Err(ErrorRecord::object_not_found(&wanted, &server.fqdn).into());
    }
    Ok((found, server))
}

fn get_vdir(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let (found, server) = matching(cx, args)?;
    for d in found {
        out.emit(cx, vdir_object(&d, &server))?;
    }
    Ok(())
}

fn set_vdir(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let (found, server) = matching(cx, args)?;
    for mut d in found {
        let identity = format!("{}\\{}", server.name, d.name);
        if !cx.should_process(args, &identity)? {
            continue;
        }
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
        save_changes(cx, args, &identity, changed, |tx| Store::save_owa_virtual_directory(tx, &d).map(|_| ()))?;
    }
    Ok(())
}
