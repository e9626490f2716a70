//! The directory on PostgreSQL: the connection, its migrations, its write
//! transactions, and the conversion between the store's values (rusqlite's
//! `Value`, which the column tables produce and read) and PostgreSQL's types.
//!
//! One synchronous client per store (the `postgres` crate, which drives
//! tokio-postgres on a runtime of its own), with TLS as the URL's `sslmode`
//! and `sslrootcert` say (`tls.rs`).
//!
//! Writers are serialized as SQLite's `BEGIN IMMEDIATE` serializes them:
//! every write transaction first takes one transaction-scoped advisory lock,
//! so a cmdlet's read-modify-write inside `Store::write` always starts from
//! what the previous writer committed, whichever server it ran on. Readers
//! never wait. (SERIALIZABLE with retries would let writers of different rows
//! run at once, but `Store::write` runs a cmdlet's closure once, so a retry
//! would have to replay the cmdlet; see docs/architecture.md.)

pub mod audit;
pub mod mailboxes;
pub mod schema;
pub mod start;
mod tls;
pub mod transport;

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Statement};
use rusqlite::types::Value as SqlValue;

use super::{StoreError, StoreResult};

/// The advisory lock every write transaction takes ("mailsh" in ASCII).
const WRITE_LOCK: i64 = 0x6d61_696c_7368;

/// How long opening the directory may wait for the server.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether a `-Store` value names a PostgreSQL directory rather than a file.
pub fn is_url(store: &str) -> bool {
    let lower = store.get(..13).unwrap_or(store).to_ascii_lowercase();
    lower.starts_with("postgresql://") || lower.starts_with("postgres://")
}

/// The URL with its password replaced, as messages (and the services'
/// command lines) show it: in the user information and in a `password=`
/// parameter alike.
pub fn shown_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => p.to_string(),
                })
                .collect();
            format!("{path}?{}", params.join("&"))
        }
        None => tail.to_string(),
    };
    match authority.rsplit_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        _ => format!("{scheme}://{authority}{tail}"),
    }
}

/// One connection to the directory. Queries take `&self` (the store's reads
/// do), so the client is behind a `RefCell`: a store is used by one thread.
pub struct Pg {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    /// Statements run once without being prepared (see `query`).
    seen: RefCell<std::collections::HashSet<String>>,
    shown: String,
}

impl Pg {
    pub fn connect(url: &str) -> StoreResult<Pg> {
        let shown = shown_url(url);
        let open_err = |reason: String| StoreError::PgOpen { url: shown.clone(), reason };
        let (mut config, tls) = tls::prepare(url).map_err(open_err)?;
        config.connect_timeout(CONNECT_TIMEOUT);
        config.application_name("mailsh");
        let client = match tls {
            tls::Connector::Plain => config.connect(NoTls),
            tls::Connector::Tls(tls) => config.connect(tls),
        };
        let client = client.map_err(|e| open_err(reason(&e)))?;
        let (statements, seen) = (RefCell::new(HashMap::new()), RefCell::new(std::collections::HashSet::new()));
        Ok(Pg { client: RefCell::new(client), statements, seen, shown })
    }

    /// The URL without its password.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Applies the steps of `schema::MIGRATIONS` the directory has not seen,
    /// in one transaction under the write lock (PostgreSQL's DDL is
    /// transactional): two servers opening a new directory at once migrate
    /// it once, and a directory is never left half-migrated. A current
    /// directory is only read.
    pub fn migrate(&self) -> StoreResult<()> {
        let known = schema::MIGRATIONS.len() as i64;
        // The version read straight away (a new directory has no table yet):
        // the catalog's views cost a shell's every start more than a
        // statement that fails.
        let current = match self.version() {
            Ok(version) => Some(version),
            Err(StoreError::UndefinedTable) => None,
            Err(e) => return Err(e),
        };
        if let Some(version) = current {
            if version > known {
                return Err(StoreError::TooNew { path: self.shown.clone(), found: version, known });
            }
            if version == known {
                return Ok(());
            }
        }
        self.begin()?;
        let done = (|| {
            self.batch("CREATE TABLE IF NOT EXISTS mailsh_schema (version bigint NOT NULL)")?;
            // Another server may have migrated while we waited for the lock.
            let version = self.checked_version(known)?;
            for step in &schema::MIGRATIONS[version as usize..] {
                self.batch(step)?;
            }
            self.execute("DELETE FROM mailsh_schema", &[])?;
            self.execute("INSERT INTO mailsh_schema (version) VALUES ($1)", &[SqlValue::Integer(known)])?;
            Ok(())
        })();
        self.finish(done)
    }

