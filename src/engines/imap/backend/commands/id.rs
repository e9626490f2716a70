//! ID (RFC 2971): the server says what it is; the client's values are
//! not needed.

use super::Done;
use crate::engines::imap::backend::session::ImapSession;

pub fn run(s: &mut ImapSession) -> Done {
    s.untagged(&format!(
        "ID (\"name\" \"mailsh\" \"vendor\" \"mailsh\" \"version\" \"{}\")",
        env!("CARGO_PKG_VERSION")
    ));
    Done::completed("ID")
}
