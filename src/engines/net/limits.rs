//! MaxConnections, MaxConnectionFromSingleIP and MaxConnectionsPerUser, and
//! the budget of connections not yet logged on. A slot is held for as long
//! as its guard lives, so a session that ends in any way (error, drop,
//! panic) gives its slot back.
//!
//! A user's slot is given back when the relay sees the client close, which
//! can come after the client, told `OK LOGOUT completed`, has already
//! connected again: a log-on over the per-user limit therefore waits a
//! moment for a slot being given back before it is refused.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

use super::context::EngineRole;
use crate::store::{Protocol, ProtocolSettings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitRefusal {
    Total,
    PerAddress,
    PerUser,
}

#[derive(Default)]
struct Counts {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
    per_user: HashMap<String, usize>,
}

#[derive(Clone)]
pub struct ConnectionLimits {
    max_total: usize,
    max_per_ip: usize,
    max_per_user: usize,
    counts: Arc<Mutex<Counts>>,
    /// Woken whenever a user's slot is given back.
    user_released: Arc<Notify>,
}

/// How long a log-on over the per-user limit waits for a closing session
/// of the same user to give its slot back.
pub const USER_SLOT_GRACE: Duration = Duration::from_secs(2);

/// One admitted connection.
pub struct ConnectionSlot {
    ip: IpAddr,
    counts: Arc<Mutex<Counts>>,
}

/// One logged-on session of a user.
pub struct UserSlot {
    user: String,
    counts: Arc<Mutex<Counts>>,
    released: Arc<Notify>,
}

fn limit(value: i64) -> usize {
    if value < 1 { 1 } else { usize::try_from(value).unwrap_or(usize::MAX) }
}

fn lock(counts: &Mutex<Counts>) -> std::sync::MutexGuard<'_, Counts> {
    // A panic elsewhere while counting cannot leave the numbers half-written.
    counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl ConnectionLimits {
    pub fn new(max_total: i64, max_per_ip: i64, max_per_user: i64) -> ConnectionLimits {
        ConnectionLimits {
            max_total: limit(max_total),
            max_per_ip: limit(max_per_ip),
            max_per_user: limit(max_per_user),
            counts: Arc::default(),
            user_released: Arc::default(),
        }
    }

    /// The limits one engine enforces, in one place for every listener.
    /// Every limit is the front end's: a back end serves only its front end
    /// (`proxy_auth`), whose connections are each a client the front end
    /// has already counted, so it counts nothing again.
    pub fn for_engine(s: &ProtocolSettings, _protocol: Protocol, role: EngineRole) -> ConnectionLimits {
        match role {
            EngineRole::FrontEnd => {
                ConnectionLimits::new(s.max_connections, s.max_connection_from_single_ip, s.max_connections_per_user)
            }
            EngineRole::BackEnd => ConnectionLimits::new(i64::MAX, i64::MAX, i64::MAX),
        }
    }

    pub fn admit(&self, ip: IpAddr) -> Result<ConnectionSlot, LimitRefusal> {
        let mut c = lock(&self.counts);
        if c.total >= self.max_total {
            return Err(LimitRefusal::Total);
        }
        let n = c.per_ip.get(&ip).copied().unwrap_or(0);
        if n >= self.max_per_ip {
            return Err(LimitRefusal::PerAddress);
        }
        c.total += 1;
        c.per_ip.insert(ip, n + 1);
        Ok(ConnectionSlot { ip, counts: self.counts.clone() })
    }

    /// `user` is a stable key, e.g. the mailbox GUID.
    pub fn admit_user(&self, user: &str) -> Result<UserSlot, LimitRefusal> {
        let mut c = lock(&self.counts);
        let n = c.per_user.get(user).copied().unwrap_or(0);
        if n >= self.max_per_user {
            return Err(LimitRefusal::PerUser);
        }
        c.per_user.insert(user.to_string(), n + 1);
        Ok(UserSlot { user: user.to_string(), counts: self.counts.clone(), released: self.user_released.clone() })
    }

    /// `admit_user`, waiting up to `grace` for a slot of `user` that a
    /// closing session is giving back.
    pub async fn admit_user_within(&self, user: &str, grace: Duration) -> Result<UserSlot, LimitRefusal> {
        let deadline = tokio::time::Instant::now() + grace;
        loop {
            // Registered before the check, so a slot given back between the
            // check and the wait still wakes it.
            let released = self.user_released.notified();
            tokio::pin!(released);
            released.as_mut().enable();
            match self.admit_user(user) {
                Err(LimitRefusal::PerUser) => {}
                other => return other,
            }
            if tokio::time::timeout_at(deadline, released).await.is_err() {
                return Err(LimitRefusal::PerUser);
            }
        }
    }

    pub fn total(&self) -> usize {
        lock(&self.counts).total
    }
}

/// The key an address is counted under by mailsh's own budgets (not by
/// Exchange's MaxConnectionFromSingleIP, which counts each address): an
/// IPv6 /64 is one address, since whoever has one address of it usually
/// has them all.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(std::net::Ipv6Addr::from(v6.to_bits() & (u128::MAX << 64))),
        v4 => v4,
    }
}

