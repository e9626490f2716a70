//! The record of failed logons, one per store, shared by every service that
//! checks passwords (IMAP4, POP3, SMTP AUTH) and kept across restarts:
//! `<store>.d/logons.db`. The logon throttle (`engines::net::throttle`)
//! reads it before each check and writes it after a failure; a success
//! writes only when there is something to clear or an address to remember.
//!
//! A file of its own rather than a table of `config.db` or `mail.db`: the
//! engines watch those two (`PRAGMA data_version`) to re-check open
//! sessions, and a failed logon must not make every session look again.
//! WAL with `synchronous=NORMAL`: a commit is not an fsync (the record may
//! lose its last failures to a power cut, never to a crash of a service).
//!
//! Times are Unix milliseconds; the caller gives "now", so the rules live
//! in one place (the throttle) and this file only stores what it decides.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::mail::MailResult;

const MIGRATIONS: &[&str] = &[r#"
    CREATE TABLE address (
        key             TEXT PRIMARY KEY,
        failures        INTEGER NOT NULL,
        last_failure    INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX address_age ON address (last_failure);
    CREATE TABLE account (
        key             TEXT PRIMARY KEY,
        failures        INTEGER NOT NULL,
        window_start    INTEGER NOT NULL,
        last_failure    INTEGER NOT NULL,
        locked_until    INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX account_age ON account (last_failure);
    CREATE TABLE familiar (
        account         TEXT NOT NULL,
        address         TEXT NOT NULL,
        at              INTEGER NOT NULL,
        PRIMARY KEY (account, address)
    ) WITHOUT ROWID;
    CREATE INDEX familiar_age ON familiar (at);
    "#];

/// The record beside the config store at `store_path`.
pub fn logons_path(store_path: &Path) -> PathBuf {
    super::state_dir_for(store_path).join("logons.db")
}

/// An address's failures (an IPv6 /64 is one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressRecord {
    pub failures: u32,
    pub last_failure: i64,
}

/// An account's failures from addresses it does not usually log on from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountRecord {
    pub failures: u32,
    /// When the current lockout window began.
    pub window_start: i64,
    pub last_failure: i64,
    pub locked_until: Option<i64>,
}

/// What the record says about one attempt: its address, its account, and
/// when the address last logged on to the account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub address: Option<AddressRecord>,
    pub account: Option<AccountRecord>,
    pub familiar_since: Option<i64>,
}

/// What to write. `None` fields are left as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Change {
    pub address: Option<AddressRecord>,
    /// `Some(None)` forgets the account's failures.
    pub account: Option<Option<AccountRecord>>,
    /// The address logged on to the account at this time.
    pub familiar_at: Option<i64>,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        *self == Change::default()
    }
}

/// How old a row must be to be forgotten, in milliseconds (the caller's
/// policy).
#[derive(Debug, Clone, Copy)]
pub struct Ages {
    pub address: i64,
    pub account: i64,
    pub familiar: i64,
}

pub struct LogonLedger {
    conn: Connection,
}

impl LogonLedger {
    pub fn open(path: &Path) -> MailResult<LogonLedger> {
        let conn = super::mail::open_durable(path, MIGRATIONS)?;
        // A crash of a service loses nothing; a power cut may lose the last
        // commits, which only shortens a pause.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(LogonLedger { conn })
    }

    /// A record in memory (unit tests of the throttle).
    pub fn in_memory() -> MailResult<LogonLedger> {
        let mut conn = Connection::open_in_memory()?;
        super::migrate::apply(&mut conn, MIGRATIONS).map_err(|e| match e {
            super::migrate::MigrateError::Sqlite(e) => e.into(),
            super::migrate::MigrateError::TooNew { found, known } => {
                super::mail::MailError::TooNew { path: ":memory:".into(), found, known }
            }
        })?;
        Ok(LogonLedger { conn })
    }

    /// What the record holds for the attempt (one read, no transaction).
    pub fn read(&self, address: &str, account: &str) -> MailResult<Snapshot> {
        read_all(&self.conn, address, account)
    }

