//! The front end's commands, one module each: what IMAP allows before
//! authentication (RFC 3501 6.1, 6.2), plus ID. Everything else is answered
//! `BAD Command received in Invalid state.` here; the back end serves it
//! once the session is relayed.

mod authenticate;
mod capability;
mod id;
mod login;
mod logout;
mod noop;
mod starttls;

use imap_codec::imap_types::command::CommandBody;

use super::session::{PreAuthSession, Step};
use crate::engines::imap::texts;
use crate::engines::imap::wire::CommandReader;
use crate::engines::net::ServerStream;

pub async fn run(
    s: &mut PreAuthSession,
    stream: &mut ServerStream,
    reader: &mut CommandReader,
    tag: &str,
    body: CommandBody<'static>,
) -> std::io::Result<Step> {
    // Logged on, but the back end could not be reached: Exchange's answer
    // to everything but LOGOUT.
    if s.orphaned && !matches!(body, CommandBody::Logout) {
        s.reply(stream, tag, "BAD", texts::NOT_CONNECTED).await?;
        return Ok(Step::Continue);
    }
    match body {
        CommandBody::Capability => capability::run(s, stream, tag).await,
        CommandBody::Noop => noop::run(s, stream, tag).await,
        CommandBody::Id { .. } => id::run(s, stream, tag).await,
        CommandBody::Logout => logout::run(s, stream, tag).await,
        CommandBody::StartTLS => starttls::run(s, stream, tag).await,
        CommandBody::Login { username, password } => login::run(s, stream, tag, username, password).await,
        CommandBody::Authenticate { mechanism, initial_response } => {
            authenticate::run(s, stream, reader, tag, mechanism, initial_response).await
        }
        _ => {
            s.reply(stream, tag, "BAD", texts::INVALID_STATE).await?;
            Ok(Step::Continue)
        }
    }
}
