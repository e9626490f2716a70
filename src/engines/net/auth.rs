//! Logins against the config store: find the mailbox, check the protocol is
//! enabled for it, verify the password. Every logon of every listener goes
//! through [`Authenticator::login`], so the same rules hold everywhere:
//!
//! - a client's attempt first waits its turn and its pause (`throttle`:
//!   per address and per account, charged before the check, so an answer
//!   costs the same wait whether the password was right or wrong);
//! - the password is checked on the bounded pool (`verify_pool`), or found
//!   in a short-lived cache of verified credentials (as Dovecot's auth
//!   cache) that spares reconnecting clients the hash;
//! - what cannot be queued is `Busy`, which each protocol answers with its
//!   temporary failure.
//!
//! Every refusal (unknown user, wrong password, protocol disabled, no
//! password set, account locked out) is the same `Refused`: a client cannot
//! tell them apart.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ring::hmac;

use super::mail_databases::{Home, MailDatabases, Placement};
use super::throttle::{Held, Lockout, Policy, Throttle};
use super::verify_pool::VerifyPool;
use crate::store::logons::logons_path;
use crate::store::mail::{MailDb, MailError, MailResult};
use crate::store::{Mailbox, Protocol, Store, StoreError};

/// How long a verified credential is trusted without hashing again.
const CACHE_TTL: Duration = Duration::from_secs(300);
const CACHE_MAX: usize = 10_000;

#[derive(Debug)]
pub enum LoginOutcome {
    Accepted(Box<Mailbox>),
    Refused,
    /// Too many logons are waiting to be checked: nothing was checked; the
    /// client gets the protocol's temporary failure and may try again.
    Busy,
    /// The store could not be read: the client gets "Server Unavailable".
    Unavailable(String),
}

/// Why a back end did not log its front end's client on.
#[derive(Debug)]
pub enum FrontEndRefusal {
    Logon(LoginOutcome),
    /// The mailbox database could not be read.
    Mail(MailError),
    /// The credentials are good but the mailbox's database is not served
    /// here (dismounted, on another server): Exchange's "User is
    /// authenticated but not connected." The words are for the log.
    NotConnected(String),
}

/// What the back end's logon found in its first trip.
enum Found<T, F> {
    Opened(Mailbox, Home, T),
    /// In a database of this server other than the one tried first.
    Elsewhere(Mailbox, Home, F),
    NotHere(Mailbox, String),
    Refused(LoginOutcome),
}

/// Who offers the credentials. (A back end's front end, proven by the
/// back-end handshake, logs on with [`Authenticator::front_end_login`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// A client at this address: throttled.
    Client(IpAddr),
}

pub struct Authenticator {
    /// The protocol whose per-mailbox switch (ImapEnabled, PopEnabled) a
    /// login needs; None for SMTP submission, which has none.
    protocol: Option<Protocol>,
    store: StoreHandle,
    cache: Arc<CredentialCache>,
    throttle: Arc<Throttle>,
    pool: VerifyPool,
    /// When "too busy" was last written to the service log (seconds since
    /// the process started), so an attack writes one line a minute.
    busy_logged: AtomicU64,
    started: Instant,
    /// The service its log lines name when no protocol does (SMTP, W3SVC).
    label: &'static str,
}

impl Authenticator {
    pub fn new(store_path: &Path, protocol: Protocol) -> Authenticator {
        Authenticator::with_parts(
            store_path,
            Some(protocol),
            store_throttle(store_path),
            VerifyPool::sized_to_the_cores(),
        )
    }

    /// Logins for SMTP submission (AUTH on Client Frontend): the password
    /// is all that is checked (no per-mailbox switch), with the same
    /// throttle and bounded pool as IMAP4 and POP3.
    pub fn for_submission(store_path: &Path) -> Authenticator {
        Authenticator::with_parts(store_path, None, store_throttle(store_path), VerifyPool::sized_to_the_cores())
    }

    pub fn with_parts(
        store_path: &Path,
        protocol: Option<Protocol>,
        throttle: Throttle,
        pool: VerifyPool,
    ) -> Authenticator {
        Authenticator {
            protocol,
            store: StoreHandle::new(store_path.to_path_buf()),
            cache: Arc::new(CredentialCache::new()),
            throttle: Arc::new(throttle),
            pool,
            busy_logged: AtomicU64::new(u64::MAX),
            started: Instant::now(),
            label: "SMTP",
        }
    }

