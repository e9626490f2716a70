//! MSExchangePOP3, the front end: greets, offers STLS, enforces LoginType
//! and the per-user connection limit (the session manager enforces the
//! others), checks the credentials (and PopEnabled), then logs on to the
//! back end with AUTH PLAIN and relays the session to it (`front_relay`,
//! which reads the next messages ahead).

use std::sync::Arc;
use std::time::Duration;

use crate::engines::net::back_end_link::{self, BackEndStream};
use crate::engines::net::routes::Route;
use tokio::io::AsyncWriteExt;

use super::commands::auth::{Policy, Step, next_step};
use super::conn::{Input, Pop3Conn};
use super::front_relay;
use super::response::{err, ok};
use super::texts;
use crate::engines::net::listener::{Connection, SessionHandler, SessionManager, until_stopped};
use crate::engines::net::protolog::Event;
use crate::engines::net::relay::BackEndError;
use crate::engines::net::{Caller, EngineContext, LineReader, ListenerKind, LoginOutcome, USER_SLOT_GRACE, sasl};
use crate::store::LoginType;

const BACKEND_REPLY: Duration = Duration::from_secs(15);

struct FrontEnd {
    ctx: EngineContext,
}

/// Serves MSExchangePOP3 until the service stops.
pub async fn serve_front_end(ctx: EngineContext, sessions: SessionManager) {
    sessions.run(Arc::new(FrontEnd { ctx })).await;
}

impl SessionHandler for FrontEnd {
    const REFUSAL: &'static [u8] = texts::TOO_MANY_CONNECTIONS_LINE;
    const BUSY: &'static [u8] = texts::BUSY_LINE;

    async fn serve(self: Arc<Self>, connection: Connection) {
        let kind = connection.kind;
        let Some(conn) = Pop3Conn::greet(connection, &self.ctx).await else { return };
        until_stopped(&self.ctx.shutdown, self.authorize_and_relay(conn, kind)).await;
    }
}

impl FrontEnd {
    async fn authorize_and_relay(&self, mut conn: Pop3Conn, kind: ListenerKind) {
        let ip = conn.ip;
        loop {
            let policy = Policy {
                plain_login: self.ctx.settings.login_type != LoginType::SecureLogin || conn.is_tls(),
                stls: kind == ListenerKind::Plain && !conn.is_tls() && self.ctx.tls.is_some(),
            };
            let (user, password) = match next_step(&mut conn, &policy, self.ctx.preauth_timeout()).await {
                Step::Credentials { user, password } => (user, password),
                Step::Stls => {
                    let Some(acceptor) = &self.ctx.tls else { return };
                    conn = match tokio::time::timeout(self.ctx.preauth_timeout(), conn.into_tls(acceptor)).await {
                        Ok(Ok(c)) => c,
                        _ => return,
                    };
                    continue;
                }
                Step::Quit | Step::Gone => return conn.close().await,
            };
            // The throttle's wait comes before the check: the answer costs the
            // same whether the password was right or not.
            let mailbox = match self.ctx.auth.login(Caller::Client(ip), &user, &password).await {
                LoginOutcome::Accepted(m) => m,
                LoginOutcome::Refused => {
                    conn.note(Event::Info, &format!("logon failure for {user}"));
                    if conn.send(&err(texts::LOGON_FAILURE)).await.is_err() {
                        return;
                    }
                    continue;
                }
                LoginOutcome::Busy => {
                    if conn.send(&err(texts::LOGON_BUSY)).await.is_err() {
                        return;
                    }
                    continue;
                }
                LoginOutcome::Unavailable(e) => {
                    eprintln!("mailsh: POP3 logon: {e}");
                    if conn.send(&err(texts::SERVER_UNAVAILABLE)).await.is_err() {
                        return;
                    }
                    continue;
                }
            };
            let _user_slot = match self.ctx.limits.admit_user_within(&mailbox.guid, USER_SLOT_GRACE).await {
                Ok(slot) => slot,
                Err(_) => {
                    if conn.send(&err(texts::TOO_MANY_USER_CONNECTIONS)).await.is_err() {
                        return;
                    }
                    continue;
                }
            };
            match self.log_on_backend(&mailbox, &user, &password).await {
                Ok(backend) => {
                    conn.pre_auth.logged_on();
                    conn.note(Event::Info, &format!("{user} logged on; relaying to the back end"));
                    if conn.send(&ok(texts::LOGGED_ON)).await.is_err() {
                        return;
                    }
                    let (client, from_client) = conn.reader.into_parts();
                    let (backend, from_backend) = backend.into_parts();
                    let _ = front_relay::relay(client, from_client, backend, from_backend, &conn.log).await;
                    return;
                }
                // The access changed between the two checks: a failed logon.
                Err(BackEndError::Refused) => {
                    conn.note(Event::Info, &format!("the back end refused {user}"));
                    if conn.send(&err(texts::LOGON_FAILURE)).await.is_err() {
                        return;
                    }
                }
                // The credentials were good: Exchange says so, rather than
                // "Logon failure", for this and every later command.
                Err(BackEndError::Unreachable(why)) => {
                    eprintln!("mailsh: POP3 back end for {user}: {why}");
                    conn.note(Event::Info, &format!("back end unavailable: {why}"));
                    if conn.send(&err(texts::NOT_CONNECTED)).await.is_err() {
                        return;
                    }
                    return self.not_connected(conn).await;
                }
            }
        }
    }

