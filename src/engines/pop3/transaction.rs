//! A logged-on back-end session: the user's maildrop and how to serve it.

use super::maildrop::Maildrop;
use super::present::Presenter;
use super::read_ahead::ReadAhead;
use crate::engines::net::mail_pool::MailPool;

pub struct Transaction {
    pub guid: String,
    pub drop: Maildrop,
    pub presenter: Presenter,
    pub pool: MailPool,
    /// The next messages' RETR responses, read while the client took this
    /// one (`read_ahead`).
    pub ahead: Option<ReadAhead>,
}
