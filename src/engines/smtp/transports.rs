//! Where a server finds the organization's Transport services. Each
//! Transport takes mail from front ends and from other Transports on a
//! hand-off listener of its own (`context::handoff_listener`): on loopback
//! for a server without an address, whose address file its own Frontend
//! Transport reads; at the server's address, over TLS, for a server of a
//! directory on PostgreSQL, where it publishes that endpoint for the other
//! servers (`Store::publish_endpoint`). A server's supervisor says every
//! 20 s that the service runs, so a Transport that stopped or whose server
//! went silent is not tried.

use std::net::SocketAddr;
use std::path::Path;

use crate::engines::net::back_end_link::BackEndTarget;
use crate::engines::net::mail_databases::{MailDatabases, Placement};
use crate::store::{Store, StoreError};

/// The Transport service's name, as its status is published.
pub const TRANSPORT: &str = "MSExchangeTransport";

/// This server's Transport, where its address file says it takes
/// hand-offs (None: it does not run, or has not bound yet).
pub fn own(address_file: &Path, tls: bool) -> Option<BackEndTarget> {
    // A line of a few bytes in the server's folder: read in place, at each
    // hand-off, so a restarted Transport on a new port is found at once.
    let text = std::fs::read_to_string(address_file).ok()?;
    let addr: SocketAddr = text.trim().parse().ok()?;
    Some(target(addr, tls))
}

fn target(addr: SocketAddr, tls: bool) -> BackEndTarget {
    BackEndTarget { host: addr.ip().to_string(), port: addr.port(), tls }
}

/// The running Transports of the organization's other servers: first
/// those of the servers holding the mailbox databases of `mailboxes` (in
/// their order), then the rest, by server name. This server's own is left
/// out (its address file says where it is).
pub fn ordered_for(
    store: &Store,
    mail: &MailDatabases,
    mailboxes: &[String],
) -> Result<(Vec<BackEndTarget>, Vec<BackEndTarget>), StoreError> {
    let own = store.server().guid.clone();
    let running: Vec<(String, BackEndTarget)> = store
        .running_endpoints(TRANSPORT)?
        .into_iter()
        .filter(|e| e.server_guid != own)
        .filter_map(|e| e.endpoint.parse().ok().map(|addr| (e.server_guid, target(addr, true))))
        .collect();
    let mut first = Vec::new();
    for guid in mailboxes.iter().filter(|g| !g.is_empty()) {
        if let Some(Placement::Elsewhere(server)) = mail.place_by_guid(store, guid)?
            && let Some((_, t)) = running.iter().find(|(s, _)| *s == server.guid)
            && !first.contains(t)
        {
            first.push(t.clone());
        }
    }
    let others = running.into_iter().map(|(_, t)| t).filter(|t| !first.contains(t)).collect();
    Ok((first, others))
}

/// The running Transport of the server `server_guid`, if it publishes one.
pub fn of_server(store: &Store, server_guid: &str) -> Result<Option<BackEndTarget>, StoreError> {
    Ok(store
        .running_endpoints(TRANSPORT)?
        .into_iter()
        .find(|e| e.server_guid == server_guid)
        .and_then(|e| e.endpoint.parse().ok())
        .map(|addr| target(addr, true)))
}