    /// The back end did not take the session: every later command gets
    /// "-ERR User is authenticated but not connected." until QUIT.
    async fn not_connected(&self, mut conn: Pop3Conn) {
        loop {
            match conn.read(self.ctx.preauth_timeout(), false).await {
                Input::Line(l) if l.eq_ignore_ascii_case(b"QUIT") => {
                    let _ = conn.send(&ok(texts::SIGNING_OFF)).await;
                    return conn.close().await;
                }
                Input::Line(_) | Input::TooLong => {
                    if conn.send(&err(texts::NOT_CONNECTED)).await.is_err() {
                        return;
                    }
                }
                Input::Closed | Input::TimedOut => return,
            }
        }
    }

    /// Logs on with the same credentials to the back end of the server
    /// holding the mailbox's database: this server's on the connection made
    /// ahead (`spare_link`) or a fresh one, another's at its address;
    /// returns the connection ready to relay.
    async fn log_on_backend(
        &self,
        mailbox: &crate::store::Mailbox,
        user: &str,
        password: &str,
    ) -> Result<LineReader<BackEndStream>, BackEndError> {
        match self.ctx.routes.route(&self.ctx.auth, mailbox).await {
            Route::Own => self.ctx.back_end.log_on(|tcp| log_on_with(tcp, user, password)).await,
            Route::To(target, _) => {
                let link = back_end_link::connect(&target, self.ctx.back_end.key()).await?;
                log_on_with(link, user, password).await
            }
            Route::Nowhere(why) => Err(BackEndError::Unreachable(why)),
        }
    }
}

/// The greeting, then AUTH PLAIN with the client's credentials.
async fn log_on_with(
    tcp: BackEndStream,
    user: &str,
    password: &str,
) -> Result<LineReader<BackEndStream>, BackEndError> {
    let mut backend = LineReader::new(tcp);
    backend_reply(&mut backend).await?.map_err(|line| BackEndError::Unreachable(format!("greeting: {line}")))?;
    let command = format!("AUTH PLAIN {}\r\n", sasl::encode_plain(user, password));
    backend.get_mut().write_all(command.as_bytes()).await?;
    backend_reply(&mut backend).await?.map_err(|line| {
        // The credentials were good but the mailbox's database is not
        // served there (RFC 3206's SYS/TEMP).
        if line.starts_with("-ERR [SYS/TEMP]") {
            BackEndError::Unreachable(line.trim_end().to_string())
        } else {
            BackEndError::Refused
        }
    })?;
    Ok(backend)
}

/// The back end's next status line: `Ok(Ok(()))` for +OK, `Ok(Err(line))`
/// for anything else it answered.
async fn backend_reply(backend: &mut LineReader<BackEndStream>) -> Result<Result<(), String>, BackEndError> {
    match tokio::time::timeout(BACKEND_REPLY, backend.read_line(4096)).await {
        Ok(Ok(l)) if l.starts_with(b"+OK") => Ok(Ok(())),
        Ok(Ok(l)) => Ok(Err(String::from_utf8_lossy(&l).into_owned())),
        Ok(Err(e)) => Err(BackEndError::Unreachable(e.to_string())),
        Err(_) => Err(BackEndError::Unreachable("no answer".to_string())),
    }
}
