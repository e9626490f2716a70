//! This server's mailbox databases as its back ends and its Transport
//! serve them: one pool of connections per database file (`MailPool`),
//! made on first use, each with its own watcher of other processes'
//! commits (`data_version`); and which database a mailbox is in, whether
//! that database is this server's and mounted, from the directory
//! (`store::databases`, re-read when the directory changes).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::auth::StoreHandle;
use super::data_version::{self, Changes};
use super::mail_pool::MailPool;
use crate::store::databases::MailboxDatabase;
use crate::store::mail::{Summarizer, Usage};
use crate::store::{Mailbox, Store, StoreError};

/// A database a session works in: its pool and the signal of its changes
/// (IDLE waits on it; this process's writes bump it at once).
#[derive(Clone)]
pub struct Home {
    pub pool: MailPool,
    pub changed: Changes,
}

/// Where a mailbox's mail is, as seen from this server.
pub enum Placement {
    Here(Home),
    /// Its database is mounted on another server of the organization.
    Elsewhere(OtherServer),
    /// Not served anywhere now (its database is dismounted, or missing):
    /// the words for the service log.
    Unavailable(String),
}

/// The server of a mailbox's database, when it is not this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherServer {
    pub guid: String,
    pub name: String,
    /// The database's name, for the service log.
    pub database: String,
}

impl Placement {
    /// Why it is not served here (None: it is).
    pub fn not_here(&self) -> Option<String> {
        match self {
            Placement::Here(_) => None,
            Placement::Elsewhere(o) => Some(format!("its mailbox database {} is on {}", o.database, o.name)),
            Placement::Unavailable(why) => Some(why.clone()),
        }
    }
}

/// Cloning shares it.
#[derive(Clone)]
pub struct MailDatabases {
    inner: Arc<Inner>,
}

struct Inner {
    server_guid: String,
    /// This server's local folder, where relative database paths start.
    folder: PathBuf,
    summarizer: Option<Summarizer>,
    /// The directory's changes: the known databases are re-read after one.
    access: Changes,
    known: Mutex<Known>,
    homes: Mutex<HashMap<PathBuf, Home>>,
}

/// The databases as last read, and the generation of `access` then.
struct Known {
    generation: Option<u64>,
    by_guid: HashMap<String, MailboxDatabase>,
    /// Mailboxes being moved (`store::move_requests`): served nowhere
    /// until the move completes.
    moving: std::collections::HashSet<String>,
}

