//! A few open connections to the mailbox database, shared by the back
//! end's sessions; every use runs in spawn_blocking.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::store::mail::{MailDb, MailError, MailResult, mail_db_path};

const KEEP_IDLE: usize = 8;

#[derive(Clone)]
pub struct MailPool {
    path: PathBuf,
    idle: Arc<Mutex<Vec<MailDb>>>,
}

impl MailPool {
    pub fn for_store(store_path: &Path) -> MailPool {
        MailPool { path: mail_db_path(store_path), idle: Arc::default() }
    }

    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut MailDb) -> MailResult<T> + Send + 'static,
    ) -> MailResult<T> {
        let pool = self.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let taken = pool.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let mut db = match taken {
                Some(db) => db,
                None => MailDb::open(&pool.path)?,
            };
            let out = f(&mut db);
            // A connection that failed is not reused.
            if out.is_ok() {
                let mut idle = pool.idle.lock().unwrap_or_else(|p| p.into_inner());
                if idle.len() < KEEP_IDLE {
                    idle.push(db);
                }
            }
            out
        })
        .await;
        joined.unwrap_or_else(|e| {
            Err(MailError::Sqlite(rusqlite::Error::ToSqlConversionFailure(format!("mail task failed: {e}").into())))
        })
    }
}
