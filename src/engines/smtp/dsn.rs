//! Delivery status notifications (RFC 3464 in an RFC 6522
//! multipart/report) as Exchange 2013 writes them to a sender: from the
//! Microsoft Exchange Recipient (`MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@<default accepted
//! domain>`), a human-readable part, the machine-readable
//! message/delivery-status, and the original's header (text/rfc822-headers)
//! or, for a failure the sender asked to have returned whole (RET=FULL),
//! the original itself (message/rfc822).
//!
//! - **Non-delivery reports** (`Undeliverable: <subject>`): "Delivery has
//!   failed to these recipients or groups:", the reason, then "Diagnostic
//!   information for administrators:" with the generating server and each
//!   recipient's `#550 5.1.1 ... ##`, then "Original message headers:".
//!   Sent unless the recipient's NOTIFY leaves failures out (NEVER, or
//!   SUCCESS/DELAY alone).
//! - **Delivery notifications** (`Delivered: <subject>`), for NOTIFY=SUCCESS
//!   when the message is in the recipient's mailbox: "Your message has been
//!   delivered to the following recipients:".
//! - **Relay notifications** (`Relayed: <subject>`), for NOTIFY=SUCCESS when
//!   the message left through a smart host that does not take DSN
//!   requests (one that does is asked to notify, and no notification is
//!   sent from here): "Delivery to these recipients or groups is complete,
//!   but no delivery notification was sent by the destination server:".
//!
//! ENVID and ORCPT come back as Original-Envelope-Id and
//! Original-Recipient. A notification is queued with a null reverse-path,
//! so one that cannot be delivered never causes another.

use crate::store::header::{header_block, header_value};
use crate::store::queue::{MessageDsn, NewQueued, QueuedRecipient, RecipientDsn};
use crate::store::transport::Recipient;
use crate::store::{Store, StoreResult};

/// The Microsoft Exchange Recipient's local part (Exchange's sender of
/// system messages to internal senders).
pub const EXCHANGE_RECIPIENT: &str = "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e";
/// Its display name in Exchange 2013's reports (unconfirmed).
pub(super) const EXCHANGE_RECIPIENT_NAME: &str = "Microsoft Outlook";

/// What happened to the recipients a notification is about (RFC 3464's
/// Action).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Failed,
    Delivered,
    Relayed,
    /// Still waiting after DelayNotificationTimeout.
    Delayed,
}

impl Action {
    fn word(self) -> &'static str {
        match self {
            Action::Failed => "failed",
            Action::Delivered => "delivered",
            Action::Relayed => "relayed",
            Action::Delayed => "delayed",
        }
    }

    fn subject_prefix(self) -> &'static str {
        match self {
            Action::Failed => "Undeliverable",
            Action::Delivered => "Delivered",
            Action::Relayed => "Relayed",
            Action::Delayed => "Delivery delayed",
        }
    }
}

/// One recipient a notification is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub address: String,
    /// The SMTP reply that failed it, e.g. `550 5.1.1
    /// RESOLVER.ADR.RecipNotFound; not found`; empty for a success.
    pub reply: String,
    /// What the sender asked for it (NOTIFY, ORCPT).
    pub dsn: RecipientDsn,
}

impl Reported {
    /// Does the sender want to hear of this recipient's `action`?
    pub fn wanted(&self, action: Action) -> bool {
        match action {
            Action::Failed => self.dsn.wants_failure(),
            Action::Delivered | Action::Relayed => self.dsn.wants_success(),
            Action::Delayed => self.dsn.wants_delay(),
        }
    }
}

/// What a notification is made of.
pub struct Report<'a> {
    pub action: Action,
    /// The server's FQDN (Reporting-MTA, "Generating server").
    pub fqdn: &'a str,
    /// The organization's default accepted domain.
    pub domain: &'a str,
    /// The original's reverse-path (the notification's recipient).
    pub sender: &'a str,
    /// The original message as queued.
    pub original: &'a [u8],
    /// For a delay: until when delivery goes on (Will-Retry-Until), Unix
    /// seconds.
    pub retry_until: Option<i64>,
    /// RET and ENVID of the original.
    pub dsn: &'a MessageDsn,
    /// When the original was queued (Arrival-Date), Unix seconds.
    pub arrival: i64,
    pub recipients: &'a [Reported],
    /// Now, Unix seconds (Date).
    pub now: i64,
    /// Unique: the notification's Message-ID and MIME boundary.
    pub id: &'a str,
}

