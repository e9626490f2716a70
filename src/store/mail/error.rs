use thiserror::Error;

#[derive(Debug, Error)]
pub enum MailError {
    #[error("The mailbox database '{path}' could not be opened: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("The mailbox database is busy or unavailable: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("The mailbox database '{path}' was written by a newer mailsh (schema {found}, this build knows {known}).")]
    TooNew { path: String, found: i64, known: i64 },
    #[error("The folder does not exist.")]
    NoSuchFolder,
    #[error("The folder already exists.")]
    FolderExists,
    #[error("This folder cannot be deleted or renamed.")]
    ProtectedFolder,
    #[error("The folder has subfolders; delete them first.")]
    HasChildren,
    #[error("The mailbox database task failed: {0}")]
    Task(String),
    #[error("The folder name is not valid.")]
    BadFolderName,
    /// Some of the messages a command names were expunged by another
    /// session (RFC 5530 EXPUNGEISSUED); nothing was changed.
    #[error("Some of the requested messages no longer exist.")]
    Expunged,
    /// The change would take the mailbox past its quota.
    #[error("The mailbox is full.")]
    OverQuota,
    #[error("The mailbox has used every UIDVALIDITY value.")]
    UidValidityExhausted,
}

pub type MailResult<T> = Result<T, MailError>;
