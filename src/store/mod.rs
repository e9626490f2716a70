//! The configuration store: the only module that speaks SQL. One SQLite file
//! (WAL, busy timeout) shared by every shell and every running service; or,
//! for the directory (the organization, mailboxes and their CAS settings,
//! the protocol settings, accepted domains, the transport settings, the
//! audit log), a PostgreSQL database shared by several servers (`pg`, selected by a `postgresql://` URL as the store).
//! One API, two implementations: each function matches on `Sql`; what is
//! not ported yet is refused on PostgreSQL by `Store::conn` / `Tx::sql`,
//! which name it (`StoreError::NotOnPostgres`).

pub mod audit;
pub mod cas_columns;
mod cells;
pub mod clock;
pub mod databases;
pub mod enums;
pub mod error;
pub mod groups;
pub mod header;
pub mod logons;
pub mod mail;
pub mod mailbox_columns;
pub mod mailbox_list;
pub mod mailboxes;
mod migrate;
pub mod move_requests;
pub mod owa;
pub mod password;
pub mod pg;
pub mod private;
pub mod protocol_settings;
pub mod queue;
pub mod role_groups;
mod schema;
pub mod send_connectors;
pub mod servers;
pub mod services;
pub mod tls_client;
pub mod tracking;
pub mod transport;
pub mod web;
pub mod web_sessions;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params, params_from_iter};

pub use cas_columns::{CAS_COLUMNS, CasColumn, CasField, cas_column};
pub use clock::now_unix;
pub use enums::*;
pub use error::{StoreError, StoreResult};
pub use mailbox_columns::{MAILBOX_COLUMNS, MailboxColumn, MailboxField, apply_order, mailbox_column};
pub use mailboxes::{CasSettings, Mailbox, NewMailbox, ProtocolOverrides, Quotas, storage_limit_status};
pub use protocol_settings::ProtocolSettings;

/// The server this store describes (Exchange's "this server").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    pub name: String,
    pub fqdn: String,
    pub domain: String,
    pub guid: String,
    pub created: i64,
}

/// What a store is created with on first use.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    /// Given (-ServerName, $MAILSH_SERVER), or None: the host's name.
    pub server_name: Option<String>,
    pub domain: Option<String>,
    /// The first server's roles (Setup's -Roles); None: both.
    pub roles: Option<servers::Roles>,
    /// The first server's address (Setup's -Address).
    pub address: Option<String>,
}

pub struct Store {
    db: Db,
    /// The file, or the PostgreSQL URL without its password.
    path: PathBuf,
    server: ServerInfo,
    batch: Option<Batch>,
    /// The file (or its folder) cannot be written by this account: reads
    /// work, every write is `StoreError::ReadOnly`.
    read_only: bool,
}

/// Where the store lives.
enum Db {
    Sqlite(Connection),
    /// Boxed: a client (with its runtime) is several times a connection's size.
    Postgres(Box<pg::Pg>),
}

/// The store's connection as its functions speak to it: each ported
/// function has one arm per backend.
#[derive(Clone, Copy)]
pub(in crate::store) enum Sql<'a> {
    Lite(&'a Connection),
    Pg(&'a pg::Pg),
}

impl Sql<'_> {
    /// Runs a statement written with PostgreSQL's placeholders (`$1`) on
    /// either backend (SQLite's `?1`); returns the rows changed. For
    /// statements whose text is the same on both but for placeholders.
    pub(in crate::store) fn run(self, sql: &str, params: Vec<SqlValue>) -> StoreResult<u64> {
        match self {
            Sql::Lite(conn) => {
                Ok(conn.prepare_cached(&sql.replace('$', "?"))?.execute(params_from_iter(params))? as u64)
            }
            Sql::Pg(pg) => pg.execute(sql, &params),
        }
    }

    /// Every row of a query written as for `run`, as the store's values.
    pub(in crate::store) fn rows(self, sql: &str, params: Vec<SqlValue>) -> StoreResult<Vec<Vec<SqlValue>>> {
        match self {
            Sql::Lite(conn) => {
                let mut stmt = conn.prepare_cached(&sql.replace('$', "?"))?;
                let n = stmt.column_count();
                let found = stmt.query_map(params_from_iter(params), |r| {
                    (0..n).map(|i| r.get::<_, SqlValue>(i)).collect::<Result<Vec<_>, _>>()
                })?;
                Ok(found.collect::<Result<_, _>>()?)
            }
            Sql::Pg(pg) => pg.query(sql, &params),
        }
    }
}

/// An open write transaction, as `Store::write` hands it to its caller.
/// Only the store's own functions reach its connection, so SQL stays in
/// the store: a caller can pass it on, never query through it.
pub struct Tx<'a> {
    db: Sql<'a>,
}

