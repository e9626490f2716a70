//! Every line an SMTP client reads from mailsh's transport services, as
//! Exchange 2013 words it. Lines marked (unconfirmed) follow Exchange's
//! style where its exact text is not known to us.

pub const READY_SUFFIX: &str = "Microsoft ESMTP MAIL Service ready at";
pub const TOO_MANY_CONNECTIONS: &[u8] =
    b"421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing transmission channel\r\n";
/// Beyond the budget of connections not logged on (RFC 5321's 421 at the
/// greeting; unconfirmed text).
pub const BUSY_GREETING: &[u8] = b"421 4.3.2 The server is busy, closing transmission channel; try again later\r\n";
/// At the Transport's hand-off listener, to a client that did not prove
/// the organization's proxy key (unconfirmed text: Exchange has no such
/// port).
pub const STRANGER: &[u8] =
    b"421 4.7.0 This port takes only the organization's transport services, closing transmission channel\r\n";
pub const SHUTTING_DOWN: &str = "421 4.3.2 Service not available, closing transmission channel";
pub const TIMEOUT: &str = "451 4.7.0 Timeout waiting for client input";
pub const CLOSING: &str = "221 2.0.0 Service closing transmission channel";
pub const OK: &str = "250 2.0.0 OK";
pub const RESETTING: &str = "250 2.0.0 Resetting";
pub const SENDER_OK: &str = "250 2.1.0 Sender OK";
pub const RECIPIENT_OK: &str = "250 2.1.5 Recipient OK";
pub const START_DATA: &str = "354 Start mail input; end with <CRLF>.<CRLF>";
pub const START_TLS: &str = "220 2.0.0 SMTP server ready";
pub const UNRECOGNIZED: &str = "500 5.3.3 Unrecognized command";
pub const LINE_TOO_LONG: &str = "500 5.3.3 Unrecognized command";
pub const INVALID_ARGUMENTS: &str = "501 5.5.4 Invalid arguments";

/// A non-ASCII address in a transaction without SMTPUTF8 (RFC 6531's
/// 553 5.6.7; unconfirmed text).
pub const NEEDS_SMTPUTF8: &str = "553 5.6.7 Non-ASCII addresses require the SMTPUTF8 extension";
/// A message sent with SMTPUTF8 whose next hop does not offer it (RFC
/// 6531: it may not be handed on; unconfirmed text).
pub const NEXT_HOP_LACKS_SMTPUTF8: &str =
    "550 5.6.7 The message needs SMTPUTF8 and the destination server does not offer it";

/// BasicAuth, and a smart host that offers neither AUTH PLAIN nor AUTH
/// LOGIN (unconfirmed text).
pub const SMART_HOST_NO_BASIC_AUTH: &str = "451 4.7.0 The smart host does not offer AUTH PLAIN or AUTH LOGIN";

/// A send connector with RequireTLS, and a smart host that does not offer
/// STARTTLS (or refuses it): the mail waits (unconfirmed text).
pub const STARTTLS_REQUIRED: &str = "451 5.7.3 STARTTLS is required to send mail";

/// A MAIL FROM or RCPT TO parameter of an extension this server does not
/// offer (RFC 5321's 555; unconfirmed text).
pub fn unsupported_option(name: &str) -> String {
    format!("555 5.5.4 Unsupported option: {name}")
}
pub const INVALID_SENDER: &str = "501 5.1.7 Invalid address";
pub const INVALID_RECIPIENT: &str = "501 5.1.3 Invalid address";
pub const SEND_HELLO_FIRST: &str = "503 5.5.2 Send hello first";
pub const SENDER_ALREADY: &str = "503 5.5.2 Sender already specified";
pub const NEED_MAIL: &str = "503 5.5.2 Need mail command";
pub const BAD_SEQUENCE: &str = "503 5.5.1 Bad sequence of commands";
pub const NEED_RCPT: &str = "503 5.5.2 Need rcpt command";
pub const NOT_AUTHENTICATED: &str = "530 5.7.1 Client was not authenticated";
pub const TLS_REQUIRED_FOR_AUTH: &str = "504 5.7.4 Unrecognized authentication type";
pub const ALREADY_AUTHENTICATED: &str = "503 5.5.2 Already authenticated";
pub const AUTH_OK: &str = "235 2.7.0 Authentication successful";
pub const AUTH_FAILED: &str = "535 5.7.3 Authentication unsuccessful";
/// Too many logons waiting to be checked (RFC 4954's temporary failure).
pub const AUTH_BUSY: &str = "454 4.7.0 Temporary authentication failure";
pub const AUTH_CANCELLED: &str = "501 5.0.0 Authentication cancelled";
pub const TLS_ALREADY: &str = "503 5.5.1 TLS already negotiated (unconfirmed)";
pub const NOT_IMPLEMENTED: &str = "502 5.3.3 Command not implemented";
pub const VRFY: &str = "252 2.1.5 Cannot VRFY user";
pub const RECIPIENT_NOT_FOUND: &str =
    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup";
