//! Non-delivery reports (RFC 3464 delivery status notifications in an
//! RFC 6522 multipart/report), as Exchange 2013 writes them to a sender
//! inside the organization: from the Microsoft Exchange Recipient
//! (`MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@<default accepted
//! domain>`), subject `Undeliverable: <subject>`, a human-readable part
//! ("Delivery has failed to these recipients or groups:", the reason, then
//! "Diagnostic information for administrators:" with the generating server
//! and each recipient's `#550 5.1.1 ... ##`, then "Original message
//! headers:"), the machine-readable message/delivery-status, and the
//! original's header as text/rfc822-headers. A report is queued with a
//! null reverse-path, so a report that cannot be delivered never causes
//! another.

use crate::store::header::{header_block, header_value};
use crate::store::queue::{NewQueued, QueuedRecipient};
use crate::store::transport::Recipient;
use crate::store::{Store, StoreResult};

/// The Microsoft Exchange Recipient's local part (Exchange's sender of
/// system messages to internal senders).
pub const EXCHANGE_RECIPIENT: &str = "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e";
/// Its display name in Exchange 2013's reports (unconfirmed).
const EXCHANGE_RECIPIENT_NAME: &str = "Microsoft Outlook";

/// One recipient the report is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedRecipient {
    pub address: String,
    /// The SMTP reply that failed it, e.g. `550 5.1.1 RESOLVER.ADR.RecipNotFound; not found`.
    pub reply: String,
}

/// What a report is made of.
pub struct Report<'a> {
    /// The server's FQDN (Reporting-MTA, "Generating server").
    pub fqdn: &'a str,
    /// The organization's default accepted domain.
    pub domain: &'a str,
    /// The original's reverse-path (the report's recipient).
    pub sender: &'a str,
    /// The original message as queued.
    pub original: &'a [u8],
    /// When the original was queued (Arrival-Date), Unix seconds.
    pub arrival: i64,
    pub failed: &'a [FailedRecipient],
    /// Now, Unix seconds (Date).
    pub now: i64,
    /// Unique: the report's Message-ID and MIME boundary.
    pub id: &'a str,
}

/// The report's text, ready to queue.
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
    line(&format!("Subject: Undeliverable: {subject}"));
    line(&format!("Message-ID: <{}@{}>", r.id, r.fqdn));
    if let Some(id) = header_value(r.original, "message-id") {
        line(&format!("In-Reply-To: {id}"));
        line(&format!("References: {id}"));
    }
    line("MIME-Version: 1.0");
    line(&format!("Content-Type: multipart/report; report-type=delivery-status; boundary=\"{boundary}\""));
    line("Content-Language: en-US");
    line("Auto-Submitted: auto-replied");
    line("X-MS-Exchange-Message-Is-Ndr:");
    line("");
    line(&format!("--{boundary}"));
    line("Content-Type: text/plain; charset=\"us-ascii\"");
    line("");
    line("Delivery has failed to these recipients or groups:");
    line("");
    for f in r.failed {
        line(&f.address);
        line(explanation(&f.reply));
        line("");
    }
    line("");
    line("Diagnostic information for administrators:");
    line("");
    line(&format!("Generating server: {}", r.fqdn));
    line("");
    for f in r.failed {
        line(&f.address);
        line(&format!("#{} ##", f.reply));
        line("");
    }
    line("Original message headers:");
    line("");
    m.push_str(&headers);
    let mut line = |s: &str| {
        m.push_str(s);
        m.push_str("\r\n");
    };
    line("");
    line(&format!("--{boundary}"));
    line("Content-Type: message/delivery-status");
    line("");
    line(&format!("Reporting-MTA: dns; {}", r.fqdn));
    line(&format!("Arrival-Date: {}", rfc5322_date(r.arrival)));
    for f in r.failed {
        line("");
        line(&format!("Final-Recipient: rfc822; {}", f.address));
        line("Action: failed");
        line(&format!("Status: {}", enhanced_code(&f.reply)));
        line(&format!("Diagnostic-Code: smtp; {}", f.reply));
    }
    line("");
    line(&format!("--{boundary}"));
    line("Content-Type: text/rfc822-headers");
    line("");
    m.push_str(&headers);
    m.push_str(&format!("\r\n--{boundary}--\r\n"));
    m.into_bytes()
}

/// The report to `sender` about `failed`, ready to queue with a null
/// reverse-path, when the sender is a mailbox of the organization (None for
/// a null sender or one outside it: no send connector can carry it yet).
pub fn for_sender(
    store: &Store,
    fqdn: &str,
    sender: &str,
    original: &[u8],
    arrival: i64,
    failed: &[FailedRecipient],
) -> StoreResult<Option<NewQueued>> {
    if sender.is_empty() {
        return Ok(None);
    }
    // A sender of the organization gets the report in its mailbox; one
    // outside it through the send connector that carries its domain.
    let to = match store.resolve_recipient(sender)? {
        Recipient::Mailbox { guid, .. } => {
            QueuedRecipient { address: sender.to_string(), mailbox_guid: guid, connector: 0 }
        }
        Recipient::NotFound => return Ok(None),
        Recipient::Relay | Recipient::NotAccepted => {
            let Some(connector) = store.send_connector_for(sender)? else { return Ok(None) };
            QueuedRecipient { address: sender.to_string(), mailbox_guid: String::new(), connector }
        }
    };
    let domains = store.accepted_domains()?;
    let Some(domain) = domains.iter().find(|d| d.default).or(domains.first()) else { return Ok(None) };
    let id = crate::store::new_guid();
    let now = crate::store::clock::now_unix();
    let raw = build(&Report { fqdn, domain: &domain.domain_name, sender, original, arrival, failed, now, id: &id });
    Ok(Some(NewQueued { guid: id, sender: String::new(), recipients: vec![to], received: now, raw }))
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

fn rfc5322_date(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).unwrap_or_default().format("%a, %-d %b %Y %H:%M:%S %z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_names_each_recipient_in_both_parts_and_quotes_the_original_header_only() {
        let original = b"From: alice@contoso.com\r\nSubject: lunch\r\nMessage-ID: <m1@x>\r\n\r\nsecret body\r\n";
        let failed = [FailedRecipient {
            address: "bob@contoso.com".into(),
            reply: "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found".into(),
        }];
        let raw = build(&Report {
            fqdn: "cas01.contoso.com",
            domain: "contoso.com",
            sender: "alice@contoso.com",
            original,
            arrival: 1_700_000_000,
            failed: &failed,
            now: 1_700_000_060,
            id: "0f0e",
        });
        let text = String::from_utf8(raw).unwrap();
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
}
