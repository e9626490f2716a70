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
use crate::engines::net::mail_databases::MailDatabases;
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
    Some(BackEndTarget { host: addr.ip().to_string(), port: addr.port(), tls })
}

/// A Transport to hand mail to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hop {
    /// This server's own (its address file says where).
    Own,
    /// Another server's, where it published its endpoint.
    At(BackEndTarget),
}

/// The organization's running Transports in the order a message for
/// `mailboxes` tries them: the servers holding their mailbox databases,
/// in the recipients' order (this server's own among them where it holds
/// one), then this server's own, then the other servers' by name.
pub fn ordered_for(store: &Store, mail: &MailDatabases, mailboxes: &[String]) -> Result<Vec<Hop>, StoreError> {
    let own = store.server().guid.clone();
    let running: Vec<(String, BackEndTarget)> = running(store)?.into_iter().filter(|(s, _)| *s != own).collect();
    let mut order = Vec::new();
    for guid in mailboxes.iter().filter(|g| !g.is_empty()) {
        let hop = match mail.server_of(store, guid)? {
            Some(server) if server == own => Some(Hop::Own),
            Some(server) => running.iter().find(|(s, _)| *s == server).map(|(_, t)| Hop::At(t.clone())),
            None => None,
        };
        if let Some(hop) = hop.filter(|h| !order.contains(h)) {
            order.push(hop);
        }
    }
    for hop in std::iter::once(Hop::Own).chain(running.into_iter().map(|(_, t)| Hop::At(t))) {
        if !order.contains(&hop) {
            order.push(hop);
        }
    }
    Ok(order)
}

/// The running Transport of the server `server_guid`, if it publishes one.
pub fn of_server(store: &Store, server_guid: &str) -> Result<Option<BackEndTarget>, StoreError> {
    Ok(running(store)?.into_iter().find(|(s, _)| s == server_guid).map(|(_, t)| t))
}

/// Every running Transport that published where it takes hand-offs: its
/// server's GUID, and where.
fn running(store: &Store) -> Result<Vec<(String, BackEndTarget)>, StoreError> {
    Ok(store
        .running_endpoints(TRANSPORT)?
        .into_iter()
        .filter_map(|e| BackEndTarget::published(&e.endpoint).map(|t| (e.server_guid, t)))
        .collect())
}
