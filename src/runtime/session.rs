//! One shell session: variables, preferences, the store, the host, and the
//! streams (output, warnings, errors) every command writes through.

use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

use super::errors::{ErrorRecord, Position};
use super::value::Value;
use crate::format::error_record::render_error;
use crate::language::ast::Span;
use crate::store::{CreateOptions, Store};

/// What the session needs from whoever runs it: somewhere to write, and
/// (in the REPL only) someone to ask.
pub trait Host {
    fn write_out(&mut self, text: &str);
    fn write_err(&mut self, text: &str);
    /// Reads a line after `prompt`; `None` when nobody can answer (batch,
    /// -NonInteractive) or input ended.
    fn read_line(&mut self, prompt: &str) -> Option<String>;
    fn interactive(&self) -> bool;
    fn color(&self) -> bool {
        false
    }
    /// Columns available to tables and lists.
    fn width(&self) -> usize {
        120
    }
}

/// The text being run, to resolve spans into `At line:N char:M`.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub text: String,
    /// The script path (-File, Replay), or None for typed input.
    pub path: Option<String>,
    /// Line number of the text's first line in its file.
    pub first_line: usize,
}

/// How errors and warnings are handled ($ErrorActionPreference, -ErrorAction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SilentlyContinue,
    Stop,
    Continue,
    Inquire,
    Ignore,
}

impl Action {
    pub fn from_value(v: &Value) -> Action {
        match v.to_text().to_ascii_lowercase().as_str() {
            "silentlycontinue" => Action::SilentlyContinue,
            "stop" => Action::Stop,
            "inquire" => Action::Inquire,
            "ignore" => Action::Ignore,
            _ => Action::Continue,
        }
    }
}

pub struct Session {
    vars: HashMap<String, Value>,
    pub store_path: PathBuf,
    pub create_options: CreateOptions,
    store: Option<Store>,
    pub host: Box<dyn Host>,
    pub source: Rc<Source>,
    /// Error records written by the current top-level statement.
    pub statement_errors: usize,
    /// Error records written since the session began (the exit status).
    pub total_errors: usize,
    /// -WarningAction of the command now running.
    pub warning_action: Option<Action>,
    pub transcript: Option<crate::hosts::transcript::Transcript>,
    /// Executable that services are spawned from.
    pub exe: PathBuf,
    /// Set by -NonInteractive: nothing may prompt.
    pub non_interactive: bool,
    /// The OS user, recorded in the audit log.
    pub user: String,
}

