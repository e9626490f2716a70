//! A supervisor's status, published in the directory on PostgreSQL so that
//! a shell of another server sees it (`Get-Service -ComputerName MBX01`),
//! as Windows answers for a remote computer's services. Each change is
//! written at once, and the status again every `HEARTBEAT`, so that a
//! reader can tell a server that stopped answering (`Publication::stale`).
//! These writes do not bump the directory's change counter: services need
//! not re-check their sessions because another service started.
//!
//! The directory is written from a thread of its own: the supervisor's
//! runtime must not wait on PostgreSQL (the client runs a runtime of its
//! own, which cannot start inside another).

use std::path::Path;
use std::sync::OnceLock;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use super::Service;
use super::state::Phase;
use crate::store::Store;

/// How often a running service says again that it runs.
pub const HEARTBEAT: Duration = Duration::from_secs(20);
/// How long a published status holds without a heartbeat: after it, the
/// server is taken for one that cannot be reached.
pub const STALE_AFTER: i64 = crate::store::services::PUBLISHED_STALE_AFTER;
/// How long a supervisor that exits waits for its last status to be written.
const LAST_WORD: Duration = Duration::from_secs(3);

enum Message {
    /// A change, and who waits until it is written (or could not be).
    Phase(Phase, Option<Sender<()>>),
    Done,
}

struct Publisher {
    tx: Sender<Message>,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

static PUBLISHER: OnceLock<Publisher> = OnceLock::new();

/// Starts publishing `service`'s status when `store` is a directory on
/// PostgreSQL (a SQLite store's shells read the state files).
pub fn start(service: Service, store: &Path) {
    let Some(url) = store.to_str().filter(|s| crate::store::pg::is_url(s)).map(str::to_string) else { return };
    let (tx, rx) = channel();
    let thread = std::thread::Builder::new().name("publish".into()).spawn(move || run(service, &url, &rx)).ok();
    let _ = PUBLISHER.set(Publisher { tx, thread: std::sync::Mutex::new(thread) });
}

/// Publishes a change of status (nothing without `start`).
pub fn phase(phase: Phase) {
    if let Some(p) = PUBLISHER.get() {
        let _ = p.tx.send(Message::Phase(phase, None));
    }
}

/// Publishes a change of status and waits, at most `within`, until it is
/// written: a Start-Service that returns has its server's Running in the
/// directory, so another server's shell sees it at once.
pub fn phase_written(phase: Phase, within: Duration) {
    let Some(p) = PUBLISHER.get() else { return };
    let (done, written) = channel();
    if p.tx.send(Message::Phase(phase, Some(done))).is_ok() {
        let _ = written.recv_timeout(within);
    }
}

/// Writes what is left, waiting at most `LAST_WORD`.
pub fn finish() {
    let Some(p) = PUBLISHER.get() else { return };
    let _ = p.tx.send(Message::Done);
    let Some(thread) = p.thread.lock().unwrap_or_else(|e| e.into_inner()).take() else { return };
    let began = std::time::Instant::now();
    while !thread.is_finished() && began.elapsed() < LAST_WORD {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Get-Service's status names.
pub fn status_name(phase: Phase) -> &'static str {
    match phase {
        Phase::StartPending => "StartPending",
        Phase::Running => "Running",
        Phase::StopPending => "StopPending",
        Phase::Failed | Phase::Stopped => "Stopped",
    }
}

fn run(service: Service, url: &str, rx: &Receiver<Message>) {
    let mut store: Option<Store> = None;
    let mut last: Option<Phase> = None;
    loop {
        let message = match rx.recv_timeout(HEARTBEAT) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let done = matches!(message, Some(Message::Done));
        let mut waiting = None;
        if let Some(Message::Phase(p, ack)) = message {
            last = Some(p);
            waiting = ack;
        }
        if let Some(p) = last {
            if store.is_none() {
                store = Store::open_existing(Path::new(url)).ok();
            }
            let written = store.as_mut().map(|s| s.publish_service_state(service.name(), status_name(p)));
            if !matches!(written, Some(Ok(()))) {
                // Reopened at the next change or heartbeat.
                store = None;
            }
        }
        if let Some(ack) = waiting {
            let _ = ack.send(());
        }
        if done {
            return;
        }
    }
}
