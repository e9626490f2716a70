//! Subscriptions (RFC 3501 6.3.6-7, RFC 9051 6.3.7-8): a set of names per
//! mailbox, apart from the folders. A client may subscribe a name that has
//! no folder, and "a server MUST NOT unilaterally remove an existing mailbox
//! name from the subscription list even if a mailbox by that name no longer
//! exists" (RFC 3501): DELETE leaves the name subscribed, and RENAME leaves
//! the old names subscribed (RFC 9051 6.3.6: renaming "doesn't update
//! subscription information on the original name").
//!
//! Names are stored as folders are: `INBOX` as `Inbox`, the rest in NFC as
//! the IMAP layer gives them (`folder_name`). Subscriptions carried over
//! from folder flags (migration 9) keep their folder's form.

use rusqlite::{Transaction, params};

use super::{MailDb, MailError, MailResult, MailboxId, folders};

/// Subscribes `name` (already canonical) inside a transaction.
pub(super) fn add(tx: &Transaction, mailbox: i64, name: &str) -> MailResult<()> {
    tx.execute("INSERT OR IGNORE INTO subscription (mailbox_id, name) VALUES (?1, ?2)", params![mailbox, name])?;
    Ok(())
}

/// RENAME of `from` (and its children) to `to`: each subscribed name among
/// them is subscribed under its new name too, so a client that shows only
/// subscribed folders still shows the renamed ones (RFC 9051 6.3.6 allows a
/// server to subscribe a renamed mailbox). The old names stay subscribed: a
/// client that wants them gone unsubscribes them, as 6.3.6 shows.
pub(super) fn follow_rename(tx: &Transaction, mailbox: i64, from: &str, to: &str) -> MailResult<()> {
    // substr counts characters, not bytes.
    let chars = from.chars().count() as i64;
    tx.execute(
        "INSERT OR IGNORE INTO subscription (mailbox_id, name)
         SELECT mailbox_id, ?3 || substr(name, ?4) FROM subscription
         WHERE mailbox_id = ?1 AND (name = ?2 OR substr(name, 1, ?4) = ?5)",
        params![mailbox, from, to, chars + 1, format!("{from}/")],
    )?;
    Ok(())
}

impl MailDb {
    /// Every subscribed name of the mailbox, in name order, whether or not
    /// a folder has it.
    pub fn subscriptions(&self, mailbox: MailboxId) -> MailResult<Vec<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT name FROM subscription WHERE mailbox_id = ?1 ORDER BY name")?;
        let rows = stmt.query_map([mailbox.0], |r| r.get(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// SUBSCRIBE: adds `name` (a folder or not; `INBOX` in any case is the
    /// Inbox). A name no folder could have is refused.
    pub fn subscribe(&mut self, mailbox: MailboxId, name: &str) -> MailResult<()> {
        let name = folders::canonical_name(name.trim_end_matches('/'));
        if !folders::valid_name(&name) {
            return Err(MailError::BadFolderName);
        }
        self.conn.execute(
            "INSERT OR IGNORE INTO subscription (mailbox_id, name) VALUES (?1, ?2)",
            params![mailbox.0, name],
        )?;
        Ok(())
    }

    /// UNSUBSCRIBE: removes each of `names` (the name in NFC and, for a
    /// subscription carried over from before, the form the client sent);
    /// a name that is not subscribed is no error (RFC 9051 6.3.8).
    pub fn unsubscribe(&mut self, mailbox: MailboxId, names: &[&str]) -> MailResult<()> {
        let tx = self.conn.transaction()?;
        for name in names {
            let name = folders::canonical_name(name.trim_end_matches('/'));
            tx.execute("DELETE FROM subscription WHERE mailbox_id = ?1 AND name = ?2", params![mailbox.0, name])?;
        }
        tx.commit()?;
        Ok(())
    }
}
