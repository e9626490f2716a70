//! A mailbox copied whole from one mailbox database file to another (a
//! move request): its folders with their UIDVALIDITY, UIDNEXT and modseqs,
//! every message with its UID, flags and metadata, the expunged record,
//! its subscriptions and the record of deliveries (so a delivery retried
//! after the move still stores nothing twice). UIDs and modseqs are kept,
//! so IMAP clients (CONDSTORE and QRESYNC ones included) and POP3 UIDLs go
//! on as before. One transaction on the target, reading one snapshot of
//! the source.

use std::path::Path;
use std::time::Duration;

use rusqlite::{OptionalExtension, params};

use super::{MailDb, MailError, MailResult};

/// What a copy carried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Copied {
    pub items: i64,
    pub bytes: i64,
}

/// Copies made at most while the source keeps changing.
const ATTEMPTS: usize = 5;
/// The wait between two copies of a source that changed.
const CHANGED_WAIT: Duration = Duration::from_secs(1);

/// Copies the mailbox `guid` from the database file `from` into the one
/// at `to` (made if missing) until a copy starts and ends on the same
/// state of the source: a move first waits for the services to let go of
/// the mailbox, so a change seen here is a late one, and a copy taken
/// after it is whole. A source that does not exist yet holds nothing to
/// carry.
pub fn copy_while_still(from: &Path, to: &Path, guid: &str) -> MailResult<Copied> {
    if let Some(parent) = to.parent() {
        crate::store::private::create_dir_all(parent).map_err(|e| MailError::Task(e.to_string()))?;
    }
    let mut target = MailDb::open(to)?;
    if !from.exists() {
        return Ok(Copied::default());
    }
    let source = MailDb::open(from)?;
    for _ in 0..ATTEMPTS {
        let before = source.mailbox_stamp(guid)?;
        let copied = target.copy_mailbox_from(from, guid)?;
        if source.mailbox_stamp(guid)? == before {
            return Ok(copied);
        }
        std::thread::sleep(CHANGED_WAIT);
    }
    Err(MailError::Task("the mailbox kept changing while it was copied.".into()))
}

/// `copy_while_still` into a new file at `into` that holds that mailbox
/// alone, whole in its one file (no write-ahead log beside it): what a
/// Mailbox Replication service sends to another server.
pub fn export_mailbox(from: &Path, guid: &str, into: &Path) -> MailResult<Copied> {
    let _ = std::fs::remove_file(into);
    let copied = copy_while_still(from, into, guid)?;
    let db = MailDb::open(into)?;
    // Checkpoints the log into the file and removes it.
    db.conn.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(copied)
}

/// The columns copied as they are, per table keyed by folder.
const FOLDER_TABLES: &[(&str, &str)] = &[
    ("message", "uid, modseq, flags, keywords, internal_date, size, raw, created_modseq"),
    ("expunged", "uid, modseq"),
    ("message_info", "uid, renders, parts, envelope, body, bodystructure, header"),
    ("message_rendition", "uid, variant, size, body, bodystructure"),
    ("flag_modseq", "uid, flag, modseq"),
];

impl MailDb {
    /// Copies the mailbox `guid` from the database at `source` into this
    /// one, replacing any copy left here by an earlier attempt.
    pub fn copy_mailbox_from(&mut self, source: &Path, guid: &str) -> MailResult<Copied> {
        let source = source.to_str().ok_or_else(|| MailError::Task(format!("{}: not UTF-8", source.display())))?;
        self.conn.execute("ATTACH DATABASE ?1 AS src", [source])?;
        let copied = self.copy_attached(guid);
        let detached = self.conn.execute("DETACH DATABASE src", []);
        let copied = copied?;
        detached?;
        Ok(copied)
    }

