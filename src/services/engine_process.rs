//! The engine process: binds, says `LISTENING` (or `FAILED <reason>`) on
//! stdout for its supervisor, serves until SIGTERM, then lets the engine
//! close its sessions gracefully.

use std::future::Future;
use std::io::Write;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

use super::Service;
use super::supervisor::{FAILED_PREFIX, READY_LINE};
use crate::engines::net::listener::SessionManager;
use crate::engines::net::{EngineContext, context};
use crate::engines::web::CommandRunner;

const GRACE: Duration = Duration::from_secs(8);

/// Threads for blocking calls, at most.
const BLOCKING_THREADS: usize = 16;

pub(crate) type Serve = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Which engine serves each service: each takes its context and the
/// session manager that owns its listeners.
fn engine_for(service: Service) -> fn(EngineContext, SessionManager) -> Serve {
    match service {
        Service::Pop3 => |ctx, sessions| Box::pin(crate::engines::pop3::serve_front_end(ctx, sessions)),
        Service::Pop3Backend => |ctx, sessions| Box::pin(crate::engines::pop3::serve_back_end(ctx, sessions)),
        Service::Imap4 => |ctx, sessions| Box::pin(crate::engines::imap::serve_front_end(ctx, sessions)),
        Service::Imap4Backend => |ctx, sessions| Box::pin(crate::engines::imap::serve_back_end(ctx, sessions)),
        // Served by `engines::smtp::serve`, `engines::smtp::mailbox_delivery`,
        // `engines::replication::serve` and `engines::web::serve` (they have
        // no EngineContext).
        Service::FrontEndTransport
        | Service::Transport
        | Service::Delivery
        | Service::Submission
        | Service::MailboxReplication
        | Service::W3svc => |_, _| Box::pin(async {}),
    }
}

/// An engine's context, read and bound before the async runtime exists.
enum Prepared {
    // Boxed: the contexts (listeners, settings, queues) differ in size by
    // hundreds of bytes, and each value moves once.
    Client(Box<EngineContext>),
    Transport(Box<crate::engines::smtp::SmtpContext>),
    Web(Box<crate::engines::web::WebContext>),
    Replication(Box<crate::engines::replication::ReplicationContext>),
    Delivery(Box<crate::engines::smtp::mailbox_delivery::DeliveryContext>),
    Submission(Box<crate::engines::smtp::mailbox_submission::SubmissionContext>),
}

