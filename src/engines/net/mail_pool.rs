//! The back ends' connections to the mailbox database (`<store>.d/mail.db`):
//! a few kept open and shared by every session. Each call runs on the
//! blocking pool with a connection of its own (opened there too), so a slow
//! fsync never stalls the network threads.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::store::mail::{MailDb, MailError, MailResult, mail_db_path};

/// Connections kept open between calls.
const KEEP_IDLE: usize = 8;

/// Cloning shares the pool.
#[derive(Clone)]
pub struct MailPool {
    path: PathBuf,
    idle: Arc<Mutex<Vec<MailDb>>>,
}

impl MailPool {
    /// The pool of the mailbox database beside the config store.
    pub fn for_store(store_path: &Path) -> MailPool {
        MailPool { path: mail_db_path(store_path), idle: Arc::default() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens (creating or migrating) the database once, off any runtime: a
    /// back end calls it before it reports that it listens, so a bad file
    /// fails the start rather than the first login.
    pub fn check(&self) -> MailResult<()> {
        let db = MailDb::open(&self.path)?;
        self.give_back(db);
        Ok(())
    }

    /// Runs `f` with a connection on the blocking pool. A connection whose
    /// call failed is not reused.
    pub async fn run<T, F>(&self, f: F) -> MailResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut MailDb) -> MailResult<T> + Send + 'static,
    {
        let pool = self.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let taken = pool.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let mut db = match taken {
                Some(db) => db,
                None => MailDb::open(&pool.path)?,
            };
            let out = f(&mut db);
            if out.is_ok() {
                pool.give_back(db);
            }
            out
        })
        .await;
        joined.unwrap_or_else(|e| Err(MailError::Task(e.to_string())))
    }

    fn give_back(&self, db: MailDb) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < KEEP_IDLE {
            idle.push(db);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_calls_and_reports_a_failed_task_as_such() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let pool = MailPool::for_store(&dir.path().join("config.db"));
        pool.check().expect("the database is created");
        assert!(pool.path().exists());
        let version = pool.run(|db| db.data_version()).await;
        assert!(version.is_ok(), "{version:?}");
        let failed = pool.run(|_| -> MailResult<()> { panic!("a bug in a command") }).await;
        assert!(matches!(failed, Err(MailError::Task(_))), "{failed:?}");
        assert!(pool.run(|db| db.data_version()).await.is_ok(), "the pool still serves");
    }
}
