//! MSExchangeSubmission, Exchange 2013's Mailbox Transport Submission
//! service: a process of its own on a Mailbox server that takes what users
//! leave in their mailbox's Outbox (an IMAP client that saves a message
//! there, as Outlook's MAPI store does when it sends) and submits it to
//! this server's Transport service over SMTP, then files it in Sent Items.
//!
//! - **The envelope** comes from the message: MAIL FROM is the mailbox's
//!   primary address (with AUTH= naming it, so the Transport serves it as
//!   a submission), the recipients are every address of To, Cc and Bcc;
//!   the Bcc field is taken out of the text that goes (RFC 5322 3.6.3),
//!   and stays in the Sent Items copy.
//! - **Exchange's rules for a sender**, checked here as the Client Frontend
//!   connector checks them for SMTP clients: the From must be one of the
//!   mailbox's addresses (SendAs), the message within Set-TransportConfig's
//!   MaxSendSize, the mailbox below ProhibitSendQuota. A message refused,
//!   or a recipient the Transport refuses for good, gets the user a
//!   non-delivery report with the reply that refused it; the message is
//!   filed in Sent Items as it was submitted.
//! - **Exactly once**: the Transport answers `250` once the message is on
//!   disk in its queue; then the message is filed. A crash between the two
//!   submits it again with the same transaction identifier (MAIL FROM's
//!   TRANSID, `<uid.uidvalidity.mailbox@server>`), which the Transport
//!   has recorded with the message (`QueueDb::enqueue_once`): it answers
//!   `250` again and queues nothing. The report of a refusal has its own.
//! - **Nothing is lost while the Transport is away**: a message whose
//!   submission fails for now (the Transport stopped, a `4xx`) stays in
//!   the Outbox and is tried again a few seconds later.
//! - It looks at the Outboxes when any process commits to a database of
//!   this server (`data_version`), and every few seconds; a look visits
//!   only the Outboxes that hold something. It writes SUBMIT events in
//!   its own tracking files (`MSGTRKMS*`, as Exchange's does).

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mail_parser::{Address, MessageParser};
use tokio::io::AsyncWriteExt;
use tokio::sync::{Notify, watch};

use super::commands::mail::owns_address;
use super::dsn::{self, Action, Report, Reported};
use super::handoff::{Outgoing, Transfer, greeted, transfer};
use super::{texts, track, transports};
use crate::engines::net::NetError;
use crate::engines::net::auth::StoreHandle;
use crate::engines::net::back_end_link;
use crate::engines::net::mail_databases::{Home, MailDatabases};
use crate::engines::net::proxy_auth::{Prover, ProxyKey};
use crate::store::mail::OutboxItem;
use crate::store::queue::{MessageDsn, RecipientDsn};
use crate::store::tracking::{SUBMISSION_PREFIX, TrackingLog, tracking_dir};
use crate::store::{Mailbox, ServerInfo, Store, state_dir_for, storage_limit_status};

/// Messages taken from one database in one look.
const BATCH: usize = 64;
/// How often the Outboxes are looked at without a commit to wake it.
const LOOK_AGAIN: Duration = Duration::from_secs(2);
/// How long a message whose submission failed for now waits.
const RETRY: Duration = Duration::from_secs(5);
/// How long a message without recipients waits before it is read again.
const NO_RECIPIENT_WAIT: Duration = Duration::from_secs(3600);
/// A Transport that does not answer within this is away for now.
const REPLY: Duration = Duration::from_secs(120);

/// What the Submission service reads before it says it runs.
pub struct SubmissionContext {
    parts: Parts,
    shutdown: watch::Receiver<bool>,
}

struct Parts {
    mail: MailDatabases,
    directory: StoreHandle,
    server: ServerInfo,
    key: Arc<ProxyKey>,
    /// This server's Transport's address file, and whether it takes
    /// hand-offs over TLS (a server with an address).
    transport_file: PathBuf,
    transport_tls: bool,
    tracking: TrackingLog,
    /// Set-TransportConfig's MaxSendSize, read at start.
    max_send_size: Option<u64>,
    /// The organization's default accepted domain (the reports' sender).
    domain: String,
}

