//! NOOP before login: nothing to do.

use super::super::session::{PreAuthSession, Step};
use crate::engines::net::ServerStream;

pub async fn run(s: &mut PreAuthSession, stream: &mut ServerStream, tag: &str) -> std::io::Result<Step> {
    s.reply(stream, tag, "OK", "NOOP completed.").await?;
    Ok(Step::Continue)
}
