//! PowerShell's streams besides output: errors (2), warnings (3), verbose
//! (4), debug (5) and information/host (6), each honouring its preference
//! and any active redirection (`2>&1`, `3> file`, `*> $null`).
//!
//! The runtime does not know how objects and error records look as text:
//! the host gives it a `Formatter` (the format layer's), used for the
//! console and for redirected files alike.

use std::cell::RefCell;
use std::rc::Rc;

use super::errors::ErrorRecord;
use super::session::{Action, Session};
use super::value::Value;
use crate::language::ast::Stream;

/// How objects and error records become text.
pub trait Formatter {
    /// Objects as Out-Default shows them, `width` columns wide.
    fn render(&self, values: Vec<Value>, width: usize) -> String;
    /// An error record as the console shows it.
    fn render_error(&self, rec: &ErrorRecord) -> String;
}

pub const WARNING_RECORD: &str = "System.Management.Automation.WarningRecord";
pub const VERBOSE_RECORD: &str = "System.Management.Automation.VerboseRecord";
pub const DEBUG_RECORD: &str = "System.Management.Automation.DebugRecord";
pub const INFORMATION_RECORD: &str = "System.Management.Automation.InformationRecord";

/// A warning, verbose, debug or information message merged into the output
/// (`3>&1`): an object with its Message, shown as the console shows it.
fn stream_record(type_name: &str, text: &str) -> Value {
    let v = super::value::custom_object(vec![
        ("Message".into(), Value::str(text)),
        ("MessageData".into(), Value::str(text)),
    ]);
    if let Value::Object(o) = &v {
        o.set_type_name(type_name);
    }
    v
}

/// Where a redirected stream goes.
#[derive(Clone)]
pub enum RedirectTo {
    /// `2>$null`
    Null,
    /// `2> file`: collected, written when the command ends.
    File(Rc<RefCell<Vec<String>>>),
    /// `2>&1`: into the command's success output.
    Output(Rc<RefCell<Vec<Value>>>),
}

#[derive(Clone)]
pub struct Redirect {
    pub stream: Stream,
    pub to: RedirectTo,
}

impl Session {
    /// Where `stream` goes now, if it is redirected.
    fn redirected(&self, stream: Stream) -> Option<RedirectTo> {
        self.redirects.iter().rev().find(|r| r.stream == stream || r.stream == Stream::All).map(|r| r.to.clone())
    }

    /// Console output (already text): the host, and any transcript.
    pub fn print(&mut self, text: &str) {
        self.host.write_out(text);
        if let Some(t) = self.transcript.as_mut() {
            t.append(text);
        }
    }

    /// Text for the error stream of the console (and the transcript).
    fn print_err(&mut self, text: &str, color: Option<nu_ansi_term::Color>) {
        match color {
            Some(c) if self.host.color() => {
                let painted = c.paint(text.trim_end_matches('\n')).to_string();
                self.host.write_err(&format!("{painted}\n"));
            }
            _ => self.host.write_err(text),
        }
        if let Some(t) = self.transcript.as_mut() {
            t.append(text);
        }
    }

    /// `WARNING: text`, yellow on a terminal, unless -WarningAction says not.
    pub fn warn(&mut self, text: &str) {
        if let Some(name) = self.warning_variable.clone() {
            self.append_var(&name, Value::str(text));
        }
        let action = self.warning_action.unwrap_or_else(|| Action::from_value(&self.get_var("WarningPreference")));
        if matches!(action, Action::SilentlyContinue | Action::Ignore) {
            return;
        }
        let line = format!("WARNING: {text}\n");
        match self.redirected(Stream::Warning) {
            Some(RedirectTo::Null) => {}
            Some(RedirectTo::File(lines)) => lines.borrow_mut().push(line),
            Some(RedirectTo::Output(items)) => items.borrow_mut().push(stream_record(WARNING_RECORD, text)),
            None => self.print_err(&line, Some(nu_ansi_term::Color::Yellow)),
        }
    }

    /// `VERBOSE: text` when $VerbosePreference (or -Verbose) says so.
    pub fn verbose(&mut self, text: &str, forced: bool) {
        let pref = Action::from_value(&self.get_var("VerbosePreference"));
        if !forced && !matches!(pref, Action::Continue | Action::Stop | Action::Inquire) {
            return;
        }
        self.other_stream(Stream::Verbose, &format!("VERBOSE: {text}\n"), text, VERBOSE_RECORD);
    }

    /// `DEBUG: text` when $DebugPreference (or -Debug) says so.
    pub fn debug(&mut self, text: &str, forced: bool) {
        let pref = Action::from_value(&self.get_var("DebugPreference"));
        if !forced && !matches!(pref, Action::Continue | Action::Stop | Action::Inquire) {
            return;
        }
        self.other_stream(Stream::Debug, &format!("DEBUG: {text}\n"), text, DEBUG_RECORD);
    }

    /// Whether Write-Host's stream (6) is redirected now.
    pub fn host_stream_redirected(&self) -> bool {
        self.redirected(Stream::Information).is_some()
    }

    /// Write-Host: shown on the console; stream 6 redirections apply.
    pub fn host_text(&mut self, text: &str) {
        match self.redirected(Stream::Information) {
            Some(RedirectTo::Null) => {}
            Some(RedirectTo::File(lines)) => lines.borrow_mut().push(text.to_string()),
            Some(RedirectTo::Output(items)) => {
                items.borrow_mut().push(stream_record(INFORMATION_RECORD, text.trim_end_matches('\n')))
            }
            None => self.print(text),
        }
    }

    fn other_stream(&mut self, stream: Stream, line: &str, text: &str, record: &str) {
        match self.redirected(stream) {
            Some(RedirectTo::Null) => {}
            Some(RedirectTo::File(lines)) => lines.borrow_mut().push(line.to_string()),
            Some(RedirectTo::Output(items)) => items.borrow_mut().push(stream_record(record, text)),
            None => self.print_err(line, Some(nu_ansi_term::Color::Yellow)),
        }
    }

    /// Writes a non-terminating error record (or records a silenced one).
    pub fn write_error(&mut self, mut record: ErrorRecord, action: Action) {
        if record.position.is_none() {
            record.position = record.span.map(|s| self.position(s));
        }
        self.statement_errors += 1;
        self.total_errors += 1;
        self.set_local("?", Value::Bool(false));
        if action == Action::Ignore {
            return;
        }
        let record = Rc::new(record);
        if action != Action::SilentlyContinue {
            match self.redirected(Stream::Error) {
                Some(RedirectTo::Null) => {}
                Some(RedirectTo::File(lines)) => lines.borrow_mut().push(self.formatter().render_error(&record)),
                Some(RedirectTo::Output(items)) => items.borrow_mut().push(Value::ErrorRecord(record.clone())),
                None => {
                    let text = self.formatter().render_error(&record);
                    self.print_err(&text, Some(nu_ansi_term::Color::Red));
                }
            }
        }
        self.remember_error(record);
    }

    /// Adds an error to `$Error` (newest first, at most 256).
    pub fn remember_error(&mut self, record: Rc<ErrorRecord>) {
        if let Some(var) = self.scopes.lookup("error")
            && let Value::Array(list) = var.value()
        {
            let mut items = list.items_mut();
            items.insert(0, Value::ErrorRecord(record));
            items.truncate(256);
        }
    }

    pub fn formatter(&self) -> &'static dyn Formatter {
        self.formatter
    }
}
