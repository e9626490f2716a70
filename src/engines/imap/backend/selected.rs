//! A session's view of its selected folder: the UIDs it numbers, the
//! highest change it has seen, and the expunges it still owes the client.
//! Sequence numbers are this view's: they change only when the session
//! tells the client (EXPUNGE responses), never behind its back.

use std::collections::HashSet;

use crate::store::mail::{Folder, MailDb, MailResult, MessageMeta};

use super::commands::fetch::flags_list;
use super::sequence::compress;
use super::session::Enabled;

/// The flags every folder offers; keywords in use are added after them.
const STANDARD_FLAGS: &[&str] =
    &["\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "$MDNSent", "$Forwarded"];

/// What SELECT reports besides the view.
pub struct Opened {
    pub first_unseen: Option<usize>,
    pub changed: Vec<MessageMeta>,
    pub vanished: Vec<(u32, u32)>,
}

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
    /// arrival; a read-only session claims nothing and reports the
    /// unclaimed ones), ascending.
    pub recent: Vec<u32>,
    /// Keywords the client has been told of in FLAGS, besides the standard
    /// ones. Never shrinks while the folder is selected.
    pub keywords: Vec<String>,
    /// The search result variable `$` (SEARCHRES, RFC 9051 6.4.4.1), as
    /// UIDs: empty at SELECT, set by SEARCH RETURN (SAVE); an expunged
    /// message drops out when `$` is read against the view.
    pub saved: Vec<u32>,
}

impl Selected {
    /// The session's view of `folder_id`, from one snapshot of the folder.
    /// Also returns what SELECT reports beyond the view: the index of the
    /// first unseen message, and with `since` (QRESYNC) what changed and
    /// was expunged after it.
    pub fn open(
        db: &mut MailDb,
        folder_id: i64,
        read_only: bool,
        since: Option<u64>,
        rev2: bool,
    ) -> MailResult<(Selected, Opened)> {
        // IMAP4rev2 has no \Recent: such a session claims nothing, so the
        // messages stay recent for the next IMAP4rev1 session.
        let view = db.open_folder_since(folder_id, !read_only && !rev2, since)?;
        let mut selected = Selected {
            modseq: view.folder.highest_modseq,
            folder: view.folder,
            read_only,
            uids: view.uids,
            pending_expunge: vec![],
            own_modseqs: HashSet::new(),
            recent: view.recent,
            keywords: vec![],
            saved: vec![],
        };
        for k in &view.keywords {
            selected.learn_keyword(k);
        }
        for m in &view.changed {
            for k in &m.flags.keywords {
                selected.learn_keyword(k);
            }
        }
        Ok((selected, Opened { first_unseen: view.first_unseen, changed: view.changed, vanished: view.vanished }))
    }

    /// `$` as message numbers and as UIDs, for a command to read (RFC 9051
    /// 6.4.4.1); an empty result is a set that matches nothing (no message
    /// has number or UID 4294967295).
    pub fn saved_sets(&self) -> (String, String) {
        let uids: Vec<u32> = self.saved.iter().copied().filter(|u| self.uids.binary_search(u).is_ok()).collect();
        if uids.is_empty() {
            return (u32::MAX.to_string(), u32::MAX.to_string());
        }
        let seqs: Vec<u32> = uids.iter().filter_map(|u| self.seq_of(*u)).collect();
        (compress(&seqs), compress(&uids))
    }

    pub fn seq_of(&self, uid: u32) -> Option<u32> {
        self.uids.binary_search(&uid).ok().map(|i| i as u32 + 1)
    }

    pub fn is_recent(&self, uid: u32) -> bool {
        self.recent.binary_search(&uid).is_ok()
    }

    /// `* n RECENT`: the recent messages the client can see.
    pub fn recent_count(&self) -> usize {
        self.recent.iter().filter(|u| self.uids.binary_search(u).is_ok()).count()
    }

    /// `(\Seen ... $Forwarded keyword...)`: the FLAGS response's list.
    pub fn flags(&self) -> String {
        let all: Vec<&str> = STANDARD_FLAGS.iter().copied().chain(self.keywords.iter().map(String::as_str)).collect();
        format!("({})", all.join(" "))
    }

    /// PERMANENTFLAGS: none in a read-only session; else the flags and `\*`
    /// (any keyword can be created).
    pub fn permanent_flags(&self) -> String {
        if self.read_only {
            return "()".to_string();
        }
        let flags = self.flags();
        format!("{} \\*)", &flags[..flags.len() - 1])
    }

    /// Records a keyword; true when the client had not been told of it.
    fn learn_keyword(&mut self, word: &str) -> bool {
        let known = STANDARD_FLAGS.iter().any(|f| f.eq_ignore_ascii_case(word))
            || self.keywords.iter().any(|k| k.eq_ignore_ascii_case(word));
        if !known {
            self.keywords.push(word.to_string());
        }
        !known
    }

