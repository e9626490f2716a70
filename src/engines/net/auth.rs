//! Logins against the config store: find the mailbox, check the protocol is
//! enabled for it, verify the password. Argon2 costs ~20 ms of CPU, so it runs
//! in spawn_blocking, and a short-lived cache of verified credentials (as
//! Dovecot's auth cache) spares reconnecting clients the hash.
//!
//! Every refusal (unknown user, wrong password, protocol disabled, no
//! password set) is the same `Refused`: a client cannot tell them apart.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ring::hmac;

use crate::store::{Mailbox, Protocol, Store, StoreError, password};

/// How long a verified credential is trusted without hashing again.
const CACHE_TTL: Duration = Duration::from_secs(300);
const CACHE_MAX: usize = 10_000;

#[derive(Debug)]
pub enum LoginOutcome {
    Accepted(Box<Mailbox>),
    Refused,
    /// The store could not be read: the client gets "Server Unavailable".
    Unavailable(String),
}

pub struct Authenticator {
    /// The protocol whose per-mailbox switch (ImapEnabled, PopEnabled) a
    /// login needs; None for SMTP submission, which has none.
    protocol: Option<Protocol>,
    store_path: PathBuf,
    store: Arc<Mutex<Option<Store>>>,
    cache: Arc<CredentialCache>,
}

impl Authenticator {
    pub fn new(store_path: &Path, protocol: Protocol) -> Authenticator {
        Authenticator::for_protocol(store_path, Some(protocol))
    }

    /// Logins for SMTP submission (AUTH on Client Frontend): the password
    /// is all that is checked.
    pub fn for_submission(store_path: &Path) -> Authenticator {
        Authenticator::for_protocol(store_path, None)
    }

    fn for_protocol(store_path: &Path, protocol: Option<Protocol>) -> Authenticator {
        Authenticator {
            protocol,
            store_path: store_path.to_path_buf(),
            store: Arc::default(),
            cache: Arc::new(CredentialCache::new()),
        }
    }

    pub fn protocol(&self) -> Option<Protocol> {
        self.protocol
    }

    /// Runs `f` with the service's own store connection, off the async
    /// threads. The connection is opened on first use and reopened after an
    /// error.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.store.clone();
        let path = self.store_path.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
            if guard.is_none() {
                *guard = Some(Store::open_existing(&path)?);
            }
            let Some(s) = guard.as_ref() else {
                return Err(StoreError::Corrupt("the store connection vanished".into()));
            };
            let out = f(s);
            if out.is_err() {
                *guard = None;
            }
            out
        })
        .await;
        joined.unwrap_or_else(|e| Err(StoreError::Corrupt(format!("store task failed: {e}"))))
    }

    pub async fn login(&self, user: &str, password_text: &str) -> LoginOutcome {
        let user = user.to_string();
        let found = self.with_store(move |s| s.find_login(&user)).await;
        let mailbox = match found {
            Ok(m) => m,
            Err(e) => return LoginOutcome::Unavailable(e.to_string()),
        };
        let protocol = self.protocol;
        let cache = self.cache.clone();
        let password_text = password_text.to_string();
        let verdict = tokio::task::spawn_blocking(move || {
            let Some(m) = mailbox else {
                // Spend the same time as a real check so that timing does not
                // reveal which names exist.
                password::verify(&password_text, dummy_hash());
                return None;
            };
            let Some(phc) = m.password_hash.as_deref() else {
                password::verify(&password_text, dummy_hash());
                return None;
            };
            let ok = cache.check(&m.guid, phc, &password_text) || {
                let ok = password::verify(&password_text, phc);
                if ok {
                    cache.remember(&m.guid, phc, &password_text);
                }
                ok
            };
            (ok && protocol.is_none_or(|p| protocol_enabled(&m, p))).then_some(m)
        })
        .await;
        match verdict {
            Ok(Some(m)) => LoginOutcome::Accepted(Box::new(m)),
            Ok(None) => LoginOutcome::Refused,
            Err(e) => LoginOutcome::Unavailable(e.to_string()),
        }
    }

    /// Is the protocol still enabled for this mailbox? (Polled by sessions
    /// when the store changes.) A deleted mailbox is not allowed.
    pub async fn still_allowed(&self, guid: &str) -> Result<bool, StoreError> {
        let guid = guid.to_string();
        let protocol = self.protocol;
        self.with_store(move |s| {
            Ok(s.mailbox_by_guid(&guid)?.is_some_and(|m| protocol.is_none_or(|p| protocol_enabled(&m, p))))
        })
        .await
    }
}

pub fn protocol_enabled(m: &Mailbox, protocol: Protocol) -> bool {
    match protocol {
        Protocol::Imap4 => m.cas.imap_enabled,
        Protocol::Pop3 => m.cas.pop_enabled,
    }
}

/// A hash, made with the store's own parameters, of a random password
/// nobody knows: verifying against it costs what a real check costs.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut secret = [0u8; 24];
        crate::store::fill_random(&mut secret);
        let text: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        password::hash(&text).unwrap_or_default()
    })
}

/// Keys are HMACs (with a per-process random key) of mailbox GUID, stored
/// hash and password: the cache never holds a password, and a changed
/// password (new stored hash) can never match an old entry.
pub struct CredentialCache {
    key: hmac::Key,
    entries: Mutex<HashMap<Vec<u8>, Instant>>,
}

impl CredentialCache {
    pub fn new() -> CredentialCache {
        let mut secret = [0u8; 32];
        crate::store::fill_random(&mut secret);
        CredentialCache { key: hmac::Key::new(hmac::HMAC_SHA256, &secret), entries: Mutex::default() }
    }

    fn tag(&self, guid: &str, phc: &str, password: &str) -> Vec<u8> {
        let mut ctx = hmac::Context::with_key(&self.key);
        for part in [guid, phc, password] {
            ctx.update(&(part.len() as u64).to_be_bytes());
            ctx.update(part.as_bytes());
        }
        ctx.sign().as_ref().to_vec()
    }

    pub fn check(&self, guid: &str, phc: &str, password: &str) -> bool {
        let tag = self.tag(guid, phc, password);
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(&tag).is_some_and(|at| at.elapsed() < CACHE_TTL)
    }

    pub fn remember(&self, guid: &str, phc: &str, password: &str) {
        let tag = self.tag(guid, phc, password);
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= CACHE_MAX {
            entries.retain(|_, at| at.elapsed() < CACHE_TTL);
            if entries.len() >= CACHE_MAX {
                entries.clear();
            }
        }
        entries.insert(tag, Instant::now());
    }
}

impl Default for CredentialCache {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_matches_only_the_same_password_and_hash() {
        let c = CredentialCache::new();
        c.remember("g", "$h1", "pw");
        assert!(c.check("g", "$h1", "pw"));
        assert!(!c.check("g", "$h1", "pw2"));
        assert!(!c.check("g", "$h2", "pw"), "a changed password hash invalidates");
        assert!(!c.check("g2", "$h1", "pw"));
    }

    #[test]
    fn the_dummy_hash_parses_and_verifies_nothing() {
        assert!(dummy_hash().starts_with("$argon2id$"));
        assert!(!password::verify("", dummy_hash()));
    }
}
