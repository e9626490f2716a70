//! Reading messages for FETCH and SEARCH: the metadata row, and only the
//! columns of `message_info` (and the text) the command needs. The text
//! is read only when asked for, so a FETCH of ENVELOPE or HEADER.FIELDS
//! never touches the pages that hold message bodies.

use rusqlite::params;

use super::info::MessageInfo;
use super::messages::{MessageMeta, meta_row};
use super::{MailDb, MailResult};

/// What a reader wants besides the metadata: bits of [`column`].
pub mod column {
    pub const PARTS: u32 = 1;
    pub const ENVELOPE: u32 = 2;
    pub const BODY: u32 = 4;
    pub const BODYSTRUCTURE: u32 = 8;
    pub const HEADER: u32 = 16;
    /// The message text itself.
    pub const RAW: u32 = 32;
}

/// One message as a command reads it, from one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    pub meta: MessageMeta,
    /// The columns asked for (the others empty); None when the message has
    /// no metadata yet (see [`MailDb::backfill_info`]).
    pub info: Option<MessageInfo>,
    pub raw: Option<Vec<u8>>,
}

/// Point lookups are cheaper than a range scan when fewer than one UID in
/// this many of the range is wanted.
const SPARSE: u64 = 8;

fn sql(columns: u32, filter: &str) -> String {
    let c = |bit: u32, name: &str| if columns & bit != 0 { format!("i.{name}") } else { "NULL".to_string() };
    format!(
        "SELECT m.uid, m.modseq, m.flags, m.keywords, m.internal_date, m.size, i.renders, {}, {}, {}, {}, {}, {}
         FROM message m LEFT JOIN message_info i ON i.folder_id = m.folder_id AND i.uid = m.uid
         WHERE m.folder_id = ?1 AND {filter} ORDER BY m.uid",
        c(column::PARTS, "parts"),
        c(column::ENVELOPE, "envelope"),
        c(column::BODY, "body"),
        c(column::BODYSTRUCTURE, "bodystructure"),
        c(column::HEADER, "header"),
        if columns & column::RAW != 0 { "m.raw" } else { "NULL" },
    )
}

fn blob(r: &rusqlite::Row, i: usize) -> rusqlite::Result<Vec<u8>> {
    Ok(r.get::<_, Option<Vec<u8>>>(i)?.unwrap_or_default())
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<MessageRow> {
    let renders: Option<u32> = r.get(6)?;
    let info = match renders {
        Some(renders) => Some(MessageInfo {
            renders,
            parts: blob(r, 7)?,
            envelope: blob(r, 8)?,
            body: blob(r, 9)?,
            bodystructure: blob(r, 10)?,
            header: blob(r, 11)?,
        }),
        None => None,
    };
    Ok(MessageRow { meta: meta_row(r)?, info, raw: r.get(12)? })
}

impl MailDb {
    /// The messages of `uids` (ascending) that exist, in UID order, with
    /// the `columns` asked for. Inside [`MailDb::snapshot`] they are all of
    /// one instant.
    pub fn message_rows(&self, folder_id: i64, uids: &[u32], columns: u32) -> MailResult<Vec<MessageRow>> {
        let (Some(first), Some(last)) = (uids.first(), uids.last()) else { return Ok(vec![]) };
        let span = (*last as u64).saturating_sub(*first as u64) + 1;
        let mut out = Vec::with_capacity(uids.len());
        if (uids.len() as u64).saturating_mul(SPARSE) < span {
            let mut stmt = self.conn.prepare_cached(&sql(columns, "m.uid = ?2"))?;
            for uid in uids {
                if let Some(r) = stmt.query_map(params![folder_id, uid], row)?.next() {
                    out.push(r?);
                }
            }
            return Ok(out);
        }
        let mut stmt = self.conn.prepare_cached(&sql(columns, "m.uid BETWEEN ?2 AND ?3"))?;
        let mut rows = stmt.query(params![folder_id, first, last])?;
        let mut wanted = uids.iter().peekable();
        while let Some(r) = rows.next()? {
            let uid: u32 = r.get(0)?;
            while wanted.next_if(|w| **w < uid).is_some() {}
            if wanted.next_if(|w| **w == uid).is_some() {
                out.push(row(r)?);
            }
        }
        Ok(out)
    }

    /// Every message of the folder in UID order, with the `columns` asked
    /// for, handed to `f` one at a time (a SEARCH reads them all; they need
    /// not fit in memory together).
    pub fn each_row(
        &self,
        folder_id: i64,
        columns: u32,
        mut f: impl FnMut(MessageRow) -> MailResult<()>,
    ) -> MailResult<()> {
        let mut stmt = self.conn.prepare_cached(&sql(columns, "1"))?;
        let mut rows = stmt.query([folder_id])?;
        while let Some(r) = rows.next()? {
            f(row(r)?)?;
        }
        Ok(())
    }
}

/// What POP3 needs to stream a message without reading it whole first,
/// found in one query; its bytes are then read by [`MailDb::raw_chunks`] in
/// the same snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamInfo {
    /// Bits of `renders` (None: no metadata yet).
    pub renders: Option<u32>,
    /// Octets of the header block, blank line included (None: no metadata).
    pub header_len: Option<u64>,
    /// Octets as stored.
    pub size: u64,
    /// Where its bytes are (valid in the snapshot that found it).
    row: i64,
}

impl MailDb {
    /// How a message can be streamed; None when it was expunged.
    pub fn stream_info(&self, folder_id: i64, uid: u32) -> MailResult<Option<StreamInfo>> {
        use rusqlite::OptionalExtension;
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.rowid, length(m.raw), i.renders, length(i.header) FROM message m
             LEFT JOIN message_info i ON i.folder_id = m.folder_id AND i.uid = m.uid
             WHERE m.folder_id = ?1 AND m.uid = ?2",
        )?;
        Ok(stmt
            .query_row(params![folder_id, uid], |r| {
                Ok(StreamInfo {
                    row: r.get(0)?,
                    size: r.get::<_, i64>(1)?.max(0) as u64,
                    renders: r.get(2)?,
                    header_len: r.get::<_, Option<i64>>(3)?.map(|n| n.max(0) as u64),
                })
            })
            .optional()?)
    }

    /// Hands the stored bytes of the message `info` describes to `f` in
    /// pieces of up to `chunk` octets, read incrementally (the whole text is
    /// never in memory at once), until `f` says stop. Call it in the
    /// snapshot that found `info`.
    pub fn raw_chunks(&self, info: &StreamInfo, chunk: usize, mut f: impl FnMut(&[u8]) -> bool) -> MailResult<()> {
        use std::io::Read;
        if info.size <= chunk as u64 {
            // In one piece: a cached statement, where opening a blob
            // compiles one each time.
            let mut stmt = self.conn.prepare_cached("SELECT raw FROM message WHERE rowid = ?1")?;
            let mut rows = stmt.query([info.row])?;
            if let Some(row) = rows.next()? {
                let bytes = match row.get_ref(0)? {
                    rusqlite::types::ValueRef::Blob(b) | rusqlite::types::ValueRef::Text(b) => b,
                    _ => &[],
                };
                if !bytes.is_empty() {
                    f(bytes);
                }
            }
            return Ok(());
        }
        let mut blob = self.conn.blob_open(rusqlite::MAIN_DB, "message", "raw", info.row, true)?;
        let mut buf = vec![0u8; chunk.clamp(1, blob.len().max(1))];
        loop {
            let n = blob.read(&mut buf).map_err(|e| super::MailError::Task(e.to_string()))?;
            if n == 0 || !f(&buf[..n]) {
                return Ok(());
            }
        }
    }
}
