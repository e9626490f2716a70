//! How fast logons may be attempted, per client address and per account.
//! The wait is charged *before* the password is checked, so an answer costs
//! the same wait whether the password was right or wrong, and a client that
//! hangs up without waiting for the answer has spent the wait all the same:
//! its next attempt, on any connection, waits its turn behind it.
//!
//! What a failure leaves behind is the store's, not the service's: it is
//! written to the logon record (`store::logons`, `<store>.d/logons.db`),
//! which every service that checks passwords reads before each check. So
//! failures over POP3 slow IMAP4 and SMTP AUTH down as much, and a restart
//! of a service forgets nothing. Only failures write; a success writes
//! only when it clears an account's failures or when its address is new to
//! the account (once in 12 hours per account and address).
//!
//! - **Address** (an IPv6 /64 counts as one address): after a failure the
//!   next check, on any service, waits 2 s, doubling with each further
//!   failure up to 15 s (Dovecot's auth penalty); the count is forgotten
//!   after 15 minutes without a failure. While an address has failures on
//!   record, a service checks its attempts one at a time, in arrival order,
//!   each after the pause of the one before. An address without failures
//!   (an office behind one NAT address, a webmail server) has its attempts
//!   checked side by side: a burst of wrong guesses from a fresh address
//!   gets at most as many verdicts as it had attempts waiting before the
//!   first failure was written, then the address pays the pauses. A success
//!   does not clear the count, so an attacker who owns an account cannot
//!   wipe their address's record by logging on to it.
//! - **Account**: failures from addresses the account has not logged on
//!   from in the last 24 hours make its next check wait the same way (one
//!   at a time in a service); 10 such failures within 15 minutes lock it
//!   for 15 minutes (Windows' account lockout policy as the security
//!   baseline sets it: threshold 10, duration 15 min, reset after 15 min).
//!   While it is locked, attempts from unfamiliar addresses are refused
//!   unchecked; its familiar addresses still log on (Exchange Online's smart
//!   lockout). A success resets that account's count and no other.
//! - **Queues** (each service's own): at most 64 attempts per address are
//!   in hand at once, of which 4 may wait for the turn of an address with
//!   failures; 4 per account (from unfamiliar addresses) and 128 per
//!   service; beyond, the attempt is `Busy` (the protocol's temporary
//!   failure) and nothing is checked. So an attack on one account cannot
//!   fill the service's queue for everyone, nor one address all of it. The
//!   tables in memory hold only waiting attempts.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OwnedMutexGuard;
// Tokio's clock, so that the tests can run it forward.
#[cfg(test)]
use tokio::time::Instant;

use super::limits::address_key;
use crate::store::logons::{AccountRecord, AddressRecord, Ages, Change, LogonLedger, Snapshot};

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// An address's failures are forgotten after this long without one.
    pub forget_after: Duration,
    pub lockout_threshold: u32,
    /// Failures older than this no longer count towards a lockout.
    pub lockout_window: Duration,
    pub lockout_duration: Duration,
    /// An address that logged on to an account is familiar for this long.
    pub familiar_for: Duration,
    /// Attempts in hand per address (checked, or waiting for a turn).
    pub in_hand_per_address: usize,
    /// Attempts waiting for the turn of an address with failures.
    pub waiting_per_address: usize,
    pub waiting_per_account: usize,
    pub waiting_total: usize,
}

impl Policy {
    pub const DEFAULT: Policy = Policy {
        first_delay: Duration::from_secs(2),
        max_delay: Duration::from_secs(15),
        forget_after: Duration::from_secs(15 * 60),
        lockout_threshold: 10,
        lockout_window: Duration::from_secs(15 * 60),
        lockout_duration: Duration::from_secs(15 * 60),
        familiar_for: Duration::from_secs(24 * 3600),
        in_hand_per_address: 64,
        waiting_per_address: 4,
        waiting_per_account: 4,
        waiting_total: 128,
    };

