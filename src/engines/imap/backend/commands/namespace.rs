//! NAMESPACE (RFC 2342): one personal namespace, `/` as separator.

use super::Done;
use crate::engines::imap::backend::session::Session;

pub fn run(s: &mut Session) -> Done {
    s.untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
    Done::completed("NAMESPACE")
}
