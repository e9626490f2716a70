//! Get-CASMailbox and Set-CASMailbox: who may reach a mailbox, and how.

use super::common::{
    apply_multi, audit, canonical_name, distinguished_name, legacy_dn, object, server_legacy_dn, strings,
    warn_nothing_changed,
};
use super::identity::{mailbox_to_change, resolve_many, store_err};
use super::mailbox_pages::{for_each_mailbox, result_size, result_size_warning};
use super::opath_filter;
use super::shown::Shown::{Made, Setting};
use super::shown::{Resolved, Shown, resolve};
use crate::format::views::CAS_MAILBOX;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::types::EnumValue;
use crate::runtime::types::exchange::MIME_TEXT_FORMAT;
use crate::runtime::value::{EnumDef, Value};
use crate::store::{
    CAS_COLUMNS, CasColumn, CasField, MAILBOX_COLUMNS, Mailbox, MimeTextFormat, Protocol, ServerInfo, Store, cas_column,
};

/// How a property that is no setting is made.
type Make = fn(&Subject) -> Value;

/// What a CAS mailbox object is made from.
struct Subject<'a> {
    m: &'a Mailbox,
    server: &'a ServerInfo,
    shared: &'a Shared,
}

/// What every CAS mailbox object of one command reads besides its mailbox.
pub struct Shared {
    /// -ProtocolSettings: the servers' connection settings.
    pub hints: Option<ProtocolHints>,
    /// The mailbox databases by GUID (ServerName is the mailbox's server).
    pub databases: std::collections::HashMap<String, crate::store::databases::MailboxDatabase>,
}

impl Subject<'_> {
    /// The name of the server holding the mailbox (its database's).
    fn home_server(&self) -> Option<&str> {
        self.m.database.as_ref().and_then(|g| self.shared.databases.get(g)).map(|d| d.server.as_str())
    }

    fn identity(&self) -> Value {
        Value::str(canonical_name(&self.server.domain, &self.m.name))
    }

    fn hint(&self, f: fn(&ProtocolHints) -> &Vec<String>) -> Value {
        self.shared.hints.as_ref().map(|h| strings(f(h))).unwrap_or_else(|| Value::array(vec![]))
    }
}