/// The notification's text, ready to queue.
pub fn build(r: &Report<'_>) -> Vec<u8> {
    let subject = header_value(r.original, "subject").unwrap_or_default();
    let headers = String::from_utf8_lossy(header_block(r.original)).replace("\r\n", "\n").replace('\n', "\r\n");
    let boundary = format!("_000_{}_", r.id.replace('-', ""));
    let mut m = String::with_capacity(2048 + 2 * headers.len());
    let mut line = |s: &str| {
        m.push_str(s);
        m.push_str("\r\n");
    };
    line(&format!("From: {EXCHANGE_RECIPIENT_NAME} <{EXCHANGE_RECIPIENT}@{}>", r.domain));
    line(&format!("To: <{}>", r.sender));
    line(&format!("Date: {}", rfc5322_date(r.now)));
    line(&format!("Subject: {}: {subject}", r.action.subject_prefix()));
    line(&format!("Message-ID: <{}@{}>", r.id, r.fqdn));
    if let Some(id) = header_value(r.original, "message-id") {
        line(&format!("In-Reply-To: {id}"));
        line(&format!("References: {id}"));
    }
    line("MIME-Version: 1.0");
    line(&format!("Content-Type: multipart/report; report-type=delivery-status; boundary=\"{boundary}\""));
    line("Content-Language: en-US");
    line("Auto-Submitted: auto-replied");
    if r.action == Action::Failed {
        line("X-MS-Exchange-Message-Is-Ndr:");
    }
    line("");
    line(&format!("--{boundary}"));
    line("Content-Type: text/plain; charset=\"us-ascii\"");
    line("");
    match r.action {
        Action::Failed => {
            human_failure(r, &mut line);
            m.push_str(&headers);
        }
        Action::Delayed => human_delay(r, &subject, &mut line),
        Action::Delivered | Action::Relayed => human_success(r, &subject, &mut line),
    }
    let mut line = |s: &str| {
        m.push_str(s);
        m.push_str("\r\n");
    };
    line("");
    line(&format!("--{boundary}"));
    line("Content-Type: message/delivery-status");
    line("");
    if !r.dsn.envid.is_empty() {
        line(&format!("Original-Envelope-Id: {}", r.dsn.envid));
    }
    line(&format!("Reporting-MTA: dns; {}", r.fqdn));
    line(&format!("Arrival-Date: {}", rfc5322_date(r.arrival)));
    for f in r.recipients {
        line("");
        if !f.dsn.orcpt.is_empty() {
            line(&format!("Original-Recipient: rfc822; {}", f.dsn.orcpt));
        }
        line(&format!("Final-Recipient: rfc822; {}", f.address));
        line(&format!("Action: {}", r.action.word()));
        match r.action {
            Action::Failed => {
                line(&format!("Status: {}", enhanced_code(&f.reply)));
                line(&format!("Diagnostic-Code: smtp; {}", f.reply));
            }
            Action::Delayed => {
                // A message held or not yet tried has no reply of its own.
                let status = if f.reply.is_empty() { "4.0.0" } else { enhanced_code(&f.reply) };
                line(&format!("Status: {status}"));
                if !f.reply.is_empty() {
                    line(&format!("Diagnostic-Code: smtp; {}", f.reply));
                }
                if let Some(until) = r.retry_until {
                    line(&format!("Will-Retry-Until: {}", rfc5322_date(until)));
                }
            }
            Action::Delivered | Action::Relayed => line("Status: 2.0.0"),
        }
    }
    line("");
    line(&format!("--{boundary}"));
    if r.action == Action::Failed && r.dsn.ret == "FULL" {
        line("Content-Type: message/rfc822");
        line("");
        let mut out = m.into_bytes();
        out.extend_from_slice(r.original);
        if !r.original.ends_with(b"\r\n") {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        return out;
    }
    line("Content-Type: text/rfc822-headers");
    line("");
    m.push_str(&headers);
    m.push_str(&format!("\r\n--{boundary}--\r\n"));
    m.into_bytes()
}

/// The text of a non-delivery report, up to the original's header.
fn human_failure(r: &Report<'_>, line: &mut impl FnMut(&str)) {
    line("Delivery has failed to these recipients or groups:");
    line("");
    for f in r.recipients {
        line(&f.address);
        line(explanation(&f.reply));
        line("");
    }
    line("");
    line("Diagnostic information for administrators:");
    line("");
    line(&format!("Generating server: {}", r.fqdn));
    line("");
    for f in r.recipients {
        line(&f.address);
        line(&format!("#{} ##", f.reply));
        line("");
    }
    line("Original message headers:");
    line("");
}

/// The text of a delay notification (Exchange 2013's words; unconfirmed).
fn human_delay(r: &Report<'_>, subject: &str, line: &mut impl FnMut(&str)) {
    line("Delivery is delayed to these recipients or groups:");
    line("");
    for f in r.recipients {
        line(&f.address);
        line("");
    }
    line(&format!("Subject: {subject}"));
    line("");
    line("This message hasn't been delivered yet. Delivery will continue to be attempted.");
    line("");
    if let Some(until) = r.retry_until {
        line(&format!(
            "The server will keep trying to deliver this message for the next {}. You'll be notified if the \
             message can't be delivered by that time.",
            span_words(until - r.now)
        ));
        line("");
    }
    line("Diagnostic information for administrators:");
    line("");
    line(&format!("Generating server: {}", r.fqdn));
    line("");
    for f in r.recipients.iter().filter(|f| !f.reply.is_empty()) {
        line(&f.address);
        line(&format!("#{} ##", f.reply));
        line("");
    }
}

/// `1 days, 19 hours and 57 minutes`, as Exchange words the time left.
fn span_words(secs: i64) -> String {
    let minutes = secs.max(0) / 60;
    format!("{} days, {} hours and {} minutes", minutes / 1440, minutes / 60 % 24, minutes % 60)
}

/// The text of a delivery or relay notification.
fn human_success(r: &Report<'_>, subject: &str, line: &mut impl FnMut(&str)) {
    line(match r.action {
        Action::Relayed => {
            "Delivery to these recipients or groups is complete, but no delivery notification was sent by the \
             destination server:"
        }
        _ => "Your message has been delivered to the following recipients:",
    });
    line("");
    for f in r.recipients {
        line(&f.address);
        line("");
    }
    line(&format!("Subject: {subject}"));
}

/// The notification to `sender` of `action` for those of `recipients`
/// that asked for it, ready to queue with a null reverse-path. None when
/// none asked, for a null sender, and for one nothing can carry it to: an
/// unknown address of the organization, or a domain no send connector
/// carries.
pub fn for_sender(
    store: &Store,
    fqdn: &str,
    action: Action,
    original: &Original<'_>,
    recipients: &[Reported],
) -> StoreResult<Option<NewQueued>> {
    let sender = original.sender;
    let recipients: Vec<Reported> = recipients.iter().filter(|r| r.wanted(action)).cloned().collect();
    if sender.is_empty() || recipients.is_empty() {
        return Ok(None);
    }
    // A sender of the organization gets the report in its mailbox; one
    // outside it through the send connector that carries its domain.
    let to = match store.resolve_recipient(sender)? {
        Recipient::Mailbox { guid, .. } => {
            QueuedRecipient { address: sender.to_string(), mailbox_guid: guid, ..Default::default() }
        }
        // A group sends nothing itself: no report goes back to one.
        Recipient::NotFound | Recipient::Group(_) => return Ok(None),
        Recipient::Relay | Recipient::NotAccepted => {
            let Some(connector) = store.send_connector_for(sender)? else { return Ok(None) };
            QueuedRecipient { address: sender.to_string(), connector, ..Default::default() }
        }
    };
    let Some(domain) = store.default_domain_name()? else { return Ok(None) };
    let id = crate::store::new_guid();
    let now = crate::store::clock::now_unix();
    let raw = build(&Report {
        action,
        fqdn,
        domain: &domain,
        sender,
        original: original.raw,
        retry_until: original.retry_until,
        dsn: original.dsn,
        arrival: original.arrival,
        recipients: &recipients,
        now,
        id: &id,
    });
    Ok(Some(NewQueued {
        guid: id,
        sender: String::new(),
        recipients: vec![to],
        received: now,
        raw,
        dsn: MessageDsn::default(),
        // A notification about an internationalized message (it quotes its
        // header), or to an internationalized address, travels as SMTPUTF8
        // too.
        smtputf8: original.smtputf8 || !sender.is_ascii(),
    }))
}

/// The message a notification is about.
pub struct Original<'a> {
    /// Its reverse-path.
    pub sender: &'a str,
    pub raw: &'a [u8],
    /// When it was queued.
    pub arrival: i64,
    pub dsn: &'a MessageDsn,
    /// When it expires (a delay notification says so).
    pub retry_until: Option<i64>,
    /// Sent with SMTPUTF8.
    pub smtputf8: bool,
}

