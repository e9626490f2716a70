//! Message metadata computed once, when a message enters the database
//! (APPEND, delivery; COPY and MOVE copy it), and stored beside it in
//! `message_info`: what FETCH of metadata, SEARCH on header fields, SORT,
//! THREAD and POP3 need, so that none of them reads or parses the message
//! text. The store does not know IMAP: the engines hand it a
//! [`Summarizer`] (the pool sets it on every connection) that turns raw
//! bytes into a [`MessageInfo`]. A message stored without one (a test's
//! delivery, a file from before migration 5) gets its metadata from
//! [`MailDb::backfill_info`], run when a back end starts, and readers that
//! meet a missing row compute it from the text meanwhile.
//!
//! Settings that change how a message is served (calendar links, MIME
//! format) change its size and structure: those figures are cached per
//! setting value in `message_rendition`, computed the first time a session
//! with that setting asks.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{MailDb, MailResult};

/// What is known of a message without reading it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageInfo {
    /// Bits of [`renders`]: which server settings may change the message.
    pub renders: u32,
    /// The MIME part tree's offsets, packed (`engines::mime::Part::pack`).
    pub parts: Vec<u8>,
    /// IMAP's ENVELOPE, BODY and BODYSTRUCTURE, as sent.
    pub envelope: Vec<u8>,
    pub body: Vec<u8>,
    pub bodystructure: Vec<u8>,
    /// The header block, blank line included (HEADER.FIELDS, SEARCH HEADER,
    /// SORT and THREAD keys).
    pub header: Vec<u8>,
}

/// Which settings may change how a message is served.
pub mod renders {
    /// It mentions text/calendar (CalendarItemRetrievalOption).
    pub const CALENDAR: u32 = 1;
    /// It has a multipart/alternative (MessageRetrievalMimeFormat).
    pub const ALTERNATIVE: u32 = 2;
}

/// Computes a message's metadata from its stored (CRLF) bytes.
pub type Summarizer = fn(&[u8]) -> MessageInfo;

/// A message's size and structure as served under one setting value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendition {
    pub size: u64,
    pub body: Vec<u8>,
    pub bodystructure: Vec<u8>,
}

/// Messages summarised per transaction by the backfill.
const BACKFILL_BATCH: usize = 256;

pub(super) fn insert(tx: &rusqlite::Connection, folder_id: i64, uid: u32, info: &MessageInfo) -> MailResult<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO message_info (folder_id, uid, renders, parts, envelope, body, bodystructure, header)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        folder_id,
        uid,
        info.renders,
        info.parts,
        info.envelope,
        info.body,
        info.bodystructure,
        info.header
    ])?;
    Ok(())
}

/// Copies a message's metadata to its copy (COPY, MOVE): the bytes are the
/// same, so nothing is computed again.
pub(super) fn copy(tx: &rusqlite::Connection, from: (i64, u32), to: (i64, u32)) -> MailResult<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO message_info (folder_id, uid, renders, parts, envelope, body, bodystructure, header)
         SELECT ?3, ?4, renders, parts, envelope, body, bodystructure, header
         FROM message_info WHERE folder_id = ?1 AND uid = ?2",
    )?
    .execute(params![from.0, from.1, to.0, to.1])?;
    Ok(())
}

impl MailDb {
    /// Sets how this connection summarises the messages it stores.
    pub fn set_summarizer(&mut self, summarize: Summarizer) {
        self.summarizer = Some(summarize);
    }

    pub(super) fn summarize(&self, raw: &[u8]) -> Option<MessageInfo> {
        self.summarizer.map(|s| s(raw))
    }

    /// Stores metadata computed by a reader that found none.
    pub fn save_info(&mut self, folder_id: i64, uid: u32, info: &MessageInfo) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The message may have gone meanwhile: the foreign key would refuse.
        let exists = tx
            .prepare_cached("SELECT 1 FROM message WHERE folder_id = ?1 AND uid = ?2")?
            .exists(params![folder_id, uid])?;
        if exists {
            insert(&tx, folder_id, uid, info)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Summarises every message that has no metadata yet (a database from
    /// before migration 5, messages stored without a summarizer), a batch
    /// per transaction. Returns how many were done.
    pub fn backfill_info(&mut self, summarize: Summarizer) -> MailResult<usize> {
        let mut done = 0;
        loop {
            let missing: Vec<(i64, u32)> = {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT m.folder_id, m.uid FROM message m
                     WHERE NOT EXISTS (SELECT 1 FROM message_info i WHERE i.folder_id = m.folder_id AND i.uid = m.uid)
                     LIMIT ?1",
                )?;
                stmt.query_map([BACKFILL_BATCH as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<Vec<_>, _>>()?
            };
            if missing.is_empty() {
                return Ok(done);
            }
            let mut computed = Vec::with_capacity(missing.len());
            for (folder, uid) in &missing {
                if let Some(raw) = self.message_raw(*folder, *uid)? {
                    computed.push((*folder, *uid, summarize(&raw)));
                }
            }
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for (folder, uid, info) in &computed {
                let exists = tx
                    .prepare_cached("SELECT 1 FROM message WHERE folder_id = ?1 AND uid = ?2")?
                    .exists(params![folder, uid])?;
                if exists {
                    insert(&tx, *folder, *uid, info)?;
                }
            }
            tx.commit()?;
            done += computed.len();
            if computed.is_empty() {
                // Every one vanished between the two reads: look again.
                continue;
            }
        }
    }

    /// A message's size and structure under the setting value `variant`,
    /// if computed before.
    pub fn rendition(&self, folder_id: i64, uid: u32, variant: &str) -> MailResult<Option<Rendition>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT size, body, bodystructure FROM message_rendition WHERE folder_id = ?1 AND uid = ?2 AND variant = ?3",
        )?;
        Ok(stmt
            .query_row(params![folder_id, uid, variant], |r| {
                Ok(Rendition { size: r.get::<_, i64>(0)? as u64, body: r.get(1)?, bodystructure: r.get(2)? })
            })
            .optional()?)
    }

    /// Keeps renditions computed by readers, in one transaction.
    pub fn save_renditions(&mut self, folder_id: i64, variant: &str, items: &[(u32, Rendition)]) -> MailResult<()> {
        if items.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut exists = tx.prepare_cached("SELECT 1 FROM message WHERE folder_id = ?1 AND uid = ?2")?;
            let mut put = tx.prepare_cached(
                "INSERT OR REPLACE INTO message_rendition (folder_id, uid, variant, size, body, bodystructure)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (uid, r) in items {
                if exists.exists(params![folder_id, uid])? {
                    put.execute(params![folder_id, uid, variant, r.size as i64, r.body, r.bodystructure])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }
}
