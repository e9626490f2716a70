//! `mailsh -Setup`: Exchange Setup from the command line (the work is
//! `cmdlets::setup`'s, which the shell's Setup.exe shares).
//!
//! ```text
//! mailsh -Setup -Mode Install -Roles ClientAccess,Mailbox -ServerName MBX01 -Store postgresql://...
//! mailsh -Setup -Mode Uninstall -ServerName MBX01 -Store postgresql://...
//! ```

use std::path::Path;

use super::cli::{Options, create_options};
use crate::cmdlets::setup::{SetupRequest, setup};

/// Runs Setup; the exit status (0 done, 1 refused).
pub fn run(o: &Options, store: &Path) -> i32 {
    let request = SetupRequest { mode: o.mode.clone(), roles: o.roles.clone(), address: o.address.clone() };
    match setup(&request, create_options(o), store) {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            0
        }
        Err(e) => {
            eprintln!("Setup: {e}");
            1
        }
    }
}
