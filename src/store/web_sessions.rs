//! The Exchange admin center's sign-in sessions, kept across restarts of
//! W3SVC: `<store>.d/ecp-sessions.db`. Each session is named by a key the
//! web engine derives from the cookie's token (a digest: the token itself
//! is never written, so a copy of this file signs nobody in), and holds
//! the signed-in mailbox, the form token, when it was last seen, and the
//! commands it ran (Show Command Logging).
//!
//! A file of its own, like `logons.db`, rather than a table of
//! `config.db`: the services watch `config.db` (`PRAGMA data_version`) to
//! notice an administrator's change, and a click in the admin center must
//! not make every service look again. WAL with `synchronous=NORMAL`: a
//! commit is not an fsync (a power cut may sign the last browsers out,
//! a crash of the service never does).
//!
//! Times are Unix milliseconds; the caller gives "now" and decides how long
//! a session may stay idle: this file only stores what it decides.

use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::mail::MailResult;

const MIGRATIONS: &[&str] = &[r#"
    CREATE TABLE session (
        key             TEXT PRIMARY KEY,
        mailbox_guid    TEXT NOT NULL,
        caller          TEXT NOT NULL,
        display_name    TEXT NOT NULL,
        csrf            TEXT NOT NULL,
        last_seen       INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX session_age ON session (last_seen);
    CREATE TABLE command (
        session_key     TEXT NOT NULL REFERENCES session(key) ON DELETE CASCADE,
        seq             INTEGER NOT NULL,
        started         INTEGER NOT NULL,
        line            TEXT NOT NULL,
        errors          TEXT NOT NULL,
        PRIMARY KEY (session_key, seq)
    ) WITHOUT ROWID;
    "#];

/// The sessions beside the config store at `store_path`.
pub fn web_sessions_path(store_path: &Path) -> PathBuf {
    super::state_dir_for(store_path).join("ecp-sessions.db")
}

/// One signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub mailbox_guid: String,
    /// The audit log's caller (`domain/Users/name`).
    pub caller: String,
    pub display_name: String,
    /// The token every form of the session carries.
    pub csrf: String,
    pub last_seen: i64,
}

/// A command a session ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCommand {
    pub started: i64,
    pub line: String,
    /// Empty when it succeeded.
    pub errors: Vec<String>,
}

pub struct WebSessions {
    conn: rusqlite::Connection,
}

impl WebSessions {
    pub fn open(path: &Path) -> MailResult<WebSessions> {
        let conn = super::mail::open_durable(path, MIGRATIONS)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(WebSessions { conn })
    }

    /// A new session; in the same transaction, the sessions last seen
    /// before `forget_before` (and their commands) are forgotten.
    pub fn insert(&mut self, key: &str, s: &StoredSession, forget_before: i64) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM session WHERE last_seen < ?1", [forget_before])?;
        tx.execute(
            "INSERT INTO session (key, mailbox_guid, caller, display_name, csrf, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![key, s.mailbox_guid, s.caller, s.display_name, s.csrf, s.last_seen],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn get(&self, key: &str) -> MailResult<Option<StoredSession>> {
        Ok(self
            .conn
            .prepare_cached("SELECT mailbox_guid, caller, display_name, csrf, last_seen FROM session WHERE key = ?1")?
            .query_row([key], |r| {
                Ok(StoredSession {
                    mailbox_guid: r.get(0)?,
                    caller: r.get(1)?,
                    display_name: r.get(2)?,
                    csrf: r.get(3)?,
                    last_seen: r.get(4)?,
                })
            })
            .optional()?)
    }

    /// The session was used at `now`.
    pub fn seen(&self, key: &str, now: i64) -> MailResult<()> {
        self.conn.prepare_cached("UPDATE session SET last_seen = ?2 WHERE key = ?1")?.execute(params![key, now])?;
        Ok(())
    }

    /// Signs the session out, with its commands.
    pub fn remove(&self, key: &str) -> MailResult<()> {
        self.conn.prepare_cached("DELETE FROM session WHERE key = ?1")?.execute([key])?;
        Ok(())
    }

    /// Adds a command to the session's log, keeping its newest `keep`.
    /// Nothing is written for a session that is gone.
    pub fn log_command(&mut self, key: &str, c: &StoredCommand, keep: u32) -> MailResult<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM session WHERE key = ?1)", [key], |r| r.get(0))?;
        if exists {
            let seq: i64 =
                tx.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM command WHERE session_key = ?1", [key], |r| {
                    r.get(0)
                })?;
            tx.execute(
                "INSERT INTO command (session_key, seq, started, line, errors) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![key, seq, c.started, c.line, c.errors.join("\n")],
            )?;
            tx.execute(
                "DELETE FROM command WHERE session_key = ?1 AND seq <= ?2",
                params![key, seq - i64::from(keep)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The session's commands, oldest first.
    pub fn commands(&self, key: &str) -> MailResult<Vec<StoredCommand>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT started, line, errors FROM command WHERE session_key = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([key], |r| {
            let errors: String = r.get(2)?;
            Ok(StoredCommand {
                started: r.get(0)?,
                line: r.get(1)?,
                errors: if errors.is_empty() { Vec::new() } else { errors.lines().map(str::to_string).collect() },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(last_seen: i64) -> StoredSession {
        StoredSession {
            mailbox_guid: "g".into(),
            caller: "contoso.com/Users/Administrator".into(),
            display_name: "Administrator".into(),
            csrf: "c".into(),
            last_seen,
        }
    }

    #[test]
    fn a_session_and_its_commands_outlive_the_connection_that_wrote_them() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ecp-sessions.db");
        let mut one = WebSessions::open(&path).expect("open");
        one.insert("k", &session(1_000), 0).expect("insert");
        for i in 0..4 {
            let c = StoredCommand { started: 1_000 + i, line: format!("Get-Mailbox {i}"), errors: vec![] };
            one.log_command("k", &c, 3).expect("logged");
        }
        let failed =
            StoredCommand { started: 2_000, line: "Set-Mailbox x".into(), errors: vec!["a".into(), "b".into()] };
        one.log_command("k", &failed, 3).expect("logged");
        one.log_command("gone", &failed, 3).expect("nothing to log to");
        one.seen("k", 5_000).expect("seen");
        drop(one);
        // As a restarted service sees it.
        let mut two = WebSessions::open(&path).expect("open again");
        assert_eq!(two.get("k").expect("read"), Some(session(5_000)));
        let lines: Vec<String> = two.commands("k").expect("read").into_iter().map(|c| c.line).collect();
        assert_eq!(lines, ["Get-Mailbox 2", "Get-Mailbox 3", "Set-Mailbox x"], "the newest three");
        assert_eq!(two.commands("k").expect("read")[2].errors, ["a", "b"]);
        assert!(two.commands("gone").expect("read").is_empty());
        // A new session forgets the idle ones, with their commands.
        two.insert("l", &session(9_000), 6_000).expect("insert");
        assert_eq!(two.get("k").expect("read"), None);
        assert!(two.commands("k").expect("read").is_empty());
        two.remove("l").expect("removed");
        assert_eq!(two.get("l").expect("read"), None);
    }
}
