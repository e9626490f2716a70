//! NAMESPACE (RFC 2342): one personal namespace, `/` as separator.

use super::Done;
use crate::engines::imap::backend::session::ImapSession;

pub fn run(s: &mut ImapSession) -> Done {
    s.untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
    Done::completed("NAMESPACE")
}
