//! DATA: `354`, the message text (read by the session), then the answer
//! that matters: on the Transport service `250` only once the message is
//! committed to the queue; on the Frontend Transport the Transport's own
//! answer to the hand-off.

use super::super::session::{DataOutcome, Envelope, Next, Session};
use super::super::{handoff, texts, track};
use crate::engines::net::EngineRole;
use crate::engines::net::protolog::Event;
use crate::store::header::header_value;
use crate::store::queue::{NewQueued, QueuedRecipient};
use crate::store::tracking::TrackingEvent;

pub fn start(s: &mut Session) -> Next {
    match &s.envelope {
        None => s.reply(texts::NEED_MAIL),
        Some(e) if !e.accepted_any() => s.reply(texts::NEED_RCPT),
        // DATA after BDAT in one transaction (RFC 3030).
        Some(e) if e.chunks.is_some() => s.reply(texts::BAD_SEQUENCE),
        Some(_) => {
            s.reply(texts::START_DATA);
            return Next::Data;
        }
    }
    Next::Continue
}

pub async fn finish(s: &mut Session, outcome: DataOutcome) {
    let Some(envelope) = s.envelope.take() else { return };
    let body = match outcome {
        DataOutcome::TooBig => {
            s.reply(texts::TOO_BIG);
            return;
        }
        DataOutcome::Message(body) => body,
    };
    // The text itself is never logged; its size is.
    s.log.note(Event::Info, &format!("{} bytes of message data received", body.len()));
    if over_organization_limit(s, body.len() as u64) {
        s.reply(texts::OVER_ORGANIZATION_LIMIT);
        return;
    }
    if hops(&body) >= MAX_HOPS {
        s.reply(texts::HOP_COUNT_EXCEEDED);
        return;
    }
    let (message, message_id) = stamped(s, body);
    let line = match s.shared.role {
        EngineRole::BackEnd => enqueue(s, &envelope, message, &message_id).await,
        EngineRole::FrontEnd => match &s.shared.handoff {
            Some(to) => {
                let shared = &s.shared;
                handoff::submit(to, &shared.directory, &shared.mail, &s.connector.fqdn, &envelope, &message).await
            }
            None => texts::TRY_LATER.to_string(),
        },
    };
    s.reply(&line);
}

/// How many Received fields a message may carry when it comes in: one more
/// server would pass RFC 5321's least limit (100, section 6.3), so a loop
/// between servers ends here.
const MAX_HOPS: usize = 100;

/// The Received fields of a message's header.
fn hops(message: &[u8]) -> usize {
    let mut count = 0;
    for line in message.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.len() >= 9 && line[..9].eq_ignore_ascii_case(b"received:") {
            count += 1;
        }
    }
    count
}

/// Set-TransportConfig's limits: MaxReceiveSize for every message, and
/// MaxSendSize too for one a user submits.
fn over_organization_limit(s: &Session, size: u64) -> bool {
    let over = |limit: Option<u64>| limit.is_some_and(|l| size > l);
    over(s.shared.max_receive_size) || (s.user.is_some() && over(s.shared.max_send_size))
}

/// A recipient as the sender named it (before the categorizer resolved it
/// to its primary address).
fn named(envelope: &Envelope, address: &str) -> String {
    let given = envelope.resolved.iter().find(|(_, primary)| primary.eq_ignore_ascii_case(address));
    given.map(|(named, _)| named.clone()).unwrap_or_else(|| address.to_string())
}

/// The recipients as the sender named them (RECEIVE): a group's members
/// are the group's address, EXPAND names them.
fn as_named(envelope: &Envelope) -> Vec<String> {
    let members: Vec<&String> = envelope.expanded.iter().flat_map(|g| &g.members).collect();
    let reached = |a: &str| members.iter().any(|m| m.eq_ignore_ascii_case(a));
    let mut out: Vec<String> =
        envelope.recipients.iter().filter(|r| !reached(&r.address)).map(|r| named(envelope, &r.address)).collect();
    // The groups named, not the nested ones another group reached.
    out.extend(envelope.expanded.iter().filter(|g| !reached(&g.group)).map(|g| named(envelope, &g.group)));
    out
}