fn report(line: &str) {
    // The supervisor may be gone; a failed write must not panic.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// `runner` runs the Exchange admin center's command lines (W3SVC only):
/// main() hands it down from the hosts layer.
pub fn run(service: Service, store: &Path, store_id: &str, runner: Arc<dyn CommandRunner>) -> i32 {
    // Before any other thread: what a wave of load freed goes back to the
    // system (`engines::net::memory`).
    crate::engines::net::memory::manage();
    if !crate::store::configure_sqlite_for_engines() {
        eprintln!("mailsh: SQLite had started before it could be set up for the engine's threads");
    }
    // SAFETY: prctl with constant arguments: if the supervisor dies (even by
    // kill -9), this engine gets SIGTERM and stops instead of lingering.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM as libc::c_ulong) };
    let expected_parent = std::env::var(super::supervisor::SUPERVISOR_ENV).ok().and_then(|p| p.parse::<i32>().ok());
    // SAFETY: getppid cannot fail.
    if expected_parent.is_some_and(|p| p != unsafe { libc::getppid() }) {
        report(&format!("{FAILED_PREFIX}The service's supervisor is gone."));
        return 1;
    }
    // The store at this path must be the one the service was started for
    // (not a copy put in its place, nor a new store at the same path):
    // every engine, the transport ones included.
    match crate::store::instance_id(store) {
        Ok(id) if id == store_id => {}
        Ok(_) => {
            report(&format!(
                "{FAILED_PREFIX}The store '{}' is not the one this service was started for.",
                store.display()
            ));
            return 2;
        }
        Err(e) => {
            report(&format!("{FAILED_PREFIX}{e}"));
            return 2;
        }
    }
    let (stop_tx, stop_rx) = watch::channel(false);
    // Everything that can fail is read and bound here, before the runtime.
    let prepared = match service.protocol() {
        Some(protocol) => context::prepare(service.name(), protocol, service.role(), store, stop_rx)
            .map(|ctx| Prepared::Client(Box::new(ctx))),
        None if service == Service::W3svc => {
            crate::engines::web::prepare(store, stop_rx, runner).map(|ctx| Prepared::Web(Box::new(ctx)))
        }
        None if service == Service::Delivery => {
            crate::engines::smtp::mailbox_delivery::prepare(store, stop_rx).map(|ctx| Prepared::Delivery(Box::new(ctx)))
        }
        None if service == Service::Submission => crate::engines::smtp::mailbox_submission::prepare(store, stop_rx)
            .map(|ctx| Prepared::Submission(Box::new(ctx))),
        None if service == Service::MailboxReplication => {
            crate::engines::replication::prepare(store, stop_rx).map(|ctx| Prepared::Replication(Box::new(ctx)))
        }
        None => crate::engines::smtp::prepare(service.name(), service.role(), store, stop_rx)
            .map(|ctx| Prepared::Transport(Box::new(ctx))),
    };
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => {
            report(&format!("{FAILED_PREFIX}{e}"));
            return 2;
        }
    };
    // Blocking work (store reads, mailbox database calls) runs on a few
    // threads, not one per waiting session: password checks have their own
    // bounded pool (`engines::net::verify_pool`).
    // The IMAP4 and POP3 engines run their sessions on one thread: their
    // store and mailbox database work runs on the blocking pool and
    // passwords on their own pool, so what is left is moving bytes, where
    // a second worker thread only adds wake-ups between the two (measured:
    // 0.73 against 0.53 ms of CPU per logon, front and back end together;
    // docs/performance.md, "Fifth run"). So do the three transport
    // services, for the same reason: on one machine they are three
    // processes, and one connection's messages crossed them faster on one
    // thread each (566-584 against 477-574 accepted/s, the same run,
    // alternating; docs/performance.md, "SMTP"). The web and replication
    // services, which do more on their async threads, keep two.
    let one_thread = matches!(
        service,
        Service::Imap4
            | Service::Pop3
            | Service::Imap4Backend
            | Service::Pop3Backend
            | Service::FrontEndTransport
            | Service::Transport
            | Service::Delivery
            | Service::Submission
    );
    let mut builder = if one_thread {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(2);
        b
    };
    let runtime = match builder.max_blocking_threads(BLOCKING_THREADS).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            report(&format!("{FAILED_PREFIX}{e}"));
            return 2;
        }
    };
    let code = runtime.block_on(async move {
        let mut term = match signal(SignalKind::terminate()) {
            Ok(t) => t,
            Err(e) => {
                report(&format!("{FAILED_PREFIX}{e}"));
                return 2;
            }
        };
        let started: std::io::Result<Serve> = match prepared {
            Prepared::Client(ctx) => {
                let mut ctx = *ctx;
                SessionManager::new(&mut ctx).map(|sessions| engine_for(service)(ctx, sessions))
            }
            Prepared::Transport(ctx) => crate::engines::smtp::serve(*ctx),
            Prepared::Web(ctx) => crate::engines::web::serve(*ctx),
            Prepared::Replication(ctx) => crate::engines::replication::serve(*ctx),
            Prepared::Delivery(ctx) => Ok(crate::engines::smtp::mailbox_delivery::serve(*ctx)),
            Prepared::Submission(ctx) => Ok(crate::engines::smtp::mailbox_submission::serve(*ctx)),
        };
        let serve = match started {
            Ok(s) => s,
            Err(e) => {
                report(&format!("{FAILED_PREFIX}{e}"));
                return 2;
            }
        };
        report(READY_LINE);
        let mut serving = tokio::spawn(serve);
        tokio::select! {
            _ = term.recv() => {}
            ended = &mut serving => {
                eprintln!("{}: the engine stopped by itself ({ended:?})", service.name());
                return 1;
            }
        }
        let _ = stop_tx.send(true);
        let _ = tokio::time::timeout(GRACE, serving).await;
        0
    });
    runtime.shutdown_timeout(Duration::from_millis(500));
    code
}
