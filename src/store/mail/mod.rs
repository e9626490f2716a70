//! The mailbox database: every user's folders and messages, in one SQLite
//! file per config store (`<state>/mail.db`). The IMAP4 and POP3 back ends
//! are its only users; this module is the only place that speaks its SQL.
//!
//! Durability: WAL with `synchronous=FULL`, so a commit (an APPEND that was
//! answered OK) is on disk before the caller hears about it.
//!
//! Consistency: a command reads through [`MailDb::snapshot`] (one read
//! transaction: WAL gives it the database as of one commit, whatever other
//! connections commit meanwhile) and writes in one immediate transaction, so
//! a message's metadata and bytes always come from the same instant.
//!
//! Change tracking: every change in a folder takes the next `modseq` of that
//! folder; messages remember the modseq of their last change and expunged
//! UIDs are recorded with theirs. A session that remembers the highest modseq
//! it has seen can ask what happened since, even when the change was made by
//! another process (the POP3 back end deleting at QUIT).

mod delivery;
mod error;
mod expunged;
mod flag_modseq;
mod flags;
mod folders;
mod info;
mod messages;
mod outbox;
mod pop;
mod rows;
mod schema;
mod subscriptions;
#[cfg(test)]
mod tests;
mod transfer;
mod views;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

pub use delivery::{Delivered, Delivery, Directory, Listing};
pub use error::{MailError, MailResult};
pub use expunged::EXPUNGED_KEEP;
pub use flag_modseq::FlagModseqs;
pub use flags::{FlagOp, Flags, flag};
pub use folders::{DEFAULT_FOLDERS, Folder, FolderState, INBOX};
pub use info::{MessageInfo, Rendition, Summarizer, renders};
pub use messages::{
    AppendResult, CopyResult, FolderChanges, MessageMeta, NewMessage, SeenResult, StoreResult, StoredMessage, to_crlf,
};
pub use outbox::{OUTBOX, OutboxItem, SENT_ITEMS};
pub use pop::{PopMessage, PopSnapshot};
pub use rows::{MessageRow, StreamInfo, column};
pub use transfer::{Copied, InTransit, copy_while_still, export_mailbox};
pub use views::{FolderStatus, FolderView};

/// The mailbox database of the config store at `store_path`.
pub fn mail_db_path(store_path: &Path) -> PathBuf {
    super::state_dir_for(store_path).join("mail.db")
}

/// One connection to the mailbox database. Cheap enough to open one per
/// worker; SQLite's WAL lets readers run while one writer commits.
pub struct MailDb {
    conn: Connection,
    path: PathBuf,
    /// How messages stored through this connection get their metadata.
    summarizer: Option<Summarizer>,
}

/// What a mailbox holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub items: u64,
    /// Octets as stored.
    pub bytes: u64,
}

/// A user's mailbox, by its row id (resolve it once per session with
/// [`MailDb::ensure_mailbox`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MailboxId(pub i64);

/// How much of the mailbox database is read through a memory mapping:
/// SQLite's own ceiling (SQLITE_MAX_MMAP_SIZE, just under 2 GiB); beyond it
/// reads go through pread as before. Address space only: the pages are the
/// kernel's page cache, shared by every connection and process and given
/// back under memory pressure (each connection's mapping counts them again
/// in RSS, not in PSS).
pub(crate) const MMAP_SIZE: i64 = 0x7fff_0000;

impl MailDb {
    /// Opens the database at `path`, creating it (and its folder) if needed.
    pub fn open(path: &Path) -> MailResult<MailDb> {
        let conn = open_durable(path, schema::MIGRATIONS)?;
        // FETCH builds its statements from the items asked for.
        conn.set_prepared_statement_cache_capacity(64);
        // Reads through a shared mapping of the file instead of a pread and
        // a copy into each connection's own page cache: every session's
        // FETCH reads the same pages (docs/performance.md, "Fourth run").
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
        Ok(MailDb { conn, path: path.to_path_buf(), summarizer: None })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The mailbox of the config store's mailbox `guid`, created with
    /// Exchange's default folders on first use.
    pub fn ensure_mailbox(&mut self, guid: &str) -> MailResult<MailboxId> {
        if let Some(id) = self.find_mailbox(guid)? {
            return Ok(id);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = mailbox_in(&tx, guid)?;
        tx.commit()?;
        Ok(id)
    }

    /// The mailbox of `guid` if it was ever used.
    pub fn find_mailbox(&self, guid: &str) -> MailResult<Option<MailboxId>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM mailbox WHERE guid = ?1", [guid], |r| r.get(0))
            .optional()?
            .map(MailboxId))
    }

    /// Runs `f` in one read transaction: every read it makes sees the
    /// database as of one commit. Reads only: the methods that write take
    /// `&mut self` and cannot be called from inside.
    pub fn snapshot<T>(&self, f: impl FnOnce(&MailDb) -> MailResult<T>) -> MailResult<T> {
        // BEGIN DEFERRED: the snapshot is taken at the first read.
        let tx = self.conn.unchecked_transaction()?;
        let out = f(self)?;
        tx.commit()?;
        Ok(out)
    }

