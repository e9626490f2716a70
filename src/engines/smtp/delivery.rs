//! The delivery task of the Mailbox Transport Delivery service
//! (`mailbox_delivery`): takes what is Ready in the Transport's queue,
//! stores each recipient's copy in its Inbox exactly once, then lets the
//! queue forget it. Woken by the Transport's cue after every enqueue (and
//! once the messages right behind have come, at most 20 ms later, so that
//! they share one transaction; a batch that was full is followed by the
//! next at once), and it looks again twice a second for what a cmdlet
//! released (Resume-Message, Resume-Queue, Retry-Queue); at start it
//! delivers whatever an earlier run left (a crash after the `250`).
//!
//! Each recipient is looked up again in the directory as it is stored: a
//! mailbox removed since the message was queued fails the recipient with
//! `550 5.1.1 RESOLVER.ADR.RecipNotFound; not found`, and a sender inside
//! the organization gets a non-delivery report, queued in the same
//! transaction that records the failure. A sender outside it (no send
//! connector can carry the report yet) leaves the recipient Failed in the
//! Unreachable queue; a null sender (a report itself) gets nothing.
//!
//! Set-TransportService's settings, read at start: a message that waits
//! longer than MessageExpirationTimeout (held, suspended or failing)
//! expires, its recipients failed with `550 4.4.7 QUEUE.Expired; message
//! expired` and reported the same way; one still waiting after
//! DelayNotificationTimeout is reported to its sender once as delayed
//! (unless NOTIFY said otherwise); after a failed attempt delivery
//! waits MessageRetryInterval, the delivery queue in Retry with the error
//! and the next retry time (Get-Queue; Retry-Queue brings the time
//! forward; the next attempt that works clears them); one transaction delivers to at most
//! MaxConcurrentMailboxDeliveries mailboxes (and 64 copies).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::watch;

use super::context::Queue;
use super::dsn::{self, Action, Original, Reported};
use super::texts;
use super::track;
use crate::engines::net::auth::StoreHandle;
use crate::engines::net::listener::stopped;
use crate::engines::net::mail_databases::{Home, MailDatabases, OtherServer, Placement};
use crate::engines::net::proxy_auth::ProxyKey;
use crate::store::mail::{Delivered, Delivery, MailError};
use crate::store::queue::{Failure, NewQueued, PendingDelivery, QueueDb, QueueRetry};
use crate::store::tracking::TrackingEvent;
use crate::store::transport::TransportService;
use crate::store::{ServerInfo, StoreError};

/// Copies stored at most in one transaction of the mailbox database (one
/// fsync for the lot).
const BATCH: usize = 64;
/// Mailboxes held at most (`Deliverer::hold`).
const HELD_MAX: usize = 4096;
/// How often an idle task looks for messages a cmdlet released.
const LOOK_AGAIN: Duration = Duration::from_millis(500);
/// How long a cue waits for the next message right behind it, so that they
/// are stored in one transaction of the mailbox database (one disk sync
/// for the lot) instead of one each: the syncs of deliveries made one by
/// one queue at the disk ahead of the Transport's, which a sender waits
/// for before its `250` (one connection's messages: 557 against 444-486
/// accepted/s, the same run, alternating; docs/performance.md, "SMTP").
const GATHER: Duration = Duration::from_millis(4);
/// The longest a cue waits for the messages behind it while they keep
/// coming: one connection's messages, about 1.5 ms apart, are then stored
/// a dozen at a time, and the syncs the Transport's `250`s wait behind
/// are fewer (one connection: 708-776 against 587-670 accepted/s with
/// one 4 ms wait; docs/performance.md, "SMTP"). A delivered message
/// reaches IMAP IDLE at most this much later.
const GATHER_MOST: Duration = Duration::from_millis(20);

/// What the delivery task is given.
pub struct Parts {
    pub queue: Queue,
    pub mail: MailDatabases,
    /// The directory, asked at delivery time.
    pub directory: StoreHandle,
    pub server: ServerInfo,
    /// The organization's proxy key, proven to other servers' Transports.
    pub key: Arc<ProxyKey>,
}