    /// The directory's schema version, refused when a newer mailsh wrote it.
    fn checked_version(&self, known: i64) -> StoreResult<i64> {
        let version = self.version()?;
        if version > known {
            return Err(StoreError::TooNew { path: self.shown.clone(), found: version, known });
        }
        Ok(version)
    }

    /// The schema version of the directory in the current schema: a
    /// `mailsh_schema` found further along `search_path` is another
    /// directory's, and counts as none here.
    fn version(&self) -> StoreResult<i64> {
        let rows = self.query(
            // One lookup of the name in the current schema, where a scan of
            // pg_class for it cost a shell's start 0.6 ms more.
            "SELECT max(version), bool_and(tableoid = to_regclass(quote_ident(current_schema()) || '.mailsh_schema')) \
             FROM mailsh_schema",
            &[],
        )?;
        let row = rows.first();
        if row.and_then(|r| r.get(1)).is_some_and(|here| matches!(here, SqlValue::Integer(0))) {
            return Err(StoreError::UndefinedTable);
        }
        Ok(match row.and_then(|r| r.first()) {
            Some(SqlValue::Integer(n)) => *n,
            _ => 0,
        })
    }

    /// Starts a write transaction and waits for the directory's write lock.
    pub fn begin(&self) -> StoreResult<()> {
        self.batch(&format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"))
    }

    /// `begin`, and the directory's change counter bumped (in the same round
    /// trip): what the services of every server poll to notice the write
    /// once it commits (`Store::data_version`). Not for migrations, which
    /// may run before the counter exists.
    pub fn begin_change(&self) -> StoreResult<()> {
        self.batch(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK}); UPDATE directory_change SET version = version + 1"
        ))
    }

    /// The directory's change counter (see `begin_change`).
    pub fn change_version(&self) -> StoreResult<i64> {
        match self.query("SELECT version FROM directory_change WHERE id = 1", &[])?.first().and_then(|r| r.first()) {
            Some(SqlValue::Integer(n)) => Ok(*n),
            _ => Err(StoreError::Corrupt("the directory's change counter".into())),
        }
    }

    /// Commits when `out` is Ok, rolls back otherwise.
    pub fn finish<T>(&self, out: StoreResult<T>) -> StoreResult<T> {
        match out {
            Ok(v) => {
                self.batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                // A broken connection has nothing to roll back.
                let _ = self.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Statements without parameters, in one round trip.
    pub fn batch(&self, sql: &str) -> StoreResult<()> {
        self.client.borrow_mut().batch_execute(sql).map_err(pg_err)
    }

    pub fn execute(&self, sql: &str, params: &[SqlValue]) -> StoreResult<u64> {
        let stmt = self.prepare(sql)?;
        let args = bind(&stmt, params)?;
        let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
        self.client.borrow_mut().execute(&stmt, &refs).map_err(pg_err)
    }

    /// Every row, each as the store's values in column order.
    ///
    /// A statement's first run on this connection, when its parameters are
    /// all text, goes in one round trip with their types given
    /// (`query_typed`) rather than two (prepare, then execute): a shell's
    /// process runs most statements once. From its second run it is
    /// prepared and kept, as a service runs the same statements again and
    /// again.
    pub fn query(&self, sql: &str, params: &[SqlValue]) -> StoreResult<Vec<Vec<SqlValue>>> {
        let all_text = params.iter().all(|p| matches!(p, SqlValue::Text(_)));
        if all_text && !self.statements.borrow().contains_key(sql) && self.seen.borrow_mut().insert(sql.to_string()) {
            let texts: Vec<&str> =
                params.iter().map(|p| if let SqlValue::Text(t) = p { t.as_str() } else { "" }).collect();
            let typed: Vec<(&(dyn ToSql + Sync), Type)> =
                texts.iter().map(|t| (t as &(dyn ToSql + Sync), Type::TEXT)).collect();
            let rows = self.client.borrow_mut().query_typed(sql, &typed).map_err(pg_err)?;
            return rows.iter().map(row_values).collect();
        }
        let stmt = self.prepare(sql)?;
        let args = bind(&stmt, params)?;
        let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
        let rows = self.client.borrow_mut().query(&stmt, &refs).map_err(pg_err)?;
        rows.iter().map(row_values).collect()
    }

    /// Prepared once per connection, as rusqlite's `prepare_cached`.
    fn prepare(&self, sql: &str) -> StoreResult<Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.client.borrow_mut().prepare(sql).map_err(pg_err)?;
        self.statements.borrow_mut().insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }
}

/// The parameters as the statement's types want them: the column tables
/// write flags as integers, which a `boolean` column takes as a bool.
fn bind(stmt: &Statement, params: &[SqlValue]) -> StoreResult<Vec<Box<dyn ToSql + Sync>>> {
    let types = stmt.params();
    if types.len() != params.len() {
        return Err(StoreError::Corrupt(format!("{} parameters for {} placeholders", params.len(), types.len())));
    }
    types
        .iter()
        .zip(params)
        .map(|(ty, v)| -> StoreResult<Box<dyn ToSql + Sync>> {
            Ok(match (v, ty) {
                (SqlValue::Null, &Type::BOOL) => Box::new(None::<bool>),
                (SqlValue::Null, &Type::INT8) => Box::new(None::<i64>),
                (SqlValue::Null, &Type::INT4) => Box::new(None::<i32>),
                (SqlValue::Null, _) => Box::new(None::<String>),
                (SqlValue::Integer(n), &Type::BOOL) => Box::new(*n != 0),
                (SqlValue::Integer(n), &Type::INT4) => Box::new(i32::try_from(*n).map_err(|_| too_large(*n))?),
                (SqlValue::Integer(n), &Type::INT8) => Box::new(*n),
                (SqlValue::Integer(n), _) => Box::new(n.to_string()),
                (SqlValue::Text(t), _) => Box::new(t.clone()),
                (SqlValue::Real(f), _) => Box::new(*f),
                (SqlValue::Blob(b), _) => Box::new(b.clone()),
            })
        })
        .collect()
}

fn too_large(n: i64) -> StoreError {
    StoreError::Corrupt(format!("{n} does not fit a 32-bit column"))
}

/// A row as the store's values: booleans as 0/1, as SQLite keeps them.
fn row_values(row: &postgres::Row) -> StoreResult<Vec<SqlValue>> {
    let mut out = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let v = match *column.type_() {
            Type::BOOL => row.try_get::<_, Option<bool>>(i).map(|v| v.map(|b| SqlValue::Integer(b as i64))),
            Type::INT8 => row.try_get::<_, Option<i64>>(i).map(|v| v.map(SqlValue::Integer)),
            Type::INT4 => row.try_get::<_, Option<i32>>(i).map(|v| v.map(|n| SqlValue::Integer(n.into()))),
            Type::INT2 => row.try_get::<_, Option<i16>>(i).map(|v| v.map(|n| SqlValue::Integer(n.into()))),
            Type::FLOAT8 => row.try_get::<_, Option<f64>>(i).map(|v| v.map(SqlValue::Real)),
            Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i).map(|v| v.map(SqlValue::Blob)),
            _ => row.try_get::<_, Option<String>>(i).map(|v| v.map(SqlValue::Text)),
        }
        .map_err(pg_err)?;
        out.push(v.unwrap_or(SqlValue::Null));
    }
    Ok(out)
}

