//! The IMAP4 services end to end, with Python's imaplib, raw sockets,
//! curl, fetchmail and NeoMutt.

mod access;
mod basic;
mod calendar;
mod clients;
mod concurrency;
mod condstore;
mod conformance;
mod extensions;
mod mailbox;
mod quota;
mod rev2;
mod robustness;
mod sort_thread;
mod subscriptions;
mod sync_client;
mod tls;