impl<'a> Tx<'a> {
    /// The SQLite connection, for what is not on PostgreSQL yet: `what`
    /// names it in the refusal.
    pub(in crate::store) fn sql(&self, what: &'static str) -> StoreResult<&'a Connection> {
        match self.db {
            Sql::Lite(conn) => Ok(conn),
            Sql::Pg(_) => Err(StoreError::not_on_postgres(what)),
        }
    }

    pub(in crate::store) fn any(&self) -> Sql<'a> {
        self.db
    }
}

/// A pipeline's writes grouped into larger transactions, each record in a
/// savepoint of its own; committed every few hundred records or a quarter
/// second, so other shells never wait long for the lock.
struct Batch {
    writes: usize,
    started: std::time::Instant,
}

const BATCH_WRITES: usize = 2000;
const BATCH_TIME: Duration = Duration::from_millis(250);

impl Store {
    /// Opens the store at `path`, creating it (and its folder) on first use.
    /// Folders it creates are 0700 and the file 0600, whatever the umask
    /// (`private`); an existing store is tightened.
    pub fn open_or_create(path: &Path, options: &CreateOptions) -> StoreResult<Store> {
        if let Some(url) = path.to_str().filter(|p| pg::is_url(p)) {
            return Self::open_pg(url, Some(options));
        }
        let open_err = |e: std::io::Error| StoreError::Open {
            path: path.display().to_string(),
            source: rusqlite::Error::InvalidPath(PathBuf::from(e.to_string())),
        };
        if !path.exists() {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                private::create_dir_all(dir).map_err(open_err)?;
            }
            // Before SQLite creates it: its -wal and -shm take its mode.
            private::touch(path).map_err(open_err)?;
        }
        Self::open(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE, Some(options))
    }

    /// Opens an existing store; the services use this and never create one.
    /// On PostgreSQL, for the server this process answers for
    /// (`answer_for`, else $MAILSH_SERVER).
    pub fn open_existing(path: &Path) -> StoreResult<Store> {
        if let Some(url) = path.to_str().filter(|p| pg::is_url(p)) {
            let named = named_server().or_else(|| std::env::var("MAILSH_SERVER").ok().filter(|s| !s.is_empty()));
            return Self::open_pg_as(url, None, named.as_deref());
        }
        Self::open(path, OpenFlags::SQLITE_OPEN_READ_WRITE, None)
    }

    /// The directory on PostgreSQL: migrated, and seeded with this server
    /// when it holds none (when `create` allows).
    fn open_pg(url: &str, create: Option<&CreateOptions>) -> StoreResult<Store> {
        Self::open_pg_as(url, create, create.and_then(|o| o.server_name.as_deref()))
    }

    /// The directory on PostgreSQL, answering for the server `named` (or
    /// its only one). An organization and server that exist, with their
    /// defaults made (every start but the first), are read in one round
    /// trip (`pg::start`); anything else goes the long way, which seeds and
    /// says what is wrong.
    fn open_pg_as(url: &str, create: Option<&CreateOptions>, named: Option<&str>) -> StoreResult<Store> {
        let pg = pg::Pg::connect(url)?;
        // A current directory (every start but the first after an upgrade)
        // is read in one statement; otherwise migrated, then read.
        let start = match pg::start::read_current(&pg, named, pg::schema::MIGRATIONS.len() as i64) {
            Some(start) => Some(start),
            None => {
                pg.migrate()?;
                pg::start::read(&pg, named)?
            }
        };
        if let Some(start) = start
            && let Some(this) = start.this
        {
            answer_for(&this.name);
            let path = PathBuf::from(pg.shown());
            let mut store = Store { db: Db::Postgres(Box::new(pg)), path, server: this, batch: None, read_only: false };
            if !start.defaults_made {
                store.ensure_server_defaults()?;
            }
            return Ok(store);
        }
        let mut store = Self::organization_on(pg, create)?;
        store.server = this_server(&store, named)?;
        store.ensure_server_defaults()?;
        Ok(store)
    }

    /// The directory at `path` as a shell opens it on its start, when that
    /// takes no more than reading: a directory on PostgreSQL, current,
    /// with this server in it and its defaults made. None otherwise (a
    /// SQLite store, a directory to create, migrate or complete): the
    /// shell's first `store()` then opens it as ever, and says why it
    /// cannot. Nothing is written.
    pub fn open_as_it_is(path: &Path, options: &CreateOptions) -> Option<Store> {
        let url = path.to_str().filter(|p| pg::is_url(p))?;
        let named = options.server_name.clone().or_else(named_server);
        let pg = pg::Pg::connect(url).ok()?;
        let start = pg::start::read_current(&pg, named.as_deref(), pg::schema::MIGRATIONS.len() as i64)?;
        // The server it answers for is said by the session that takes this
        // store (`answer_for`), not from this thread, which may finish
        // after the session moved on (Enter-PSSession, Setup.exe).
        let this = start.this.filter(|_| start.defaults_made)?;
        let path = PathBuf::from(pg.shown());
        Some(Store { db: Db::Postgres(Box::new(pg)), path, server: this, batch: None, read_only: false })
    }

    /// The directory on PostgreSQL as Setup opens it: migrated, and seeded
    /// with the server `create` names when it holds none; the server it
    /// answers for is the organization's first, whichever server this is.
    pub fn open_organization(url: &str, create: Option<&CreateOptions>) -> StoreResult<Store> {
        let pg = pg::Pg::connect(url)?;
        pg.migrate()?;
        Self::organization_on(pg, create)
    }

    fn organization_on(pg: pg::Pg, create: Option<&CreateOptions>) -> StoreResult<Store> {
        let server = match read_server(Sql::Pg(&pg))? {
            Some(s) => s,
            None => match create {
                Some(options) => seed_pg(&pg, options)?,
                None => {
                    return Err(StoreError::PgOpen {
                        url: pg.shown().to_string(),
                        reason: "it holds no server yet".into(),
                    });
                }
            },
        };
        let path = PathBuf::from(pg.shown());
        Ok(Store { db: Db::Postgres(Box::new(pg)), path, server, batch: None, read_only: false })
    }

    /// This server's first mailbox database and default receive
    /// connectors, made on the first open that finds them missing; a
    /// shell's every other start reads one row to know it.
    fn ensure_server_defaults(&mut self) -> StoreResult<()> {
        let found = self.any().rows(
            "SELECT first_database_made, transport_defaults_made FROM exchange_server WHERE guid = $1",
            vec![SqlValue::Text(self.server.guid.clone())],
        )?;
        let made = |i: usize| found.first().and_then(|r| r.get(i)).is_some_and(|v| matches!(v, SqlValue::Integer(1)));
        if !made(0) {
            self.ensure_first_database()?;
        }
        if !made(1) {
            self.ensure_transport_defaults()?;
        }
        Ok(())
    }

    /// Whether the store is a PostgreSQL directory.
    pub fn is_postgres(&self) -> bool {
        matches!(self.db, Db::Postgres(_))
    }

    fn open(path: &Path, flags: OpenFlags, create: Option<&CreateOptions>) -> StoreResult<Store> {
        let flags = flags | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        // SQLite opens a file it may not write read-only by itself; a
        // folder it may not write (no -wal, -shm) fails the first statement.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Self::init_read_only(conn, path);
        }
        match Self::init(conn, path, create) {
            Err(StoreError::Sqlite(e)) if cannot_write(&e) => {
                let conn = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
                Self::init_read_only(conn, path)
            }
            other => other,
        }
    }

    fn init(mut conn: Connection, path: &Path, create: Option<&CreateOptions>) -> StoreResult<Store> {
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn, path)?;
        let server = match read_server(Sql::Lite(&conn))? {
            Some(s) => s,
            None => {
                let options = create.cloned().unwrap_or_default();
                seed(&mut conn, path, &options)?
            }
        };
        let state_dir = state_dir_for(path);
        // Made here, 0700, before anything (a service, the REPL's history)
        // creates it with the umask's mode.
        let _ = private::create_dir_all(&state_dir);
        private::tighten(path, &state_dir);
        let mut store = Store { db: Db::Sqlite(conn), path: path.to_path_buf(), server, batch: None, read_only: false };
        store.ensure_transport_defaults()?;
        store.ensure_first_database()?;
        Ok(store)
    }

    /// A store this account may read but not write: Get- cmdlets work,
    /// writes are refused with `StoreError::ReadOnly`. Nothing is migrated
    /// or created, so the store must be current and seeded.
    ///
    /// Reading a WAL database takes its -shm index, which SQLite creates
    /// beside it; when the folder cannot be written either, the file is read
    /// as immutable: what the owner committed since the last checkpoint is
    /// not seen.
    fn init_read_only(mut conn: Connection, path: &Path) -> StoreResult<Store> {
        let not_ready = |reason: String| StoreError::ReadOnlyNotReady { path: path.display().to_string(), reason };
        conn.busy_timeout(Duration::from_secs(10))?;
        let mut version = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0));
        if let Err(e) = &version
            && cannot_write(e)
        {
            conn = Connection::open_with_flags(
                immutable_uri(path),
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
            version = conn.query_row("PRAGMA user_version", [], |r| r.get(0));
        }
        let version = version.map_err(|e| not_ready(e.to_string()))?;
        let known = schema::MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { path: path.display().to_string(), found: version, known });
        }
        if version < known {
            return Err(not_ready(format!("schema {version}, this build needs {known}")));
        }
        let server = read_server(Sql::Lite(&conn))?.ok_or_else(|| not_ready("it holds no server yet".into()))?;
        Ok(Store { db: Db::Sqlite(conn), path: path.to_path_buf(), server, batch: None, read_only: true })
    }

    /// Whether this account can only read the store.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn refuse_if_read_only(&self) -> StoreResult<()> {
        if self.read_only { Err(StoreError::ReadOnly { path: self.path.display().to_string() }) } else { Ok(()) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn server(&self) -> &ServerInfo {
        &self.server
    }

    /// The folder beside the store for what belongs to it: service state,
    /// the mailbox database, the certificate, logs, REPL history.
    pub fn state_dir(&self) -> PathBuf {
        state_dir_for(&self.path)
    }

    /// Runs `f` in one write transaction, taken up front (BEGIN IMMEDIATE on
    /// SQLite, the directory's write lock on PostgreSQL) so that concurrent
    /// shells wait for each other instead of failing. Inside a batch, `f`
    /// runs in a savepoint: a failure undoes that record only.
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> StoreResult<T>) -> StoreResult<T> {
        self.refuse_if_read_only()?;
        if self.batch.is_some() {
            self.batch_tick()?;
            let out = match &mut self.db {
                Db::Sqlite(conn) => {
                    let sp = conn.savepoint()?;
                    let out = f(&Tx { db: Sql::Lite(&sp) })?;
                    sp.commit()?;
                    out
                }
                Db::Postgres(pg) => {
                    pg.batch("SAVEPOINT record")?;
                    match f(&Tx { db: Sql::Pg(pg) }) {
                        Ok(out) => {
                            pg.batch("RELEASE SAVEPOINT record")?;
                            out
                        }
                        Err(e) => {
                            pg.batch("ROLLBACK TO SAVEPOINT record; RELEASE SAVEPOINT record")?;
                            return Err(e);
                        }
                    }
                }
            };
            if let Some(b) = self.batch.as_mut() {
                b.writes += 1;
            }
            return Ok(out);
        }
        match &mut self.db {
            Db::Sqlite(conn) => {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let out = f(&Tx { db: Sql::Lite(&tx) })?;
                tx.commit()?;
                Ok(out)
            }
            Db::Postgres(pg) => {
                pg.begin_change()?;
                let out = f(&Tx { db: Sql::Pg(pg) });
                pg.finish(out)
            }
        }
    }

    /// A write the services need not notice (what supervisors publish of
    /// their status): on PostgreSQL it takes the write lock but leaves the
    /// directory's change counter alone; on SQLite it is `write`.
    pub fn write_quietly<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> StoreResult<T>) -> StoreResult<T> {
        match &mut self.db {
            Db::Postgres(pg) if self.batch.is_none() => {
                pg.begin()?;
                let out = f(&Tx { db: Sql::Pg(pg) });
                pg.finish(out)
            }
            _ => self.write(f),
        }
    }

    /// Groups the following writes (one pipeline's) into larger transactions.
    pub fn begin_batch(&mut self) -> StoreResult<()> {
        self.refuse_if_read_only()?;
        if self.batch.is_none() {
            self.begin_write()?;
            self.batch = Some(Batch { writes: 0, started: std::time::Instant::now() });
        }
        Ok(())
    }

    /// Commits what the batch wrote.
    pub fn end_batch(&mut self) -> StoreResult<()> {
        if self.batch.take().is_some() {
            self.commit()?;
        }
        Ok(())
    }

    fn batch_tick(&mut self) -> StoreResult<()> {
        let due = self.batch.as_ref().is_some_and(|b| b.writes >= BATCH_WRITES || b.started.elapsed() >= BATCH_TIME);
        if due {
            self.commit()?;
            self.begin_write()?;
            self.batch = Some(Batch { writes: 0, started: std::time::Instant::now() });
        }
        Ok(())
    }

    fn begin_write(&self) -> StoreResult<()> {
        match &self.db {
            Db::Sqlite(conn) => Ok(conn.execute_batch("BEGIN IMMEDIATE")?),
            Db::Postgres(pg) => pg.begin_change(),
        }
    }

    fn commit(&self) -> StoreResult<()> {
        match &self.db {
            Db::Sqlite(conn) => Ok(conn.execute_batch("COMMIT")?),
            Db::Postgres(pg) => pg.batch("COMMIT"),
        }
    }

    /// Changes whenever any connection commits; the services poll it to
    /// notice an administrator's change without re-reading everything.
    /// On PostgreSQL, the directory's change counter, which every write
    /// transaction of every server bumps.
    pub fn data_version(&self) -> StoreResult<i64> {
        match &self.db {
            Db::Sqlite(conn) => Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?),
            Db::Postgres(pg) => pg.change_version(),
        }
    }

    pub(in crate::store) fn any(&self) -> Sql<'_> {
        match &self.db {
            Db::Sqlite(conn) => Sql::Lite(conn),
            Db::Postgres(pg) => Sql::Pg(pg),
        }
    }
}