/// What the delivery task works with.
struct Deliverer {
    queue: Queue,
    mail: MailDatabases,
    /// Mailboxes whose database is not served now (dismounted, moved to
    /// another server): their mail waits in the queue, the rest goes on.
    /// Forgotten after MessageRetryInterval, or sooner when the directory
    /// changes (`MailDatabases` re-reads it).
    held: std::sync::Mutex<Held>,
    directory: StoreHandle,
    server: ServerInfo,
    key: Arc<ProxyKey>,
    /// Set-TransportService's settings, read when the task starts.
    settings: TransportService,
    /// The delivery queue may be in Retry (so the next attempt that works
    /// clears it). True at start: an earlier run may have left it so.
    retrying: AtomicBool,
}

/// What `Deliverer::held` holds: the mailboxes, and when the list began
/// and under which generation of the directory.
#[derive(Default)]
struct Held {
    mailboxes: Vec<String>,
    since: Option<std::time::Instant>,
    generation: u64,
}

impl Deliverer {
    /// The mailboxes held now; the list is dropped once the directory
    /// changed or MessageRetryInterval passed, so they are tried again.
    fn held_now(&self) -> Vec<String> {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let generation = self.mail.generation();
        let stale = held.since.is_some_and(|t| t.elapsed() >= self.retry()) || held.generation != generation;
        if stale {
            *held = Held { mailboxes: Vec::new(), since: None, generation };
        }
        held.mailboxes.clone()
    }

    fn hold(&self, mailbox: &str) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.since.get_or_insert_with(std::time::Instant::now);
        // Each is a parameter of the queue's query (SQLite takes 32,766);
        // past this many, the others are tried (and held) again each batch.
        if held.mailboxes.len() < HELD_MAX && !held.mailboxes.iter().any(|m| m == mailbox) {
            held.mailboxes.push(mailbox.to_string());
        }
    }

    /// How many mailboxes one transaction delivers to at most.
    fn mailboxes(&self) -> usize {
        self.settings.max_concurrent_mailbox_deliveries.clamp(1, 256) as usize
    }

    fn retry(&self) -> Duration {
        Duration::from_secs(self.settings.message_retry_interval.max(1) as u64)
    }
}

/// Reads Set-TransportService's settings (until the store answers), then
/// delivers until the service stops.
pub async fn start(p: Parts, shutdown: watch::Receiver<bool>) {
    let mut stop = shutdown.clone();
    let Some(settings) = read_settings(&p.directory, &mut stop).await else { return };
    let d = Deliverer {
        queue: p.queue,
        mail: p.mail,
        directory: p.directory,
        server: p.server,
        key: p.key,
        settings,
        retrying: AtomicBool::new(true),
        held: std::sync::Mutex::new(Held::default()),
    };
    run(d, shutdown).await;
}

/// Set-TransportService's settings, read until the store answers; None
/// when the service stops first.
pub(super) async fn read_settings(
    directory: &StoreHandle,
    stop: &mut watch::Receiver<bool>,
) -> Option<TransportService> {
    loop {
        let directory = directory.clone();
        let read = tokio::task::spawn_blocking(move || directory.with(|s| s.transport_service())).await;
        match read {
            Ok(Ok(settings)) => return Some(settings),
            Ok(Err(e)) => eprintln!("mailsh: transport: the Transport service's settings could not be read: {e}"),
            Err(e) => eprintln!("mailsh: transport: {e}"),
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(5)) => {}
            () = stopped(stop) => return None,
        }
    }
}

