//! New-Mailbox, Get-Mailbox, Set-Mailbox, Remove-Mailbox.

use std::collections::HashMap;

use crate::store::databases::MailboxDatabase;

use super::common::{audit, canonical_name, distinguished_name, legacy_dn, object, strings, warn_nothing_changed};
use super::identity::{mailbox_to_change, resolve_many, store_err};
use super::mailbox_pages::{for_each_mailbox, result_size, result_size_warning};
use super::shown::Shown::{Made, Setting};
use super::shown::{Resolved, Shown, resolve};
use crate::format::views::MAILBOX;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{Value, now_unix};
use crate::store::{
    MAILBOX_COLUMNS, Mailbox, MailboxField, NewMailbox, ServerInfo, Store, apply_order, mailbox_column, password,
};

pub fn definitions() -> Vec<CmdletDef> {
    vec![new_definition(), get_definition(), set_definition(), remove_definition()]
}

/// How a property that is no setting is made from the mailbox and what
/// it relates to.
type Make = fn(&Mailbox, &Related) -> Value;

/// What a mailbox object names besides the mailbox: the organization (this
/// server's record), the mailboxes others forward to, and the databases.
pub struct Related {
    pub server: ServerInfo,
    /// Mailbox GUID to name (`Store::forwarding_targets`).
    pub targets: HashMap<String, String>,
    /// Database GUID to database.
    pub databases: HashMap<String, MailboxDatabase>,
}

impl Related {
    pub fn load(store: &crate::store::Store) -> std::result::Result<Related, ErrorRecord> {
        Ok(Related {
            server: store.server().clone(),
            targets: store.forwarding_targets().map_err(store_err)?,
            databases: databases_by_guid(store)?,
        })
    }

    /// The database holding `m`.
    pub fn database_of(&self, m: &Mailbox) -> Option<&MailboxDatabase> {
        m.database.as_ref().and_then(|g| self.databases.get(g))
    }
}

/// Every mailbox database by GUID.
pub fn databases_by_guid(
    store: &crate::store::Store,
) -> std::result::Result<HashMap<String, MailboxDatabase>, ErrorRecord> {
    Ok(store.mailbox_databases().map_err(store_err)?.into_iter().map(|d| (d.guid.clone(), d)).collect())
}

/// Every property of a mailbox object, in Exchange 2013's Format-List
/// order: one line each, so no value can shift into its neighbour's column.
/// A `Setting` is declared in `store::MAILBOX_COLUMNS` (Set-Mailbox sets it).
const PROPERTIES: &[(&str, Shown<Make>)] = &[
    ("Name", Setting),
    ("Alias", Setting),
    ("DisplayName", Setting),
    ("UserPrincipalName", Setting),
    ("SamAccountName", Made(|m, _| Value::str(m.alias.chars().take(20).collect::<String>()))),
    ("PrimarySmtpAddress", Setting),
    ("EmailAddresses", Setting),
    ("LegacyExchangeDN", Made(|m, _| Value::str(legacy_dn(&m.alias)))),
    ("ServerName", Made(|m, r| r.database_of(m).map_or(Value::Null, |d| Value::str(d.server.to_lowercase())))),
    ("Database", Made(|m, r| r.database_of(m).map_or(Value::Null, |d| Value::str(d.name.clone())))),
    ("ProhibitSendQuota", Setting),
    ("ProhibitSendReceiveQuota", Setting),
    ("IssueWarningQuota", Setting),
    ("DeliverToMailboxAndForward", Setting),
    ("ForwardingAddress", Setting),
    ("ForwardingSmtpAddress", Setting),
    ("RecipientType", Made(|_, _| Value::str("UserMailbox"))),
    ("RecipientTypeDetails", Made(|_, _| Value::str("UserMailbox"))),
    ("HiddenFromAddressListsEnabled", Made(|_, _| Value::Bool(false))),
    ("OrganizationalUnit", Made(|_, r| Value::str(format!("{}/Users", r.server.domain)))),
    ("DistinguishedName", Made(|m, r| Value::str(distinguished_name(&r.server.domain, &m.name)))),
    ("Identity", Made(|m, r| Value::str(canonical_name(&r.server.domain, &m.name)))),
    ("Guid", Made(|m, _| Value::str(m.guid.clone()))),
    ("ExchangeVersion", Made(|_, _| Value::str("0.20 (15.0.0.0)"))),
    ("WhenChanged", Made(|m, _| Value::date_unix(m.changed))),
    ("WhenCreated", Made(|m, _| Value::date_unix(m.created))),
    ("WhenChangedUTC", Made(|m, _| Value::date_unix(m.changed))),
    ("WhenCreatedUTC", Made(|m, _| Value::date_unix(m.created))),
    ("IsValid", Made(|_, _| Value::Bool(true))),
    ("ObjectState", Made(|_, _| Value::str("Unchanged"))),
];

