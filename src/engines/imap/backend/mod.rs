//! MSExchangeIMAP4BE: the IMAP4rev1 server on loopback (ProxyTargetPort)
//! that the front end relays authenticated clients to. It verifies the
//! credentials again (AUTHENTICATE PLAIN from the front end; the
//! verified-credential cache makes that cheap) and serves the mailbox
//! database.

pub mod commands;
mod dispatch;
pub mod fetch_batch;
pub mod mailbox_names;
pub mod search_eval;
pub mod selected;
pub mod sequence;
pub mod session;
pub mod sort_keys;

use std::sync::Arc;

use crate::engines::imap::texts;
use crate::engines::net::EngineContext;
use crate::engines::net::listener::{Connection, SessionHandler, SessionManager};

/// What every session of the back end shares. Each session works in its
/// user's mailbox database (`ImapSession::home`), found at logon.
pub struct BackEnd {
    pub ctx: EngineContext,
}

/// Serves MSExchangeIMAP4BE until the service stops.
pub async fn serve_back_end(ctx: EngineContext, sessions: SessionManager) {
    sessions.run(Arc::new(BackEnd { ctx })).await;
}

impl SessionHandler for BackEnd {
    const REFUSAL: &'static [u8] = texts::TOO_MANY_CONNECTIONS_LINE;
    const BUSY: &'static [u8] = texts::BUSY_LINE;
    const STRANGER: &'static [u8] = texts::STRANGER_LINE;

    async fn serve(self: Arc<Self>, connection: Connection) {
        let _ = session::run(connection, self).await;
    }
}
