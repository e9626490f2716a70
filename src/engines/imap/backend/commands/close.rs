//! CLOSE (expunges silently, RFC 3501 6.4.2) and UNSELECT (RFC 3691).

use super::Done;
use crate::engines::imap::backend::session::ImapSession;

pub async fn run(s: &mut ImapSession, expunge: bool) -> Done {
    let Some(sel) = s.selected.take() else {
        return Done::completed(if expunge { "CLOSE" } else { "UNSELECT" });
    };
    if expunge && !sel.read_only {
        let folder = sel.folder.id;
        match s.home.pool.run(move |db| db.expunge(folder, None)).await {
            Ok(gone) if !gone.is_empty() => s.home.changed.notify(),
            Ok(_) => {}
            Err(e) => return Done::failed(&e),
        }
    }
    Done::completed(if expunge { "CLOSE" } else { "UNSELECT" })
}
