//! CREATE (RFC 3501 6.3.3): parents are created too; with SPECIAL-USE's
//! USE attributes (RFC 6154 5.2, CREATE-SPECIAL-USE). The name is stored
//! in NFC (RFC 9051 6.3.4; `oldname`).

use imap_codec::imap_types::mailbox::Mailbox;

use super::{Done, folder_name};
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::texts;

pub async fn run(s: &mut ImapSession, mailbox: Mailbox<'static>) -> Done {
    let (Some(user), Some(name)) = (&s.user, folder_name(&mailbox, s.enabled.utf8)) else {
        return Done::bad(texts::ARGUMENT_ERROR);
    };
    if name.eq_ignore_ascii_case("INBOX") {
        return Done::no("A folder with the specified name already exists.");
    }
    let mbx = user.mailbox;
    match s.home.pool.run(move |db| db.create_folder(mbx, &name)).await {
        Ok(_) => {
            super::oldname::stored(s, &mailbox).await;
            Done::completed("CREATE")
        }
        Err(e) => Done::failed(&e),
    }
}

/// The attributes a folder can be created with (RFC 6154 2): \All and
/// \Flagged name virtual folders, which mailsh does not have.
const USABLE: &[&str] = &["\\Archive", "\\Drafts", "\\Junk", "\\Sent", "\\Trash"];

/// CREATE name (USE (attributes)) (RFC 6154 5.2): the folder is created with
/// them, shown by LIST; an attribute mailsh cannot give is `NO [USEATTR]`
/// and nothing is created.
pub async fn run_special_use(s: &mut ImapSession, mailbox: Vec<u8>, special_use: Vec<String>) -> Done {
    let Ok(mailbox) = Mailbox::try_from(mailbox) else { return Done::bad(texts::ARGUMENT_ERROR) };
    let mut attrs = Vec::new();
    for a in &special_use {
        match USABLE.iter().find(|u| u.eq_ignore_ascii_case(a)) {
            Some(u) => attrs.push(*u),
            None => return Done::no("[USEATTR] The special-use attribute is not supported."),
        }
    }
    let (Some(user), Some(name)) = (&s.user, folder_name(&mailbox, s.enabled.utf8)) else {
        return Done::bad(texts::ARGUMENT_ERROR);
    };
    if name.eq_ignore_ascii_case("INBOX") {
        return Done::no("A folder with the specified name already exists.");
    }
    let mbx = user.mailbox;
    let special = (!attrs.is_empty()).then(|| attrs.join(" "));
    match s.home.pool.run(move |db| db.create_special_folder(mbx, &name, special.as_deref())).await {
        Ok(_) => {
            super::oldname::stored(s, &mailbox).await;
            Done::completed("CREATE")
        }
        Err(e) => Done::failed(&e),
    }
}
