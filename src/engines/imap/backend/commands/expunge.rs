//! EXPUNGE and UID EXPUNGE (RFC 4315). The EXPUNGE responses come from
//! the session's sync, like everyone else's.

use imap_codec::imap_types::sequence::SequenceSet;

use super::Done;
use crate::engines::imap::backend::sequence;
use crate::engines::imap::backend::session::ImapSession;

pub async fn run(s: &mut ImapSession, only: Option<SequenceSet>) -> Done {
    let Some(sel) = &s.selected else { return Done::completed("EXPUNGE") };
    if sel.read_only {
        return Done::no("The folder is read-only.");
    }
    let folder = sel.folder.id;
    let uids: Option<Vec<u32>> =
        only.map(|set| sequence::resolve(&set, &sel.uids, true).into_iter().map(|(_, u)| u).collect());
    match s.home.pool.run(move |db| db.expunge(folder, uids.as_deref())).await {
        Ok(gone) => {
            if !gone.is_empty() {
                s.home.changed.notify();
            }
            Done::completed("EXPUNGE")
        }
        Err(e) => Done::failed(&e),
    }
}
