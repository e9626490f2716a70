//! The Transport service's sending task: mail for recipients outside the
//! organization leaves through the send connector that carries their
//! domain, to its smart hosts (tried in order), over SMTP.
//!
//! Each recipient is settled by the remote server's own answer: `2xx` after
//! the data, sent (it leaves the queue); `5xx` at MAIL, RCPT or the data,
//! failed for good and reported to the sender (RFC 3464, as the delivery
//! task reports); `4xx`, or no smart host that answers, a temporary failure:
//! the recipient waits MessageRetryInterval and is tried again, its reply
//! shown by Get-Queue (the connector's queue in Retry) and Get-Message,
//! until MessageExpirationTimeout expires the message (the delivery task's
//! expiry covers every recipient). A recipient is only forgotten after the
//! remote server accepted the data, so a crash may send a message twice,
//! never lose it (SMTP's own at-least-once).
//!
//! DSN (RFC 3461): a smart host that offers it is handed the sender's
//! RET, ENVID, NOTIFY and ORCPT and notifies; one that does not is handed
//! none, and a recipient that asked NOTIFY=SUCCESS is told from here that
//! its message was relayed (`dsn.rs`).
//!
//! A connector that routes by DNS (DNSRoutingEnabled) sends to the
//! recipient domain's mail exchangers instead (`mx`), each domain in a
//! transaction of its own.
//!
//! The connector is chosen again at each attempt by the recipient's domain
//! (a connector changed or removed meanwhile is followed); with none left,
//! the recipient waits as after a temporary failure.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::sync::watch;

use super::context::Queue;
use super::delivery::{blocking, fail_and_report, notices, read_settings, with_raw};
use super::dsn::Action;
use super::handoff::{mail_dsn_parameters, rcpt_dsn_parameters};
use super::mx::{Dns, Route};
use super::peer::{HostTrouble, Peer, TlsPolicy};
use super::{texts, track};
use crate::engines::net::auth::StoreHandle;
use crate::engines::net::listener::stopped;
use crate::engines::net::protolog::{Event, ProtocolLog, SessionLog};
use crate::store::ProtocolLoggingLevel;
use crate::store::ServerInfo;
use crate::store::mail::MailError;
use crate::store::queue::PendingDelivery;
use crate::store::send_connectors::{SendConnector, route};

/// Recipients taken from the queue at once.
const BATCH: usize = 64;
/// How often an idle task looks for recipients whose retry time came or
/// that a cmdlet released.
const LOOK_AGAIN: Duration = Duration::from_millis(500);
/// Connecting to a smart host, and a whole SMTP transaction with it.
const CONNECT: Duration = Duration::from_secs(30);
const REPLY: Duration = Duration::from_secs(300);

/// What the sending task is given.
pub struct Parts {
    pub queue: Queue,
    pub directory: StoreHandle,
    pub server: ServerInfo,
    /// The SMTP send log, written for connectors whose
    /// ProtocolLoggingLevel is Verbose (commands and replies, never the
    /// message text).
    pub log: Arc<ProtocolLog>,
}

/// Numbers the connections in the send log.
static CONNECTIONS: AtomicU64 = AtomicU64::new(1);

/// How one attempt ended for one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Sent,
    /// Failed for good, with the reply that says why.
    Failed(String),
    /// Try again later; the reply that says why.
    Deferred(String),
}

pub async fn start(p: Parts, shutdown: watch::Receiver<bool>) {
    let mut stop = shutdown.clone();
    let Some(settings) = read_settings(&p.directory, &mut stop).await else { return };
    let retry = settings.message_retry_interval.max(1);
    // Asked for the connectors that route by DNS; one that cannot be made
    // defers their mail with why.
    let dns = Dns::new(&settings).map_err(|e| {
        eprintln!("mailsh: sending: {e}");
        e
    });
    loop {
        let worked = match send_batch(&p, &dns, retry).await {
            Ok(n) => n > 0,
            Err(e) => {
                eprintln!("mailsh: sending: {e}");
                false
            }
        };
        if *stop.borrow() {
            return;
        }
        if worked {
            continue;
        }
        tokio::select! {
            () = p.queue.send.notified() => {}
            () = tokio::time::sleep(LOOK_AGAIN) => {}
            () = stopped(&mut stop) => return,
        }
    }
}

