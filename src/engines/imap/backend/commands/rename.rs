//! RENAME (RFC 3501 6.3.5); renaming INBOX moves its messages. The new
//! name is stored in NFC (RFC 9051 6.3.6; `oldname`).

use imap_codec::imap_types::mailbox::Mailbox;

use super::{Done, find_folder, folder_name};
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::texts;
use crate::store::mail::MailError;

pub async fn run(s: &mut ImapSession, from: Mailbox<'static>, to: Mailbox<'static>) -> Done {
    let folder = match find_folder(s, &from).await {
        Ok(Some(f)) => f,
        Ok(None) => return Done::failed(&MailError::NoSuchFolder),
        Err(e) => return Done::failed(&e),
    };
    let (Some(user), Some(new_name)) = (&s.user, folder_name(&to, s.enabled.utf8)) else {
        return Done::bad(texts::ARGUMENT_ERROR);
    };
    let mbx = user.mailbox;
    match s.home.pool.run(move |db| db.rename_folder(mbx, &folder.name, &new_name)).await {
        Ok(()) => {
            s.home.changed.notify();
            super::oldname::stored(s, &to).await;
            Done::completed("RENAME")
        }
        Err(e) => Done::failed(&e),
    }
}
