//! STARTTLS (RFC 3207) with the engines' rustls identity.

use super::super::session::{Next, Session};
use super::super::texts;

pub fn run(s: &mut Session) -> Next {
    if s.is_tls() {
        s.reply(texts::TLS_ALREADY);
        return Next::Continue;
    }
    if !s.connector.has_auth("Tls") {
        s.reply(texts::NOT_IMPLEMENTED);
        return Next::Continue;
    }
    s.reply(texts::START_TLS);
    Next::StartTls
}