/// `file:` URI of `path` with `immutable=1`, every byte outside the
/// unreserved set and `/` percent-encoded.
fn immutable_uri(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// SQLite's answers when the file or its folder cannot be written.
fn cannot_write(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied)
    )
}

/// This store's identity for its services: the server GUID written when the
/// store was created, and the file it lives in (device and inode). A copy
/// of the store (another file) has another id even though it holds the
/// same GUID; a store moved within its file system keeps its id; a new
/// store that happens to reuse a deleted one's inode has another GUID.
/// On PostgreSQL: the GUID Setup gave the server this process answers for
/// (its local folder is that server's, `state_dir_for`).
pub fn instance_id(path: &Path) -> StoreResult<String> {
    use std::os::unix::fs::MetadataExt;
    if let Some(url) = path.to_str().filter(|p| pg::is_url(p)) {
        // Asked for every service Get-Service lists: the directory is
        // opened once per process and server, not once per question.
        static KNOWN: std::sync::Mutex<Vec<(String, String, String)>> = std::sync::Mutex::new(Vec::new());
        let server = this_server_name();
        let mut known = KNOWN.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, _, id)) = known.iter().find(|(u, s, _)| u == url && *s == server) {
            return Ok(id.clone());
        }
        let id = format!("{}.pg", Store::open_existing(path)?.server().guid);
        known.push((url.to_string(), this_server_name(), id.clone()));
        return Ok(id);
    }
    let open_err = |source| StoreError::Open { path: path.display().to_string(), source };
    let meta =
        std::fs::metadata(path).map_err(|e| open_err(rusqlite::Error::InvalidPath(PathBuf::from(e.to_string()))))?;
    let read = |conn: Connection| conn.query_row("SELECT guid FROM server WHERE id = 1", [], |r| r.get::<_, String>(0));
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(open_err)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let guid = match read(conn) {
        Err(e) if cannot_write(&e) => read(
            Connection::open_with_flags(
                immutable_uri(path),
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(open_err)?,
        )?,
        other => other?,
    };
    Ok(format!("{guid}.{:x}.{:x}", meta.dev(), meta.ino()))
}

