//! Delivery from the transport queue into a mailbox's Inbox, exactly once:
//! the message and a row naming its queue entry are written in one
//! transaction, so a delivery repeated after a crash (the queue had not yet
//! recorded it) finds the row and stores nothing.
//!
//! The recipient is looked up again in the directory (the config store's
//! mailbox table) inside the mailbox database's write transaction, as
//! Exchange's Mailbox Transport Delivery resolves it at delivery time: a
//! mailbox removed since the message was queued is never recreated here.
//! Remove-Mailbox deletes the directory row before the mailbox's mail, so
//! whichever comes first, no mail is stored for a mailbox that is gone: a
//! delivery that saw the row commits before Remove-Mailbox can delete the
//! mail (it waits for this transaction), and one that comes after finds
//! no row.
//!
//! The mailbox's ProhibitSendReceiveQuota is weighed there too, as
//! Exchange's store driver does (`552 5.2.2 STOREDRV.Deliver; mailbox
//! full`): a copy for a mailbox already at its limit is not stored. The
//! Transport refuses a mailbox named at RCPT that is full; this catches
//! the copies it could not refuse (a distribution group's members, a
//! mailbox that filled while the message waited).

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::messages::{NewMessage, insert_message_in, to_crlf};
use std::collections::HashMap;

use super::{INBOX, MailDb, MailError, MailResult, MailboxId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    /// Stored now, with this UID in the Inbox.
    Now(u32),
    /// An earlier attempt had stored it (with this UID).
    Already(u32),
    /// The directory no longer holds the mailbox: nothing stored, nothing
    /// created.
    NoMailbox,
    /// The mailbox is at its ProhibitSendReceiveQuota: nothing stored.
    Full,
}

/// What the directory says of a mailbox at delivery time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// It no longer holds it.
    Gone,
    /// It holds it; its ProhibitSendReceiveQuota in octets (None:
    /// unlimited).
    Receives(Option<u64>),
}

/// The directory's word on the mailbox with this GUID, asked at delivery
/// time, inside the write transaction.
pub type Directory<'a> = &'a mut dyn FnMut(&str) -> MailResult<Listing>;

/// One copy to deliver: to the mailbox `guid`, keyed by its queue entry.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub guid: String,
    /// Unique per queued message and recipient.
    pub key: String,
    pub internal_date: i64,
    pub raw: Vec<u8>,
}

impl MailDb {
    /// Stores `raw` in the Inbox of the mailbox `guid` unless a delivery
    /// with `key` (unique per queued message and recipient) was stored
    /// before. The commit is on disk when this returns.
    pub fn deliver_once(
        &mut self,
        guid: &str,
        key: &str,
        internal_date: i64,
        raw: &[u8],
        directory: Directory<'_>,
    ) -> MailResult<Delivered> {
        let one = Delivery { guid: guid.to_string(), key: key.to_string(), internal_date, raw: raw.to_vec() };
        self.deliver_all(std::slice::from_ref(&one), directory)?.pop().ok_or(MailError::NoSuchFolder)
    }

    /// [`MailDb::deliver_once`] for many copies in one transaction (one
    /// fsync for a batch of the queue), each stored at most once. All or
    /// none: a failure stores nothing, and the batch is tried again.
    pub fn deliver_all(&mut self, deliveries: &[Delivery], directory: Directory<'_>) -> MailResult<Vec<Delivered>> {
        let mut prepared = Vec::with_capacity(deliveries.len());
        for d in deliveries {
            let raw = to_crlf(&d.raw).into_owned();
            let info = self.summarize(&raw);
            prepared.push((raw, info));
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Each GUID asked once per batch, inside the transaction.
        let mut mailboxes: HashMap<&str, Option<(MailboxId, Option<u64>)>> = HashMap::new();
        let mut out = Vec::with_capacity(deliveries.len());
        for (d, (raw, info)) in deliveries.iter().zip(prepared) {
            let mailbox = match mailboxes.get(d.guid.as_str()) {
                Some(m) => *m,
                None => {
                    let m = match directory(&d.guid)? {
                        Listing::Receives(limit) => Some((super::mailbox_in(&tx, &d.guid)?, limit)),
                        Listing::Gone => None,
                    };
                    mailboxes.insert(&d.guid, m);
                    m
                }
            };
            let Some((mailbox, limit)) = mailbox else {
                out.push(Delivered::NoMailbox);
                continue;
            };
            let earlier: Option<u32> = tx
                .prepare_cached("SELECT uid FROM delivery WHERE mailbox_id = ?1 AND delivery_key = ?2")?
                .query_row(params![mailbox.0, d.key], |r| r.get(0))
                .optional()?;
            if let Some(uid) = earlier {
                out.push(Delivered::Already(uid));
                continue;
            }
            // Weighed with the copies stored before it in this batch.
            if let Some(limit) = limit {
                let used: i64 = tx
                    .prepare_cached("SELECT coalesce(sum(bytes), 0) FROM folder WHERE mailbox_id = ?1")?
                    .query_row([mailbox.0], |r| r.get(0))?;
                if used.max(0) as u64 >= limit {
                    out.push(Delivered::Full);
                    continue;
                }
            }
            let inbox: i64 = tx
                .prepare_cached("SELECT id FROM folder WHERE mailbox_id = ?1 AND name = ?2")?
                .query_row(params![mailbox.0, INBOX], |r| r.get(0))
                .optional()?
                .ok_or(MailError::NoSuchFolder)?;
            let message =
                NewMessage { folder_id: inbox, flags: Default::default(), internal_date: d.internal_date, raw, info };
            let stored = insert_message_in(&tx, &message)?;
            tx.prepare_cached(
                "INSERT INTO delivery (mailbox_id, delivery_key, uid, delivered) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![mailbox.0, d.key, stored.uid, super::now_unix()])?;
            out.push(Delivered::Now(stored.uid));
        }
        tx.commit()?;
        Ok(out)
    }
}