pub fn prepare(store_path: &Path, shutdown: watch::Receiver<bool>) -> Result<SubmissionContext, NetError> {
    let mut store = Store::open_existing(store_path)?;
    let server = store.server().clone();
    let address = store.exchange_server(&server.name)?.and_then(|s| s.address);
    let service = store.transport_service()?;
    let limits = store.transport_config()?;
    let domain = store.default_domain_name()?;
    let (mail, key) = super::context::mailbox_service_parts(&mut store, store_path)?;
    let state_dir = state_dir_for(store_path);
    let parts = Parts {
        mail,
        directory: StoreHandle::new(store_path.to_path_buf()),
        domain: domain.unwrap_or_else(|| server.domain.clone()),
        server,
        key,
        transport_file: super::handoff_address_file(&state_dir),
        transport_tls: address.is_some(),
        tracking: TrackingLog::with_prefix(
            tracking_dir(store_path),
            SUBMISSION_PREFIX,
            service.message_tracking_log_enabled,
            service.logs.tracking.file,
        ),
        max_send_size: limits.max_send_size,
    };
    Ok(SubmissionContext { parts, shutdown })
}

/// Submits until the service stops (inside the runtime).
pub fn serve(ctx: SubmissionContext) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    let SubmissionContext { parts, mut shutdown } = ctx;
    Box::pin(async move {
        let wake = Arc::new(Notify::new());
        let mut watched: HashSet<PathBuf> = HashSet::new();
        // Messages whose submission failed for now, and when to try again.
        let mut later: HashMap<(PathBuf, i64, u32), Instant> = HashMap::new();
        loop {
            if *shutdown.borrow() {
                return;
            }
            let (mail, directory) = (parts.mail.clone(), parts.directory.clone());
            let homes = tokio::task::spawn_blocking(move || directory.with(|s| mail.mounted_homes(s))).await;
            let homes = match homes {
                Ok(Ok(homes)) => homes,
                Ok(Err(e)) => {
                    eprintln!("mailsh: MSExchangeSubmission: the directory could not be read: {e}");
                    Vec::new()
                }
                Err(_) => Vec::new(),
            };
            later.retain(|_, at| *at > Instant::now());
            for home in homes {
                let path = home.pool.path().to_path_buf();
                if watched.insert(path.clone()) {
                    let (mut changes, wake) = (home.changed.subscribe(), wake.clone());
                    tokio::spawn(async move {
                        while changes.changed().await.is_ok() {
                            wake.notify_one();
                        }
                    });
                }
                // Page by page, so that messages left to wait never hide
                // the ones behind them.
                let mut after: Option<OutboxItem> = None;
                loop {
                    let from = after.clone();
                    let waiting = match home.pool.run(move |db| db.outbox_waiting(from.as_ref(), BATCH)).await {
                        Ok(items) => items,
                        Err(e) => {
                            eprintln!("mailsh: MSExchangeSubmission: {}: {e}", path.display());
                            break;
                        }
                    };
                    let full = waiting.len() == BATCH;
                    after = waiting.last().cloned();
                    for item in waiting {
                        let id = (path.clone(), item.folder_id, item.uid);
                        if later.contains_key(&id) || *shutdown.borrow() {
                            continue;
                        }
                        if let Err(later_on) = submit(&parts, &home, &item).await {
                            eprintln!(
                                "mailsh: MSExchangeSubmission: a message of {} waits: {}",
                                item.mailbox_guid, later_on.why
                            );
                            later.insert(id, Instant::now() + later_on.wait);
                        }
                    }
                    if !full || *shutdown.borrow() {
                        break;
                    }
                }
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(LOOK_AGAIN) => {}
                _ = shutdown.changed() => return,
            }
        }
    })
}

/// Why a message stays in the Outbox for now, and for how long.
struct Later {
    why: String,
    wait: Duration,
}