/// Connections accepted but not yet logged on, per service and per
/// address. Whatever unauthenticated clients do, they hold at most this
/// many connections (and so this much memory); beyond it a new connection
/// reads the protocol's temporary failure and is closed at once.
pub const PRE_AUTH_TOTAL: usize = 512;
pub const PRE_AUTH_PER_ADDRESS: usize = 64;
/// A back end's connections before they prove the proxy key: all from
/// 127.0.0.1, so no per-address share; its front end proves the key in a
/// millisecond, so this many strangers would have to be kept waiting at
/// all times to delay it.
pub const BACK_END_UNPROVEN: usize = 1024;
/// A back end at its server's address (`Setup -Address`) is reachable from
/// the network: one host may hold this many connections that have not
/// proven the key, so a stranger stalling handshakes cannot take the whole
/// budget from the organization's front ends (each proves in a handshake's
/// time, so even a busy front end keeps few waiting).
pub const BACK_END_UNPROVEN_PER_ADDRESS: usize = 128;

#[derive(Default)]
struct PreAuthCounts {
    total: usize,
    per_address: HashMap<IpAddr, usize>,
}

#[derive(Clone)]
pub struct PreAuthBudget {
    total: usize,
    per_address: usize,
    counts: Arc<Mutex<PreAuthCounts>>,
}

/// A connection that has not logged on yet. `logged_on` (or dropping it)
/// gives the place back.
pub struct PreAuthSlot {
    key: IpAddr,
    counts: Arc<Mutex<PreAuthCounts>>,
}

impl PreAuthBudget {
    pub fn new(total: usize, per_address: usize) -> PreAuthBudget {
        PreAuthBudget { total, per_address, counts: Arc::default() }
    }

    pub fn admit(&self, ip: IpAddr) -> Option<PreAuthSlot> {
        let key = address_key(ip);
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = c.per_address.get(&key).copied().unwrap_or(0);
        if c.total >= self.total || n >= self.per_address {
            return None;
        }
        c.total += 1;
        c.per_address.insert(key, n + 1);
        Some(PreAuthSlot { key, counts: self.counts.clone() })
    }

    pub fn in_use(&self) -> usize {
        self.counts.lock().unwrap_or_else(|p| p.into_inner()).total
    }
}

impl PreAuthBudget {
    pub fn for_role(role: EngineRole) -> PreAuthBudget {
        match role {
            EngineRole::FrontEnd => PreAuthBudget::new(PRE_AUTH_TOTAL, PRE_AUTH_PER_ADDRESS),
            EngineRole::BackEnd => PreAuthBudget::new(BACK_END_UNPROVEN, BACK_END_UNPROVEN),
        }
    }

    /// A back end's budget: on loopback every connection is from 127.0.0.1;
    /// at a network address each host gets a share.
    pub fn for_back_end(networked: bool) -> PreAuthBudget {
        let per_address = if networked { BACK_END_UNPROVEN_PER_ADDRESS } else { BACK_END_UNPROVEN };
        PreAuthBudget::new(BACK_END_UNPROVEN, per_address)
    }
}

impl Default for PreAuthBudget {
    fn default() -> Self {
        PreAuthBudget::for_role(EngineRole::FrontEnd)
    }
}

