//! Network pieces shared by the IMAP4 and POP3 engines. Nothing here knows a
//! protocol's grammar: each engine parses its own commands and calls these.

pub mod auth;
pub mod back_end_link;
pub mod bind;
pub mod context;
pub mod data_version;
pub mod error;
pub mod limits;
pub mod lines;
pub mod listener;
pub mod mail_databases;
pub mod mail_pool;
pub mod memory;
pub mod protolog;
pub mod proxy_auth;
pub mod relay;
pub mod routes;
pub mod sasl;
pub mod scratch;
pub mod server_listener;
pub mod spare_link;
pub mod stream;
pub mod throttle;
pub mod time;
pub mod tls;
pub mod verify_pool;

pub use auth::{Authenticator, Caller, FrontEndRefusal, LoginOutcome};
pub use context::{EngineContext, EngineRole, ListenerKind};
pub use error::NetError;
pub use limits::{
    ConnectionLimits, ConnectionSlot, LimitRefusal, PreAuthBudget, PreAuthSlot, USER_SLOT_GRACE, UserSlot,
};
pub use lines::{LineError, LineReader};
pub use stream::ServerStream;
