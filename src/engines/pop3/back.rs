//! MSExchangePOP3BE, the back end: on 127.0.0.1:ProxyTargetPort, verifies
//! the credentials again (cheap: the verified-credential cache), takes the
//! Inbox snapshot, and serves the TRANSACTION and UPDATE states.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::sync::watch;

use super::command::{Command, ParseError, parse};
use super::commands::auth::{Policy, Step, next_step};
use super::commands::{capa, dele, list, noop, quit, retr, rset, stat, top, uidl};
use super::conn::{Conn, Input};
use super::maildb::MailPool;
use super::maildrop::Maildrop;
use super::present::Presenter;
use super::response::{err, ok};
use super::texts;
use super::transaction::Transaction;
use crate::engines::net::protolog::{Event, ProtocolLog};
use crate::engines::net::{Authenticator, ConnectionLimits, EngineContext, LoginOutcome, ServerStream};
use crate::store::ProtocolSettings;
use crate::store::owa::OwaVirtualDirectory;

struct Back {
    settings: ProtocolSettings,
    owa: Vec<OwaVirtualDirectory>,
    auth: Arc<Authenticator>,
    limits: ConnectionLimits,
    log: Arc<ProtocolLog>,
    pool: MailPool,
    access: watch::Receiver<u64>,
    shutdown: watch::Receiver<bool>,
    next_id: AtomicU64,
}

pub async fn serve_back_end(ctx: EngineContext) {
    let EngineContext { listeners, shutdown, settings, owa, auth, log, access, store_path, .. } = ctx;
    // Every connection comes from the front end on loopback: only the
    // server-wide cap applies here; the front end enforces the rest.
    let limits = ConnectionLimits::new(settings.max_connections, i64::MAX, i64::MAX);
    let back = Arc::new(Back {
        pool: MailPool::for_store(&store_path),
        settings,
        owa,
        auth,
        limits,
        log,
        access,
        shutdown: shutdown.clone(),
        next_id: AtomicU64::new(1),
    });
    crate::engines::net::listener::accept_all(listeners, shutdown, move |tcp, _| {
        let back = back.clone();
        async move { back.session(tcp).await }
    })
    .await;
}

impl Back {
    fn timeout(&self, logged_on: bool) -> Duration {
        let secs = if logged_on {
            self.settings.authenticated_connection_timeout
        } else {
            self.settings.preauthenticated_connection_timeout
        };
        Duration::from_secs(secs.max(1) as u64)
    }

    async fn session(self: Arc<Self>, tcp: TcpStream) {
        let ip = tcp.peer_addr().map(|a| a.ip()).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let Ok(_slot) = self.limits.admit(ip) else { return };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut conn =
            Conn::new(ServerStream::Plain(tcp), id, self.log.clone(), self.settings.max_command_size.max(40) as usize);
        conn.note(Event::Connect, "");
        if conn.send(&ok(&self.settings.banner)).await.is_err() {
            return;
        }
        let mut stop = self.shutdown.clone();
        // A stopping service closes sessions without UPDATE: nothing marked
        // is deleted, as for a dropped connection.
        tokio::select! {
            _ = self.run(conn) => {}
            _ = crate::engines::net::listener::stopped(&mut stop) => {}
        }
    }

    async fn run(&self, mut conn: Conn) {
        let policy = Policy { plain_login: true, stls: false };
        let transaction = loop {
            let (user, password) = match next_step(&mut conn, &policy, self.timeout(false)).await {
                Step::Credentials { user, password } => (user, password),
                Step::Stls | Step::Quit | Step::Gone => return conn.close().await,
            };
            match self.log_on(&user, &password).await {
                Ok(t) => break t,
                Err(reply) => {
                    if conn.send(&reply).await.is_err() {
                        return;
                    }
                }
            }
        };
        conn.note(Event::Info, &format!("logged on; {} messages", transaction.drop.len()));
        if conn.send(&ok(texts::LOGGED_ON)).await.is_ok() {
            self.transaction(conn, transaction).await;
        }
    }

