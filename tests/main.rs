//! mailsh's end-to-end tests: the real binary on a real store, real
//! services on loopback ports and real clients. One test binary (each
//! binary links the whole crate), one module per area; `cargo test --test
//! main imap::` runs one area. Cargo.toml names this file as the only
//! integration test (`autotests = false`); `layout` checks that every file
//! under tests/ is part of it.

// Test code: a step that fails fails the test (Cargo.toml denies these
// outside tests; clippy.toml allows them in #[test] functions, and here in
// the support too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod batch_confirm;
mod directory;
mod docs;
mod dsn;
mod eac;
mod groups;
mod imap;
mod language;
mod layout;
mod mail_queue;
mod mailbox_databases;
mod pop3;
mod repl;
mod repl_admin;
mod security;
mod send_connector;
mod send_mail;
mod services;
mod shell;
mod shell_ux;
mod smtp;
mod smtp_clients;
mod smtputf8;
mod submission;
mod transcripts;
mod utility_cmdlets;