    /// Changes whenever another connection (in this process or another)
    /// commits: a cheap way to notice that something may have changed.
    pub fn data_version(&self) -> MailResult<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Messages and their stored octets in every folder of the mailbox of
    /// `guid` (Get-MailboxStatistics, IMAP QUOTA); zero for a mailbox never
    /// used.
    pub fn mailbox_usage(&self, guid: &str) -> MailResult<Usage> {
        // The folders' counts, which triggers keep (mail schema step 10).
        let (items, bytes): (i64, i64) = self.conn.query_row(
            "SELECT coalesce(sum(f.items), 0), coalesce(sum(f.bytes), 0) FROM folder f
             JOIN mailbox b ON b.id = f.mailbox_id WHERE b.guid = ?1",
            [guid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Usage { items: items as u64, bytes: bytes as u64 })
    }

    /// Removes a user's mailbox and everything in it (Remove-Mailbox).
    pub fn delete_mailbox(&mut self, guid: &str) -> MailResult<bool> {
        Ok(self.conn.execute("DELETE FROM mailbox WHERE guid = ?1", [guid])? > 0)
    }
}

/// Opens (creating its folder) and migrates a database whose every commit
/// must be on disk before the caller hears of it: WAL with
/// `synchronous=FULL`, so an acknowledged APPEND or a queued message
/// survives kill -9 and power loss. The mailbox database and the transport
/// queue are opened so.
///
/// Both hold everyone's mail: a new file (and its folder) is made private
/// (0600, 0700) before SQLite opens it, so its -wal and -shm (which SQLite
/// makes with the database's mode) are too.
pub(crate) fn open_durable(path: &Path, steps: &[&str]) -> MailResult<Connection> {
    let open_err = |source| MailError::Open { path: path.display().to_string(), source };
    if !path.exists() {
        super::private::touch(path)
            .map_err(|e| open_err(rusqlite::Error::InvalidPath(PathBuf::from(e.to_string()))))?;
    }
    let mut conn = Connection::open(path).map_err(open_err)?;
    conn.busy_handler(Some(wait_for_writer))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&mut conn, path, steps)?;
    Ok(conn)
}

/// How a durable file's writer waits for another process's write to end
/// (the Transport's enqueue and the Delivery service's record of a
/// delivery, back ends and the Delivery service in a mailbox database):
/// a commit holds the lock for about one disk sync, well under a
/// millisecond here, so the first waits are short, where SQLite's own
/// handler sleeps 1, 2, then 5 ms; later ones longer; ten seconds in all,
/// as before. `count` is how many times this wait was called already.
fn wait_for_writer(count: i32) -> bool {
    match writer_wait(count) {
        Some(wait) => {
            std::thread::sleep(wait);
            true
        }
        None => false,
    }
}

/// The `count`th wait of `wait_for_writer`; None: it gives up.
fn writer_wait(count: i32) -> Option<Duration> {
    const SHORT: i32 = 20; // 100 µs each: 2 ms
    const MEDIUM: i32 = 100; // then 1 ms each: 80 ms
    const ALL: i32 = MEDIUM + 992; // then 10 ms each: 9.92 s
    match count {
        c if c < SHORT => Some(Duration::from_micros(100)),
        c if c < MEDIUM => Some(Duration::from_millis(1)),
        c if c < ALL => Some(Duration::from_millis(10)),
        _ => None,
    }
}

fn migrate(conn: &mut Connection, path: &Path, steps: &[&str]) -> MailResult<()> {
    super::migrate::apply(conn, steps).map_err(|e| match e {
        super::migrate::MigrateError::TooNew { found, known } => {
            MailError::TooNew { path: path.display().to_string(), found, known }
        }
        super::migrate::MigrateError::Sqlite(e) => e.into(),
    })
}

pub(crate) use super::clock::now_unix;

/// The mailbox of `guid` inside a write transaction, created with
/// Exchange's default folders if it has none yet.
fn mailbox_in(tx: &rusqlite::Transaction<'_>, guid: &str) -> MailResult<MailboxId> {
    let existing: Option<i64> =
        tx.query_row("SELECT id FROM mailbox WHERE guid = ?1", [guid], |r| r.get(0)).optional()?;
    if let Some(id) = existing {
        return Ok(MailboxId(id));
    }
    tx.execute("INSERT INTO mailbox (guid, created) VALUES (?1, ?2)", params![guid, now_unix()])?;
    let id = tx.last_insert_rowid();
    for (name, special, hidden) in DEFAULT_FOLDERS {
        folders::insert_folder(tx, id, name, *special, *hidden, folders::Made::Asked)?;
    }
    Ok(MailboxId(id))
}
