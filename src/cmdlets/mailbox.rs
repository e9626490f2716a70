//! New-Mailbox, Get-Mailbox, Set-Mailbox, Remove-Mailbox.

use super::cas_mailbox::{for_each_mailbox, result_size, result_size_warning};
use super::common::{
    apply_multi, audit, canonical_name, distinguished_name, legacy_dn, object, strings, warn_nothing_changed,
};
use super::identity::{resolve_mailbox, resolve_many, store_err};
use crate::format::views::MAILBOX;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{Value, now_unix};
use crate::store::{Mailbox, NewMailbox, ServerInfo, Store, password};

pub fn definitions() -> Vec<CmdletDef> {
    vec![new_definition(), get_definition(), set_definition(), remove_definition()]
}

const PROPERTIES: &[&str] = &[
    "Name",
    "Alias",
    "DisplayName",
    "UserPrincipalName",
    "SamAccountName",
    "PrimarySmtpAddress",
    "EmailAddresses",
    "LegacyExchangeDN",
    "ServerName",
    "Database",
    "ProhibitSendQuota",
    "ProhibitSendReceiveQuota",
    "IssueWarningQuota",
    "RecipientType",
    "RecipientTypeDetails",
    "HiddenFromAddressListsEnabled",
    "OrganizationalUnit",
    "DistinguishedName",
    "Identity",
    "Guid",
    "ExchangeVersion",
    "WhenChanged",
    "WhenCreated",
    "WhenChangedUTC",
    "WhenCreatedUTC",
    "IsValid",
    "ObjectState",
];

pub fn mailbox_object(m: &Mailbox, server: &ServerInfo) -> Value {
    let values = vec![
        Value::str(m.name.clone()),
        Value::str(m.alias.clone()),
        Value::str(m.display_name.clone()),
        Value::str(m.upn.clone()),
        Value::str(m.alias.chars().take(20).collect::<String>()),
        Value::str(m.primary_smtp.clone()),
        strings(&m.email_addresses),
        Value::str(legacy_dn(&m.alias)),
        Value::str(server.name.to_lowercase()),
        Value::str(format!("Mailbox Database {}", server.name)),
        quota_value(m.quotas.prohibit_send),
        quota_value(m.quotas.prohibit_send_receive),
        quota_value(m.quotas.issue_warning),
        Value::str("UserMailbox"),
        Value::str("UserMailbox"),
        Value::Bool(false),
        Value::str(format!("{}/Users", server.domain)),
        Value::str(distinguished_name(&server.domain, &m.name)),
        Value::str(canonical_name(&server.domain, &m.name)),
        Value::str(m.guid.clone()),
        Value::str("0.20 (15.0.0.0)"),
        Value::date_unix(m.changed),
        Value::date_unix(m.created),
        Value::date_unix(m.changed),
        Value::date_unix(m.created),
        Value::Bool(true),
        Value::str("Unchanged"),
    ];
    object(MAILBOX, PROPERTIES.iter().copied().zip(values).collect())
}

/// `Unlimited` or `2 GB (2,147,483,648 bytes)`, as Exchange prints a quota.
fn quota_value(q: Option<u64>) -> Value {
    q.map(Value::Bytes).unwrap_or_else(|| Value::str("Unlimited"))
}

