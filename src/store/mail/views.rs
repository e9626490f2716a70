//! A folder as one command sees it, read in one transaction: what SELECT
//! and EXAMINE start a session from, and what STATUS reports. Reading the
//! folder row and its messages at two instants would let a message slip
//! between them (counted in UIDNEXT or HIGHESTMODSEQ but never announced).

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::flags::flag;
use super::folders::{COLUMNS, from_row};
use super::messages::{META, meta_row};
use super::{Folder, MailDb, MailError, MailResult, MessageMeta};

/// A folder and its messages at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderView {
    pub folder: Folder,
    /// In UID order.
    pub messages: Vec<MessageMeta>,
    /// The UIDs that are \Recent for the opening session, ascending.
    pub recent: Vec<u32>,
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
}

impl MailDb {
    /// Opens a folder for a session. `claim_recent` (a read-write SELECT):
    /// the messages above the recent floor become \Recent in this session
    /// only, and the floor rises to UIDNEXT, in the same transaction as the
    /// read. Without it (EXAMINE) those messages are reported \Recent and
    /// stay recent for the next session (RFC 3501 6.3.2).
    pub fn open_folder(&mut self, folder_id: i64, claim_recent: bool) -> MailResult<FolderView> {
        let behavior = if claim_recent { TransactionBehavior::Immediate } else { TransactionBehavior::Deferred };
        let tx = self.conn.transaction_with_behavior(behavior)?;
        let (folder, floor) = {
            let sql = format!("SELECT {COLUMNS}, recent_floor FROM folder WHERE id = ?1");
            let mut stmt = tx.prepare_cached(&sql)?;
            stmt.query_row([folder_id], |r| Ok((from_row(r)?, r.get::<_, u32>(COLUMNS.split(',').count())?)))
                .optional()?
                .ok_or(MailError::NoSuchFolder)?
        };
        let messages = {
            let sql = format!("SELECT {META} FROM message WHERE folder_id = ?1 ORDER BY uid");
            let mut stmt = tx.prepare_cached(&sql)?;
            stmt.query_map([folder_id], meta_row)?.collect::<Result<Vec<_>, _>>()?
        };
        if claim_recent {
            tx.execute("UPDATE folder SET recent_floor = uidnext WHERE id = ?1", [folder_id])?;
        }
        tx.commit()?;
        let recent = messages.iter().map(|m| m.uid).filter(|u| *u >= floor).collect();
        Ok(FolderView { folder, messages, recent })
    }

    /// STATUS of a folder, every figure from the same instant.
    pub fn folder_status(&self, folder_id: i64) -> MailResult<FolderStatus> {
        self.snapshot(|db| {
            let folder = db.folder_by_id(folder_id)?.ok_or(MailError::NoSuchFolder)?;
            let mut stmt = db.conn.prepare_cached(
                "SELECT count(*),
                        coalesce(sum(uid >= (SELECT recent_floor FROM folder WHERE id = ?1)), 0),
                        coalesce(sum(flags & ?2 = 0), 0),
                        coalesce(sum(flags & ?3 != 0), 0)
                 FROM message WHERE folder_id = ?1",
            )?;
            let (messages, recent, unseen, deleted) = stmt
                .query_row(params![folder_id, flag::SEEN, flag::DELETED], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?;
            Ok(FolderStatus {
                messages,
                recent,
                unseen,
                deleted,
                uidnext: folder.uidnext,
                uidvalidity: folder.uidvalidity,
                highest_modseq: folder.highest_modseq,
            })
        })
    }
}
