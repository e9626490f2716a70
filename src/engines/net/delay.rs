//! The pause after a failed login, growing per source address as Dovecot's
//! does (2 s, doubling, at most 15 s) and forgotten after a success or a
//! quiet minute. It slows password guessing without locking anyone out.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FIRST: Duration = Duration::from_secs(2);
const MOST: Duration = Duration::from_secs(15);
const FORGET_AFTER: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct FailedLoginDelay {
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl FailedLoginDelay {
    pub fn new() -> FailedLoginDelay {
        FailedLoginDelay::default()
    }

    /// Records a failure and returns how long to wait before answering.
    pub fn on_failure(&self, ip: IpAddr) -> Duration {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, at)| at.elapsed() < FORGET_AFTER);
        }
        let entry = map.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= FORGET_AFTER {
            entry.0 = 0;
        }
        entry.0 = entry.0.saturating_add(1);
        entry.1 = Instant::now();
        delay_for(entry.0)
    }

    pub fn on_success(&self, ip: IpAddr) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(&ip);
    }
}

fn delay_for(failures: u32) -> Duration {
    let doubled = FIRST.saturating_mul(1u32 << failures.saturating_sub(1).min(8));
    doubled.min(MOST)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_fifteen_seconds() {
        assert_eq!(delay_for(1), Duration::from_secs(2));
        assert_eq!(delay_for(2), Duration::from_secs(4));
        assert_eq!(delay_for(3), Duration::from_secs(8));
        assert_eq!(delay_for(4), Duration::from_secs(15));
        assert_eq!(delay_for(40), Duration::from_secs(15));
        let d = FailedLoginDelay::new();
        let ip: IpAddr = "127.0.0.1".parse().expect("ip");
        assert_eq!(d.on_failure(ip), Duration::from_secs(2));
        assert_eq!(d.on_failure(ip), Duration::from_secs(4));
        d.on_success(ip);
        assert_eq!(d.on_failure(ip), Duration::from_secs(2));
    }
}
