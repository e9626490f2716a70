//! MSExchangePOP3, the front end: greets, offers STLS, enforces LoginType
//! and the connection limits, checks the credentials (and PopEnabled), then
//! logs on to the back end with AUTH PLAIN and relays the session to it.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use super::commands::auth::{Policy, Step, next_step, plain_initial_response};
use super::conn::{Conn, Input};
use super::response::{err, ok};
use super::texts;
use crate::engines::net::delay::FailedLoginDelay;
use crate::engines::net::protolog::{Event, ProtocolLog};
use crate::engines::net::{
    Authenticator, ConnectionLimits, EngineContext, LineReader, ListenerKind, LoginOutcome, ServerStream, bind, relay,
};
use crate::store::{LoginType, ProtocolSettings};

const BACKEND_CONNECT: Duration = Duration::from_secs(5);
const BACKEND_REPLY: Duration = Duration::from_secs(15);

struct Front {
    settings: ProtocolSettings,
    tls: Option<TlsAcceptor>,
    auth: Arc<Authenticator>,
    limits: ConnectionLimits,
    delay: Arc<FailedLoginDelay>,
    log: Arc<ProtocolLog>,
    shutdown: watch::Receiver<bool>,
    next_id: AtomicU64,
}

pub async fn serve_front_end(ctx: EngineContext) {
    let EngineContext { listeners, shutdown, tls, settings, auth, limits, delay, log, .. } = ctx;
    let front = Arc::new(Front {
        settings,
        tls,
        auth,
        limits,
        delay,
        log,
        shutdown: shutdown.clone(),
        next_id: AtomicU64::new(1),
    });
    crate::engines::net::listener::accept_all(listeners, shutdown, move |tcp, kind| {
        let front = front.clone();
        async move { front.session(tcp, kind).await }
    })
    .await;
}

impl Front {
    fn preauth_timeout(&self) -> Duration {
        Duration::from_secs(self.settings.preauthenticated_connection_timeout.max(1) as u64)
    }

    async fn session(self: Arc<Self>, mut tcp: TcpStream, kind: ListenerKind) {
        let ip = tcp.peer_addr().map(|a| a.ip()).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let _slot = match self.limits.admit(ip) {
            Ok(slot) => slot,
            Err(_) => {
                if kind == ListenerKind::Plain {
                    let _ = tcp.write_all(&err(texts::TOO_MANY_CONNECTIONS)).await;
                }
                return;
            }
        };
        let mut stream = ServerStream::Plain(tcp);
        if kind == ListenerKind::ImplicitTls {
            let Some(acceptor) = &self.tls else { return };
            stream = match tokio::time::timeout(self.preauth_timeout(), stream.into_tls(acceptor)).await {
                Ok(Ok(s)) => s,
                _ => return,
            };
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut conn = Conn::new(stream, id, self.log.clone(), self.settings.max_command_size.max(40) as usize);
        conn.note(Event::Connect, "");
        if conn.send(&ok(&self.settings.banner)).await.is_err() {
            return;
        }
        let mut stop = self.shutdown.clone();
        tokio::select! {
            _ = self.authorize_and_relay(conn, kind, ip) => {}
            _ = crate::engines::net::listener::stopped(&mut stop) => {}
        }
    }

    async fn authorize_and_relay(&self, mut conn: Conn, kind: ListenerKind, ip: IpAddr) {
        loop {
            let policy = Policy {
                plain_login: self.settings.login_type != LoginType::SecureLogin || conn.is_tls(),
                stls: kind == ListenerKind::Plain && !conn.is_tls() && self.tls.is_some(),
            };
            let (user, password) = match next_step(&mut conn, &policy, self.preauth_timeout()).await {
                Step::Credentials { user, password } => (user, password),
                Step::Stls => {
                    let Some(acceptor) = &self.tls else { return };
                    conn = match tokio::time::timeout(self.preauth_timeout(), conn.into_tls(acceptor)).await {
                        Ok(Ok(c)) => c,
                        _ => return,
                    };
                    continue;
                }
                Step::Quit | Step::Gone => return conn.close().await,
            };
            let mailbox = match self.auth.login(&user, &password).await {
                LoginOutcome::Accepted(m) => m,
                LoginOutcome::Refused => {
                    conn.note(Event::Info, &format!("logon failure for {user}"));
                    tokio::time::sleep(self.delay.on_failure(ip)).await;
                    if conn.send(&err(texts::LOGON_FAILURE)).await.is_err() {
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
            self.delay.on_success(ip);
            let _user_slot = match self.limits.admit_user(&mailbox.guid) {
                Ok(slot) => slot,
                Err(_) => {
                    if conn.send(&err(texts::TOO_MANY_USER_CONNECTIONS)).await.is_err() {
                        return;
                    }
                    continue;
                }
            };
            match self.log_on_backend(&user, &password).await {
                Ok(backend) => {
                    conn.note(Event::Info, &format!("{user} logged on; relaying to the back end"));
                    if conn.send(&ok(texts::LOGGED_ON)).await.is_err() {
                        return;
                    }
                    let (client, to_backend) = conn.reader.into_parts();
                    let (backend, to_client) = backend.into_parts();
                    let _ = relay::relay(client, &to_backend, backend, &to_client, None).await;
                    return;
                }
                Err(why) => {
                    eprintln!("mailsh: POP3 back end for {user}: {why}");
                    conn.note(Event::Info, &format!("back end unavailable: {why}"));
                    if conn.send(&err(texts::LOGON_FAILURE)).await.is_err() {
                        return;
                    }
                    return self.not_connected(conn).await;
                }
            }
        }
    }

    /// The back end did not take the session: every later command gets
    /// "-ERR User is authenticated but not connected." until QUIT.
    async fn not_connected(&self, mut conn: Conn) {
        loop {
            match conn.read(self.preauth_timeout(), false).await {
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

    /// Connects to 127.0.0.1:ProxyTargetPort and logs on there with the
    /// same credentials; returns the connection ready to relay.
    async fn log_on_backend(&self, user: &str, password: &str) -> Result<LineReader<TcpStream>, String> {
        let port =
            u16::try_from(self.settings.proxy_target_port).map_err(|_| "ProxyTargetPort is not a port".to_string())?;
        let tcp = tokio::time::timeout(BACKEND_CONNECT, TcpStream::connect(bind::loopback(port)))
            .await
            .map_err(|_| "connect timed out".to_string())?
            .map_err(|e| e.to_string())?;
        let _ = tcp.set_nodelay(true);
        let mut backend = LineReader::new(tcp);
        backend_reply(&mut backend).await?;
        let command = format!("AUTH PLAIN {}\r\n", plain_initial_response(user, password));
        backend.get_mut().write_all(command.as_bytes()).await.map_err(|e| e.to_string())?;
        backend_reply(&mut backend).await?;
        Ok(backend)
    }
}

async fn backend_reply(backend: &mut LineReader<TcpStream>) -> Result<(), String> {
    match tokio::time::timeout(BACKEND_REPLY, backend.read_line(4096)).await {
        Ok(Ok(l)) if l.starts_with(b"+OK") => Ok(()),
        Ok(Ok(l)) => Err(String::from_utf8_lossy(&l).into_owned()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("no answer".to_string()),
    }
}