async fn run(d: Deliverer, shutdown: watch::Receiver<bool>) {
    let mut stop = shutdown.clone();
    loop {
        let step = async { Ok::<_, MailError>(expire(&d).await? + tell_delays(&d).await? + deliver_batch(&d).await?) };
        // Some(full): delivered, a full batch or not; None: nothing to do.
        let worked = match step.await {
            Ok(n) => {
                if d.retrying.swap(false, Ordering::Relaxed)
                    && let Err(e) = blocking(&d.queue, QueueDb::clear_delivery_retry).await
                {
                    eprintln!("mailsh: delivery: the queue's retry state could not be cleared: {e}");
                    d.retrying.store(true, Ordering::Relaxed);
                }
                (n > 0).then_some(n >= BATCH)
            }
            Err(e) => {
                eprintln!("mailsh: delivery: {e}");
                if retry_later(&d, &e, &mut stop).await {
                    return;
                }
                continue;
            }
        };
        if *stop.borrow() {
            return;
        }
        // A full batch leaves more behind it: the next one at once.
        if worked == Some(true) {
            continue;
        }
        tokio::select! {
            () = d.queue.wake.notified() => {
                if gather(&d.queue.wake, &mut stop).await {
                    return;
                }
            }
            () = tokio::time::sleep(LOOK_AGAIN) => {}
            () = stopped(&mut stop) => return,
        }
    }
}

/// After a cue: waits for the messages right behind it, as long as they
/// keep coming GATHER apart, up to GATHER_MOST in all, so that they are
/// stored in one transaction. True when the service stops meanwhile.
async fn gather(wake: &tokio::sync::Notify, stop: &mut watch::Receiver<bool>) -> bool {
    let most = tokio::time::Instant::now() + GATHER_MOST;
    loop {
        tokio::select! {
            () = wake.notified() => {
                if tokio::time::Instant::now() >= most {
                    return false;
                }
            }
            () = tokio::time::sleep(GATHER) => return false,
            () = tokio::time::sleep_until(most) => return false,
            () = stopped(stop) => return true,
        }
    }
}

/// After a failed attempt: the delivery queue in Retry (why, and when it is
/// tried again), then the wait until that time, which Retry-Queue may bring
/// forward. True when the service stops meanwhile.
async fn retry_later(d: &Deliverer, e: &MailError, stop: &mut watch::Receiver<bool>) -> bool {
    let now = crate::store::clock::now_unix();
    let retry = QueueRetry {
        last_error: format!("{} {e}", texts::TRANSIENT_DELIVERY),
        last_retry: now,
        next_retry: now + d.retry().as_secs() as i64,
    };
    d.retrying.store(true, Ordering::Relaxed);
    let recorded = blocking(&d.queue, move |db| db.set_delivery_retry(&retry)).await;
    if let Err(e) = &recorded {
        eprintln!("mailsh: delivery: the queue's retry state could not be recorded: {e}");
    }
    let deadline = tokio::time::Instant::now() + d.retry();
    loop {
        let wait = deadline.saturating_duration_since(tokio::time::Instant::now()).min(LOOK_AGAIN);
        if wait.is_zero() {
            return false;
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = stopped(stop) => return true,
        }
        if recorded.is_ok()
            && let Ok(Some(r)) = blocking(&d.queue, |db| db.delivery_retry()).await
            && r.next_retry <= crate::store::clock::now_unix()
        {
            return false;
        }
    }
}

pub(super) async fn blocking<T: Send + 'static>(
    queue: &Queue,
    f: impl FnOnce(&mut QueueDb) -> Result<T, MailError> + Send + 'static,
) -> Result<T, MailError> {
    let db = queue.db.clone();
    tokio::task::spawn_blocking(move || f(&mut db.lock().unwrap_or_else(|p| p.into_inner())))
        .await
        .unwrap_or_else(|e| Err(MailError::Task(e.to_string())))
}

fn directory_error(e: StoreError) -> MailError {
    MailError::Task(format!("the directory could not be read: {e}"))
}