/// Every property, in Exchange 2013's Format-List order. A `Setting` is
/// declared in `store::CAS_COLUMNS` (Set-CASMailbox sets it; -Filter
/// compares it).
const PROPERTIES: &[(&str, Shown<Make>)] = &[
    ("EmailAddresses", Made(|s| strings(&s.m.email_addresses))),
    ("LegacyExchangeDN", Made(|s| Value::str(legacy_dn(&s.m.alias)))),
    ("LinkedMasterAccount", Made(|_| Value::Null)),
    ("PrimarySmtpAddress", Made(|s| Value::str(s.m.primary_smtp.clone()))),
    ("SamAccountName", Made(|s| Value::str(s.m.alias.chars().take(20).collect::<String>()))),
    ("ServerLegacyDN", Made(|s| s.home_server().map_or(Value::Null, |n| Value::str(server_legacy_dn(n))))),
    ("ServerName", Made(|s| s.home_server().map_or(Value::Null, |n| Value::str(n.to_lowercase())))),
    ("DisplayName", Made(|s| Value::str(s.m.display_name.clone()))),
    ("ActiveSyncAllowedDeviceIDs", Setting),
    ("ActiveSyncBlockedDeviceIDs", Setting),
    ("ActiveSyncMailboxPolicy", Made(|_| Value::str("Default"))),
    ("ActiveSyncMailboxPolicyIsDefaulted", Made(|_| Value::Bool(true))),
    ("ActiveSyncDebugLogging", Made(|_| Value::Bool(false))),
    ("ActiveSyncEnabled", Setting),
    ("HasActiveSyncDevicePartnership", Made(|_| Value::Bool(false))),
    ("ExternalImapSettings", Made(|s| s.hint(|h| &h.imap_external))),
    ("InternalImapSettings", Made(|s| s.hint(|h| &h.imap_internal))),
    ("ExternalPopSettings", Made(|s| s.hint(|h| &h.pop_external))),
    ("InternalPopSettings", Made(|s| s.hint(|h| &h.pop_internal))),
    ("ExternalSmtpSettings", Made(|_| Value::array(vec![]))),
    ("InternalSmtpSettings", Made(|_| Value::array(vec![]))),
    ("OwaMailboxPolicy", Made(|_| Value::Null)),
    ("OWAEnabled", Setting),
    ("OWAforDevicesEnabled", Setting),
    ("ECPEnabled", Setting),
    ("PopEnabled", Setting),
    ("PopUseProtocolDefaults", Setting),
    ("PopMessagesRetrievalMimeFormat", Setting),
    ("PopEnableExactRFC822Size", Setting),
    ("PopSuppressReadReceipt", Setting),
    ("PopForceICalForCalendarRetrievalOption", Setting),
    ("ImapEnabled", Setting),
    ("ImapUseProtocolDefaults", Setting),
    ("ImapMessagesRetrievalMimeFormat", Setting),
    ("ImapEnableExactRFC822Size", Setting),
    ("ImapSuppressReadReceipt", Setting),
    ("ImapForceICalForCalendarRetrievalOption", Setting),
    ("MAPIEnabled", Setting),
    ("MapiHttpEnabled", Setting),
    ("MAPIBlockOutlookNonCachedMode", Made(|_| Value::Bool(false))),
    ("MAPIBlockOutlookVersions", Made(|_| Value::str(""))),
    ("MAPIBlockOutlookRpcHttp", Made(|_| Value::Bool(false))),
    ("MAPIBlockOutlookExternalConnectivity", Made(|_| Value::Bool(false))),
    ("EwsEnabled", Setting),
    ("EwsAllowOutlook", Made(|_| Value::Null)),
    ("EwsAllowMacOutlook", Made(|_| Value::Null)),
    ("EwsAllowEntourage", Made(|_| Value::Null)),
    ("EwsApplicationAccessPolicy", Made(|_| Value::Null)),
    ("EwsAllowList", Setting),
    ("EwsBlockList", Setting),
    ("ShowGalAsDefaultView", Made(|_| Value::Bool(true))),
    ("AdminDisplayName", Made(|_| Value::str(""))),
    ("ExchangeVersion", Made(|_| Value::str("0.10 (14.0.100.0)"))),
    ("Name", Made(|s| Value::str(s.m.name.clone()))),
    ("DistinguishedName", Made(|s| Value::str(distinguished_name(&s.server.domain, &s.m.name)))),
    ("Identity", Made(|s| s.identity())),
    ("Guid", Made(|s| Value::str(s.m.guid.clone()))),
    ("ObjectCategory", Made(|s| Value::str(format!("{}/Configuration/Schema/Person", s.server.domain)))),
    (
        "ObjectClass",
        Made(|_| {
            Value::array(vec![
                Value::str("top"),
                Value::str("person"),
                Value::str("organizationalPerson"),
                Value::str("user"),
            ])
        }),
    ),
    ("WhenChanged", Made(|s| Value::date_unix(s.m.changed))),
    ("WhenCreated", Made(|s| Value::date_unix(s.m.created))),
    ("WhenChangedUTC", Made(|s| Value::date_unix(s.m.changed))),
    ("WhenCreatedUTC", Made(|s| Value::date_unix(s.m.created))),
    ("OrganizationId", Made(|_| Value::str(""))),
    ("Id", Made(|s| s.identity())),
    ("OriginatingServer", Made(|s| Value::str(s.server.fqdn.clone()))),
    ("IsValid", Made(|_| Value::Bool(true))),
    ("ObjectState", Made(|_| Value::str("Unchanged"))),
];

/// `PROPERTIES` with each setting found in the store's table (once).
fn resolved() -> &'static [(&'static str, Resolved<CasField, Make>)] {
    static RESOLVED: std::sync::OnceLock<Vec<(&'static str, Resolved<CasField, Make>)>> = std::sync::OnceLock::new();
    RESOLVED.get_or_init(|| resolve(PROPERTIES, |n| cas_column(n).map(|c| c.field), |_| Value::Null))
}

/// The property names, for -Filter.
fn property_names() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| PROPERTIES.iter().map(|(n, _)| *n).collect())
}

/// The Boolean settings, for -Filter's typed comparisons.
fn flag_names() -> Vec<&'static str> {
    CAS_COLUMNS.iter().filter(|c| matches!(c.field, CasField::Flag { .. })).map(|c| c.name).collect()
}

