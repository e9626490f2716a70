//! Sign-in sessions: a random token in a cookie (HttpOnly, Secure,
//! SameSite=Strict, scoped to /ecp) names a session held in the service's
//! memory, with its CSRF token and the commands it ran (Show Command
//! Logging). A session idle longer than the web site's timeout is gone;
//! a restart of the service signs everyone out.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use ring::rand::{SecureRandom, SystemRandom};

pub const SESSION_COOKIE: &str = "ecp_session";
/// The sign-in form's own CSRF token (double-submitted: cookie and field).
pub const SIGNIN_COOKIE: &str = "ecp_signin";

/// A command this session ran, for Show Command Logging.
#[derive(Debug, Clone)]
pub struct LoggedCommand {
    pub started: SystemTime,
    pub ended: SystemTime,
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
    pub last_seen: Instant,
    pub commands: Vec<LoggedCommand>,
}

/// At most this many commands are kept per session.
const LOGGED_MAX: usize = 500;

pub struct Sessions {
    timeout: Duration,
    by_token: Mutex<HashMap<String, Session>>,
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

impl Sessions {
    pub fn new(timeout: Duration) -> Sessions {
        Sessions { timeout, by_token: Mutex::new(HashMap::new()) }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.by_token.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new session; its token. Expired sessions are dropped on the way.
    pub fn begin(&self, guid: String, caller: String, display_name: String) -> Option<String> {
        let token = random_token()?;
        let csrf = random_token()?;
        let now = Instant::now();
        let mut table = self.table();
        table.retain(|_, s| now.duration_since(s.last_seen) < self.timeout);
        table.insert(token.clone(), Session { guid, caller, display_name, csrf, last_seen: now, commands: Vec::new() });
        Some(token)
    }

    /// The session, marked as seen now; `Err(true)` if it existed but had
    /// been idle too long (it is gone now), `Err(false)` if unknown.
    pub fn touch(&self, token: &str) -> Result<Session, bool> {
        let now = Instant::now();
        let mut table = self.table();
        let Some(s) = table.get_mut(token) else { return Err(false) };
        if now.duration_since(s.last_seen) >= self.timeout {
            table.remove(token);
            return Err(true);
        }
        s.last_seen = now;
        Ok(s.clone())
    }

    pub fn end(&self, token: &str) {
        self.table().remove(token);
    }

    pub fn log_command(&self, token: &str, command: LoggedCommand) {
        if let Some(s) = self.table().get_mut(token) {
            if s.commands.len() >= LOGGED_MAX {
                s.commands.remove(0);
            }
            s.commands.push(command);
        }
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
        let sessions = Sessions::new(Duration::from_millis(0));
        let token = sessions.begin("g".into(), "c".into(), "d".into()).unwrap();
        assert!(sessions.touch(&token).unwrap_err(), "idle past a zero timeout");
        assert!(!sessions.touch(&token).unwrap_err(), "and gone");
        let sessions = Sessions::new(Duration::from_secs(3600));
        let token = sessions.begin("g".into(), "c".into(), "d".into()).unwrap();
        let s = sessions.touch(&token).unwrap();
        assert_eq!(s.csrf.len(), 64);
        assert_ne!(s.csrf, token);
        sessions.end(&token);
        assert!(sessions.touch(&token).is_err());
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