/// The REPL's history, in the store's folder.
pub fn history_path(store_path: &Path) -> PathBuf {
    state_dir_for(store_path).join("history.txt")
}

/// `<store>.d` beside the store file: services of two stores never mix.
/// An engine's SQLite set up for many connections on many threads: the
/// memory statistics SQLite keeps by default take one process-wide mutex
/// at every allocation, which every FETCH's row decoding then waits on
/// (docs/performance.md, "Fourth run"). Only possible before SQLite starts:
/// called first thing in an engine process; false when it had started.
pub fn configure_sqlite_for_engines() -> bool {
    // SAFETY: sqlite3_config takes SQLITE_CONFIG_MEMSTATUS with one int; it
    // is refused (SQLITE_MISUSE), not undefined, once SQLite has started,
    // and the engine calls it on its only thread, before any connection.
    let rc = unsafe { rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int) };
    rc == rusqlite::ffi::SQLITE_OK
}

/// The folder of what belongs to this server beside its store: service
/// state, the mailbox database, the queue, the certificate, logs. A SQLite
/// store's folder is `<store>.d`; a server whose directory is on PostgreSQL
/// keeps them locally in `$XDG_DATA_HOME/mailsh/<server>` (as Exchange keeps
/// a server's databases and logs on that server), named by the server this
/// process answers for (`this_server_name`).
pub fn state_dir_for(store_path: &Path) -> PathBuf {
    if store_path.to_str().is_some_and(pg::is_url) {
        return PathBuf::from(server_log_root(&this_server_name()));
    }
    let mut name = store_path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".d");
    store_path.with_file_name(name)
}

