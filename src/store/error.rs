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
    /// A table the directory does not have (yet): a new directory's
    /// schema table before its first migration.
    #[error("The directory is missing one of mailsh's tables; it may have been made by another program.")]
    UndefinedTable,
    /// What mailsh does only with a SQLite store so far, asked of a
    /// PostgreSQL directory: `what` names it.
    #[error("Not yet available with the directory on PostgreSQL: {what}. A SQLite store (-Store PATH) has it.")]
    NotOnPostgres { what: &'static str },
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// The refusal of `what` on PostgreSQL.
    pub fn not_on_postgres(what: &'static str) -> StoreError {
        StoreError::NotOnPostgres { what }
    }
}
