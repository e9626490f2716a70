//! How fast logons may be attempted, per client address and per account.
//! The wait is charged *before* the password is checked, so an answer costs
//! the same wait whether the password was right or wrong, and a client that
//! hangs up without waiting for the answer has spent the wait all the same:
//! its next attempt, on any connection, waits its turn behind it.
//!
//! - **Address** (an IPv6 /64 counts as one address): attempts are checked
//!   one at a time, in arrival order. After a failure the next check waits
//!   2 s, doubling with each further failure up to 15 s (Dovecot's auth
//!   penalty); the count is forgotten after 15 minutes without a failure. A
//!   success does not clear it, so an attacker who owns an account cannot
//!   wipe their address's record by logging on to it.
//! - **Account**: failures from addresses the account has not logged on
//!   from in the last 24 hours make its next check wait the same way (one
//!   at a time); 10 such failures within 15 minutes lock it for 15 minutes
//!   (Windows' account lockout policy as the security baseline sets it:
//!   threshold 10, duration 15 min, reset after 15 min). While it is locked,
//!   attempts from unfamiliar addresses are refused unchecked; its familiar
//!   addresses still log on (Exchange Online's smart lockout). A success
//!   resets that account's count and no other.
//! - **Queues**: at most 4 attempts wait per address, 4 per account (from
//!   unfamiliar addresses) and 128 per service; beyond, the attempt is
//!   `Busy` (the protocol's temporary failure) and nothing is checked. So
//!   an attack on one account cannot fill the service's queue for everyone.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OwnedMutexGuard;
// Tokio's clock, so that the tests can run it forward.
use tokio::time::Instant;

use super::limits::address_key;

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
    pub waiting_per_address: usize,
    pub waiting_per_account: usize,
    pub waiting_total: usize,
    /// Addresses and accounts remembered at most (each).
    pub tracked: usize,
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
        waiting_per_address: 4,
        waiting_per_account: 4,
        waiting_total: 128,
        tracked: 20_000,
    };

    /// The wait before the next check after `failures` failures.
    pub fn delay(&self, failures: u32) -> Duration {
        if failures == 0 {
            return Duration::ZERO;
        }
        self.first_delay.saturating_mul(1u32 << (failures - 1).min(16)).min(self.max_delay)
    }
}

/// Too many attempts are waiting already: nothing was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// The account is locked for the attempt's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockedOut;

/// A lockout that just began, for the service log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lockout {
    pub failures: u32,
    pub minutes: u64,
}

#[derive(Default)]
struct Address {
    turn: Arc<tokio::sync::Mutex<()>>,
    /// Attempts waiting for the turn or holding it.
    waiting: usize,
    failures: u32,
    last_failure: Option<Instant>,
}

#[derive(Default)]
struct Account {
    turn: Arc<tokio::sync::Mutex<()>>,
    waiting: usize,
    failures: u32,
    window_start: Option<Instant>,
    last_failure: Option<Instant>,
    locked_until: Option<Instant>,
    /// Addresses with a recent success, the most recent last.
    familiar: Vec<(IpAddr, Instant)>,
}

#[derive(Default)]
struct State {
    addresses: HashMap<IpAddr, Address>,
    accounts: HashMap<String, Account>,
    waiting: usize,
    last_prune: Option<Instant>,
}