    async fn log_on(&self, user: &str, password: &str) -> Result<Transaction, Vec<u8>> {
        let mailbox = match self.auth.login(user, password).await {
            LoginOutcome::Accepted(m) => m,
            LoginOutcome::Refused => return Err(err(texts::LOGON_FAILURE)),
            LoginOutcome::Unavailable(e) => {
                eprintln!("mailsh: POP3BE logon: {e}");
                return Err(err(texts::SERVER_UNAVAILABLE));
            }
        };
        let guid = mailbox.guid.clone();
        let snapshot = self.pool.run(move |db| db.inbox_snapshot(&guid)).await.map_err(|e| {
            eprintln!("mailsh: POP3BE snapshot for {}: {e}", mailbox.guid);
            err(texts::SERVER_UNAVAILABLE)
        })?;
        let presenter = Presenter::for_user(&self.settings, &self.owa, &mailbox);
        let mut drop = Maildrop::new(&snapshot, self.settings.message_retrieval_sort_order);
        if presenter.exact_sizes() && presenter.rewrites() {
            self.exact_sizes(&mut drop, &presenter).await?;
        }
        Ok(Transaction { guid: mailbox.guid.clone(), drop, presenter, pool: self.pool.clone() })
    }

    /// With exact sizes on and a renderer that changes messages, sizes are
    /// counted on the bytes each message is served as.
    async fn exact_sizes(&self, drop: &mut Maildrop, presenter: &Presenter) -> Result<(), Vec<u8>> {
        let numbered: Vec<(u32, u32)> = drop.live().map(|(n, i)| (n, i.uid)).collect();
        for (n, uid) in numbered {
            let folder = drop.folder_id;
            if let Ok(Some(raw)) = self.pool.run(move |db| db.message_raw(folder, uid)).await {
                drop.set_size(n, presenter.render(&raw).len() as u64);
            }
        }
        Ok(())
    }

    async fn transaction(&self, mut conn: Conn, mut t: Transaction) {
        let mut access = self.access.clone();
        loop {
            let input = tokio::select! {
                input = conn.read(self.timeout(true), false) => input,
                changed = access.changed() => {
                    // PopEnabled turned off (or the mailbox removed): close,
                    // without UPDATE.
                    if changed.is_ok() && matches!(self.auth.still_allowed(&t.guid).await, Ok(false)) {
                        conn.note(Event::Disconnect, "POP3 access was turned off");
                        return conn.close().await;
                    }
                    continue;
                }
            };
            let line = match input {
                Input::Line(l) => l,
                Input::TooLong => {
                    if conn.send(&err(texts::LINE_TOO_LONG)).await.is_err() {
                        return;
                    }
                    continue;
                }
                Input::TimedOut => {
                    let _ = conn.send(&err(texts::TIMED_OUT)).await;
                    return conn.close().await;
                }
                Input::Closed => return,
            };
            let reply = match parse(&line) {
                Ok(Command::Stat) => stat::stat(&t.drop),
                Ok(Command::List(n)) => list::list(&t.drop, n),
                Ok(Command::Uidl(n)) => uidl::uidl(&t.drop, n),
                Ok(Command::Retr(n)) => retr::retr(&t, n).await,
                Ok(Command::Top(n, lines)) => top::top(&t, n, lines).await,
                Ok(Command::Dele(n)) => dele::dele(&mut t.drop, n),
                Ok(Command::Rset) => rset::rset(&mut t.drop),
                Ok(Command::Noop) => noop::noop(),
                Ok(Command::Capa) => {
                    capa::capa(&capa::CapaState { plain_login: false, stls: false, transaction: true })
                }
                Ok(Command::Quit) => {
                    let reply = quit::quit(&t).await;
                    let _ = conn.send(&reply).await;
                    return conn.close().await;
                }
                Ok(_) => err(texts::BAD_STATE),
                Err(ParseError::Unknown) => err(texts::PROTOCOL_ERROR),
                Err(ParseError::BadArguments) => err(texts::BAD_ARGUMENTS),
            };
            if conn.send(&reply).await.is_err() {
                return;
            }
        }
    }
}
