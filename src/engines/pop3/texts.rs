//! Every line a POP3 client reads from mailsh, in one place. The ones the
//! brief or Exchange's documentation confirm are marked; the rest are best
//! knowledge of what Exchange 2013 says, kept here to be easy to correct.

/// As Exchange 2013's POP3 service answers.
pub const LOGGED_ON: &str = "User successfully logged on.";
/// Confirmed.
pub const LOGON_FAILURE: &str = "Logon failure: unknown user name or bad password.";
/// Confirmed: the back end could not be reached after the front end accepted the credentials.
pub const NOT_CONNECTED: &str = "User is authenticated but not connected.";
/// Confirmed: the mailbox database failed during a command.
pub const SERVER_UNAVAILABLE: &str = "Server Unavailable. 21";
/// Unconfirmed.
pub const SIGNING_OFF: &str = "Microsoft Exchange Server POP3 server signing off.";
/// Unconfirmed.
pub const BAD_STATE: &str = "Command is not valid in this state.";
/// Unconfirmed.
pub const PROTOCOL_ERROR: &str = "Protocol error. 14";
/// Unconfirmed.
pub const BAD_ARGUMENTS: &str = "Command argument error. 12";
/// Unconfirmed.
pub const NO_SUCH_MESSAGE: &str = "The specified message is out of range.";
/// Unconfirmed.
pub const MESSAGE_DELETED: &str = "The specified message has been deleted.";
/// Unconfirmed.
pub const BEGIN_TLS: &str = "Begin TLS negotiation.";
/// Unconfirmed. Written by the session manager before it closes a
/// connection over MaxConnections or MaxConnectionFromSingleIP.
pub const TOO_MANY_CONNECTIONS_LINE: &[u8] = b"-ERR Connection is refused: too many connections.\r\n";
/// Unconfirmed.
pub const TOO_MANY_USER_CONNECTIONS: &str = "Logon failure: too many connections for this user.";
/// Unconfirmed.
pub const LINE_TOO_LONG: &str = "Command is too long.";
/// Unconfirmed.
pub const AUTH_CANCELLED: &str = "Authentication cancelled.";
/// Unconfirmed.
pub const UNKNOWN_MECHANISM: &str = "Unrecognized authentication type.";
/// Unconfirmed.
pub const TIMED_OUT: &str = "Connection timed out.";
/// Not Exchange's (it has no such state): RFC 3206's temporary failure for
/// a logon that could not be queued for checking.
pub const LOGON_BUSY: &str = "[SYS/TEMP] Too many logons are waiting to be checked; try again later.";
/// Not Exchange's, and never a client's to read: the back end's answer to
/// the front end's read-ahead of a message too large to hold.
pub const NOT_READ_AHEAD: &str = "Not read ahead: the message is large.";
/// Not Exchange's: a connection beyond the budget of connections not
/// logged on yet (written by the session manager).
pub const BUSY_LINE: &[u8] = b"-ERR [SYS/TEMP] Too many connections are waiting to log on; try again later.\r\n";
/// Not Exchange's: a connection to the back end's port that is not this
/// store's front end.
pub const STRANGER_LINE: &[u8] = b"-ERR Connection refused: this port serves the POP3 front end only.\r\n";