async fn enqueue(s: &Session, envelope: &Envelope, message: Vec<u8>, message_id: &str) -> String {
    let Some(queue) = s.shared.queue.clone() else { return texts::TRY_LATER.to_string() };
    let recipients: Vec<QueuedRecipient> = envelope
        .recipients
        .iter()
        .map(|r| QueuedRecipient {
            address: r.address.clone(),
            mailbox_guid: r.mailbox_guid.clone(),
            connector: r.connector,
            dsn: r.dsn.clone(),
        })
        .collect();
    let leaves = recipients.iter().any(|r| r.connector != 0);
    let about = track::About { internal_id: 0, sender: &envelope.sender, raw: &message };
    let tracked = track::received(
        &s.shared.server,
        &about,
        s.peer,
        s.helo.as_deref().unwrap_or_default(),
        &s.connector.name,
        // As the sender named them: RESOLVE and EXPAND follow.
        as_named(envelope),
    );
    // Only empty groups: accepted, and nothing to deliver (as Exchange,
    // which delivers no copy and reports nothing).
    if recipients.is_empty() {
        queue.tracking.write(&tracked);
        for g in &envelope.expanded {
            queue.tracking.write(&track::expanded(&tracked, 0, &g.group, &g.members));
        }
        return format!("250 2.6.0 {message_id} [Hostname={}] Queued mail for delivery", s.shared.server.fqdn);
    }
    let queued = NewQueued {
        guid: crate::store::new_guid(),
        sender: envelope.sender.clone(),
        recipients,
        received: crate::store::clock::now_unix(),
        raw: message,
        dsn: envelope.dsn.clone(),
        smtputf8: envelope.smtputf8,
    };
    let db = queue.db.clone();
    let transid = envelope.transid.clone();
    let stored = tokio::task::spawn_blocking(move || {
        let mut db = db.lock().unwrap_or_else(|p| p.into_inner());
        match transid {
            Some(t) => db.enqueue_once(&queued, &t),
            None => db.enqueue(&queued).map(|id| (id, true)),
        }
    })
    .await;
    match stored {
        // Queued by an earlier submission of the same transaction: the same
        // answer, nothing tracked or cued twice.
        Ok(Ok((id, false))) => format!(
            "250 2.6.0 {message_id} [InternalId={id}, Hostname={}] Queued mail for delivery",
            s.shared.server.fqdn
        ),
        Ok(Ok((id, true))) => {
            queue.tracking.write(&TrackingEvent { internal_message_id: id, ..tracked.clone() });
            for (from, to) in &envelope.resolved {
                queue.tracking.write(&track::resolved(&tracked, id, from, to));
            }
            for g in &envelope.expanded {
                queue.tracking.write(&track::expanded(&tracked, id, &g.group, &g.members));
            }
            for (from, to) in &envelope.redirects {
                queue.tracking.write(&track::redirected(&tracked, id, from, to));
            }
            if let Some(cue) = &queue.cue {
                cue.ring();
            }
            if leaves {
                queue.send.notify_one();
            }
            format!(
                "250 2.6.0 {message_id} [InternalId={id}, Hostname={}] Queued mail for delivery",
                s.shared.server.fqdn
            )
        }
        _ => texts::STORE_UNAVAILABLE.to_string(),
    }
}

/// The message as stored: a Received field on top (and a Message-ID when
/// the client gave none, as Exchange adds one); and the Message-ID.
fn stamped(s: &Session, body: Vec<u8>) -> (Vec<u8>, String) {
    let now = chrono::Utc::now().format("%a, %-d %b %Y %H:%M:%S %z");
    let helo = s.helo.clone().unwrap_or_default();
    let mut out = Vec::with_capacity(body.len() + 256);
    out.extend_from_slice(
        format!(
            "Received: from {helo} ({ip}) by {fqdn} ({fqdn}) with Microsoft SMTP Server{tls}; {now}\r\n",
            ip = s.peer.ip(),
            fqdn = s.connector.fqdn,
            tls = if s.is_tls() { " (TLS)" } else { "" },
        )
        .as_bytes(),
    );
    let id = match header_value(&body, "message-id") {
        Some(id) => id,
        None => {
            let id = format!("<{}@{}>", crate::store::new_guid(), s.connector.fqdn);
            out.extend_from_slice(format!("Message-ID: {id}\r\n").as_bytes());
            id
        }
    };
    out.extend_from_slice(&body);
    (out, id)
}

#[cfg(test)]
mod tests {
    use super::hops;

    #[test]
    fn only_the_headers_received_fields_are_hops() {
        let message = b"Received: from a\r\n by b\r\nRECEIVED: from c\r\nSubject: x\r\n\r\nReceived: in the body\r\n";
        assert_eq!(hops(message), 2);
        assert_eq!(hops(b"Subject: none\r\n\r\n"), 0);
    }
}
