//! ENABLE (RFC 5161): no extension here needs enabling (no CONDSTORE,
//! QRESYNC or UTF8=ACCEPT), so the answer lists none.

use super::Done;
use crate::engines::imap::backend::session::ImapSession;

pub fn run(s: &mut ImapSession) -> Done {
    s.untagged("ENABLED");
    Done::completed("ENABLE")
}
