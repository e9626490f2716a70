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
/// Not Exchange's (it has no such state): RFC 5530's temporary failure for
/// a logon that could not be queued for checking.
pub const LOGIN_BUSY: &str = "[UNAVAILABLE] Too many logons are waiting to be checked; try again later.";
/// Not Exchange's: a connection beyond the budget of connections not
/// logged on yet (written by the session manager).
pub const BUSY_LINE: &[u8] = b"* BYE [UNAVAILABLE] Too many connections are waiting to log on; try again later.\r\n";
/// Not Exchange's: a connection to the back end's port that is not this
/// store's front end.
pub const STRANGER_LINE: &[u8] = b"* BYE Connection refused: this port serves the IMAP4 front end only.\r\n";
