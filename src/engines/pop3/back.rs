//! MSExchangePOP3BE, the back end: on 127.0.0.1:ProxyTargetPort, serves only
//! the store's front end (`engines::net::proxy_auth`, in the session
//! manager), verifies the credentials again (cheap: the verified-credential
//! cache), takes the
//! Inbox snapshot, and serves the TRANSACTION and UPDATE states.

use std::sync::Arc;

use super::command::{Command, ParseError, parse, parse_ahead};
use super::commands::auth::{Policy, Step, next_step};
use super::commands::{ahead, capa, dele, list, noop, quit, retr, rset, stat, top, uidl};
use super::conn::{Input, Pop3Conn};
use super::maildrop::Maildrop;
use super::present::Presenter;
use super::response::{err, ok};
use super::texts;
use super::transaction::Transaction;
use crate::engines::net::listener::{Connection, SessionHandler, SessionManager, until_stopped};
use crate::engines::net::mail_pool::MailPool;
use crate::engines::net::protolog::Event;
use crate::engines::net::{EngineContext, FrontEndRefusal, LoginOutcome};

struct BackEnd {
    ctx: EngineContext,
}

/// Serves MSExchangePOP3BE until the service stops.
pub async fn serve_back_end(ctx: EngineContext, sessions: SessionManager) {
    sessions.run(Arc::new(BackEnd { ctx })).await;
}

impl SessionHandler for BackEnd {
    const REFUSAL: &'static [u8] = texts::TOO_MANY_CONNECTIONS_LINE;
    const BUSY: &'static [u8] = texts::BUSY_LINE;
    const STRANGER: &'static [u8] = texts::STRANGER_LINE;

    async fn serve(self: Arc<Self>, connection: Connection) {
        let Some(conn) = Pop3Conn::greet(connection, &self.ctx).await else { return };
        // A stopping service closes sessions without UPDATE: nothing marked
        // is deleted, as for a dropped connection.
        until_stopped(&self.ctx.shutdown, self.run(conn)).await;
    }
}

impl BackEnd {
    async fn run(&self, mut conn: Pop3Conn) {
        let policy = Policy { plain_login: true, stls: false };
        let transaction = loop {
            let (user, password) = match next_step(&mut conn, &policy, self.ctx.preauth_timeout()).await {
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
        let logged_on =
            self.ctx.auth.front_end_login(&self.ctx.mail, user, password, |db, m| db.inbox_snapshot(&m.guid)).await;
        let (mailbox, home, snapshot) = match logged_on {
            Ok(found) => found,
            Err(FrontEndRefusal::NotConnected(why)) => {
                eprintln!("mailsh: POP3BE logon: {user}: {why}");
                return Err(err(&format!("[SYS/TEMP] {}", texts::NOT_CONNECTED)));
            }
            Err(FrontEndRefusal::Logon(LoginOutcome::Accepted(_) | LoginOutcome::Refused)) => {
                return Err(err(texts::LOGON_FAILURE));
            }
            Err(FrontEndRefusal::Logon(LoginOutcome::Busy)) => return Err(err(texts::LOGON_BUSY)),
            Err(FrontEndRefusal::Logon(LoginOutcome::Unavailable(e))) => {
                eprintln!("mailsh: POP3BE logon: {e}");
                return Err(err(texts::SERVER_UNAVAILABLE));
            }
            Err(FrontEndRefusal::Mail(e)) => {
                eprintln!("mailsh: POP3BE snapshot for {user}: {e}");
                return Err(err(texts::SERVER_UNAVAILABLE));
            }
        };
        let presenter = Presenter::for_user(&self.ctx.settings, &self.ctx.owa, &mailbox);
        let mut drop = Maildrop::new(&snapshot, self.ctx.settings.message_retrieval_sort_order);
        if presenter.exact_sizes() && presenter.rewrites() {
            self.exact_sizes(&home.pool, &mut drop, &presenter).await?;
        }
        Ok(Transaction { guid: mailbox.guid.clone(), drop, presenter, pool: home.pool, ahead: None })
    }

    /// With exact sizes on and a renderer that changes messages, sizes are
    /// those of the bytes each message is served as: from the renditions
    /// kept per setting value, computed (and kept) for those not seen yet.
    /// Messages the settings do not change keep their stored size, known
    /// from their metadata without reading them.
    async fn exact_sizes(&self, pool: &MailPool, drop: &mut Maildrop, presenter: &Presenter) -> Result<(), Vec<u8>> {
        let folder = drop.folder_id;
        let mut uids: Vec<u32> = drop.live().map(|(_, i)| i.uid).collect();
        uids.sort_unstable();
        let renderer = presenter.renderer().clone();
        let sizes = pool
            .run(move |db| {
                let variant = renderer.variant();
                let rows = db.snapshot(|db| db.message_rows(folder, &uids, 0))?;
                let (mut sizes, mut computed) = (Vec::new(), Vec::new());
                for row in rows {
                    let uid = row.meta.uid;
                    if row.info.as_ref().is_some_and(|i| !renderer.changes(i.renders)) {
                        continue;
                    }
                    if let Some(r) = db.rendition(folder, uid, &variant)? {
                        sizes.push((uid, r.size));
                        continue;
                    }
                    if let Some(raw) = db.message_raw(folder, uid)? {
                        let r = crate::engines::imap::fetch_items::summary::rendition(&renderer, &raw);
                        sizes.push((uid, r.size));
                        computed.push((uid, r));
                    }
                }
                db.save_renditions(folder, &variant, &computed)?;
                Ok(sizes)
            })
            .await
            .map_err(|e| {
                eprintln!("mailsh: POP3BE exact sizes: {e}");
                err(texts::SERVER_UNAVAILABLE)
            })?;
        let by_uid: std::collections::HashMap<u32, u64> = sizes.into_iter().collect();
        let numbered: Vec<(u32, u32)> = drop.live().map(|(n, i)| (n, i.uid)).collect();
        for (n, uid) in numbered {
            if let Some(size) = by_uid.get(&uid) {
                drop.set_size(n, *size);
            }
        }
        Ok(())
    }

    async fn transaction(&self, mut conn: Pop3Conn, mut t: Transaction) {
        let mut access = self.ctx.access.subscribe();
        loop {
            let input = tokio::select! {
                input = conn.read(self.ctx.auth_timeout(), false) => input,
                changed = access.changed() => {
                    // PopEnabled turned off (or the mailbox removed): close,
                    // without UPDATE.
                    if changed.is_ok() && matches!(self.ctx.auth.still_allowed(&t.guid, &self.ctx.mail, t.pool.path()).await, Ok(false)) {
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
            if let Some(n) = parse_ahead(&line) {
                if ahead::ahead(&mut t, &mut conn, n).await.is_err() {
                    return;
                }
                continue;
            }
            let reply = match parse(&line) {
                Ok(Command::Stat) => stat::stat(&t.drop),
                Ok(Command::List(n)) => list::list(&t.drop, n),
                Ok(Command::Uidl(n)) => uidl::uidl(&t.drop, n),
                Ok(Command::Retr(n)) => {
                    if retr::serve(&mut t, &mut conn, n, None).await.is_err() {
                        return;
                    }
                    continue;
                }
                Ok(Command::Top(n, lines)) => {
                    if top::top(&mut t, &mut conn, n, lines).await.is_err() {
                        return;
                    }
                    continue;
                }
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