    /// Before showing messages' flags: when one has a keyword the client was
    /// not told of, a new FLAGS response (and PERMANENTFLAGS) goes first
    /// (RFC 3501 7.2.6: clients build their flag lists from it).
    pub fn announce_keywords<'a>(&mut self, words: impl IntoIterator<Item = &'a str>, out: &mut Vec<u8>) {
        let mut new = false;
        for w in words {
            new |= self.learn_keyword(w);
        }
        if new {
            out.extend_from_slice(format!("* FLAGS {}\r\n", self.flags()).as_bytes());
            out.extend_from_slice(
                format!("* OK [PERMANENTFLAGS {}] Permanent flags\r\n", self.permanent_flags()).as_bytes(),
            );
        }
    }

    /// Brings the view up to date and writes the untagged responses that
    /// say so: FLAGS for new keywords, FETCH FLAGS for changed messages,
    /// EXISTS for new ones, and (when `allow_expunge`) EXPUNGE for removed
    /// ones. The changes come from one snapshot.
    ///
    /// With CONDSTORE on, flag updates carry UID and MODSEQ; with QRESYNC
    /// on, removals are one VANISHED response instead of EXPUNGEs (RFC
    /// 7162 3.1.4, 3.2.10).
    pub fn sync(
        &mut self,
        db: &mut MailDb,
        allow_expunge: bool,
        enabled: Enabled,
        out: &mut Vec<u8>,
    ) -> MailResult<()> {
        let changes = db.changes_since(self.folder.id, self.modseq)?;
        let before = self.uids.len();
        let last = self.uids.last().copied().unwrap_or(0);
        for (lo, hi) in changes.expunged {
            let from = self.uids.partition_point(|u| *u < lo);
            let to = self.uids.partition_point(|u| *u <= hi);
            for &uid in &self.uids[from..to] {
                if !self.pending_expunge.contains(&uid) {
                    self.pending_expunge.push(uid);
                }
            }
        }
        if allow_expunge && !self.pending_expunge.is_empty() {
            self.pending_expunge.sort_unstable();
            let mut vanished = Vec::new();
            for uid in std::mem::take(&mut self.pending_expunge) {
                if let Ok(i) = self.uids.binary_search(&uid) {
                    // In ascending order: each number is the client's at
                    // that point (it renumbers after each EXPUNGE).
                    if !enabled.qresync {
                        out.extend_from_slice(format!("* {} EXPUNGE\r\n", i + 1).as_bytes());
                    }
                    self.uids.remove(i);
                    self.recent.retain(|r| *r != uid);
                    vanished.push(uid);
                }
            }
            if enabled.qresync && !vanished.is_empty() {
                out.extend_from_slice(format!("* VANISHED {}\r\n", compress(&vanished)).as_bytes());
            }
        }
        let shown = |m: &&MessageMeta| m.uid > last || self.uids.binary_search(&m.uid).is_ok();
        let words: Vec<String> =
            changes.changed.iter().filter(shown).flat_map(|m| m.flags.keywords.iter().cloned()).collect();
        self.announce_keywords(words.iter().map(String::as_str), out);
        let mut new = Vec::new();
        for meta in &changes.changed {
            if meta.uid > last {
                if self.uids.last().is_none_or(|l| *l < meta.uid) {
                    self.uids.push(meta.uid);
                    new.push(meta.uid);
                }
            } else if !self.own_modseqs.contains(&meta.modseq)
                && !self.pending_expunge.contains(&meta.uid)
                && let Some(seq) = self.seq_of(meta.uid)
            {
                let flags = flags_list(&meta.flags, self.is_recent(meta.uid));
                if enabled.condstore {
                    out.extend_from_slice(
                        format!("* {seq} FETCH (UID {} FLAGS {flags} MODSEQ ({}))\r\n", meta.uid, meta.modseq)
                            .as_bytes(),
                    );
                } else if enabled.rev2 {
                    // RFC 9051 7.5.2: unsolicited FETCH carries the UID.
                    out.extend_from_slice(format!("* {seq} FETCH (UID {} FLAGS {flags})\r\n", meta.uid).as_bytes());
                } else {
                    out.extend_from_slice(format!("* {seq} FETCH (FLAGS {flags})\r\n").as_bytes());
                }
            }
        }
        if !new.is_empty() && !enabled.rev2 {
            // New arrivals are recent to the first read-write session that
            // notices them; a read-only one reports those nobody claimed.
            let mut recent = if self.read_only {
                new.iter().copied().filter(|u| *u >= changes.recent_floor).collect()
            } else {
                db.claim_recent(self.folder.id)?
            };
            self.recent.append(&mut recent);
            self.recent.sort_unstable();
            self.recent.dedup();
        }
        if !new.is_empty() || self.uids.len() != before {
            out.extend_from_slice(format!("* {} EXISTS\r\n", self.uids.len()).as_bytes());
            if !enabled.rev2 {
                out.extend_from_slice(format!("* {} RECENT\r\n", self.recent_count()).as_bytes());
            }
        }
        self.modseq = changes.highest_modseq;
        self.own_modseqs.retain(|m| *m > self.modseq);
        Ok(())
    }
}