/// The human-readable reason, as Exchange words it for the sender.
fn explanation(reply: &str) -> &'static str {
    match enhanced_code(reply) {
        "5.1.1" => {
            "The email address you entered couldn't be found. Please check the recipient's email address and try \
             to resend the message. If the problem continues, please contact your helpdesk."
        }
        // (unconfirmed wording)
        "4.4.7" => "The message couldn't be delivered in time and has expired. Please try to resend it later.",
        _ => "The message couldn't be delivered to this recipient.",
    }
}

/// `5.1.1` of `550 5.1.1 ...`.
fn enhanced_code(reply: &str) -> &str {
    reply.split_whitespace().nth(1).unwrap_or("5.0.0")
}

pub(super) fn rfc5322_date(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).unwrap_or_default().format("%a, %-d %b %Y %H:%M:%S %z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &[u8] = b"From: alice@contoso.com\r\nSubject: lunch\r\nMessage-ID: <m1@x>\r\n\r\nsecret body\r\n";

    fn report(action: Action, dsn: &MessageDsn, recipients: &[Reported]) -> String {
        let raw = build(&Report {
            action,
            fqdn: "cas01.contoso.com",
            domain: "contoso.com",
            sender: "alice@contoso.com",
            original: ORIGINAL,
            retry_until: Some(1_700_000_000 + 2 * 86_400),
            dsn,
            arrival: 1_700_000_000,
            recipients,
            now: 1_700_000_060,
            id: "0f0e",
        });
        String::from_utf8(raw).unwrap()
    }

    fn bob(reply: &str, dsn: RecipientDsn) -> Reported {
        Reported { address: "bob@contoso.com".into(), reply: reply.into(), dsn }
    }

    #[test]
    fn a_report_names_each_recipient_in_both_parts_and_quotes_the_original_header_only() {
        let failed = [bob("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", RecipientDsn::default())];
        let text = report(Action::Failed, &MessageDsn::default(), &failed);
        assert!(text.starts_with(
            "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.com>\r\n\
             To: <alice@contoso.com>\r\nDate: Tue, 14 Nov 2023 22:14:20 +0000\r\nSubject: Undeliverable: lunch\r\n"
        ));
        assert!(text.contains("\r\n\r\nReporting-MTA: dns; cas01.contoso.com\r\nArrival-Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n\r\nFinal-Recipient: rfc822; bob@contoso.com\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found\r\n"));
        assert!(text.contains("bob@contoso.com\r\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\r\n"));
        assert!(!text.contains("secret body"), "the original's body is not returned");
        assert_eq!(text.matches("Subject: lunch").count(), 2, "its header is quoted twice");
        assert!(text.ends_with("--_000_0f0e_--\r\n"));
    }

    #[test]
    fn ret_full_returns_the_original_whole_and_envid_and_orcpt_come_back() {
        let dsn = MessageDsn { ret: "FULL".into(), envid: "QQ314159".into() };
        let orcpt = RecipientDsn { notify: 0, orcpt: "Bob@Contoso.com".into() };
        let text = report(Action::Failed, &dsn, &[bob("550 4.4.7 QUEUE.Expired; message expired", orcpt)]);
        assert!(text.contains("Content-Type: message/delivery-status\r\n\r\nOriginal-Envelope-Id: QQ314159\r\nReporting-MTA: dns; cas01.contoso.com\r\n"));
        assert!(text.contains("\r\n\r\nOriginal-Recipient: rfc822; Bob@Contoso.com\r\nFinal-Recipient: rfc822; bob@contoso.com\r\nAction: failed\r\nStatus: 4.4.7\r\n"));
        assert!(text.ends_with("--_000_0f0e_\r\nContent-Type: message/rfc822\r\n\r\nFrom: alice@contoso.com\r\nSubject: lunch\r\nMessage-ID: <m1@x>\r\n\r\nsecret body\r\n\r\n--_000_0f0e_--\r\n"));
        assert!(!text.contains("text/rfc822-headers"));
    }

    #[test]
    fn a_delivery_notification_says_delivered_and_returns_the_header_only_even_with_ret_full() {
        let dsn = MessageDsn { ret: "FULL".into(), envid: String::new() };
        let text = report(Action::Delivered, &dsn, &[bob("", RecipientDsn { notify: 1, orcpt: String::new() })]);
        assert!(text.contains("Subject: Delivered: lunch\r\n"));
        assert!(text.contains("Content-Type: text/plain; charset=\"us-ascii\"\r\n\r\nYour message has been delivered to the following recipients:\r\n\r\nbob@contoso.com\r\n\r\nSubject: lunch\r\n\r\n--_000_0f0e_\r\n"));
        assert!(
            text.contains("Final-Recipient: rfc822; bob@contoso.com\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n")
        );
        assert!(!text.contains("X-MS-Exchange-Message-Is-Ndr"));
        assert!(!text.contains("secret body"));
        assert!(text.contains("Content-Type: text/rfc822-headers"));
    }

    #[test]
    fn a_delay_notification_says_what_was_tried_and_until_when() {
        let dsn = MessageDsn::default();
        let waiting = bob(
            "451 4.4.0 Primary target IP address responded with: \"421 4.2.1 Unable to connect.\"",
            RecipientDsn::default(),
        );
        let text = report(Action::Delayed, &dsn, &[waiting]);
        assert!(text.contains("Subject: Delivery delayed: lunch\r\n"));
        assert!(text.contains("\r\n\r\nDelivery is delayed to these recipients or groups:\r\n\r\nbob@contoso.com\r\n\r\nSubject: lunch\r\n\r\nThis message hasn't been delivered yet. Delivery will continue to be attempted.\r\n\r\nThe server will keep trying to deliver this message for the next 1 days, 23 hours and 59 minutes. You'll be notified if the message can't be delivered by that time.\r\n"));
        assert!(text.contains("Final-Recipient: rfc822; bob@contoso.com\r\nAction: delayed\r\nStatus: 4.4.0\r\nDiagnostic-Code: smtp; 451 4.4.0 Primary target IP address responded with: \"421 4.2.1 Unable to connect.\"\r\nWill-Retry-Until: Thu, 16 Nov 2023 22:13:20 +0000\r\n"));
        assert!(!text.contains("X-MS-Exchange-Message-Is-Ndr"));
        // Held, never tried: no reply of its own.
        let held = report(Action::Delayed, &dsn, &[bob("", RecipientDsn::default())]);
        assert!(held.contains("Action: delayed\r\nStatus: 4.0.0\r\nWill-Retry-Until:"));
    }

    #[test]
    fn notify_decides_which_recipients_a_notification_is_about() {
        let with = |notify| bob("550 5.1.1 x", RecipientDsn { notify, orcpt: String::new() });
        use crate::store::queue::{NOTIFY_DELAY, NOTIFY_FAILURE, NOTIFY_NEVER, NOTIFY_SUCCESS};
        assert!(with(0).wanted(Action::Failed), "without NOTIFY a failure is reported");
        assert!(!with(0).wanted(Action::Delivered), "without NOTIFY a delivery is not");
        assert!(!with(NOTIFY_NEVER).wanted(Action::Failed));
        assert!(!with(NOTIFY_SUCCESS | NOTIFY_DELAY).wanted(Action::Failed));
        assert!(with(NOTIFY_SUCCESS | NOTIFY_FAILURE).wanted(Action::Failed));
        assert!(with(NOTIFY_SUCCESS).wanted(Action::Relayed));
        assert!(with(0).wanted(Action::Delayed), "without NOTIFY a delay is reported");
        assert!(with(NOTIFY_DELAY).wanted(Action::Delayed));
        assert!(!with(NOTIFY_FAILURE).wanted(Action::Delayed));
        assert!(!with(NOTIFY_NEVER).wanted(Action::Delayed));
    }
}