/// One batch: the due recipients, grouped by message and connector (and,
/// for a connector that routes by DNS, by domain: each has its own mail
/// exchangers), each group sent in one SMTP transaction; the outcomes
/// recorded.
async fn send_batch(p: &Parts, dns: &Result<Dns, String>, retry: i64) -> Result<usize, MailError> {
    let now = crate::store::clock::now_unix();
    let batch = with_raw(&p.queue, move |db| db.pending_remote(now, BATCH)).await?;
    if batch.is_empty() {
        return Ok(0);
    }
    let n = batch.len();
    let directory = p.directory.clone();
    let connectors = tokio::task::spawn_blocking(move || directory.with(|s| s.send_connectors()))
        .await
        .map_err(|e| MailError::Task(e.to_string()))?
        .map_err(|e| MailError::Task(format!("the send connectors could not be read: {e}")))?;
    // Message and connector (and domain, by DNS): one SMTP transaction each.
    let mut groups: BTreeMap<(i64, i64, String), Group> = BTreeMap::new();
    for (pending, raw) in batch {
        let domain = pending.recipient.address.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
        let connector = route(&connectors, domain).cloned();
        let by_dns = connector.as_ref().is_some_and(|c| c.dns_routing_enabled);
        let key = (
            pending.message_id,
            connector.as_ref().map_or(0, |c| c.id),
            if by_dns { domain.to_ascii_lowercase() } else { String::new() },
        );
        groups.entry(key).or_insert_with(|| (raw, connector, Vec::new())).2.push(pending);
    }
    for ((_, _, domain), (raw, connector, recipients)) in groups {
        let sent = match &connector {
            Some(c) => match next_hops(c, dns, &domain).await {
                Ok(hops) => send_message(c, &hops, &p.server.fqdn, &recipients, &raw, &p.log).await,
                Err(outcome) => Sent { outcomes: vec![outcome; recipients.len()], dsn: false },
            },
            None => Sent { outcomes: vec![Outcome::Deferred(NO_CONNECTOR.to_string()); recipients.len()], dsn: false },
        };
        let name = connector.as_ref().map(|c| c.name.as_str()).unwrap_or_default();
        record(p, name, recipients, &raw, sent, retry).await?;
    }
    Ok(n)
}

/// One SMTP transaction's worth: the message, the connector that carries
/// it now (if any), and its recipients.
type Group = (Vec<u8>, Option<SendConnector>, Vec<PendingDelivery>);

/// No enabled send connector carries the recipient's domain any more.
const NO_CONNECTOR: &str = "451 4.4.0 A matching connector cannot be found to route the external recipient";
/// Exchange's text when the connector's MaxMessageSize is exceeded.
const TOO_BIG_FOR_ROUTE: &str = "550 5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route";

/// How one SMTP transaction went: each recipient's outcome, and whether
/// the smart host took the DSN requests (it offered DSN), so that it, not
/// this server, tells the sender of the delivery.
struct Sent {
    outcomes: Vec<Outcome>,
    dsn: bool,
}

