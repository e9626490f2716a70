//! RCPT TO: the address is resolved against every mailbox's addresses.
//! Unknown in an authoritative accepted domain: Exchange's
//! RESOLVER.ADR.RecipientNotFound. A relay domain (InternalRelay,
//! ExternalRelay) is taken from anyone, a domain outside the accepted ones
//! only from an authenticated user (Exchange's Accept-Any-Recipient right
//! of ExchangeUsers) or this store's Frontend Transport, which checked it;
//! either way only when a send connector carries the domain, else it is a
//! relay refused. A distribution group's address is expanded to its
//! members' mailboxes by the Transport (`accept_group`).

use smtp_proto::{RCPT_NOTIFY_DELAY, RCPT_NOTIFY_FAILURE, RCPT_NOTIFY_NEVER, RCPT_NOTIFY_SUCCESS, RcptTo};

use super::super::session::{Accepted, Next, Session};
use super::super::texts;
use crate::engines::net::EngineRole;
use crate::store::groups::GroupRecipient;
use crate::store::queue::{NOTIFY_DELAY, NOTIFY_FAILURE, NOTIFY_NEVER, NOTIFY_SUCCESS, RecipientDsn, UNROUTED};
use crate::store::storage_limit_status;
use crate::store::transport::Recipient;

pub async fn run(s: &mut Session, to: RcptTo<String>) -> Next {
    let Some(count) = s.envelope.as_ref().map(|e| e.recipients.len()) else {
        s.reply(texts::NEED_MAIL);
        return Next::Continue;
    };
    if count >= s.connector.max_recipients_per_message as usize {
        s.reply(texts::TOO_MANY_RECIPIENTS);
        return Next::Continue;
    }
    if !to.address.is_ascii() && !s.envelope.as_ref().is_some_and(|e| e.smtputf8) {
        s.reply(texts::NEEDS_SMTPUTF8);
        return Next::Continue;
    }
    let dsn = match dsn_of(&to) {
        Ok(dsn) => dsn,
        Err(name) => {
            s.reply(&texts::unsupported_option(name));
            return Next::Continue;
        }
    };
    // ORCPT comes back in the reports' header-like fields: printable ASCII
    // only, never a line break.
    if !dsn.orcpt.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        s.reply(texts::INVALID_ARGUMENTS);
        return Next::Continue;
    }
    let address = to.address.clone();
    let resolved = s.shared.directory.with_store(move |st| st.resolve_recipient(&address)).await;
    let line = match resolved {
        Ok(Recipient::Mailbox { guid, quotas, forward, primary_smtp }) => {
            let mailbox = Resolved { guid, quotas, forward, primary_smtp };
            accept_mailbox(s, to.address.clone(), dsn, mailbox, true).await
        }
        Ok(Recipient::Group(group)) => accept_group(s, &to.address, dsn, group).await,
        Ok(Recipient::NotFound) => texts::RECIPIENT_NOT_FOUND,
        Ok(Recipient::Relay) => route_out(s, to.address, dsn).await,
        Ok(Recipient::NotAccepted) if s.handoff || s.user.is_some() => route_out(s, to.address, dsn).await,
        Ok(Recipient::NotAccepted) => texts::UNABLE_TO_RELAY,
        Err(_) => texts::STORE_UNAVAILABLE,
    };
    s.reply(line);
    Next::Continue
}

/// A mailbox the categorizer resolved: its GUID, quotas, forwarding and
/// primary address.
struct Resolved {
    guid: String,
    quotas: crate::store::Quotas,
    forward: Option<crate::store::transport::Forwarding>,
    primary_smtp: String,
}

