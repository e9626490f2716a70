//! What every host does with a session: make it (with the command table and
//! the console's formatter), and run a script with one Out-Default for the
//! whole of it, as PowerShell renders one input line or script.

use std::path::PathBuf;

use crate::format::out_default::OutDefault;
use crate::language::ast::Script;
use crate::runtime::pipeline::Outcome;
use crate::runtime::session::{Host, Session};
use crate::runtime::value::Value;
use crate::store::CreateOptions;

pub fn new_session(store: PathBuf, options: CreateOptions, host: Box<dyn Host>) -> Session {
    // Every later opening of the store (completion, the services' hook)
    // answers for the same server.
    if let Some(name) = &options.server_name {
        crate::store::answer_for(name);
    }
    Session::new(store, options, host, crate::cmdlets::registry(), &crate::format::CONSOLE)
}

/// Runs a parsed script; its objects are shown as the console shows them.
pub fn run_shown(cx: &mut Session, script: &Script) -> Outcome {
    let mut out = OutDefault::new();
    let outcome = cx.run_script(script, &mut |cx: &mut Session, v: Value| {
        out.push(cx, v);
        Ok(())
    });
    out.finish(cx);
    // As the console host does when a command line ends: an activity its
    // script never completed does not outlive it.
    cx.host.reset_progress();
    outcome
}