/// The connection settings a mailbox user is told to use (-ProtocolSettings).
pub struct ProtocolHints {
    pub imap_internal: Vec<String>,
    pub imap_external: Vec<String>,
    pub pop_internal: Vec<String>,
    pub pop_external: Vec<String>,
}

pub fn cas_object(m: &Mailbox, server: &ServerInfo, shared: &Shared) -> Value {
    let subject = Subject { m, server, shared };
    let props = resolved()
        .iter()
        .map(|(name, how)| {
            let value = match how {
                Resolved::Setting(CasField::Flag { get, .. }) => Value::Bool(get(&m.cas)),
                Resolved::Setting(CasField::Mime { get, .. }) => get(&m.cas).to_value(),
                Resolved::Setting(CasField::List { get, .. }) => strings(get(&m.cas)),
                Resolved::Made(f) => f(&subject),
            };
            (*name, value)
        })
        .collect();
    object(CAS_MAILBOX, props)
}

pub fn definitions() -> Vec<CmdletDef> {
    vec![get_definition(), set_definition()]
}

fn get_definition() -> CmdletDef {
    let sig = Signature::build("Get-CASMailbox")
        .outputs(property_names)
        .synopsis("Shows the client access settings of mailboxes: IMAP4, POP3, MAPI, Outlook Web App, ActiveSync, EWS.")
        .description("Without -Identity, every mailbox is listed (the first 1000 unless -ResultSize says otherwise). -Filter takes an OPATH filter such as \"ImapEnabled -eq $false\".")
        .param(Param::new("Identity", T::Identity("MailboxIdParameter")).position(0).pipeline().by_property().help("The mailbox: name, alias, display name, UPN, email address, GUID, canonical name or DOMAIN\\alias. Wildcards (*) are accepted."))
        .param(Param::new("Anr", T::String).help("Ambiguous name resolution: mailboxes whose name, alias, display name, first or last name or address starts with the text."))
        .param(Param::new("Filter", T::String).help("An OPATH filter, e.g. \"ImapEnabled -eq $false\"."))
        .param(Param::new("ResultSize", T::Unlimited).default("1000").help("How many mailboxes to return at most: a number or Unlimited."))
        .param(Param::new("SortBy", T::String).help("Name or DisplayName."))
        .param(Param::new("ProtocolSettings", T::Switch).help("Fills the Internal/External Imap and Pop settings users are told to connect with."))
        .param(Param::new("DomainController", T::String).help("Accepted for compatibility; mailsh has one directory."))
        .example("Show one mailbox", "Get-CASMailbox \"John Smith\"", "Shows whether ActiveSync, OWA, POP3, IMAP4 and MAPI are enabled for John Smith.")
        .example("Every mailbox with IMAP4 off", "Get-CASMailbox -Filter \"ImapEnabled -eq $false\"", "")
        .example("All properties", "Get-CASMailbox \"John Smith\" | Format-List", "");
    CmdletDef::run(sig, get_cas_mailbox)
}

fn protocol_hints(store: &Store) -> Result<ProtocolHints, ErrorRecord> {
    let imap = store.protocol_settings(Protocol::Imap4).map_err(store_err)?;
    let pop = store.protocol_settings(Protocol::Pop3).map_err(store_err)?;
    Ok(ProtocolHints {
        imap_internal: imap.internal_connection_settings,
        imap_external: imap.external_connection_settings,
        pop_internal: pop.internal_connection_settings,
        pop_external: pop.external_connection_settings,
    })
}

