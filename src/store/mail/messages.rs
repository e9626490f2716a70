//! Messages: append, read, flags, expunge, copy and move, and the change
//! feed sessions poll to learn what other sessions did.

use std::borrow::Cow;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::flags::{FlagOp, Flags, flag};
use super::info::MessageInfo;
use super::{MailDb, MailError, MailResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageMeta {
    pub uid: u32,
    pub modseq: u64,
    pub flags: Flags,
    /// Unix seconds (UTC).
    pub internal_date: i64,
    /// Octets of the stored (CRLF) message.
    pub size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendResult {
    pub uidvalidity: u32,
    pub uid: u32,
}

/// Source and destination UIDs of a COPY or MOVE, for UIDPLUS's COPYUID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyResult {
    pub uidvalidity: u32,
    pub pairs: Vec<(u32, u32)>,
}

/// One message as a command reads it: metadata and (when asked for) the
/// bytes, from one statement, so they always belong together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub meta: MessageMeta,
    pub raw: Option<Vec<u8>>,
}

/// What a STORE did: every message of the set that exists, with its flags
/// now, and the modseq of the change when some flags did change (all
/// changed messages share it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoreResult {
    pub messages: Vec<MessageMeta>,
    pub modseq: Option<u64>,
    /// UNCHANGEDSINCE (RFC 7162 3.1.3): messages left alone because they
    /// changed after the client's modseq, ascending UIDs.
    pub modified: Vec<u32>,
}

/// What setting \Seen on fetched messages did: the UIDs that did not have
/// it, and the modseq they now share.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeenResult {
    pub changed: Vec<u32>,
    pub modseq: Option<u64>,
}

/// What happened in a folder after a given modseq, read in one snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FolderChanges {
    pub highest_modseq: u64,
    /// Messages at or above it are \Recent to whoever claims them.
    pub recent_floor: u32,
    /// New messages and messages whose flags changed, in UID order.
    pub changed: Vec<MessageMeta>,
    /// UIDs removed, as ascending ranges (`expunged.rs`: exact, or every
    /// UID no longer there when the record of that time was pruned).
    pub expunged: Vec<(u32, u32)>,
}

pub(super) const META: &str = "uid, modseq, flags, keywords, internal_date, size";
const META_RAW: &str = "uid, modseq, flags, keywords, internal_date, size, raw";

pub(super) fn meta_row(r: &rusqlite::Row) -> rusqlite::Result<MessageMeta> {
    let keywords: String = r.get(3)?;
    Ok(MessageMeta {
        uid: r.get(0)?,
        modseq: r.get::<_, i64>(1)? as u64,
        flags: Flags::from_columns(r.get(2)?, &keywords),
        internal_date: r.get(4)?,
        size: r.get::<_, i64>(5)? as u64,
    })
}