    /// The wait before the next check after `failures` failures.
    pub fn delay(&self, failures: u32) -> Duration {
        if failures == 0 {
            return Duration::ZERO;
        }
        self.first_delay.saturating_mul(1u32 << (failures - 1).min(16)).min(self.max_delay)
    }

    /// When an address may be checked again (Unix ms), if it must wait.
    fn address_until(&self, a: Option<AddressRecord>, now: i64) -> Option<i64> {
        let a = a.filter(|a| now - a.last_failure < ms(self.forget_after))?;
        Some(a.last_failure + ms(self.delay(a.failures)))
    }

    /// The account's failures that still count (none once the window or
    /// the lockout has run out).
    fn live_account(&self, a: Option<AccountRecord>, now: i64) -> Option<AccountRecord> {
        a.filter(|a| {
            a.locked_until.is_some_and(|until| until > now)
                || (a.locked_until.is_none() && now - a.window_start < ms(self.lockout_window))
        })
    }

    fn is_familiar(&self, s: &Snapshot, now: i64) -> bool {
        s.familiar_since.is_some_and(|at| now - at < ms(self.familiar_for))
    }

    fn ages(&self) -> Ages {
        Ages {
            address: ms(self.forget_after),
            account: ms(self.lockout_window.max(self.lockout_duration)),
            familiar: ms(self.familiar_for),
        }
    }
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Why an attempt cannot go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Held {
    /// Too many attempts are waiting already: nothing was checked.
    Busy,
    /// The logon record could not be read: nothing was checked.
    Unavailable(String),
}

/// The account is locked for the attempt's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockedOut;

/// A lockout that just began, for the service log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lockout {
    pub failures: u32,
    pub minutes: u64,
}

/// Attempts of this service waiting for (or holding) one address's or
/// account's turn.
#[derive(Default)]
struct Queue {
    turn: Arc<tokio::sync::Mutex<()>>,
    waiting: usize,
    /// Addresses only: all the address's attempts in hand, turn or not.
    in_hand: usize,
}

#[derive(Default)]
struct State {
    addresses: HashMap<IpAddr, Queue>,
    accounts: HashMap<String, Queue>,
    waiting: usize,
    /// Attempts that held an account's turn and are done, counted so that
    /// one that read the record before another finished reads it again.
    accounts_done: u64,
}

/// Where the time comes from: the system's clock (the record is shared by
/// processes), or, in unit tests, tokio's paused clock from a fixed start.
#[derive(Debug, Clone, Copy)]
enum Clock {
    System,
    #[cfg(test)]
    Paused {
        start_ms: i64,
        start: Instant,
    },
}

impl Clock {
    fn now_ms(&self) -> i64 {
        match self {
            Clock::System => {
                let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
                ms(since)
            }
            #[cfg(test)]
            Clock::Paused { start_ms, start } => start_ms + ms(start.elapsed()),
        }
    }

    /// Sleeps until the Unix time `at` (ms).
    async fn sleep_until(&self, at: i64) {
        let left = at - self.now_ms();
        if left > 0 {
            tokio::time::sleep(Duration::from_millis(left.unsigned_abs())).await;
        }
    }
}

/// The logon record, opened on first use and reopened after an error.
struct Ledger {
    /// None: a record in memory (unit tests), never reopened.
    path: Option<PathBuf>,
    open: Mutex<Option<LogonLedger>>,
    /// When this process last pruned the record (Unix ms).
    pruned: Mutex<i64>,
}

const PRUNE_EVERY_MS: i64 = 60_000;

