//! The three hosts: the interactive REPL, batch scripts, and transcript
//! replay; and the console they share.

pub mod batch;
pub mod cli;
pub mod complete;
mod completion_menu;
pub mod console;
pub mod eac;
#[cfg(test)]
mod fuzz_tests;
pub mod highlight;
pub mod history;
mod keys;
mod progress_pane;
pub mod repl;
pub mod replay;
pub mod services_hook;
pub mod session;
mod setup;
mod tab_cycle;