    /// Reads and writes in one immediate transaction, so two services
    /// recording failures at once both count: `decide` sees the record as
    /// it is now and says what to write. Nothing is written when it says
    /// nothing.
    pub fn update(
        &mut self,
        address: &str,
        account: Option<&str>,
        decide: impl FnOnce(&Snapshot) -> Change,
    ) -> MailResult<Change> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let snapshot = match account {
            Some(account) => read_all(&tx, address, account)?,
            None => Snapshot { address: read_address(&tx, address)?, ..Snapshot::default() },
        };
        let change = decide(&snapshot);
        if change.is_empty() {
            return Ok(change);
        }
        if let Some(a) = change.address {
            tx.execute(
                "INSERT INTO address (key, failures, last_failure) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET failures = ?2, last_failure = ?3",
                params![address, a.failures, a.last_failure],
            )?;
        }
        if let Some(key) = account {
            match change.account {
                Some(Some(a)) => {
                    tx.execute(
                        "INSERT INTO account (key, failures, window_start, last_failure, locked_until)
                         VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT (key) DO UPDATE SET failures = ?2, window_start = ?3, last_failure = ?4,
                             locked_until = ?5",
                        params![key, a.failures, a.window_start, a.last_failure, a.locked_until],
                    )?;
                }
                Some(None) => {
                    tx.execute("DELETE FROM account WHERE key = ?1", [key])?;
                }
                None => {}
            }
            if let Some(at) = change.familiar_at {
                tx.execute(
                    "INSERT INTO familiar (account, address, at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (account, address) DO UPDATE SET at = ?3",
                    params![key, address, at],
                )?;
            }
        }
        tx.commit()?;
        Ok(change)
    }

    /// SQLite's count of commits by other connections (tests).
    #[cfg(test)]
    pub(crate) fn data_version(&self) -> MailResult<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Forgets what no longer counts: addresses and accounts whose last
    /// failure is older than their age (and no lockout running), familiar
    /// addresses older than theirs.
    pub fn prune(&mut self, now: i64, ages: Ages) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM address WHERE last_failure < ?1", [now - ages.address])?;
        tx.execute(
            "DELETE FROM account WHERE last_failure < ?1 AND (locked_until IS NULL OR locked_until <= ?2)",
            params![now - ages.account, now],
        )?;
        tx.execute("DELETE FROM familiar WHERE at < ?1", [now - ages.familiar])?;
        tx.commit()?;
        Ok(())
    }
}

fn read_address(conn: &Connection, address: &str) -> MailResult<Option<AddressRecord>> {
    Ok(conn
        .prepare_cached("SELECT failures, last_failure FROM address WHERE key = ?1")?
        .query_row([address], |r| Ok(AddressRecord { failures: r.get(0)?, last_failure: r.get(1)? }))
        .optional()?)
}

fn read_all(conn: &Connection, address: &str, account: &str) -> MailResult<Snapshot> {
    let account_row = conn
        .prepare_cached("SELECT failures, window_start, last_failure, locked_until FROM account WHERE key = ?1")?
        .query_row([account], |r| {
            Ok(AccountRecord {
                failures: r.get(0)?,
                window_start: r.get(1)?,
                last_failure: r.get(2)?,
                locked_until: r.get(3)?,
            })
        })
        .optional()?;
    let familiar_since = conn
        .prepare_cached("SELECT at FROM familiar WHERE account = ?1 AND address = ?2")?
        .query_row([account, address], |r| r.get(0))
        .optional()?;
    Ok(Snapshot { address: read_address(conn, address)?, account: account_row, familiar_since })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_connections_to_one_file_see_each_others_writes_and_nothing_is_written_for_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("logons.db");
        let mut one = LogonLedger::open(&path).expect("open");
        let two = LogonLedger::open(&path).expect("open again");
        let failure = AddressRecord { failures: 1, last_failure: 1_000 };
        one.update("192.0.2.1", Some("bob"), |s| {
            assert_eq!(*s, Snapshot::default());
            Change {
                address: Some(failure),
                account: Some(Some(AccountRecord {
                    failures: 1,
                    window_start: 1_000,
                    last_failure: 1_000,
                    locked_until: None,
                })),
                familiar_at: None,
            }
        })
        .expect("written");
        let seen = two.read("192.0.2.1", "bob").expect("read");
        assert_eq!(seen.address, Some(failure));
        assert_eq!(seen.account.map(|a| a.failures), Some(1));
        let version = |l: &LogonLedger| l.data_version();
        let before = version(&two).expect("version");
        one.update("192.0.2.1", Some("bob"), |_| Change::default()).expect("nothing");
        assert_eq!(version(&two).expect("version"), before, "an empty change writes nothing");
        one.update("192.0.2.1", Some("bob"), |_| Change {
            account: Some(None),
            familiar_at: Some(2_000),
            ..Change::default()
        })
        .expect("cleared");
        let seen = two.read("192.0.2.1", "bob").expect("read");
        assert_eq!((seen.account, seen.familiar_since), (None, Some(2_000)));
        one.prune(10_000, Ages { address: 5_000, account: 5_000, familiar: 5_000 }).expect("pruned");
        assert_eq!(two.read("192.0.2.1", "bob").expect("read"), Snapshot::default());
    }
}
