//! AUTH PLAIN and AUTH LOGIN (BasicAuth on the connector), only over TLS
//! when the connector says BasicAuthRequireTLS (Client Frontend does). The
//! credentials are the mailbox's own, checked as IMAP4 and POP3 logons are
//! (`Authenticator::login` with the client's address: the throttle's pause
//! per address and per account, charged before the check, then the bounded
//! password-check pool). A successful AUTH frees the session's place in the
//! budget of connections not logged on.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use smtp_proto::{AUTH_LOGIN, AUTH_PLAIN};

use super::super::session::{Next, Session};
use super::super::texts;
use crate::engines::net::sasl::decode_plain;
use crate::engines::net::{Caller, LoginOutcome};

/// An AUTH exchange waiting for the client's next line.
pub enum Pending {
    Plain,
    LoginUser,
    LoginPassword(String),
}

/// The mechanisms EHLO offers now, if any.
pub fn offered(s: &Session) -> Option<&'static str> {
    let allowed = s.connector.has_auth("BasicAuth") && (s.is_tls() || !s.connector.has_auth("BasicAuthRequireTLS"));
    (allowed && s.user.is_none()).then_some("PLAIN LOGIN")
}

pub async fn run(s: &mut Session, mechanism: u64, initial: String) -> Next {
    if s.helo.is_none() {
        s.reply(texts::SEND_HELLO_FIRST);
        return Next::Continue;
    }
    if s.user.is_some() {
        s.reply(texts::ALREADY_AUTHENTICATED);
        return Next::Continue;
    }
    if offered(s).is_none() {
        s.reply(texts::TLS_REQUIRED_FOR_AUTH);
        return Next::Continue;
    }
    match mechanism {
        AUTH_PLAIN if initial.is_empty() => {
            s.reply("334 ");
            Next::AuthLine(Pending::Plain)
        }
        AUTH_PLAIN => {
            plain(s, &initial).await;
            Next::Continue
        }
        AUTH_LOGIN if initial.is_empty() => {
            s.reply("334 VXNlcm5hbWU6");
            Next::AuthLine(Pending::LoginUser)
        }
        AUTH_LOGIN => match decode(&initial) {
            Some(user) => {
                s.reply("334 UGFzc3dvcmQ6");
                Next::AuthLine(Pending::LoginPassword(user))
            }
            None => {
                s.reply(texts::AUTH_FAILED);
                Next::Continue
            }
        },
        _ => {
            s.reply(texts::TLS_REQUIRED_FOR_AUTH);
            Next::Continue
        }
    }
}

/// The client's answer to a `334`.
pub async fn answer(s: &mut Session, pending: Pending, line: String) {
    if line.trim() == "*" {
        s.reply(texts::AUTH_CANCELLED);
        return;
    }
    match pending {
        Pending::Plain => plain(s, line.trim()).await,
        Pending::LoginUser => match decode(line.trim()) {
            Some(user) => {
                s.reply("334 UGFzc3dvcmQ6");
                // The password line is read by the session loop's next turn.
                let Some(password) = s.read_auth_line().await else { return };
                login(s, &user, password.trim()).await;
            }
            None => s.reply(texts::AUTH_FAILED),
        },
        Pending::LoginPassword(user) => login(s, &user, line.trim()).await,
    }
}

async fn login(s: &mut Session, user: &str, password_b64: &str) {
    match decode(password_b64) {
        Some(password) => check(s, user, &password).await,
        None => s.reply(texts::AUTH_FAILED),
    }
}

async fn plain(s: &mut Session, response: &str) {
    let decoded = STANDARD.decode(response.trim()).ok();
    match decoded.as_deref().and_then(decode_plain) {
        Some((user, password)) => check(s, &user, &password).await,
        None => s.reply(texts::AUTH_FAILED),
    }
}

async fn check(s: &mut Session, user: &str, password: &str) {
    match s.shared.directory.login(Caller::Client(s.peer.ip()), user, password).await {
        LoginOutcome::Accepted(m) => {
            s.pre_auth.logged_on();
            s.user = Some(m);
            s.reply(texts::AUTH_OK);
        }
        LoginOutcome::Refused => s.reply(texts::AUTH_FAILED),
        LoginOutcome::Busy => s.reply(texts::AUTH_BUSY),
        LoginOutcome::Unavailable(_) => s.reply(texts::STORE_UNAVAILABLE),
    }
}

fn decode(b64: &str) -> Option<String> {
    let bytes = STANDARD.decode(b64.trim()).ok()?;
    String::from_utf8(bytes).ok()
}