    /// The service named in the log lines of a login without a protocol.
    pub fn named(mut self, label: &'static str) -> Authenticator {
        self.label = label;
        self
    }

    pub fn protocol(&self) -> Option<Protocol> {
        self.protocol
    }

    /// How many passwords are checked at once at most.
    pub fn workers(&self) -> usize {
        self.pool.workers()
    }

    /// Runs `f` with the service's own store connection, off the async
    /// threads. The connection is opened on first use and reopened after an
    /// error.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.store.clone();
        let joined = tokio::task::spawn_blocking(move || store.with(f)).await;
        joined.unwrap_or_else(|e| Err(StoreError::Corrupt(format!("store task failed: {e}"))))
    }

    /// The service's store connection, for code already off the async
    /// threads (the delivery task's lookups inside a mailbox database
    /// transaction).
    pub fn store_handle(&self) -> StoreHandle {
        self.store.clone()
    }

    pub async fn login(&self, caller: Caller, user: &str, password: &str) -> LoginOutcome {
        let Caller::Client(ip) = caller;
        let mut attempt = match self.throttle.begin(ip) {
            Ok(a) => a,
            Err(held) => return self.held(held),
        };
        // One trip off the async threads: the mailbox, and the logon
        // record of the account it names.
        let name = user.to_string();
        let reader = attempt.reader();
        let store = self.store.clone();
        let looked_up = tokio::task::spawn_blocking(move || {
            let mailbox = store.with(|s| s.find_login(&name))?;
            let key = account_key(mailbox.as_ref(), &name);
            Ok::<_, StoreError>((mailbox, reader.read(&key), key))
        })
        .await
        .unwrap_or_else(|e| Err(StoreError::Corrupt(format!("store task failed: {e}"))));
        let (mailbox, seen, key) = match looked_up {
            Ok(found) => found,
            Err(e) => return LoginOutcome::Unavailable(e.to_string()),
        };
        match attempt.account_seen(&key, seen).await {
            Err(held) => return self.held(held),
            Ok(Err(_locked)) => {
                self.record(attempt.failed().await, user, caller);
                return LoginOutcome::Refused;
            }
            Ok(Ok(())) => {}
        }
        let right = match self.check(mailbox.as_ref(), password).await {
            Ok(right) => right,
            Err(()) => return self.busy(),
        };
        let Some(m) = mailbox.filter(|_| right) else {
            self.record(attempt.failed().await, user, caller);
            return LoginOutcome::Refused;
        };
        if let Err(Held::Unavailable(e)) = attempt.succeeded().await {
            self.log(&format!("a logon was not recorded: {e}"));
        }
        if self.protocol.is_none_or(|p| protocol_enabled(&m, p)) {
            LoginOutcome::Accepted(Box::new(m))
        } else {
            LoginOutcome::Refused
        }
    }

    /// The back end's log-on for its front end, which has checked the
    /// throttle and the password already: the mailbox is looked up, placed
    /// in its database (`MailDatabases::place`) and `open` run there (what
    /// the session starts with), in one trip off the async threads when
    /// the mailbox is in this server's usual database, in two otherwise.
    /// Then the password is checked against the stored hash (found in the
    /// cache, normally) and the protocol switch; only then is a mailbox
    /// whose database is not served here told so (`NotConnected`), so the
    /// answer to a wrong password never says where a mailbox is. What
    /// `open` made is dropped when the logon is refused.
    pub async fn front_end_login<T, F>(
        &self,
        databases: &MailDatabases,
        user: &str,
        password: &str,
        open: F,
    ) -> Result<(Box<Mailbox>, Home, T), FrontEndRefusal>
    where
        T: Send + 'static,
        F: FnOnce(&mut MailDb, &Mailbox) -> MailResult<T> + Send + 'static,
    {
        let store = self.store.clone();
        let (name, dbs) = (user.to_string(), databases.clone());
        let likely = databases.likely();
        let likely_path = likely.as_ref().map(|h| h.pool.path().to_path_buf());
        // Looks the mailbox up and places it; opens it when `db` is its
        // database's connection.
        let find = move |db: Option<&mut MailDb>| -> MailResult<Found<T, F>> {
            let mailbox = match store.with(|s| s.find_login(&name)) {
                Ok(Some(m)) => m,
                Ok(None) => return Ok(Found::Refused(LoginOutcome::Refused)),
                Err(e) => return Ok(Found::Refused(LoginOutcome::Unavailable(e.to_string()))),
            };
            let placed = match store.with(|s| dbs.place(s, &mailbox)) {
                Ok(p) => p,
                Err(e) => return Ok(Found::Refused(LoginOutcome::Unavailable(e.to_string()))),
            };
            match (placed, db) {
                (Placement::Here(home), Some(db)) if Some(home.pool.path()) == likely_path.as_deref() => {
                    let opened = open(db, &mailbox)?;
                    Ok(Found::Opened(mailbox, home, opened))
                }
                (Placement::Here(home), _) => Ok(Found::Elsewhere(mailbox, home, open)),
                (elsewhere, _) => Ok(Found::NotHere(mailbox, elsewhere.not_here().unwrap_or_default())),
            }
        };
        let found = match likely {
            Some(home) => home.pool.run(move |db| find(Some(db))).await,
            None => tokio::task::spawn_blocking(move || find(None))
                .await
                .unwrap_or_else(|e| Err(MailError::Task(e.to_string()))),
        }
        .map_err(FrontEndRefusal::Mail)?;
        let (mailbox, placed) = match found {
            Found::Opened(m, home, opened) => (m, Ok((home, opened))),
            Found::Elsewhere(m, home, open) => {
                let guid_mailbox = m.clone();
                let opened = home.pool.run(move |db| open(db, &guid_mailbox)).await.map_err(FrontEndRefusal::Mail)?;
                (m, Ok((home, opened)))
            }
            Found::NotHere(m, why) => (m, Err(why)),
            Found::Refused(outcome) => return Err(FrontEndRefusal::Logon(outcome)),
        };
        match self.check(Some(&mailbox), password).await {
            Err(()) => Err(FrontEndRefusal::Logon(self.busy())),
            Ok(false) => Err(FrontEndRefusal::Logon(LoginOutcome::Refused)),
            Ok(true) if self.protocol.is_none_or(|p| protocol_enabled(&mailbox, p)) => match placed {
                Ok((home, opened)) => Ok((Box::new(mailbox), home, opened)),
                Err(why) => Err(FrontEndRefusal::NotConnected(why)),
            },
            Ok(true) => Err(FrontEndRefusal::Logon(LoginOutcome::Refused)),
        }
    }

    /// A failure's outcome in the service log: the lockout it began, or
    /// the record that could not be written (the refusal stands).
    fn record(&self, recorded: Result<Option<Lockout>, Held>, user: &str, caller: Caller) {
        match recorded {
            Ok(Some(lockout)) => self.log(&lockout_line(user, &lockout, caller)),
            Ok(None) | Err(Held::Busy) => {}
            Err(Held::Unavailable(e)) => self.log(&format!("a failed logon was not recorded: {e}")),
        }
    }

    fn held(&self, held: Held) -> LoginOutcome {
        match held {
            Held::Busy => self.busy(),
            Held::Unavailable(e) => LoginOutcome::Unavailable(e),
        }
    }

    /// The password against the mailbox's hash: the cache, else the pool.
    /// `Err`: the pool is full.
    async fn check(&self, mailbox: Option<&Mailbox>, password: &str) -> Result<bool, ()> {
        let target = mailbox.and_then(|m| m.password_hash.as_deref().map(|phc| (m.guid.as_str(), phc)));
        if let Some((guid, phc)) = target
            && self.cache.check(guid, phc, password)
        {
            return Ok(true);
        }
        let right = self.pool.verify(password, target.map(|(_, phc)| phc.to_string())).await.map_err(|_| ())?;
        if right && let Some((guid, phc)) = target {
            self.cache.remember(guid, phc, password);
        }
        Ok(right)
    }

    fn busy(&self) -> LoginOutcome {
        let now = self.started.elapsed().as_secs();
        let last = self.busy_logged.load(Ordering::Relaxed);
        if (last == u64::MAX || now >= last + 60)
            && self.busy_logged.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            self.log("logons are arriving faster than they can be checked; the ones beyond the queue get a temporary failure");
        }
        LoginOutcome::Busy
    }

    fn log(&self, text: &str) {
        let service = self.protocol.map_or(self.label, |p| p.name());
        eprintln!("{} {service}: {text}", super::time::iso_now());
    }

    /// Is the protocol still enabled for this mailbox, and its database
    /// still served here (mounted, this server's, the one the session
    /// works in)? Polled by the back ends' sessions when the directory
    /// changes. A deleted mailbox is not allowed.
    pub async fn still_allowed(&self, guid: &str, databases: &MailDatabases, home: &Path) -> Result<bool, StoreError> {
        let guid = guid.to_string();
        let protocol = self.protocol;
        let (dbs, home) = (databases.clone(), home.to_path_buf());
        self.with_store(move |s| {
            let Some(m) = s.mailbox_by_guid(&guid)? else { return Ok(false) };
            if !protocol.is_none_or(|p| protocol_enabled(&m, p)) {
                return Ok(false);
            }
            Ok(matches!(dbs.place(s, &m)?, Placement::Here(h) if h.pool.path() == home))
        })
        .await
    }
}

