//! MSExchangeIMAP4: what clients connect to. It greets with the Banner,
//! offers STARTTLS on the plain bindings (the session manager does implicit
//! TLS on the SSL ones and the connection limits), enforces LoginType and
//! MaxConnectionsPerUser, authenticates the user against the config store,
//! then logs on to the back end with AUTHENTICATE PLAIN and relays bytes
//! both ways.
//!
//! - `session`: one client from the greeting until it is relayed or leaves.
//! - `commands`: the pre-auth commands, one module each.
//! - `backend_link`: the log-on to the back end.

mod backend_link;
mod commands;
mod session;

use std::sync::Arc;

use crate::engines::imap::texts;
use crate::engines::net::EngineContext;
use crate::engines::net::listener::{Connection, SessionHandler, SessionManager};

pub use backend_link::BackendLink;

/// What every session of the front end shares.
pub struct FrontEnd {
    pub ctx: EngineContext,
}

/// Serves MSExchangeIMAP4 until the service stops.
pub async fn serve_front_end(ctx: EngineContext, sessions: SessionManager) {
    sessions.run(Arc::new(FrontEnd { ctx })).await;
}

impl SessionHandler for FrontEnd {
    const REFUSAL: &'static [u8] = texts::TOO_MANY_CONNECTIONS_LINE;
    const BUSY: &'static [u8] = texts::BUSY_LINE;

    async fn serve(self: Arc<Self>, connection: Connection) {
        let _ = session::run(connection, self).await;
    }
}