async fn record(
    p: &Parts,
    connector: &str,
    recipients: Vec<PendingDelivery>,
    raw: &[u8],
    result: Sent,
    retry: i64,
) -> Result<(), MailError> {
    let recipients_sender = recipients.first().map(|r| r.sender.clone());
    let mut sent = Vec::new();
    let mut failed = Vec::new();
    let mut relayed = Vec::new();
    let mut deferred: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for (r, outcome) in recipients.into_iter().zip(result.outcomes) {
        match outcome {
            Outcome::Sent => {
                sent.push((r.message_id, r.recipient.address.clone()));
                if !result.dsn && r.recipient.dsn.wants_success() {
                    relayed.push((r, raw.to_vec(), String::new()));
                }
            }
            Outcome::Failed(reply) => failed.push((r, raw.to_vec(), reply)),
            Outcome::Deferred(reply) => deferred.entry(reply).or_default().push((r.message_id, r.recipient.address)),
        }
    }
    if let Some((internal_id, _)) = sent.first() {
        let sender = recipients_sender.unwrap_or_default();
        let about = track::About { internal_id: *internal_id, sender: &sender, raw };
        let event = track::sent(&p.server, &about, connector, sent.iter().map(|(_, a)| a.clone()).collect());
        // The smart host has the message: its send is recorded even when
        // the notices cannot be made (else it would be sent again).
        let (reports, events) =
            notices(&p.directory, &p.server, Action::Relayed, None, relayed).await.unwrap_or_else(|e| {
                eprintln!("mailsh: sending: the relay notifications could not be made: {e}");
                (Vec::new(), Vec::new())
            });
        blocking(&p.queue, move |db| db.delivered_all(&sent, &reports)).await?;
        p.queue.tracking.write(&event);
        for e in &events {
            p.queue.tracking.write(e);
        }
    }
    let next = crate::store::clock::now_unix() + retry;
    for (reply, which) in deferred {
        blocking(&p.queue, move |db| db.deferred_all(&which, &reply, next)).await?;
    }
    fail_and_report(&p.queue, &p.directory, &p.server, "SMTP", failed).await
}

/// A host to try: its name (what TLS checks its certificate against) and
/// where to connect.
struct Hop {
    host: String,
    endpoint: String,
}

/// The connector's smart hosts, or (routing by DNS) `domain`'s mail
/// exchangers; a domain DNS refuses for good, or cannot say now, is the
/// recipients' outcome.
async fn next_hops(c: &SendConnector, dns: &Result<Dns, String>, domain: &str) -> Result<Vec<Hop>, Outcome> {
    let at = |address: &str| {
        if address.contains(':') { format!("[{address}]:{}", c.port) } else { format!("{address}:{}", c.port) }
    };
    if !c.dns_routing_enabled {
        return Ok(c.smart_hosts.iter().map(|h| Hop { host: h.clone(), endpoint: at(h) }).collect());
    }
    let dns = dns.as_ref().map_err(|e| Outcome::Deferred(format!("451 4.4.0 DNS query failed. The error was: {e}")))?;
    match dns.route(domain).await {
        Route::Exchangers(hosts) => Ok(hosts
            .into_iter()
            .flat_map(|(host, ips)| ips.into_iter().map(move |ip| (host.clone(), ip)))
            .map(|(host, ip)| Hop { endpoint: at(&ip.to_string()), host })
            .collect()),
        Route::Refused(reply) => Err(Outcome::Failed(reply.to_string())),
        Route::Unknown(why) => Err(Outcome::Deferred(format!("451 4.4.0 {why}"))),
    }
}

/// Sends one message to `recipients` through `hops` (the connector's smart
/// hosts, or the domain's mail exchangers): the first that accepts a
/// connection and greets carries it.
async fn send_message(
    c: &SendConnector,
    hops: &[Hop],
    fqdn: &str,
    recipients: &[PendingDelivery],
    raw: &[u8],
    log: &Arc<ProtocolLog>,
) -> Sent {
    if c.max_message_size.is_some_and(|max| raw.len() as u64 > max) {
        return Sent { outcomes: vec![Outcome::Failed(TOO_BIG_FOR_ROUTE.to_string()); recipients.len()], dsn: false };
    }
    let helo = c.fqdn.as_deref().unwrap_or(fqdn);
    let logon = Logon::of(c);
    let mut last = String::from("no smart host");
    // Smart hosts that answered but did not offer SMTPUTF8 for a message
    // that needs it.
    let mut without_utf8 = 0;
    for Hop { host, endpoint } in hops {
        let mut policy = TlsPolicy::of(c);
        loop {
            let attempt = attempt_host(c, host, endpoint, helo, &policy, &logon, recipients, raw, log).await;
            let e = match attempt {
                Ok(sent) => return sent,
                Err(e) => e,
            };
            last = format!("{endpoint} ({e})");
            match HostTrouble::of(&e) {
                // Opportunistic TLS that failed: this smart host again, in
                // plain text (Exchange's fallback).
                Some(HostTrouble::TlsHandshake(_)) if policy == TlsPolicy::Opportunistic => {
                    policy = TlsPolicy::Plain;
                    continue;
                }
                Some(HostTrouble::NoSmtpUtf8) => without_utf8 += 1,
                _ => {}
            }
            break;
        }
    }
    // No smart host can take it (RFC 6531): it fails, and the sender is
    // told; when some could not be reached, it waits for them.
    if without_utf8 > 0 && without_utf8 == hops.len() {
        return Sent {
            outcomes: vec![Outcome::Failed(texts::NEXT_HOP_LACKS_SMTPUTF8.into()); recipients.len()],
            dsn: false,
        };
    }
    // Exchange's words for a smart host that cannot be reached.
    let reply = format!(
        "451 4.4.0 Primary target IP address responded with: \"421 4.2.1 Unable to connect.\" Attempted failover to \
         alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all \
         alternate hosts. The last endpoint attempted was {last}"
    );
    Sent { outcomes: vec![Outcome::Deferred(reply); recipients.len()], dsn: false }
}

