//! CREATE (RFC 3501 6.3.3): parents are created too.

use imap_codec::imap_types::mailbox::Mailbox;

use super::{Done, folder_name};
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::texts;

pub async fn run(s: &mut ImapSession, mailbox: Mailbox<'static>) -> Done {
    let (Some(user), Some(name)) = (&s.user, folder_name(&mailbox)) else {
        return Done::bad(texts::ARGUMENT_ERROR);
    };
    if name.eq_ignore_ascii_case("INBOX") {
        return Done::no("A folder with the specified name already exists.");
    }
    let mbx = user.mailbox;
    match s.shared.db.run(move |db| db.create_folder(mbx, &name)).await {
        Ok(_) => Done::completed("CREATE"),
        Err(e) => Done::failed(&e),
    }
}
