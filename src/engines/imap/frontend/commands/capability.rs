//! CAPABILITY before login: STARTTLS while the connection is plain and TLS
//! is configured; LOGINDISABLED instead of AUTH=PLAIN where SecureLogin
//! refuses plain-text credentials.

use super::super::session::{PreAuthSession, Step};
use crate::engines::net::ServerStream;

pub async fn run(s: &mut PreAuthSession, stream: &mut ServerStream, tag: &str) -> std::io::Result<Step> {
    let caps = s.capabilities(stream);
    s.send(stream, format!("* CAPABILITY {caps}\r\n").as_bytes()).await?;
    s.reply(stream, tag, "OK", "CAPABILITY completed.").await?;
    Ok(Step::Continue)
}
