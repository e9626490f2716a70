//! The service supervisor end to end, and the connectivity probe against it.

mod control;
mod imap_probe;
