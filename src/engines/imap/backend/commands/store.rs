//! STORE and UID STORE (RFC 3501 6.4.6), in one transaction. Messages the
//! session still numbers but another session expunged are skipped; a
//! non-silent STORE by sequence numbers then ends `NO [EXPUNGEISSUED]` after
//! the FETCH responses of the others (RFC 2180 4.2.1-3). UNCHANGEDSINCE
//! (RFC 7162 3.1.3) leaves alone the messages changed after the client's
//! modseq and names them in `[MODIFIED ...]`.

use imap_codec::imap_types::command::StoreModifier;
use imap_codec::imap_types::flag::{Flag, StoreResponse, StoreType};
use imap_codec::imap_types::sequence::SequenceSet;

use super::fetch::flags_list;
use super::{Done, EXPUNGE_ISSUED};
use crate::engines::imap::backend::sequence::{self, compress};
use crate::engines::imap::backend::session::ImapSession;
use crate::store::mail::{FlagOp, Flags, flag};

pub fn to_flags(flags: &[Flag]) -> Flags {
    let mut out = Flags::default();
    for f in flags {
        match f {
            Flag::Seen => out.system |= flag::SEEN,
            Flag::Answered => out.system |= flag::ANSWERED,
            Flag::Flagged => out.system |= flag::FLAGGED,
            Flag::Deleted => out.system |= flag::DELETED,
            Flag::Draft => out.system |= flag::DRAFT,
            Flag::Keyword(k) => {
                if !out.has_keyword(k.inner()) {
                    out.keywords.push(k.inner().to_string());
                }
            }
            // \Recent and other backslash flags cannot be stored.
            Flag::Extension(_) => {}
        }
    }
    out
}

pub async fn run(
    s: &mut ImapSession,
    set: SequenceSet,
    kind: StoreType,
    response: StoreResponse,
    flags: Vec<Flag<'static>>,
    uid: bool,
    modifiers: Vec<StoreModifier>,
) -> Done {
    let unchanged_since = modifiers.iter().map(|StoreModifier::UnchangedSince(m)| *m).next();
    if unchanged_since.is_some() {
        s.enabled.condstore = true;
    }
    let condstore = s.enabled.condstore;
    let Some(sel) = &s.selected else { return Done::completed("STORE") };
    if sel.read_only {
        return Done::no("The folder is read-only.");
    }
    let targets = sequence::resolve(&set, &sel.uids, uid);
    let op = match kind {
        StoreType::Replace => FlagOp::Replace,
        StoreType::Add => FlagOp::Add,
        StoreType::Remove => FlagOp::Remove,
    };
    let flags = to_flags(&flags);
    let folder = sel.folder.id;
    let uids: Vec<u32> = targets.iter().map(|(_, u)| *u).filter(|u| !sel.pending_expunge.contains(u)).collect();
    let result = s.home.pool.run(move |db| db.store_flags_if(folder, &uids, op, &flags, unchanged_since)).await;
    let stored = match result {
        Ok(r) => r,
        Err(e) => return Done::failed(&e),
    };
    let missing = targets.len() - stored.messages.len() - stored.modified.len();
    let Some(sel) = s.selected.as_mut() else { return Done::completed("STORE") };
    if let Some(m) = stored.modseq {
        s.home.changed.notify();
        sel.own_modseqs.insert(m);
    }
    sel.announce_keywords(stored.messages.iter().flat_map(|m| m.flags.keywords.iter().map(String::as_str)), &mut s.out);
    for m in &stored.messages {
        let Some(seq) = sel.seq_of(m.uid) else { continue };
        let uid_part = if uid { format!(" UID {}", m.uid) } else { String::new() };
        // RFC 7162 3.1.3: with CONDSTORE on, a message this STORE changed
        // gets its new modseq even when the STORE is .SILENT.
        let changed_here = stored.modseq.is_some_and(|x| x == m.modseq);
        let modseq = if condstore { format!(" MODSEQ ({})", m.modseq) } else { String::new() };
        if response == StoreResponse::Answer {
            let flags = flags_list(&m.flags, sel.is_recent(m.uid));
            s.out.extend_from_slice(format!("* {seq} FETCH (FLAGS {flags}{uid_part}{modseq})\r\n").as_bytes());
        } else if condstore && changed_here {
            let uid_part = if uid { format!("UID {} ", m.uid) } else { String::new() };
            s.out.extend_from_slice(format!("* {seq} FETCH ({uid_part}MODSEQ ({}))\r\n", m.modseq).as_bytes());
        }
    }
    if !stored.modified.is_empty() {
        let named: Vec<u32> = if uid {
            stored.modified.clone()
        } else {
            let mut seqs: Vec<u32> = stored.modified.iter().filter_map(|u| sel.seq_of(*u)).collect();
            seqs.sort_unstable();
            seqs
        };
        return Done::ok(format!("[MODIFIED {}] Conditional STORE failed", compress(&named)));
    }
    if response == StoreResponse::Answer && missing > 0 && !uid {
        return Done::no(EXPUNGE_ISSUED);
    }
    Done::completed("STORE")
}
