//! SMTP (RFC 5321) for Exchange 2013's two transport services, on the same
//! session manager as IMAP4 and POP3:
//!
//! - **MSExchangeFrontEndTransport** (Client Access): the receive
//!   connectors of role FrontendTransport ("Default Frontend" on 25, "Client
//!   Frontend" on 587). It keeps nothing: at the end of DATA it hands the
//!   message to the Transport service over SMTP and answers the client with
//!   the Transport's own reply, so a client's `250` still means "on disk".
//! - **MSExchangeTransport** (Mailbox): the HubTransport connectors
//!   ("Default" on 2525). It answers `250` once the message is committed to
//!   the queue (`store::queue`), and sends what leaves the organization
//!   through the send connectors (`outbound`).
//! - **MSExchangeDelivery** (Mailbox Transport Delivery, a process of its
//!   own: `mailbox_delivery`): its task takes the queue's mailbox
//!   deliveries and stores each in its recipient's Inbox, exactly once
//!   (`MailDb::deliver_once`); the Transport cues it after each message
//!   (`wake`). The Frontend
//!   Transport's hand-offs come to a listener of their own (127.0.0.1, or
//!   the server's address over TLS), where the organization's proxy key is
//!   proven before the greeting (as at the IMAP4 and POP3 back ends), and
//!   are served under the "Default" connector's settings. Mail for a
//!   mailbox whose database is on another server goes on to that server's
//!   Transport the same way (`intra_org`); a Frontend Transport on a server
//!   without the Mailbox role hands mail to another server's
//!   (`transports`).
//!
//! - **MSExchangeSubmission** (Mailbox Transport Submission, a process of
//!   its own: `mailbox_submission`): what users leave in their Outbox goes
//!   to the Transport as a hand-off, then to Sent Items.
//!
//! Commands are parsed by `smtp-proto` (Stalwart's parser, also DATA's
//! dot-unstuffing); each command is one module of `commands/`.

mod commands;
mod context;
mod delivery;
pub mod dsn;
mod handoff;
mod intra_org;
mod log_age;
pub mod mailbox_delivery;
pub mod mailbox_submission;
mod mx;
mod outbound;
mod peer;
mod quota_notice;
mod session;
pub mod texts;
mod track;
mod transports;
mod wake;

pub use context::{SmtpContext, handoff_address_file, prepare};
pub(crate) use handoff::dot_stuffed;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::engines::net::listener::SessionManager;

/// Starts serving (inside the runtime): the session manager over the
/// connectors' listeners and, on the Transport service, a second one over
/// the hand-off listener (its own admission: hand-offs are not counted
/// with the connectors' anonymous clients) and the delivery task.
pub fn serve(ctx: SmtpContext) -> std::io::Result<Pin<Box<dyn Future<Output = ()> + Send>>> {
    let SmtpContext { listeners, admission, handoffs, tls, shutdown, shared, log_ages } = ctx;
    let sessions = SessionManager::from_parts(
        listeners,
        admission,
        Some(tls.clone()),
        shared.handshake_timeout,
        shutdown.clone(),
    )?;
    let handoffs = match handoffs {
        Some(h) => Some(SessionManager::from_parts(
            vec![h.listener],
            h.admission,
            Some(tls),
            shared.handshake_timeout,
            shutdown.clone(),
        )?),
        None => None,
    };
    let shared = Arc::new(shared);
    Ok(Box::pin(async move {
        let sending = shared.queue.clone().map(|queue| {
            let parts = outbound::Parts {
                queue,
                directory: shared.directory.store_handle(),
                server: shared.server.clone(),
                log: shared.send_log.clone(),
            };
            tokio::spawn(outbound::start(parts, shutdown.clone()))
        });
        let aging = log_ages.map(|ages| tokio::spawn(log_age::run(ages, shutdown.clone())));
        let handler = Arc::new(session::Smtp { shared });
        let taking_handoffs = handoffs.map(|h| tokio::spawn(h.run(handler.clone())));
        sessions.run(handler).await;
        if let Some(h) = taking_handoffs {
            let _ = h.await;
        }
        if let Some(s) = sending {
            let _ = s.await;
        }
        if let Some(a) = aging {
            let _ = a.await;
        }
    }))
}
