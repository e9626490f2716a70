//! ENABLE (RFC 5161): no extension here needs enabling (no CONDSTORE,
//! QRESYNC or UTF8=ACCEPT), so the answer lists none.

use super::Done;
use crate::engines::imap::backend::session::Session;

pub fn run(s: &mut Session) -> Done {
    s.untagged("ENABLED");
    Done::completed("ENABLE")
}
