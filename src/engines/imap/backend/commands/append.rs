//! APPEND (RFC 3501 6.3.11) with UIDPLUS's APPENDUID. The message is on
//! disk (synchronous=FULL) before OK is sent.

use imap_codec::imap_types::datetime::DateTime;
use imap_codec::imap_types::extensions::binary::LiteralOrLiteral8;
use imap_codec::imap_types::flag::Flag;
use imap_codec::imap_types::mailbox::Mailbox;

use super::store::to_flags;
use super::{Done, find_folder};
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::texts;

pub async fn run(
    s: &mut ImapSession,
    mailbox: Mailbox<'static>,
    flags: Vec<Flag<'static>>,
    date: Option<DateTime>,
    message: LiteralOrLiteral8<'static>,
) -> Done {
    let folder = match find_folder(s, &mailbox).await {
        Ok(Some(f)) => f,
        Ok(None) => return Done::no("[TRYCREATE] The specified folder could not be found in the store."),
        Err(e) => return Done::failed(&e),
    };
    let bytes: Vec<u8> = match message {
        LiteralOrLiteral8::Literal(l) => l.into_inner().into_owned(),
        LiteralOrLiteral8::Literal8(l) => l.data.into_owned(),
    };
    if bytes.is_empty() {
        return Done::bad(texts::ARGUMENT_ERROR);
    }
    let flags = to_flags(&flags);
    let when = date.map(|d| d.as_ref().timestamp()).unwrap_or_else(crate::store::mail::now_unix_pub);
    let id = folder.id;
    match s.shared.db.run(move |db| db.append(id, &flags, when, &bytes)).await {
        Ok(r) => {
            s.shared.notify_change();
            Done::ok(format!("[APPENDUID {} {}] APPEND completed.", r.uidvalidity, r.uid))
        }
        Err(e) => Done::failed(&e),
    }
}