    fn copy_attached(&mut self, guid: &str) -> MailResult<Copied> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let Some(from) =
            tx.query_row("SELECT id FROM src.mailbox WHERE guid = ?1", [guid], |r| r.get::<_, i64>(0)).optional()?
        else {
            // Never delivered to nor logged on: nothing to carry.
            tx.commit()?;
            return Ok(Copied::default());
        };
        tx.execute("DELETE FROM main.mailbox WHERE guid = ?1", [guid])?;
        tx.execute(
            "INSERT INTO main.mailbox (guid, created, last_uidvalidity)
             SELECT guid, created, last_uidvalidity FROM src.mailbox WHERE id = ?1",
            [from],
        )?;
        let to = tx.last_insert_rowid();
        let folders: Vec<i64> = {
            let mut stmt = tx.prepare("SELECT id FROM src.folder WHERE mailbox_id = ?1 ORDER BY id")?;
            stmt.query_map([from], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?
        };
        for old in folders {
            tx.execute(
                "INSERT INTO main.folder (mailbox_id, name, special_use, hidden, uidvalidity, uidnext, highest_modseq,
                     recent_floor, expunged_floor)
                 SELECT ?1, name, special_use, hidden, uidvalidity, uidnext, highest_modseq, recent_floor, expunged_floor
                 FROM src.folder WHERE id = ?2",
                params![to, old],
            )?;
            let new = tx.last_insert_rowid();
            for (table, columns) in FOLDER_TABLES {
                tx.execute(
                    &format!(
                        "INSERT INTO main.{table} (folder_id, {columns}) SELECT ?1, {columns} FROM src.{table} WHERE folder_id = ?2"
                    ),
                    params![new, old],
                )?;
            }
        }
        tx.execute(
            "INSERT INTO main.delivery (mailbox_id, delivery_key, uid, delivered)
             SELECT ?1, delivery_key, uid, delivered FROM src.delivery WHERE mailbox_id = ?2",
            params![to, from],
        )?;
        tx.execute(
            "INSERT INTO main.subscription (mailbox_id, name) SELECT ?1, name FROM src.subscription WHERE mailbox_id = ?2",
            params![to, from],
        )?;
        let (items, bytes) = tx.query_row(
            "SELECT count(*), coalesce(sum(m.size), 0) FROM main.message m JOIN main.folder f ON f.id = m.folder_id
             WHERE f.mailbox_id = ?1",
            [to],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        tx.commit()?;
        Ok(Copied { items, bytes })
    }

    /// What changes whenever the mailbox `guid` changes (a message stored,
    /// flagged or expunged, a folder made, renamed or removed, a
    /// subscription, a delivery): compared before and after a copy to know
    /// that nothing wrote to it meanwhile. None when it holds nothing yet.
    pub fn mailbox_stamp(&self, guid: &str) -> MailResult<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT (SELECT group_concat(f.id || ':' || f.name || ':' || f.uidnext || ':' || f.highest_modseq, '/')
                         FROM folder f WHERE f.mailbox_id = m.id)
                     || '|' || (SELECT count(*) FROM subscription s WHERE s.mailbox_id = m.id)
                     || '|' || (SELECT count(*) FROM delivery d WHERE d.mailbox_id = m.id)
                 FROM mailbox m WHERE m.guid = ?1",
                [guid],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }
}

/// A database file on its way between servers (a move's export or
/// import), removed with what SQLite keeps beside it (its log, its
/// shared memory, its rollback journal) whatever becomes of the move.
pub struct InTransit(pub std::path::PathBuf);

impl Drop for InTransit {
    fn drop(&mut self) {
        let mut journal = self.0.clone().into_os_string();
        journal.push("-journal");
        for file in crate::store::private::sqlite_files(&self.0).into_iter().chain([journal.into()]) {
            let _ = std::fs::remove_file(file);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Flags, NewMessage};
    use super::*;

    #[test]
    fn a_mailbox_moves_whole_with_its_uids_flags_and_deliveries() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
        let mut source = MailDb::open(&a).expect("source");
        let mailbox = source.ensure_mailbox("g-1").expect("mailbox");
        let inbox = source.folder(mailbox, "INBOX").expect("read").expect("an Inbox");
        let sent = source.create_folder(mailbox, "Projects").expect("folder");
        let message = |folder_id, raw: &[u8]| NewMessage {
            folder_id,
            flags: Flags::default(),
            internal_date: 1_700_000_000,
            raw: raw.to_vec(),
            info: None,
        };
        source.append_all(&[
            message(inbox.id, b"Subject: one\r\n\r\n1\r\n"),
            message(inbox.id, b"Subject: two\r\n\r\n2\r\n"),
        ]);
        source.append_all(&[message(sent.id, b"Subject: three\r\n\r\n3\r\n")]);
        source.delete_messages(inbox.id, &[1]).expect("expunged");
        let before = source.mailbox_stamp("g-1").expect("stamp");
        let mut target = MailDb::open(&b).expect("target");
        // Twice: a second attempt replaces the first copy.
        target.copy_mailbox_from(&a, "g-1").expect("copied");
        let copied = target.copy_mailbox_from(&a, "g-1").expect("copied again");
        assert_eq!(copied.items, 2);
        assert_eq!(target.mailbox_stamp("g-1").expect("stamp"), before, "the same folders, UIDs and modseqs");
        let moved = target.find_mailbox("g-1").expect("read").expect("there");
        let inbox_there = target.folder(moved, "INBOX").expect("read").expect("an Inbox");
        assert_eq!(inbox_there.uidvalidity, inbox.uidvalidity);
        let uids: Vec<u32> = target.messages(inbox_there.id).expect("read").iter().map(|m| m.uid).collect();
        assert_eq!(uids, vec![2]);
        assert_eq!(target.message_raw(inbox_there.id, 2).expect("read").expect("raw"), b"Subject: two\r\n\r\n2\r\n");
        assert_eq!(target.expunged_since(inbox_there.id, 0).expect("read").len(), 1);
        // A mailbox never used carries nothing.
        assert_eq!(target.copy_mailbox_from(&a, "g-unused").expect("copied"), Copied::default());
    }
}
