//! MAIL FROM: starts a transaction. The declared SIZE is checked against
//! the connector's MaxMessageSize; an authenticated sender must be one of
//! the user's own addresses (Exchange's SendAs rule).

use smtp_proto::MailFrom;

use super::super::session::{Envelope, Next, Session};
use super::super::texts;
use crate::store::storage_limit_status;

pub async fn run(s: &mut Session, from: MailFrom<String>) -> Next {
    if s.helo.is_none() {
        s.reply(texts::SEND_HELLO_FIRST);
        return Next::Continue;
    }
    if s.envelope.is_some() {
        s.reply(texts::SENDER_ALREADY);
        return Next::Continue;
    }
    if s.user.is_none() && !s.anonymous_allowed() {
        s.reply(texts::NOT_AUTHENTICATED);
        return Next::Continue;
    }
    if from.size as u64 > s.connector.max_message_size {
        s.reply(texts::TOO_BIG);
        return Next::Continue;
    }
    if let Some(user) = &s.user
        && !owns_address(user, &from.address)
    {
        s.reply(texts::SEND_AS_DENIED);
        return Next::Continue;
    }
    if let Some(user) = &s.user
        && user.quotas.prohibit_send.is_some()
        && over_send_quota(s, user).await
    {
        s.reply(texts::SENDER_OVER_QUOTA);
        return Next::Continue;
    }
    // The Frontend Transport's hand-off of a client's submission (it logged
    // on at Client Frontend): served under the connector Exchange proxies
    // submissions to (Client Proxy), as Get-MessageTrackingLog shows.
    if s.handoff
        && from.auth.as_deref().is_some_and(|a| a != "<>")
        && let Some(c) = s.shared.submission_connector.clone()
    {
        s.connector = c;
    }
    let submitter = s.user.as_ref().map(|u| u.primary_smtp.clone());
    s.envelope =
        Some(Envelope { sender: from.address, recipients: Vec::new(), submitter, chunks: None, chunks_too_big: false });
    s.reply(texts::SENDER_OK);
    Next::Continue
}

/// ProhibitSendQuota reached: the user may not send (receiving goes on
/// until ProhibitSendReceiveQuota).
async fn over_send_quota(s: &Session, user: &crate::store::Mailbox) -> bool {
    let guid = user.guid.clone();
    let quotas = user.quotas;
    let used = s.shared.mail.run(move |db| db.mailbox_usage(&guid)).await;
    used.is_ok_and(|u| matches!(storage_limit_status(&quotas, u.bytes), "ProhibitSend" | "MailboxDisabled"))
}

/// Is `address` the user's primary address or one of its proxy addresses?
fn owns_address(user: &crate::store::Mailbox, address: &str) -> bool {
    let address = address.trim();
    user.primary_smtp.eq_ignore_ascii_case(address)
        || user.email_addresses.iter().any(|a| {
            let bare = a.split_once(':').map(|(_, rest)| rest).unwrap_or(a);
            bare.eq_ignore_ascii_case(address)
        })
}
