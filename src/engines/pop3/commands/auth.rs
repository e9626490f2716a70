//! The AUTHORIZATION state, shared by both ends: CAPA, USER/PASS,
//! AUTH PLAIN (RFC 5034, with or without an initial response), STLS and
//! QUIT, until the client has offered credentials.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::super::command::{Command, ParseError, parse};
use super::super::conn::{Input, Pop3Conn};
use super::super::response::{err, ok, ok_lines};
use super::super::texts;
use super::capa::{CapaState, capa};
use crate::engines::net::sasl;

pub enum Step {
    Credentials {
        user: String,
        password: String,
    },
    /// `+OK` was sent; the caller does the handshake.
    Stls,
    Quit,
    Gone,
}

pub struct Policy {
    /// LoginType allows plain-text credentials on this connection now.
    pub plain_login: bool,
    /// STLS is offered (a plain listener, not yet TLS).
    pub stls: bool,
}

pub async fn next_step(conn: &mut Pop3Conn, policy: &Policy, limit: Duration) -> Step {
    let mut user: Option<String> = None;
    loop {
        let line = match conn.read(limit, false).await {
            Input::Line(l) => l,
            Input::TooLong => {
                if conn.send(&err(texts::LINE_TOO_LONG)).await.is_err() {
                    return Step::Gone;
                }
                continue;
            }
            Input::TimedOut => {
                let _ = conn.send(&err(texts::TIMED_OUT)).await;
                return Step::Gone;
            }
            Input::Closed => return Step::Gone,
        };
        let reply = match parse(&line) {
            Ok(Command::Capa) => {
                capa(&CapaState { plain_login: policy.plain_login, stls: policy.stls, transaction: false })
            }
            Ok(Command::Quit) => {
                let _ = conn.send(&ok(texts::SIGNING_OFF)).await;
                return Step::Quit;
            }
            Ok(Command::Stls) if policy.stls => {
                if conn.send(&ok(texts::BEGIN_TLS)).await.is_err() {
                    return Step::Gone;
                }
                return Step::Stls;
            }
            Ok(Command::User(name)) if policy.plain_login => {
                user = Some(name);
                ok("")
            }
            Ok(Command::Pass(password)) if policy.plain_login => match user.take() {
                Some(user) => return Step::Credentials { user, password },
                None => err(texts::BAD_STATE),
            },
            Ok(Command::Auth { mechanism: None, .. }) => ok_lines("", &["PLAIN".to_string()]),
            Ok(Command::Auth { mechanism: Some(m), initial }) if m == "PLAIN" && policy.plain_login => {
                match sasl_plain(conn, initial, limit).await {
                    Ok(Some((user, password))) => return Step::Credentials { user, password },
                    Ok(None) => err(texts::AUTH_CANCELLED),
                    Err(reply) => reply,
                }
            }
            Ok(Command::Auth { mechanism: Some(_), .. }) if policy.plain_login => err(texts::UNKNOWN_MECHANISM),
            Ok(_) => err(texts::BAD_STATE),
            Err(ParseError::Unknown) => err(texts::PROTOCOL_ERROR),
            Err(ParseError::BadArguments) => err(texts::BAD_ARGUMENTS),
        };
        if conn.send(&reply).await.is_err() {
            return Step::Gone;
        }
    }
}

/// The PLAIN exchange: `Ok(None)` when the client cancels with `*`,
/// `Err(reply)` for what to answer a malformed response.
async fn sasl_plain(
    conn: &mut Pop3Conn,
    initial: Option<String>,
    limit: Duration,
) -> Result<Option<(String, String)>, Vec<u8>> {
    let response = match initial {
        // "=" is RFC 5034's empty initial response.
        Some(i) if i != "=" => i.into_bytes(),
        _ => {
            if conn.send(b"+ \r\n").await.is_err() {
                return Err(Vec::new());
            }
            match conn.read(limit, true).await {
                Input::Line(l) => l,
                _ => return Err(Vec::new()),
            }
        }
    };
    if response == b"*" {
        return Ok(None);
    }
    let decoded = STANDARD.decode(&response).map_err(|_| err(texts::BAD_ARGUMENTS))?;
    sasl::decode_plain(&decoded).map(Some).ok_or_else(|| err(texts::LOGON_FAILURE))
}
