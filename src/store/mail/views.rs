//! A folder as one command sees it, read in one transaction: what SELECT
//! and EXAMINE start a session from, and what STATUS reports. Reading the
//! folder row and its messages at two instants would let a message slip
//! between them (counted in UIDNEXT or HIGHESTMODSEQ but never announced).

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::flags::flag;
use super::folders::{COLUMNS, from_row};
use super::messages::{META, meta_row};
use super::{Folder, MailDb, MailError, MailResult, MessageMeta};

/// A folder and its messages at one instant: what a session keeps of it
/// (the UIDs, four bytes a message) and what SELECT reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderView {
    pub folder: Folder,
    /// Ascending.
    pub uids: Vec<u32>,
    /// Index in `uids` of the first message without \Seen.
    pub first_unseen: Option<usize>,
    /// Keywords in use, each once (compared without case).
    pub keywords: Vec<String>,
    /// The UIDs that are \Recent for the opening session, ascending.
    pub recent: Vec<u32>,
    /// With `since` (QRESYNC): messages changed after it, in UID order, and
    /// UIDs expunged after it, as ascending ranges (`expunged.rs`); of the
    /// same instant as the rest.
    pub changed: Vec<MessageMeta>,
    pub vanished: Vec<(u32, u32)>,
}

/// The counts STATUS reports, of one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderStatus {
    pub messages: u32,
    pub recent: u32,
    pub unseen: u32,
    pub deleted: u32,
    pub uidnext: u32,
    pub uidvalidity: u32,
    pub highest_modseq: u64,
    /// Octets of every message as stored (STATUS SIZE, RFC 8438).
    pub size: u64,
}

impl MailDb {
    /// Opens a folder for a session. `claim_recent` (a read-write SELECT):
    /// the messages above the recent floor become \Recent in this session
    /// only, and the floor rises to UIDNEXT, in the same transaction as the
    /// read. Without it (EXAMINE) those messages are reported \Recent and
    /// stay recent for the next session (RFC 3501 6.3.2).
    pub fn open_folder(&mut self, folder_id: i64, claim_recent: bool) -> MailResult<FolderView> {
        self.open_folder_since(folder_id, claim_recent, None)
    }

    /// [`MailDb::open_folder`], and what changed after `since` (QRESYNC).
    pub fn open_folder_since(
        &mut self,
        folder_id: i64,
        claim_recent: bool,
        since: Option<u64>,
    ) -> MailResult<FolderView> {
        let behavior = if claim_recent { TransactionBehavior::Immediate } else { TransactionBehavior::Deferred };
        let tx = self.conn.transaction_with_behavior(behavior)?;
        let (folder, floor) = {
            let sql = format!("SELECT {COLUMNS}, recent_floor FROM folder WHERE id = ?1");
            let mut stmt = tx.prepare_cached(&sql)?;
            stmt.query_row([folder_id], |r| Ok((from_row(r)?, r.get::<_, u32>(COLUMNS.split(',').count())?)))
                .optional()?
                .ok_or(MailError::NoSuchFolder)?
        };
        let (mut uids, mut first_unseen, mut keywords) = (Vec::new(), None, Vec::<String>::new());
        {
            // The covering index message_meta: no message row is read.
            let mut stmt =
                tx.prepare_cached("SELECT uid, flags & ?2, keywords FROM message WHERE folder_id = ?1 ORDER BY uid")?;
            let mut rows = stmt.query(params![folder_id, flag::SEEN])?;
            while let Some(r) = rows.next()? {
                let seen: u32 = r.get(1)?;
                if seen == 0 && first_unseen.is_none() {
                    first_unseen = Some(uids.len());
                }
                uids.push(r.get::<_, u32>(0)?);
                let words = r.get_ref(2)?.as_str().unwrap_or("");
                for w in words.split_whitespace() {
                    if !keywords.iter().any(|k| k.eq_ignore_ascii_case(w)) {
                        keywords.push(w.to_string());
                    }
                }
            }
        }
        let (mut changed, mut vanished) = (Vec::new(), Vec::new());
        if let Some(since) = since {
            let sql = format!("SELECT {META} FROM message WHERE folder_id = ?1 AND modseq > ?2 ORDER BY uid");
            let mut stmt = tx.prepare_cached(&sql)?;
            changed = stmt.query_map(params![folder_id, since as i64], meta_row)?.collect::<Result<Vec<_>, _>>()?;
            vanished = super::expunged::vanished_since(&tx, folder_id, since)?;
        }
        if claim_recent {
            tx.execute("UPDATE folder SET recent_floor = uidnext WHERE id = ?1", [folder_id])?;
        }
        tx.commit()?;
        let recent = uids[uids.partition_point(|u| *u < floor)..].to_vec();
        Ok(FolderView { folder, uids, first_unseen, keywords, recent, changed, vanished })
    }

    /// STATUS of a folder, every figure from the same instant.
    pub fn folder_status(&self, folder_id: i64) -> MailResult<FolderStatus> {
        self.snapshot(|db| {
            let folder = db.folder_by_id(folder_id)?.ok_or(MailError::NoSuchFolder)?;
            let mut stmt = db.conn.prepare_cached(
                "SELECT count(*),
                        coalesce(sum(uid >= (SELECT recent_floor FROM folder WHERE id = ?1)), 0),
                        coalesce(sum(flags & ?2 = 0), 0),
                        coalesce(sum(flags & ?3 != 0), 0),
                        coalesce(sum(size), 0)
                 FROM message WHERE folder_id = ?1",
            )?;
            let (messages, recent, unseen, deleted, size) = stmt
                .query_row(params![folder_id, flag::SEEN, flag::DELETED], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, i64>(4)? as u64))
                })?;
            Ok(FolderStatus {
                messages,
                recent,
                unseen,
                deleted,
                uidnext: folder.uidnext,
                uidvalidity: folder.uidvalidity,
                highest_modseq: folder.highest_modseq,
                size,
            })
        })
    }
}