pub const UNABLE_TO_RELAY: &str = "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain";
pub const TOO_MANY_RECIPIENTS: &str = "452 4.5.3 Too many recipients";
pub const TOO_BIG: &str = "552 5.3.4 Message size exceeds fixed maximum message size";
/// Over the organization's MaxReceiveSize / MaxSendSize (Exchange's
/// categorizer text; refused here at the end of DATA, unconfirmed there).
pub const OVER_ORGANIZATION_LIMIT: &str =
    "550 5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route";
/// A distribution group with RequireSenderAuthenticationEnabled, named by
/// a sender that did not log on (Exchange's categorizer's refusal).
pub const GROUP_AUTH_REQUIRED: &str = "550 5.7.1 RESOLVER.RST.AuthRequired; authentication required";
pub const MAILBOX_FULL: &str = "552 5.2.2 STOREDRV.Deliver; mailbox full";
/// The sender's mailbox is at its ProhibitSendQuota (unconfirmed text).
pub const SENDER_OVER_QUOTA: &str = "554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException";
pub const SEND_AS_DENIED: &str = "550 5.7.60 SMTP; Client does not have permissions to send as this sender";
/// The Transport service could not be reached or failed while storing.
pub const TRY_LATER: &str = "451 4.7.0 Temporary server error. Please try again later. PRX2";
/// A message that passed through more servers than `MAX_HOPS` (a mail
/// loop between Transports, or outside): refused (Exchange's code; the
/// text unconfirmed).
pub const HOP_COUNT_EXCEEDED: &str = "554 5.4.14 Hop count exceeded - possible mail loop";
pub const STORE_UNAVAILABLE: &str = "451 4.3.2 Temporary server error. Please try again later (unconfirmed)";

/// Delivery found the recipient's mailbox gone (Exchange's categorizer and
/// Mailbox Transport Delivery: LocalRecipientAddressUnknown).
pub const RECIPIENT_GONE: &str = "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found";
/// Remove-Message -WithNDR $true.
pub const DELETED_BY_ADMIN: &str = "550 4.3.2 QUEUE.Admin; message deleted by administrative action";
/// A delivery attempt that failed for now (the mailbox database busy or
/// unwritable): the delivery queue's LastError, followed by the error.
/// Modelled on Mailbox Transport Delivery's transient storage failures
/// (unconfirmed).
pub const TRANSIENT_DELIVERY: &str = "432 4.2.0 STOREDRV.Deliver.Exception:StorageTransientException; Failed to process message due to a transient exception with message";
/// A message that waited past MessageExpirationTimeout.
pub const MESSAGE_EXPIRED: &str = "550 4.4.7 QUEUE.Expired; message expired";

// The quota messages a mailbox gets (`quota_notice`). Their wording is
// Exchange's in spirit, not known word for word (unconfirmed): kept here,
// together, to be corrected in one place. `{size}` and `{limit}` are
// Exchange's sizes (`9.77 MB (10,240,000 bytes)`).
pub const QUOTA_WARNING_SUBJECT: &str = "Your mailbox is almost full.";
pub const QUOTA_WARNING_BODY: &str = "Your mailbox is almost full.

Your mailbox is {size}, past the warning size of {limit} your administrator set.

To make room, delete the items you no longer need, then empty your Deleted Items folder. If your mailbox keeps growing, you will no longer be able to send messages, and then to receive them.";
pub const QUOTA_SEND_SUBJECT: &str = "Your mailbox is full.";
pub const QUOTA_SEND_BODY: &str = "Your mailbox is full.

Your mailbox is {size}, past the size of {limit} your administrator set: you can't send messages until you make it smaller.

To make room, delete the items you no longer need, then empty your Deleted Items folder. If your mailbox keeps growing, you will no longer receive messages either.";