/// One batch of the queue: read, stored in the mailboxes in one
/// transaction, then forgotten by the queue (failures with their reports)
/// in one transaction each.
async fn deliver_batch(d: &Deliverer) -> Result<usize, MailError> {
    let mailboxes = d.mailboxes();
    let held = d.held_now();
    let batch = with_raw(&d.queue, move |db| Ok(within_mailboxes(db.pending_except(BATCH, &held)?, mailboxes))).await?;
    if batch.is_empty() {
        return Ok(0);
    }
    // Where each recipient's mailbox is: its database's home here, gone
    // (None), or not served here now.
    let guids: Vec<String> = batch.iter().map(|(p, _)| p.recipient.mailbox_guid.clone()).collect();
    let (directory, dbs) = (d.directory.clone(), d.mail.clone());
    let places = tokio::task::spawn_blocking(move || {
        directory.with(|s| {
            let mut places: HashMap<String, Option<Placement>> = HashMap::new();
            for guid in guids {
                if places.contains_key(&guid) {
                    continue;
                }
                let place = dbs.place_by_guid(s, &guid)?;
                places.insert(guid, place);
            }
            Ok(places)
        })
    })
    .await
    .map_err(|e| MailError::Task(e.to_string()))?
    .map_err(directory_error)?;
    // The copies of each database, stored in one transaction there.
    let mut homes: HashMap<std::path::PathBuf, (Home, Vec<usize>)> = HashMap::new();
    let mut outcomes: Vec<Option<Delivered>> = vec![None; batch.len()];
    // The deliveries for mailboxes of other servers, by server.
    let mut elsewhere: Vec<(OtherServer, Vec<usize>)> = Vec::new();
    for (i, (p, _)) in batch.iter().enumerate() {
        match places.get(&p.recipient.mailbox_guid) {
            Some(Some(Placement::Here(home))) => {
                homes.entry(home.pool.path().to_path_buf()).or_insert_with(|| (home.clone(), Vec::new())).1.push(i);
            }
            Some(Some(Placement::Elsewhere(server))) => match elsewhere.iter_mut().find(|(s, _)| s.guid == server.guid)
            {
                Some((_, v)) => v.push(i),
                None => elsewhere.push((server.clone(), vec![i])),
            },
            Some(Some(Placement::Unavailable(why))) => {
                eprintln!("mailsh: delivery: mail for {} waits: {why}", p.recipient.address);
                d.hold(&p.recipient.mailbox_guid);
            }
            Some(None) | None => outcomes[i] = Some(Delivered::NoMailbox),
        }
    }
    // A database that cannot be written holds its own mail while the
    // others are delivered; when none could be, the delivery queue goes
    // into Retry with the error, as before.
    let (several, mut stored_any, mut failure) = (homes.len() > 1, false, None);
    // Mailboxes that got copies now, to be weighed against their quotas.
    let mut grown: Vec<(Home, Vec<String>)> = Vec::new();
    for (home, indexes) in homes.into_values() {
        let deliveries: Vec<Delivery> = indexes
            .iter()
            .map(|&i| {
                let (p, raw) = &batch[i];
                Delivery {
                    key: format!("{}/{}", p.message_guid, p.recipient.address.to_lowercase()),
                    guid: p.recipient.mailbox_guid.clone(),
                    internal_date: p.received,
                    raw: raw.clone(),
                }
            })
            .collect();
        let directory = d.directory.clone();
        let stored = home
            .pool
            .run(move |db| {
                let mut listing = |guid: &str| directory.with(|s| s.mailbox_listing(guid)).map_err(directory_error);
                db.deliver_all(&deliveries, &mut listing)
            })
            .await;
        let stored = match stored {
            Ok(stored) => stored,
            Err(e) => {
                eprintln!("mailsh: delivery: {}: {e}", home.pool.path().display());
                if several {
                    for &i in &indexes {
                        d.hold(&batch[i].0.recipient.mailbox_guid);
                    }
                }
                failure = Some(e);
                continue;
            }
        };
        stored_any = true;
        home.changed.notify();
        let mut guids: Vec<String> = Vec::new();
        for (i, outcome) in indexes.into_iter().zip(stored) {
            let guid = &batch[i].0.recipient.mailbox_guid;
            if matches!(outcome, Delivered::Now(_)) && !guids.contains(guid) {
                guids.push(guid.clone());
            }
            outcomes[i] = Some(outcome);
        }
        grown.push((home, guids));
    }
    for (home, guids) in grown {
        super::quota_notice::after_delivery(&d.directory, &d.server, &home, guids).await;
    }
    let relayed = if elsewhere.is_empty() { 0 } else { relay(d, &batch, elsewhere).await? };
    if let (false, Some(e)) = (stored_any, failure) {
        return Err(e);
    }
    // Held recipients stay in the queue as they are.
    let (batch, outcomes): (Vec<_>, Vec<_>) =
        batch.into_iter().zip(outcomes).filter_map(|(b, o)| o.map(|o| (b, o))).unzip();
    let n = batch.len();
    if n == 0 {
        return Ok(relayed);
    }
    let mut done = Vec::new();
    let mut gone = Vec::new();
    // Stored now (not before a restart): message, sender, text, recipients.
    let mut stored: BTreeMap<i64, (String, Vec<u8>, Vec<String>)> = BTreeMap::new();
    // Delivered, now or before a restart, and the sender asked to hear it:
    // the notification is queued with the queue's record of the delivery.
    let mut notify = Vec::new();
    for ((p, raw), outcome) in batch.into_iter().zip(outcomes) {
        let wanted = p.recipient.dsn.wants_success();
        match outcome {
            Delivered::Now(_) => {
                done.push((p.message_id, p.recipient.address.clone()));
                if wanted {
                    notify.push((p.clone(), raw.clone(), String::new()));
                }
                stored
                    .entry(p.message_id)
                    .or_insert_with(|| (p.sender.clone(), raw, Vec::new()))
                    .2
                    .push(p.recipient.address);
            }
            Delivered::Already(_) => {
                done.push((p.message_id, p.recipient.address.clone()));
                if wanted {
                    notify.push((p, raw, String::new()));
                }
            }
            Delivered::NoMailbox => gone.push((p, raw, texts::RECIPIENT_GONE)),
            Delivered::Full => gone.push((p, raw, texts::MAILBOX_FULL)),
        }
    }
    if !done.is_empty() {
        // The copies are stored: the queue records it even when the
        // notices cannot be made.
        let (reports, events) =
            notices(&d.directory, &d.server, Action::Delivered, None, notify).await.unwrap_or_else(|e| {
                eprintln!("mailsh: delivery: the delivery notifications could not be made: {e}");
                (Vec::new(), Vec::new())
            });
        blocking(&d.queue, move |db| db.delivered_all(&done, &reports)).await?;
        for e in &events {
            d.queue.tracking.write(e);
        }
    }
    for (internal_id, (sender, raw, recipients)) in stored {
        let about = track::About { internal_id, sender: &sender, raw: &raw };
        d.queue.tracking.write(&track::delivered(&d.server, &about, recipients));
    }
    fail(d, "STOREDRIVER", gone).await?;
    Ok(n + relayed)
}

