//! CAPABILITY (RFC 3501 6.1.1).

use super::Done;
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::capability;

pub fn run(s: &mut ImapSession) -> Done {
    // The back end is reached over loopback from the front end, which did
    // TLS and LoginType: here every mechanism is allowed.
    let caps = if s.user.is_some() {
        capability::post_auth(s.shared.ctx.settings.advertised_capabilities).to_string()
    } else {
        capability::pre_auth(false, false)
    };
    s.untagged(&format!("CAPABILITY {caps}"));
    Done::completed("CAPABILITY")
}
