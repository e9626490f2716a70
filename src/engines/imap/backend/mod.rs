//! MSExchangeIMAP4BE: the IMAP4rev1 server on loopback (ProxyTargetPort)
//! that the front end relays authenticated clients to. It verifies the
//! credentials again (AUTHENTICATE PLAIN from the front end; the
//! verified-credential cache makes that cheap) and serves the mailbox
//! database.

pub mod commands;
pub mod db;
mod dispatch;
pub mod selected;
pub mod sequence;
pub mod session;

use std::sync::Arc;

use tokio::sync::watch;

use crate::engines::net::{EngineContext, NetError};
use crate::store::mail::mail_db_path;

/// What every session of the back end shares.
pub struct Shared {
    pub ctx: EngineContext,
    pub db: db::DbPool,
    /// Bumped after every write to the mailbox database by this process, so
    /// IDLE sessions look at once (other processes are noticed by polling).
    pub changed: watch::Sender<u64>,
}

impl Shared {
    pub fn notify_change(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
    }
}

/// Serves until shutdown. The listener is the context's Backend listener.
pub async fn run_backend(mut ctx: EngineContext) -> Result<(), NetError> {
    let listeners = std::mem::take(&mut ctx.listeners);
    let db = db::DbPool::new(&mail_db_path(&ctx.store_path));
    // Create or migrate the database now, so a bad file fails the start.
    db.run(|_| Ok(())).await.map_err(|e| NetError::Bind(e.to_string()))?;
    let (changed, _) = watch::channel(0u64);
    let shared = Arc::new(Shared { ctx, db, changed });
    spawn_change_watch(&shared);
    let mut tasks = Vec::new();
    for l in listeners {
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move { accept_loop(l.listener, shared).await }));
    }
    let mut shutdown = shared.ctx.shutdown.clone();
    while !*shutdown.borrow() {
        if shutdown.changed().await.is_err() {
            break;
        }
    }
    for t in &tasks {
        t.abort();
    }
    // Give sessions a moment to say BYE.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    Ok(())
}

/// One connection polls the database's `data_version` every second and wakes
/// IDLE sessions when anyone else committed (another session of this
/// process, or the POP3 back end deleting at QUIT): one query per second for
/// the whole process instead of one per idle session.
fn spawn_change_watch(shared: &Arc<Shared>) {
    let weak = Arc::downgrade(shared);
    let path = mail_db_path(&shared.ctx.store_path);
    let spawned = std::thread::Builder::new().name("mail-change-watch".into()).spawn(move || {
        let mut db: Option<crate::store::mail::MailDb> = None;
        let mut last: Option<i64> = None;
        // The first reading is taken at once: a commit made before it
        // would not be seen as a change, and sessions can IDLE within the
        // back end's first second.
        loop {
            let Some(shared) = weak.upgrade() else { return };
            if db.is_none() {
                db = crate::store::mail::MailDb::open(&path).ok();
            }
            match db.as_ref().map(|d| d.data_version()) {
                Some(Ok(v)) => {
                    if last.is_some_and(|l| l != v) {
                        shared.notify_change();
                    }
                    last = Some(v);
                }
                _ => db = None,
            }
            drop(shared);
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    });
    if let Err(e) = spawned {
        eprintln!("mailsh: IMAP4 back end: the change watcher could not start: {e}");
    }
}

async fn accept_loop(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(s) => s,
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            let _ = session::run(stream, peer, shared).await;
        });
    }
}
