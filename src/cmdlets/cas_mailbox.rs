//! Get-CASMailbox and Set-CASMailbox: who may reach a mailbox, and how.

use super::common::{
    apply_multi, audit, canonical_name, distinguished_name, legacy_dn, object, server_legacy_dn, strings,
    warn_nothing_changed, what_if,
};
use super::identity::{resolve_mailbox, resolve_many, store_err};
use super::opath_filter;
use crate::format::views::CAS_MAILBOX;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{EnumDef, Value};
use crate::store::{CasSettings, MIME_TEXT_FORMAT, Mailbox, MimeTextFormat, Protocol, ServerInfo, Store};

/// A Boolean CAS property: its parameter name and where it lives.
struct BoolProp {
    name: &'static str,
    /// Its column in the store, for the set-based path.
    column: &'static str,
    get: fn(&CasSettings) -> bool,
    set: fn(&mut CasSettings, bool),
}

const BOOL_PROPS: &[BoolProp] = &[
    BoolProp {
        name: "ActiveSyncEnabled",
        column: "activesync_enabled",
        get: |c| c.activesync_enabled,
        set: |c, v| c.activesync_enabled = v,
    },
    BoolProp { name: "ECPEnabled", column: "ecp_enabled", get: |c| c.ecp_enabled, set: |c, v| c.ecp_enabled = v },
    BoolProp { name: "EwsEnabled", column: "ews_enabled", get: |c| c.ews_enabled, set: |c, v| c.ews_enabled = v },
    BoolProp { name: "ImapEnabled", column: "imap_enabled", get: |c| c.imap_enabled, set: |c, v| c.imap_enabled = v },
    BoolProp {
        name: "ImapUseProtocolDefaults",
        column: "imap_use_protocol_defaults",
        get: |c| c.imap.use_protocol_defaults,
        set: |c, v| c.imap.use_protocol_defaults = v,
    },
    BoolProp {
        name: "ImapEnableExactRFC822Size",
        column: "imap_exact_size",
        get: |c| c.imap.exact_size,
        set: |c, v| c.imap.exact_size = v,
    },
    BoolProp {
        name: "ImapSuppressReadReceipt",
        column: "imap_suppress_read_receipt",
        get: |c| c.imap.suppress_read_receipt,
        set: |c, v| c.imap.suppress_read_receipt = v,
    },
    BoolProp {
        name: "ImapForceICalForCalendarRetrievalOption",
        column: "imap_force_ical",
        get: |c| c.imap.force_ical,
        set: |c, v| c.imap.force_ical = v,
    },
    BoolProp { name: "MAPIEnabled", column: "mapi_enabled", get: |c| c.mapi_enabled, set: |c, v| c.mapi_enabled = v },
    BoolProp {
        name: "MapiHttpEnabled",
        column: "mapihttp_enabled",
        get: |c| c.mapihttp_enabled,
        set: |c, v| c.mapihttp_enabled = v,
    },
    BoolProp { name: "OWAEnabled", column: "owa_enabled", get: |c| c.owa_enabled, set: |c, v| c.owa_enabled = v },
    BoolProp {
        name: "OWAforDevicesEnabled",
        column: "owa_for_devices_enabled",
        get: |c| c.owa_for_devices_enabled,
        set: |c, v| c.owa_for_devices_enabled = v,
    },
    BoolProp { name: "PopEnabled", column: "pop_enabled", get: |c| c.pop_enabled, set: |c, v| c.pop_enabled = v },
    BoolProp {
        name: "PopUseProtocolDefaults",
        column: "pop_use_protocol_defaults",
        get: |c| c.pop.use_protocol_defaults,
        set: |c, v| c.pop.use_protocol_defaults = v,
    },
    BoolProp {
        name: "PopEnableExactRFC822Size",
        column: "pop_exact_size",
        get: |c| c.pop.exact_size,
        set: |c, v| c.pop.exact_size = v,
    },
    BoolProp {
        name: "PopSuppressReadReceipt",
        column: "pop_suppress_read_receipt",
        get: |c| c.pop.suppress_read_receipt,
        set: |c, v| c.pop.suppress_read_receipt = v,
    },
    BoolProp {
        name: "PopForceICalForCalendarRetrievalOption",
        column: "pop_force_ical",
        get: |c| c.pop.force_ical,
        set: |c, v| c.pop.force_ical = v,
    },
];