/// `PROPERTIES` with each setting found in the store's table (once).
fn resolved() -> &'static [(&'static str, Resolved<MailboxField, Make>)] {
    static RESOLVED: std::sync::OnceLock<Vec<(&'static str, Resolved<MailboxField, Make>)>> =
        std::sync::OnceLock::new();
    RESOLVED.get_or_init(|| resolve(PROPERTIES, |n| mailbox_column(n).map(|c| c.field), |_, _| Value::Null))
}

/// The property names, for completion and -Property.
fn property_names() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| PROPERTIES.iter().map(|(n, _)| *n).collect())
}

/// A mailbox as Get-Mailbox shows it; `targets` names, by GUID, the
/// mailboxes others forward to (`Store::forwarding_targets`).
pub fn mailbox_object(m: &Mailbox, related: &Related) -> Value {
    let (server, targets) = (&related.server, &related.targets);
    let props = resolved()
        .iter()
        .map(|(name, how)| {
            let value = match how {
                Resolved::Setting(MailboxField::Text { get, .. } | MailboxField::Primary { get, .. }) => {
                    Value::str(get(m).clone())
                }
                Resolved::Setting(MailboxField::Addresses { get, .. }) => strings(get(m)),
                Resolved::Setting(MailboxField::Quota { get, .. }) => quota_value(get(m)),
                Resolved::Setting(MailboxField::Address { get, .. }) => {
                    get(m).as_ref().map(|a| Value::str(format!("smtp:{a}"))).unwrap_or(Value::Null)
                }
                Resolved::Setting(MailboxField::Flag { get, .. }) => Value::Bool(get(m)),
                Resolved::Setting(MailboxField::Recipient { get, .. }) => get(m)
                    .as_ref()
                    .and_then(|guid| targets.get(guid))
                    .map_or(Value::Null, |name| Value::str(canonical_name(&server.domain, name))),
                // Never shown (the unit test below holds it).
                Resolved::Setting(MailboxField::Secret { .. }) => Value::Null,
                Resolved::Made(f) => f(m, related),
            };
            (*name, value)
        })
        .collect();
    object(MAILBOX, props)
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
        .param(Param::new("OrganizationalUnit", T::String).help("The Users container (contoso.com/Users), the only one mailsh has."))
        .param(Param::new("Database", T::Identity("DatabaseIdParameter")).help("The mailbox database to hold it (Get-MailboxDatabase); by default, a mounted database of this server, else of the organization, holding the fewest mailboxes."))
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

/// A recipient's alias (mailboxes and groups): no spaces, not empty.
pub fn check_alias(alias: &str) -> std::result::Result<(), ErrorRecord> {
    if alias.is_empty() || alias.contains(char::is_whitespace) {
        return Err(ErrorRecord::argument_transformation(
            "Alias",
            &format!("\"{alias}\" isn't a valid alias: use letters, digits and . - _ without spaces."),
        ));
    }
    Ok(())
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
    check_alias(&alias)?;
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
    check_placement(args, &server)?;
    let database = placement(args, cx.store()?)?;
    let target = canonical_name(&server.domain, &name);
    let ou = format!("{}/Users", server.domain);
    let text = super::confirm_texts::fill(
        super::confirm_texts::NEW_MAILBOX,
        &[("name", name.as_str()), ("upn", upn.as_str()), ("ou", ou.as_str())],
    );
    if !cx.should_process_text(args, &text)? {
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
        database: Some(database),
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
    let related = Related::load(cx.store()?)?;
    out.emit(cx, mailbox_object(&created, &related))
}

/// The database a new mailbox goes to: -Database (a database of the
/// organization, by name or GUID, that is mounted or not), else the one
/// automatic distribution picks (`Store::database_for_new_mailbox`), else
/// Exchange's refusal.
fn placement(args: &Args, store: &mut Store) -> std::result::Result<String, ErrorRecord> {
    let server = store.server().clone();
    if let Some(name) = args.string("Database") {
        return match store.mailbox_database(&name).map_err(store_err)? {
            Some(db) => Ok(db.guid),
            None => Err(ErrorRecord::object_not_found(&name, &server.fqdn)),
        };
    }
    store.database_for_new_mailbox(&server.guid).map_err(store_err)?.ok_or_else(|| {
        ErrorRecord::new(
            "Database is mandatory on UserMailbox.",
            crate::runtime::errors::Category::NotSpecified,
            "DatabaseMandatory",
            "RecipientTaskException",
        )
    })
}

/// -OrganizationalUnit names where the mailbox goes: the Users container
/// is the only one mailsh has, so any other is Exchange's "couldn't be
/// found", never a mailbox made somewhere else. -ResetPasswordOnNextLogon $true cannot
/// be honoured (IMAP4 and POP3 users have no way to change a password at
/// logon) and is refused by name.
fn check_placement(args: &Args, server: &ServerInfo) -> std::result::Result<(), ErrorRecord> {
    if let Some(ou) = args.string("OrganizationalUnit") {
        let dn: Vec<String> = server.domain.split('.').map(|p| format!("DC={p}")).collect();
        let known = [format!("{}/Users", server.domain), "Users".into(), format!("CN=Users,{}", dn.join(","))];
        let given: String = ou.chars().filter(|c| !c.is_whitespace()).collect();
        if !known.iter().any(|k| k.replace(' ', "").eq_ignore_ascii_case(&given)) {
            return Err(ErrorRecord::object_not_found(&ou, &server.fqdn));
        }
    }
    if args.bool("ResetPasswordOnNextLogon") == Some(true) {
        return Err(ErrorRecord::new(
            "New-Mailbox -ResetPasswordOnNextLogon $true is not implemented by mailsh: IMAP4 and POP3 users cannot change their password at logon.",
            crate::runtime::errors::Category::NotImplemented,
            "NotImplemented",
            "PSNotSupportedException",
        ));
    }
    Ok(())
}

fn get_definition() -> CmdletDef {
    let sig = Signature::build("Get-Mailbox")
        .outputs(property_names)
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
        .param(
            Param::new("Database", T::Identity("DatabaseIdParameter"))
                .help("Only the mailboxes of this mailbox database."),
        )
        .example("Every mailbox", "Get-Mailbox", "")
        .example("One mailbox, every property", "Get-Mailbox \"John Smith\" | Format-List", "");
    CmdletDef::run(sig, get_mailbox)
}

fn get_mailbox(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let related = Related::load(cx.store()?)?;
    // -Database: only the mailboxes it holds.
    let in_database = match args.string("Database") {
        Some(name) => match cx.store()?.mailbox_database(&name).map_err(store_err)? {
            Some(db) => Some(db.guid),
            None => return Err(ErrorRecord::object_not_found(&name, &related.server.fqdn).into()),
        },
        None => None,
    };
    let wanted = |m: &Mailbox| in_database.as_ref().is_none_or(|g| m.database.as_ref() == Some(g));
    if let Some(identity) = args.get("Identity") {
        let found = resolve_many(cx, identity, 10_000)?;
        for m in found.into_iter().filter(|m| wanted(m)) {
            out.emit(cx, mailbox_object(&m, &related))?;
        }
        return Ok(());
    }
    let anr = args.string("Anr").map(|a| a.to_lowercase());
    let limit = result_size(args);
    let more = for_each_mailbox(cx, out, limit, |m, _| {
        if !wanted(m) {
            return None;
        }
        if let Some(a) = &anr {
            let hit = [&m.name, &m.alias, &m.display_name, &m.primary_smtp]
                .iter()
                .any(|x| x.to_lowercase().starts_with(a.as_str()));
            if !hit {
                return None;
            }
        }
        Some(mailbox_object(m, &related))
    })?;
    if more {
        result_size_warning(cx, args);
    }
    Ok(())
}

#[cfg(test)]
pub(super) fn registry_set_mailbox_signature() -> Signature {
    set_definition().signature
}

fn set_definition() -> CmdletDef {
    let mut sig = Signature::build("Set-Mailbox")
        .synopsis("Changes a mailbox's names, addresses, password or storage quotas.")
        .should_process(crate::runtime::signature::ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::SET_MAILBOX)
        .writes_store()
        .param(
            Param::new("Identity", T::Identity("MailboxIdParameter")).position(0).mandatory().pipeline().by_property(),
        );
    // One parameter per setting of the store's table, in its order (which
    // shows in help and in the ambiguous-parameter message).
    for c in MAILBOX_COLUMNS {
        sig = sig.param(setting_param(c));
    }
    sig = sig.example("Rename", "Set-Mailbox \"John Smith\" -DisplayName \"John A. Smith\"", "").example(
        "Reset a password",
        "Set-Mailbox \"John Smith\" -Password (ConvertTo-SecureString -String 'N3w-P@ss' -AsPlainText -Force)",
        "",
    );
    CmdletDef::run(sig, set_mailbox)
}

/// Applies the given parameters that are mailbox settings (every one of
/// Set-Mailbox's; Set-CASMailbox's names and addresses) to `m`, in the
/// store's apply order, recording `(property, old, new)` for each change.
/// The parameter that sets a mailbox setting (Set-Mailbox's, and the few
/// Set-CASMailbox also takes).
pub fn setting_param(c: &crate::store::MailboxColumn) -> Param {
    let ty = match c.field {
        MailboxField::Text { .. } | MailboxField::Primary { .. } | MailboxField::Quota { .. } => T::String,
        MailboxField::Addresses { .. } => T::Strings,
        MailboxField::Secret { .. } => T::SecureString,
        MailboxField::Address { .. } => T::String,
        MailboxField::Flag { .. } => T::Bool,
        MailboxField::Recipient { .. } => T::IdentityOrNull("RecipientIdParameter"),
    };
    Param::new(c.name, ty).help(c.help)
}

/// Finds the mailbox an identity names: its GUID and its canonical name.
pub type RecipientLookup<'a> = dyn FnMut(&Value) -> std::result::Result<(String, String), ErrorRecord> + 'a;

pub fn apply_settings(
    args: &Args,
    m: &mut Mailbox,
    changed: &mut Vec<(String, String, String)>,
    lookup: &mut RecipientLookup<'_>,
) -> std::result::Result<(), ErrorRecord> {
    for setting in apply_order() {
        let name = setting.name;
        let Some(given) = args.get(name) else { continue };
        match setting.field {
            MailboxField::Text { get, set } => {
                let Some(v) = args.string(name) else { continue };
                if *get(m) != v {
                    changed.push((name.to_string(), get(m).clone(), v.clone()));
                    set(m, v);
                }
            }
            MailboxField::Primary { get, set } => {
                let Some(smtp) = args.string(name) else { continue };
                check_smtp(name, &smtp)?;
                if !smtp.eq_ignore_ascii_case(get(m)) {
                    changed.push((name.to_string(), get(m).clone(), smtp.clone()));
                    // The new primary heads the list as `SMTP:`; the old one
                    // stays as a secondary `smtp:`.
                    let mut addresses: Vec<String> =
                        m.email_addresses
                            .iter()
                            .map(|a| {
                                if let Some(rest) = a.strip_prefix("SMTP:") {
                                    format!("smtp:{rest}")
                                } else {
                                    a.clone()
                                }
                            })
                            .filter(|a| !a[a.find(':').map(|i| i + 1).unwrap_or(0)..].eq_ignore_ascii_case(&smtp))
                            .collect();
                    addresses.insert(0, format!("SMTP:{smtp}"));
                    m.email_addresses = addresses;
                    set(m, smtp);
                }
            }
            MailboxField::Addresses { get, set } => {
                let next = super::common::email_addresses(get(m), given);
                for a in &next {
                    let bare = a.split_once(':').map(|(_, r)| r).unwrap_or(a);
                    check_smtp(name, bare)?;
                }
                if next != *get(m) {
                    changed.push((name.to_string(), get(m).join(", "), next.join(", ")));
                    if let Some(primary) = next.iter().find(|a| a.starts_with("SMTP:")) {
                        m.primary_smtp = primary[5..].to_string();
                    }
                    set(m, next);
                }
            }
            MailboxField::Secret { set, .. } => {
                let Some(plain) = secure_text(given) else { continue };
                let hash = password::hash(&plain).map_err(|e| {
                    ErrorRecord::task(format!("The password could not be stored: {e}"), "PasswordHashFailed")
                })?;
                set(m, Some(hash));
                changed.push((name.to_string(), "********".into(), "********".into()));
            }
            MailboxField::Address { get, set } => {
                // `smtp:a@x`, `SMTP:a@x` or `a@x`; $null or "" clears it.
                let text = if given.is_null() { String::new() } else { given.to_text() };
                let bare = text.trim();
                let bare = match bare.split_once(':') {
                    Some((kind, rest)) if kind.eq_ignore_ascii_case("smtp") => rest,
                    _ => bare,
                };
                let next = if bare.is_empty() { None } else { Some(bare.to_string()) };
                if let Some(a) = &next {
                    check_smtp(name, a)?;
                }
                if next.as_deref().map(str::to_lowercase) != get(m).as_deref().map(str::to_lowercase) {
                    changed.push((
                        name.to_string(),
                        get(m).clone().unwrap_or_default(),
                        next.clone().unwrap_or_default(),
                    ));
                    set(m, next);
                }
            }
            MailboxField::Flag { get, set } => {
                let Some(next) = args.bool(name) else { continue };
                if next != get(m) {
                    changed.push((name.to_string(), get(m).to_string(), next.to_string()));
                    set(m, next);
                }
            }
            MailboxField::Recipient { get, set } => {
                // Any identity of a mailbox; $null or "" clears it.
                let next =
                    if given.is_null() || given.to_text().trim().is_empty() { None } else { Some(lookup(given)?) };
                let next_guid = next.as_ref().map(|(guid, _)| guid.clone());
                if next_guid != *get(m) {
                    let before = match get(m) {
                        Some(guid) => lookup(&Value::str(guid.clone())).map(|(_, shown)| shown).unwrap_or_default(),
                        None => String::new(),
                    };
                    changed.push((name.to_string(), before, next.map(|(_, shown)| shown).unwrap_or_default()));
                    set(m, next_guid);
                }
            }
            MailboxField::Quota { get, set, .. } => {
                let next = quota_arg(name, given)?;
                if next != get(m) {
                    let show = |q: Option<u64>| quota_value(q).to_text();
                    changed.push((name.to_string(), show(get(m)), show(next)));
                    set(m, next);
                }
            }
        }
    }
    Ok(())
}

fn set_mailbox(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let identity = args.get("Identity").cloned().unwrap_or(Value::Null);
    let Some((found, shown)) = mailbox_to_change(cx, args, &identity, super::confirm_texts::SET_MAILBOX)? else {
        return Ok(());
    };
    // The recipients the parameters name (ForwardingAddress) are looked up
    // first, with the session; the values are checked on what was read.
    let domain = cx.store()?.server().domain.clone();
    let mut resolved: Vec<(String, (String, String))> = Vec::new();
    let mut lookup = |v: &Value| {
        let found = super::identity::resolve_mailbox(cx, v).map(|t| (t.guid.clone(), canonical_name(&domain, &t.name)));
        if let Ok(r) = &found {
            resolved.push((v.to_text(), r.clone()));
        }
        found
    };
    let (mut checked, mut changed) = (found.clone(), Vec::new());
    apply_settings(args, &mut checked, &mut changed, &mut lookup)?;
    if changed.is_empty() {
        warn_nothing_changed(cx, &shown);
        return Ok(());
    }
    let user = cx.user.clone();
    // Then read, change and write in one immediate transaction, as
    // Set-CASMailbox does: a change another shell made to this mailbox
    // meanwhile (its CAS settings, another setting) is kept, not written
    // over with what was read before.
    let outcome = cx
        .store()?
        .write(|tx| {
            let Some(current) = Store::mailbox_for_update(tx, found.id)? else { return Ok(Ok(None)) };
            let (mut new, mut changed) = (current.clone(), Vec::new());
            let mut looked_up = |v: &Value| {
                let text = v.to_text();
                let known = resolved.iter().find(|(k, _)| *k == text).map(|(_, r)| r.clone());
                known.ok_or_else(|| ErrorRecord::task(format!("'{text}' was not looked up."), "NotLookedUp"))
            };
            if let Err(e) = apply_settings(args, &mut new, &mut changed, &mut looked_up) {
                return Ok(Err(e));
            }
            if changed.is_empty() {
                return Ok(Ok(Some(false)));
            }
            new.changed = now_unix();
            Store::update_mailbox(tx, &new)?;
            audit(tx, &user, args, &shown, changed)?;
            Ok(Ok(Some(true)))
        })
        .map_err(|e| match e {
            crate::store::StoreError::Conflict(msg) => ErrorRecord::task(msg, "ADObjectAlreadyExistsException"),
            other => store_err(other),
        })??;
    match outcome {
        Some(true) => Ok(()),
        // Another shell made the same change first.
        Some(false) => {
            warn_nothing_changed(cx, &shown);
            Ok(())
        }
        // Or removed the mailbox.
        None => {
            let fqdn = cx.store()?.server().fqdn.clone();
            Err(ErrorRecord::object_not_found(&super::identity::identity_text(&identity), &fqdn).into())
        }
    }
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
    // Exchange words it differently when the mailbox goes at once.
    let text = if args.bool("Permanent") == Some(true) {
        super::confirm_texts::REMOVE_MAILBOX_PERMANENT
    } else {
        super::confirm_texts::REMOVE_MAILBOX
    };
    let Some((found, shown)) = mailbox_to_change(cx, args, &identity, text)? else { return Ok(()) };
    let user = cx.user.clone();
    cx.store()?
        .write(|tx| {
            Store::delete_mailbox(tx, found.id)?;
            audit(tx, &user, args, &shown, vec![])
        })
        .map_err(store_err)?;
    // The user's mail goes with the mailbox when its database is this
    // server's (the file exists once a service has served it). Another
    // server's database keeps it, as Exchange keeps a disconnected
    // mailbox's until its retention ends.
    let databases = databases_by_guid(cx.store()?)?;
    let this_server = cx.store()?.server().guid.clone();
    let local = found.database.as_ref().and_then(|g| databases.get(g)).filter(|d| d.server_guid == this_server);
    let Some(database) = local else { return Ok(()) };
    let mail_path = cx.store()?.database_file(database);
    if mail_path.exists() {
        let removed = crate::store::mail::MailDb::open(&mail_path).and_then(|mut db| db.delete_mailbox(&found.guid));
        if let Err(e) = removed {
            cx.warn(&format!("The mailbox was removed, but its messages could not be deleted: {e}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_of_the_store_is_shown_once_and_every_shown_setting_exists() {
        let table: Vec<&str> = MAILBOX_COLUMNS.iter().map(|c| c.name).collect();
        // A secret is set, never shown.
        let hidden: Vec<&str> =
            MAILBOX_COLUMNS.iter().filter(|c| matches!(c.field, MailboxField::Secret { .. })).map(|c| c.name).collect();
        super::super::shown::check_shown(PROPERTIES, &table, &hidden);
        assert_eq!(PROPERTIES.len(), 30);
    }

    #[test]
    fn set_mailbox_has_a_parameter_for_every_setting_in_the_tables_order() {
        let def = set_definition();
        let params: Vec<&str> = def.signature.params.iter().map(|p| p.name).skip(1).collect();
        let settings: Vec<&str> = MAILBOX_COLUMNS.iter().map(|c| c.name).collect();
        assert_eq!(params[..settings.len()], settings[..]);
    }
}