/// The server's own words when it sent some, else the client's.
fn reason(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        // The client's own error says what failed ("error performing TLS
        // handshake"), its source why (an unknown issuer).
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

pub fn pg_err(e: postgres::Error) -> StoreError {
    if e.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) {
        return StoreError::UndefinedTable;
    }
    let unique = e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION);
    match e.as_db_error().and_then(|d| d.constraint()) {
        Some(constraint) if unique => StoreError::Unique(constraint.to_string()),
        _ => StoreError::Postgres(reason(&e)),
    }
}

/// A new, empty database beside the one `url` names, on the same server
/// and as the same account (which needs CREATEDB): its URL. The replayer
/// runs each transcript in one, as it runs it in a scratch SQLite file.
pub fn create_scratch_database(url: &str, name: &str) -> StoreResult<String> {
    // A `dbname=` parameter would win over the path the scratch database's
    // name goes in: the transcripts would run in that database instead.
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    if query.split('&').any(|p| p.split('=').next().is_some_and(|k| k.eq_ignore_ascii_case("dbname"))) {
        return Err(StoreError::PgOpen {
            url: shown_url(url),
            reason:
                "name the server's database in the URL's path, not with dbname=: scratch databases are made beside it"
                    .into(),
        });
    }
    let admin = Pg::connect(url)?;
    admin.batch(&format!("CREATE DATABASE {name}"))?;
    with_database(url, name).ok_or_else(|| StoreError::PgOpen {
        url: shown_url(url),
        reason: "the URL names no database to put a scratch one beside".into(),
    })
}

