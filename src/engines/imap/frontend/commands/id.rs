//! ID (RFC 2971) before login: the front end says nothing about itself
//! (`* ID NIL`); the back end answers with its name once relayed.

use super::super::session::{PreAuthSession, Step};
use crate::engines::net::ServerStream;

pub async fn run(s: &mut PreAuthSession, stream: &mut ServerStream, tag: &str) -> std::io::Result<Step> {
    s.send(stream, b"* ID NIL\r\n").await?;
    s.reply(stream, tag, "OK", "ID completed.").await?;
    Ok(Step::Continue)
}