impl Session {
    pub fn new(store_path: PathBuf, create_options: CreateOptions, host: Box<dyn Host>) -> Session {
        let mut vars = HashMap::new();
        vars.insert("erroractionpreference".into(), Value::str("Continue"));
        vars.insert("warningpreference".into(), Value::str("Continue"));
        vars.insert("formatenumerationlimit".into(), Value::Int(4));
        vars.insert("?".into(), Value::Bool(true));
        vars.insert("error".into(), Value::Array(vec![]));
        let user =
            std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "administrator".into());
        let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("mailsh"));
        Session {
            vars,
            store_path,
            create_options,
            store: None,
            host,
            source: Rc::new(Source::default()),
            statement_errors: 0,
            total_errors: 0,
            warning_action: None,
            transcript: None,
            exe,
            non_interactive: false,
            user,
        }
    }

    /// The configuration store, opened (and created) on first use.
    pub fn store(&mut self) -> Result<&mut Store, ErrorRecord> {
        if self.store.is_none() {
            let store = Store::open_or_create(&self.store_path, &self.create_options)
                .map_err(|e| ErrorRecord::task(e.to_string(), "StoreUnavailable"))?;
            self.store = Some(store);
        }
        self.store.as_mut().ok_or_else(|| ErrorRecord::task("The configuration store is not open.", "StoreUnavailable"))
    }

    // ---- variables ----------------------------------------------------------

    pub fn get_var(&self, name: &str) -> Value {
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            "null" => return Value::Null,
            "psitem" => return self.vars.get("_").cloned().unwrap_or(Value::Null),
            "pwd" => {
                return Value::str(std::env::current_dir().map(|p| p.display().to_string()).unwrap_or_default());
            }
            _ => {}
        }
        if let Some(env) = lower.strip_prefix("env:") {
            let key = &name[4..];
            return std::env::var(key)
                .or_else(|_| std::env::var(env.to_ascii_uppercase()))
                .map(Value::Str)
                .unwrap_or(Value::Null);
        }
        let bare = strip_scope(&lower);
        self.vars.get(bare).cloned().unwrap_or(Value::Null)
    }

    pub fn set_var(&mut self, name: &str, value: Value) -> Result<(), ErrorRecord> {
        let lower = name.to_ascii_lowercase();
        if matches!(lower.as_str(), "true" | "false" | "null" | "?") {
            return Err(ErrorRecord::new(
                format!("Cannot overwrite variable {name} because it is read-only or constant."),
                super::errors::Category::WriteError,
                "VariableNotWritable",
                "SessionStateUnauthorizedAccessException",
            )
            .with_target(name, "String")
            .unqualified());
        }
        if let Some(env) = name.strip_prefix("env:").or_else(|| name.strip_prefix("Env:")) {
            // SAFETY of intent: mailsh is single-threaded while it runs a
            // script; services are separate processes.
            unsafe { std::env::set_var(env, value.to_text()) };
            return Ok(());
        }
        self.vars.insert(strip_scope(&lower).to_string(), value);
        Ok(())
    }

    pub fn take_var(&mut self, name: &str) -> Option<Value> {
        self.vars.remove(&name.to_ascii_lowercase())
    }

    pub fn restore_var(&mut self, name: &str, old: Option<Value>) {
        match old {
            Some(v) => {
                self.vars.insert(name.to_ascii_lowercase(), v);
            }
            None => {
                self.vars.remove(&name.to_ascii_lowercase());
            }
        }
    }

    pub fn variable_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.vars.keys().cloned().collect();
        names.sort();
        names
    }

    pub fn error_action_preference(&self) -> Action {
        Action::from_value(&self.get_var("ErrorActionPreference"))
    }

    // ---- streams --------------------------------------------------------------

    pub fn print(&mut self, text: &str) {
        self.host.write_out(text);
        if let Some(t) = self.transcript.as_mut() {
            t.append(text);
        }
    }

    /// `WARNING: text`, yellow on a terminal, unless -WarningAction says not.
    pub fn warn(&mut self, text: &str) {
        let action = self.warning_action.unwrap_or_else(|| Action::from_value(&self.get_var("WarningPreference")));
        if matches!(action, Action::SilentlyContinue | Action::Ignore) {
            return;
        }
        let line = format!("WARNING: {text}\n");
        if self.host.color() {
            let painted = nu_ansi_term::Color::Yellow.paint(line.trim_end()).to_string();
            self.host.write_err(&format!("{painted}\n"));
        } else {
            self.host.write_err(&line);
        }
        if let Some(t) = self.transcript.as_mut() {
            t.append(&line);
        }
    }

    /// Writes a non-terminating error record (or records a silenced one).
    pub fn write_error(&mut self, mut record: ErrorRecord, action: Action) {
        if record.position.is_none() {
            record.position = record.span.map(|s| self.position(s));
        }
        self.statement_errors += 1;
        self.total_errors += 1;
        self.vars.insert("?".into(), Value::Bool(false));
        if action == Action::Ignore {
            return;
        }
        if action != Action::SilentlyContinue {
            let text = render_error(&record);
            if self.host.color() {
                let painted = nu_ansi_term::Color::Red.paint(text.trim_end_matches('\n')).to_string();
                self.host.write_err(&format!("{painted}\n"));
            } else {
                self.host.write_err(&text);
            }
            if let Some(t) = self.transcript.as_mut() {
                t.append(&text);
            }
        }
        self.push_error_var(record);
    }

    fn push_error_var(&mut self, record: ErrorRecord) {
        let entry = Value::str(record.message.clone());
        if let Some(Value::Array(list)) = self.vars.get_mut("error") {
            list.insert(0, entry);
            list.truncate(256);
        }
    }

    /// Resolves a span of the current source into PowerShell's position.
    pub fn position(&self, span: Span) -> Position {
        let text = &self.source.text;
        let start = span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let line_end = text[start..].find('\n').map(|i| start + i).unwrap_or(text.len());
        let line_no = text[..start].matches('\n').count() + self.source.first_line.max(1);
        let line_text = text[line_start..line_end].trim_end_matches('\r').to_string();
        let column = text[line_start..start].chars().count() + 1;
        let end = span.end.clamp(start, line_end.max(start));
        let mark_len = text[start..end].chars().count().max(1);
        Position { script: self.source.path.clone(), line: line_no, column, line_text, mark_len }
    }
}

fn strip_scope(name: &str) -> &str {
    for scope in ["global:", "script:", "local:", "private:"] {
        if let Some(rest) = name.strip_prefix(scope) {
            return rest;
        }
    }
    name
}
