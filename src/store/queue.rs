//! The transport queue (Exchange's mail.que): messages the Transport
//! service has accepted and not yet delivered, in `<store>.d/Queue/mail.que`.
//! A message is answered `250` only after its commit here is on disk (WAL,
//! synchronous=FULL); it leaves the queue once every recipient is
//! delivered, which the mailbox database records in the same transaction as
//! the message (so a delivery repeated after a crash stores nothing twice).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior, params};

use super::mail::MailResult;

const MIGRATIONS: &[&str] = &[r#"
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
    "#];

/// The queue beside the config store at `store_path`.
pub fn queue_path(store_path: &Path) -> PathBuf {
    super::state_dir_for(store_path).join("Queue").join("mail.que")
}

/// One recipient of a queued message, resolved to its mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedRecipient {
    pub address: String,
    pub mailbox_guid: String,
}

/// One delivery still to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDelivery {
    pub message_id: i64,
    pub message_guid: String,
    pub received: i64,
    pub recipient: QueuedRecipient,
}

pub struct QueueDb {
    conn: Connection,
}

impl QueueDb {
    pub fn open(path: &Path) -> MailResult<QueueDb> {
        // A message answered 250 must survive kill -9 and power loss.
        let conn = super::mail::open_durable(path, MIGRATIONS)?;
        Ok(QueueDb { conn })
    }

    /// Queues a message for its recipients; on disk when this returns.
    pub fn enqueue(
        &mut self,
        guid: &str,
        sender: &str,
        recipients: &[QueuedRecipient],
        received: i64,
        raw: &[u8],
    ) -> MailResult<i64> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO message (guid, sender, received, raw) VALUES (?1, ?2, ?3, ?4)",
            params![guid, sender, received, raw],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut add = tx.prepare_cached(
                "INSERT OR IGNORE INTO recipient (message_id, address, mailbox_guid) VALUES (?1, ?2, ?3)",
            )?;
            for r in recipients {
                add.execute(params![id, r.address, r.mailbox_guid])?;
            }
        }
        tx.commit()?;
        Ok(id)
    }

    /// Up to `limit` deliveries still to make, oldest first.
    pub fn pending(&self, limit: usize) -> MailResult<Vec<PendingDelivery>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.id, m.guid, m.received, r.address, r.mailbox_guid FROM recipient r \
             JOIN message m ON m.id = r.message_id WHERE r.status = 'Ready' ORDER BY m.id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(PendingDelivery {
                message_id: r.get(0)?,
                message_guid: r.get(1)?,
                received: r.get(2)?,
                recipient: QueuedRecipient { address: r.get(3)?, mailbox_guid: r.get(4)? },
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn message_raw(&self, message_id: i64) -> MailResult<Option<Vec<u8>>> {
        use rusqlite::OptionalExtension;
        Ok(self.conn.query_row("SELECT raw FROM message WHERE id = ?1", [message_id], |r| r.get(0)).optional()?)
    }

    /// The recipient is delivered; the message leaves the queue with its
    /// last recipient.
    pub fn delivered(&mut self, message_id: i64, address: &str) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM recipient WHERE message_id = ?1 AND address = ?2", params![message_id, address])?;
        tx.execute(
            "DELETE FROM message WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM recipient WHERE message_id = ?1)",
            [message_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Several recipients delivered, in one transaction.
    pub fn delivered_all(&mut self, done: &[(i64, String)]) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (message_id, address) in done {
            tx.prepare_cached("DELETE FROM recipient WHERE message_id = ?1 AND address = ?2")?
                .execute(params![message_id, address])?;
            tx.prepare_cached(
                "DELETE FROM message WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM recipient WHERE message_id = ?1)",
            )?
            .execute([message_id])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A delivery failed for good (the mailbox is gone): the recipient
    /// stays in the queue as Failed with the reason, for Get-Queue and a
    /// non-delivery report.
    pub fn failed(&mut self, message_id: i64, address: &str, reason: &str) -> MailResult<()> {
        self.conn.execute(
            "UPDATE recipient SET status = 'Failed', attempts = attempts + 1, last_error = ?3 \
             WHERE message_id = ?1 AND address = ?2",
            params![message_id, address, reason],
        )?;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_leaves_the_queue_with_its_last_recipient() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut q = QueueDb::open(&dir.path().join("Queue/mail.que")).expect("queue opens");
        let to = |a: &str| QueuedRecipient { address: a.into(), mailbox_guid: format!("guid-{a}") };
        let id = q.enqueue("m1", "a@fabrikam.com", &[to("b@contoso.com"), to("c@contoso.com")], 5, b"raw").unwrap();
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
}
