//! MAIL FROM: starts a transaction. The declared SIZE is checked against
//! the connector's MaxMessageSize; an authenticated sender must be one of
//! the user's own addresses (Exchange's SendAs rule). RET and ENVID (DSN,
//! RFC 3461) are kept for the reports, SMTPUTF8 (RFC 6531) with the
//! message; a non-ASCII address needs SMTPUTF8; a parameter of an
//! extension not offered is refused by name.

use smtp_proto::{
    MAIL_BODY_7BIT, MAIL_BODY_8BITMIME, MAIL_BODY_BINARYMIME, MAIL_BY_NOTIFY, MAIL_BY_RETURN, MAIL_BY_TRACE,
    MAIL_CONPERM, MAIL_REQUIRETLS, MAIL_RET_FULL, MAIL_RET_HDRS, MAIL_SMTPUTF8, MailFrom,
};

use super::super::session::{Envelope, Next, Session};
use super::super::texts;
use crate::store::queue::MessageDsn;
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
    if let Some(name) = unsupported(&from, s.handoff) {
        s.reply(&texts::unsupported_option(name));
        return Next::Continue;
    }
    if !from.address.is_ascii() && from.flags & MAIL_SMTPUTF8 == 0 {
        s.reply(texts::NEEDS_SMTPUTF8);
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
    // submissions to (Client Proxy), as Get-MessageTrackingLog shows. A
    // hand-off connection carries many messages, each under its own.
    if s.handoff {
        let submitted = from.auth.as_deref().is_some_and(|a| a != "<>");
        let connector =
            if submitted { s.shared.submission_connector.clone() } else { s.shared.handoff_connector.clone() };
        if let Some(c) = connector {
            s.connector = c;
        }
    }
    let submitter = s.user.as_ref().map(|u| u.primary_smtp.clone());
    let ret = match from.flags & (MAIL_RET_FULL | MAIL_RET_HDRS) {
        MAIL_RET_FULL => "FULL",
        MAIL_RET_HDRS => "HDRS",
        _ => "",
    };
    let envid = from.env_id.unwrap_or_default();
    // ENVID comes back in the reports' header-like fields: printable ASCII
    // only (RFC 3461), never a line break.
    if !envid.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        s.reply(texts::INVALID_ARGUMENTS);
        return Next::Continue;
    }
    let dsn = MessageDsn { ret: ret.into(), envid };
    s.envelope = Some(Envelope {
        sender: from.address,
        recipients: Vec::new(),
        submitter,
        dsn,
        redirects: Vec::new(),
        resolved: Vec::new(),
        expanded: Vec::new(),
        smtputf8: from.flags & MAIL_SMTPUTF8 != 0,
        chunks: None,
        chunks_too_big: false,
        transid: from.trans_id.filter(|_| s.handoff),
    });
    s.reply(texts::SENDER_OK);
    Next::Continue
}

/// The first parameter MAIL FROM carries that no extension this server
/// offers defines (EHLO lists SIZE, 8BITMIME, DSN, SMTPUTF8, AUTH and no others
/// that take MAIL parameters). A hand-off may also carry TRANSID: the
/// services of this organization name a transaction they may submit again.
fn unsupported(from: &MailFrom<String>, handoff: bool) -> Option<&'static str> {
    let offered = MAIL_BODY_7BIT | MAIL_BODY_8BITMIME | MAIL_RET_FULL | MAIL_RET_HDRS | MAIL_SMTPUTF8;
    let flags = from.flags & !offered;
    [
        (MAIL_BODY_BINARYMIME, "BODY=BINARYMIME"),
        (MAIL_REQUIRETLS, "REQUIRETLS"),
        (MAIL_CONPERM, "CONPERM"),
        (MAIL_BY_NOTIFY | MAIL_BY_RETURN | MAIL_BY_TRACE, "BY"),
    ]
    .into_iter()
    .find(|(bits, _)| flags & bits != 0)
    .map(|(_, name)| name)
    .or(from.trans_id.as_ref().filter(|_| !handoff).map(|_| "TRANSID"))
    .or(from.solicit.as_ref().map(|_| "SOLICIT"))
    .or(from.mtrk.as_ref().map(|_| "MTRK"))
    .or((from.by != 0).then_some("BY"))
    .or((from.hold_for != 0).then_some("HOLDFOR"))
    .or((from.hold_until != 0).then_some("HOLDUNTIL"))
    .or((from.mt_priority != 0).then_some("MT-PRIORITY"))
}

/// ProhibitSendQuota reached: the user may not send (receiving goes on
/// until ProhibitSendReceiveQuota).
async fn over_send_quota(s: &Session, user: &crate::store::Mailbox) -> bool {
    let used = s.shared.mail.usage(&s.shared.directory.store_handle(), &user.guid).await;
    used.is_some_and(|u| matches!(storage_limit_status(&user.quotas, u.bytes), "ProhibitSend" | "MailboxDisabled"))
}

/// Is `address` the user's primary address or one of its proxy addresses?
pub(in crate::engines::smtp) fn owns_address(user: &crate::store::Mailbox, address: &str) -> bool {
    let address = address.trim();
    user.primary_smtp.eq_ignore_ascii_case(address)
        || user.email_addresses.iter().any(|a| {
            let bare = a.split_once(':').map(|(_, rest)| rest).unwrap_or(a);
            bare.eq_ignore_ascii_case(address)
        })
}
