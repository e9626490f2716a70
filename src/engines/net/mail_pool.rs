//! The back ends' connections to the mailbox database (`<store>.d/mail.db`):
//! a few kept open and shared by every session. Each call runs on the
//! blocking pool with a connection of its own (opened there too), so a slow
//! fsync never stalls the network threads.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::oneshot;

use crate::store::mail::{AppendResult, MailDb, MailError, MailResult, NewMessage, Summarizer, mail_db_path, to_crlf};

/// Appends one commit may carry, and their bytes.
const GROUP_MAX: usize = 256;
const GROUP_BYTES: usize = 64 * 1024 * 1024;

type AppendJob = (NewMessage, oneshot::Sender<MailResult<AppendResult>>);

/// Connections kept open between calls.
const KEEP_IDLE: usize = 8;

/// Calls running at once. More would only queue on two cores, and each
/// busy call holds a blocking thread and a connection with its page cache:
/// 2,000 sessions selecting at once once meant hundreds of both, and
/// memory the allocator never gave back.
const MAX_BUSY: usize = 8;

/// Cloning shares the pool.
#[derive(Clone)]
pub struct MailPool {
    path: PathBuf,
    idle: Arc<Mutex<Vec<MailDb>>>,
    /// How messages stored through the pool get their metadata.
    summarizer: Option<Summarizer>,
    /// The group-commit writer of [`MailPool::append`], started on first use.
    committer: Arc<OnceLock<Mutex<Sender<AppendJob>>>>,
    /// At most [`MAX_BUSY`] calls at once.
    busy: Arc<tokio::sync::Semaphore>,
}

impl MailPool {
    /// The pool of the mailbox database beside the config store.
    pub fn for_store(store_path: &Path) -> MailPool {
        MailPool::for_file(&mail_db_path(store_path))
    }

    /// The pool of the mailbox database in the file at `path`.
    pub fn for_file(path: &Path) -> MailPool {
        MailPool {
            path: path.to_path_buf(),
            idle: Arc::default(),
            summarizer: None,
            committer: Arc::default(),
            busy: Arc::new(tokio::sync::Semaphore::new(MAX_BUSY)),
        }
    }

    /// Every connection of the pool summarises the messages it stores with
    /// `summarize`, and [`MailPool::check`] fills in the metadata of those
    /// stored without.
    pub fn summarized_by(mut self, summarize: Summarizer) -> MailPool {
        self.summarizer = Some(summarize);
        self
    }

    fn open(&self) -> MailResult<MailDb> {
        let mut db = MailDb::open(&self.path)?;
        if let Some(s) = self.summarizer {
            db.set_summarizer(s);
        }
        Ok(db)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens (creating or migrating) the database once, off any runtime: a
    /// back end calls it before it reports that it listens, so a bad file
    /// fails the start rather than the first login.
    pub fn check(&self) -> MailResult<()> {
        let mut db = self.open()?;
        if let Some(s) = self.summarizer {
            let n = db.backfill_info(s)?;
            if n > 0 {
                eprintln!("mailsh: mailbox database: metadata computed for {n} stored messages");
            }
        }
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
        // The semaphore is never closed; a failed acquire only means no limit.
        let permit = self.busy.clone().acquire_owned().await.ok();
        let joined = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let taken = pool.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let mut db = match taken {
                Some(db) => db,
                None => pool.open()?,
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

    /// Stores a message durably (its commit is on disk before this
    /// returns). Appends that arrive while a commit is being written share
    /// the next one (group commit): one fsync for many messages, each still
    /// acknowledged only once it is on disk. The message is made CRLF and
    /// summarised here, off the writer, so the writer only writes.
    pub async fn append(&self, mut message: NewMessage) -> MailResult<AppendResult> {
        let summarizer = self.summarizer;
        message = tokio::task::spawn_blocking(move || {
            if let std::borrow::Cow::Owned(crlf) = to_crlf(&message.raw) {
                message.raw = crlf;
            }
            if message.info.is_none() {
                message.info = summarizer.map(|s| s(&message.raw));
            }
            message
        })
        .await
        .map_err(|e| MailError::Task(e.to_string()))?;
        let (reply, answer) = oneshot::channel();
        let sender = self
            .committer
            .get_or_init(|| {
                let (tx, rx) = channel::<AppendJob>();
                let pool = self.clone();
                std::thread::Builder::new()
                    .name("mail-commit".into())
                    .spawn(move || pool.commit_loop(rx))
                    .map(|_| ())
                    .unwrap_or_else(|e| eprintln!("mailsh: the mailbox database writer did not start: {e}"));
                Mutex::new(tx)
            })
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        sender.send((message, reply)).map_err(|_| MailError::Task("the mailbox database writer stopped".into()))?;
        answer.await.map_err(|_| MailError::Task("the mailbox database writer stopped".into()))?
    }

    /// The writer: takes what has queued up, stores it in one transaction,
    /// answers each, again.
    fn commit_loop(&self, jobs: Receiver<AppendJob>) {
        let mut db: Option<MailDb> = None;
        while let Ok(first) = jobs.recv() {
            let mut group = vec![first];
            let mut bytes = group[0].0.raw.len();
            while group.len() < GROUP_MAX && bytes < GROUP_BYTES {
                match jobs.try_recv() {
                    Ok(job) => {
                        bytes += job.0.raw.len();
                        group.push(job);
                    }
                    Err(_) => break,
                }
            }
            let conn = match db.take() {
                Some(c) => Ok(c),
                None => self.open(),
            };
            let mut conn = match conn {
                Ok(c) => c,
                Err(e) => {
                    let text = e.to_string();
                    for (_, reply) in group {
                        let _ = reply.send(Err(MailError::Task(text.clone())));
                    }
                    continue;
                }
            };
            let (messages, replies): (Vec<NewMessage>, Vec<_>) = group.into_iter().unzip();
            let results = conn.append_all(&messages);
            drop(messages);
            let failed = results.iter().any(|r| matches!(r, Err(MailError::Task(_)) | Err(MailError::Sqlite(_))));
            for (reply, result) in replies.into_iter().zip(results) {
                let _ = reply.send(result);
            }
            // A connection whose commit failed is not reused.
            if !failed {
                db = Some(conn);
            }
        }
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