pub struct Throttle {
    policy: Policy,
    state: Mutex<State>,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle::new(Policy::DEFAULT)
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

impl Throttle {
    pub fn new(policy: Policy) -> Throttle {
        Throttle { policy, state: Mutex::default() }
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Takes a place in the address's queue and waits for its turn and its
    /// pause. Dropping the future or the `Attempt` gives the place back.
    pub async fn begin(self: &Arc<Self>, ip: IpAddr) -> Result<Attempt, Busy> {
        let address = address_key(ip);
        let turn = {
            let mut s = lock(&self.state);
            let now = Instant::now();
            self.prune(&mut s, now);
            if s.waiting >= self.policy.waiting_total {
                return Err(Busy);
            }
            if !s.addresses.contains_key(&address) && s.addresses.len() >= self.policy.tracked {
                return Err(Busy);
            }
            let a = s.addresses.entry(address).or_default();
            if a.waiting >= self.policy.waiting_per_address {
                return Err(Busy);
            }
            a.waiting += 1;
            s.waiting += 1;
            s.addresses.get(&address).map(|a| a.turn.clone()).unwrap_or_default()
        };
        let mut attempt = Attempt {
            throttle: self.clone(),
            address,
            address_turn: None,
            account: None,
            account_queued: false,
            account_turn: None,
        };
        attempt.address_turn = Some(turn.lock_owned().await);
        let until = {
            let s = lock(&self.state);
            s.addresses.get(&address).and_then(|a| a.last_failure.map(|at| at + self.policy.delay(a.failures)))
        };
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
        Ok(attempt)
    }

    /// Forgets what no longer matters, at most once a second.
    fn prune(&self, s: &mut State, now: Instant) {
        let full = s.addresses.len() >= self.policy.tracked || s.accounts.len() >= self.policy.tracked;
        if !full || s.last_prune.is_some_and(|at| now.duration_since(at) < Duration::from_secs(1)) {
            return;
        }
        s.last_prune = Some(now);
        let p = self.policy;
        s.addresses
            .retain(|_, a| a.waiting > 0 || a.last_failure.is_some_and(|at| now.duration_since(at) < p.forget_after));
        s.accounts.retain(|_, a| {
            a.waiting > 0
                || a.locked_until.is_some_and(|until| until > now)
                || a.window_start.is_some_and(|at| now.duration_since(at) < p.lockout_window)
                || a.familiar.iter().any(|(_, at)| now.duration_since(*at) < p.familiar_for)
        });
    }
}

/// One logon attempt holding its address's turn (and, once named, its
/// account's). `finish` records the verdict; dropping it without records
/// nothing (the store could not be read).
pub struct Attempt {
    throttle: Arc<Throttle>,
    address: IpAddr,
    address_turn: Option<OwnedMutexGuard<()>>,
    account: Option<String>,
    /// This attempt is counted in its account's queue.
    account_queued: bool,
    account_turn: Option<OwnedMutexGuard<()>>,
}

impl Attempt {
    /// Names the account (a stable key: the mailbox GUID, or the name typed
    /// when there is no such mailbox); waits for its turn and its pause
    /// unless this address is familiar to it. `LockedOut`: refuse unchecked.
    pub async fn account(&mut self, key: &str) -> Result<Result<(), LockedOut>, Busy> {
        let throttle = self.throttle.clone();
        let policy = throttle.policy;
        let turn = {
            let mut s = lock(&throttle.state);
            let now = Instant::now();
            if !s.accounts.contains_key(key) && s.accounts.len() >= policy.tracked {
                return Err(Busy);
            }
            let a = s.accounts.entry(key.to_string()).or_default();
            if is_familiar(a, self.address, now, &policy) {
                self.account = Some(key.to_string());
                return Ok(Ok(()));
            }
            if a.waiting >= policy.waiting_per_account {
                return Err(Busy);
            }
            a.waiting += 1;
            self.account = Some(key.to_string());
            self.account_queued = true;
            a.turn.clone()
        };
        self.account_turn = Some(turn.lock_owned().await);
        let until = {
            let mut s = lock(&throttle.state);
            let now = Instant::now();
            let Some(a) = s.accounts.get_mut(key) else { return Ok(Ok(())) };
            expire(a, now);
            if a.locked_until.is_some_and(|until| until > now) {
                return Ok(Err(LockedOut));
            }
            a.last_failure.map(|at| at + policy.delay(a.failures))
        };
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
        Ok(Ok(()))
    }

    /// Records a wrong password (or a refusal while locked out). Returns the
    /// lockout this failure began, if it began one.
    pub fn failed(self) -> Option<Lockout> {
        let policy = self.throttle.policy;
        let mut s = lock(&self.throttle.state);
        let now = Instant::now();
        if let Some(a) = s.addresses.get_mut(&self.address) {
            if a.last_failure.is_some_and(|at| now.duration_since(at) >= policy.forget_after) {
                a.failures = 0;
            }
            a.failures = a.failures.saturating_add(1);
            a.last_failure = Some(now);
        }
        let key = self.account.as_deref()?;
        let a = s.accounts.get_mut(key)?;
        if is_familiar(a, self.address, now, &policy) || a.locked_until.is_some_and(|until| until > now) {
            return None;
        }
        expire(a, now);
        if a.window_start.is_none_or(|at| now.duration_since(at) >= policy.lockout_window) {
            a.window_start = Some(now);
            a.failures = 0;
        }
        a.failures += 1;
        a.last_failure = Some(now);
        if a.failures >= policy.lockout_threshold {
            a.locked_until = Some(now + policy.lockout_duration);
            return Some(Lockout { failures: a.failures, minutes: policy.lockout_duration.as_secs() / 60 });
        }
        None
    }