/// Bare LF line ends become CRLF: sizes are counted on what is sent.
pub fn to_crlf(raw: &[u8]) -> Cow<'_, [u8]> {
    let bare = raw.iter().enumerate().any(|(i, b)| *b == b'\n' && (i == 0 || raw[i - 1] != b'\r'));
    if !bare {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 32);
    for (i, b) in raw.iter().enumerate() {
        if *b == b'\n' && (i == 0 || raw[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(*b);
    }
    Cow::Owned(out)
}

/// Takes the folder's next modseq (every change gets its own).
fn bump_modseq(tx: &Transaction, folder_id: i64) -> MailResult<i64> {
    tx.query_row(
        "UPDATE folder SET highest_modseq = highest_modseq + 1 WHERE id = ?1 RETURNING highest_modseq",
        [folder_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(MailError::NoSuchFolder)
}

pub(super) fn remove(tx: &Transaction, folder_id: i64, uids: &[u32]) -> MailResult<Vec<u32>> {
    let modseq = bump_modseq(tx, folder_id)?;
    let mut del = tx.prepare_cached("DELETE FROM message WHERE folder_id = ?1 AND uid = ?2")?;
    let mut log = tx.prepare_cached("INSERT OR REPLACE INTO expunged (folder_id, uid, modseq) VALUES (?1, ?2, ?3)")?;
    let mut gone = Vec::new();
    for uid in uids {
        if del.execute(params![folder_id, uid])? > 0 {
            log.execute(params![folder_id, uid, modseq])?;
            gone.push(*uid);
        }
    }
    gone.sort_unstable();
    super::expunged::prune(tx, folder_id, super::EXPUNGED_KEEP)?;
    Ok(gone)
}

/// A message to store: CRLF bytes and, when the caller summarised it, its
/// metadata.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub folder_id: i64,
    pub flags: Flags,
    pub internal_date: i64,
    pub raw: Vec<u8>,
    pub info: Option<MessageInfo>,
}

pub(super) fn insert_message_in(tx: &rusqlite::Connection, m: &NewMessage) -> MailResult<AppendResult> {
    let (uidvalidity, uid): (u32, u32) = tx
        .prepare_cached(
            "UPDATE folder SET uidnext = uidnext + 1, highest_modseq = highest_modseq + 1 WHERE id = ?1
             RETURNING uidvalidity, uidnext - 1",
        )?
        .query_row([m.folder_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(MailError::NoSuchFolder)?;
    tx.prepare_cached(
        "INSERT INTO message (folder_id, uid, modseq, created_modseq, flags, keywords, internal_date, size, raw)
         SELECT ?1, ?2, highest_modseq, highest_modseq, ?3, ?4, ?5, ?6, ?7 FROM folder WHERE id = ?1",
    )?
    .execute(params![
        m.folder_id,
        uid,
        m.flags.system,
        m.flags.keywords_text(),
        m.internal_date,
        m.raw.len() as i64,
        m.raw
    ])?;
    if let Some(info) = &m.info {
        super::info::insert(tx, m.folder_id, uid, info)?;
    }
    Ok(AppendResult { uidvalidity, uid })
}

fn insert_in_savepoint(tx: &mut Transaction, m: &NewMessage) -> MailResult<AppendResult> {
    let sp = tx.savepoint()?;
    let r = insert_message_in(&sp, m)?;
    sp.commit()?;
    Ok(r)
}

impl MailDb {
    /// Stores a message durably and returns its UID. Bare LFs become CRLF.
    pub fn append(
        &mut self,
        folder_id: i64,
        flags: &Flags,
        internal_date: i64,
        raw: &[u8],
    ) -> MailResult<AppendResult> {
        let raw = to_crlf(raw);
        let info = self.summarize(&raw);
        let new = NewMessage { folder_id, flags: flags.clone(), internal_date, raw: raw.into_owned(), info };
        self.append_all(std::slice::from_ref(&new)).pop().unwrap_or(Err(MailError::NoSuchFolder))
    }

    /// Stores several messages in one transaction (one fsync: group
    /// commit); each gets its own answer, and one that fails (its folder
    /// was deleted) leaves the others stored. Bytes must be CRLF already
    /// ([`to_crlf`]).
    pub fn append_all(&mut self, messages: &[NewMessage]) -> Vec<MailResult<AppendResult>> {
        let mut out = Vec::with_capacity(messages.len());
        let mut tx = match self.conn.transaction_with_behavior(TransactionBehavior::Immediate) {
            Ok(tx) => tx,
            Err(e) => {
                let e = MailError::from(e);
                return messages.iter().map(|_| Err(MailError::Task(e.to_string()))).collect();
            }
        };
        for m in messages {
            out.push(insert_in_savepoint(&mut tx, m));
        }
        if let Err(e) = tx.commit() {
            let text = e.to_string();
            return messages.iter().map(|_| Err(MailError::Task(text.clone()))).collect();
        }
        out
    }

    /// Stores several messages in one transaction, all or none (MULTIAPPEND);
    /// each is made CRLF and summarised here.
    pub fn append_atomic(&mut self, mut messages: Vec<NewMessage>) -> MailResult<Vec<AppendResult>> {
        for m in &mut messages {
            if let Cow::Owned(crlf) = to_crlf(&m.raw) {
                m.raw = crlf;
            }
            if m.info.is_none() {
                m.info = self.summarize(&m.raw);
            }
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(messages.len());
        for m in &messages {
            out.push(insert_message_in(&tx, m)?);
        }
        tx.commit()?;
        Ok(out)
    }

    /// Appends several messages in one transaction; their UIDs, in order.
    pub fn append_many(&mut self, folder_id: i64, internal_date: i64, messages: &[&[u8]]) -> MailResult<Vec<u32>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut uids = Vec::with_capacity(messages.len());
        for raw in messages {
            let raw = to_crlf(raw).into_owned();
            let info = self.summarizer.map(|s| s(&raw));
            let m = NewMessage { folder_id, flags: Flags::default(), internal_date, raw, info };
            uids.push(insert_message_in(&tx, &m)?.uid);
        }
        tx.commit()?;
        Ok(uids)
    }

    /// Every message of the folder, in UID order (without the bytes).
    pub fn messages(&self, folder_id: i64) -> MailResult<Vec<MessageMeta>> {
        let sql = format!("SELECT {META} FROM message WHERE folder_id = ?1 ORDER BY uid");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([folder_id], meta_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn message_meta(&self, folder_id: i64, uid: u32) -> MailResult<Option<MessageMeta>> {
        let sql = format!("SELECT {META} FROM message WHERE folder_id = ?1 AND uid = ?2");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row(params![folder_id, uid], meta_row).optional()?)
    }

    /// One message, with its bytes when `with_raw`; None if it was expunged.
    /// One statement: the metadata and the bytes are of the same instant.
    pub fn message(&self, folder_id: i64, uid: u32, with_raw: bool) -> MailResult<Option<StoredMessage>> {
        let sql =
            format!("SELECT {} FROM message WHERE folder_id = ?1 AND uid = ?2", if with_raw { META_RAW } else { META });
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_row(params![folder_id, uid], |r| {
                let raw = if with_raw { Some(r.get::<_, Vec<u8>>(6)?) } else { None };
                Ok(StoredMessage { meta: meta_row(r)?, raw })
            })
            .optional()?)
    }

    /// Every message of the folder in UID order, with its bytes when
    /// `with_raw`, handed to `f` one at a time (a SEARCH reads them all;
    /// they need not fit in memory together). Inside [`MailDb::snapshot`],
    /// together with the caller's other reads, they are of one instant.
    pub fn each_message(
        &self,
        folder_id: i64,
        with_raw: bool,
        mut f: impl FnMut(StoredMessage) -> MailResult<()>,
    ) -> MailResult<()> {
        let sql =
            format!("SELECT {} FROM message WHERE folder_id = ?1 ORDER BY uid", if with_raw { META_RAW } else { META });
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([folder_id])?;
        while let Some(r) = rows.next()? {
            let raw = if with_raw { Some(r.get::<_, Vec<u8>>(6)?) } else { None };
            f(StoredMessage { meta: meta_row(r)?, raw })?;
        }
        Ok(())
    }

    /// The stored bytes of one message, or None if it was expunged.
    pub fn message_raw(&self, folder_id: i64, uid: u32) -> MailResult<Option<Vec<u8>>> {
        let mut stmt = self.conn.prepare_cached("SELECT raw FROM message WHERE folder_id = ?1 AND uid = ?2")?;
        Ok(stmt.query_row(params![folder_id, uid], |r| r.get(0)).optional()?)
    }

    /// Applies a STORE to the messages of `uids` that exist; returns them
    /// with their new flags. Only messages whose flags changed take a new
    /// modseq (and so are reported to other sessions).
    pub fn store_flags(&mut self, folder_id: i64, uids: &[u32], op: FlagOp, flags: &Flags) -> MailResult<StoreResult> {
        self.store_flags_if(folder_id, uids, op, flags, None)
    }

    /// [`MailDb::store_flags`], leaving alone (and listing) the messages
    /// whose modseq is above `unchanged_since` (CONDSTORE's conditional
    /// STORE, tested in the same transaction as the change).
    pub fn store_flags_if(
        &mut self,
        folder_id: i64,
        uids: &[u32],
        op: FlagOp,
        flags: &Flags,
        unchanged_since: Option<u64>,
    ) -> MailResult<StoreResult> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(uids.len());
        let mut modified = Vec::new();
        let mut modseq: Option<i64> = None;
        {
            let sql = format!("SELECT {META} FROM message WHERE folder_id = ?1 AND uid = ?2");
            let mut read = tx.prepare_cached(&sql)?;
            let mut write = tx.prepare_cached(
                "UPDATE message SET flags = ?3, keywords = ?4, modseq = ?5 WHERE folder_id = ?1 AND uid = ?2",
            )?;
            for uid in uids {
                let Some(mut meta) = read.query_row(params![folder_id, uid], meta_row).optional()? else {
                    continue;
                };
                if unchanged_since.is_some_and(|since| meta.modseq > since) {
                    modified.push(*uid);
                    continue;
                }
                let new = meta.flags.apply(op, flags);
                if new != meta.flags {
                    let m = match modseq {
                        Some(m) => m,
                        None => *modseq.insert(bump_modseq(&tx, folder_id)?),
                    };
                    write.execute(params![folder_id, uid, new.system, new.keywords_text(), m])?;
                    super::flag_modseq::record(
                        &tx,
                        folder_id,
                        *uid,
                        &super::flag_modseq::changed(&meta.flags, &new),
                        m,
                    )?;
                    meta.flags = new;
                    meta.modseq = m as u64;
                }
                out.push(meta);
            }
        }
        tx.commit()?;
        modified.sort_unstable();
        Ok(StoreResult { messages: out, modseq: modseq.map(|m| m as u64), modified })
    }

    /// Sets \Seen on the messages of `uids` that exist and lack it (FETCH of
    /// a body), in one transaction with one modseq.
    pub fn mark_seen(&mut self, folder_id: i64, uids: &[u32]) -> MailResult<SeenResult> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut changed = Vec::new();
        let mut modseq: Option<i64> = None;
        {
            let mut unseen =
                tx.prepare_cached("SELECT 1 FROM message WHERE folder_id = ?1 AND uid = ?2 AND flags & ?3 = 0")?;
            let mut write = tx.prepare_cached(
                "UPDATE message SET flags = flags | ?3, modseq = ?4 WHERE folder_id = ?1 AND uid = ?2",
            )?;
            for uid in uids {
                if !unseen.exists(params![folder_id, uid, flag::SEEN])? {
                    continue;
                }
                let m = match modseq {
                    Some(m) => m,
                    None => *modseq.insert(bump_modseq(&tx, folder_id)?),
                };
                write.execute(params![folder_id, uid, flag::SEEN, m])?;
                super::flag_modseq::record(&tx, folder_id, *uid, &["\\seen".to_string()], m)?;
                changed.push(*uid);
            }
        }
        tx.commit()?;
        Ok(SeenResult { changed, modseq: modseq.map(|m| m as u64) })
    }

    /// Removes the messages flagged \Deleted (only among `only` if given);
    /// returns the UIDs removed, ascending.
    pub fn expunge(&mut self, folder_id: i64, only: Option<&[u32]>) -> MailResult<Vec<u32>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let deleted: Vec<u32> = {
            let mut stmt =
                tx.prepare_cached("SELECT uid FROM message WHERE folder_id = ?1 AND flags & ?2 != 0 ORDER BY uid")?;
            let rows = stmt.query_map(params![folder_id, flag::DELETED], |r| r.get(0))?;
            rows.collect::<Result<Vec<u32>, _>>()?
        };
        let chosen: Vec<u32> = match only {
            Some(set) => {
                let set: std::collections::HashSet<u32> = set.iter().copied().collect();
                deleted.into_iter().filter(|u| set.contains(u)).collect()
            }
            None => deleted,
        };
        if chosen.is_empty() {
            return Ok(chosen);
        }
        let gone = remove(&tx, folder_id, &chosen)?;
        tx.commit()?;
        Ok(gone)
    }

    /// Removes the given messages whatever their flags (POP3 DELE at QUIT),
    /// all in one transaction; returns the UIDs that existed.
    pub fn delete_messages(&mut self, folder_id: i64, uids: &[u32]) -> MailResult<Vec<u32>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let gone = remove(&tx, folder_id, uids)?;
        tx.commit()?;
        Ok(gone)
    }

    /// Copies messages (flags and internal date kept) into `dest`. All or
    /// nothing: if one of `uids` was expunged, nothing is copied and the
    /// answer is [`MailError::Expunged`] (RFC 2180 4.4.1).
    pub fn copy_messages(&mut self, folder_id: i64, uids: &[u32], dest: i64) -> MailResult<CopyResult> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let result = copy_in(&tx, folder_id, uids, dest, true)?;
        tx.commit()?;
        Ok(result)
    }

    /// Copies then removes from the source, atomically (IMAP MOVE); all or
    /// nothing, as [`MailDb::copy_messages`].
    pub fn move_messages(&mut self, folder_id: i64, uids: &[u32], dest: i64) -> MailResult<CopyResult> {
        self.move_some(folder_id, uids, dest, true)
    }

    /// MOVE; `strict`: fail with [`MailError::Expunged`] if one of `uids`
    /// is gone, else move those that exist.
    pub(super) fn move_some(
        &mut self,
        folder_id: i64,
        uids: &[u32],
        dest: i64,
        strict: bool,
    ) -> MailResult<CopyResult> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let result = copy_in(&tx, folder_id, uids, dest, strict)?;
        let sources: Vec<u32> = result.pairs.iter().map(|(s, _)| *s).collect();
        if !sources.is_empty() {
            remove(&tx, folder_id, &sources)?;
        }
        tx.commit()?;
        Ok(result)
    }

    /// Takes the folder's recent messages for the calling session: returns
    /// the UIDs at or above the recent floor and raises the floor to UIDNEXT,
    /// so no other session sees them as recent.
    pub fn claim_recent(&mut self, folder_id: i64) -> MailResult<Vec<u32>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let floor: u32 = tx
            .query_row("SELECT recent_floor FROM folder WHERE id = ?1", [folder_id], |r| r.get(0))
            .optional()?
            .ok_or(MailError::NoSuchFolder)?;
        let uids = {
            let mut stmt =
                tx.prepare_cached("SELECT uid FROM message WHERE folder_id = ?1 AND uid >= ?2 ORDER BY uid")?;
            stmt.query_map(params![folder_id, floor], |r| r.get(0))?.collect::<Result<Vec<u32>, _>>()?
        };
        tx.execute("UPDATE folder SET recent_floor = uidnext WHERE id = ?1", [folder_id])?;
        tx.commit()?;
        Ok(uids)
    }

    /// Octets stored of the messages of `uids` that exist (COPY's quota check).
    pub fn total_size(&self, folder_id: i64, uids: &[u32]) -> MailResult<u64> {
        let mut stmt = self.conn.prepare_cached("SELECT size FROM message WHERE folder_id = ?1 AND uid = ?2")?;
        let mut total = 0u64;
        for uid in uids {
            if let Some(n) = stmt.query_row(params![folder_id, uid], |r| r.get::<_, i64>(0)).optional()? {
                total += n as u64;
            }
        }
        Ok(total)
    }

    /// UIDs expunged from the folder after `since`, as ascending ranges
    /// (QRESYNC's VANISHED (EARLIER); `expunged.rs`).
    pub fn expunged_since(&self, folder_id: i64, since: u64) -> MailResult<Vec<(u32, u32)>> {
        self.snapshot(|db| super::expunged::vanished_since(&db.conn, folder_id, since))
    }

    /// What changed in the folder after `since` (a modseq the caller saw),
    /// all read in one snapshot: a change is either wholly in the answer
    /// (and below its `highest_modseq`) or wholly in the next one.
    pub fn changes_since(&self, folder_id: i64, since: u64) -> MailResult<FolderChanges> {
        self.snapshot(|db| db.changes_in_snapshot(folder_id, since))
    }

    fn changes_in_snapshot(&self, folder_id: i64, since: u64) -> MailResult<FolderChanges> {
        let (highest, recent_floor): (i64, u32) = self
            .conn
            .prepare_cached("SELECT highest_modseq, recent_floor FROM folder WHERE id = ?1")?
            .query_row([folder_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or(MailError::NoSuchFolder)?;
        if highest as u64 <= since {
            return Ok(FolderChanges { highest_modseq: highest as u64, recent_floor, ..Default::default() });
        }
        let sql = format!("SELECT {META} FROM message WHERE folder_id = ?1 AND modseq > ?2 ORDER BY uid");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let changed = stmt.query_map(params![folder_id, since as i64], meta_row)?.collect::<Result<Vec<_>, _>>()?;
        let expunged = super::expunged::vanished_since(&self.conn, folder_id, since)?;
        Ok(FolderChanges { highest_modseq: highest as u64, recent_floor, changed, expunged })
    }
}

pub(super) fn copy_in(
    tx: &Transaction,
    folder_id: i64,
    uids: &[u32],
    dest: i64,
    strict: bool,
) -> MailResult<CopyResult> {
    let uidvalidity: u32 = tx
        .query_row("SELECT uidvalidity FROM folder WHERE id = ?1", [dest], |r| r.get(0))
        .optional()?
        .ok_or(MailError::NoSuchFolder)?;
    let existing: Vec<u32> = {
        let mut stmt = tx.prepare_cached("SELECT 1 FROM message WHERE folder_id = ?1 AND uid = ?2")?;
        let mut found = Vec::new();
        for uid in uids {
            if stmt.exists(params![folder_id, uid])? {
                found.push(*uid);
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    };
    let mut asked = uids.to_vec();
    asked.sort_unstable();
    asked.dedup();
    if strict && existing.len() != asked.len() {
        return Err(MailError::Expunged);
    }
    if existing.is_empty() {
        return Ok(CopyResult { uidvalidity, pairs: vec![] });
    }
    let first: u32 = tx.query_row(
        "UPDATE folder SET uidnext = uidnext + ?2, highest_modseq = highest_modseq + 1 WHERE id = ?1
         RETURNING uidnext - ?2",
        params![dest, existing.len() as i64],
        |r| r.get(0),
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO message (folder_id, uid, modseq, created_modseq, flags, keywords, internal_date, size, raw)
         SELECT ?3, ?4, f.highest_modseq, f.highest_modseq, m.flags, m.keywords, m.internal_date, m.size, m.raw
         FROM message m, folder f WHERE m.folder_id = ?1 AND m.uid = ?2 AND f.id = ?3",
    )?;
    let mut pairs = Vec::with_capacity(existing.len());
    for (i, uid) in existing.iter().enumerate() {
        let new_uid = first + i as u32;
        insert.execute(params![folder_id, uid, dest, new_uid])?;
        super::info::copy(tx, (folder_id, *uid), (dest, new_uid))?;
        pairs.push((*uid, new_uid));
    }
    Ok(CopyResult { uidvalidity, pairs })
}