impl Ledger {
    /// Runs `f` on the record (blocking: call it off the async threads).
    fn run<T>(&self, f: impl FnOnce(&mut LogonLedger) -> crate::store::mail::MailResult<T>) -> Result<T, Held> {
        let mut guard = lock(&self.open);
        if guard.is_none()
            && let Some(path) = &self.path
        {
            let opened = LogonLedger::open(path).map_err(|e| unavailable(&e.to_string()))?;
            *guard = Some(opened);
        }
        let Some(open) = guard.as_mut() else {
            return Err(unavailable("the logon record is closed"));
        };
        let out = f(open).map_err(|e| unavailable(&e.to_string()));
        if out.is_err() && self.path.is_some() {
            *guard = None;
        }
        out
    }
}

fn unavailable(why: &str) -> Held {
    Held::Unavailable(format!("the logon record could not be used: {why}"))
}

/// Reads the record for one attempt's address, off the async threads: the
/// log-on reads it in the same trip as it looks the mailbox up.
pub struct RecordReader {
    ledger: Arc<Ledger>,
    address: String,
}

impl RecordReader {
    /// The address's and `account`'s records (blocking).
    pub fn read(&self, account: &str) -> Result<Snapshot, Held> {
        self.ledger.run(|l| l.read(&self.address, account))
    }
}

pub struct Throttle {
    policy: Policy,
    clock: Clock,
    ledger: Arc<Ledger>,
    state: Mutex<State>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Throttle {
    /// The throttle of a service of the store whose logon record is at
    /// `path` (`store::logons::logons_path`).
    pub fn shared(policy: Policy, path: PathBuf) -> Throttle {
        Throttle::with(
            policy,
            Clock::System,
            Ledger { path: Some(path), open: Mutex::new(None), pruned: Mutex::new(0) },
        )
    }

    fn with(policy: Policy, clock: Clock, ledger: Ledger) -> Throttle {
        Throttle { policy, clock, ledger: Arc::new(ledger), state: Mutex::default() }
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Runs `f` on the logon record, off the async threads.
    async fn record<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut LogonLedger) -> crate::store::mail::MailResult<T> + Send + 'static,
    ) -> Result<T, Held> {
        let ledger = self.ledger.clone();
        match tokio::task::spawn_blocking(move || ledger.run(f)).await {
            Ok(out) => out,
            Err(e) => Err(Held::Unavailable(format!("the logon record task failed: {e}"))),
        }
    }

    /// Takes a place among the address's attempts in hand (its turn, when
    /// it has failures, and its pause are waited in [`Attempt::account`],
    /// with the account's, once the record is read). Dropping the `Attempt`
    /// gives the place back.
    pub fn begin(self: &Arc<Self>, ip: IpAddr) -> Result<Attempt, Held> {
        let address = address_key(ip);
        let done_before = {
            let mut s = lock(&self.state);
            if s.waiting >= self.policy.waiting_total {
                return Err(Held::Busy);
            }
            let q = s.addresses.entry(address).or_default();
            if q.in_hand >= self.policy.in_hand_per_address {
                return Err(Held::Busy);
            }
            q.in_hand += 1;
            s.waiting += 1;
            s.accounts_done
        };
        Ok(Attempt {
            throttle: self.clone(),
            ip: address,
            address: address.to_string(),
            address_queued: false,
            address_turn: None,
            account: None,
            account_queued: false,
            account_turn: None,
            done_before,
            seen: Snapshot::default(),
        })
    }
}

/// One logon attempt holding its address's turn (and, once named, its
/// account's). `failed` or `succeeded` records the verdict; dropping it
/// records nothing (the store could not be read).
pub struct Attempt {
    throttle: Arc<Throttle>,
    ip: IpAddr,
    /// The address's key in the record.
    address: String,
    /// This attempt is counted among those waiting for the address's turn.
    address_queued: bool,
    address_turn: Option<OwnedMutexGuard<()>>,
    account: Option<String>,
    /// This attempt is counted in its account's queue.
    account_queued: bool,
    account_turn: Option<OwnedMutexGuard<()>>,
    /// Attempts on accounts done when this one began: one that finished
    /// since may have changed what it reads.
    done_before: u64,
    /// The record as last read.
    seen: Snapshot,
}

