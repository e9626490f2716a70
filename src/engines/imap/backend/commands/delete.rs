//! DELETE (RFC 3501 6.3.4): user folders only; Exchange's own stay. A
//! name sent in another form than NFC deletes the NFC folder (RFC 9051
//! 6.3.5; `oldname`).

use imap_codec::imap_types::mailbox::Mailbox;

use super::{Done, find_folder};
use crate::engines::imap::backend::session::ImapSession;
use crate::store::mail::MailError;

pub async fn run(s: &mut ImapSession, mailbox: Mailbox<'static>) -> Done {
    let folder = match find_folder(s, &mailbox).await {
        Ok(Some(f)) => f,
        Ok(None) => return Done::failed(&MailError::NoSuchFolder),
        Err(e) => return Done::failed(&e),
    };
    if s.selected.as_ref().is_some_and(|sel| sel.folder.id == folder.id) {
        s.selected = None;
    }
    let Some(user) = &s.user else { return Done::failed(&MailError::NoSuchFolder) };
    let mbx = user.mailbox;
    let name = folder.name.clone();
    match s.home.pool.run(move |db| db.delete_folder(mbx, &name)).await {
        Ok(()) => {
            super::oldname::deleted(s, &mailbox, &folder).await;
            Done::completed("DELETE")
        }
        Err(e) => Done::failed(&e),
    }
}