impl Later {
    fn soon(why: impl Into<String>) -> Later {
        Later { why: why.into(), wait: RETRY }
    }
}

impl From<String> for Later {
    fn from(why: String) -> Later {
        Later::soon(why)
    }
}

/// Submits one message and files it; Err: it stays for another try.
async fn submit(p: &Parts, home: &Home, item: &OutboxItem) -> Result<(), Later> {
    let (folder, uid) = (item.folder_id, item.uid);
    let raw = home.pool.run(move |db| db.message_raw(folder, uid)).await.map_err(|e| e.to_string())?;
    // Gone meanwhile (moved or deleted by its user): nothing to send.
    let Some(raw) = raw else { return Ok(()) };
    let (directory, guid) = (p.directory.clone(), item.mailbox_guid.clone());
    let mailbox = tokio::task::spawn_blocking(move || directory.with(|s| s.mailbox_by_guid(&guid)))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "its mailbox is no longer in the directory".to_string())?;
    // Nothing can be sent, and nobody told: it stays, as a message
    // without recipients stays in Outlook's Outbox.
    let addressed = addressed(&raw);
    if addressed.recipients.is_empty() {
        return Err(Later { why: "it names no recipient (To, Cc or Bcc)".into(), wait: NO_RECIPIENT_WAIT });
    }
    let transid = format!("{}.{}.{}@{}", item.uid, item.uidvalidity, item.mailbox_guid, p.server.fqdn);
    let refused = match refusal(p, home, &mailbox, &addressed.from, raw.len()).await? {
        Some(reply) => addressed.recipients.into_iter().map(|a| (a, reply.clone())).collect(),
        None => send(p, &mailbox, &raw, addressed.recipients, &transid).await?,
    };
    if !refused.is_empty() {
        report(p, &mailbox, &raw, &refused, &transid).await?;
    }
    let item = item.clone();
    home.pool.run(move |db| db.file_as_sent(&item)).await.map_err(|e| e.to_string())?;
    Ok(())
}

/// Exchange's rules for a sender, before anything goes: the reply that
/// refuses the whole message, if one does.
async fn refusal(
    p: &Parts,
    home: &Home,
    mailbox: &Mailbox,
    from: &[String],
    size: usize,
) -> Result<Option<String>, Later> {
    if from.iter().any(|a| !owns_address(mailbox, a)) {
        return Ok(Some(texts::SEND_AS_DENIED.to_string()));
    }
    if p.max_send_size.is_some_and(|limit| size as u64 > limit) {
        return Ok(Some(texts::OVER_ORGANIZATION_LIMIT.to_string()));
    }
    if mailbox.quotas.prohibit_send.is_some() || mailbox.quotas.prohibit_send_receive.is_some() {
        let guid = mailbox.guid.clone();
        let used = home.pool.run(move |db| db.mailbox_usage(&guid)).await.map_err(|e| e.to_string())?;
        if matches!(storage_limit_status(&mailbox.quotas, used.bytes), "ProhibitSend" | "MailboxDisabled") {
            return Ok(Some(texts::SENDER_OVER_QUOTA.to_string()));
        }
    }
    Ok(None)
}

