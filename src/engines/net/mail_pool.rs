//! A small pool of mailbox-database connections used from async code: each
//! call runs on the blocking pool with a connection of its own, so a slow
//! fsync never stalls the network threads.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::store::mail::{MailDb, MailError, MailResult};

pub struct DbPool {
    path: PathBuf,
    idle: Mutex<Vec<MailDb>>,
}

const KEEP: usize = 8;

impl DbPool {
    pub fn new(path: &Path) -> DbPool {
        DbPool { path: path.to_path_buf(), idle: Mutex::new(Vec::new()) }
    }

    fn take(&self) -> MailResult<MailDb> {
        let pooled = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match pooled {
            Some(db) => Ok(db),
            None => MailDb::open(&self.path),
        }
    }

    fn give_back(&self, db: MailDb) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < KEEP {
            idle.push(db);
        }
    }

    /// Runs `f` with a connection on the blocking pool.
    pub async fn run<T, F>(&self, f: F) -> MailResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut MailDb) -> MailResult<T> + Send + 'static,
    {
        let mut db = self.take()?;
        let joined = tokio::task::spawn_blocking(move || {
            let out = f(&mut db);
            (db, out)
        })
        .await;
        match joined {
            Ok((db, out)) => {
                if out.is_ok() {
                    self.give_back(db);
                }
                out
            }
            Err(e) => Err(MailError::Task(e.to_string())),
        }
    }
}
