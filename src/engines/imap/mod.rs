//! The IMAP4 engine: a front end (MSExchangeIMAP4: pre-auth IMAP, TLS,
//! LoginType, limits, then a byte relay) and a back end
//! (MSExchangeIMAP4BE: the IMAP4rev1 server on the mailbox database).
//!
//! - `wire`: the protocol layer (imap-codec for the grammar, our literal
//!   and size decisions, response encoding).
//! - `mime`: ENVELOPE, BODYSTRUCTURE and BODY[section] from the raw bytes.
//! - `backend`: sessions, one module per command under `backend/commands`.
//! - `frontend`: the pre-auth session and the proxy.

pub mod backend;
pub mod capability;
pub mod fetch_items;
pub mod frontend;
pub mod texts;
pub mod wire;

pub use backend::serve_back_end;
pub use frontend::serve_front_end;
