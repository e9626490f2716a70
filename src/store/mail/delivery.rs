//! Delivery from the transport queue into a mailbox's Inbox, exactly once:
//! the message and a row naming its queue entry are written in one
//! transaction, so a delivery repeated after a crash (the queue had not yet
//! recorded it) finds the row and stores nothing.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::messages::{NewMessage, insert_message_in, to_crlf};
use super::{INBOX, MailDb, MailError, MailResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    /// Stored now, with this UID in the Inbox.
    Now(u32),
    /// An earlier attempt had stored it (with this UID).
    Already(u32),
}

impl Delivered {
    pub fn uid(self) -> u32 {
        match self {
            Delivered::Now(u) | Delivered::Already(u) => u,
        }
    }
}

impl MailDb {
    /// Stores `raw` in the Inbox of the mailbox `guid` unless a delivery
    /// with `key` (unique per queued message and recipient) was stored
    /// before. The commit is on disk when this returns.
    pub fn deliver_once(&mut self, guid: &str, key: &str, internal_date: i64, raw: &[u8]) -> MailResult<Delivered> {
        let mailbox = self.ensure_mailbox(guid)?;
        let raw = to_crlf(raw).into_owned();
        let info = self.summarize(&raw);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let earlier: Option<u32> = tx
            .query_row(
                "SELECT uid FROM delivery WHERE mailbox_id = ?1 AND delivery_key = ?2",
                params![mailbox.0, key],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(uid) = earlier {
            return Ok(Delivered::Already(uid));
        }
        let inbox: i64 = tx
            .query_row("SELECT id FROM folder WHERE mailbox_id = ?1 AND name = ?2", params![mailbox.0, INBOX], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(MailError::NoSuchFolder)?;
        let message = NewMessage { folder_id: inbox, flags: Default::default(), internal_date, raw, info };
        let stored = insert_message_in(&tx, &message)?;
        tx.execute(
            "INSERT INTO delivery (mailbox_id, delivery_key, uid, delivered) VALUES (?1, ?2, ?3, ?4)",
            params![mailbox.0, key, stored.uid, super::now_unix()],
        )?;
        tx.commit()?;
        Ok(Delivered::Now(stored.uid))
    }
}
