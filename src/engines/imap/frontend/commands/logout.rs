//! LOGOUT before login (RFC 3501 6.1.3).

use super::super::session::{PreAuthSession, Step};
use crate::engines::imap::texts;
use crate::engines::net::ServerStream;

pub async fn run(s: &mut PreAuthSession, stream: &mut ServerStream, tag: &str) -> std::io::Result<Step> {
    s.send(stream, format!("{}\r\n", texts::LOGOUT_BYE).as_bytes()).await?;
    s.reply(stream, tag, "OK", "LOGOUT completed.").await?;
    Ok(Step::Close)
}