impl Attempt {
    /// What reads the record for this attempt (for [`Attempt::account_seen`]).
    pub fn reader(&self) -> RecordReader {
        RecordReader { ledger: self.throttle.ledger.clone(), address: self.address.clone() }
    }

    /// Names the account (a stable key: the mailbox GUID, or the name typed
    /// when there is no such mailbox), reads the record, and waits as
    /// [`Attempt::account_seen`] says. (The log-on reads the record in its
    /// own trip, with the mailbox; the tests read it here.)
    #[cfg(test)]
    pub async fn account(&mut self, key: &str) -> Result<Result<(), LockedOut>, Held> {
        let seen = self.read(key).await;
        self.account_seen(key, seen).await
    }

    /// Names the account and takes `seen`, the record read since the
    /// attempt began. An address with failures waits its turn (the attempt
    /// before it, in this service or another, may just have failed: the
    /// record is read again) and its pause; then, unless the address is
    /// familiar to the account, the account's turn and pause. `LockedOut`:
    /// refuse unchecked. A logon that waits for nothing costs the one read.
    pub async fn account_seen(
        &mut self,
        key: &str,
        seen: Result<Snapshot, Held>,
    ) -> Result<Result<(), LockedOut>, Held> {
        let throttle = self.throttle.clone();
        let policy = throttle.policy;
        self.account = Some(key.to_string());
        self.seen = seen?;
        let mut waited = false;
        if policy.address_until(self.seen.address, throttle.clock.now_ms()).is_some() {
            let turn = {
                let mut s = lock(&throttle.state);
                let q = s.addresses.entry(self.ip).or_default();
                if q.waiting >= policy.waiting_per_address {
                    return Err(Held::Busy);
                }
                q.waiting += 1;
                self.address_queued = true;
                q.turn.clone()
            };
            self.address_turn = Some(turn.lock_owned().await);
            self.seen = self.read(key).await?;
            if let Some(until) = policy.address_until(self.seen.address, throttle.clock.now_ms()) {
                throttle.clock.sleep_until(until).await;
            }
            waited = true;
        }
        if policy.is_familiar(&self.seen, throttle.clock.now_ms()) {
            return Ok(Ok(()));
        }
        let turn = {
            let mut s = lock(&throttle.state);
            let q = s.accounts.entry(key.to_string()).or_default();
            if q.waiting >= policy.waiting_per_account {
                return Err(Held::Busy);
            }
            q.waiting += 1;
            self.account_queued = true;
            q.turn.clone()
        };
        match turn.clone().try_lock_owned() {
            Ok(free) => self.account_turn = Some(free),
            Err(_) => {
                self.account_turn = Some(turn.lock_owned().await);
                waited = true;
            }
        }
        // What was read is stale once anything was waited for, or once an
        // attempt on an account (maybe this one) finished since.
        if waited || lock(&throttle.state).accounts_done != self.done_before {
            self.seen = self.read(key).await?;
        }
        let now = throttle.clock.now_ms();
        let Some(a) = policy.live_account(self.seen.account, now) else { return Ok(Ok(())) };
        if a.locked_until.is_some_and(|until| until > now) {
            return Ok(Err(LockedOut));
        }
        throttle.clock.sleep_until(a.last_failure + ms(policy.delay(a.failures))).await;
        Ok(Ok(()))
    }

    async fn read(&self, account: &str) -> Result<Snapshot, Held> {
        let (address, account) = (self.address.clone(), account.to_string());
        self.throttle.record(move |l| l.read(&address, &account)).await
    }

