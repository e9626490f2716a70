//! Notices commits made by other connections and processes without
//! restarts, for both databases an engine reads: one thread per watched
//! database polls its `PRAGMA data_version` every second and bumps a
//! [`Changes`] signal that sessions subscribe to.
//!
//! - The config store (every engine): a session that sees a bump re-checks
//!   its own user's access (`Authenticator::still_allowed`) and closes if it
//!   was turned off.
//! - The mailbox database (the IMAP4 back end): IDLE sessions wake and send
//!   what changed (another process, e.g. POP3 deleting at QUIT). Writes by
//!   this process bump the signal at once ([`Changes::notify`]).
//!
//! One query per second per database for the whole process, however many
//! sessions wait.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::watch;

use crate::store::Store;
use crate::store::mail::MailDb;

pub const POLL_EVERY: Duration = Duration::from_secs(1);

/// A generation number bumped on every change seen. Cloning shares it; the
/// polling thread ends when the last clone is dropped.
#[derive(Clone)]
pub struct Changes {
    tx: Arc<watch::Sender<u64>>,
}

impl Changes {
    fn new() -> Changes {
        Changes { tx: Arc::new(watch::channel(0u64).0) }
    }

    /// A signal no thread watches: only `notify` bumps it.
    pub fn unwatched() -> Changes {
        Changes::new()
    }

    /// How many changes were seen so far.
    pub fn generation(&self) -> u64 {
        *self.tx.borrow()
    }

    /// A receiver that wakes at the next change (the current one counts as
    /// seen).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.tx.subscribe()
    }

    /// Announces a change made by this process.
    pub fn notify(&self) {
        self.tx.send_modify(|n| *n = n.wrapping_add(1));
    }
}

/// A database whose commits can be noticed by `data_version`.
trait Watched: Sized {
    fn open(path: &Path) -> Option<Self>;
    fn version(&self) -> Option<i64>;
}

impl Watched for Store {
    fn open(path: &Path) -> Option<Store> {
        Store::open_existing(path).ok()
    }
    fn version(&self) -> Option<i64> {
        self.data_version().ok()
    }
}

impl Watched for MailDb {
    fn open(path: &Path) -> Option<MailDb> {
        MailDb::open(path).ok()
    }
    fn version(&self) -> Option<i64> {
        self.data_version().ok()
    }
}

/// Watches the config store at `store_path`.
pub fn watch_config(store_path: &Path) -> Changes {
    spawn::<Store>("config-watch", store_path.to_path_buf())
}

/// Watches the mailbox database at `mail_db_path`.
pub fn watch_mail(mail_db_path: &Path) -> Changes {
    spawn::<MailDb>("mail-watch", mail_db_path.to_path_buf())
}

fn spawn<D: Watched + 'static>(name: &str, path: PathBuf) -> Changes {
    let changes = Changes::new();
    let weak = Arc::downgrade(&changes.tx);
    let spawned = std::thread::Builder::new().name(name.into()).spawn(move || poll::<D>(&path, &weak));
    if let Err(e) = spawned {
        eprintln!("mailsh: the {name} thread could not start: {e}");
    }
    changes
}

fn poll<D: Watched>(path: &Path, weak: &Weak<watch::Sender<u64>>) {
    let mut db: Option<D> = None;
    let mut last: Option<i64> = None;
    // The first reading is the baseline: poll at once, so a change made
    // during the first second is not taken for the starting state.
    loop {
        let Some(tx) = weak.upgrade() else { return };
        if db.is_none() {
            db = D::open(path);
        }
        match db.as_ref().and_then(D::version) {
            Some(v) => {
                if last.is_some_and(|l| l != v) {
                    tx.send_modify(|n| *n = n.wrapping_add(1));
                }
                last = Some(v);
            }
            // Reopen next time; a database that cannot be read changes
            // nothing for open sessions.
            None => db = None,
        }
        drop(tx);
        std::thread::sleep(POLL_EVERY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscriber_wakes_at_the_next_change_only() {
        let changes = Changes::new();
        changes.notify();
        let rx = changes.subscribe();
        assert!(!rx.has_changed().unwrap_or(true), "what happened before subscribing is seen");
        changes.clone().notify();
        assert!(rx.has_changed().unwrap_or(false));
    }
}