/// Hands the message to the Transport: the recipients refused for good,
/// with the reply that refused each (empty: all were taken).
async fn send(
    p: &Parts,
    mailbox: &Mailbox,
    raw: &[u8],
    mut recipients: Vec<String>,
    transid: &str,
) -> Result<Vec<(String, String)>, Later> {
    let text = without_bcc(raw);
    let mut refused: Vec<(String, String)> = Vec::new();
    let all_refused = |recipients: &[String], reply: &str| {
        recipients.iter().map(|a| (a.clone(), reply.to_string())).collect::<Vec<_>>()
    };
    // All or nothing: a recipient refused for good is left out and the
    // others are submitted again on a new connection (a refusal after the
    // Transport's 354 can only be abandoned by dropping the connection).
    loop {
        let answer = exchange(p, mailbox, &recipients, &text, Some(transid)).await?;
        if let Some((code, reply)) = answer.data {
            match code {
                250 => {
                    let about = track::About { internal_id: 0, sender: &mailbox.primary_smtp, raw };
                    p.tracking.write(&track::submitted(&p.server, &about, recipients));
                    return Ok(refused);
                }
                500.. => {
                    refused.extend(all_refused(&recipients, &reply));
                    return Ok(refused);
                }
                _ => return Err(Later::soon(reply)),
            }
        }
        let (code, reply) = answer.sender;
        if code != 250 {
            if code >= 500 {
                refused.extend(all_refused(&recipients, &reply));
                return Ok(refused);
            }
            return Err(Later::soon(reply));
        }
        let mut kept = Vec::new();
        for (address, (code, reply)) in recipients.iter().zip(answer.recipients) {
            match code {
                250 => kept.push(address.clone()),
                500.. => refused.push((address.clone(), reply)),
                _ => return Err(Later::soon(reply)),
            }
        }
        if kept.len() == recipients.len() {
            // Every recipient taken, DATA refused before the text.
            let (code, reply) = answer.data_refused.unwrap_or((451, texts::TRY_LATER.to_string()));
            if code >= 500 {
                refused.extend(all_refused(&recipients, &reply));
                return Ok(refused);
            }
            return Err(Later::soon(reply));
        }
        if kept.is_empty() {
            return Ok(refused);
        }
        recipients = kept;
    }
}

/// The user's submission of `text` to `recipients` in one SMTP
/// transaction with this server's Transport.
async fn exchange(
    p: &Parts,
    mailbox: &Mailbox,
    recipients: &[String],
    text: &[u8],
    transid: Option<&str>,
) -> Result<Transfer, Later> {
    let none = RecipientDsn::default();
    let envelope = Outgoing {
        sender: &mailbox.primary_smtp,
        dsn: &MessageDsn::default(),
        smtputf8: !mailbox.primary_smtp.is_ascii() || recipients.iter().any(|r| !r.is_ascii()),
        submitter: Some(&mailbox.primary_smtp),
        transid,
        recipients: recipients.iter().map(|r| (r.as_str(), &none)).collect(),
    };
    talk(p, &envelope, text).await
}

/// One SMTP transaction with this server's Transport, as its own front
/// end makes them (the organization's key proven first), all or nothing.
async fn talk(p: &Parts, envelope: &Outgoing<'_>, text: &[u8]) -> Result<Transfer, Later> {
    let target = transports::own(&p.transport_file, p.transport_tls)
        .ok_or_else(|| Later::soon("the Transport service (MSExchangeTransport) is not running"))?;
    let talking = async {
        let stream = back_end_link::connect_as(&target, &p.key, Prover::FrontEnd).await.map_err(|e| e.to_string())?;
        let mut peer = greeted(stream, &p.server.fqdn).await.map_err(|e| e.to_string())?;
        let answer = transfer(&mut peer, envelope, text, true).await.map_err(|e| e.error.to_string())?;
        // After a 354 not followed by the text, only dropping the
        // connection abandons the message.
        if answer.data.is_some() || answer.data_refused.as_ref().is_none_or(|(code, _)| *code != 354) {
            let _ = peer.get_mut().write_all(b"QUIT\r\n").await;
        }
        Ok::<_, String>(answer)
    };
    match tokio::time::timeout(REPLY, talking).await {
        Ok(answer) => answer.map_err(Later::soon),
        Err(_) => Err(Later::soon("the Transport service did not answer")),
    }
}

