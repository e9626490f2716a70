//! The IMAP4 services end to end, with Python's imaplib, curl and fetchmail.

mod access;
mod basic;
mod calendar;
mod clients;
mod concurrency;
mod conformance;
mod mailbox;
mod robustness;
mod tls;