/// Multi-valued CAS properties.
struct ListProp {
    name: &'static str,
    get: fn(&CasSettings) -> &Vec<String>,
    set: fn(&mut CasSettings, Vec<String>),
}

const LIST_PROPS: &[ListProp] = &[
    ListProp {
        name: "ActiveSyncAllowedDeviceIDs",
        get: |c| &c.activesync_allowed_ids,
        set: |c, v| c.activesync_allowed_ids = v,
    },
    ListProp {
        name: "ActiveSyncBlockedDeviceIDs",
        get: |c| &c.activesync_blocked_ids,
        set: |c, v| c.activesync_blocked_ids = v,
    },
    ListProp { name: "EwsAllowList", get: |c| &c.ews_allow_list, set: |c, v| c.ews_allow_list = v },
    ListProp { name: "EwsBlockList", get: |c| &c.ews_block_list, set: |c, v| c.ews_block_list = v },
];

/// Property names in Exchange 2013's Format-List order.
pub const PROPERTIES: &[&str] = &[
    "EmailAddresses",
    "LegacyExchangeDN",
    "LinkedMasterAccount",
    "PrimarySmtpAddress",
    "SamAccountName",
    "ServerLegacyDN",
    "ServerName",
    "DisplayName",
    "ActiveSyncAllowedDeviceIDs",
    "ActiveSyncBlockedDeviceIDs",
    "ActiveSyncMailboxPolicy",
    "ActiveSyncMailboxPolicyIsDefaulted",
    "ActiveSyncDebugLogging",
    "ActiveSyncEnabled",
    "HasActiveSyncDevicePartnership",
    "ExternalImapSettings",
    "InternalImapSettings",
    "ExternalPopSettings",
    "InternalPopSettings",
    "ExternalSmtpSettings",
    "InternalSmtpSettings",
    "OwaMailboxPolicy",
    "OWAEnabled",
    "OWAforDevicesEnabled",
    "ECPEnabled",
    "PopEnabled",
    "PopUseProtocolDefaults",
    "PopMessagesRetrievalMimeFormat",
    "PopEnableExactRFC822Size",
    "PopSuppressReadReceipt",
    "PopForceICalForCalendarRetrievalOption",
    "ImapEnabled",
    "ImapUseProtocolDefaults",
    "ImapMessagesRetrievalMimeFormat",
    "ImapEnableExactRFC822Size",
    "ImapSuppressReadReceipt",
    "ImapForceICalForCalendarRetrievalOption",
    "MAPIEnabled",
    "MapiHttpEnabled",
    "MAPIBlockOutlookNonCachedMode",
    "MAPIBlockOutlookVersions",
    "MAPIBlockOutlookRpcHttp",
    "MAPIBlockOutlookExternalConnectivity",
    "EwsEnabled",
    "EwsAllowOutlook",
    "EwsAllowMacOutlook",
    "EwsAllowEntourage",
    "EwsApplicationAccessPolicy",
    "EwsAllowList",
    "EwsBlockList",
    "ShowGalAsDefaultView",
    "AdminDisplayName",
    "ExchangeVersion",
    "Name",
    "DistinguishedName",
    "Identity",
    "Guid",
    "ObjectCategory",
    "ObjectClass",
    "WhenChanged",
    "WhenCreated",
    "WhenChangedUTC",
    "WhenCreatedUTC",
    "OrganizationId",
    "Id",
    "OriginatingServer",
    "IsValid",
    "ObjectState",
];

/// The connection settings a mailbox user is told to use (-ProtocolSettings).
pub struct ProtocolHints {
    pub imap_internal: Vec<String>,
    pub imap_external: Vec<String>,
    pub pop_internal: Vec<String>,
    pub pop_external: Vec<String>,
}

