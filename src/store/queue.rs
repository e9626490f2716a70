//! The transport queue (Exchange's mail.que): messages the Transport
//! service has accepted and not yet delivered, in `<store>.d/Queue/mail.que`.
//! A message is answered `250` only after its commit here is on disk (WAL,
//! synchronous=FULL); it leaves the queue once every recipient is
//! delivered, which the mailbox database records in the same transaction as
//! the message (so a delivery repeated after a crash stores nothing twice).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::mail::MailResult;

const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE message (
        id              INTEGER PRIMARY KEY,
        guid            TEXT NOT NULL UNIQUE,
        sender          TEXT NOT NULL,
        received        INTEGER NOT NULL,
        raw             BLOB NOT NULL
    );
    CREATE TABLE recipient (
        message_id      INTEGER NOT NULL REFERENCES message(id) ON DELETE CASCADE,
        address         TEXT NOT NULL,
        mailbox_guid    TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'Ready',
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        PRIMARY KEY (message_id, address)
    );
    CREATE INDEX recipient_ready ON recipient (status, message_id);
    "#,
    r#"
    -- Suspend-Message holds a message (Ready or Suspended); Suspend-Queue
    -- holds a whole queue (today the Submission queue).
    ALTER TABLE message ADD COLUMN status TEXT NOT NULL DEFAULT 'Ready';
    ALTER TABLE message ADD COLUMN subject TEXT NOT NULL DEFAULT '';
    ALTER TABLE message ADD COLUMN internet_message_id TEXT NOT NULL DEFAULT '';
    -- Expiry looks for the oldest messages twice a second.
    CREATE INDEX message_received ON message (received);
    CREATE TABLE queue_state (
        name            TEXT PRIMARY KEY,
        status          TEXT NOT NULL
    );
    "#,
    r#"
    -- The delivery queue ('1') in Retry after a failed attempt: why, when,
    -- and when delivery tries again (Retry-Queue brings it forward).
    ALTER TABLE queue_state ADD COLUMN last_error TEXT;
    ALTER TABLE queue_state ADD COLUMN last_retry INTEGER;
    ALTER TABLE queue_state ADD COLUMN next_retry INTEGER;
    "#,
    r#"
    -- A recipient outside the organization leaves through a send
    -- connector: its row number (0: a mailbox of this organization), and
    -- when the next attempt may be made after a temporary failure.
    ALTER TABLE recipient ADD COLUMN connector INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE recipient ADD COLUMN next_attempt INTEGER NOT NULL DEFAULT 0;
    "#,
    r#"
    -- Suspend-Queue of any queue (Submission's hold was its status).
    ALTER TABLE queue_state ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;
    UPDATE queue_state SET suspended = 1, status = 'Ready' WHERE name = 'Submission' AND status = 'Suspended';
    "#,
    r#"
    -- What the sender asked of delivery status notifications (RFC 3461):
    -- RET and ENVID for the message, NOTIFY (a bit set, 0 when not given)
    -- and ORCPT for each recipient.
    ALTER TABLE message ADD COLUMN dsn_ret TEXT NOT NULL DEFAULT '';
    ALTER TABLE message ADD COLUMN dsn_envid TEXT NOT NULL DEFAULT '';
    ALTER TABLE recipient ADD COLUMN notify INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE recipient ADD COLUMN orcpt TEXT NOT NULL DEFAULT '';
    "#,
    r#"
    -- The sender was told the recipient is delayed (once).
    ALTER TABLE recipient ADD COLUMN delay_notified INTEGER NOT NULL DEFAULT 0;
    "#,
    r#"
    -- MAIL FROM's SMTPUTF8 (RFC 6531): only a server that offers it may
    -- be handed the message.
    ALTER TABLE message ADD COLUMN smtputf8 INTEGER NOT NULL DEFAULT 0;
    "#,
    r#"
    -- The transactions already queued, by the identifier their submitter
    -- gave (MAIL FROM's TRANSID on a hand-off, RFC 1845): the Mailbox
    -- Transport Submission service submits a message again when it could
    -- not file it after the 250, and it is queued once. Kept a week.
    CREATE TABLE submitted (
        transid         TEXT PRIMARY KEY,
        message_id      INTEGER NOT NULL,
        at              INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX submitted_at ON submitted (at);
    "#,
];

/// How long a submission's TRANSID is remembered.
const SUBMITTED_KEPT: i64 = 7 * 24 * 3600;

/// The queue beside the config store at `store_path`.
pub fn queue_path(store_path: &Path) -> PathBuf {
    super::state_dir_for(store_path).join("Queue").join("mail.que")
}

/// One recipient of a queued message, resolved to its mailbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueuedRecipient {
    pub address: String,
    /// Empty for a recipient outside the organization.
    pub mailbox_guid: String,
    /// The send connector (its row number) that carries it out of the
    /// organization; 0 for a mailbox; `UNROUTED` when none did.
    pub connector: i64,
    /// The notifications the sender asked for this recipient.
    pub dsn: RecipientDsn,
}

/// RCPT TO's NOTIFY and ORCPT (RFC 3461).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecipientDsn {
    /// `NOTIFY_*` bits; 0 when the sender did not say (failures and
    /// delays reported, as without DSN).
    pub notify: u8,
    /// The original recipient the sender named (ORCPT's rfc822 address);
    /// empty when not given.
    pub orcpt: String,
}