/// One attempt at one smart host: connect, then the SMTP transaction.
#[allow(clippy::too_many_arguments)]
async fn attempt_host(
    c: &SendConnector,
    host: &str,
    endpoint: &str,
    helo: &str,
    policy: &TlsPolicy,
    logon: &Logon,
    recipients: &[PendingDelivery],
    raw: &[u8],
    log: &Arc<ProtocolLog>,
) -> std::io::Result<Sent> {
    let tcp = match tokio::time::timeout(CONNECT, TcpStream::connect(endpoint)).await {
        Ok(connected) => connected?,
        Err(_) => return Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "timed out")),
    };
    let _ = tcp.set_nodelay(true);
    let log = if c.protocol_logging_level == ProtocolLoggingLevel::Verbose {
        let id = CONNECTIONS.fetch_add(1, Ordering::Relaxed);
        SessionLog::outgoing(log.clone(), id, tcp.local_addr().ok(), tcp.peer_addr().ok())
    } else {
        SessionLog::outgoing(Arc::new(ProtocolLog::disabled()), 0, None, None)
    };
    log.note(Event::Connect, "");
    log.note(Event::Info, &c.name);
    if *policy == TlsPolicy::Plain {
        log.note(Event::Info, "TLS negotiation failed before: this attempt goes without TLS");
    }
    let mut peer = Peer::new(Box::new(tcp), log, host);
    let attempt = tokio::time::timeout(REPLY, session(&mut peer, helo, policy, logon, recipients, raw)).await;
    peer.log.note(Event::Disconnect, "");
    attempt.unwrap_or_else(|_| Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "timed out")))
}

/// What a reply other than success means for a recipient: 5xx fails it,
/// any other defers it.
fn refused(code: u16, reply: &str) -> Outcome {
    if (500..600).contains(&code) { Outcome::Failed(reply.to_string()) } else { Outcome::Deferred(reply.to_string()) }
}

/// A refusal that settles all `n` recipients at once (HELO, MAIL).
fn settled(code: u16, reply: &str, n: usize) -> Sent {
    Sent { outcomes: vec![refused(code, reply); n], dsn: false }
}

/// One SMTP transaction. An error (the connection broke, a reply made no
/// sense) before any recipient is settled lets the next smart host try.
/// How the connector logs on to its smart hosts (SmartHostAuthMechanism).
struct Logon {
    /// BasicAuth's account and password; None: no logon.
    credential: Option<(String, String)>,
    /// BasicAuthRequireTLS: never in plain text.
    require_tls: bool,
}

impl Logon {
    fn of(c: &SendConnector) -> Logon {
        let basic = matches!(c.smart_host_auth.as_str(), "BasicAuth" | "BasicAuthRequireTLS");
        Logon {
            credential: c.auth_credential.clone().filter(|_| basic),
            require_tls: c.smart_host_auth == "BasicAuthRequireTLS",
        }
    }
}

