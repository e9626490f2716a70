//! SUBSCRIBE and UNSUBSCRIBE (RFC 3501 6.3.6-7).

use imap_codec::imap_types::mailbox::Mailbox;

use super::{Done, find_folder};
use crate::engines::imap::backend::session::ImapSession;

pub async fn run(s: &mut ImapSession, mailbox: Mailbox<'static>, on: bool) -> Done {
    let name = if on { "SUBSCRIBE" } else { "UNSUBSCRIBE" };
    let folder = match find_folder(s, &mailbox).await {
        Ok(Some(f)) => f,
        // Subscribing to a name that does not exist is harmless.
        Ok(None) => return Done::completed(name),
        Err(e) => return Done::failed(&e),
    };
    let Some(user) = &s.user else { return Done::completed(name) };
    let mbx = user.mailbox;
    match s.shared.db.run(move |db| db.set_subscribed(mbx, &folder.name, on)).await {
        Ok(_) => Done::completed(name),
        Err(e) => Done::failed(&e),
    }
}