/// The logon record's key for an account: its mailbox GUID, or the name
/// typed when there is no such mailbox.
fn account_key(mailbox: Option<&Mailbox>, name: &str) -> String {
    match mailbox {
        Some(m) => m.guid.clone(),
        None => format!("name:{}", name.trim().to_lowercase()),
    }
}

/// A service's own connection to the config store, opened on first use
/// and reopened after an error; cloning shares it.
#[derive(Clone)]
pub struct StoreHandle {
    path: PathBuf,
    store: Arc<Mutex<Option<Store>>>,
}

impl StoreHandle {
    /// A handle on the store at `store_path`, connected on first use.
    pub fn new(store_path: PathBuf) -> StoreHandle {
        StoreHandle { path: store_path, store: Arc::default() }
    }

    /// Runs `f` with the connection (blocking: call it off the async
    /// threads).
    pub fn with<T>(&self, f: impl FnOnce(&Store) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(Store::open_existing(&self.path)?);
        }
        let Some(s) = guard.as_ref() else {
            return Err(StoreError::Corrupt("the store connection vanished".into()));
        };
        let out = f(s);
        if out.is_err() {
            *guard = None;
        }
        out
    }
}

/// The throttle of a service of this store: its record is the store's
/// (`<store>.d/logons.db`), shared with the store's other services.
fn store_throttle(store_path: &Path) -> Throttle {
    Throttle::shared(Policy::DEFAULT, logons_path(store_path))
}

