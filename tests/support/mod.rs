//! What every end-to-end test shares: the shell on a temporary store
//! (`Shell`; any other store: `shell_on`), the services on a temporary store with one mailbox (`Env`),
//! Python clients (`python`, `Script`, `raw_script`), the pseudo-terminal driver for the
//! REPL (`Pty`), loopback ports (`free_port`), waits with a deadline
//! (`wait_until`), the crash tests' random kills (`crash`), and what IMAP4's and POP3's tests share (`access`,
//! `fetchmail`). Nothing here sleeps for a fixed time.

pub mod access;
pub mod crash;
pub mod env;
pub mod fetchmail;
pub mod ports;
pub mod postgres;
pub mod pty;
pub mod python;
pub mod shell;
pub mod wait;

pub use env::{Env, PASSWORD, USER, bare_message, message};
pub use ports::free_port;
pub use python::{Script, imaplib_session, printed, python, raw_script, shown};
pub use shell::{Run, Shell, assert_text, exe, file_text, on_postgres, shell_on};
pub use wait::wait_until;
