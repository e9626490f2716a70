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
}

pub type StoreResult<T> = Result<T, StoreError>;
