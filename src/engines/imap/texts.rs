//! Exchange 2013's wire texts (what its IMAP4 service answers), in one place.

pub const LOGIN_FAILED: &str = "LOGIN failed.";
pub const AUTHENTICATE_FAILED: &str = "AUTHENTICATE failed.";
pub const AUTHENTICATE_CANCELLED: &str = "AUTHENTICATE cancelled.";
pub const NOT_CONNECTED: &str = "User is authenticated but not connected.";
pub const SERVER_UNAVAILABLE: &str = "Server Unavailable. 15";
pub const IDLE_TIMEOUT_BYE: &str = "* BYE Connection is closed. 13";
pub const TOO_MANY_FAILURES_BYE: &str = "* BYE Connection is closed. 14";
/// Written by the session manager before it closes a connection over
/// MaxConnections or MaxConnectionFromSingleIP.
pub const TOO_MANY_CONNECTIONS_LINE: &[u8] = b"* BYE Connection is closed. 14\r\n";
/// After a command the reader could not skip safely (an endless line, a huge
/// non-synchronizing literal).
pub const ABUSIVE_BYE: &str = "* BYE Connection is closed. 12";
pub const COMMAND_ERROR: &str = "Command Error. 12";
pub const ARGUMENT_ERROR: &str = "Command Argument Error. 11";
pub const INVALID_STATE: &str = "Command received in Invalid state.";
pub const LOGOUT_BYE: &str = "* BYE Microsoft Exchange Server IMAP4 server signing off.";
pub const SHUTDOWN_BYE: &str = "* BYE Microsoft Exchange Server IMAP4 server signing off.";
pub const ACCESS_REVOKED_BYE: &str = "* BYE Connection is closed. 13";
pub const LOGIN_DISABLED: &str = "Command received in Invalid state.";
pub const LITERAL_TOO_BIG: &str = "[TOOBIG] Command Argument Error. 11";
