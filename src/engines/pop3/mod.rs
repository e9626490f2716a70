//! POP3 (RFC 1939, CAPA RFC 2449, STLS RFC 2595, AUTH PLAIN RFC 5034) as
//! Exchange 2013 serves it: a front end (MSExchangePOP3) that clients reach
//! and a back end (MSExchangePOP3BE) that holds the maildrop.
//!
//! Protocol text apart from session logic: `command` parses a line,
//! `response` writes status lines and dot-stuffed blocks, `commands/` has
//! one handler per command, `front` and `back` are the two sessions, `front_relay` the front
//! end's relay of a logged-on session (reading ahead, `framing` telling one
//! answer of the back end from the next).

mod back;
pub mod command;
mod commands;
mod conn;
mod framing;
mod front;
mod front_relay;
pub mod maildrop;
mod present;
mod read_ahead;
pub mod response;
pub mod texts;
mod transaction;

pub use back::serve_back_end;
pub use front::serve_front_end;