impl MailDatabases {
    /// For the server `store` answers for; nothing is opened yet.
    pub fn new(store: &Store, summarizer: Option<Summarizer>, access: Changes) -> MailDatabases {
        MailDatabases {
            inner: Arc::new(Inner {
                server_guid: store.server().guid.clone(),
                folder: store.state_dir(),
                summarizer,
                access,
                known: Mutex::new(Known {
                    generation: None,
                    by_guid: HashMap::new(),
                    moving: std::collections::HashSet::new(),
                }),
                homes: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// How many changes of the directory were seen so far.
    pub fn generation(&self) -> u64 {
        self.inner.access.generation()
    }

    /// The databases this server serves now (mounted), read afresh.
    /// Blocking: call it off the async threads.
    pub fn mounted_here(&self, store: &Store) -> Result<Vec<MailboxDatabase>, StoreError> {
        let all = store.mailbox_databases()?;
        Ok(all.into_iter().filter(|d| d.mounted && d.server_guid == self.inner.server_guid).collect())
    }

    /// The homes of the databases this server serves now (blocking: the
    /// first use of each opens it).
    pub fn mounted_homes(&self, store: &Store) -> Result<Vec<Home>, StoreError> {
        Ok(self.mounted_here(store)?.iter().map(|d| self.home(&d.file_in(&self.inner.folder))).collect())
    }

    /// Where `m`'s mail is (blocking: reads the directory when it changed
    /// since the last look).
    pub fn place(&self, store: &Store, m: &Mailbox) -> Result<Placement, StoreError> {
        self.place_guid(store, &m.guid, m.database.as_deref())
    }

    /// Where the mailbox `mailbox` is, if it exists (read by its GUID, as
    /// the Transport and the quota checks know it); None when it does not.
    pub fn place_by_guid(&self, store: &Store, mailbox: &str) -> Result<Option<Placement>, StoreError> {
        match store.mailbox_database_of(mailbox)? {
            Some(database) => self.place_guid(store, mailbox, database.as_deref()).map(Some),
            None => Ok(None),
        }
    }

    /// The server whose mounted database holds the mailbox `mailbox`, by
    /// its GUID (None: no such mailbox, or its database is not served).
    /// For routing only: unlike `place`, it opens no database here.
    pub fn server_of(&self, store: &Store, mailbox: &str) -> Result<Option<String>, StoreError> {
        let Some(Some(database)) = store.mailbox_database_of(mailbox)? else { return Ok(None) };
        let (db, moving) = self.database(store, &database, mailbox)?;
        Ok(db.filter(|d| d.mounted && !moving).map(|d| d.server_guid))
    }

    fn place_guid(&self, store: &Store, mailbox: &str, database: Option<&str>) -> Result<Placement, StoreError> {
        let Some(guid) = database else {
            return Ok(Placement::Unavailable("the mailbox is in no mailbox database".into()));
        };
        let (db, moving) = self.database(store, guid, mailbox)?;
        if moving {
            return Ok(Placement::Unavailable("the mailbox is being moved (New-MoveRequest)".into()));
        }
        Ok(match db {
            None => Placement::Unavailable(format!("its mailbox database {guid} no longer exists")),
            Some(d) if d.server_guid != self.inner.server_guid && d.mounted => {
                Placement::Elsewhere(OtherServer { guid: d.server_guid, name: d.server, database: d.name })
            }
            Some(d) if d.server_guid != self.inner.server_guid => {
                Placement::Unavailable(format!("its mailbox database {} on {} is dismounted", d.name, d.server))
            }
            Some(d) if !d.mounted => Placement::Unavailable(format!("its mailbox database {} is dismounted", d.name)),
            Some(d) => Placement::Here(self.home(&d.file_in(&self.inner.folder))),
        })
    }

    /// The database `guid` as the directory says now, and whether the
    /// mailbox `mailbox` is being moved.
    fn database(
        &self,
        store: &Store,
        guid: &str,
        mailbox: &str,
    ) -> Result<(Option<MailboxDatabase>, bool), StoreError> {
        let generation = self.inner.access.generation();
        let mut known = self.inner.known.lock().unwrap_or_else(|p| p.into_inner());
        if known.generation != Some(generation) || !known.by_guid.contains_key(guid) {
            known.by_guid = store.mailbox_databases()?.into_iter().map(|d| (d.guid.clone(), d)).collect();
            known.moving = store.mailboxes_moving()?.into_iter().collect();
            known.generation = Some(generation);
        }
        Ok((known.by_guid.get(guid).cloned(), known.moving.contains(mailbox)))
    }

    /// The database at `path` (its pool and watcher, made on first use and
    /// shared after). Blocking the first time (`open_home`).
    pub fn home(&self, path: &Path) -> Home {
        match self.open_home(path) {
            Ok(home) => home,
            Err(e) => {
                // Its calls will say why; the next look tries again.
                eprintln!("mailsh: mailbox database {}: {e}", path.display());
                let pool = self.pool(path);
                Home { pool, changed: Changes::unwatched() }
            }
        }
    }

    /// The home at `path`, made on first use: the file is created or
    /// migrated before its watcher opens it too (two connections of one
    /// process migrating at once would find it locked).
    fn open_home(&self, path: &Path) -> Result<Home, crate::store::mail::MailError> {
        let mut homes = self.inner.homes.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(h) = homes.get(path) {
            return Ok(h.clone());
        }
        // A database mounted since the service started may not have its
        // folder yet (New-MailboxDatabase's default is Mailbox/<name>/).
        if let Some(parent) = path.parent() {
            let _ = crate::store::private::create_dir_all(parent);
        }
        let pool = self.pool(path);
        pool.check()?;
        let home = Home { pool, changed: data_version::watch_mail(path) };
        homes.insert(path.to_path_buf(), home.clone());
        Ok(home)
    }

    fn pool(&self, path: &Path) -> MailPool {
        let pool = MailPool::for_file(path);
        match self.inner.summarizer {
            Some(s) => pool.summarized_by(s),
            None => pool,
        }
    }

    /// A home for a session not logged on yet: nothing is opened or
    /// watched, and nothing may be read through it.
    pub fn nowhere(&self) -> Home {
        Home { pool: MailPool::for_file(&self.inner.folder.join(".none")), changed: Changes::unwatched() }
    }

    /// The home that most mailboxes of this server are in (its first
    /// mounted database, as last read), if it was opened already: a
    /// logon tries it first, to find the mailbox and open it in one trip.
    pub fn likely(&self) -> Option<Home> {
        let known = self.inner.known.lock().unwrap_or_else(|p| p.into_inner());
        let mut here: Vec<&MailboxDatabase> =
            known.by_guid.values().filter(|d| d.mounted && d.server_guid == self.inner.server_guid).collect();
        here.sort_by_key(|d| d.created);
        let path = here.first()?.file_in(&self.inner.folder);
        drop(known);
        self.inner.homes.lock().unwrap_or_else(|p| p.into_inner()).get(&path).cloned()
    }

    /// What the mailbox `guid` holds, when its database is served here
    /// (quota checks at RCPT and MAIL); None otherwise, or when it cannot
    /// be read.
    pub async fn usage(&self, store: &StoreHandle, guid: &str) -> Option<Usage> {
        let (dbs, store, wanted) = (self.clone(), store.clone(), guid.to_string());
        let placed =
            tokio::task::spawn_blocking(move || store.with(|s| dbs.place_by_guid(s, &wanted))).await.ok()?.ok()??;
        let Placement::Here(home) = placed else { return None };
        let guid = guid.to_string();
        home.pool.run(move |db| db.mailbox_usage(&guid)).await.ok()
    }

    /// Opens (creating or migrating) every database this server serves,
    /// before the service reports that it listens: a bad file fails the
    /// start rather than the first logon.
    pub fn check(&self, store: &Store) -> Result<(), String> {
        for d in self.mounted_here(store).map_err(|e| e.to_string())? {
            let path = d.file_in(&self.inner.folder);
            // A file that would not open fails the start, with its reason.
            self.open_home(&path).map_err(|e| format!("mailbox database {}: {e}", d.name))?;
        }
        // Known from the start, so the first logon finds its home at once.
        self.database(store, "", "").map_err(|e| e.to_string())?;
        Ok(())
    }
}
