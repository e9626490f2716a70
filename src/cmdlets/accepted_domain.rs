//! Get-, New- and Set-AcceptedDomain: the SMTP domains this organization
//! takes mail for. Authoritative: every recipient is here, so an unknown
//! address is refused at RCPT. The transport services read them at every
//! RCPT (no restart needed).

use super::common::{change_in_one_write, insert_new, object};
use super::identity::store_err;
use crate::format::views::ACCEPTED_DOMAIN;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::types::exchange::{ACCEPTED_DOMAIN_TYPE, EnumValue};
use crate::runtime::value::{Value, now_unix};
use crate::store::transport::AcceptedDomain;
use crate::store::{AcceptedDomainType, Store, StoreError, Tx};

pub fn definitions() -> Vec<CmdletDef> {
    let identity =
        || Param::new("Identity", T::Identity("AcceptedDomainIdParameter")).position(0).pipeline().by_property();
    let get = Signature::build("Get-AcceptedDomain")
        .synopsis("Shows the SMTP domains this organization accepts mail for.")
        .param(identity().help("The accepted domain's name; wildcards accepted."))
        .example("The accepted domains", "Get-AcceptedDomain", "");
    let new = Signature::build("New-AcceptedDomain")
        .synopsis("Accepts mail for another SMTP domain.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .param(Param::new("Name", T::String).mandatory().help("A unique name for the accepted domain."))
        .param(Param::new("DomainName", T::String).mandatory().help("The SMTP domain (fabrikam.com)."))
        .param(
            Param::new("DomainType", T::Enum(&ACCEPTED_DOMAIN_TYPE))
                .help("Authoritative (the default) or InternalRelay/ExternalRelay."),
        )
        .example(
            "Accept mail for fabrikam.com",
            "New-AcceptedDomain -Name Fabrikam -DomainName fabrikam.com -DomainType Authoritative",
            "",
        );
    let set = Signature::build("Set-AcceptedDomain")
        .synopsis("Changes an accepted domain's type, or makes it the default.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::SET_ACCEPTED_DOMAIN)
        .param(identity().mandatory())
        .param(Param::new("DomainType", T::Enum(&ACCEPTED_DOMAIN_TYPE)))
        .param(Param::new("MakeDefault", T::Bool).help("$true: the domain of new recipients' addresses."))
        .param(Param::new("Name", T::String))
        .example(
            "Relay fabrikam.com instead",
            "New-AcceptedDomain -Name Fabrikam -DomainName fabrikam.com | Out-Null; Set-AcceptedDomain Fabrikam -DomainType InternalRelay",
            "",
        );
    vec![CmdletDef::run(get, get_domain), CmdletDef::run(new, new_domain), CmdletDef::run(set, set_domain)]
}

fn domain_object(d: &AcceptedDomain) -> Value {
    object(
        ACCEPTED_DOMAIN,
        vec![
            ("DomainName", Value::str(&d.domain_name)),
            ("DomainType", d.domain_type.to_value()),
            ("Default", Value::Bool(d.default)),
            ("Name", Value::str(&d.name)),
            ("Identity", Value::str(&d.name)),
            ("Guid", Value::str(&d.guid)),
            ("WhenChanged", Value::date_unix(d.changed)),
            ("WhenCreated", Value::date_unix(d.created)),
        ],
    )
}

fn matching(cx: &mut Session, args: &Args) -> Result<Vec<AcceptedDomain>> {
    let store = cx.store()?;
    let fqdn = store.server().fqdn.clone();
    let all = store.accepted_domains().map_err(store_err)?;
    let Some(id) = args.get("Identity") else { return Ok(all) };
    let wanted = match id {
        Value::Object(o) => o.get("Identity").map(|n| n.to_text()).unwrap_or_default(),
        other => other.to_text(),
    };
    let found: Vec<AcceptedDomain> = all
        .into_iter()
        .filter(|d| {
            d.name.eq_ignore_ascii_case(&wanted)
                || d.domain_name.eq_ignore_ascii_case(&wanted)
                || d.guid == wanted
                || wildcard_match(&wanted, &d.name, false)
        })
        .collect();
    if found.is_empty() {
        return Err(ErrorRecord::object_not_found(&wanted, &fqdn).into());
    }
    Ok(found)
}

fn get_domain(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    for d in matching(cx, args)? {
        out.emit(cx, domain_object(&d))?;
    }
    Ok(())
}

/// An SMTP domain: labels of letters, digits and hyphens (a leading `*.`
/// for subdomains is Exchange's, not supported here).
fn valid_domain(name: &str) -> bool {
    name.len() <= 253
        && name.contains('.')
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

fn new_domain(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let name = args.string("Name").unwrap_or_default();
    let domain_name = args.string("DomainName").unwrap_or_default().trim().to_lowercase();
    if !valid_domain(&domain_name) {
        return Err(ErrorRecord::argument_transformation(
            "DomainName",
            &format!(
                "Cannot convert value \"{domain_name}\" to type \"Microsoft.Exchange.Data.SmtpDomainWithSubdomains\". Error: \"\"{domain_name}\" isn't a valid SMTP domain.\""
            ),
        )
        .into());
    }
    let text = super::confirm_texts::NEW_ACCEPTED_DOMAIN.replace("{target}", &name).replace("{domain}", &domain_name);
    if !cx.should_process_text(args, &text)? {
        return Ok(());
    }
    let now = now_unix();
    let d = AcceptedDomain {
        name: name.clone(),
        guid: crate::store::new_guid(),
        domain_name,
        domain_type: args
            .get("DomainType")
            .and_then(AcceptedDomainType::from_value)
            .unwrap_or(AcceptedDomainType::Authoritative),
        default: false,
        created: now,
        changed: now,
    };
    insert_new(cx, args, &name, |tx| Store::insert_accepted_domain(tx, &d))?;
    out.emit(cx, domain_object(&d))
}

fn set_domain(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    // Exchange shows the identity as it was given.
    let typed = args.get("Identity").map(super::identity::identity_text).unwrap_or_default();
    for found in matching(cx, args)? {
        if !cx.should_process(args, &typed)? {
            continue;
        }
        let change = |d: &mut AcceptedDomain| {
            let mut changed = Vec::new();
            if let Some(t) = args.get("DomainType").and_then(AcceptedDomainType::from_value)
                && t != d.domain_type
            {
                changed.push(("DomainType".to_string(), d.domain_type.name().to_string(), t.name().to_string()));
                d.domain_type = t;
            }
            if args.bool("MakeDefault") == Some(true) && !d.default {
                changed.push(("Default".to_string(), "False".to_string(), "True".to_string()));
                d.default = true;
            }
            if let Some(name) = args.string("Name")
                && name != d.name
            {
                changed.push(("Name".to_string(), d.name.clone(), name.clone()));
                d.name = name;
            }
            d.changed = now_unix();
            Ok(changed)
        };
        // Read again in the transaction: what another shell committed since
        // `matching` read it is kept.
        let read = |tx: &Tx| {
            Store::accepted_domain_for_update(tx, &found.guid)?
                .ok_or_else(|| StoreError::Conflict(format!("The accepted domain \"{}\" was removed.", found.name)))
        };
        change_in_one_write(cx, args, &found.name, read, change, |tx, d| {
            Store::save_accepted_domain(tx, d).map(|_| ())
        })?;
    }
    Ok(())
}