/// The deliveries for mailboxes of other servers, relayed to their
/// Transports (`intra_org`): what was taken is done here (tracked SEND),
/// what was refused fails and is reported, the rest waits. Returns how
/// many were taken or refused.
async fn relay(
    d: &Deliverer,
    batch: &[(PendingDelivery, Vec<u8>)],
    elsewhere: Vec<(OtherServer, Vec<usize>)>,
) -> Result<usize, MailError> {
    let outcome = super::intra_org::relay(&d.directory, &d.key, &d.server.fqdn, batch, elsewhere).await;
    for (i, why) in &outcome.waiting {
        eprintln!("mailsh: delivery: mail for {} waits: {why}", batch[*i].0.recipient.address);
        d.hold(&batch[*i].0.recipient.mailbox_guid);
    }
    let done: Vec<(i64, String)> =
        outcome.taken.iter().map(|(i, _)| (batch[*i].0.message_id, batch[*i].0.recipient.address.clone())).collect();
    if !done.is_empty() {
        blocking(&d.queue, move |db| db.delivered_all(&done, &[])).await?;
    }
    // One SEND per message and server.
    let mut sent: BTreeMap<(i64, String), Vec<String>> = BTreeMap::new();
    for (i, server) in &outcome.taken {
        sent.entry((batch[*i].0.message_id, server.clone())).or_default().push(batch[*i].0.recipient.address.clone());
    }
    for ((id, _), recipients) in sent {
        if let Some((p, raw)) = batch.iter().find(|(p, _)| p.message_id == id) {
            let about = track::About { internal_id: id, sender: &p.sender, raw };
            d.queue.tracking.write(&track::sent(&d.server, &about, INTRA_ORGANIZATION, recipients));
        }
    }
    let n = outcome.taken.len() + outcome.refused.len();
    let refused =
        outcome.refused.into_iter().map(|(i, reply)| (batch[i].0.clone(), batch[i].1.clone(), reply)).collect();
    fail_and_report(&d.queue, &d.directory, &d.server, "SMTP", refused).await?;
    Ok(n)
}

