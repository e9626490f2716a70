//! LOGOUT (RFC 3501 6.1.3).

use super::Done;
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::texts;
use crate::engines::imap::wire::out;

pub fn run(s: &mut ImapSession) -> Done {
    out::line(&mut s.out, texts::LOGOUT_BYE);
    s.selected = None;
    Done::completed("LOGOUT").closing()
}