pub const NOTIFY_SUCCESS: u8 = 1;
pub const NOTIFY_FAILURE: u8 = 2;
pub const NOTIFY_DELAY: u8 = 4;
pub const NOTIFY_NEVER: u8 = 8;

impl RecipientDsn {
    /// A failure is reported unless the sender asked for other
    /// notifications only, or none (NEVER).
    pub fn wants_failure(&self) -> bool {
        self.notify == 0 || self.notify & NOTIFY_FAILURE != 0
    }

    pub fn wants_success(&self) -> bool {
        self.notify & NOTIFY_SUCCESS != 0
    }

    /// A delay is reported unless the sender asked for other
    /// notifications only, or none (NEVER).
    pub fn wants_delay(&self) -> bool {
        self.notify == 0 || self.notify & NOTIFY_DELAY != 0
    }

    /// NOTIFY's value as RFC 3461 writes it; None when not given.
    pub fn notify_keywords(&self) -> Option<String> {
        if self.notify == 0 {
            return None;
        }
        if self.notify & NOTIFY_NEVER != 0 {
            return Some("NEVER".into());
        }
        let words: Vec<&str> = [(NOTIFY_SUCCESS, "SUCCESS"), (NOTIFY_FAILURE, "FAILURE"), (NOTIFY_DELAY, "DELAY")]
            .into_iter()
            .filter(|(bit, _)| self.notify & bit != 0)
            .map(|(_, word)| word)
            .collect();
        Some(words.join(","))
    }
}

/// MAIL FROM's RET and ENVID (RFC 3461).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageDsn {
    /// `FULL`, `HDRS`, or empty when not given (a report returns the
    /// original's header).
    pub ret: String,
    /// The sender's envelope identifier; empty when not given.
    pub envid: String,
}

/// `QueuedRecipient::connector` of a recipient outside the organization
/// that no send connector carried when it was queued (a forwarding
/// address): it waits in the Unreachable queue, tried again by domain.
pub const UNROUTED: i64 = -1;

/// One delivery still to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDelivery {
    pub message_id: i64,
    pub message_guid: String,
    /// The envelope's reverse-path; empty for a null one (`MAIL FROM:<>`).
    pub sender: String,
    pub received: i64,
    pub recipient: QueuedRecipient,
    pub dsn: MessageDsn,
    /// Sent with SMTPUTF8: internationalized addresses or header fields.
    pub smtputf8: bool,
}

/// A message to put in the queue (a non-delivery report, made by the
/// delivery task or Remove-Message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQueued {
    pub guid: String,
    pub sender: String,
    pub recipients: Vec<QueuedRecipient>,
    pub received: i64,
    pub raw: Vec<u8>,
    pub dsn: MessageDsn,
    pub smtputf8: bool,
}

/// A recipient that cannot be delivered, ever.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message_id: i64,
    pub address: String,
    /// The SMTP reply that says why (`550 5.1.1 ...`).
    pub reason: String,
    /// The failure was reported (a non-delivery report is queued in the same
    /// transaction) or needs none (a null sender): the recipient leaves the
    /// queue. Otherwise it stays, Failed, in the Unreachable queue.
    pub reported: bool,
}

/// Which of the Transport's queues a message is in (Get-Queue, Get-Message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueName {
    /// Held while the Submission queue is suspended.
    Submission,
    /// Waiting for delivery into the mailbox database (Exchange's `1`).
    Delivery,
    /// A recipient failed and its report could not be sent.
    Unreachable,
    /// Waiting to leave through a send connector (its row number): the
    /// queue `Server\<number + 1>`.
    Remote(i64),
}

impl QueueName {
    /// The queue's name after `Server\`.
    pub fn name(self) -> String {
        match self {
            QueueName::Submission => "Submission".into(),
            QueueName::Delivery => "1".into(),
            QueueName::Unreachable => "Unreachable".into(),
            QueueName::Remote(connector) => (connector + 1).to_string(),
        }
    }
}