fn migrate(conn: &mut Connection, path: &Path) -> StoreResult<()> {
    migrate::apply(conn, schema::MIGRATIONS).map_err(|e| match e {
        migrate::MigrateError::TooNew { found, known } => {
            StoreError::TooNew { path: path.display().to_string(), found, known }
        }
        migrate::MigrateError::Sqlite(e) => StoreError::Sqlite(e),
    })
}

fn read_server(db: Sql<'_>) -> StoreResult<Option<ServerInfo>> {
    const SQL: &str = "SELECT name, fqdn, domain, guid, created FROM server WHERE id = 1";
    match db {
        Sql::Lite(conn) => Ok(conn
            .query_row(SQL, [], |r| {
                Ok(ServerInfo {
                    name: r.get(0)?,
                    fqdn: r.get(1)?,
                    domain: r.get(2)?,
                    guid: r.get(3)?,
                    created: r.get(4)?,
                })
            })
            .optional()?),
        Sql::Pg(pg) => {
            let Some(row) = pg.query(SQL, &[])?.into_iter().next() else { return Ok(None) };
            let mut it = row.into_iter();
            let mut text = || match it.next() {
                Some(SqlValue::Text(t)) => Ok(t),
                _ => Err(StoreError::Corrupt("the server record".into())),
            };
            let (name, fqdn, domain, guid) = (text()?, text()?, text()?, text()?);
            let created = match it.next() {
                Some(SqlValue::Integer(n)) => n,
                _ => return Err(StoreError::Corrupt("the server record".into())),
            };
            Ok(Some(ServerInfo { name, fqdn, domain, guid, created }))
        }
    }
}

