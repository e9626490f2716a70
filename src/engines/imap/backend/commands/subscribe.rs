//! SUBSCRIBE and UNSUBSCRIBE (RFC 3501 6.3.6-7, RFC 9051 6.3.7-8): the
//! subscriptions are names (`store::mail::subscriptions`), so a name with
//! no folder may be subscribed, and stays so when its folder goes.

use imap_codec::imap_types::mailbox::Mailbox;

use super::{Done, folder_name, name_as_sent};
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::texts;

pub async fn run(s: &mut ImapSession, mailbox: Mailbox<'static>, on: bool) -> Done {
    let command = if on { "SUBSCRIBE" } else { "UNSUBSCRIBE" };
    let utf8 = s.enabled.utf8;
    let (Some(user), Some(name)) = (&s.user, folder_name(&mailbox, utf8)) else {
        return Done::bad(texts::ARGUMENT_ERROR);
    };
    let mbx = user.mailbox;
    let done = if on {
        s.home.pool.run(move |db| db.subscribe(mbx, &name)).await
    } else {
        // A subscription from before names were put in NFC is in the form
        // the client created it with, which is what it sends.
        let sent = name_as_sent(&mailbox, utf8).unwrap_or_default();
        s.home.pool.run(move |db| db.unsubscribe(mbx, &[&name, &sent])).await
    };
    match done {
        Ok(()) => Done::completed(command),
        Err(e) => Done::failed(&e),
    }
}