/// A recipient that is a mailbox (named, or a member of a group named):
/// one copy for it and its forwarding. A mailbox named that is full is
/// refused here; a member is not weighed (`named` false): the group's RCPT
/// answers for all of them, and the delivery refuses a full member's copy
/// and reports it to the sender.
async fn accept_mailbox(
    s: &mut Session,
    to: String,
    dsn: RecipientDsn,
    mailbox: Resolved,
    named: bool,
) -> &'static str {
    let Resolved { guid, quotas, forward, primary_smtp } = mailbox;
    if named && quotas.prohibit_send_receive.is_some() && over_receive_quota(s, &guid, &quotas).await {
        return texts::MAILBOX_FULL;
    }
    // Forwarding is applied where the message is first queued
    // (the Transport), once: a forwarded copy is not forwarded
    // again, nor a copy another Transport relays here.
    let forward = forward.filter(|_| s.shared.role == EngineRole::BackEnd && !s.categorized);
    let keep = forward.as_ref().is_none_or(|f| f.and_deliver);
    let original = to.clone();
    // The copy that goes on answers to the sender's NOTIFY when
    // the mailbox keeps none (the sender named the mailbox).
    let dsn_on = if keep { RecipientDsn::default() } else { dsn.clone() };
    // The Transport's categorizer resolves a proxy address to
    // the mailbox's primary one (tracked RESOLVE); two
    // addresses of one mailbox are one recipient.
    let categorizing = s.shared.role == EngineRole::BackEnd;
    let address = if categorizing { primary_smtp } else { to.clone() };
    let resolved = !address.eq_ignore_ascii_case(&to);
    // The address the sender named stays the report's
    // Original-Recipient when the sender gave no ORCPT (RFC 3461
    // 4.2: the MTA that rewrites a recipient may add it).
    let dsn = match resolved && dsn.orcpt.is_empty() {
        true => RecipientDsn { orcpt: to.clone(), ..dsn },
        false => dsn,
    };
    if keep && let Some(e) = s.envelope.as_mut() {
        if resolved {
            e.resolved.push((to.clone(), address.clone()));
        }
        // One copy per mailbox, however many of its addresses
        // were named (a forwarded copy included).
        if !e.recipients.iter().any(|r| r.address.eq_ignore_ascii_case(&address) || r.mailbox_guid == guid) {
            e.recipients.push(Accepted { address, mailbox_guid: guid, connector: 0, dsn });
        }
    }
    if let Some(f) = forward {
        let (accepted, groups) = forwarded(s, f.to).await;
        if let Some(e) = s.envelope.as_mut() {
            e.expanded.extend(groups);
            for mut accepted in accepted {
                accepted.dsn = dsn_on.clone();
                // ForwardingAddress is Exchange's redirection to
                // another recipient (tracked REDIRECT).
                if f.redirect {
                    e.redirects.push((original.clone(), accepted.address.clone()));
                }
                let same_mailbox =
                    |r: &Accepted| !accepted.mailbox_guid.is_empty() && r.mailbox_guid == accepted.mailbox_guid;
                if !e.recipients.iter().any(|r| r.address.eq_ignore_ascii_case(&accepted.address) || same_mailbox(r)) {
                    e.recipients.push(accepted);
                }
            }
        }
    }
    texts::RECIPIENT_OK
}

/// A distribution group named at RCPT. RequireSenderAuthenticationEnabled:
/// only a logged-on sender or the organization's own servers (the Frontend
/// Transport's hand-off, another Transport) may send to it. The Frontend
/// Transport takes the group's address as it is; the Transport's
/// categorizer expands it to its members' mailboxes (nested groups too,
/// each mailbox once), each then a recipient as if named (its forwarding,
/// its database), and tracks EXPAND. A member that is full is refused at
/// delivery, and reported to the sender.
async fn accept_group(s: &mut Session, to: &str, dsn: RecipientDsn, group: GroupRecipient) -> &'static str {
    if group.require_sender_auth && s.user.is_none() && !s.handoff {
        return texts::GROUP_AUTH_REQUIRED;
    }
    if s.shared.role != EngineRole::BackEnd || s.categorized {
        if let Some(e) = s.envelope.as_mut()
            && !e.recipients.iter().any(|r| r.address.eq_ignore_ascii_case(to))
        {
            e.recipients.push(Accepted { address: to.to_string(), mailbox_guid: String::new(), connector: 0, dsn });
        }
        return texts::RECIPIENT_OK;
    }
    // Named twice in one message: expanded once.
    if s.envelope.as_ref().is_some_and(|e| e.expanded.iter().any(|g| g.group.eq_ignore_ascii_case(&group.primary_smtp)))
    {
        return texts::RECIPIENT_OK;
    }
    let id = group.id;
    let Ok((members, groups)) = s.shared.directory.with_store(move |st| members_of(st, id)).await else {
        return texts::STORE_UNAVAILABLE;
    };
    // The members answer to the sender's NOTIFY; their reports name the
    // group as the recipient the sender gave.
    let orcpt = if dsn.orcpt.is_empty() { to.to_string() } else { dsn.orcpt.clone() };
    for member in members {
        let member_dsn = RecipientDsn { orcpt: orcpt.clone(), ..dsn.clone() };
        let address = member.primary_smtp.clone();
        accept_mailbox(s, address, member_dsn, member, false).await;
    }
    if let Some(e) = s.envelope.as_mut() {
        // Named by a proxy address: resolved to the primary (RESOLVE), as
        // a mailbox's.
        if !to.eq_ignore_ascii_case(&group.primary_smtp) {
            e.resolved.push((to.to_string(), group.primary_smtp.clone()));
        }
        e.expanded.extend(groups);
    }
    texts::RECIPIENT_OK
}

