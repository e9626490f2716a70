//! A logged-on back-end session: the user's maildrop and how to serve it.

use super::maildb::MailPool;
use super::maildrop::Maildrop;
use super::present::Presenter;

pub struct Transaction {
    pub guid: String,
    pub drop: Maildrop,
    pub presenter: Presenter,
    pub pool: MailPool,
}