/// The connector Get-MessageTrackingLog names for mail between servers.
const INTRA_ORGANIZATION: &str = "Intra-Organization SMTP Send Connector";

/// The oldest deliveries of `pending` that go to at most `mailboxes`
/// mailboxes (MaxConcurrentMailboxDeliveries): the batch stops before the
/// first delivery to one more, so the queue's order is kept.
fn within_mailboxes(mut pending: Vec<PendingDelivery>, mailboxes: usize) -> Vec<PendingDelivery> {
    let mut seen: Vec<&str> = Vec::new();
    let mut keep = pending.len();
    for (i, p) in pending.iter().enumerate() {
        let guid = p.recipient.mailbox_guid.as_str();
        if !seen.contains(&guid) {
            if seen.len() == mailboxes {
                keep = i;
                break;
            }
            seen.push(guid);
        }
    }
    pending.truncate(keep);
    pending
}

/// Pending deliveries as `pick` chooses them, each with its message (a
/// message removed meanwhile has nothing left to deliver).
pub(super) async fn with_raw(
    queue: &Queue,
    pick: impl FnOnce(&QueueDb) -> Result<Vec<PendingDelivery>, MailError> + Send + 'static,
) -> Result<Vec<(PendingDelivery, Vec<u8>)>, MailError> {
    blocking(queue, move |db| {
        let mut out = Vec::new();
        for p in pick(db)? {
            if let Some(raw) = db.message_raw(p.message_id)? {
                out.push((p, raw));
            }
        }
        Ok(out)
    })
    .await
}

/// The recipients whose messages waited past MessageExpirationTimeout
/// fail with 4.4.7, reported to their senders.
async fn expire(d: &Deliverer) -> Result<usize, MailError> {
    let cutoff = crate::store::clock::now_unix() - d.settings.message_expiration_timeout;
    let expired = with_raw(&d.queue, move |db| db.expired(cutoff, BATCH)).await?;
    let n = expired.len();
    fail(d, "QUEUE", expired.into_iter().map(|(p, raw)| (p, raw, texts::MESSAGE_EXPIRED)).collect()).await?;
    Ok(n)
}

