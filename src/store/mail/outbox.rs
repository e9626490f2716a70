//! The Outbox: what a user leaves there is sent by the Mailbox Transport
//! Submission service (`engines::smtp::mailbox_submission`), then filed in
//! Sent Items, as Exchange 2013's store and submission service do for the
//! messages its clients submit through the mailbox.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::flags::flag;
use super::messages::{copy_in, remove};
use super::{MailDb, MailError, MailResult};

/// The Outbox's stored name (one of Exchange's default folders).
pub const OUTBOX: &str = "Outbox";
/// Where a message goes once it is submitted.
pub const SENT_ITEMS: &str = "Sent Items";

/// A message waiting in a mailbox's Outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    /// The mailbox's GUID (the directory's Mailbox.guid).
    pub mailbox_guid: String,
    /// When it was put there (the order they are sent in).
    pub internal_date: i64,
    pub folder_id: i64,
    pub uidvalidity: u32,
    pub uid: u32,
}

impl MailDb {
    /// Up to `limit` messages waiting in any mailbox's Outbox, oldest
    /// first, after `after` (the last of the previous page): a look pages
    /// through them all, so messages that must wait (no recipient, the
    /// Transport away) never hide the ones behind them. Only Outboxes that
    /// hold something are visited (a partial index of them), so an idle
    /// look costs nothing per mailbox.
    pub fn outbox_waiting(&self, after: Option<&OutboxItem>, limit: usize) -> MailResult<Vec<OutboxItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.guid, m.internal_date, f.id, f.uidvalidity, m.uid FROM folder f INDEXED BY folder_outbox_waiting \
             JOIN mailbox b ON b.id = f.mailbox_id JOIN message m ON m.folder_id = f.id \
             WHERE f.name = 'Outbox' AND f.items > 0 AND (m.internal_date, f.id, m.uid) > (?1, ?2, ?3) \
             ORDER BY m.internal_date, f.id, m.uid LIMIT ?4",
        )?;
        let (date, folder, uid) = after.map_or((i64::MIN, 0, 0), |a| (a.internal_date, a.folder_id, a.uid));
        let rows = stmt.query_map(params![date, folder, uid, limit as i64], |r| {
            Ok(OutboxItem {
                mailbox_guid: r.get(0)?,
                internal_date: r.get(1)?,
                folder_id: r.get(2)?,
                uidvalidity: r.get(3)?,
                uid: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Files a submitted message: out of the Outbox into Sent Items, read,
    /// in one transaction. False when it is no longer in the Outbox (the
    /// user moved or deleted it meanwhile, or an earlier run filed it).
    pub fn file_as_sent(&mut self, item: &OutboxItem) -> MailResult<bool> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sent: Option<i64> = tx
            .query_row(
                "SELECT s.id FROM folder o JOIN folder s ON s.mailbox_id = o.mailbox_id AND s.name = ?2 \
                 WHERE o.id = ?1 AND o.uidvalidity = ?3",
                params![item.folder_id, SENT_ITEMS, item.uidvalidity],
                |r| r.get(0),
            )
            .optional()?;
        let Some(sent) = sent else { return Ok(false) };
        // Read before the copy, which keeps the flags; the Outbox's row goes
        // in the same transaction, so no client sees it changed.
        let marked = tx.execute(
            "UPDATE message SET flags = flags | ?3 WHERE folder_id = ?1 AND uid = ?2",
            params![item.folder_id, item.uid, flag::SEEN],
        )?;
        if marked == 0 {
            return Ok(false);
        }
        match copy_in(&tx, item.folder_id, &[item.uid], sent, true) {
            Ok(_) => {}
            Err(MailError::Expunged) => return Ok(false),
            Err(e) => return Err(e),
        }
        remove(&tx, item.folder_id, &[item.uid])?;
        tx.commit()?;
        Ok(true)
    }
}
