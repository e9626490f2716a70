//! A logged-on back-end session: the user's maildrop and how to serve it.

use super::commands::retr::ReadAhead;
use super::maildrop::Maildrop;
use super::present::Presenter;
use crate::engines::net::mail_pool::MailPool;

pub struct Transaction {
    pub guid: String,
    pub drop: Maildrop,
    pub presenter: Presenter,
    pub pool: MailPool,
    /// The next message's RETR response, read while the client took this
    /// one (`commands::retr`).
    pub ahead: Option<ReadAhead>,
}