pub fn cas_object(m: &Mailbox, server: &ServerInfo, hints: Option<&ProtocolHints>) -> Value {
    let c = &m.cas;
    let identity = canonical_name(&server.domain, &m.name);
    let empty = || Value::array(vec![]);
    let hint = |f: fn(&ProtocolHints) -> &Vec<String>| hints.map(|h| strings(f(h))).unwrap_or_else(empty);
    let values: Vec<Value> = vec![
        strings(&m.email_addresses),
        Value::str(legacy_dn(&m.alias)),
        Value::Null,
        Value::str(m.primary_smtp.clone()),
        Value::str(m.alias.chars().take(20).collect::<String>()),
        Value::str(server_legacy_dn(&server.name)),
        Value::str(server.name.to_lowercase()),
        Value::str(m.display_name.clone()),
        strings(&c.activesync_allowed_ids),
        strings(&c.activesync_blocked_ids),
        Value::str("Default"),
        Value::Bool(true),
        Value::Bool(false),
        Value::Bool(c.activesync_enabled),
        Value::Bool(false),
        hint(|h| &h.imap_external),
        hint(|h| &h.imap_internal),
        hint(|h| &h.pop_external),
        hint(|h| &h.pop_internal),
        empty(),
        empty(),
        Value::Null,
        Value::Bool(c.owa_enabled),
        Value::Bool(c.owa_for_devices_enabled),
        Value::Bool(c.ecp_enabled),
        Value::Bool(c.pop_enabled),
        Value::Bool(c.pop.use_protocol_defaults),
        c.pop.mime_format.to_value(),
        Value::Bool(c.pop.exact_size),
        Value::Bool(c.pop.suppress_read_receipt),
        Value::Bool(c.pop.force_ical),
        Value::Bool(c.imap_enabled),
        Value::Bool(c.imap.use_protocol_defaults),
        c.imap.mime_format.to_value(),
        Value::Bool(c.imap.exact_size),
        Value::Bool(c.imap.suppress_read_receipt),
        Value::Bool(c.imap.force_ical),
        Value::Bool(c.mapi_enabled),
        Value::Bool(c.mapihttp_enabled),
        Value::Bool(false),
        Value::str(""),
        Value::Bool(false),
        Value::Bool(false),
        Value::Bool(c.ews_enabled),
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Null,
        strings(&c.ews_allow_list),
        strings(&c.ews_block_list),
        Value::Bool(true),
        Value::str(""),
        Value::str("0.10 (14.0.100.0)"),
        Value::str(m.name.clone()),
        Value::str(distinguished_name(&server.domain, &m.name)),
        Value::str(identity.clone()),
        Value::str(m.guid.clone()),
        Value::str(format!("{}/Configuration/Schema/Person", server.domain)),
        Value::array(vec![
            Value::str("top"),
            Value::str("person"),
            Value::str("organizationalPerson"),
            Value::str("user"),
        ]),
        Value::date_unix(m.changed),
        Value::date_unix(m.created),
        Value::date_unix(m.changed),
        Value::date_unix(m.created),
        Value::str(""),
        Value::str(identity),
        Value::str(server.fqdn.clone()),
        Value::Bool(true),
        Value::str("Unchanged"),
    ];
    let props: Vec<(&'static str, Value)> = PROPERTIES.iter().copied().zip(values).collect();
    object(CAS_MAILBOX, props)
}

pub fn definitions() -> Vec<CmdletDef> {
    vec![get_definition(), set_definition()]
}

fn get_definition() -> CmdletDef {
    let sig = Signature::build("Get-CASMailbox")
        .synopsis("Shows the client access settings of mailboxes: IMAP4, POP3, MAPI, Outlook Web App, ActiveSync, EWS.")
        .description("Without -Identity, every mailbox is listed (the first 1000 unless -ResultSize says otherwise). -Filter takes an OPATH filter such as \"ImapEnabled -eq $false\".")
        .param(Param::new("Identity", T::Identity("MailboxIdParameter")).position(0).pipeline().by_property().help("The mailbox: name, alias, display name, UPN, email address, GUID, canonical name or DOMAIN\\alias. Wildcards (*) are accepted."))
        .param(Param::new("Anr", T::String).help("Ambiguous name resolution: mailboxes whose name, alias, display name, first or last name or address starts with the text."))
        .param(Param::new("Filter", T::String).help("An OPATH filter, e.g. \"ImapEnabled -eq $false\"."))
        .param(Param::new("ResultSize", T::Unlimited).default("1000").help("How many mailboxes to return at most: a number or Unlimited."))
        .param(Param::new("SortBy", T::String).help("Name or DisplayName."))
        .param(Param::new("ProtocolSettings", T::Switch).help("Fills the Internal/External Imap and Pop settings users are told to connect with."))
        .param(Param::new("DomainController", T::String).help("Accepted for compatibility; mailsh has one directory."))
        .example("Show one mailbox", "Get-CASMailbox \"John Smith\"", "Shows whether ActiveSync, OWA, POP3, IMAP4 and MAPI are enabled for John Smith (seed 003's check).")
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

pub fn result_size(args: &Args) -> Option<usize> {
    match args.get("ResultSize") {
        Some(Value::Int(n)) => Some(*n as usize),
        Some(_) => None,
        None => Some(1000),
    }
}

pub fn result_size_warning(cx: &mut Session, limit: usize) {
    cx.warn(&format!(
        "By default, only the first {limit} items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify \"-ResultSize Unlimited\"."
    ));
}

/// Walks every mailbox (keyset pages), emitting those that pass `keep`,
/// up to `limit`; returns whether more matched than were emitted.
pub fn for_each_mailbox(
    cx: &mut Session,
    out: &mut Output,
    limit: Option<usize>,
    mut make: impl FnMut(&Mailbox, &ServerInfo) -> Option<Value>,
) -> Result<bool> {
    let mut after: Option<String> = None;
    let mut emitted = 0usize;
    loop {
        let store = cx.store()?;
        let server = store.server().clone();
        let page = store.mailboxes_page(after.as_deref(), 500).map_err(store_err)?;
        let Some(last) = page.last() else {
            return Ok(false);
        };
        after = Some(last.name.clone());
        for m in &page {
            let Some(v) = make(m, &server) else { continue };
            if limit.is_some_and(|l| emitted >= l) {
                return Ok(true);
            }
            out.emit(cx, v)?;
            emitted += 1;
        }
    }
}

fn get_cas_mailbox(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let hints = if args.switch("ProtocolSettings") { Some(protocol_hints(cx.store()?)?) } else { None };
    if let Some(identity) = args.get("Identity") {
        let found = resolve_many(cx, identity, 10_000)?;
        let server = cx.store()?.server().clone();
        for m in found {
            out.emit(cx, cas_object(&m, &server, hints.as_ref()))?;
        }
        return Ok(());
    }
    let filter = match args.string("Filter") {
        Some(f) => {
            let booleans: Vec<&str> = BOOL_PROPS.iter().map(|p| p.name).collect();
            Some(opath_filter::compile(&f, PROPERTIES, &booleans)?)
        }
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
        for_each_mailbox(cx, &mut collect, None, |m, s| keep(m, s, filter.as_ref(), anr.as_deref(), hints.as_ref()))?;
        all.sort_by_key(|v| v.property("DisplayName").to_text().to_lowercase());
        let more = limit.is_some_and(|l| all.len() > l);
        for v in all.into_iter().take(limit.unwrap_or(usize::MAX)) {
            out.emit(cx, v)?;
        }
        if more {
            result_size_warning(cx, limit.unwrap_or(0));
        }
        return Ok(());
    }
    let more = for_each_mailbox(cx, out, limit, |m, s| keep(m, s, filter.as_ref(), anr.as_deref(), hints.as_ref()))?;
    if more && !args.has("ResultSize") {
        result_size_warning(cx, 1000);
    }
    Ok(())
}

fn keep(
    m: &Mailbox,
    server: &ServerInfo,
    filter: Option<&crate::language::opath::Filter>,
    anr: Option<&str>,
    hints: Option<&ProtocolHints>,
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
    let v = cas_object(m, server, hints);
    if let (Some(f), Value::Object(o)) = (filter, &v)
        && !opath_filter::matches(f, o)
    {
        return None;
    }
    Some(v)
}

fn set_definition() -> CmdletDef {
    let mut sig = Signature::build("Set-CASMailbox")
        .synopsis("Changes the client access settings of a mailbox: IMAP4, POP3, MAPI, Outlook Web App, ActiveSync, EWS.")
        .description("Success writes nothing. A change to ImapEnabled or PopEnabled applies at the user's next login; their open sessions are closed.")
        .should_process()
        .param(Param::new("Identity", T::Identity("MailboxIdParameter")).position(0).mandatory().pipeline().by_property().help("The mailbox to change."));
    for p in BOOL_PROPS {
        sig = sig.param(Param::new(p.name, T::Bool).help("$true or $false."));
    }
    static MIME: &EnumDef = &MIME_TEXT_FORMAT;
    sig = sig
        .param(
            Param::new("ImapMessagesRetrievalMimeFormat", T::Enum(MIME))
                .help("The format IMAP4 serves messages in, when ImapUseProtocolDefaults is $false."),
        )
        .param(
            Param::new("PopMessagesRetrievalMimeFormat", T::Enum(MIME))
                .help("The format POP3 serves messages in, when PopUseProtocolDefaults is $false."),
        );
    for p in LIST_PROPS {
        sig = sig.param(Param::new(p.name, T::Strings).help("A list; @{Add=...; Remove=...} edits it."));
    }
    sig = sig
        .param(Param::new("DisplayName", T::String).help("The name shown in address lists."))
        .param(Param::new("Name", T::String).help("The mailbox's unique name."))
        .param(Param::new("PrimarySmtpAddress", T::String).help("The primary email address."))
        .param(Param::new("EmailAddresses", T::Strings).help("Every address (SMTP:primary, smtp:secondary); @{Add=...; Remove=...} edits it."))
        .param(Param::new("DomainController", T::String).help("Accepted for compatibility."))
        .example("Enable IMAP4 for a user (seed 001)", "Set-CASMailbox -Identity \"John Smith\" -IMAPEnabled $true", "")
        .example("Disable IMAP4 for a user (seed 001)", "Set-CASMailbox -Identity \"John Smith\" -IMAPEnabled $false", "")
        .example("Disable MAPI (seed 003)", "Set-CASMailbox -Identity \"Ken Sanchez\" -MAPIEnabled $false", "Outlook can no longer open the mailbox; IMAP4, POP3 and Outlook Web App still can, and mail still arrives.")
        .example("Disable POP3 for a user (seed 004)", "Set-CASMailbox -Identity \"John Smith\" -POPEnabled $false", "")
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
    if !reads_all || !up_plain || streams.iter().any(|p| up.has(p) || args.has(p)) || args.has("Identity") {
        return None;
    }
    let mut changes = Vec::new();
    for (name, value) in args.given() {
        let prop = BOOL_PROPS.iter().find(|p| p.name == name)?;
        changes.push((prop.column, prop.name, value.is_true()));
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

/// Applies the given parameters to a copy of `m`; returns what changed.
fn apply(args: &Args, m: &Mailbox) -> Result<(Mailbox, Vec<(String, String, String)>), ErrorRecord> {
    let mut new = m.clone();
    let mut changed = Vec::new();
    for p in BOOL_PROPS {
        if let Some(v) = args.bool(p.name) {
            let old = (p.get)(&new.cas);
            if old != v {
                (p.set)(&mut new.cas, v);
                changed.push((p.name.to_string(), bool_text(old), bool_text(v)));
            }
        }
    }
    let mime_params: [(&str, fn(&mut CasSettings) -> &mut MimeTextFormat); 2] = [
        ("ImapMessagesRetrievalMimeFormat", |c| &mut c.imap.mime_format),
        ("PopMessagesRetrievalMimeFormat", |c| &mut c.pop.mime_format),
    ];
    for (name, field) in mime_params {
        if let Some(v) = args.get(name).and_then(MimeTextFormat::from_value) {
            let slot = field(&mut new.cas);
            if *slot != v {
                changed.push((name.to_string(), slot.name().to_string(), v.name().to_string()));
                *slot = v;
            }
        }
    }
    for p in LIST_PROPS {
        if let Some(v) = args.get(p.name) {
            let old = (p.get)(&new.cas).clone();
            let next = apply_multi(&old, v);
            if next != old {
                changed.push((p.name.to_string(), old.join(", "), next.join(", ")));
                (p.set)(&mut new.cas, next);
            }
        }
    }
    super::mailbox::apply_names(args, &mut new, &mut changed)?;
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
    // before the transaction (this is the bulk path).
    let piped_guid = match &identity {
        Value::Object(o) if !args.switch("WhatIf") => o.get("Guid").map(|g| g.to_text()).filter(|g| !g.is_empty()),
        _ => None,
    };
    let key = match piped_guid {
        Some(g) => Key::Guid(g),
        None => {
            let found = resolve_mailbox(cx, &identity)?;
            let domain = cx.store()?.server().domain.clone();
            if what_if(cx, args, &canonical_name(&domain, &found.name)) {
                return Ok(());
            }
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