    /// Records a wrong password (or a refusal while locked out). Returns the
    /// lockout this failure began, if it began one. The record could not be
    /// written: the service log says so; the refusal stands.
    pub async fn failed(self) -> Result<Option<Lockout>, Held> {
        let throttle = self.throttle.clone();
        let policy = throttle.policy;
        let now = throttle.clock.now_ms();
        let address = self.address.clone();
        let account = self.account.clone();
        let prune = {
            let mut last = lock(&throttle.ledger.pruned);
            let due = now - *last >= PRUNE_EVERY_MS;
            if due {
                *last = now;
            }
            due
        };
        let change = throttle
            .record(move |l| {
                let change = l.update(&address, account.as_deref(), |s| failure(&policy, s, now))?;
                if prune {
                    l.prune(now, policy.ages())?;
                }
                Ok(change)
            })
            .await?;
        Ok(match change.account {
            Some(Some(a)) if a.locked_until.is_some() && a.failures >= policy.lockout_threshold => {
                Some(Lockout { failures: a.failures, minutes: policy.lockout_duration.as_secs() / 60 })
            }
            _ => None,
        })
    }

    /// Records a right password: the account's count is reset and this
    /// address becomes familiar to it. The address's own count stays. No
    /// write when there is nothing to change.
    pub async fn succeeded(self) -> Result<(), Held> {
        let throttle = self.throttle.clone();
        let policy = throttle.policy;
        let now = throttle.clock.now_ms();
        let Some(account) = self.account.clone() else { return Ok(()) };
        if success(&policy, &self.seen, now).is_empty() {
            return Ok(());
        }
        let address = self.address.clone();
        throttle.record(move |l| l.update(&address, Some(&account), |s| success(&policy, s, now))).await?;
        Ok(())
    }
}

/// What a failure writes: the address's count (restarted after
/// `forget_after`) and, from an unfamiliar address, the account's, which
/// locks it at the threshold.
fn failure(policy: &Policy, s: &Snapshot, now: i64) -> Change {
    let failures = s.address.filter(|a| now - a.last_failure < ms(policy.forget_after)).map_or(0, |a| a.failures);
    let mut change = Change {
        address: Some(AddressRecord { failures: failures.saturating_add(1), last_failure: now }),
        ..Change::default()
    };
    let live = policy.live_account(s.account, now);
    if policy.is_familiar(s, now) || live.is_some_and(|a| a.locked_until.is_some()) {
        return change;
    }
    let mut a = live.unwrap_or(AccountRecord { failures: 0, window_start: now, last_failure: now, locked_until: None });
    a.failures += 1;
    a.last_failure = now;
    if a.failures >= policy.lockout_threshold {
        a.locked_until = Some(now + ms(policy.lockout_duration));
    }
    change.account = Some(Some(a));
    change
}

