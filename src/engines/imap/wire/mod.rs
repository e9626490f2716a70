//! The IMAP protocol layer: reading client commands (imap-codec does the
//! grammar; we decide about literals and limits) and writing responses.
//!
//! Responses are written by hand rather than through imap-codec's typed
//! `Response` values: FETCH data must control exactly when a literal is used
//! (curl needs `{n}` for bodies) and how partial origins are echoed, and
//! ENVELOPE/BODYSTRUCTURE are produced straight from mail-parser's part tree
//! without building a second typed model of every message.

pub mod bad_input;
pub mod deflate;
pub mod ext;
pub mod number64;
pub mod out;
pub mod reader;
pub mod utf7;

pub use reader::{CommandReader, Incoming, Limits};
