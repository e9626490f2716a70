use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("The configuration store '{path}' could not be opened: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("The configuration store is busy or unavailable: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("The configuration store holds a damaged record: {0}")]
    Corrupt(String),
    #[error(
        "The configuration store '{path}' was written by a newer mailsh (schema {found}, this build knows {known})."
    )]
    TooNew { path: String, found: i64, known: i64 },
    #[error("{0}")]
    Conflict(String),
    #[error("The configuration store '{path}' is read-only for this account: nothing was changed.")]
    ReadOnly { path: String },
    #[error(
        "The configuration store '{path}' is read-only for this account and must first be opened once by an account that can write it ({reason})."
    )]
    ReadOnlyNotReady { path: String, reason: String },
    #[error("The directory '{url}' could not be opened: {reason}")]
    PgOpen { url: String, reason: String },
    #[error("The directory (PostgreSQL) is busy or unavailable: {0}")]
    Postgres(String),
    /// A unique index refused a row (PostgreSQL names the index); the
    /// store's callers turn it into Exchange's message for the value.
    #[error("The directory already holds a record with this value ({0}).")]
    Unique(String),
    /// What the store keeps only in SQLite so far, asked of a PostgreSQL
    /// directory: `what` names it ("Receive connectors").
    #[error(
        "{what} are not yet available with the directory on PostgreSQL: there, mailsh manages the organization, mailboxes and their client access settings, the IMAP4 and POP3 settings and services, accepted domains, the transport settings and the admin audit log only. Use a SQLite store (-Store PATH) for the rest."
    )]
    NotOnPostgres { what: &'static str },
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// The refusal of `what` (plural, capitalized: "Receive connectors") on PostgreSQL.
    pub fn not_on_postgres(what: &'static str) -> StoreError {
        StoreError::NotOnPostgres { what }
    }
}
