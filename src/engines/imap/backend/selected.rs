//! A session's view of its selected folder: the UIDs it numbers, the
//! highest change it has seen, and the expunges it still owes the client.
//! Sequence numbers are this view's: they change only when the session
//! tells the client (EXPUNGE responses), never behind its back.

use std::collections::HashSet;

use crate::store::mail::{Folder, MailDb, MailResult};

use super::commands::fetch::flags_list;

pub struct Selected {
    pub folder: Folder,
    pub read_only: bool,
    /// Ascending; index + 1 is the sequence number.
    pub uids: Vec<u32>,
    pub modseq: u64,
    /// Expunged elsewhere, not yet announced (announcing is not allowed
    /// during FETCH, STORE and SEARCH).
    pub pending_expunge: Vec<u32>,
    /// Changes this session made itself and already reported.
    pub own_modseqs: HashSet<u64>,
    /// Messages that are \Recent in this session (claimed at SELECT or on
    /// arrival; a read-only session claims nothing).
    pub recent: Vec<u32>,
}

impl Selected {
    pub fn open(
        db: &mut MailDb,
        folder: Folder,
        read_only: bool,
    ) -> MailResult<(Selected, Vec<crate::store::mail::MessageMeta>)> {
        let recent = if read_only { vec![] } else { db.claim_recent(folder.id)? };
        let messages = db.messages(folder.id)?;
        let state = db.folder_state(folder.id)?;
        let modseq = state.map(|s| s.highest_modseq).unwrap_or(folder.highest_modseq);
        let uids = messages.iter().map(|m| m.uid).collect();
        Ok((
            Selected { folder, read_only, uids, modseq, pending_expunge: vec![], own_modseqs: HashSet::new(), recent },
            messages,
        ))
    }

    pub fn seq_of(&self, uid: u32) -> Option<u32> {
        self.uids.binary_search(&uid).ok().map(|i| i as u32 + 1)
    }

    /// Brings the view up to date and writes the untagged responses that
    /// say so: FETCH FLAGS for changed messages, EXISTS for new ones, and
    /// (when `allow_expunge`) EXPUNGE for removed ones.
    pub fn is_recent(&self, uid: u32) -> bool {
        self.recent.binary_search(&uid).is_ok()
    }

    pub fn sync(&mut self, db: &mut MailDb, allow_expunge: bool, out: &mut Vec<u8>) -> MailResult<()> {
        let changes = db.changes_since(self.folder.id, self.modseq)?;
        let before = self.uids.len();
        let last = self.uids.last().copied().unwrap_or(0);
        for uid in changes.expunged {
            if self.uids.binary_search(&uid).is_ok() && !self.pending_expunge.contains(&uid) {
                self.pending_expunge.push(uid);
            }
        }
        if allow_expunge && !self.pending_expunge.is_empty() {
            self.pending_expunge.sort_unstable();
            for uid in std::mem::take(&mut self.pending_expunge) {
                if let Ok(i) = self.uids.binary_search(&uid) {
                    out.extend_from_slice(format!("* {} EXPUNGE\r\n", i + 1).as_bytes());
                    self.uids.remove(i);
                    self.recent.retain(|r| *r != uid);
                }
            }
        }
        let mut new = false;
        for meta in &changes.changed {
            if meta.uid > last {
                if self.uids.last().is_none_or(|l| *l < meta.uid) {
                    self.uids.push(meta.uid);
                    new = true;
                }
            } else if !self.own_modseqs.contains(&meta.modseq)
                && !self.pending_expunge.contains(&meta.uid)
                && let Some(seq) = self.seq_of(meta.uid)
            {
                let flags = flags_list(&meta.flags, self.is_recent(meta.uid));
                out.extend_from_slice(format!("* {seq} FETCH (FLAGS {flags})\r\n").as_bytes());
            }
        }
        if new && !self.read_only {
            // New arrivals are recent to the first session that notices them.
            let mut claimed = db.claim_recent(self.folder.id)?;
            self.recent.append(&mut claimed);
            self.recent.sort_unstable();
            self.recent.dedup();
        }
        if new || self.uids.len() != before {
            out.extend_from_slice(format!("* {} EXISTS\r\n", self.uids.len()).as_bytes());
            out.extend_from_slice(format!("* {} RECENT\r\n", self.recent.len()).as_bytes());
        }
        self.modseq = changes.highest_modseq;
        self.own_modseqs.retain(|m| *m > self.modseq);
        Ok(())
    }
}

/// `(\Seen \Answered ...)` for a fresh FLAGS response.
pub fn permanent_flags() -> &'static str {
    "(\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent $Forwarded \\*)"
}

pub fn available_flags() -> &'static str {
    "(\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent $Forwarded)"
}