fn get_cas_mailbox(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let hints = if args.switch("ProtocolSettings") { Some(protocol_hints(cx.store()?)?) } else { None };
    let shared = Shared { hints, databases: super::mailbox::databases_by_guid(cx.store()?)? };
    if let Some(identity) = args.get("Identity") {
        let found = resolve_many(cx, identity, 10_000)?;
        let server = cx.store()?.server().clone();
        for m in found {
            out.emit(cx, cas_object(&m, &server, &shared))?;
        }
        return Ok(());
    }
    let filter = match args.string("Filter") {
        Some(f) => Some(opath_filter::compile(&f, property_names(), &flag_names())?),
        None => None,
    };
    let anr = args.string("Anr").map(|a| a.to_lowercase());
    let limit = result_size(args);
    let sort_display = args.string("SortBy").is_some_and(|s| s.eq_ignore_ascii_case("DisplayName"));
    if sort_display {
        let mut all = Vec::new();
        let mut sink = |_: &mut Session, v: Value| {
            all.push(v);
            Ok(())
        };
        let mut collect = Output { next: &mut sink };
        for_each_mailbox(cx, &mut collect, None, |m, s| {
            selected_object(m, s, filter.as_ref(), anr.as_deref(), &shared)
        })?;
        all.sort_by_key(|v| v.property("DisplayName").to_text().to_lowercase());
        let more = limit.is_some_and(|l| all.len() > l);
        for v in all.into_iter().take(limit.unwrap_or(usize::MAX)) {
            out.emit(cx, v)?;
        }
        if more {
            result_size_warning(cx, args);
        }
        return Ok(());
    }
    let more =
        for_each_mailbox(cx, out, limit, |m, s| selected_object(m, s, filter.as_ref(), anr.as_deref(), &shared))?;
    if more {
        result_size_warning(cx, args);
    }
    Ok(())
}

/// The CAS object of `m` when it passes -Anr and -Filter.
fn selected_object(
    m: &Mailbox,
    server: &ServerInfo,
    filter: Option<&crate::language::opath::Filter>,
    anr: Option<&str>,
    shared: &Shared,
) -> Option<Value> {
    if let Some(a) = anr {
        let hit = [
            Some(&m.name),
            Some(&m.alias),
            Some(&m.display_name),
            m.first_name.as_ref(),
            m.last_name.as_ref(),
            Some(&m.primary_smtp),
        ]
        .into_iter()
        .flatten()
        .any(|s| s.to_lowercase().starts_with(a));
        if !hit {
            return None;
        }
    }
    let v = cas_object(m, server, shared);
    if let (Some(f), Value::Object(o)) = (filter, &v)
        && !opath_filter::matches(f, o)
    {
        return None;
    }
    Some(v)
}

/// The settings of `store::MAILBOX_COLUMNS` that Set-CASMailbox takes.
const MAILBOX_SETTINGS_TAKEN: [&str; 4] = ["Name", "DisplayName", "PrimarySmtpAddress", "EmailAddresses"];

