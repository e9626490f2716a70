//! SELECT and EXAMINE (RFC 3501 6.3.1-2). The folder, its messages and its
//! recent ones are read in one transaction. EXAMINE changes nothing, \Recent
//! included, but reports the recent messages as SELECT and STATUS would.

use imap_codec::imap_types::mailbox::Mailbox;

use super::{Done, find_folder};
use crate::engines::imap::backend::selected::Selected;
use crate::engines::imap::backend::session::ImapSession;
use crate::store::mail::flag;

pub async fn run(s: &mut ImapSession, mailbox: Mailbox<'static>, read_only: bool) -> Done {
    // A failed SELECT leaves no folder selected.
    s.selected = None;
    let name = if read_only { "EXAMINE" } else { "SELECT" };
    let folder = match find_folder(s, &mailbox).await {
        Ok(Some(f)) => f,
        Ok(None) => return Done::no("The specified folder could not be found in the store."),
        Err(e) => return Done::failed(&e),
    };
    let opened = s.shared.db.run(move |db| Selected::open(db, folder.id, read_only)).await;
    let (selected, messages) = match opened {
        Ok(x) => x,
        Err(e) => return Done::failed(&e),
    };
    s.untagged(&format!("{} EXISTS", messages.len()));
    s.untagged(&format!("{} RECENT", selected.recent_count()));
    s.untagged(&format!("FLAGS {}", selected.flags()));
    s.untagged(&format!("OK [PERMANENTFLAGS {}] Permanent flags", selected.permanent_flags()));
    if let Some(i) = messages.iter().position(|m| !m.flags.has(flag::SEEN)) {
        s.untagged(&format!("OK [UNSEEN {}] Is the first unseen message", i + 1));
    }
    s.untagged(&format!("OK [UIDVALIDITY {}] UIDVALIDITY value", selected.folder.uidvalidity));
    s.untagged(&format!("OK [UIDNEXT {}] The next unique identifier value", selected.folder.uidnext));
    s.selected = Some(selected);
    Done::ok(format!("[{}] {name} completed.", if read_only { "READ-ONLY" } else { "READ-WRITE" }))
}
