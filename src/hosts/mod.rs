//! The three hosts: the interactive REPL, batch scripts, and transcript
//! replay; and the console they share.

pub mod batch;
pub mod cli;
pub mod complete;
pub mod console;
#[cfg(test)]
mod fuzz_tests;
pub mod highlight;
pub mod history;
pub mod repl;
pub mod replay;
pub mod services_hook;
pub mod session;
