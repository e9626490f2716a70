//! The modseq of each flag's last change on each message (migration 7), so
//! CONDSTORE's `SEARCH MODSEQ "/flags/\Seen" all n` finds the messages
//! whose \Seen changed at or after n, not every message with any change
//! (RFC 7162 3.1.5). A flag never changed since the message arrived has
//! the message's arrival modseq (`message.created_modseq`; 0 for a message
//! stored before migration 7, read as its last change). Rows go with
//! their message (foreign key); a copy starts afresh.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::flags::{Flags, flag};
use super::{MailDb, MailResult};

/// The names of the system flags, in bit order, lower case as stored.
const SYSTEM: [(u32, &str); 5] = [
    (flag::SEEN, "\\seen"),
    (flag::ANSWERED, "\\answered"),
    (flag::FLAGGED, "\\flagged"),
    (flag::DELETED, "\\deleted"),
    (flag::DRAFT, "\\draft"),
];

/// The flags (lower case) set in one of `a`, `b` and not the other.
pub(super) fn changed(a: &Flags, b: &Flags) -> Vec<String> {
    let mut out: Vec<String> =
        SYSTEM.iter().filter(|(bit, _)| (a.system ^ b.system) & bit != 0).map(|(_, n)| n.to_string()).collect();
    for k in a.keywords.iter().filter(|k| !b.has_keyword(k)).chain(b.keywords.iter().filter(|k| !a.has_keyword(k))) {
        out.push(k.to_ascii_lowercase());
    }
    out
}

/// Records that `flags` of a message changed at `modseq`.
pub(super) fn record(conn: &Connection, folder_id: i64, uid: u32, flags: &[String], modseq: i64) -> MailResult<()> {
    let mut stmt = conn
        .prepare_cached("INSERT OR REPLACE INTO flag_modseq (folder_id, uid, flag, modseq) VALUES (?1, ?2, ?3, ?4)")?;
    for f in flags {
        stmt.execute(params![folder_id, uid, f, modseq])?;
    }
    Ok(())
}

/// One flag's modseq for every message of a folder.
#[derive(Debug, Default)]
pub struct FlagModseqs {
    created: HashMap<u32, u64>,
    changed: HashMap<u32, u64>,
}

impl FlagModseqs {
    pub fn of(&self, uid: u32) -> u64 {
        self.changed.get(&uid).or_else(|| self.created.get(&uid)).copied().unwrap_or(0)
    }
}

impl MailDb {
    /// `name`'s (`\Seen`, a keyword; any case) last change on each message
    /// of a folder. Call inside the snapshot the search reads.
    pub fn flag_modseqs(&self, folder_id: i64, name: &str) -> MailResult<FlagModseqs> {
        let mut out = FlagModseqs::default();
        // 0: stored before migration 7; its last change is the most known.
        let mut stmt = self.conn.prepare_cached(
            "SELECT uid, CASE created_modseq WHEN 0 THEN modseq ELSE created_modseq END FROM message WHERE folder_id = ?1",
        )?;
        for row in stmt.query_map([folder_id], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, i64>(1)?)))? {
            let (uid, m) = row?;
            out.created.insert(uid, m as u64);
        }
        let mut stmt =
            self.conn.prepare_cached("SELECT uid, modseq FROM flag_modseq WHERE folder_id = ?1 AND flag = ?2")?;
        for row in stmt.query_map(params![folder_id, name.to_ascii_lowercase()], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, i64>(1)?))
        })? {
            let (uid, m) = row?;
            out.changed.insert(uid, m as u64);
        }
        Ok(out)
    }
}
