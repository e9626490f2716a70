//! The Microsoft Exchange Mailbox Replication service
//! (MSExchangeMailboxReplication), on every Mailbox server: it carries a
//! mailbox out of, and into, this server's mailbox databases for a move
//! request started on any server's shell (`cmdlets::move_request`).
//!
//! It listens at the server's address (`Setup -Address`), TLS first, and
//! serves only a connection that proved the organization's key as a move
//! ("mailbox-replication", `proxy_auth`), the proof bound to the TLS
//! session; it publishes that endpoint in the directory for the shells of
//! the other servers. A server without an address listens on loopback and
//! publishes nothing: a move between its own databases needs no service.
//!
//! ```text
//! shell -> EXPORT <database> <mailbox>            (the source's server)
//!       <- OK <items> <bytes> <length>, then <length> bytes: a database file
//!          holding that mailbox alone, copied while still
//! shell -> IMPORT <database> <mailbox> <length>, then the file (the target's)
//!       <- OK <items> <bytes>                     its copy, in one transaction
//! shell -> REMOVE <database> <mailbox>            (the source's, after the switch)
//!       <- OK 0 0
//! ```
//!
//! Anything refused is `ERR <why>`, and the connection stays usable.

pub mod client;
mod protocol;
mod server;

use std::future::Future;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::engines::net::context::BoundListener;
use crate::engines::net::listener::{Admission, SessionManager};
use crate::engines::net::proxy_auth::ProxyKey;
use crate::engines::net::server_listener::bind_for_servers;
use crate::engines::net::{NetError, tls};
use crate::store::{Store, state_dir_for};

/// The service's name, as its status and endpoint are published.
pub const SERVICE: &str = "MSExchangeMailboxReplication";

/// How long a connection has to finish its TLS handshake.
const HANDSHAKE: Duration = Duration::from_secs(10);

pub struct ReplicationContext {
    listener: BoundListener,
    admission: Admission,
    tls: TlsAcceptor,
    shutdown: watch::Receiver<bool>,
    handler: server::Replication,
}

/// Binds the listener and publishes it, before the async runtime exists.
pub fn prepare(store_path: &Path, shutdown: watch::Receiver<bool>) -> Result<ReplicationContext, NetError> {
    let mut store = Store::open_existing(store_path)?;
    let server = store.server().clone();
    let address = store.exchange_server(&server.name)?.and_then(|s| s.address);
    let state_dir = state_dir_for(store_path);
    server::clear_transit(&state_dir);
    let tls = TlsAcceptor::from(tls::load_or_create(&state_dir, &server.fqdn)?);
    let key = ProxyKey::for_store(&mut store, &state_dir)
        .map_err(|e| NetError::Bind(format!("The organization's key could not be read: {e}")))?;
    let (listener, admission) =
        bind_for_servers(SERVICE, "Mailbox Replication listener", &mut store, address.as_deref(), Arc::new(key))?;
    Ok(ReplicationContext {
        listener,
        admission,
        tls,
        shutdown: shutdown.clone(),
        handler: server::Replication::new(store_path.to_path_buf(), state_dir, shutdown),
    })
}

/// Serves until the service stops.
pub fn serve(ctx: ReplicationContext) -> io::Result<Pin<Box<dyn Future<Output = ()> + Send>>> {
    let ReplicationContext { listener, admission, tls, shutdown, handler } = ctx;
    let sessions = SessionManager::from_parts(vec![listener], admission, Some(tls), HANDSHAKE, shutdown)?;
    Ok(Box::pin(async move { sessions.run(Arc::new(handler)).await }))
}
