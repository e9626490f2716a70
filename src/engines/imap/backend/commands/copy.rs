//! COPY and MOVE (RFC 3501 6.4.7, RFC 6851) with UIDPLUS's COPYUID. All or
//! nothing, in one transaction: when a message of the set was expunged by
//! another session, nothing is copied or moved and the answer is
//! `NO [EXPUNGEISSUED]`, with the pending EXPUNGE responses (RFC 2180 4.4.1).

use imap_codec::imap_types::mailbox::Mailbox;
use imap_codec::imap_types::sequence::SequenceSet;

use super::{Done, EXPUNGE_ISSUED, find_folder};
use crate::engines::imap::backend::sequence::{self, compress};
use crate::engines::imap::backend::session::ImapSession;
use crate::store::mail::MailError;

pub async fn run(s: &mut ImapSession, set: SequenceSet, mailbox: Mailbox<'static>, uid: bool, moving: bool) -> Done {
    let name = if moving { "MOVE" } else { "COPY" };
    let dest = match find_folder(s, &mailbox).await {
        Ok(Some(f)) => f,
        Ok(None) => return Done::no("[TRYCREATE] The specified folder could not be found in the store."),
        Err(e) => return Done::failed(&e),
    };
    let Some(sel) = &s.selected else { return Done::completed(name) };
    if moving && sel.read_only {
        return Done::no("The folder is read-only.");
    }
    let uids: Vec<u32> = sequence::resolve(&set, &sel.uids, uid).into_iter().map(|(_, u)| u).collect();
    if uids.iter().any(|u| sel.pending_expunge.contains(u)) {
        return Done::no(EXPUNGE_ISSUED);
    }
    let folder = sel.folder.id;
    let dest_id = dest.id;
    let limit = s.user.as_ref().and_then(|u| u.quotas.prohibit_send_receive);
    let guid = s.user.as_ref().map(|u| u.guid.clone()).unwrap_or_default();
    let result = s
        .home
        .pool
        .run(move |db| {
            // ProhibitSendReceiveQuota: a COPY may not take the mailbox past
            // it; a MOVE adds nothing, but a mailbox already past it takes
            // nothing into any folder.
            if let Some(limit) = limit {
                let used = db.mailbox_usage(&guid)?.bytes;
                let more = if moving { 0 } else { db.total_size(folder, &uids)? };
                if used.saturating_add(more) > limit {
                    return Err(MailError::OverQuota);
                }
            }
            if moving { db.move_messages(folder, &uids, dest_id) } else { db.copy_messages(folder, &uids, dest_id) }
        })
        .await;
    match result {
        Ok(r) => {
            s.home.changed.notify();
            if !moving {
                super::quota::warning(s).await;
            }
            if r.pairs.is_empty() {
                return Done::completed(name);
            }
            let src: Vec<u32> = r.pairs.iter().map(|p| p.0).collect();
            let dst: Vec<u32> = r.pairs.iter().map(|p| p.1).collect();
            let code = format!("[COPYUID {} {} {}]", r.uidvalidity, compress(&src), compress(&dst));
            if moving {
                // RFC 6851: COPYUID in an untagged OK before the EXPUNGEs.
                s.untagged(&format!("OK {code} MOVE completed."));
                Done::completed(name)
            } else {
                Done::ok(format!("{code} COPY completed."))
            }
        }
        Err(e) => Done::failed(&e),
    }
}