/// A group's mailboxes as the categorizer expands it (nested groups, each
/// mailbox once), each resolved, in one trip to the directory; and the
/// groups expanded (EXPAND).
fn members_of(
    st: &crate::store::Store,
    group: i64,
) -> Result<(Vec<Resolved>, Vec<crate::store::groups::Expanded>), crate::store::StoreError> {
    let expansion = st.expand_group(group)?;
    let mut members = Vec::new();
    for member in expansion.mailboxes {
        if let Recipient::Mailbox { guid, quotas, forward, primary_smtp } = st.resolve_recipient(&member)? {
            members.push(Resolved { guid, quotas, forward, primary_smtp });
        }
    }
    Ok((members, expansion.groups))
}

/// The recipients a forwarding address names: a mailbox, a distribution
/// group's members' mailboxes (the groups expanded, for EXPAND), or the
/// send connector that carries its domain. With none, it is still queued,
/// to fail where an administrator sees it: no mailbox (RecipNotFound, the
/// sender told), or no connector (Unreachable, tried again until one
/// exists or the message expires).
async fn forwarded(s: &Session, target: String) -> (Vec<Accepted>, Vec<crate::store::groups::Expanded>) {
    let address = target.clone();
    let resolved = s
        .shared
        .directory
        .with_store(move |st| {
            Ok(match st.resolve_recipient(&target)? {
                Recipient::Mailbox { guid, .. } => (vec![(target, guid, 0)], Vec::new()),
                Recipient::Group(group) => {
                    let (members, groups) = members_of(st, group.id)?;
                    (members.into_iter().map(|m| (m.primary_smtp, m.guid, 0)).collect(), groups)
                }
                Recipient::NotFound => (vec![(target, String::new(), 0)], Vec::new()),
                Recipient::Relay | Recipient::NotAccepted => {
                    let connector = st.send_connector_for(&target)?.unwrap_or(UNROUTED);
                    (vec![(target, String::new(), connector)], Vec::new())
                }
            })
        })
        .await;
    let (to, groups) = resolved.unwrap_or_else(|_| (vec![(address, String::new(), UNROUTED)], Vec::new()));
    let accepted = to
        .into_iter()
        .map(|(address, mailbox_guid, connector)| Accepted {
            address,
            mailbox_guid,
            connector,
            dsn: RecipientDsn::default(),
        })
        .collect();
    (accepted, groups)
}

/// NOTIFY and ORCPT (DSN, RFC 3461); the name of a parameter of an
/// extension not offered (CONNEG, RRVS).
fn dsn_of(to: &RcptTo<String>) -> Result<RecipientDsn, &'static str> {
    let notify_bits = RCPT_NOTIFY_SUCCESS | RCPT_NOTIFY_FAILURE | RCPT_NOTIFY_DELAY | RCPT_NOTIFY_NEVER;
    if to.flags & !notify_bits != 0 {
        return Err(if to.rrvs != 0 { "RRVS" } else { "CONNEG" });
    }
    if to.rrvs != 0 {
        return Err("RRVS");
    }
    let notify = [
        (RCPT_NOTIFY_SUCCESS, NOTIFY_SUCCESS),
        (RCPT_NOTIFY_FAILURE, NOTIFY_FAILURE),
        (RCPT_NOTIFY_DELAY, NOTIFY_DELAY),
        (RCPT_NOTIFY_NEVER, NOTIFY_NEVER),
    ]
    .into_iter()
    .filter(|(flag, _)| to.flags & flag != 0)
    .fold(0, |bits, (_, bit)| bits | bit);
    Ok(RecipientDsn { notify, orcpt: to.orcpt.clone().unwrap_or_default() })
}

/// A recipient outside the organization: accepted when a send connector
/// carries its domain, queued for that connector.
async fn route_out(s: &mut Session, address: String, dsn: RecipientDsn) -> &'static str {
    let wanted = address.clone();
    let routed = s.shared.directory.with_store(move |st| st.send_connector_for(&wanted)).await;
    match routed {
        Ok(Some(connector)) => {
            if let Some(e) = s.envelope.as_mut() {
                e.recipients.push(Accepted { address, mailbox_guid: String::new(), connector, dsn });
            }
            texts::RECIPIENT_OK
        }
        Ok(None) => texts::UNABLE_TO_RELAY,
        Err(_) => texts::STORE_UNAVAILABLE,
    }
}

/// ProhibitSendReceiveQuota reached: Exchange refuses delivery.
async fn over_receive_quota(s: &Session, guid: &str, quotas: &crate::store::Quotas) -> bool {
    let used = s.shared.mail.usage(&s.shared.directory.store_handle(), guid).await;
    used.is_some_and(|u| storage_limit_status(quotas, u.bytes) == "MailboxDisabled")
}