/// The recipients still waiting after DelayNotificationTimeout: their
/// senders told once (as NOTIFY allows). They are claimed first, in one
/// transaction, so a recipient delivered meanwhile is not told it waits; a
/// crash between the claim and the notice loses the notice (it only
/// advises), never sends it twice.
async fn tell_delays(d: &Deliverer) -> Result<usize, MailError> {
    let cutoff = crate::store::clock::now_unix() - d.settings.delay_notification_timeout;
    let waiting = blocking(&d.queue, move |db| {
        let mut out = Vec::new();
        for (p, last_error) in db.claim_delayed(cutoff, BATCH)? {
            if let Some(raw) = db.message_raw(p.message_id)? {
                out.push((p, raw, last_error.unwrap_or_default()));
            }
        }
        Ok(out)
    })
    .await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let n = waiting.len();
    let expiration = Some(d.settings.message_expiration_timeout);
    let (reports, events) = notices(&d.directory, &d.server, Action::Delayed, expiration, waiting).await?;
    blocking(&d.queue, move |db| db.queue_notices(&reports)).await?;
    for e in &events {
        d.queue.tracking.write(e);
    }
    Ok(n)
}

/// Recipients failed for good, with the reply that says why: recorded, and
/// reported, in one transaction of the queue.
async fn fail(
    d: &Deliverer,
    source: &'static str,
    failed: Vec<(PendingDelivery, Vec<u8>, &'static str)>,
) -> Result<(), MailError> {
    let failed = failed.into_iter().map(|(p, raw, reply)| (p, raw, reply.to_string())).collect();
    fail_and_report(&d.queue, &d.directory, &d.server, source, failed).await
}

/// The failures of a batch, the reports to their senders, and the
/// tracking events that say so (written once the queue committed them).
struct Failures {
    failures: Vec<Failure>,
    reports: Vec<NewQueued>,
    events: Vec<TrackingEvent>,
}

/// Recipients failed for good, each with the reply that says why (the
/// delivery task's, or a remote server's): recorded and reported in one
/// transaction of the queue.
pub(super) async fn fail_and_report(
    queue: &Queue,
    directory: &StoreHandle,
    server: &ServerInfo,
    source: &'static str,
    failed: Vec<(PendingDelivery, Vec<u8>, String)>,
) -> Result<(), MailError> {
    if failed.is_empty() {
        return Ok(());
    }
    let Failures { failures, reports, events } = reports_for(directory, server, source, failed).await?;
    blocking(queue, move |db| db.failed_all(&failures, &reports)).await?;
    for e in &events {
        queue.tracking.write(e);
    }
    Ok(())
}

/// The failures of a batch and the reports to their senders: one report
/// per message, to a sender that can be reached, about the recipients
/// whose NOTIFY asks for failures.
async fn reports_for(
    directory: &StoreHandle,
    server: &ServerInfo,
    source: &'static str,
    gone: Vec<(PendingDelivery, Vec<u8>, String)>,
) -> Result<Failures, MailError> {
    let directory = directory.clone();
    let server = server.clone();
    tokio::task::spawn_blocking(move || {
        let mut failures = Vec::new();
        let mut reports = Vec::new();
        let mut events = Vec::new();
        for (message_id, (p, raw, failed)) in by_message(gone) {
            let (report, event) = notice(&directory, &server, Action::Failed, None, &p, &raw, &failed)?;
            let about = track::About { internal_id: message_id, sender: &p.sender, raw: &raw };
            let pairs: Vec<(String, String)> = failed.iter().map(|f| (f.address.clone(), f.reply.clone())).collect();
            events.push(track::failed(&server, &about, source, &pairs));
            events.extend(event);
            // Reported, or nothing to report (a null sender, NOTIFY without
            // FAILURE); a sender whose domain no send connector carries
            // cannot be sent one, so its recipients stay visible (the
            // Unreachable queue).
            let told = p.sender.is_empty() || report.is_some();
            failures.extend(failed.into_iter().map(|f| Failure {
                message_id,
                reported: told || !f.wanted(Action::Failed),
                address: f.address,
                reason: f.reply,
            }));
            reports.extend(report);
        }
        Ok(Failures { failures, reports, events })
    })
    .await
    .unwrap_or_else(|e| Err(MailError::Task(e.to_string())))
}

/// The notifications of `action` (delivered, relayed, delayed) the
/// senders asked for, one per message, and the tracking events that say
/// so. A delay notification says until when delivery goes on: the
/// message's arrival plus `expiration` (MessageExpirationTimeout).
pub(super) async fn notices(
    directory: &StoreHandle,
    server: &ServerInfo,
    action: Action,
    expiration: Option<i64>,
    items: Vec<(PendingDelivery, Vec<u8>, String)>,
) -> Result<(Vec<NewQueued>, Vec<TrackingEvent>), MailError> {
    if items.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let directory = directory.clone();
    let server = server.clone();
    tokio::task::spawn_blocking(move || {
        let mut reports = Vec::new();
        let mut events = Vec::new();
        for (_, (p, raw, recipients)) in by_message(items) {
            let (report, event) = notice(&directory, &server, action, expiration, &p, &raw, &recipients)?;
            reports.extend(report);
            events.extend(event);
        }
        Ok((reports, events))
    })
    .await
    .unwrap_or_else(|e| Err(MailError::Task(e.to_string())))
}

/// Recipients grouped by message (the first recipient's delivery stands
/// for the message), each with its reply.
fn by_message(
    items: Vec<(PendingDelivery, Vec<u8>, String)>,
) -> BTreeMap<i64, (PendingDelivery, Vec<u8>, Vec<Reported>)> {
    let mut out: BTreeMap<i64, (PendingDelivery, Vec<u8>, Vec<Reported>)> = BTreeMap::new();
    for (p, raw, reply) in items {
        let r = Reported { address: p.recipient.address.clone(), reply, dsn: p.recipient.dsn.clone() };
        out.entry(p.message_id).or_insert_with(|| (p, raw, Vec::new())).2.push(r);
    }
    out
}

/// The notification of one message's `recipients` to its sender, if one
/// is wanted and can be sent, and its DSN tracking event.
fn notice(
    directory: &StoreHandle,
    server: &ServerInfo,
    action: Action,
    expiration: Option<i64>,
    p: &PendingDelivery,
    raw: &[u8],
    recipients: &[Reported],
) -> Result<(Option<NewQueued>, Option<TrackingEvent>), MailError> {
    let retry_until = expiration.map(|e| p.received + e);
    let original =
        Original { sender: &p.sender, raw, arrival: p.received, dsn: &p.dsn, retry_until, smtputf8: p.smtputf8 };
    let report =
        directory.with(|s| dsn::for_sender(s, &server.fqdn, action, &original, recipients)).map_err(directory_error)?;
    let event = report.as_ref().map(|r| {
        let to = r.recipients.first().map(|t| t.address.as_str()).unwrap_or_default();
        let reference = crate::store::header::header_value(raw, "message-id").unwrap_or_default();
        let about = track::About { internal_id: 0, sender: "", raw: &r.raw };
        track::report(server, &about, to, &reference)
    });
    Ok((report, event))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::queue::QueuedRecipient;

    fn to(message_id: i64, mailbox: &str) -> PendingDelivery {
        PendingDelivery {
            message_id,
            message_guid: format!("m{message_id}"),
            sender: String::new(),
            received: 0,
            recipient: QueuedRecipient {
                address: format!("{mailbox}@contoso.com"),
                mailbox_guid: mailbox.into(),
                ..Default::default()
            },
            dsn: Default::default(),
            smtputf8: false,
        }
    }

    #[test]
    fn a_batch_goes_to_at_most_max_concurrent_mailbox_deliveries_mailboxes_in_queue_order() {
        let pending = vec![to(1, "a"), to(2, "b"), to(3, "a"), to(4, "c"), to(5, "b")];
        let ids = |v: Vec<PendingDelivery>| v.into_iter().map(|p| p.message_id).collect::<Vec<_>>();
        assert_eq!(ids(within_mailboxes(pending.clone(), 2)), [1, 2, 3]);
        assert_eq!(ids(within_mailboxes(pending.clone(), 1)), [1]);
        assert_eq!(ids(within_mailboxes(pending, 3)), [1, 2, 3, 4, 5]);
    }
}