    /// Records a right password: the account's count is reset and this
    /// address becomes familiar to it. The address's own count stays.
    pub fn succeeded(self) {
        let policy = self.throttle.policy;
        let mut s = lock(&self.throttle.state);
        let now = Instant::now();
        let Some(key) = self.account.as_deref() else { return };
        let Some(a) = s.accounts.get_mut(key) else { return };
        a.failures = 0;
        a.window_start = None;
        a.last_failure = None;
        a.familiar.retain(|(ip, at)| *ip != self.address && now.duration_since(*at) < policy.familiar_for);
        if a.familiar.len() >= 8 {
            a.familiar.remove(0);
        }
        a.familiar.push((self.address, now));
    }
}

fn is_familiar(a: &Account, address: IpAddr, now: Instant, policy: &Policy) -> bool {
    a.familiar.iter().any(|(ip, at)| *ip == address && now.duration_since(*at) < policy.familiar_for)
}

/// A lockout that has run out starts the count again.
fn expire(a: &mut Account, now: Instant) {
    if a.locked_until.is_some_and(|until| until <= now) {
        a.locked_until = None;
        a.failures = 0;
        a.window_start = None;
        a.last_failure = None;
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        // The turns are released after the counts (fields drop after this).
        let mut s = lock(&self.throttle.state);
        s.waiting = s.waiting.saturating_sub(1);
        if let Some(a) = s.addresses.get_mut(&self.address) {
            a.waiting = a.waiting.saturating_sub(1);
        }
        if self.account_queued
            && let Some(key) = self.account.as_deref()
            && let Some(a) = s.accounts.get_mut(key)
        {
            a.waiting = a.waiting.saturating_sub(1);
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

    #[test]
    fn the_delay_doubles_up_to_the_most() {
        let p = Policy::DEFAULT;
        let secs: Vec<u64> = (0..6).map(|n| p.delay(n).as_secs()).collect();
        assert_eq!(secs, [0, 2, 4, 8, 15, 15]);
        assert_eq!(p.delay(u32::MAX), Duration::from_secs(15));
    }

    #[tokio::test(start_paused = true)]
    async fn the_next_attempt_waits_however_the_last_one_ended() {
        let t = Arc::new(Throttle::new(quick()));
        let a = ip("192.0.2.1");
        let start = tokio::time::Instant::now();
        let first = t.begin(a).await.expect("a turn");
        assert_eq!(first.failed(), None);
        // A new connection from the same address: the pause is charged to
        // the address, not to the connection that failed.
        let second = t.begin(a).await.expect("a turn");
        assert_eq!(start.elapsed(), Duration::from_millis(200));
        second.failed();
        let third = t.begin(a).await.expect("a turn");
        assert_eq!(start.elapsed(), Duration::from_millis(600));
        third.succeeded();
        // A success does not clear the address's record: the next failure
        // is its third.
        let fourth = t.begin(a).await.expect("a turn");
        assert_eq!(start.elapsed(), Duration::from_millis(600));
        fourth.failed();
        let fifth = t.begin(a).await.expect("a turn");
        assert_eq!(start.elapsed(), Duration::from_millis(1400));
        drop(fifth);
        // Another address is not slowed.
        let before = tokio::time::Instant::now();
        let other = t.begin(ip("192.0.2.2")).await.expect("a turn");
        assert_eq!(before.elapsed(), Duration::ZERO);
        drop(other);
    }

    #[tokio::test(start_paused = true)]
    async fn attempts_from_one_address_are_checked_one_at_a_time_and_the_queue_is_bounded() {
        let t = Arc::new(Throttle::new(quick()));
        let a = ip("2001:db8::1");
        let held = t.begin(a).await.expect("a turn");
        // The same /64 is the same address.
        let mut queued = Vec::new();
        for n in 0..3 {
            let t = t.clone();
            let peer = ip(&format!("2001:db8::{}", n + 2));
            queued.push(tokio::spawn(async move { t.begin(peer).await.map(|at| at.failed()) }));
        }
        tokio::task::yield_now().await;
        assert!(matches!(t.begin(a).await, Err(Busy)), "4 waiting per address at most");
        assert!(!queued[0].is_finished(), "waits for the turn");
        held.failed();
        for q in queued {
            assert!(q.await.expect("joined").is_ok());
        }
        assert!(t.begin(a).await.is_ok(), "places are given back");
    }

    #[tokio::test(start_paused = true)]
    async fn an_account_locks_after_the_threshold_except_for_its_familiar_addresses() {
        let t = Arc::new(Throttle::new(quick()));
        let home = ip("198.51.100.7");
        let mut ok = t.begin(home).await.expect("a turn");
        assert_eq!(ok.account("bob").await, Ok(Ok(())));
        ok.succeeded();
        let mut lockouts = Vec::new();
        for n in 0..3 {
            let mut at = t.begin(ip(&format!("203.0.113.{n}"))).await.expect("a turn");
            assert_eq!(at.account("bob").await, Ok(Ok(())));
            lockouts.push(at.failed());
        }
        assert_eq!(lockouts, [None, None, Some(Lockout { failures: 3, minutes: 15 })]);
        let mut stranger = t.begin(ip("203.0.113.99")).await.expect("a turn");
        assert_eq!(stranger.account("bob").await, Ok(Err(LockedOut)));
        drop(stranger);
        let mut familiar = t.begin(home).await.expect("a turn");
        assert_eq!(familiar.account("bob").await, Ok(Ok(())), "the familiar address is not locked out");
        familiar.succeeded();
        // Another account is untouched by bob's failures and success.
        let mut alice = t.begin(ip("203.0.113.50")).await.expect("a turn");
        assert_eq!(alice.account("alice").await, Ok(Ok(())));
        drop(alice);
        // The lockout runs out.
        tokio::time::advance(Duration::from_secs(15 * 60)).await;
        let mut later = t.begin(ip("203.0.113.98")).await.expect("a turn");
        assert_eq!(later.account("bob").await, Ok(Ok(())));
    }

    #[tokio::test(start_paused = true)]
    async fn an_attack_on_one_account_fills_its_queue_not_the_services() {
        let t = Arc::new(Throttle::new(quick()));
        let mut held = t.begin(ip("192.0.2.1")).await.expect("a turn");
        held.account("bob").await.expect("not busy").expect("not locked");
        // The one checking and 3 more make 4.
        let mut queued = Vec::new();
        for n in 2..5 {
            let t = t.clone();
            queued.push(tokio::spawn(async move {
                let mut at = t.begin(ip(&format!("192.0.2.{n}"))).await.expect("a turn");
                at.account("bob").await.map(|_| ())
            }));
        }
        tokio::task::yield_now().await;
        let mut fifth = t.begin(ip("192.0.2.6")).await.expect("a turn of its own address");
        assert_eq!(fifth.account("bob").await, Err(Busy), "4 waiting per account at most");
        let mut other = t.begin(ip("192.0.2.7")).await.expect("a turn");
        assert_eq!(other.account("alice").await, Ok(Ok(())), "other accounts are served");
        drop(held);
        for q in queued {
            assert_eq!(q.await.expect("joined"), Ok(()));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_success_on_one_account_keeps_the_other_accounts_counts() {
        let t = Arc::new(Throttle::new(quick()));
        let a = ip("192.0.2.9");
        for _ in 0..2 {
            let mut at = t.begin(a).await.expect("a turn");
            at.account("victim").await.expect("not busy").expect("not locked");
            at.failed();
        }
        let mut own = t.begin(ip("192.0.2.10")).await.expect("a turn");
        own.account("mine").await.expect("not busy").expect("not locked");
        own.succeeded();
        let mut third = t.begin(ip("192.0.2.11")).await.expect("a turn");
        third.account("victim").await.expect("not busy").expect("not locked");
        assert!(third.failed().is_some(), "the third failure locks: the other account's success reset nothing");
    }
}
