//! The listener a service opens for the organization's other servers (the
//! Transport's hand-offs, the Mailbox Replication service): at the
//! server's address (`Setup -Address`), TLS first, its endpoint published
//! in the directory under the service's name; on loopback, in plain text
//! and unpublished, for a server without an address. Either way only a
//! connection that proves the organization's key gets past it, so it
//! counts no connection limit, only the back ends' budget of unproven
//! connections.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use super::context::BoundListener;
use super::listener::Admission;
use super::proxy_auth::ProxyKey;
use super::{ConnectionLimits, ListenerKind, NetError, PreAuthBudget, bind};
use crate::store::Store;

/// Binds and publishes the listener of `service_name`; `what` names it in
/// the reasons a start fails with.
pub fn bind_for_servers(
    service_name: &'static str,
    what: &str,
    store: &mut Store,
    address: Option<&str>,
    key: Arc<ProxyKey>,
) -> Result<(BoundListener, Admission), NetError> {
    let (at, kind) = match address {
        Some(a) => (bind::resolve(a, 0)?, ListenerKind::BackendTls),
        None => (SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), ListenerKind::Backend),
    };
    let listener = bind::bind_one(at).map_err(|e| NetError::Bind(format!("The {what} could not be bound: {e}")))?;
    let addr = listener.local_addr().map_err(|e| NetError::Bind(e.to_string()))?;
    if address.is_some() {
        store
            .publish_endpoint(service_name, &addr.to_string())
            .map_err(|e| NetError::Bind(format!("The {what} could not be published: {e}")))?;
    }
    let admission = Admission {
        service_name,
        limits: ConnectionLimits::new(i64::MAX, i64::MAX, i64::MAX),
        pre_auth: PreAuthBudget::for_back_end(address.is_some()),
        proxy_key: key,
    };
    Ok((BoundListener { binding: addr.to_string(), kind, listener }, admission))
}
