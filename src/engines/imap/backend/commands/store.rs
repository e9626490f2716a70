//! STORE and UID STORE (RFC 3501 6.4.6).

use imap_codec::imap_types::flag::{Flag, StoreResponse, StoreType};
use imap_codec::imap_types::sequence::SequenceSet;

use super::Done;
use super::fetch::flags_list;
use crate::engines::imap::backend::sequence;
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
) -> Done {
    let Some(sel) = &s.selected else { return Done::completed("STORE") };
    if sel.read_only {
        return Done::no("The folder is read-only.");
    }
    let targets = sequence::resolve(&set, &sel.uids, uid);
    let pending = sel.pending_expunge.clone();
    let op = match kind {
        StoreType::Replace => FlagOp::Replace,
        StoreType::Add => FlagOp::Add,
        StoreType::Remove => FlagOp::Remove,
    };
    let flags = to_flags(&flags);
    let folder = sel.folder.id;
    let uids: Vec<u32> = targets.iter().map(|(_, u)| *u).filter(|u| !pending.contains(u)).collect();
    let result = s.shared.db.run(move |db| db.store_flags(folder, &uids, op, &flags)).await;
    let metas = match result {
        Ok(m) => m,
        Err(e) => return Done::failed(&e),
    };
    s.shared.notify_change();
    if let Some(sel) = s.selected.as_mut() {
        sel.own_modseqs.extend(metas.iter().map(|m| m.modseq));
    }
    if response == StoreResponse::Answer {
        for m in &metas {
            let Some(seq) = s.selected.as_ref().and_then(|sel| sel.seq_of(m.uid)) else { continue };
            let uid_part = if uid { format!(" UID {}", m.uid) } else { String::new() };
            let recent = s.selected.as_ref().is_some_and(|sel| sel.is_recent(m.uid));
            s.out.extend_from_slice(
                format!("* {seq} FETCH (FLAGS {}{uid_part})\r\n", flags_list(&m.flags, recent)).as_bytes(),
            );
        }
    }
    Done::completed("STORE")
}
