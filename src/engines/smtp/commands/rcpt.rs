//! RCPT TO: the address is resolved against every mailbox's addresses.
//! Unknown in an authoritative accepted domain: Exchange's
//! RESOLVER.ADR.RecipientNotFound. A relay domain (InternalRelay,
//! ExternalRelay) is taken from anyone, a domain outside the accepted ones
//! only from an authenticated user (Exchange's Accept-Any-Recipient right
//! of ExchangeUsers) or this store's Frontend Transport, which checked it;
//! either way only when a send connector carries the domain, else it is a
//! relay refused.

use smtp_proto::{RCPT_NOTIFY_DELAY, RCPT_NOTIFY_FAILURE, RCPT_NOTIFY_NEVER, RCPT_NOTIFY_SUCCESS, RcptTo};

use super::super::session::{Accepted, Next, Session};
use super::super::texts;
use crate::engines::net::EngineRole;
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
            if quotas.prohibit_send_receive.is_some() && over_receive_quota(s, &guid, &quotas).await {
                texts::MAILBOX_FULL
            } else {
                // Forwarding is applied where the message is first queued
                // (the Transport), once: a forwarded copy is not forwarded
                // again, nor a copy another Transport relays here.
                let forward = forward.filter(|_| s.shared.role == EngineRole::BackEnd && !s.categorized);
                let keep = forward.as_ref().is_none_or(|f| f.and_deliver);
                let original = to.address.clone();
                // The copy that goes on answers to the sender's NOTIFY when
                // the mailbox keeps none (the sender named the mailbox).
                let dsn_on = if keep { RecipientDsn::default() } else { dsn.clone() };
                // The Transport's categorizer resolves a proxy address to
                // the mailbox's primary one (tracked RESOLVE); two
                // addresses of one mailbox are one recipient.
                let categorizing = s.shared.role == EngineRole::BackEnd;
                let address = if categorizing { primary_smtp } else { to.address.clone() };
                let resolved = !address.eq_ignore_ascii_case(&to.address);
                // The address the sender named stays the report's
                // Original-Recipient when the sender gave no ORCPT (RFC 3461
                // 4.2: the MTA that rewrites a recipient may add it).
                let dsn = match resolved && dsn.orcpt.is_empty() {
                    true => RecipientDsn { orcpt: to.address.clone(), ..dsn },
                    false => dsn,
                };
                if keep && let Some(e) = s.envelope.as_mut() {
                    if resolved {
                        e.resolved.push((to.address.clone(), address.clone()));
                    }
                    // One copy per mailbox, however many of its addresses
                    // were named (a forwarded copy included).
                    if !e.recipients.iter().any(|r| r.address.eq_ignore_ascii_case(&address) || r.mailbox_guid == guid)
                    {
                        e.recipients.push(Accepted { address, mailbox_guid: guid, connector: 0, dsn });
                    }
                }
                if let Some(f) = forward {
                    let mut accepted = forwarded(s, f.to).await;
                    accepted.dsn = dsn_on;
                    if let Some(e) = s.envelope.as_mut() {
                        // ForwardingAddress is Exchange's redirection to
                        // another recipient (tracked REDIRECT).
                        if f.redirect {
                            e.redirects.push((original, accepted.address.clone()));
                        }
                        let same_mailbox =
                            |r: &Accepted| !accepted.mailbox_guid.is_empty() && r.mailbox_guid == accepted.mailbox_guid;
                        if !e
                            .recipients
                            .iter()
                            .any(|r| r.address.eq_ignore_ascii_case(&accepted.address) || same_mailbox(r))
                        {
                            e.recipients.push(accepted);
                        }
                    }
                }
                texts::RECIPIENT_OK
            }
        }
        Ok(Recipient::NotFound) => texts::RECIPIENT_NOT_FOUND,
        Ok(Recipient::Relay) => route_out(s, to.address, dsn).await,
        Ok(Recipient::NotAccepted) if s.handoff || s.user.is_some() => route_out(s, to.address, dsn).await,
        Ok(Recipient::NotAccepted) => texts::UNABLE_TO_RELAY,
        Err(_) => texts::STORE_UNAVAILABLE,
    };
    s.reply(line);
    Next::Continue
}

/// The recipient a forwarding address names: a mailbox, or the send
/// connector that carries its domain. With neither, it is still queued,
/// to fail where an administrator sees it: no mailbox (RecipNotFound, the
/// sender told), or no connector (Unreachable, tried again until one
/// exists or the message expires).
async fn forwarded(s: &Session, target: String) -> Accepted {
    let address = target.clone();
    let resolved = s
        .shared
        .directory
        .with_store(move |st| {
            Ok(match st.resolve_recipient(&target)? {
                Recipient::Mailbox { guid, .. } => (guid, 0),
                Recipient::NotFound => (String::new(), 0),
                Recipient::Relay | Recipient::NotAccepted => {
                    (String::new(), st.send_connector_for(&target)?.unwrap_or(UNROUTED))
                }
            })
        })
        .await;
    let (mailbox_guid, connector) = resolved.unwrap_or((String::new(), UNROUTED));
    Accepted { address, mailbox_guid, connector, dsn: RecipientDsn::default() }
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
