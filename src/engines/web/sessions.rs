//! Sign-in sessions: a random token in a cookie (HttpOnly, Secure,
//! SameSite=Strict, scoped to /ecp) names a session kept beside the store
//! (`store::web_sessions`, under a digest of the token), with its CSRF
//! token and the commands it ran (Show Command Logging). A session idle
//! longer than the web site's timeout is gone; a restart of W3SVC keeps
//! everyone signed in.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ring::digest::{SHA256, digest};
use ring::rand::{SecureRandom, SystemRandom};

use crate::store::mail::MailResult;
use crate::store::web_sessions::{StoredCommand, StoredSession, WebSessions, web_sessions_path};

pub const SESSION_COOKIE: &str = "ecp_session";
/// The sign-in form's own CSRF token (double-submitted: cookie and field).
pub const SIGNIN_COOKIE: &str = "ecp_signin";

/// A command this session ran, for Show Command Logging.
#[derive(Debug, Clone)]
pub struct LoggedCommand {
    pub started: SystemTime,
    pub line: String,
    /// Empty when it succeeded.
    pub errors: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Session {
    /// The signed-in mailbox.
    pub guid: String,
    /// The audit log's caller: `domain/Users/name`, as Exchange records it.
    pub caller: String,
    pub display_name: String,
    pub csrf: String,
}

/// Why a cookie's session was not found.
#[derive(Debug)]
pub enum NoSession {
    /// It was idle too long (and is gone now).
    Expired,
    Unknown,
    /// The sessions could not be read.
    Unavailable(String),
}

/// At most this many commands are kept per session.
const LOGGED_MAX: u32 = 500;

pub struct Sessions {
    timeout: Duration,
    kept: Mutex<WebSessions>,
}

/// 32 random bytes from the system's generator, as hex; None if it
/// failed (then no token is issued: a guessable one would be worse).
pub fn random_token() -> Option<String> {
    let mut bytes = [0u8; 32];
    SystemRandom::new().fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Equal in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What names a session in the file: the token's SHA-256, so that the
/// file holds nothing a browser could present.
fn key_of(token: &str) -> String {
    digest(&SHA256, token.as_bytes()).as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn millis(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Sessions {
    /// The sessions of the store at `store_path`.
    pub fn open(store_path: &Path, timeout: Duration) -> MailResult<Sessions> {
        Ok(Sessions { timeout, kept: Mutex::new(WebSessions::open(&web_sessions_path(store_path))?) })
    }

    /// The statements are short (no fsync: WAL, synchronous=NORMAL) and
    /// only this process writes the file, so they run under a lock on the
    /// caller's thread.
    fn kept(&self) -> std::sync::MutexGuard<'_, WebSessions> {
        self.kept.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn timeout_ms(&self) -> i64 {
        i64::try_from(self.timeout.as_millis()).unwrap_or(i64::MAX)
    }

    /// A new session; its token. Expired sessions are forgotten on the way.
    pub fn begin(&self, guid: String, caller: String, display_name: String) -> Result<String, String> {
        let (Some(token), Some(csrf)) = (random_token(), random_token()) else {
            return Err("no random token could be made".into());
        };
        let now = millis(SystemTime::now());
        let session = StoredSession { mailbox_guid: guid, caller, display_name, csrf, last_seen: now };
        self.kept()
            .insert(&key_of(&token), &session, now.saturating_sub(self.timeout_ms()))
            .map_err(|e| e.to_string())?;
        Ok(token)
    }

    /// The session, marked as seen now.
    pub fn touch(&self, token: &str) -> Result<Session, NoSession> {
        let key = key_of(token);
        let now = millis(SystemTime::now());
        let kept = self.kept();
        let unavailable = |e: crate::store::mail::MailError| NoSession::Unavailable(e.to_string());
        let Some(s) = kept.get(&key).map_err(unavailable)? else { return Err(NoSession::Unknown) };
        if now.saturating_sub(s.last_seen) >= self.timeout_ms() {
            kept.remove(&key).map_err(unavailable)?;
            return Err(NoSession::Expired);
        }
        kept.seen(&key, now).map_err(unavailable)?;
        Ok(Session { guid: s.mailbox_guid, caller: s.caller, display_name: s.display_name, csrf: s.csrf })
    }

    pub fn end(&self, token: &str) -> Result<(), String> {
        self.kept().remove(&key_of(token)).map_err(|e| e.to_string())
    }

    pub fn log_command(&self, token: &str, command: LoggedCommand) -> Result<(), String> {
        let stored = StoredCommand { started: millis(command.started), line: command.line, errors: command.errors };
        self.kept().log_command(&key_of(token), &stored, LOGGED_MAX).map_err(|e| e.to_string())
    }

    /// The session's commands, oldest first.
    pub fn commands(&self, token: &str) -> Result<Vec<LoggedCommand>, String> {
        let stored = self.kept().commands(&key_of(token)).map_err(|e| e.to_string())?;
        Ok(stored
            .into_iter()
            .map(|c| LoggedCommand {
                started: UNIX_EPOCH + Duration::from_millis(u64::try_from(c.started).unwrap_or(0)),
                line: c.line,
                errors: c.errors,
            })
            .collect())
    }
}

/// The value of the cookie `name` in a Cookie header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v.trim())
}

/// A Set-Cookie value for the EAC: never readable by scripts, never sent
/// over plain HTTP nor by another site's request.
pub fn set_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/ecp; Secure; HttpOnly; SameSite=Strict")
}

pub fn clear_cookie(name: &str) -> String {
    format!("{name}=; Path=/ecp; Secure; HttpOnly; SameSite=Strict; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idle_session_expires_and_a_used_one_does_not() {
        let dir = tempfile::tempdir().expect("dir");
        let store = dir.path().join("config.db");
        let sessions = Sessions::open(&store, Duration::from_millis(0)).unwrap();
        let token = sessions.begin("g".into(), "c".into(), "d".into()).unwrap();
        assert!(matches!(sessions.touch(&token), Err(NoSession::Expired)), "idle past a zero timeout");
        assert!(matches!(sessions.touch(&token), Err(NoSession::Unknown)), "and gone");
        let sessions = Sessions::open(&store, Duration::from_secs(3600)).unwrap();
        let token = sessions.begin("g".into(), "c".into(), "d".into()).unwrap();
        let s = sessions.touch(&token).unwrap();
        assert_eq!(s.csrf.len(), 64);
        assert_ne!(s.csrf, token);
        sessions.end(&token).unwrap();
        assert!(sessions.touch(&token).is_err());
    }

    #[test]
    fn a_session_outlives_the_service_and_the_file_holds_no_token() {
        let dir = tempfile::tempdir().expect("dir");
        let store = dir.path().join("config.db");
        let token = {
            let before = Sessions::open(&store, Duration::from_secs(3600)).unwrap();
            let token = before.begin("g".into(), "c".into(), "d".into()).unwrap();
            let line = "Set-CASMailbox -Identity 'g' -ImapEnabled $false".to_string();
            before.log_command(&token, LoggedCommand { started: SystemTime::now(), line, errors: vec![] }).unwrap();
            token
        };
        // A restarted service opens the same file.
        let after = Sessions::open(&store, Duration::from_secs(3600)).unwrap();
        assert_eq!(after.touch(&token).unwrap().caller, "c");
        assert_eq!(after.commands(&token).unwrap()[0].line, "Set-CASMailbox -Identity 'g' -ImapEnabled $false");
        let file = std::fs::read(web_sessions_path(&store)).unwrap();
        let wal = std::fs::read(web_sessions_path(&store).with_extension("db-wal")).unwrap_or_default();
        for bytes in [file, wal] {
            assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()), "the token is not written");
        }
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let h = "a=1; ecp_session=abc ; ecp_session2=x";
        assert_eq!(cookie(h, "ecp_session"), Some("abc"));
        assert_eq!(cookie(h, "b"), None);
        assert!(same_token("abc", "abc") && !same_token("abc", "abd") && !same_token("abc", "ab"));
        assert_eq!(set_cookie("n", "v"), "n=v; Path=/ecp; Secure; HttpOnly; SameSite=Strict");
    }
}
