//! A back-end connection proven ahead of need. Connecting to the back end
//! and proving the store's key both ways (`proxy_auth`) takes three trips
//! between the two processes before the greeting; a front end keeps one
//! such connection ready, so a logon finds it waiting and only logs on
//! there. The one taken is replaced at once, in the background.
//!
//! A spare older than half the back end's PreAuthenticatedConnectionTimeout
//! is not used (the back end may be about to close it); one the back end
//! closed meanwhile (it restarted) fails at the greeting, and the logon
//! then connects afresh. Nothing of a client's reaches a spare before it is
//! taken, and it was proven like any other, so it is the same connection a
//! logon would have made, made earlier.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::back_end_link::{self, BackEndStream, BackEndTarget};
use super::proxy_auth::ProxyKey;
use super::relay::BackEndError;

pub struct SpareLink {
    target: BackEndTarget,
    key: Arc<ProxyKey>,
    max_age: Duration,
    slot: Mutex<Option<(BackEndStream, Instant)>>,
    filling: AtomicBool,
}

impl SpareLink {
    /// `back_end_preauth_timeout`: how long the back end keeps a connection
    /// that has not logged on.
    pub fn new(target: BackEndTarget, key: Arc<ProxyKey>, back_end_preauth_timeout: Duration) -> SpareLink {
        SpareLink {
            target,
            key,
            max_age: back_end_preauth_timeout / 2,
            slot: Mutex::new(None),
            filling: AtomicBool::new(false),
        }
    }

    /// Runs `log_on` (greeting, credentials) on the spare connection, or on
    /// a fresh one; when a spare turns out closed, once more on a fresh one.
    pub async fn log_on<T, F, Fut>(self: &Arc<Self>, log_on: F) -> Result<T, BackEndError>
    where
        F: Fn(BackEndStream) -> Fut,
        Fut: Future<Output = Result<T, BackEndError>>,
    {
        if let Some(tcp) = self.take() {
            match log_on(tcp).await {
                Err(BackEndError::Unreachable(_)) => {}
                done => return done,
            }
        }
        log_on(back_end_link::connect(&self.target, &self.key).await?).await
    }

    /// The key this front end proves to every back end.
    pub fn key(&self) -> &Arc<ProxyKey> {
        &self.key
    }

    /// Where this server's own back end is.
    pub fn target(&self) -> &BackEndTarget {
        &self.target
    }

    /// The spare, if there is one young enough; starts making the next.
    fn take(self: &Arc<Self>) -> Option<BackEndStream> {
        let spare = self.slot.lock().unwrap_or_else(|p| p.into_inner()).take();
        self.refill();
        spare.filter(|(_, made)| made.elapsed() < self.max_age).map(|(tcp, _)| tcp)
    }

    fn refill(self: &Arc<Self>) {
        if self.filling.swap(true, Ordering::AcqRel) {
            return;
        }
        let me = self.clone();
        tokio::spawn(async move {
            // A back end that is down leaves no spare; the next logon
            // connects itself (and says why it cannot).
            if let Ok(tcp) = back_end_link::connect(&me.target, &me.key).await {
                *me.slot.lock().unwrap_or_else(|p| p.into_inner()) = Some((tcp, Instant::now()));
            }
            me.filling.store(false, Ordering::Release);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::net::proxy_auth;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A back end that proves the key, greets with the number of its
    /// connection, and counts connections.
    async fn back_end(key: [u8; 32]) -> (u16, Arc<std::sync::atomic::AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = count.clone();
        tokio::spawn(async move {
            while let Ok((mut tcp, _)) = listener.accept().await {
                let n = seen.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::spawn(async move {
                    proxy_auth::admit(&mut tcp, &ProxyKey::from_bytes(&key), b"").await.expect("proven");
                    tcp.write_all(format!("greeting {n}\n").as_bytes()).await.expect("greet");
                    let mut rest = Vec::new();
                    let _ = tcp.read_to_end(&mut rest).await;
                });
            }
        });
        (port, count)
    }

    async fn greeting(mut tcp: BackEndStream) -> Result<String, BackEndError> {
        let mut buf = [0u8; 64];
        let n = tcp.read(&mut buf).await?;
        if n == 0 {
            return Err(BackEndError::Unreachable("closed".into()));
        }
        Ok(String::from_utf8_lossy(&buf[..n]).trim().to_string())
    }

    #[tokio::test]
    async fn a_logon_takes_the_connection_made_ahead_and_another_is_made() {
        let (port, count) = back_end([3; 32]).await;
        let key = Arc::new(ProxyKey::from_bytes(&[3; 32]));
        let spare = Arc::new(SpareLink::new(BackEndTarget::loopback(port), key, Duration::from_secs(60)));
        // No spare yet: the first logon connects itself, and one is made.
        let first = spare.log_on(greeting).await.expect("logged on");
        while spare.slot.lock().expect("slot").is_none() {
            tokio::task::yield_now().await;
        }
        assert_eq!(count.load(Ordering::SeqCst), 2);
        // The second takes it: the other connection, greeted already.
        let second = spare.log_on(greeting).await.expect("logged on");
        let mut both = [first, second];
        both.sort();
        assert_eq!(both, ["greeting 1", "greeting 2"]);
    }

    #[tokio::test]
    async fn a_spare_too_old_is_not_used() {
        let (port, _count) = back_end([4; 32]).await;
        let key = Arc::new(ProxyKey::from_bytes(&[4; 32]));
        let spare = Arc::new(SpareLink::new(BackEndTarget::loopback(port), key, Duration::ZERO));
        spare.log_on(greeting).await.expect("logged on");
        while spare.slot.lock().expect("slot").is_none() {
            tokio::task::yield_now().await;
        }
        let fresh = spare.log_on(greeting).await.expect("logged on");
        let n: usize = fresh.trim_start_matches("greeting ").parse().expect("a number");
        assert!(n >= 3, "a fresh connection, not the spare: {fresh}");
    }
}
