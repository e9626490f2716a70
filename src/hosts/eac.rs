//! The Exchange admin center as a host: the W3SVC engine hands each change
//! a page asks for here as a command line (`Set-CASMailbox -Identity ...
//! -ImapEnabled $false`), and it runs as if typed in the Shell (parser,
//! binder, cmdlet, the cmdlet's one transaction and audit row) with the
//! signed-in administrator as the audit log's caller. Nothing prompts; the
//! error records' messages and the warnings go back to the page.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use crate::language::parse_script;
use crate::runtime::session::{Host, Session, Source};
use crate::runtime::value::Value;
use crate::services::{CommandOutcome, CommandRunner};
use crate::store::CreateOptions;

/// What main() hands the service entry.
pub fn runner() -> Arc<dyn CommandRunner> {
    Arc::new(ShellRunner)
}

pub struct ShellRunner;

/// Keeps the warnings; output and error text are not shown (the error
/// records are read from `$Error`).
struct Collect {
    warnings: Rc<RefCell<Vec<String>>>,
}

impl Host for Collect {
    fn write_out(&mut self, _text: &str) {}
    fn write_err(&mut self, text: &str) {
        if let Some(w) = text.strip_prefix("WARNING: ") {
            self.warnings.borrow_mut().push(w.trim_end().to_string());
        }
    }
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        None
    }
    fn interactive(&self) -> bool {
        false
    }
}

impl CommandRunner for ShellRunner {
    fn run(&self, store: &Path, caller: &str, line: &str) -> CommandOutcome {
        let warnings = Rc::new(RefCell::new(Vec::new()));
        let host = Collect { warnings: warnings.clone() };
        let mut cx = super::session::new_session(store.to_path_buf(), CreateOptions::default(), Box::new(host));
        cx.user = caller.to_string();
        cx.non_interactive = true;
        cx.source = Rc::new(Source { text: line.to_string(), path: None, first_line: 1 });
        let errors = match parse_script(line) {
            Ok(script) => {
                cx.run_script(&script, &mut |_: &mut Session, _: Value| Ok(()));
                error_messages(&cx)
            }
            Err(e) => vec![e.message],
        };
        let warnings = warnings.borrow().clone();
        CommandOutcome { errors, warnings }
    }
}

/// The messages of the error records the line wrote, oldest first.
fn error_messages(cx: &Session) -> Vec<String> {
    match cx.get_var("Error") {
        Value::Array(list) => list
            .items()
            .iter()
            .rev()
            .filter_map(|v| match v {
                Value::ErrorRecord(r) => Some(r.message.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
