//! One handler per POP3 command. The authorization commands (USER, PASS,
//! AUTH, STLS, CAPA, QUIT) are shared by both ends; the transaction
//! commands run only in the back end, on the session's maildrop.

pub mod ahead;
pub mod auth;
pub mod capa;
pub mod dele;
pub mod list;
pub mod noop;
pub mod quit;
pub mod retr;
pub mod rset;
pub mod stat;
pub mod top;
pub mod uidl;

use super::maildrop::Missing;
use super::response::err;
use super::texts;

/// The answer for a message number that does not name a live message.
pub fn missing(m: Missing) -> Vec<u8> {
    match m {
        Missing::NoSuchMessage => err(texts::NO_SUCH_MESSAGE),
        Missing::Deleted => err(texts::MESSAGE_DELETED),
    }
}