/// A message as Get-Message shows it: one per queue it has recipients in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMessage {
    pub id: i64,
    pub guid: String,
    pub sender: String,
    pub received: i64,
    pub size: u64,
    pub subject: String,
    /// The Message-ID field's value.
    pub internet_message_id: String,
    /// Ready or Suspended.
    pub status: String,
    pub queue: QueueName,
    /// The recipients in this queue: address, status, last error.
    pub recipients: Vec<(String, String, Option<String>)>,
    pub last_error: Option<String>,
}

/// The delivery queue after a failed attempt (Get-Queue's Status Retry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRetry {
    /// The reply that says why the last attempt failed.
    pub last_error: String,
    /// When it failed, and when delivery tries again (Unix seconds).
    pub last_retry: i64,
    pub next_retry: i64,
}

pub struct QueueDb {
    conn: Connection,
}

const SUBMISSION_HELD: &str = "EXISTS (SELECT 1 FROM queue_state WHERE name = 'Submission' AND suspended = 1)";
/// A recipient's own queue (`1`, or its connector's) is suspended.
const QUEUE_HELD: &str = "EXISTS (SELECT 1 FROM queue_state q WHERE q.suspended = 1 AND q.name = \
     CASE WHEN r.connector = 0 THEN '1' ELSE CAST(r.connector + 1 AS TEXT) END)";

impl QueueDb {
    pub fn open(path: &Path) -> MailResult<QueueDb> {
        // A message answered 250 must survive kill -9 and power loss.
        let conn = super::mail::open_durable(path, MIGRATIONS)?;
        Ok(QueueDb { conn })
    }

