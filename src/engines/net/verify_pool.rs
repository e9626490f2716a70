//! Password checks on a few threads of their own. An argon2 check costs
//! 19 MiB and some 30 ms of CPU; run unbounded (one blocking task per
//! logon) they took an engine to gigabytes under a few hundred concurrent
//! logons. Here at most one check runs per worker, and the queue in front
//! of them is bounded: the memory spent on checks is at most
//! `workers x 19 MiB` whatever clients do, and a check that finds the queue
//! full is `Busy`. A worker keeps its argon2 memory area while checks
//! queue up (a burst of logons reuses it) and gives it back when none is
//! waiting: an engine between bursts holds none (with the verified-
//! credential cache, most logons need no check at all).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::oneshot;

use crate::store::password::{self, Verifier};

/// Workers at most, whatever the machine: 8 x 19 MiB.
const MOST_WORKERS: usize = 8;

/// Checks waiting for a worker, at most.
pub const QUEUE: usize = 128;

struct Job {
    password: String,
    /// None: no mailbox or no password set; a check against a hash nobody
    /// knows the password of costs the same and says no.
    phc: Option<String>,
    reply: oneshot::Sender<bool>,
}

/// The queue is full (or the workers are gone): nothing was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

pub struct VerifyPool {
    jobs: SyncSender<Job>,
    /// Kept so that the queue stays open even with no worker started.
    _taken: Arc<Mutex<Receiver<Job>>>,
    workers: usize,
    /// Checks queued and not yet taken by a worker.
    waiting: Arc<AtomicUsize>,
    /// Octets of argon2 memory the workers hold.
    held: Arc<AtomicUsize>,
}

impl VerifyPool {
    /// One worker per core, at most `MOST_WORKERS`.
    pub fn sized_to_the_cores() -> VerifyPool {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        VerifyPool::new(cores.clamp(1, MOST_WORKERS), QUEUE)
    }

    pub fn new(workers: usize, queue: usize) -> VerifyPool {
        let (jobs, rx) = sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        let waiting = Arc::new(AtomicUsize::new(0));
        let held = Arc::new(AtomicUsize::new(0));
        let mut started = 0;
        for n in 0..workers {
            let (rx, waiting, held) = (rx.clone(), waiting.clone(), held.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("password-check-{n}"))
                .spawn(move || work(&rx, &waiting, &held));
            if spawned.is_ok() {
                started += 1;
            }
        }
        VerifyPool { jobs, _taken: rx, workers: started, waiting, held }
    }

    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Octets of argon2 memory the workers hold now.
    pub fn held(&self) -> usize {
        self.held.load(Ordering::SeqCst)
    }

    /// Checks `password` against `phc` on a worker.
    pub async fn verify(&self, password: &str, phc: Option<String>) -> Result<bool, Busy> {
        let (reply, answer) = oneshot::channel();
        let job = Job { password: password.to_string(), phc, reply };
        self.waiting.fetch_add(1, Ordering::SeqCst);
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                return Err(Busy);
            }
        }
        answer.await.map_err(|_| Busy)
    }
}

/// Takes jobs until the pool is dropped (the sender closes the channel).
fn work(rx: &Mutex<Receiver<Job>>, waiting: &AtomicUsize, held: &AtomicUsize) {
    let mut verifier = Verifier::default();
    let account = |before: usize, verifier: &Verifier| {
        held.fetch_add(verifier.held(), Ordering::SeqCst);
        held.fetch_sub(before, Ordering::SeqCst);
    };
    loop {
        let job = {
            let rx = rx.lock().unwrap_or_else(|p| p.into_inner());
            rx.recv()
        };
        let Ok(job) = job else { return };
        waiting.fetch_sub(1, Ordering::SeqCst);
        let before = verifier.held();
        let ok = match job.phc.as_deref() {
            Some(phc) => verifier.verify(&job.password, phc),
            None => {
                verifier.verify(&job.password, dummy_hash());
                false
            }
        };
        account(before, &verifier);
        // The asker may have gone (its client hung up): nothing to do.
        let _ = job.reply.send(ok);
        if waiting.load(Ordering::SeqCst) == 0 {
            let before = verifier.held();
            verifier.release();
            account(before, &verifier);
        }
    }
}

/// A hash, made with the store's own parameters, of a random password
/// nobody knows: verifying against it costs what a real check costs.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut secret = [0u8; 24];
        crate::store::fill_random(&mut secret);
        let text: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        password::hash(&text).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn checks_passwords() {
        let hash = password::hash("right").expect("hash");
        let pool = VerifyPool::new(1, 1);
        assert_eq!(pool.workers(), 1);
        assert_eq!(pool.verify("right", Some(hash.clone())).await, Ok(true));
        assert_eq!(pool.verify("wrong", Some(hash.clone())).await, Ok(false));
        assert_eq!(pool.verify("right", None).await, Ok(false), "no hash: no");
    }

    #[tokio::test]
    async fn workers_give_their_memory_back_when_no_check_waits() {
        let hash = password::hash("right").expect("hash");
        let pool = VerifyPool::new(2, 8);
        let h = || Some(hash.clone());
        // Four at once on two workers: they queue, then none waits.
        let answers = tokio::join!(
            pool.verify("right", h()),
            pool.verify("wrong", h()),
            pool.verify("right", h()),
            pool.verify("right", h())
        );
        assert_eq!(answers, (Ok(true), Ok(false), Ok(true), Ok(true)));
        // The last worker to finish releases after it answered.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while pool.held() != 0 {
            assert!(std::time::Instant::now() < deadline, "still held: {} octets", pool.held());
            tokio::task::yield_now().await;
            std::thread::yield_now();
        }
        assert_eq!(pool.waiting.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_full_queue_is_busy_and_checks_nothing() {
        // No worker: the one place in the queue stays taken.
        let pool = VerifyPool::new(0, 1);
        let (reply, _answer) = oneshot::channel();
        assert!(pool.jobs.try_send(Job { password: "x".into(), phc: None, reply }).is_ok());
        assert_eq!(pool.verify("y", None).await, Err(Busy));
    }

    #[test]
    fn the_dummy_hash_parses_and_verifies_nothing() {
        assert!(dummy_hash().starts_with("$argon2id$"));
        assert!(!password::verify("", dummy_hash()));
    }
}