fn set_definition() -> CmdletDef {
    let mut sig = Signature::build("Set-CASMailbox")
        .synopsis("Changes the client access settings of a mailbox: IMAP4, POP3, MAPI, Outlook Web App, ActiveSync, EWS.")
        .description("Success writes nothing. A change to ImapEnabled or PopEnabled applies at the user's next login; their open sessions are closed.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::SET_CAS_MAILBOX)
        .writes_store()
        .param(Param::new("Identity", T::Identity("MailboxIdParameter")).position(0).mandatory().pipeline().by_property().help("The mailbox to change."));
    // One parameter per setting of the store's table: flags by name (a
    // protocol's own settings together, in the table's order), then the
    // formats, then the lists. The order shows in help and in the
    // ambiguous-parameter message.
    let mut flags: Vec<&CasColumn> = CAS_COLUMNS.iter().filter(|c| matches!(c.field, CasField::Flag { .. })).collect();
    flags.sort_by_key(|c| {
        let protocol = ["Imap", "Pop"].into_iter().find(|p| c.name.starts_with(p));
        protocol.unwrap_or(c.name).to_ascii_lowercase()
    });
    for c in flags {
        sig = sig.param(Param::new(c.name, T::Bool).help("$true or $false."));
    }
    static MIME: &EnumDef = &MIME_TEXT_FORMAT;
    for c in CAS_COLUMNS.iter().filter(|c| matches!(c.field, CasField::Mime { .. })) {
        let help = if c.name.starts_with("Imap") {
            "The format IMAP4 serves messages in, when ImapUseProtocolDefaults is $false."
        } else {
            "The format POP3 serves messages in, when PopUseProtocolDefaults is $false."
        };
        sig = sig.param(Param::new(c.name, T::Enum(MIME)).help(help));
    }
    for c in CAS_COLUMNS.iter().filter(|c| matches!(c.field, CasField::List { .. })) {
        sig = sig.param(Param::new(c.name, T::Strings).help("A list; @{Add=...; Remove=...} edits it."));
    }
    // The mailbox settings Exchange's Set-CASMailbox also takes, declared
    // and applied as Set-Mailbox's.
    for c in MAILBOX_COLUMNS.iter().filter(|c| MAILBOX_SETTINGS_TAKEN.contains(&c.name)) {
        sig = sig.param(super::mailbox::setting_param(c));
    }
    sig = sig
        .param(Param::new("DomainController", T::String).help("Accepted for compatibility."))
        .example("Enable IMAP4 for a user", "Set-CASMailbox -Identity \"John Smith\" -IMAPEnabled $true", "")
        .example("Disable IMAP4 for a user", "Set-CASMailbox -Identity \"John Smith\" -IMAPEnabled $false", "")
        .example("Disable MAPI", "Set-CASMailbox -Identity \"Ken Sanchez\" -MAPIEnabled $false", "Outlook can no longer open the mailbox; IMAP4, POP3 and Outlook Web App still can, and mail still arrives.")
        .example("Disable POP3 for a user", "Set-CASMailbox -Identity \"John Smith\" -POPEnabled $false", "")
        .example("Disable POP3 for everyone", "Get-CASMailbox -ResultSize Unlimited | Set-CASMailbox -PopEnabled $false", "");
    CmdletDef::run(sig, set_cas_mailbox).fused_after("Get-CASMailbox", set_everywhere)
}

/// `Get-CASMailbox -ResultSize Unlimited | Set-CASMailbox -<Bool> $v ...`:
/// every mailbox, Boolean settings only, nothing else asked of either
/// cmdlet. Run as one set-based store operation with the per-record path's
/// effects: an audit row per changed mailbox, the "nothing changed" warning
/// for each that was already so.
fn set_everywhere(up: &Args, args: &Args, cx: &mut Session) -> Option<Result<()>> {
    let reads_all = match up.get("ResultSize") {
        Some(Value::Str(s)) => s.eq_ignore_ascii_case("Unlimited"),
        _ => false,
    };
    let up_plain = up.given().iter().all(|(n, _)| matches!(*n, "ResultSize" | "DomainController"));
    let streams = ["OutVariable", "ErrorVariable", "WarningVariable", "WhatIf", "Confirm", "Verbose", "Debug"];
    let asks = cx.what_if_in_force(args) || cx.confirm_in_force(args);
    if !reads_all || !up_plain || asks || streams.iter().any(|p| up.has(p) || args.has(p)) || args.has("Identity") {
        return None;
    }
    let mut changes = Vec::new();
    for (name, value) in args.given() {
        let setting = CAS_COLUMNS.iter().find(|c| c.name == name && matches!(c.field, CasField::Flag { .. }))?;
        changes.push((setting.column, setting.name, value.is_true()));
    }
    if changes.is_empty() {
        return None;
    }
    let user = cx.user.clone();
    let mut run = || -> Result<()> {
        let store = cx.store()?;
        let domain = store.server().domain.clone();
        let unchanged = store
            .set_cas_flags_everywhere(&changes, &user, &domain, crate::runtime::value::now_unix())
            .map_err(store_err)?;
        cx.warning_action = args.get("WarningAction").map(crate::runtime::session::Action::from_value);
        for name in unchanged {
            warn_nothing_changed(cx, &canonical_name(&domain, &name));
        }
        cx.warning_action = None;
        Ok(())
    };
    Some(run())
}

/// What a Set- changed: `(property, old, new)`, as the audit log keeps it.
type Modified = Vec<(String, String, String)>;

/// Applies the given parameters to a copy of `m`; returns what changed.
fn apply(args: &Args, m: &Mailbox) -> Result<(Mailbox, Modified), ErrorRecord> {
    let mut new = m.clone();
    let mut changed = Vec::new();
    for setting in CAS_COLUMNS {
        let Some(given) = args.get(setting.name) else { continue };
        match setting.field {
            CasField::Flag { get, set, .. } => {
                let (old, v) = (get(&new.cas), given.is_true());
                if old != v {
                    set(&mut new.cas, v);
                    changed.push((setting.name.to_string(), bool_text(old), bool_text(v)));
                }
            }
            CasField::Mime { get, set } => {
                let (old, Some(v)) = (get(&new.cas), MimeTextFormat::from_value(given)) else { continue };
                if old != v {
                    set(&mut new.cas, v);
                    changed.push((setting.name.to_string(), old.name().to_string(), v.name().to_string()));
                }
            }
            CasField::List { get, set } => {
                let old = get(&new.cas).clone();
                let next = apply_multi(&old, given);
                if next != old {
                    changed.push((setting.name.to_string(), old.join(", "), next.join(", ")));
                    set(&mut new.cas, next);
                }
            }
        }
    }
    // Set-CASMailbox takes no recipient setting (ForwardingAddress is
    // Set-Mailbox's).
    let mut lookup = |_: &Value| {
        Err(ErrorRecord::task("Set-CASMailbox does not set recipients: use Set-Mailbox.", "NotARecipientSetting"))
    };
    super::mailbox::apply_settings(args, &mut new, &mut changed, &mut lookup)?;
    Ok((new, changed))
}

fn bool_text(b: bool) -> String {
    if b { "True".into() } else { "False".into() }
}

/// How Set-CASMailbox finds its record inside the write transaction.
enum Key {
    Id(i64),
    Guid(String),
}

fn set_cas_mailbox(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let identity = args.get("Identity").cloned().unwrap_or(Value::Null);
    // An object from Get-CASMailbox names its mailbox by GUID: no lookup
    // before the transaction (this is the bulk path), unless there is
    // something to describe or ask first.
    let asks = cx.what_if_in_force(args) || cx.confirm_in_force(args);
    let piped_guid = match &identity {
        Value::Object(o) if !asks => o.get("Guid").map(|g| g.to_text()).filter(|g| !g.is_empty()),
        _ => None,
    };
    let key = match piped_guid {
        Some(g) => Key::Guid(g),
        None => {
            let text = super::confirm_texts::SET_CAS_MAILBOX;
            let Some((found, _)) = mailbox_to_change(cx, args, &identity, text)? else { return Ok(()) };
            Key::Id(found.id)
        }
    };
    let user = cx.user.clone();
    let store = cx.store()?;
    let domain = store.server().domain.clone();
    // Read, change and write in one immediate transaction: two shells
    // changing one mailbox never lose each other's update.
    let outcome = store
        .write(|tx| {
            let current = match &key {
                Key::Id(id) => Store::mailbox_for_update(tx, *id)?,
                Key::Guid(g) => Store::mailbox_for_update_by_guid(tx, g)?,
            };
            let Some(current) = current else { return Ok(Ok(None)) };
            let shown = canonical_name(&domain, &current.name);
            let (mut new, changed) = match apply(args, &current) {
                Ok(x) => x,
                Err(e) => return Ok(Err(e)),
            };
            if changed.is_empty() {
                return Ok(Ok(Some((false, shown))));
            }
            new.changed = crate::runtime::value::now_unix();
            let names_changed = new.name != current.name
                || new.alias != current.alias
                || new.display_name != current.display_name
                || new.upn != current.upn
                || new.primary_smtp != current.primary_smtp
                || new.email_addresses != current.email_addresses;
            if names_changed {
                Store::update_mailbox(tx, &new)?;
            } else {
                Store::update_cas_settings(tx, new.id, &new.cas, new.changed)?;
            }
            audit(tx, &user, args, &shown, changed)?;
            Ok(Ok(Some((true, shown))))
        })
        .map_err(store_err)??;
    match outcome {
        None => {
            let fqdn = cx.store()?.server().fqdn.clone();
            Err(ErrorRecord::object_not_found(&super::identity::identity_text(&identity), &fqdn).into())
        }
        Some((false, shown)) => {
            warn_nothing_changed(cx, &shown);
            Ok(())
        }
        Some((true, _)) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_of_the_store_is_shown_once_and_every_shown_setting_exists() {
        let table: Vec<&str> = CAS_COLUMNS.iter().map(|c| c.name).collect();
        super::super::shown::check_shown(PROPERTIES, &table, &[]);
        assert_eq!(PROPERTIES.len(), 68);
    }

    #[test]
    fn the_mailbox_settings_it_takes_are_declared_as_set_mailbox_declares_them() {
        let ours = set_definition().signature;
        let theirs = super::super::mailbox::registry_set_mailbox_signature();
        for name in MAILBOX_SETTINGS_TAKEN {
            let find = |sig: &Signature| {
                sig.params.iter().find(|p| p.name == name).map(|p| (p.name, format!("{:?}", p.ty), p.help))
            };
            let (a, b) = (find(&ours), find(&theirs));
            assert!(a.is_some() && a == b, "{name}: {a:?} vs {b:?}");
        }
    }
}