    /// Queues a message for its recipients; on disk when this returns.
    pub fn enqueue(&mut self, message: &NewQueued) -> MailResult<i64> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = insert(&tx, message)?;
        tx.commit()?;
        Ok(id)
    }

    /// Queues a message once for the transaction `transid`: the queue's
    /// number, and whether it was queued now (false: an earlier submission
    /// of the same transaction was, and nothing is added).
    pub fn enqueue_once(&mut self, message: &NewQueued, transid: &str) -> MailResult<(i64, bool)> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known: Option<i64> =
            tx.query_row("SELECT message_id FROM submitted WHERE transid = ?1", [transid], |r| r.get(0)).optional()?;
        if let Some(id) = known {
            return Ok((id, false));
        }
        let id = insert(&tx, message)?;
        tx.execute(
            "INSERT INTO submitted (transid, message_id, at) VALUES (?1, ?2, ?3)",
            params![transid, id, message.received],
        )?;
        tx.execute("DELETE FROM submitted WHERE at < ?1", [message.received - SUBMITTED_KEPT])?;
        tx.commit()?;
        Ok((id, true))
    }

    /// Up to `limit` deliveries still to make, oldest first: none of a
    /// suspended message, none while the Submission queue is suspended.
    pub fn pending(&self, limit: usize) -> MailResult<Vec<PendingDelivery>> {
        self.ready("r.connector = 0", params![limit as i64])
    }

    /// `pending`, leaving out the recipients in the mailboxes `held` (their
    /// database is not served now): they wait while the others go on.
    pub fn pending_except(&self, limit: usize, held: &[String]) -> MailResult<Vec<PendingDelivery>> {
        if held.is_empty() {
            return self.pending(limit);
        }
        let slots: Vec<String> = (0..held.len()).map(|i| format!("?{}", i + 2)).collect();
        let which = format!("r.connector = 0 AND r.mailbox_guid NOT IN ({})", slots.join(", "));
        let mut args: Vec<rusqlite::types::Value> = vec![(limit as i64).into()];
        args.extend(held.iter().map(|g| g.clone().into()));
        self.ready(&which, rusqlite::params_from_iter(args))
    }

    /// Up to `limit` recipients outside the organization whose next attempt
    /// is due at `now`, oldest message first, with the same holds as
    /// `pending`.
    pub fn pending_remote(&self, now: i64, limit: usize) -> MailResult<Vec<PendingDelivery>> {
        self.ready("r.connector <> 0 AND r.next_attempt <= ?2", params![limit as i64, now])
    }

    /// Up to `?1` Ready recipients that `which` picks, of messages neither
    /// suspended nor held in Submission, oldest message first.
    fn ready(&self, which: &str, args: impl rusqlite::Params) -> MailResult<Vec<PendingDelivery>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PENDING_COLUMNS} FROM recipient r \
             JOIN message m ON m.id = r.message_id WHERE r.status = 'Ready' AND m.status = 'Ready' \
             AND {which} AND NOT {SUBMISSION_HELD} AND NOT {QUEUE_HELD} ORDER BY m.id LIMIT ?1"
        ))?;
        let rows = stmt.query_map(args, pending_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// When the next recipient outside the organization is due (a deferred
    /// one's next attempt), if any waits.
    pub fn next_remote_attempt(&self) -> MailResult<Option<i64>> {
        Ok(self.conn.query_row(
            "SELECT min(next_attempt) FROM recipient WHERE status = 'Ready' AND connector <> 0",
            [],
            |r| r.get(0),
        )?)
    }

    /// A temporary failure to send (the smart host refused with 4xx or
    /// could not be reached): the recipients are tried again at `next`, the
    /// reply kept for Get-Queue and Get-Message; in one transaction.
    pub fn deferred_all(&mut self, deferred: &[(i64, String)], reason: &str, next: i64) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (message_id, address) in deferred {
            tx.prepare_cached(
                "UPDATE recipient SET attempts = attempts + 1, last_error = ?3, next_attempt = ?4 \
                 WHERE message_id = ?1 AND address = ?2",
            )?
            .execute(params![message_id, address, reason, next])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Up to `limit` recipients still to deliver of messages queued before
    /// `cutoff` (Unix seconds), held or not: MessageExpirationTimeout has
    /// passed for them.
    pub fn expired(&self, cutoff: i64, limit: usize) -> MailResult<Vec<PendingDelivery>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PENDING_COLUMNS} FROM recipient r \
                 JOIN message m ON m.id = r.message_id WHERE r.status = 'Ready' AND m.received < ?1 \
                 ORDER BY m.id LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![cutoff, limit as i64], pending_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Takes up to `limit` recipients still waiting, of messages queued
    /// before `cutoff`, whose sender was not yet told of the delay: marked
    /// told in the same transaction, so each is told at most once and only
    /// while it still waits. Each comes with the reply of its last attempt,
    /// if one failed.
    pub fn claim_delayed(&mut self, cutoff: i64, limit: usize) -> MailResult<Vec<(PendingDelivery, Option<String>)>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let claimed = {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {PENDING_COLUMNS}, r.last_error FROM recipient r \
                     JOIN message m ON m.id = r.message_id WHERE r.status = 'Ready' AND r.delay_notified = 0 \
                     AND m.received < ?1 ORDER BY m.id LIMIT ?2"
            ))?;
            let rows =
                stmt.query_map(params![cutoff, limit as i64], |r| Ok((pending_row(r)?, r.get(PENDING_WIDTH)?)))?;
            rows.collect::<Result<Vec<(PendingDelivery, Option<String>)>, _>>()?
        };
        for (p, _) in &claimed {
            tx.prepare_cached("UPDATE recipient SET delay_notified = 1 WHERE message_id = ?1 AND address = ?2")?
                .execute(params![p.message_id, p.recipient.address])?;
        }
        tx.commit()?;
        Ok(claimed)
    }

    /// Queues notifications (delay notices), in one transaction.
    pub fn queue_notices(&mut self, reports: &[NewQueued]) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for r in reports {
            insert(&tx, r)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn message_raw(&self, message_id: i64) -> MailResult<Option<Vec<u8>>> {
        Ok(self.conn.query_row("SELECT raw FROM message WHERE id = ?1", [message_id], |r| r.get(0)).optional()?)
    }

    /// Changes whenever another connection commits (a cmdlet resumed a
    /// message or a queue): the delivery task's cue to look again.
    pub fn data_version(&self) -> MailResult<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// The recipient is delivered; the message leaves the queue with its
    /// last recipient.
    pub fn delivered(&mut self, message_id: i64, address: &str) -> MailResult<()> {
        self.delivered_all(&[(message_id, address.to_string())], &[])
    }

    /// Several recipients delivered, in one transaction.
    /// Recipients delivered (or sent on), and the notifications their
    /// senders asked for, in one transaction: a notification is queued
    /// exactly once.
    pub fn delivered_all(&mut self, done: &[(i64, String)], reports: &[NewQueued]) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (message_id, address) in done {
            forget_recipient(&tx, *message_id, address)?;
        }
        for r in reports {
            insert(&tx, r)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A delivery failed for good (the mailbox is gone): the recipient
    /// stays in the queue as Failed with the reason, for Get-Queue.
    pub fn failed(&mut self, message_id: i64, address: &str, reason: &str) -> MailResult<()> {
        let failure = Failure { message_id, address: address.into(), reason: reason.into(), reported: false };
        self.failed_all(&[failure], &[])
    }

    /// Recipients that failed for good, and the reports that tell their
    /// senders, in one transaction: a report is never queued without its
    /// failure recorded, nor a reported recipient kept.
    pub fn failed_all(&mut self, failures: &[Failure], reports: &[NewQueued]) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for f in failures {
            if f.reported {
                forget_recipient(&tx, f.message_id, &f.address)?;
            } else {
                tx.prepare_cached(
                    "UPDATE recipient SET status = 'Failed', attempts = attempts + 1, last_error = ?3 \
                     WHERE message_id = ?1 AND address = ?2",
                )?
                .execute(params![f.message_id, f.address, f.reason])?;
            }
        }
        for r in reports {
            insert(&tx, r)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Messages with a recipient still to deliver, and messages with one
    /// that failed for good (Get-Queue's delivery and Unreachable queues).
    pub fn counts(&self) -> MailResult<(u64, u64)> {
        let count = |status: &str| -> MailResult<u64> {
            Ok(self.conn.query_row(
                "SELECT count(DISTINCT message_id) FROM recipient WHERE status = ?1",
                [status],
                |r| r.get::<_, i64>(0),
            )? as u64)
        };
        Ok((count("Ready")?, count("Failed")?))
    }

    /// Messages in the queue (Ready or Failed recipients).
    pub fn message_count(&self) -> MailResult<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM message", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Is the Submission queue suspended (Suspend-Queue)?
    pub fn submission_suspended(&self) -> MailResult<bool> {
        Ok(self.conn.query_row(&format!("SELECT {SUBMISSION_HELD}"), [], |r| r.get(0))?)
    }

    /// Suspend-Queue / Resume-Queue of the queue named `name` (after
    /// `Server\`): Submission holds every message, a delivery queue its own
    /// recipients; the hold stays until Resume-Queue.
    pub fn set_suspended(&mut self, name: &str, suspended: bool) -> MailResult<()> {
        self.conn.execute(
            "INSERT INTO queue_state (name, status, suspended) VALUES (?1, 'Ready', ?2) \
             ON CONFLICT (name) DO UPDATE SET suspended = excluded.suspended",
            params![name, suspended],
        )?;
        Ok(())
    }

    /// The names of the suspended queues.
    pub fn suspended_queues(&self) -> MailResult<Vec<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT name FROM queue_state WHERE suspended = 1 ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The delivery queue's failed attempt, while it is in Retry.
    pub fn delivery_retry(&self) -> MailResult<Option<QueueRetry>> {
        Ok(self
            .conn
            .query_row(
                "SELECT last_error, last_retry, next_retry FROM queue_state WHERE name = '1' AND status = 'Retry'",
                [],
                |r| {
                    Ok(QueueRetry {
                        last_error: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                        last_retry: r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                        next_retry: r.get::<_, Option<i64>>(2)?.unwrap_or_default(),
                    })
                },
            )
            .optional()?)
    }

    /// A delivery attempt failed: the delivery queue is in Retry.
    pub fn set_delivery_retry(&mut self, retry: &QueueRetry) -> MailResult<()> {
        self.conn.execute(
            "INSERT INTO queue_state (name, status, last_error, last_retry, next_retry) \
             VALUES ('1', 'Retry', ?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET status = excluded.status, \
             last_error = excluded.last_error, last_retry = excluded.last_retry, next_retry = excluded.next_retry",
            params![retry.last_error, retry.last_retry, retry.next_retry],
        )?;
        Ok(())
    }

    /// A delivery succeeded: the delivery queue is no longer in Retry.
    pub fn clear_delivery_retry(&mut self) -> MailResult<()> {
        // The row stays when it holds a suspension.
        self.conn.execute(
            "UPDATE queue_state SET status = 'Ready', last_error = NULL, last_retry = NULL, next_retry = NULL \
             WHERE name = '1'",
            [],
        )?;
        Ok(())
    }

    /// Retry-Queue of the delivery queue: a queue in Retry is tried at
    /// `now` instead of at its next retry time.
    /// Retry-Queue of a send connector's queue: its recipients waiting
    /// after a temporary failure are tried now.
    pub fn retry_remote_now(&mut self, connector: i64) -> MailResult<()> {
        self.conn
            .execute("UPDATE recipient SET next_attempt = 0 WHERE connector = ?1 AND status = 'Ready'", [connector])?;
        Ok(())
    }

    pub fn retry_delivery_at(&mut self, now: i64) -> MailResult<()> {
        self.conn.execute(
            "UPDATE queue_state SET next_retry = ?1 WHERE name = '1' AND status = 'Retry' AND next_retry > ?1",
            [now],
        )?;
        Ok(())
    }

    /// Every message, once per queue it has recipients in, oldest first.
    pub fn messages(&self) -> MailResult<Vec<QueuedMessage>> {
        let held = self.submission_suspended()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.id, m.guid, m.sender, m.received, length(m.raw), m.subject, m.status, \
             r.address, r.status, r.last_error, m.internet_message_id, r.connector FROM message m \
             JOIN recipient r ON r.message_id = m.id \
             ORDER BY m.id, r.status, r.connector, r.address",
        )?;
        let mut rows = stmt.query([])?;
        let mut out: Vec<QueuedMessage> = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let recipient_status: String = r.get(8)?;
            let connector: i64 = r.get(11)?;
            let queue = match recipient_status.as_str() {
                "Failed" => QueueName::Unreachable,
                _ if held => QueueName::Submission,
                // A recipient no send connector carried when it was queued
                // (a forwarding address): Exchange's Unreachable queue.
                _ if connector == UNROUTED => QueueName::Unreachable,
                _ if connector != 0 => QueueName::Remote(connector),
                _ => QueueName::Delivery,
            };
            let last_error: Option<String> = r.get(9)?;
            let recipient = (r.get::<_, String>(7)?, recipient_status, last_error.clone());
            match out.last_mut() {
                Some(m) if m.id == id && m.queue == queue => {
                    m.recipients.push(recipient);
                    if m.last_error.is_none() {
                        m.last_error = last_error;
                    }
                }
                _ => out.push(QueuedMessage {
                    id,
                    guid: r.get(1)?,
                    sender: r.get(2)?,
                    received: r.get(3)?,
                    size: r.get::<_, i64>(4)?.max(0) as u64,
                    subject: r.get(5)?,
                    internet_message_id: r.get(10)?,
                    status: r.get(6)?,
                    queue,
                    recipients: vec![recipient],
                    last_error,
                }),
            }
        }
        Ok(out)
    }

    /// What the sender of message `message_id` asked of notifications:
    /// RET and ENVID, and each recipient's NOTIFY and ORCPT by address.
    pub fn dsn_requests(&self, message_id: i64) -> MailResult<(MessageDsn, Vec<(String, RecipientDsn)>)> {
        let message = self
            .conn
            .query_row("SELECT dsn_ret, dsn_envid FROM message WHERE id = ?1", [message_id], |r| {
                Ok(MessageDsn { ret: r.get(0)?, envid: r.get(1)? })
            })
            .optional()?
            .unwrap_or_default();
        let mut stmt =
            self.conn.prepare_cached("SELECT address, notify, orcpt FROM recipient WHERE message_id = ?1")?;
        let recipients = stmt
            .query_map([message_id], |r| Ok((r.get(0)?, RecipientDsn { notify: r.get(1)?, orcpt: r.get(2)? })))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((message, recipients))
    }

    /// Suspend-Message / Resume-Message: the messages' status, in one
    /// transaction. False when one of them is no longer queued (nothing
    /// changed then).
    pub fn set_message_status(&mut self, ids: &[i64], status: &str) -> MailResult<bool> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for id in ids {
            if tx.prepare_cached("UPDATE message SET status = ?2 WHERE id = ?1")?.execute(params![id, status])? == 0 {
                return Ok(false);
            }
        }
        tx.commit()?;
        Ok(true)
    }

    /// Remove-Message: the recipients of `queue` leave the message (the
    /// message leaves the queue with its last one), and the reports that
    /// tell the senders are queued, in one transaction.
    pub fn remove(&mut self, removed: &[(i64, QueueName)], reports: &[NewQueued]) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (id, queue) in removed {
            let which = if *queue == QueueName::Unreachable { "r.status = 'Failed'" } else { "r.status <> 'Failed'" };
            let addresses: Vec<String> = tx
                .prepare(&format!("SELECT r.address FROM recipient r WHERE r.message_id = ?1 AND {which}"))?
                .query_map([id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for a in addresses {
                forget_recipient(&tx, *id, &a)?;
            }
        }
        for r in reports {
            insert(&tx, r)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Retry-Queue -Resubmit: recipients categorized again, each to the
    /// mailbox its address resolves to now, and Ready again; in one
    /// transaction.
    pub fn resubmit(&mut self, recipients: &[(i64, QueuedRecipient)]) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (id, r) in recipients {
            tx.prepare_cached(
                "UPDATE recipient SET status = 'Ready', mailbox_guid = ?3, connector = ?4, last_error = NULL, \
                 next_attempt = 0 WHERE message_id = ?1 AND address = ?2",
            )?
            .execute(params![id, r.address, r.mailbox_guid, r.connector])?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// A row of `SELECT m.id, m.guid, m.sender, m.received, r.address,
/// r.mailbox_guid`.
const PENDING_COLUMNS: &str = "m.id, m.guid, m.sender, m.received, r.address, r.mailbox_guid, r.connector, \
     r.notify, r.orcpt, m.dsn_ret, m.dsn_envid, m.smtputf8";
/// How many columns `PENDING_COLUMNS` has.
const PENDING_WIDTH: usize = 12;

fn pending_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PendingDelivery> {
    Ok(PendingDelivery {
        message_id: r.get(0)?,
        message_guid: r.get(1)?,
        sender: r.get(2)?,
        received: r.get(3)?,
        recipient: QueuedRecipient {
            address: r.get(4)?,
            mailbox_guid: r.get(5)?,
            connector: r.get(6)?,
            dsn: RecipientDsn { notify: r.get(7)?, orcpt: r.get(8)? },
        },
        dsn: MessageDsn { ret: r.get(9)?, envid: r.get(10)? },
        smtputf8: r.get(11)?,
    })
}

fn insert(tx: &rusqlite::Transaction<'_>, m: &NewQueued) -> MailResult<i64> {
    let field = |name| super::header::header_value(&m.raw, name).unwrap_or_default();
    tx.prepare_cached(
        "INSERT INTO message (guid, sender, received, raw, subject, internet_message_id, dsn_ret, dsn_envid, smtputf8) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        m.guid,
        m.sender,
        m.received,
        m.raw,
        field("subject"),
        field("message-id"),
        m.dsn.ret,
        m.dsn.envid,
        m.smtputf8
    ])?;
    let id = tx.last_insert_rowid();
    let mut add = tx.prepare_cached(
        "INSERT OR IGNORE INTO recipient (message_id, address, mailbox_guid, connector, notify, orcpt) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for r in &m.recipients {
        add.execute(params![id, r.address, r.mailbox_guid, r.connector, r.dsn.notify, r.dsn.orcpt])?;
    }
    Ok(id)
}

/// The recipient leaves the queue; the message leaves with its last one.
fn forget_recipient(tx: &rusqlite::Transaction<'_>, message_id: i64, address: &str) -> MailResult<()> {
    tx.prepare_cached("DELETE FROM recipient WHERE message_id = ?1 AND address = ?2")?
        .execute(params![message_id, address])?;
    tx.prepare_cached(
        "DELETE FROM message WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM recipient WHERE message_id = ?1)",
    )?
    .execute([message_id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued(guid: &str, sender: &str, recipients: &[QueuedRecipient], received: i64, raw: &[u8]) -> NewQueued {
        NewQueued {
            guid: guid.into(),
            sender: sender.into(),
            recipients: recipients.to_vec(),
            received,
            raw: raw.to_vec(),
            dsn: MessageDsn::default(),
            smtputf8: false,
        }
    }

    /// A transaction submitted again (its submitter crashed after the
    /// 250) is queued once; another transaction is queued; a week on, the
    /// identifier is forgotten.
    #[test]
    fn a_transaction_submitted_twice_is_queued_once() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut q = QueueDb::open(&dir.path().join("Queue/mail.que")).expect("queue opens");
        let to = QueuedRecipient { address: "b@contoso.com".into(), mailbox_guid: "g".into(), ..Default::default() };
        let first = q
            .enqueue_once(&queued("m1", "a@contoso.com", std::slice::from_ref(&to), 100, b"raw"), "1.2.g@mbx")
            .unwrap();
        let again = q
            .enqueue_once(&queued("m2", "a@contoso.com", std::slice::from_ref(&to), 101, b"raw"), "1.2.g@mbx")
            .unwrap();
        assert_eq!((first.1, again), (true, (first.0, false)));
        assert_eq!(q.message_count().unwrap(), 1);
        let other = q
            .enqueue_once(&queued("m3", "a@contoso.com", std::slice::from_ref(&to), 102, b"raw"), "2.2.g@mbx")
            .unwrap();
        assert!(other.1 && other.0 != first.0);
        assert_eq!(q.message_count().unwrap(), 2);
        // A week and more later: the first identifier is no longer kept.
        let later = 102 + SUBMITTED_KEPT + 1;
        q.enqueue_once(&queued("m4", "a@contoso.com", std::slice::from_ref(&to), later, b"raw"), "3.2.g@mbx").unwrap();
        let forgotten = q
            .enqueue_once(&queued("m5", "a@contoso.com", std::slice::from_ref(&to), later, b"raw"), "1.2.g@mbx")
            .unwrap();
        assert!(forgotten.1);
    }

    #[test]
    fn a_suspended_queue_holds_its_own_recipients_until_resumed_and_submission_holds_all() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut q = QueueDb::open(&dir.path().join("Queue/mail.que")).expect("queue opens");
        let local = QueuedRecipient {
            address: "b@contoso.com".into(),
            mailbox_guid: "g".into(),
            connector: 0,
            ..Default::default()
        };
        let remote = QueuedRecipient {
            address: "c@fabrikam.com".into(),
            mailbox_guid: String::new(),
            connector: 4,
            ..Default::default()
        };
        q.enqueue(&queued("m1", "a@contoso.com", &[local, remote], 5, b"raw")).unwrap();
        let counts = |q: &QueueDb| (q.pending(10).unwrap().len(), q.pending_remote(100, 10).unwrap().len());
        assert_eq!(counts(&q), (1, 1));
        // The mailbox delivery queue (`1`): its recipient waits, the other goes.
        q.set_suspended("1", true).unwrap();
        assert_eq!(counts(&q), (0, 1));
        // A failed attempt and a success later leave the hold in place.
        q.set_delivery_retry(&QueueRetry { last_error: "busy".into(), last_retry: 1, next_retry: 2 }).unwrap();
        q.clear_delivery_retry().unwrap();
        assert_eq!(counts(&q), (0, 1));
        // The connector's queue (`5` for connector 4).
        q.set_suspended("5", true).unwrap();
        assert_eq!(counts(&q), (0, 0));
        assert_eq!(q.suspended_queues().unwrap(), ["1", "5"]);
        q.set_suspended("1", false).unwrap();
        q.set_suspended("5", false).unwrap();
        assert_eq!(counts(&q), (1, 1));
        // Submission holds everything.
        q.set_suspended("Submission", true).unwrap();
        assert!(q.submission_suspended().unwrap());
        assert_eq!(counts(&q), (0, 0));
    }

    #[test]
    fn a_message_leaves_the_queue_with_its_last_recipient() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut q = QueueDb::open(&dir.path().join("Queue/mail.que")).expect("queue opens");
        let to = |a: &str| QueuedRecipient {
            address: a.into(),
            mailbox_guid: format!("guid-{a}"),
            connector: 0,
            ..Default::default()
        };
        let id =
            q.enqueue(&queued("m1", "a@fabrikam.com", &[to("b@contoso.com"), to("c@contoso.com")], 5, b"raw")).unwrap();
        let pending = q.pending(10).unwrap();
        assert_eq!(pending.len(), 2);
        assert_eq!(pending[0].message_guid, "m1");
        assert_eq!(q.message_raw(id).unwrap().as_deref(), Some(&b"raw"[..]));
        q.delivered(id, "b@contoso.com").unwrap();
        assert_eq!(q.message_count().unwrap(), 1);
        q.failed(id, "c@contoso.com", "gone").unwrap();
        assert!(q.pending(10).unwrap().is_empty(), "a failed recipient is not retried");
        assert_eq!(q.message_count().unwrap(), 1, "and stays for Get-Queue");
    }

    #[test]
    fn the_delivery_queue_is_in_retry_from_a_failed_attempt_until_a_success_and_retry_queue_brings_it_forward() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("Queue/mail.que");
        let mut q = QueueDb::open(&path).unwrap();
        assert_eq!(q.delivery_retry().unwrap(), None);
        let retry = QueueRetry { last_error: "432 4.2.0 busy".into(), last_retry: 100, next_retry: 1000 };
        q.set_delivery_retry(&retry).unwrap();
        // Another connection (a cmdlet's) sees it and brings it forward,
        // never back.
        let mut cmdlet = QueueDb::open(&path).unwrap();
        assert_eq!(cmdlet.delivery_retry().unwrap(), Some(retry.clone()));
        cmdlet.retry_delivery_at(2000).unwrap();
        assert_eq!(q.delivery_retry().unwrap().map(|r| r.next_retry), Some(1000));
        cmdlet.retry_delivery_at(150).unwrap();
        assert_eq!(q.delivery_retry().unwrap(), Some(QueueRetry { next_retry: 150, ..retry }));
        assert!(!q.submission_suspended().unwrap(), "the Submission queue's state is its own");
        q.clear_delivery_retry().unwrap();
        assert_eq!(cmdlet.delivery_retry().unwrap(), None);
        cmdlet.retry_delivery_at(150).unwrap();
        assert_eq!(q.delivery_retry().unwrap(), None, "a queue not in Retry is left alone");
    }
}