/// What a success writes: the account's failures cleared (a running
/// lockout stays, for the addresses it does not know), and the address
/// remembered when the account does not know it from the last 12 hours.
fn success(policy: &Policy, s: &Snapshot, now: i64) -> Change {
    let account = match s.account {
        None => None,
        Some(a) if a.locked_until.is_some_and(|until| until > now) => {
            (a.failures > 0).then_some(Some(AccountRecord { failures: 0, ..a }))
        }
        Some(_) => Some(None),
    };
    let refresh = s.familiar_since.is_none_or(|at| now - at >= ms(policy.familiar_for) / 2);
    Change { address: None, account, familiar_at: refresh.then_some(now) }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        // The turns are released after the counts (fields drop after this).
        let mut s = lock(&self.throttle.state);
        s.waiting = s.waiting.saturating_sub(1);
        if let Some(q) = s.addresses.get_mut(&self.ip) {
            q.in_hand = q.in_hand.saturating_sub(1);
            if self.address_queued {
                q.waiting = q.waiting.saturating_sub(1);
            }
            if q.in_hand == 0 {
                s.addresses.remove(&self.ip);
            }
        }
        if self.account_queued {
            s.accounts_done = s.accounts_done.wrapping_add(1);
        }
        if self.account_queued
            && let Some(key) = self.account.as_deref()
            && let Some(q) = s.accounts.get_mut(key)
        {
            q.waiting = q.waiting.saturating_sub(1);
            if q.waiting == 0 {
                s.accounts.remove(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    fn quick() -> Policy {
        Policy {
            first_delay: Duration::from_millis(200),
            max_delay: Duration::from_millis(800),
            lockout_threshold: 3,
            ..Policy::DEFAULT
        }
    }

    /// Tokio's paused clock, read as Unix time from a fixed start, so that
    /// two throttles made at the same moment agree on the time.
    fn paused() -> Clock {
        Clock::Paused { start_ms: 1_800_000_000_000, start: Instant::now() }
    }

    /// A service's throttle with its record in memory.
    fn throttle(policy: Policy) -> Arc<Throttle> {
        let ledger = LogonLedger::in_memory().expect("a record in memory");
        Arc::new(Throttle::with(
            policy,
            paused(),
            Ledger { path: None, open: Mutex::new(Some(ledger)), pruned: Mutex::new(0) },
        ))
    }

    /// A service's throttle on the record at `path` (services of one store).
    fn on_file(policy: Policy, path: &std::path::Path, clock: Clock) -> Arc<Throttle> {
        Arc::new(Throttle::with(
            policy,
            clock,
            Ledger { path: Some(path.to_path_buf()), open: Mutex::new(None), pruned: Mutex::new(0) },
        ))
    }

    async fn named(t: &Arc<Throttle>, from: &str, account: &str) -> Attempt {
        let mut at = t.begin(ip(from)).expect("a turn");
        assert_eq!(at.account(account).await, Ok(Ok(())));
        at
    }

    #[test]
    fn the_delay_doubles_up_to_the_most() {
        let p = Policy::DEFAULT;
        let secs: Vec<u64> = (0..6).map(|n| p.delay(n).as_secs()).collect();
        assert_eq!(secs, [0, 2, 4, 8, 15, 15]);
        assert_eq!(p.delay(u32::MAX), Duration::from_secs(15));
    }

    #[tokio::test(start_paused = true)]
    async fn the_next_attempt_waits_however_the_last_one_ended() {
        let t = throttle(quick());
        let a = "192.0.2.1";
        let start = tokio::time::Instant::now();
        // Each attempt names another account: only the address's pause.
        let first = named(&t, a, "one").await;
        assert_eq!(first.failed().await, Ok(None));
        // A new connection from the same address: the pause is charged to
        // the address, not to the connection that failed.
        let second = named(&t, a, "two").await;
        assert_eq!(start.elapsed(), Duration::from_millis(200));
        second.failed().await.expect("recorded");
        let third = named(&t, a, "three").await;
        assert_eq!(start.elapsed(), Duration::from_millis(600));
        third.succeeded().await.expect("recorded");
        // A success does not clear the address's record: the next failure
        // is its third.
        let fourth = named(&t, a, "four").await;
        assert_eq!(start.elapsed(), Duration::from_millis(600));
        fourth.failed().await.expect("recorded");
        let fifth = named(&t, a, "five").await;
        assert_eq!(start.elapsed(), Duration::from_millis(1400));
        drop(fifth);
        // Another address is not slowed.
        let before = tokio::time::Instant::now();
        drop(named(&t, "192.0.2.2", "six").await);
        assert_eq!(before.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn an_address_with_failures_is_checked_one_at_a_time_and_its_queue_is_bounded() {
        let t = throttle(quick());
        let a = ip("2001:db8::1");
        named(&t, "2001:db8::1", "one").await.failed().await.expect("recorded");
        tokio::time::advance(Duration::from_millis(200)).await;
        let held = named(&t, "2001:db8::1", "two").await;
        // The same /64 is the same address.
        let mut queued = Vec::new();
        for n in 0..3 {
            let t = t.clone();
            let peer = ip(&format!("2001:db8::{}", n + 2));
            queued.push(tokio::spawn(async move {
                let mut at = t.begin(peer)?;
                at.account(&format!("queued{n}")).await?.map_err(|_| Held::Busy)?;
                at.failed().await
            }));
        }
        while lock(&t.state).addresses.get(&address_key(a)).map_or(0, |q| q.waiting) < 4 {
            tokio::task::yield_now().await;
        }
        let mut fifth = t.begin(a).expect("a place in hand");
        assert_eq!(fifth.account("five").await, Err(Held::Busy), "4 waiting per address at most");
        drop(fifth);
        assert!(!queued[0].is_finished(), "waits for the turn");
        held.failed().await.expect("recorded");
        for q in queued {
            assert!(q.await.expect("joined").is_ok());
        }
        assert!(t.begin(a).is_ok(), "places are given back");
        assert!(lock(&t.state).addresses.is_empty(), "nothing is kept in memory once no one waits");
    }

    #[tokio::test(start_paused = true)]
    async fn an_address_without_failures_is_checked_side_by_side_up_to_its_places() {
        let t = throttle(Policy { in_hand_per_address: 8, ..quick() });
        let mut in_hand = Vec::new();
        for n in 0..8 {
            in_hand.push(named(&t, "192.0.2.1", &format!("user{n}")).await);
        }
        assert!(matches!(t.begin(ip("192.0.2.1")), Err(Held::Busy)), "8 in hand per address at most");
        drop(named(&t, "192.0.2.2", "other").await);
        // The first failure makes the next attempt wait its pause; the ones
        // already in hand are not held back.
        let start = Instant::now();
        in_hand.remove(0).failed().await.expect("recorded");
        for at in in_hand {
            at.succeeded().await.expect("recorded");
        }
        drop(named(&t, "192.0.2.1", "next").await);
        assert_eq!(start.elapsed(), Duration::from_millis(200));
    }

    #[tokio::test(start_paused = true)]
    async fn an_account_locks_after_the_threshold_except_for_its_familiar_addresses() {
        let t = throttle(quick());
        let home = "198.51.100.7";
        named(&t, home, "bob").await.succeeded().await.expect("recorded");
        let mut lockouts = Vec::new();
        for n in 0..3 {
            let at = named(&t, &format!("203.0.113.{n}"), "bob").await;
            lockouts.push(at.failed().await.expect("recorded"));
        }
        assert_eq!(lockouts, [None, None, Some(Lockout { failures: 3, minutes: 15 })]);
        let mut stranger = t.begin(ip("203.0.113.99")).expect("a turn");
        assert_eq!(stranger.account("bob").await, Ok(Err(LockedOut)));
        drop(stranger);
        let familiar = named(&t, home, "bob").await;
        familiar.succeeded().await.expect("recorded");
        // The familiar address's success leaves the lockout running for
        // the others.
        let mut stranger = t.begin(ip("203.0.113.97")).expect("a turn");
        assert_eq!(stranger.account("bob").await, Ok(Err(LockedOut)));
        drop(stranger);
        // Another account is untouched by bob's failures and success.
        drop(named(&t, "203.0.113.50", "alice").await);
        // The lockout runs out.
        tokio::time::advance(Duration::from_secs(15 * 60)).await;
        drop(named(&t, "203.0.113.98", "bob").await);
    }

    #[tokio::test(start_paused = true)]
    async fn an_attack_on_one_account_fills_its_queue_not_the_services() {
        let t = throttle(quick());
        let held = named(&t, "192.0.2.1", "bob").await;
        // The one checking and 3 more make 4.
        let mut queued = Vec::new();
        for n in 2..5 {
            let t = t.clone();
            queued.push(tokio::spawn(async move {
                let mut at = t.begin(ip(&format!("192.0.2.{n}")))?;
                at.account("bob").await.map(|_| ())
            }));
        }
        // Let the three take their places (the record is read off the
        // async threads, so yielding once is not enough).
        while lock(&t.state).accounts.get("bob").map_or(0, |q| q.waiting) < 4 {
            tokio::task::yield_now().await;
        }
        let mut fifth = t.begin(ip("192.0.2.6")).expect("a turn of its own address");
        assert_eq!(fifth.account("bob").await, Err(Held::Busy), "4 waiting per account at most");
        drop(named(&t, "192.0.2.7", "alice").await);
        drop(held);
        for q in queued {
            assert_eq!(q.await.expect("joined"), Ok(()));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_success_on_one_account_keeps_the_other_accounts_counts() {
        let t = throttle(quick());
        for _ in 0..2 {
            named(&t, "192.0.2.9", "victim").await.failed().await.expect("recorded");
        }
        named(&t, "192.0.2.10", "mine").await.succeeded().await.expect("recorded");
        let third = named(&t, "192.0.2.11", "victim").await;
        assert!(
            third.failed().await.expect("recorded").is_some(),
            "the third failure locks: the other account's success reset nothing"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn services_of_one_store_share_the_record_and_a_restart_keeps_it() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("logons.db");
        let clock = paused();
        let pop = on_file(quick(), &path, clock);
        let imap = on_file(quick(), &path, clock);
        let start = Instant::now();
        // Failures over POP3 from one address ...
        for n in 0..2 {
            named(&pop, &format!("203.0.113.{n}"), "bob").await.failed().await.expect("recorded");
        }
        // ... make IMAP4 wait: the second failure came at 200 ms (after the
        // account's pause), so its address waits until 400 ms.
        drop(named(&imap, "203.0.113.1", "carol").await);
        assert_eq!(start.elapsed(), Duration::from_millis(400));
        // The third failure, over IMAP4, locks the account for both.
        let third = named(&imap, "203.0.113.2", "bob").await;
        assert_eq!(third.failed().await, Ok(Some(Lockout { failures: 3, minutes: 15 })));
        let mut over_pop = pop.begin(ip("203.0.113.3")).expect("a turn");
        assert_eq!(over_pop.account("bob").await, Ok(Err(LockedOut)));
        drop(over_pop);
        // A restarted service (a new throttle on the same file) still
        // knows: the lockout and the address's pause.
        drop(imap);
        let restarted = on_file(quick(), &path, clock);
        let mut again = restarted.begin(ip("203.0.113.3")).expect("a turn");
        assert_eq!(again.account("bob").await, Ok(Err(LockedOut)));
        drop(again);
        let before = Instant::now();
        drop(named(&restarted, "203.0.113.2", "dave").await);
        assert_eq!(before.elapsed(), Duration::from_millis(200), "the address's pause after its failure");
        // Another account, from another address, is not slowed.
        let before = Instant::now();
        drop(named(&restarted, "198.51.100.1", "alice").await);
        assert_eq!(before.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_success_writes_only_what_it_changes() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("logons.db");
        let t = on_file(quick(), &path, paused());
        let watcher = LogonLedger::open(&path).expect("open");
        let version = || watcher.data_version().expect("version");
        // The first success from an address remembers it (one write) ...
        named(&t, "198.51.100.7", "bob").await.succeeded().await.expect("recorded");
        let after_first = version();
        // ... and the next ones write nothing.
        for _ in 0..3 {
            named(&t, "198.51.100.7", "bob").await.succeeded().await.expect("recorded");
        }
        assert_eq!(version(), after_first, "a success with nothing to clear writes nothing");
        // A failure writes; the success after it clears the count.
        named(&t, "203.0.113.1", "bob").await.failed().await.expect("recorded");
        let after_failure = version();
        assert_ne!(after_failure, after_first);
        named(&t, "198.51.100.7", "bob").await.succeeded().await.expect("recorded");
        assert_ne!(version(), after_failure, "the success cleared the account's failure");
        assert_eq!(watcher.read("203.0.113.1", "bob").expect("read").account, None);
    }
}
