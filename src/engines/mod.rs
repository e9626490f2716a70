//! The services' engines: IMAP4 and POP3 servers, each a front end (what
//! clients connect to) and a back end (what serves the mailbox), SMTP for
//! the transport services, and the Exchange admin center (`web`) for W3SVC.
//! `net` holds what both protocols share: TLS, listeners, limits, logins,
//! protocol logs and the front-end-to-back-end relay.

pub mod imap;
pub mod mime;
pub mod net;
pub mod pop3;
pub mod probe;
pub mod render;
pub mod replication;
pub mod send_mail;
pub mod smtp;
pub mod web;
