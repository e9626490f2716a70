//! The Transport service's message tracking events (Get-MessageTrackingLog):
//! RECEIVE when a message is committed to the queue, RESOLVE for each
//! recipient named by an address other than its mailbox's primary one,
//! EXPAND for each distribution group expanded, REDIRECT for each
//! recipient a mailbox's ForwardingAddress sends on, DELIVER when copies
//! are stored in mailboxes, SEND when a smart host took it, FAIL when
//! recipients failed for good, DSN when a report was queued. Each event is
//! made here and written by the one Transport process (`store::tracking`)
//! once the queue committed what it reports.

use crate::store::ServerInfo;
use crate::store::header::header_value;
use crate::store::tracking::TrackingEvent;

/// What every event of one message says about it.
pub struct About<'a> {
    pub internal_id: i64,
    pub sender: &'a str,
    pub raw: &'a [u8],
}

fn event(server: &ServerInfo, about: &About<'_>, source: &str, event_id: &str) -> TrackingEvent {
    TrackingEvent {
        timestamp: crate::store::clock::now_unix(),
        server_hostname: server.name.clone(),
        source: source.to_string(),
        event_id: event_id.to_string(),
        internal_message_id: about.internal_id,
        message_id: header_value(about.raw, "message-id").unwrap_or_default(),
        total_bytes: about.raw.len() as u64,
        subject: header_value(about.raw, "subject").unwrap_or_default(),
        sender: about.sender.to_string(),
        return_path: about.sender.to_string(),
        ..TrackingEvent::default()
    }
}

/// RECEIVE, from `client` through `connector`: made before the message is
/// committed (its text moves on), written once it is, with its InternalId.
pub fn received(
    server: &ServerInfo,
    about: &About<'_>,
    client: std::net::SocketAddr,
    client_hostname: &str,
    connector: &str,
    recipients: Vec<String>,
) -> TrackingEvent {
    TrackingEvent {
        client_ip: client.ip().to_string(),
        client_hostname: client_hostname.to_string(),
        connector_id: format!("{}\\{}", server.name, connector),
        recipients,
        ..event(server, about, "SMTP", "RECEIVE")
    }
}

/// REDIRECT: mail to `from` goes to `to` instead (or also), by its
/// mailbox's ForwardingAddress; made from the message's RECEIVE.
pub fn redirected(received: &TrackingEvent, internal_id: i64, from: &str, to: &str) -> TrackingEvent {
    TrackingEvent {
        source: "ROUTING".into(),
        event_id: "REDIRECT".into(),
        internal_message_id: internal_id,
        recipients: vec![to.to_string()],
        related_recipient_address: from.to_string(),
        client_ip: String::new(),
        client_hostname: String::new(),
        connector_id: String::new(),
        ..received.clone()
    }
}

/// RESOLVE: the recipient named `from` is the mailbox whose primary
/// address is `to` (the categorizer's resolution); made from the RECEIVE.
pub fn resolved(received: &TrackingEvent, internal_id: i64, from: &str, to: &str) -> TrackingEvent {
    TrackingEvent { event_id: "RESOLVE".into(), ..redirected(received, internal_id, from, to) }
}

/// EXPAND: the categorizer expanded the distribution group `group` to
/// `members` (its mailboxes and nested groups); made from the RECEIVE.
pub fn expanded(received: &TrackingEvent, internal_id: i64, group: &str, members: &[String]) -> TrackingEvent {
    TrackingEvent {
        event_id: "EXPAND".into(),
        recipients: members.to_vec(),
        ..redirected(received, internal_id, group, "")
    }
}

/// SUBMIT: the Mailbox Transport Submission service handed a message of
/// an Outbox to the Transport for `recipients` (no queue number yet).
pub fn submitted(server: &ServerInfo, about: &About<'_>, recipients: Vec<String>) -> TrackingEvent {
    TrackingEvent { recipients, ..event(server, about, "STOREDRIVER", "SUBMIT") }
}

/// DELIVER: stored in the mailboxes of `recipients`.
pub fn delivered(server: &ServerInfo, about: &About<'_>, recipients: Vec<String>) -> TrackingEvent {
    TrackingEvent { recipients, ..event(server, about, "STOREDRIVER", "DELIVER") }
}

/// SEND: a smart host of `connector` took the message for `recipients`.
pub fn sent(server: &ServerInfo, about: &About<'_>, connector: &str, recipients: Vec<String>) -> TrackingEvent {
    TrackingEvent { connector_id: connector.to_string(), recipients, ..event(server, about, "SMTP", "SEND") }
}

/// FAIL: `failed` (address, reply) will never be delivered.
pub fn failed(server: &ServerInfo, about: &About<'_>, source: &str, failed: &[(String, String)]) -> TrackingEvent {
    TrackingEvent {
        recipients: failed.iter().map(|(a, _)| a.clone()).collect(),
        recipient_status: failed.iter().map(|(_, r)| r.clone()).collect(),
        ..event(server, about, source, "FAIL")
    }
}

/// DSN: a report about the message (`reference`: its Message-ID) was
/// queued for its sender.
pub fn report(server: &ServerInfo, report: &About<'_>, to: &str, reference: &str) -> TrackingEvent {
    TrackingEvent {
        recipients: vec![to.to_string()],
        reference: reference.to_string(),
        ..event(server, report, "DSN", "DSN")
    }
}
