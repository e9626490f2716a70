//! RCPT TO: the address is resolved against every mailbox's addresses.
//! Unknown in an authoritative accepted domain: Exchange's
//! RESOLVER.ADR.RecipientNotFound. A relay domain (InternalRelay,
//! ExternalRelay) is taken from anyone, a domain outside the accepted ones
//! only from an authenticated user (Exchange's Accept-Any-Recipient right
//! of ExchangeUsers) or this store's Frontend Transport, which checked it;
//! either way only when a send connector carries the domain, else it is a
//! relay refused.

use smtp_proto::RcptTo;

use super::super::session::{Accepted, Next, Session};
use super::super::texts;
use crate::store::send_connectors::route;
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
    let address = to.address.clone();
    let resolved = s.shared.directory.with_store(move |st| st.resolve_recipient(&address)).await;
    let line = match resolved {
        Ok(Recipient::Mailbox { guid, quotas, .. }) => {
            if quotas.prohibit_send_receive.is_some() && over_receive_quota(s, &guid, &quotas).await {
                texts::MAILBOX_FULL
            } else {
                if let Some(e) = s.envelope.as_mut() {
                    e.recipients.push(Accepted { address: to.address, mailbox_guid: guid, connector: 0 });
                }
                texts::RECIPIENT_OK
            }
        }
        Ok(Recipient::NotFound) => texts::RECIPIENT_NOT_FOUND,
        Ok(Recipient::Relay) => route_out(s, to.address).await,
        Ok(Recipient::NotAccepted) if s.handoff || s.user.is_some() => route_out(s, to.address).await,
        Ok(Recipient::NotAccepted) => texts::UNABLE_TO_RELAY,
        Err(_) => texts::STORE_UNAVAILABLE,
    };
    s.reply(line);
    Next::Continue
}

/// A recipient outside the organization: accepted when a send connector
/// carries its domain, queued for that connector.
async fn route_out(s: &mut Session, address: String) -> &'static str {
    let domain = address.rsplit_once('@').map(|(_, d)| d.to_string()).unwrap_or_default();
    let routed = s
        .shared
        .directory
        .with_store(move |st| st.send_connectors().map(|all| route(&all, &domain).map(|c| c.id)))
        .await;
    match routed {
        Ok(Some(connector)) => {
            if let Some(e) = s.envelope.as_mut() {
                e.recipients.push(Accepted { address, mailbox_guid: String::new(), connector });
            }
            texts::RECIPIENT_OK
        }
        Ok(None) => texts::UNABLE_TO_RELAY,
        Err(_) => texts::STORE_UNAVAILABLE,
    }
}

/// ProhibitSendReceiveQuota reached: Exchange refuses delivery.
async fn over_receive_quota(s: &Session, guid: &str, quotas: &crate::store::Quotas) -> bool {
    let guid = guid.to_string();
    let used = s.shared.mail.run(move |db| db.mailbox_usage(&guid)).await;
    used.is_ok_and(|u| storage_limit_status(quotas, u.bytes) == "MailboxDisabled")
}