/// Drops a database `create_scratch_database` made (`url` is the URL it
/// was made from).
pub fn drop_scratch_database(url: &str, name: &str) -> StoreResult<()> {
    Pg::connect(url)?.batch(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
}

/// `url` naming the database `name` instead of its own; None for a URL
/// without `scheme://`.
fn with_database(url: &str, name: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let (head, query) = match rest.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (rest, String::new()),
    };
    let authority = head.split_once('/').map(|(a, _)| a).unwrap_or(head);
    Some(format!("{scheme}://{authority}/{name}{query}"))
}

/// `$1, $2, ...` from `first`: PostgreSQL's placeholders for SQLite's `?N`.
pub fn placeholders(count: usize, first: usize) -> Vec<String> {
    (0..count).map(|i| format!("${}", first + i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths_and_shown_without_their_password() {
        assert!(is_url("postgresql://u@h/db") && is_url("POSTGRES://h") && !is_url("/var/lib/config.db"));
        assert!(!is_url("postgresql.db"));
        assert_eq!(shown_url("postgresql://admin:s3cret@db1:5432/dir"), "postgresql://admin:***@db1:5432/dir");
        assert_eq!(shown_url("postgresql://admin@db1/dir?x=1"), "postgresql://admin@db1/dir?x=1");
        assert_eq!(shown_url("postgresql:///dir?host=/run/pg"), "postgresql:///dir?host=/run/pg");
        assert_eq!(
            shown_url("postgresql://mailsh@db1/contoso?password=s3cret&sslmode=disable"),
            "postgresql://mailsh@db1/contoso?password=***&sslmode=disable"
        );
    }

    #[test]
    fn a_scratch_database_is_never_made_from_a_url_that_names_its_database_by_parameter() {
        let err = create_scratch_database("postgresql://u@127.0.0.1:1/postgres?dbname=prod", "x").unwrap_err();
        assert!(err.to_string().contains("not with dbname="), "{err}");
    }

    #[test]
    fn a_scratch_database_is_named_in_the_url_in_place_of_its_own() {
        assert_eq!(with_database("postgresql://u@h:5/postgres", "x").as_deref(), Some("postgresql://u@h:5/x"));
        assert_eq!(
            with_database("postgresql://u@h:5/postgres?sslmode=disable", "x").as_deref(),
            Some("postgresql://u@h:5/x?sslmode=disable")
        );
        assert_eq!(with_database("postgresql://u@h:5", "x").as_deref(), Some("postgresql://u@h:5/x"));
        assert_eq!(with_database("/var/lib/x.db", "x"), None);
    }

    #[test]
    fn every_column_of_the_column_tables_is_in_the_directory_schema() {
        let schema = schema::MIGRATIONS.join("\n");
        let columns = super::super::MAILBOX_COLUMNS
            .iter()
            .map(|c| c.column)
            .chain(super::super::CAS_COLUMNS.iter().map(|c| c.column));
        for column in columns {
            let declared =
                schema.contains(&format!("\n        {column} ")) || schema.contains(&format!("ADD COLUMN {column} "));
            assert!(declared, "{column} is not in the PostgreSQL schema");
        }
    }
}