/// A quota parameter: `Unlimited`, a byte count, or a size such as `2GB`,
/// `500 MB`, `1.5GB`.
pub(super) fn quota_arg(name: &str, v: &Value) -> std::result::Result<Option<u64>, ErrorRecord> {
    let text = v.to_text();
    if text.trim().eq_ignore_ascii_case("unlimited") {
        return Ok(None);
    }
    let t = text.replace([' ', ','], "").to_ascii_uppercase();
    let t = t.split('(').next().unwrap_or("");
    let (digits, mult) = [("TB", 1u64 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
        .iter()
        .find_map(|(suffix, m)| t.strip_suffix(suffix).map(|d| (d, *m)))
        .unwrap_or((t, 1));
    match digits.parse::<f64>() {
        Ok(f) if f >= 0.0 && f.is_finite() => Ok(Some((f * mult as f64) as u64)),
        _ => Err(ErrorRecord::argument_transformation(
            name,
            &format!(
                "Cannot convert value \"{text}\" to type \"Microsoft.Exchange.Data.Unlimited`1[Microsoft.Exchange.Data.ByteQuantifiedSize]\"."
            ),
        )),
    }
}

fn new_definition() -> CmdletDef {
    let sig = Signature::build("New-Mailbox")
        .synopsis("Creates a user and its mailbox. IMAP4, POP3, MAPI and Outlook Web App are enabled, as Exchange creates mailboxes.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::NEW_MAILBOX)
        .writes_store()
        .param(Param::new("Name", T::String).position(0).mandatory().help("The unique name of the mailbox (shown in lists)."))
        .param(Param::new("Alias", T::String).help("The alias; defaults to the UPN's local part or the name without spaces."))
        .param(Param::new("DisplayName", T::String).help("The display name; defaults to Name."))
        .param(Param::new("FirstName", T::String))
        .param(Param::new("LastName", T::String))
        .param(Param::new("Initials", T::String))
        .param(Param::new("UserPrincipalName", T::String).help("The logon name, user@domain; defaults to alias@domain."))
        .param(Param::new("PrimarySmtpAddress", T::String).help("The primary address; defaults to alias@domain."))
        .param(Param::new("Password", T::SecureString).mandatory().help("A SecureString: (ConvertTo-SecureString -String 'P@ssw0rd' -AsPlainText -Force)."))
        .param(Param::new("ResetPasswordOnNextLogon", T::Bool))
        .param(Param::new("OrganizationalUnit", T::String))
        .param(Param::new("Database", T::String))
        .example(
            "Create a mailbox",
            "New-Mailbox -Name \"Patrick Colon\" -Alias pcolon -FirstName Patrick -LastName Colon -UserPrincipalName pcolon@contoso.com -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)",
            "",
        );
    CmdletDef::run(sig, new_mailbox)
}

fn derive_alias(name: &str, upn: Option<&str>) -> String {
    if let Some((local, _)) = upn.and_then(|u| u.split_once('@')) {
        return local.to_string();
    }
    name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect()
}

pub fn check_smtp(param: &str, address: &str) -> std::result::Result<(), ErrorRecord> {
    let ok = match address.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !address.contains(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ErrorRecord::argument_transformation(
            param,
            &format!(
                "Cannot convert value \"{address}\" to type \"Microsoft.Exchange.Data.SmtpAddress\". Error: \"\"{address}\" isn't a valid SMTP address. The domain name can't contain spaces and it has to have a prefix and a suffix, such as example.com.\""
            ),
        ))
    }
}

fn secure_text(v: &Value) -> Option<String> {
    match v {
        Value::SecureString(s) => Some(s.to_string()),
        _ => None,
    }
}

fn new_mailbox(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let name = args.string("Name").unwrap_or_default();
    let store = cx.store()?;
    let server = store.server().clone();
    let upn_given = args.string("UserPrincipalName");
    let alias = args.string("Alias").unwrap_or_else(|| derive_alias(&name, upn_given.as_deref()));
    if alias.is_empty() || alias.contains(char::is_whitespace) {
        return Err(ErrorRecord::argument_transformation(
            "Alias",
            &format!("\"{alias}\" isn't a valid alias: use letters, digits and . - _ without spaces."),
        )
        .into());
    }
    let upn = upn_given.unwrap_or_else(|| format!("{alias}@{}", server.domain));
    let smtp = args.string("PrimarySmtpAddress").unwrap_or_else(|| format!("{alias}@{}", server.domain));
    check_smtp("PrimarySmtpAddress", &smtp)?;
    if !upn.contains('@') {
        return Err(ErrorRecord::argument_transformation(
            "UserPrincipalName",
            &format!("\"{upn}\" isn't a valid user principal name: it must look like user@domain."),
        )
        .into());
    }
    let target = canonical_name(&server.domain, &name);
    if !cx.should_process(args, &target)? {
        return Ok(());
    }
    let plain = args.get("Password").and_then(secure_text).unwrap_or_default();
    let hash = password::hash(&plain)
        .map_err(|e| ErrorRecord::task(format!("The password could not be stored: {e}"), "PasswordHashFailed"))?;
    let new = NewMailbox {
        name: name.clone(),
        alias,
        display_name: args.string("DisplayName").unwrap_or_else(|| name.clone()),
        first_name: args.string("FirstName"),
        last_name: args.string("LastName"),
        upn,
        primary_smtp: smtp,
        password_hash: Some(hash),
    };
    let user = cx.user.clone();
    let created = cx
        .store()?
        .write(|tx| {
            let m = Store::insert_mailbox(tx, &new)?;
            audit(tx, &user, args, &target, vec![])?;
            Ok(m)
        })
        .map_err(|e| match e {
            crate::store::StoreError::Conflict(msg) => ErrorRecord::task(msg, "ADObjectAlreadyExistsException"),
            other => store_err(other),
        })?;
    out.emit(cx, mailbox_object(&created, &server))
}

fn get_definition() -> CmdletDef {
    let sig = Signature::build("Get-Mailbox")
        .outputs(|| PROPERTIES)
        .synopsis("Lists mailboxes, or shows one.")
        .param(
            Param::new("Identity", T::Identity("MailboxIdParameter"))
                .position(0)
                .pipeline()
                .by_property()
                .help("The mailbox; wildcards (*) are accepted."),
        )
        .param(Param::new("ResultSize", T::Unlimited).default("1000"))
        .param(Param::new("Anr", T::String))
        .example("Every mailbox", "Get-Mailbox", "")
        .example("One mailbox, every property", "Get-Mailbox \"John Smith\" | Format-List", "");
    CmdletDef::run(sig, get_mailbox)
}

fn get_mailbox(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    if let Some(identity) = args.get("Identity") {
        let found = resolve_many(cx, identity, 10_000)?;
        let server = cx.store()?.server().clone();
        for m in found {
            out.emit(cx, mailbox_object(&m, &server))?;
        }
        return Ok(());
    }
    let anr = args.string("Anr").map(|a| a.to_lowercase());
    let limit = result_size(args);
    let more = for_each_mailbox(cx, out, limit, |m, s| {
        if let Some(a) = &anr {
            let hit = [&m.name, &m.alias, &m.display_name, &m.primary_smtp]
                .iter()
                .any(|x| x.to_lowercase().starts_with(a.as_str()));
            if !hit {
                return None;
            }
        }
        Some(mailbox_object(m, s))
    })?;
    if more {
        result_size_warning(cx, args);
    }
    Ok(())
}

fn set_definition() -> CmdletDef {
    let sig = Signature::build("Set-Mailbox")
        .synopsis("Changes a mailbox's names, addresses, password or storage quotas.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::SET_MAILBOX)
        .writes_store()
        .param(
            Param::new("Identity", T::Identity("MailboxIdParameter")).position(0).mandatory().pipeline().by_property(),
        )
        .param(Param::new("Name", T::String))
        .param(Param::new("Alias", T::String))
        .param(Param::new("DisplayName", T::String))
        .param(Param::new("UserPrincipalName", T::String))
        .param(Param::new("PrimarySmtpAddress", T::String))
        .param(
            Param::new("EmailAddresses", T::Strings)
                .help("Every address (SMTP:primary, smtp:secondary); @{Add=...; Remove=...} edits it."),
        )
        .param(
            Param::new("Password", T::SecureString)
                .help("A new password; open IMAP4 and POP3 sessions keep theirs until they log in again."),
        )
        .param(Param::new("IssueWarningQuota", T::String).help("Unlimited or a size (2GB): IMAP4 warns past it."))
        .param(
            Param::new("ProhibitSendQuota", T::String).help("Unlimited or a size: the mailbox may not send past it."),
        )
        .param(
            Param::new("ProhibitSendReceiveQuota", T::String)
                .help("Unlimited or a size: IMAP4 APPEND, COPY and MOVE are refused past it (NO [OVERQUOTA])."),
        )
        .example("Rename", "Set-Mailbox \"John Smith\" -DisplayName \"John A. Smith\"", "")
        .example(
            "Reset a password",
            "Set-Mailbox \"John Smith\" -Password (ConvertTo-SecureString -String 'N3w-P@ss' -AsPlainText -Force)",
            "",
        );
    CmdletDef::run(sig, set_mailbox)
}

/// Applies the name, address and password parameters shared by Set-Mailbox
/// and Set-CASMailbox.
pub fn apply_names(
    args: &Args,
    m: &mut Mailbox,
    changed: &mut Vec<(String, String, String)>,
) -> std::result::Result<(), ErrorRecord> {
    let mut set = |name: &str, slot: &mut String, v: Option<String>| {
        if let Some(v) = v
            && *slot != v
        {
            changed.push((name.to_string(), slot.clone(), v.clone()));
            *slot = v;
        }
    };
    set("Name", &mut m.name, args.string("Name"));
    set("Alias", &mut m.alias, args.string("Alias"));
    set("DisplayName", &mut m.display_name, args.string("DisplayName"));
    set("UserPrincipalName", &mut m.upn, args.string("UserPrincipalName"));
    if let Some(v) = args.get("EmailAddresses") {
        // A bare address is a secondary SMTP address, as Exchange takes it.
        let next: Vec<String> = apply_multi(&m.email_addresses, &with_prefixes(v))
            .into_iter()
            .map(|a| if a.contains(':') { a } else { format!("smtp:{a}") })
            .collect();
        for a in &next {
            let bare = a.split_once(':').map(|(_, r)| r).unwrap_or(a);
            check_smtp("EmailAddresses", bare)?;
        }
        if next != m.email_addresses {
            changed.push(("EmailAddresses".into(), m.email_addresses.join(", "), next.join(", ")));
            if let Some(primary) = next.iter().find(|a| a.starts_with("SMTP:")) {
                m.primary_smtp = primary[5..].to_string();
            }
            m.email_addresses = next;
        }
    }
    if let Some(smtp) = args.string("PrimarySmtpAddress") {
        check_smtp("PrimarySmtpAddress", &smtp)?;
        if !smtp.eq_ignore_ascii_case(&m.primary_smtp) {
            changed.push(("PrimarySmtpAddress".into(), m.primary_smtp.clone(), smtp.clone()));
            let mut addresses: Vec<String> = m
                .email_addresses
                .iter()
                .map(|a| if let Some(rest) = a.strip_prefix("SMTP:") { format!("smtp:{rest}") } else { a.clone() })
                .filter(|a| !a[a.find(':').map(|i| i + 1).unwrap_or(0)..].eq_ignore_ascii_case(&smtp))
                .collect();
            addresses.insert(0, format!("SMTP:{smtp}"));
            m.email_addresses = addresses;
            m.primary_smtp = smtp;
        }
    }
    if let Some(plain) = args.get("Password").and_then(secure_text) {
        let hash = password::hash(&plain)
            .map_err(|e| ErrorRecord::task(format!("The password could not be stored: {e}"), "PasswordHashFailed"))?;
        m.password_hash = Some(hash);
        changed.push(("Password".into(), "********".into(), "********".into()));
    }
    Ok(())
}

/// `@{Add='a@x'}` and plain lists name addresses without `smtp:`; compare
/// and store them with it.
fn with_prefixes(v: &Value) -> Value {
    let fix = |x: &Value| {
        let t = x.to_text();
        Value::str(if t.contains(':') { t } else { format!("smtp:{t}") })
    };
    match v {
        Value::Hashtable(entries) => Value::hashtable(
            entries
                .entries()
                .into_iter()
                .map(|(k, items)| (k, Value::array(items.into_items().iter().map(fix).collect())))
                .collect(),
            false,
        ),
        Value::Null => Value::Null,
        other => Value::array(other.clone().into_items().iter().map(fix).collect()),
    }
}

fn set_mailbox(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let identity = args.get("Identity").cloned().unwrap_or(Value::Null);
    let found = resolve_mailbox(cx, &identity)?;
    let domain = cx.store()?.server().domain.clone();
    let shown = canonical_name(&domain, &found.name);
    if !cx.should_process(args, &shown)? {
        return Ok(());
    }
    let mut new = found.clone();
    let mut changed = Vec::new();
    apply_names(args, &mut new, &mut changed)?;
    let q = &mut new.quotas;
    for (name, slot) in [
        ("IssueWarningQuota", &mut q.issue_warning),
        ("ProhibitSendQuota", &mut q.prohibit_send),
        ("ProhibitSendReceiveQuota", &mut q.prohibit_send_receive),
    ] {
        if let Some(v) = args.get(name) {
            let next = quota_arg(name, v)?;
            if next != *slot {
                let show = |q: Option<u64>| quota_value(q).to_text();
                changed.push((name.to_string(), show(*slot), show(next)));
                *slot = next;
            }
        }
    }
    if changed.is_empty() {
        warn_nothing_changed(cx, &shown);
        return Ok(());
    }
    new.changed = now_unix();
    let user = cx.user.clone();
    cx.store()?
        .write(|tx| {
            Store::update_mailbox(tx, &new)?;
            audit(tx, &user, args, &shown, changed)
        })
        .map_err(|e| match e {
            crate::store::StoreError::Conflict(msg) => ErrorRecord::task(msg, "ADObjectAlreadyExistsException"),
            other => store_err(other),
        })?;
    Ok(())
}

fn remove_definition() -> CmdletDef {
    let sig = Signature::build("Remove-Mailbox")
        .synopsis("Removes a mailbox and its user. Asks for confirmation unless -Confirm:$false.")
        .should_process(crate::runtime::signature::ConfirmImpact::High)
        .confirm_message(super::confirm_texts::REMOVE_MAILBOX)
        .writes_store()
        .param(
            Param::new("Identity", T::Identity("MailboxIdParameter")).position(0).mandatory().pipeline().by_property(),
        )
        .param(Param::new("Permanent", T::Bool))
        .example("Remove without asking", "Remove-Mailbox \"John Smith\" -Confirm:$false", "");
    CmdletDef::run(sig, remove_mailbox)
}

fn remove_mailbox(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let identity = args.get("Identity").cloned().unwrap_or(Value::Null);
    let found = resolve_mailbox(cx, &identity)?;
    let domain = cx.store()?.server().domain.clone();
    let shown = canonical_name(&domain, &found.name);
    if !cx.should_process(args, &shown)? {
        return Ok(());
    }
    let user = cx.user.clone();
    cx.store()?
        .write(|tx| {
            Store::delete_mailbox(tx, found.id)?;
            audit(tx, &user, args, &shown, vec![])
        })
        .map_err(store_err)?;
    // The user's mail goes with the mailbox (the database exists once a
    // service has served it).
    let mail_path = crate::store::mail::mail_db_path(&cx.store_path);
    if mail_path.exists() {
        let removed = crate::store::mail::MailDb::open(&mail_path).and_then(|mut db| db.delete_mailbox(&found.guid));
        if let Err(e) = removed {
            cx.warn(&format!("The mailbox was removed, but its messages could not be deleted: {e}"));
        }
    }
    Ok(())
}