/// The service log's line for a lockout that began. The name is the
/// client's: escaped, so that it cannot forge lines of the log (an IMAP
/// literal may hold CR LF).
fn lockout_line(user: &str, lockout: &Lockout, caller: Caller) -> String {
    format!(
        "the account '{}' is locked out for {} minutes after {} failed logons from addresses it does not \
         usually log on from (the last from {})",
        user.trim().escape_debug(),
        lockout.minutes,
        lockout.failures,
        caller_address(caller)
    )
}

fn caller_address(caller: Caller) -> String {
    let Caller::Client(ip) = caller;
    ip.to_string()
}

pub fn protocol_enabled(m: &Mailbox, protocol: Protocol) -> bool {
    match protocol {
        Protocol::Imap4 => m.cas.imap_enabled,
        Protocol::Pop3 => m.cas.pop_enabled,
    }
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
    fn a_lockout_line_cannot_be_split_by_the_name_a_client_sent() {
        let line = lockout_line(
            "bob\r\n2026-12-01T00:00:00Z IMAP4: forged",
            &Lockout { failures: 10, minutes: 15 },
            Caller::Client("203.0.113.9".parse().expect("ip")),
        );
        assert_eq!(
            line,
            "the account 'bob\\r\\n2026-12-01T00:00:00Z IMAP4: forged' is locked out for 15 minutes after 10 failed \
             logons from addresses it does not usually log on from (the last from 203.0.113.9)"
        );
    }

    #[test]
    fn the_cache_matches_only_the_same_password_and_hash() {
        let c = CredentialCache::new();
        c.remember("g", "$h1", "pw");
        assert!(c.check("g", "$h1", "pw"));
        assert!(!c.check("g", "$h1", "pw2"));
        assert!(!c.check("g", "$h2", "pw"), "a changed password hash invalidates");
        assert!(!c.check("g2", "$h1", "pw"));
    }
}
