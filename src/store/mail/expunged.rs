//! The record of expunged UIDs, with the modseq of each expunge: how other
//! sessions (and processes) learn of removals, and what QRESYNC's VANISHED
//! (EARLIER) answers (RFC 7162 3.2.5.2, 3.2.6). It is pruned: each folder
//! keeps the latest [`EXPUNGED_KEEP`] rows, and its `expunged_floor` (a
//! low-water modseq, migration 6) rises to the highest modseq forgotten. A
//! question about removals after a modseq at or above the floor is
//! answered from the rows, exactly; below it, by what is no longer there:
//! every UID below UIDNEXT that no message has. That answer may name UIDs
//! the asker already knew were gone, which VANISHED (EARLIER) allows (it
//! says "gone", not "gone since"), and never misses one.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{MailDb, MailError, MailResult};

/// Expunged UIDs remembered per folder.
pub const EXPUNGED_KEEP: u32 = 10_000;

/// UIDs removed from a folder after `since`, as ascending inclusive ranges.
pub(super) fn vanished_since(conn: &Connection, folder_id: i64, since: u64) -> MailResult<Vec<(u32, u32)>> {
    let (floor, uidnext): (i64, u32) = conn
        .prepare_cached("SELECT expunged_floor, uidnext FROM folder WHERE id = ?1")?
        .query_row([folder_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(MailError::NoSuchFolder)?;
    if since >= floor as u64 {
        let mut stmt =
            conn.prepare_cached("SELECT uid FROM expunged WHERE folder_id = ?1 AND modseq > ?2 ORDER BY uid")?;
        let uids = stmt.query_map(params![folder_id, since as i64], |r| r.get(0))?.collect::<Result<Vec<u32>, _>>()?;
        return Ok(runs(&uids));
    }
    let mut stmt = conn.prepare_cached("SELECT uid FROM message WHERE folder_id = ?1 ORDER BY uid")?;
    let present = stmt.query_map([folder_id], |r| r.get(0))?.collect::<Result<Vec<u32>, _>>()?;
    Ok(gaps(&present, uidnext.saturating_sub(1)))
}

/// Forgets all but the latest `keep` expunged UIDs of a folder, raising its
/// floor to the highest modseq forgotten.
pub(super) fn prune(tx: &Transaction, folder_id: i64, keep: u32) -> MailResult<()> {
    let cut: Option<i64> = tx
        .prepare_cached("SELECT modseq FROM expunged WHERE folder_id = ?1 ORDER BY modseq DESC LIMIT 1 OFFSET ?2")?
        .query_row(params![folder_id, keep], |r| r.get(0))
        .optional()?;
    if let Some(cut) = cut {
        tx.execute("DELETE FROM expunged WHERE folder_id = ?1 AND modseq <= ?2", params![folder_id, cut])?;
        tx.execute(
            "UPDATE folder SET expunged_floor = max(expunged_floor, ?2) WHERE id = ?1",
            params![folder_id, cut],
        )?;
    }
    Ok(())
}

impl MailDb {
    /// [`prune`] with another limit (tests, maintenance).
    pub fn prune_expunged(&mut self, folder_id: i64, keep: u32) -> MailResult<()> {
        let tx = self.conn.transaction()?;
        prune(&tx, folder_id, keep)?;
        tx.commit()?;
        Ok(())
    }
}

/// Consecutive UIDs as ranges.
fn runs(uids: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &u in uids {
        match out.last_mut() {
            Some((_, hi)) if hi.checked_add(1) == Some(u) => *hi = u,
            _ => out.push((u, u)),
        }
    }
    out
}

/// The UIDs from 1 to `last` that `present` (ascending) lacks.
fn gaps(present: &[u32], last: u32) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut next = 1u32;
    for &u in present.iter().take_while(|u| **u <= last) {
        if u > next {
            out.push((next, u - 1));
        }
        next = u.saturating_add(1);
    }
    if next <= last {
        out.push((next, last));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{gaps, runs};

    #[test]
    fn runs_and_gaps() {
        assert_eq!(runs(&[1, 2, 3, 7, 9, 10]), [(1, 3), (7, 7), (9, 10)]);
        assert_eq!(gaps(&[2, 3, 6], 8), [(1, 1), (4, 5), (7, 8)]);
        assert_eq!(gaps(&[], 0), []);
        assert_eq!(gaps(&[1, 2], 2), []);
    }
}