/// The user's non-delivery report for `refused`, submitted to the
/// Transport with a null sender (under its own transaction identifier).
async fn report(
    p: &Parts,
    mailbox: &Mailbox,
    raw: &[u8],
    refused: &[(String, String)],
    transid: &str,
) -> Result<(), Later> {
    let recipients: Vec<Reported> = refused
        .iter()
        .map(|(address, reply)| Reported {
            address: address.clone(),
            reply: reply.clone(),
            dsn: RecipientDsn::default(),
        })
        .collect();
    let now = crate::store::clock::now_unix();
    let id = crate::store::new_guid();
    let text = dsn::build(&Report {
        action: Action::Failed,
        fqdn: &p.server.fqdn,
        domain: &p.domain,
        sender: &mailbox.primary_smtp,
        original: raw,
        retry_until: None,
        dsn: &MessageDsn::default(),
        arrival: now,
        recipients: &recipients,
        now,
        id: &id,
    });
    let none = RecipientDsn::default();
    let transid = format!("ndr.{transid}");
    let envelope = Outgoing {
        sender: "",
        dsn: &MessageDsn::default(),
        smtputf8: false,
        submitter: None,
        transid: Some(&transid),
        recipients: vec![(mailbox.primary_smtp.as_str(), &none)],
    };
    let answer = talk(p, &envelope, &text).await?;
    match answer.data {
        Some((250, _)) => Ok(()),
        // The user's own address refused for good: no report can reach it.
        _ if answer.recipients.first().is_some_and(|(code, _)| *code >= 500) => Ok(()),
        Some((_, reply)) => Err(Later::soon(reply)),
        None => Err(Later::soon(answer.data_refused.map(|(_, r)| r).unwrap_or(answer.sender.1))),
    }
}

fn addresses(a: &Address<'_>) -> Vec<String> {
    a.iter().filter_map(|a| a.address()).map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect()
}

/// What the header says of who sends and to whom, read once.
struct Addressed {
    /// The From field's addresses.
    from: Vec<String>,
    /// Every address of To, Cc and Bcc, each once (compared without case).
    recipients: Vec<String>,
}

fn addressed(raw: &[u8]) -> Addressed {
    let Some(m) = MessageParser::new().parse_headers(raw) else {
        return Addressed { from: Vec::new(), recipients: Vec::new() };
    };
    let mut recipients: Vec<String> = Vec::new();
    for list in [m.to(), m.cc(), m.bcc()].into_iter().flatten() {
        for a in addresses(list) {
            if !recipients.iter().any(|o| o.eq_ignore_ascii_case(&a)) {
                recipients.push(a);
            }
        }
    }
    Addressed { from: m.from().map(addresses).unwrap_or_default(), recipients }
}

/// The text without its header's Bcc field (and its folded lines).
fn without_bcc(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    let mut skipping = false;
    while !rest.is_empty() {
        let end = rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |i| i + 1);
        let (line, after) = rest.split_at(end);
        if line == b"\r\n" || line == b"\n" {
            out.extend_from_slice(rest);
            break;
        }
        let folded = line.first().is_some_and(|b| *b == b' ' || *b == b'\t');
        if !folded {
            skipping = line.len() >= 4 && line[..4].eq_ignore_ascii_case(b"bcc:");
        }
        if !skipping {
            out.extend_from_slice(line);
        }
        rest = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{addressed, without_bcc};

    #[test]
    fn bcc_leaves_the_text_and_every_recipient_is_named_once() {
        let raw = b"From: John <john@contoso.com>\r\nTo: Ann <ann@contoso.com>, bob@fabrikam.com\r\n\
                    Bcc: carol@contoso.com,\r\n ANN@contoso.com\r\nCc: dave@contoso.com\r\nSubject: x\r\n\r\n\
                    Bcc: in the body\r\n";
        assert_eq!(
            addressed(raw).recipients,
            ["ann@contoso.com", "bob@fabrikam.com", "dave@contoso.com", "carol@contoso.com"]
        );
        assert_eq!(
            without_bcc(raw),
            b"From: John <john@contoso.com>\r\nTo: Ann <ann@contoso.com>, bob@fabrikam.com\r\n\
              Cc: dave@contoso.com\r\nSubject: x\r\n\r\nBcc: in the body\r\n"
                .to_vec()
        );
        assert!(addressed(b"From: a@b.c\r\nSubject: none\r\n\r\n").recipients.is_empty());
    }
}