async fn session(
    peer: &mut Peer,
    helo: &str,
    policy: &TlsPolicy,
    logon: &Logon,
    recipients: &[PendingDelivery],
    raw: &[u8],
) -> std::io::Result<Sent> {
    let n = recipients.len();
    let (code, reply) = peer.hear().await?;
    if code != 220 {
        return Err(std::io::Error::other(reply));
    }
    let (code, mut extensions) = peer.ehlo(helo).await?;
    if code == 250 {
        // Opportunistic TLS (`peer.rs`), then what the smart host offers
        // over it.
        let Some((code, again)) = peer.start_tls(helo, extensions, policy).await? else {
            // RequireTLS, and no TLS here: the mail waits.
            quit(peer).await;
            return Ok(Sent { outcomes: vec![Outcome::Deferred(texts::STARTTLS_REQUIRED.into()); n], dsn: false });
        };
        if code != 250 {
            return Err(std::io::Error::other(format!("EHLO refused over TLS ({code})")));
        }
        extensions = again;
    } else {
        if policy.required() {
            // No EHLO, no STARTTLS: RequireTLS cannot be met here.
            quit(peer).await;
            return Ok(Sent { outcomes: vec![Outcome::Deferred(texts::STARTTLS_REQUIRED.into()); n], dsn: false });
        }
        peer.say(&format!("HELO {helo}")).await?;
        let (code, reply) = peer.hear().await?;
        if code != 250 {
            return Ok(settled(code, &reply, n));
        }
    }
    // BasicAuth: log on (over TLS only, with BasicAuthRequireTLS).
    if let Some((user, password)) = &logon.credential {
        if logon.require_tls && !peer.is_tls() {
            quit(peer).await;
            return Ok(Sent { outcomes: vec![Outcome::Deferred(texts::STARTTLS_REQUIRED.into()); n], dsn: false });
        }
        if let Some(refused) = peer.log_on(&extensions, user, password).await? {
            quit(peer).await;
            return Ok(Sent { outcomes: vec![Outcome::Deferred(refused); n], dsn: false });
        }
    }
    // DSN requests go on only to a server that offers DSN (RFC 3461).
    let dsn = extensions.offers("DSN");
    let utf8_offered = extensions.offers("SMTPUTF8");
    // A message sent with SMTPUTF8 goes only to a server that offers it
    // (RFC 6531); to another it fails, and the sender is told.
    let smtputf8 = recipients.first().is_some_and(|r| r.smtputf8);
    if smtputf8 && !utf8_offered {
        quit(peer).await;
        return Err(std::io::Error::other(HostTrouble::NoSmtpUtf8));
    }
    let sender = recipients.first().map(|r| r.sender.as_str()).unwrap_or_default();
    let mail_params = match recipients.first() {
        Some(r) if dsn => mail_dsn_parameters(&r.dsn),
        _ => String::new(),
    };
    let utf8 = if smtputf8 { " SMTPUTF8" } else { "" };
    peer.say(&format!("MAIL FROM:<{sender}>{mail_params}{utf8}")).await?;
    let (code, reply) = peer.hear().await?;
    if code != 250 {
        quit(peer).await;
        return Ok(settled(code, &reply, n));
    }
    let mut outcomes: Vec<Option<Outcome>> = vec![None; n];
    for (i, r) in recipients.iter().enumerate() {
        let params = if dsn { rcpt_dsn_parameters(&r.recipient.dsn) } else { String::new() };
        peer.say(&format!("RCPT TO:<{}>{params}", r.recipient.address)).await?;
        let (code, reply) = peer.hear().await?;
        if !(200..300).contains(&code) {
            outcomes[i] = Some(refused(code, &reply));
        }
    }
    let open = outcomes.iter().filter(|o| o.is_none()).count();
    if open > 0 {
        peer.say("DATA").await?;
        let (code, reply) = peer.hear().await?;
        let done = if code == 354 {
            peer.data(raw).await?;
            let (code, reply) = peer.hear().await?;
            if (200..300).contains(&code) { Outcome::Sent } else { refused(code, &reply) }
        } else {
            refused(code, &reply)
        };
        for o in outcomes.iter_mut().filter(|o| o.is_none()) {
            *o = Some(done.clone());
        }
    }
    quit(peer).await;
    let outcomes = outcomes.into_iter().map(|o| o.unwrap_or(Outcome::Deferred(String::new()))).collect();
    Ok(Sent { outcomes, dsn })
}

async fn quit(peer: &mut Peer) {
    if peer.say("QUIT").await.is_ok() {
        let _ = tokio::time::timeout(Duration::from_secs(5), peer.hear()).await;
    }
}