/// The server this process answers for, as its command line named it
/// (-ServerName): set once by the host, read by every later opening.
/// Once the directory was opened, the server's own name (not the FQDN or
/// case the command line gave), so that every local path names it alike.
static THIS_SERVER: std::sync::RwLock<Option<String>> = std::sync::RwLock::new(None);

fn named_server() -> Option<String> {
    THIS_SERVER.read().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Says which server this process answers for (the shell's -ServerName).
pub fn answer_for(name: &str) {
    *THIS_SERVER.write().unwrap_or_else(|p| p.into_inner()) = Some(name.to_string());
}

/// The server this process answers for: as named (-ServerName,
/// $MAILSH_SERVER) or, unnamed, as the directory said when it was opened
/// (its only server); before any opening, this host's name as a new
/// server would take it.
pub fn this_server_name() -> String {
    named_server()
        .or_else(|| std::env::var("MAILSH_SERVER").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| new_server(&CreateOptions::default()).name)
}

/// The server a shell on a directory on PostgreSQL answers for: the one
/// `named` (-ServerName, $MAILSH_SERVER), which Setup must have added;
/// unnamed, the organization's only server (with several, it must be
/// named).
fn this_server(store: &Store, named: Option<&str>) -> StoreResult<ServerInfo> {
    let organization = store.server.clone();
    let refuse = |reason: String| StoreError::PgOpen { url: store.path.display().to_string(), reason };
    let server = match named {
        Some(name) => store.exchange_server(name)?.ok_or_else(|| {
            refuse(format!(
                "{name} is not a server of this organization; add it with `mailsh -Setup -Mode Install -Roles \
                 Mailbox,ClientAccess -ServerName {name} -Store <directory>`"
            ))
        })?,
        None => {
            let mut all = store.exchange_servers()?;
            if all.len() != 1 {
                return Err(refuse(format!(
                    "the organization has {} servers: name this one with -ServerName or $MAILSH_SERVER",
                    all.len()
                )));
            }
            all.remove(0)
        }
    };
    // What this process keeps locally is this server's (`state_dir_for`).
    answer_for(&server.name);
    Ok(ServerInfo {
        name: server.name,
        fqdn: server.fqdn,
        domain: organization.domain,
        guid: server.guid,
        created: server.created,
    })
}

/// This server as `CreateOptions` and the host name make it.
fn new_server(options: &CreateOptions) -> ServerInfo {
    let host = host_name();
    let name =
        options.server_name.clone().unwrap_or_else(|| host.split('.').next().unwrap_or("localhost").to_uppercase());
    let domain = options.domain.clone().unwrap_or_else(|| match host.split_once('.') {
        Some((_, d)) if d.contains('.') => d.to_lowercase(),
        _ => "mailsh.local".to_string(),
    });
    let fqdn = format!("{}.{}", name.to_lowercase(), domain);
    ServerInfo { name, fqdn, domain, guid: new_guid(), created: now_unix() }
}

/// The default folder of a server's logs when its directory is on
/// PostgreSQL (there is no store folder): `$XDG_DATA_HOME/mailsh/<server>`,
/// else `~/.local/share/mailsh/<server>`.
pub(in crate::store) fn server_log_root(name: &str) -> String {
    data_home().join("mailsh").join(name.to_lowercase()).display().to_string()
}

/// Where this process keeps what is local to its server on a directory:
/// the folder `use_data_home` set (the replayer's scratch folder), else
/// $XDG_DATA_HOME, else `~/.local/share`.
pub fn data_home() -> PathBuf {
    let set = DATA_HOME.read().unwrap_or_else(|p| p.into_inner()).clone();
    set.or_else(|| std::env::var_os("XDG_DATA_HOME").filter(|p| !p.is_empty()).map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."))
}

static DATA_HOME: std::sync::RwLock<Option<PathBuf>> = std::sync::RwLock::new(None);

/// Keeps this process's (and its services') local files under `folder`
/// rather than $XDG_DATA_HOME: the replayer gives each transcript on a
/// directory a scratch folder, as it gives it a scratch database.
pub fn use_data_home(folder: &Path) {
    *DATA_HOME.write().unwrap_or_else(|p| p.into_inner()) = Some(folder.to_path_buf());
}

/// The first server of a new directory on PostgreSQL, with its protocol
/// settings and its domain as the default accepted domain. Its logs'
/// default folder is local to the server, as Exchange's are:
/// `$XDG_DATA_HOME/mailsh/<server>` (else `~/.local/share/...`).
fn seed_pg(pg: &pg::Pg, options: &CreateOptions) -> StoreResult<ServerInfo> {
    let server = new_server(options);
    let log_root = server_log_root(&server.name);
    pg.begin_change()?;
    let done = (|| {
        if let Some(existing) = read_server(Sql::Pg(pg))? {
            return Ok(existing);
        }
        pg.execute(
            "INSERT INTO server (id, name, fqdn, domain, guid, created) VALUES (1, $1, $2, $3, $4, $5)",
            &[
                server.name.clone().into(),
                server.fqdn.clone().into(),
                server.domain.clone().into(),
                server.guid.clone().into(),
                server.created.into(),
            ],
        )?;
        let first = first_server(&server, options);
        servers::insert(Sql::Pg(pg), &first)?;
        owa::add_defaults(Sql::Pg(pg), &server.guid, &server.fqdn, server.created)?;
        let tx = Tx { db: Sql::Pg(pg) };
        transport::add_default_connectors(&tx, &server.name, &server.fqdn, &server.guid, first.roles, server.created)?;
        default_protocol_settings(Sql::Pg(pg), &server.guid, &server.fqdn, &log_root, server.created)?;
        let domain = transport::organization_domain(&server, server.created);
        transport::insert_domain(&Tx { db: Sql::Pg(pg) }, &domain)?;
        Ok(server.clone())
    })();
    pg.finish(done)
}

/// The organization's first server as Get-ExchangeServer lists it.
fn first_server(server: &ServerInfo, options: &CreateOptions) -> servers::ExchangeServer {
    servers::ExchangeServer {
        name: server.name.clone(),
        fqdn: server.fqdn.clone(),
        roles: options.roles.unwrap_or(servers::Roles::BOTH),
        guid: server.guid.clone(),
        created: server.created,
        address: options.address.clone(),
    }
}

fn seed(conn: &mut Connection, path: &Path, options: &CreateOptions) -> StoreResult<ServerInfo> {
    let server = new_server(options);
    let created = server.created;
    let log_root = state_dir_for(path).display().to_string();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(existing) = read_server(Sql::Lite(&tx))? {
        return Ok(existing);
    }
    tx.execute(
        "INSERT INTO server (id, name, fqdn, domain, guid, created) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
        params![server.name, server.fqdn, server.domain, server.guid, server.created],
    )?;
    servers::insert(Sql::Lite(&tx), &first_server(&server, options))?;
    default_protocol_settings(Sql::Lite(&tx), &server.guid, &server.fqdn, &log_root, created)?;
    tx.execute(
        "INSERT INTO owa_virtual_directory (name, internal_url, external_url, changed) VALUES ('owa (Default Web Site)', ?1, NULL, ?2)",
        params![format!("https://{}/owa", server.fqdn), created],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO ecp_virtual_directory (name, internal_url, external_url, changed) VALUES ('ecp (Default Web Site)', ?1, NULL, ?2)",
        params![format!("https://{}/ecp", server.fqdn), created],
    )?;
    tx.commit()?;
    Ok(server)
}

fn protocol_settings_write(
    db: Sql<'_>,
    server_guid: &str,
    settings: &ProtocolSettings,
    changed: i64,
) -> StoreResult<()> {
    let json = serde_json::to_string(settings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let name = settings.protocol.name();
    match db {
        Sql::Lite(tx) => {
            tx.execute(
                "INSERT INTO protocol_settings (server_guid, protocol, settings, changed) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(server_guid, protocol) DO UPDATE SET settings = excluded.settings, changed = excluded.changed",
                params![server_guid, name, json, changed],
            )?;
        }
        Sql::Pg(pg) => {
            pg.execute(
                "INSERT INTO protocol_settings (server_guid, protocol, settings, changed) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (server_guid, protocol) DO UPDATE SET settings = excluded.settings, changed = excluded.changed",
                &[server_guid.to_string().into(), name.to_string().into(), json.into(), changed.into()],
            )?;
        }
    }
    Ok(())
}

/// A new server's IMAP4 and POP3 settings: Exchange's defaults, its logs
/// under `log_root`.
pub(in crate::store) fn default_protocol_settings(
    db: Sql<'_>,
    server_guid: &str,
    fqdn: &str,
    log_root: &str,
    created: i64,
) -> StoreResult<()> {
    for protocol in [Protocol::Imap4, Protocol::Pop3] {
        let settings = ProtocolSettings::defaults(protocol, fqdn, log_root);
        protocol_settings_write(db, server_guid, &settings, created)?;
    }
    Ok(())
}

impl Store {
    /// This server's settings.
    pub fn protocol_settings(&self, protocol: Protocol) -> StoreResult<ProtocolSettings> {
        read_protocol_settings(self.any(), &self.server.guid, protocol)
    }

    /// The settings of the server whose GUID is `server_guid`.
    pub fn protocol_settings_of(&self, server_guid: &str, protocol: Protocol) -> StoreResult<ProtocolSettings> {
        read_protocol_settings(self.any(), server_guid, protocol)
    }

    /// The settings as the transaction sees them, to change and save.
    pub fn protocol_settings_for_update(
        tx: &Tx<'_>,
        server_guid: &str,
        protocol: Protocol,
    ) -> StoreResult<ProtocolSettings> {
        read_protocol_settings(tx.any(), server_guid, protocol)
    }

    /// When a server's protocol settings last changed (WhenChanged).
    pub fn protocol_settings_changed(&self, server_guid: &str, protocol: Protocol) -> StoreResult<i64> {
        let no_record = || StoreError::Corrupt(format!("{} settings: no record", protocol.name()));
        match self.any() {
            Sql::Lite(conn) => Ok(conn
                .query_row(
                    "SELECT changed FROM protocol_settings WHERE server_guid = ?1 AND protocol = ?2",
                    [server_guid, protocol.name()],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(no_record)?),
            Sql::Pg(pg) => {
                match one(pg.query(
                    "SELECT changed FROM protocol_settings WHERE server_guid = $1 AND protocol = $2",
                    &[server_guid.to_string().into(), protocol.name().to_string().into()],
                )?) {
                    Some(SqlValue::Integer(n)) => Ok(n),
                    _ => Err(no_record()),
                }
            }
        }
    }

    pub fn save_protocol_settings(tx: &Tx<'_>, server_guid: &str, settings: &ProtocolSettings) -> StoreResult<()> {
        protocol_settings_write(tx.any(), server_guid, settings, now_unix())
    }
}

/// The first column of the first row.
pub(in crate::store) fn one(rows: Vec<Vec<SqlValue>>) -> Option<SqlValue> {
    rows.into_iter().next().and_then(|r| r.into_iter().next())
}

fn read_protocol_settings(db: Sql<'_>, server_guid: &str, protocol: Protocol) -> StoreResult<ProtocolSettings> {
    let no_record = || StoreError::Corrupt(format!("{} settings: no record", protocol.name()));
    let json: String = match db {
        Sql::Lite(conn) => conn
            .query_row(
                "SELECT settings FROM protocol_settings WHERE server_guid = ?1 AND protocol = ?2",
                [server_guid, protocol.name()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(no_record)?,
        Sql::Pg(pg) => {
            match one(pg.query(
                "SELECT settings FROM protocol_settings WHERE server_guid = $1 AND protocol = $2",
                &[server_guid.to_string().into(), protocol.name().to_string().into()],
            )?) {
                Some(SqlValue::Text(t)) => t,
                _ => return Err(no_record()),
            }
        }
    };
    serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("{} settings: {e}", protocol.name())))
}

/// The machine's host name, as the first-run default server name.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

/// A random version-4 GUID in Exchange's lower-case 8-4-4-4-12 form.
pub fn new_guid() -> String {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

pub fn fill_random(buf: &mut [u8]) {
    use ring::rand::SecureRandom;
    use std::io::Read;
    // getrandom(2) first: one system call, where opening /dev/urandom costs
    // four (every logon draws two nonces).
    let ok = ring::rand::SystemRandom::new().fill(buf).is_ok()
        || std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(buf)).is_ok();
    if !ok {
        // No /dev/urandom: fall back on time and address entropy; GUIDs only
        // need to be unique, not secret.
        let seed =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
                ^ (buf.as_ptr() as u128);
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (seed >> ((i % 16) * 8)) as u8 ^ (i as u8).wrapping_mul(31);
        }
    }
}
