//! STARTTLS (RFC 3501 6.2.1): only on a plain connection of a front end
//! with a certificate; the session does the handshake and forgets anything
//! the client pipelined before it.

use super::super::session::{PreAuthSession, Step};
use crate::engines::imap::texts;
use crate::engines::net::ServerStream;

pub async fn run(s: &mut PreAuthSession, stream: &mut ServerStream, tag: &str) -> std::io::Result<Step> {
    if stream.is_tls() || s.ctx().tls.is_none() {
        s.reply(stream, tag, "BAD", texts::INVALID_STATE).await?;
        return Ok(Step::Continue);
    }
    s.reply(stream, tag, "OK", "Begin TLS negotiation now.").await?;
    Ok(Step::StartTls)
}
