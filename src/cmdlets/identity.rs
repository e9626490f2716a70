//! Resolving an -Identity to exactly one mailbox, with Exchange's messages.

use crate::runtime::command::Args;
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::value::Value;
use crate::store::Mailbox;

fn store_error(e: crate::store::StoreError) -> ErrorRecord {
    ErrorRecord::task(e.to_string(), "StoreError")
}

/// The identity as the administrator typed it, for messages.
pub fn identity_text(v: &Value) -> String {
    match v {
        Value::Object(o) => o.get("Identity").map(|i| i.to_text()).unwrap_or_else(|| v.to_text()),
        other => other.to_text(),
    }
}

/// One mailbox, or "couldn't be found" / "matches multiple entries".
pub fn resolve_mailbox(cx: &mut Session, identity: &Value) -> Result<Mailbox, ErrorRecord> {
    // An object from Get-Mailbox / Get-CASMailbox carries its GUID: exact and fast.
    if let Value::Object(o) = identity
        && let Some(guid) = o.get("Guid").map(|g| g.to_text()).filter(|g| !g.is_empty())
    {
        let store = cx.store()?;
        if let Some(m) = store.mailbox_by_guid(&guid).map_err(store_error)? {
            return Ok(m);
        }
    }
    let text = identity_text(identity);
    let store = cx.store()?;
    let fqdn = store.server().fqdn.clone();
    let mut found = store.resolve_mailboxes(&text, 2).map_err(store_error)?;
    match found.len() {
        0 => Err(ErrorRecord::object_not_found(&text, &fqdn)),
        1 => Ok(found.remove(0)),
        _ => Err(ErrorRecord::object_ambiguous(&text)),
    }
}

/// Every mailbox matching (wildcards allowed), for Get- cmdlets.
pub fn resolve_many(cx: &mut Session, identity: &Value, limit: usize) -> Result<Vec<Mailbox>, ErrorRecord> {
    let text = identity_text(identity);
    if !text.contains('*') {
        return resolve_mailbox(cx, identity).map(|m| vec![m]);
    }
    let store = cx.store()?;
    let fqdn = store.server().fqdn.clone();
    let found = store.resolve_mailboxes(&text, limit).map_err(store_error)?;
    if found.is_empty() {
        return Err(ErrorRecord::object_not_found(&text, &fqdn));
    }
    Ok(found)
}

pub fn store_err(e: crate::store::StoreError) -> ErrorRecord {
    store_error(e)
}

/// A server-based identity (`Server\\Name`: a virtual directory, a receive
/// connector) as Exchange's `ServerBasedIdParameter.ToString()` gives it
/// to -WhatIf and -Confirm: typed without a server, the local server's FQDN
/// goes in front; typed with one, or piped, it is shown as it came.
pub fn server_based_identity(v: &Value, fqdn: &str) -> String {
    let text = identity_text(v);
    if matches!(v, Value::Object(_)) || text.contains('\\') { text } else { format!("{fqdn}\\{text}") }
}

/// The mailbox `identity` names and its canonical name (for the audit log
/// and warnings), once -WhatIf and -Confirm allow the change; `None` when
/// they do not. `text` is the cmdlet's confirmation text: its `{target}`
/// is the identity as typed (or a piped object's Identity), as Exchange's
/// `this.Identity.ToString()` is.
pub fn mailbox_to_change(
    cx: &mut Session,
    args: &crate::runtime::command::Args,
    identity: &Value,
    text: &str,
) -> crate::runtime::errors::Result<Option<(Mailbox, String)>> {
    let found = resolve_mailbox(cx, identity)?;
    let domain = cx.store()?.server().domain.clone();
    let shown = super::common::canonical_name(&domain, &found.name);
    let operation = super::confirm_texts::fill(text, &[("target", &identity_text(identity))]);
    if !cx.should_process_text(args, &operation)? {
        return Ok(None);
    }
    Ok(Some((found, shown)))
}

/// The server `-Server` names, or Exchange's "couldn't be found".
pub fn server_named(cx: &mut Session, args: &Args) -> Result<crate::store::servers::ExchangeServer> {
    let text = args.get("Server").map(identity_text).unwrap_or_default();
    let store = cx.store()?;
    match store.exchange_server(&text).map_err(store_err)? {
        Some(s) => Ok(s),
        None => Err(ErrorRecord::object_not_found(&text, &store.server().fqdn).into()),
    }
}