impl Drop for PreAuthSlot {
    fn drop(&mut self) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.total = c.total.saturating_sub(1);
        if let Some(n) = c.per_address.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                c.per_address.remove(&self.key);
            }
        }
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut c = lock(&self.counts);
        c.total = c.total.saturating_sub(1);
        if let Some(n) = c.per_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                c.per_ip.remove(&self.ip);
            }
        }
    }
}

impl Drop for UserSlot {
    fn drop(&mut self) {
        {
            let mut c = lock(&self.counts);
            if let Some(n) = c.per_user.get_mut(&self.user) {
                *n -= 1;
                if *n == 0 {
                    c.per_user.remove(&self.user);
                }
            }
        }
        self.released.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_and_given_back() {
        let limits = ConnectionLimits::new(3, 2, 1);
        let a: IpAddr = "10.0.0.1".parse().expect("ip");
        let b: IpAddr = "10.0.0.2".parse().expect("ip");
        let s1 = limits.admit(a).expect("first");
        let _s2 = limits.admit(a).expect("second");
        assert_eq!(limits.admit(a).err(), Some(LimitRefusal::PerAddress));
        let _s3 = limits.admit(b).expect("other address");
        assert_eq!(limits.admit(b).err(), Some(LimitRefusal::Total));
        drop(s1);
        assert!(limits.admit(b).is_ok());
        let u = limits.admit_user("guid").expect("one session");
        assert_eq!(limits.admit_user("guid").err(), Some(LimitRefusal::PerUser));
        drop(u);
        assert!(limits.admit_user("guid").is_ok());
    }

    #[test]
    fn a_back_end_on_the_network_gives_each_host_a_share_of_its_unproven_connections() {
        let networked = PreAuthBudget::for_back_end(true);
        let stranger: IpAddr = "192.0.2.7".parse().expect("ip");
        let held: Vec<_> =
            (0..BACK_END_UNPROVEN_PER_ADDRESS).map(|_| networked.admit(stranger).expect("a share")).collect();
        assert!(networked.admit(stranger).is_none(), "one host's share is full");
        assert!(networked.admit("192.0.2.8".parse().expect("ip")).is_some(), "a front end still gets in");
        drop(held);
        let loopback = PreAuthBudget::for_back_end(false);
        let local: IpAddr = "127.0.0.1".parse().expect("ip");
        let _all: Vec<_> = (0..BACK_END_UNPROVEN).map(|_| loopback.admit(local).expect("the whole budget")).collect();
    }

    #[test]
    fn the_pre_auth_budget_counts_an_ipv6_slash_64_as_one_address() {
        let budget = PreAuthBudget::new(3, 2);
        let a1 = budget.admit("2001:db8:1:2::1".parse().expect("ip")).expect("first");
        let _a2 = budget.admit("2001:db8:1:2::ffff".parse().expect("ip")).expect("second");
        assert!(budget.admit("2001:db8:1:2:3::9".parse().expect("ip")).is_none(), "the same /64");
        let _b = budget.admit("2001:db8:1:3::1".parse().expect("ip")).expect("another /64");
        assert!(budget.admit("192.0.2.1".parse().expect("ip")).is_none(), "the total");
        drop(a1);
        assert!(budget.admit("192.0.2.1".parse().expect("ip")).is_some());
        assert_eq!(address_key("::ffff:192.0.2.1".parse().expect("ip")), "192.0.2.1".parse::<IpAddr>().expect("ip"));
    }

    #[test]
    fn a_log_on_over_the_user_limit_waits_for_a_closing_session_then_gives_up() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime");
        rt.block_on(async {
            let limits = ConnectionLimits::new(10, 10, 1);
            let held = limits.admit_user("guid").expect("one session");
            // The holder closes while the second log-on waits: admitted.
            let closing = tokio::spawn(async move {
                tokio::task::yield_now().await;
                drop(held);
            });
            let second = limits.admit_user_within("guid", Duration::from_secs(20)).await;
            assert!(second.is_ok());
            closing.await.expect("the holder closed");
            // Nobody closes: refused once the grace has passed.
            let started = tokio::time::Instant::now();
            let third = limits.admit_user_within("guid", Duration::from_millis(50)).await;
            assert_eq!(third.err(), Some(LimitRefusal::PerUser));
            assert!(started.elapsed() >= Duration::from_millis(50));
        });
    }
}
