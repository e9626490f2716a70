//! Versioned migrations, shared by the configuration store and the mailbox
//! database: the version lives in SQLite's `user_version`, each step runs in
//! one immediate transaction, so a file is never left half-migrated.

use rusqlite::{Connection, TransactionBehavior};

pub(crate) enum MigrateError {
    /// The file was written by a newer mailsh.
    TooNew {
        found: i64,
        known: i64,
    },
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> MigrateError {
        MigrateError::Sqlite(e)
    }
}

/// Applies the steps the file has not seen yet.
pub(crate) fn apply(conn: &mut Connection, steps: &[&str]) -> Result<(), MigrateError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = steps.len() as i64;
    if version > known {
        return Err(MigrateError::TooNew { found: version, known });
    }
    for (i, step) in steps.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now > i as i64 {
            continue;
        }
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
