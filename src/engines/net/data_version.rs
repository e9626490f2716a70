//! Notices administrators' changes without restarts: polls the config
//! store's `data_version` every second and bumps a generation number that
//! sessions watch. A session that sees a bump re-checks its own user's
//! access (Authenticator::still_allowed) and closes if it was turned off.

use std::path::Path;
use std::time::Duration;

use tokio::sync::watch;

use crate::store::Store;

pub const POLL_EVERY: Duration = Duration::from_secs(1);

/// Starts the poller on its own thread; it ends when every receiver is gone.
pub fn spawn(store_path: &Path) -> watch::Receiver<u64> {
    let (tx, rx) = watch::channel(0u64);
    let path = store_path.to_path_buf();
    let spawned = std::thread::Builder::new().name("access-watch".into()).spawn(move || {
        let mut store: Option<Store> = None;
        let mut last: Option<i64> = None;
        let mut generation = 0u64;
        while !tx.is_closed() {
            if store.is_none() {
                store = Store::open_existing(&path).ok();
            }
            match store.as_ref().map(|s| s.data_version()) {
                Some(Ok(v)) => {
                    if last.is_some_and(|l| l != v) {
                        generation += 1;
                        if tx.send(generation).is_err() {
                            break;
                        }
                    }
                    last = Some(v);
                }
                // Reopen next time; a store that cannot be read changes
                // nothing for open sessions.
                _ => store = None,
            }
            std::thread::sleep(POLL_EVERY);
        }
    });
    if let Err(e) = spawned {
        eprintln!("mailsh: the access watcher could not start: {e}");
    }
    rx
}
