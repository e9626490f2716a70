//! The POP3 services end to end, with Python's poplib, curl and fetchmail.

mod access;
mod basic;
mod clients;
mod limits;
mod maildrop;
mod probe;
mod rendering;
mod retr;
mod tls;
