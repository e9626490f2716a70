//! One shell session: scopes and variables, preferences, the store, the
//! host, and the command table the pipeline looks commands up in.

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::command::CommandTable;
use super::errors::{Category, ErrorRecord, Position};
use super::scope::{FrameKind, Scopes, Variable};
use super::streams::Redirect;
use super::types::{TypeRef, cast};
use super::value::{Array, ArrayKind, Value};
use crate::language::ast::{Span, VarRef, VarScope};
use crate::store::{CreateOptions, Store};

/// What the session needs from whoever runs it: somewhere to write, and
/// (in the REPL only) someone to ask.
pub trait Host {
    fn write_out(&mut self, text: &str);
    fn write_err(&mut self, text: &str);
    /// Reads a line after `prompt`; `None` when nobody can answer (batch,
    /// -NonInteractive) or input ended.
    fn read_line(&mut self, prompt: &str) -> Option<String>;
    /// Reads a secret without echo, showing `*` per character.
    fn read_secret(&mut self, prompt: &str) -> Option<String> {
        self.read_line(prompt)
    }
    fn interactive(&self) -> bool;
    fn color(&self) -> bool {
        false
    }
    /// Columns available to tables and lists.
    fn width(&self) -> usize {
        120
    }
    /// Whether output goes to a terminal (Clear-Host, progress).
    fn is_terminal(&self) -> bool {
        false
    }
    /// Clears the screen when standard output is a terminal (Clear-Host).
    fn clear_screen(&mut self) {}
    /// Shows (or, completed, removes) an activity's progress; a host
    /// without a terminal shows nothing (PSHostUserInterface.WriteProgress).
    fn write_progress(&mut self, _source_id: i64, _record: &crate::runtime::progress::ProgressRecord) {}
    /// Takes every activity's progress down: the console host does so when a
    /// command line ends, whether or not its script said -Completed.
    fn reset_progress(&mut self) {}
}

/// A host nobody is at: output is dropped and nothing can be read (the
/// unit tests' sessions).
#[cfg(test)]
pub struct SilentHost;

#[cfg(test)]
impl Host for SilentHost {
    fn write_out(&mut self, _text: &str) {}
    fn write_err(&mut self, _text: &str) {}
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        None
    }
    fn interactive(&self) -> bool {
        false
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

/// How deep function calls may nest (PowerShell's own limit is similar).
pub const MAX_CALL_DEPTH: usize = 500;

pub struct Session {
    pub(crate) scopes: Scopes,
    pub store_path: PathBuf,
    pub create_options: CreateOptions,
    store: Option<Store>,
    pub host: Box<dyn Host>,
    pub source: Rc<Source>,
    /// The commands this session runs (cmdlets by name and alias).
    pub commands: &'static CommandTable,
    /// Error records written by the current top-level statement.
    pub statement_errors: usize,
    /// Error records written since the session began (the exit status).
    pub total_errors: usize,
    /// -WarningAction of the command now running.
    pub warning_action: Option<Action>,
    /// -WarningVariable of the command now running.
    pub warning_variable: Option<String>,
    pub transcript: Option<super::transcript::Transcript>,
    /// Executable that services are spawned from.
    pub exe: PathBuf,
    /// Set by -NonInteractive: nothing may prompt.
    pub non_interactive: bool,
    /// The OS user, recorded in the audit log.
    pub user: String,
    /// Enclosing try blocks and traps: while any is active, a terminating
    /// error unwinds to it instead of being written where it happened.
    pub(crate) handlers: usize,
    pub(crate) call_depth: usize,
    /// Active redirections (`2>&1`, `3> file`...), innermost last.
    pub(crate) redirects: Vec<Redirect>,
    /// Set by Ctrl-C; what runs checks it between records and iterations.
    pub interrupt: Arc<AtomicBool>,
    /// "Yes to All" / "No to All" of the command running now.
    pub(crate) to_all: super::should_process::Invocation,
    /// How objects and error records become text (the host's choice).
    pub(crate) formatter: &'static dyn super::streams::Formatter,
    /// The script functions running now, innermost last, with where each
    /// was called (Write-Error reports against the function).
    pub callers: Vec<(Rc<str>, Span)>,
    /// Script blocks made by GetNewClosure(), by address: the block (kept
    /// alive so the address stays its own) and the variables it captured.
    pub closures:
        std::collections::HashMap<usize, (Rc<crate::language::ast::ScriptBlock>, super::scope::NameMap<Variable>)>,
    /// The store writer a pipeline feeds, counting its records for the
    /// progress a long bulk change shows.
    pub(crate) bulk: Option<super::bulk_progress::BulkProgress>,
    /// Enter-PSSession: the computer this shell works on now, and the
    /// server it answered for before.
    pub entered: Option<Entered>,
    /// The directory being opened on another thread since the process
    /// began (`open_store_ahead`): taken by the first `store()`.
    ahead: Option<std::thread::JoinHandle<Option<Store>>>,
}

/// Starts opening the directory on PostgreSQL on a thread of its own, so
/// that the connection (a new backend on the server, its catalog read)
/// goes on while the process starts and parses its command: a shell's
/// life is often one cmdlet, and that wait most of it. Only reads
/// (`Store::open_as_it_is`): a command that never needs the store changes
/// nothing. None for a SQLite store, which opens a file at once.
pub fn open_store_ahead(
    path: &std::path::Path,
    options: &CreateOptions,
) -> Option<std::thread::JoinHandle<Option<Store>>> {
    if !path.to_str().is_some_and(crate::store::pg::is_url) {
        return None;
    }
    let (path, options) = (path.to_path_buf(), options.clone());
    std::thread::Builder::new().name("directory".into()).spawn(move || Store::open_as_it_is(&path, &options)).ok()
}

/// An interactive session with another server of the organization
/// (Enter-PSSession), until Exit-PSSession.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entered {
    pub computer: String,
    pub back_to: String,
}

impl Session {
    pub fn new(
        store_path: PathBuf,
        create_options: CreateOptions,
        host: Box<dyn Host>,
        commands: &'static CommandTable,
        formatter: &'static dyn super::streams::Formatter,
    ) -> Session {
        let user =
            std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "administrator".into());
        let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("mailsh"));
        let mut cx = Session {
            scopes: Scopes::default(),
            store_path,
            create_options,
            store: None,
            entered: None,
            ahead: None,
            host,
            source: Rc::new(Source::default()),
            commands,
            statement_errors: 0,
            total_errors: 0,
            warning_action: None,
            warning_variable: None,
            transcript: None,
            exe,
            non_interactive: false,
            user,
            handlers: 0,
            call_depth: 0,
            redirects: Vec::new(),
            interrupt: Arc::new(AtomicBool::new(false)),
            to_all: Default::default(),
            formatter,
            callers: Vec::new(),
            closures: std::collections::HashMap::new(),
            bulk: None,
        };
        cx.define_automatic_variables();
        cx
    }

    fn define_automatic_variables(&mut self) {
        let defaults: [(&str, Value); 12] = [
            ("ErrorActionPreference", Value::str("Continue")),
            ("WarningPreference", Value::str("Continue")),
            ("VerbosePreference", Value::str("SilentlyContinue")),
            ("DebugPreference", Value::str("SilentlyContinue")),
            ("InformationPreference", Value::str("SilentlyContinue")),
            ("ProgressPreference", Value::str("Continue")),
            ("ConfirmPreference", Value::str("High")),
            ("WhatIfPreference", Value::Bool(false)),
            ("FormatEnumerationLimit", Value::Int(4)),
            ("OFS", Value::Null),
            ("MaximumHistoryCount", Value::Int(4096)),
            ("NestedPromptLevel", Value::Int(0)),
        ];
        for (name, v) in defaults {
            if name == "OFS" {
                continue;
            }
            self.scopes.define(0, Rc::from(name.to_lowercase().as_str()), Variable::new(v));
        }
        let error_list = Value::Array(Rc::new(Array::new(Vec::new(), ArrayKind::ArrayList)));
        self.scopes.define(0, Rc::from("error"), Variable::read_only(error_list));
        self.scopes.define(0, Rc::from("?"), Variable::new(Value::Bool(true)));
        let home = std::env::var("HOME").unwrap_or_default();
        self.scopes.define(0, Rc::from("home"), Variable::read_only(Value::str(home)));
        self.scopes.define(0, Rc::from("pid"), Variable::read_only(Value::Int(std::process::id() as i32)));
        self.scopes.define(0, Rc::from("shellid"), Variable::read_only(Value::str("Microsoft.PowerShell")));
        self.scopes.define(0, Rc::from("psversiontable"), Variable::new(psversion_table()));
        let width = self.host.width();
        self.scopes.define(0, Rc::from("host"), Variable::read_only(host_object(width)));
        self.scopes.define(0, Rc::from("psculture"), Variable::new(Value::str("en-US")));
        self.scopes.define(0, Rc::from("psuiculture"), Variable::new(Value::str("en-US")));
    }

    /// Whether the store is a PostgreSQL directory (no store file, so no
    /// folder beside it).
    pub fn directory_on_postgres(&self) -> bool {
        self.store_path.to_str().is_some_and(crate::store::pg::is_url)
    }

    /// The configuration store, opened (and created) on first use.
    pub fn store(&mut self) -> Result<&mut Store, ErrorRecord> {
        if self.store.is_none()
            && let Some(ahead) = self.ahead.take()
        {
            // What it could not open (or a thread that panicked) is opened
            // here, which says why where it fails.
            self.store = ahead.join().ok().flatten();
            if let Some(store) = &self.store {
                crate::store::answer_for(&store.server().name);
            }
        }
        if self.store.is_none() {
            let store = Store::open_or_create(&self.store_path, &self.create_options)
                .map_err(|e| ErrorRecord::task(e.to_string(), "StoreUnavailable"))?;
            self.store = Some(store);
        }
        self.store.as_mut().ok_or_else(|| ErrorRecord::task("The configuration store is not open.", "StoreUnavailable"))
    }

    /// Closes the store; the next `store()` opens it again, with the
    /// create options as they are then (another server answered for,
    /// a server Setup just added).
    pub fn close_store(&mut self) {
        self.store = None;
        // Opened for the options as they were: left to finish on its own.
        self.ahead = None;
    }

    /// The store `open_store_ahead` is opening, for the first `store()`.
    pub fn store_ahead(&mut self, ahead: Option<std::thread::JoinHandle<Option<Store>>>) {
        self.ahead = ahead;
    }

    /// Whether Ctrl-C asked what runs to stop (the flag is cleared once seen).
    pub fn interrupted(&self) -> bool {
        // A plain load first: the flag is almost never set, and a swap on
        // every statement would be a locked write.
        self.interrupt.load(Ordering::Relaxed) && self.interrupt.swap(false, Ordering::Relaxed)
    }

    /// Stops what runs when Ctrl-C was pressed: checked before every
    /// statement and every loop iteration, so even `while ($true) {}` ends.
    pub fn check_interrupt(&self) -> super::errors::Result<()> {
        if self.interrupted() { Err(super::errors::Flow::Interrupted) } else { Ok(()) }
    }

    // ---- variables ----------------------------------------------------------

    /// Reads a variable by name as typed (`ErrorActionPreference`, `env:PATH`).
    /// (The call variables, made on first read, need `read`.)
    pub fn get_var(&self, name: &str) -> Value {
        let (scope, bare) = split_scope(name);
        self.read_made(&VarRef::new(bare, scope))
    }

    /// Reads a variable reference from the script.
    pub fn read(&mut self, v: &VarRef) -> Value {
        if !v.automatic && v.scope == VarScope::Any {
            return self.scopes.lookup(&v.key).map(|x| x.value()).unwrap_or(Value::Null);
        }
        if matches!(v.scope, VarScope::Any | VarScope::Local)
            && let Some(value) = self.make_call_variable(&v.key)
        {
            return value;
        }
        self.read_made(v)
    }

    /// Reads a variable that exists (or not) without making a call variable.
    fn read_made(&self, v: &VarRef) -> Value {
        match v.scope {
            VarScope::Any | VarScope::Local | VarScope::Private | VarScope::Variable => {}
            VarScope::Env => return std::env::var(&*v.name).map(Value::from).unwrap_or(Value::Null),
            VarScope::Global => {
                return self.scopes.local(0, &v.key).map(|x| x.value()).unwrap_or(Value::Null);
            }
            VarScope::Script => {
                let at = self.scopes.script_frame();
                return self.scopes.local(at, &v.key).map(|x| x.value()).unwrap_or(Value::Null);
            }
            VarScope::Function => {
                return self.scopes.function(&v.key).map(|f| Value::ScriptBlock(f.body.clone())).unwrap_or(Value::Null);
            }
        }
        match &*v.key {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            "null" => return Value::Null,
            "psitem" => return self.scopes.lookup("_").map(|x| x.value()).unwrap_or(Value::Null),
            "pwd" => return current_location(),
            _ => {}
        }
        if v.scope == VarScope::Local || v.scope == VarScope::Private {
            let at = self.scopes.current();
            return self.scopes.local(at, &v.key).map(|x| x.value()).unwrap_or(Value::Null);
        }
        self.scopes.lookup(&v.key).map(|x| x.value()).unwrap_or(Value::Null)
    }

    /// `$args`, `$PSBoundParameters`, `$MyInvocation`, `$PSCmdlet` of the
    /// nearest function call, made on first read and kept in its frame (so
    /// that changes to them last for the call).
    fn make_call_variable(&mut self, key: &str) -> Option<Value> {
        if !super::scope::CALL_VARIABLES.contains(&key) {
            return None;
        }
        let at = self.scopes.unmade_call_variable(key)?;
        let value = super::functions::call_variable(self.scopes.frame(at).call.as_ref()?, key)?;
        self.scopes.define(at, Rc::from(key), Variable::new(value.clone()));
        Some(value)
    }

    /// Whether a variable exists (Test-Path variable:, -ErrorVariable...).
    pub fn has_var(&self, name: &str) -> bool {
        let (_, bare) = split_scope(name);
        matches!(bare.to_lowercase().as_str(), "true" | "false" | "null")
            || self.scopes.lookup(&bare.to_lowercase()).is_some()
    }

    /// Assigns a variable by name as typed, in the current scope.
    pub fn set_var(&mut self, name: &str, value: Value) -> Result<(), ErrorRecord> {
        let (scope, bare) = split_scope(name);
        self.assign(&VarRef::new(bare, scope), value, None)
    }

    /// Assigns a variable reference: the current scope unless qualified; a
    /// type constraint already on the variable (or given here) converts.
    pub fn assign(&mut self, v: &VarRef, value: Value, constraint: Option<TypeRef>) -> Result<(), ErrorRecord> {
        if v.automatic {
            if NOT_WRITABLE.contains(&&*v.key) && v.scope != VarScope::Env && !(v.is("null")) {
                return Err(not_writable(&v.name));
            }
            if v.is("null") {
                // `$null = ...` discards.
                return Ok(());
            }
        }
        let frame = match v.scope {
            VarScope::Env => {
                // SAFETY of intent: mailsh runs scripts on one thread; the
                // services are separate processes.
                let text = value.to_text();
                if value.is_null() || text.is_empty() {
                    unsafe { std::env::remove_var(&*v.name) };
                } else {
                    unsafe { std::env::set_var(&*v.name, text) };
                }
                return Ok(());
            }
            VarScope::Global => 0,
            VarScope::Script => self.scopes.script_frame(),
            VarScope::Function => {
                return Err(ErrorRecord::new(
                    "Functions are defined with the function keyword in mailsh.",
                    Category::InvalidOperation,
                    "FunctionAssignmentNotSupported",
                    "RuntimeException",
                )
                .unqualified());
            }
            _ => self.scopes.current(),
        };
        // One lookup for the usual assignment; validation attributes (they
        // may run script, so need the session) take a second.
        let validators = match self.scopes.frame_mut(frame).vars.get_mut(&v.key) {
            None => {
                let value = match &constraint {
                    Some(t) => convert_for_variable(value, t)?,
                    None => value,
                };
                let mut var = Variable::new(value);
                var.constraint = constraint;
                var.private = v.scope == VarScope::Private;
                self.scopes.define(frame, v.key.clone(), var);
                return Ok(());
            }
            Some(var) => match &var.validators {
                None => return update_variable(var, &v.name, value, constraint),
                Some(validators) => validators.clone(),
            },
        };
        self.check_variable(&v.name, &validators, &value)?;
        match self.scopes.frame_mut(frame).vars.get_mut(&v.key) {
            Some(var) => update_variable(var, &v.name, value, constraint),
            None => Ok(()),
        }
    }

    /// A value for a variable with validation attributes, refused with
    /// PowerShell's message when it does not pass them.
    pub fn check_variable(
        &mut self,
        name: &str,
        validators: &[super::signature::Validator],
        value: &Value,
    ) -> Result<(), ErrorRecord> {
        match super::convert::validate_with(name, validators, value, self) {
            Ok(()) => Ok(()),
            Err(_) => Err(ErrorRecord::new(
                format!(
                    "The variable cannot be validated because the value {} is not a valid value for the {name} variable.",
                    value.to_text()
                ),
                Category::MetadataError,
                "ValidateSetFailure",
                "ValidationMetadataException",
            )
            .unqualified()),
        }
    }

    /// Attaches validation attributes to the variable `v` (where it lives).
    pub fn set_validators(&mut self, v: &VarRef, validators: Rc<[super::signature::Validator]>) {
        let frame = match v.scope {
            VarScope::Global => 0,
            VarScope::Script => self.scopes.script_frame(),
            _ => self.scopes.current(),
        };
        if let Some(var) = self.scopes.frame_mut(frame).vars.get_mut(&v.key) {
            var.validators = Some(validators);
        }
    }

    /// `$block.GetNewClosure()`: a copy of the block bound to the current
    /// scope's variables as they are now.
    pub fn new_closure(&mut self, block: &Rc<crate::language::ast::ScriptBlock>) -> Value {
        // The AST is not Clone: the copy is the block's text parsed again
        // (it parsed once, so it parses again).
        let Ok(copy) = crate::language::parse_script(&block.text) else { return Value::ScriptBlock(block.clone()) };
        let copy = Rc::new(copy);
        let vars = self.scopes.frame(self.scopes.current()).vars.clone();
        self.closures.insert(Rc::as_ptr(&copy) as usize, (copy.clone(), vars));
        Value::ScriptBlock(copy)
    }

    /// `$PSCommandPath` and `$PSScriptRoot` of the script file running in
    /// the current scope.
    pub fn set_script_path(&mut self, path: &str) {
        // `.\fix.ps1` as typed: separators unified, `.` dropped, made absolute.
        let typed = path.replace('\\', "/");
        let full = std::path::absolute(&typed)
            .map(|p| p.components().collect::<std::path::PathBuf>().display().to_string())
            .unwrap_or(typed);
        let root = std::path::Path::new(&full).parent().map(|p| p.display().to_string()).unwrap_or_default();
        self.set_local("pscommandpath", Value::str(&full));
        self.set_local("psscriptroot", Value::str(root));
    }

    /// `[ref]$v`: the cell the variable shares with the reference, so that
    /// what a function or method writes to `.Value` lands in `$v`. A
    /// variable that does not exist yet is made in the scope it names;
    /// `$true`, `$null`, read-only and environment variables give `None`
    /// (the reference then holds a copy of the value).
    pub fn variable_reference(&mut self, v: &VarRef) -> Option<Rc<std::cell::RefCell<Value>>> {
        if matches!(&*v.key, "true" | "false" | "null" | "psitem" | "pwd" | "_") {
            return None;
        }
        let frame = match v.scope {
            VarScope::Env | VarScope::Function => return None,
            VarScope::Global => Some(0),
            VarScope::Script => Some(self.scopes.script_frame()),
            VarScope::Local | VarScope::Private => Some(self.scopes.current()),
            VarScope::Any | VarScope::Variable => None,
        };
        let found = match frame {
            Some(f) => self.scopes.frame_mut(f).vars.get_mut(&v.key),
            None => self.scopes.lookup_mut(&v.key),
        };
        match found {
            Some(var) if var.read_only => None,
            Some(var) => Some(var.reference()),
            None => {
                let mut var = Variable::new(Value::Null);
                let cell = var.reference();
                let at = frame.unwrap_or_else(|| self.scopes.current());
                self.scopes.define(at, v.key.clone(), var);
                Some(cell)
            }
        }
    }

    /// Sets `$name` in the current scope without checks (automatic variables).
    pub fn set_local(&mut self, key: &str, value: Value) {
        let at = self.scopes.current();
        match self.scopes.frame_mut(at).vars.get_mut(key) {
            Some(v) => v.set(value),
            None => self.scopes.define(at, Rc::from(key), Variable::new(value)),
        }
    }

    /// Appends to a collection variable (-OutVariable and friends).
    pub fn append_var(&mut self, name: &str, value: Value) {
        let key = split_scope(name).1.to_lowercase();
        if let Some(var) = self.scopes.lookup_mut(&key) {
            let items = match var.value() {
                Value::Array(a) if a.is_growable() => {
                    a.items_mut().push(value);
                    return;
                }
                Value::Array(a) => {
                    let mut items = a.snapshot();
                    items.push(value);
                    items
                }
                Value::Null => vec![value],
                other => vec![other, value],
            };
            var.set(Value::Array(Rc::new(Array::new(items, ArrayKind::ArrayList))));
            return;
        }
        let at = self.scopes.current();
        self.scopes.define(
            at,
            Rc::from(key.as_str()),
            Variable::new(Value::Array(Rc::new(Array::new(vec![value], ArrayKind::ArrayList)))),
        );
    }

    /// Removes `$name` from the current scope, returning it (to restore later).
    pub fn take_var(&mut self, name: &str) -> Option<Value> {
        let at = self.scopes.current();
        self.scopes.remove(at, &name.to_lowercase()).map(Variable::into_value)
    }

    pub fn restore_var(&mut self, name: &str, old: Option<Value>) {
        let key = name.to_lowercase();
        match old {
            Some(v) => self.set_local(&key, v),
            None => {
                let at = self.scopes.current();
                self.scopes.remove(at, &key);
            }
        }
    }

    pub fn variable_names(&self) -> Vec<String> {
        self.scopes.visible_names().iter().map(|n| n.to_string()).collect()
    }

    /// The variable's name as first assigned (for Get-Variable).
    pub fn variable(&self, name: &str) -> Option<Variable> {
        self.scopes.lookup(&name.to_lowercase()).cloned()
    }

    /// Hands the host a progress record, unless $ProgressPreference is
    /// SilentlyContinue or Ignore.
    pub fn show_progress(&mut self, source_id: i64, record: &super::progress::ProgressRecord) {
        if matches!(Action::from_value(&self.get_var("ProgressPreference")), Action::SilentlyContinue | Action::Ignore)
        {
            return;
        }
        self.host.write_progress(source_id, record);
    }

    /// One more record done by the store writer a pipeline feeds.
    pub(crate) fn bulk_tick(&mut self) {
        let Some(record) = self.bulk.as_mut().and_then(|b| b.tick(std::time::Instant::now())) else { return };
        self.show_progress(super::bulk_progress::SOURCE_ID, &record);
    }

    pub fn error_action_preference(&self) -> Action {
        Action::from_value(&self.get_var("ErrorActionPreference"))
    }

    /// Resolves a span of the current source into PowerShell's position.
    pub fn position(&self, span: Span) -> Position {
        let text = &self.source.text;
        let mut start = span.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let line_end = text[start..].find('\n').map(|i| start + i).unwrap_or(text.len());
        let line_no = text[..start].matches('\n').count() + self.source.first_line.max(1);
        let line_text = text[line_start..line_end].trim_end_matches('\r').to_string();
        let column = text[line_start..start].chars().count() + 1;
        let mut end = span.end.clamp(start, line_end.max(start));
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mark_len = text[start..end].chars().count().max(1);
        Position { script: self.source.path.clone(), line: line_no, column, line_text, mark_len }
    }

    /// Enters a new scope whose parent is the current one.
    pub fn push_scope(&mut self) {
        let parent = self.scopes.current();
        self.scopes.push(FrameKind::Local, parent);
    }

    pub fn push_script_scope(&mut self) {
        let parent = self.scopes.current();
        self.scopes.push(FrameKind::Script, parent);
    }

    pub fn pop_scope(&mut self) {
        self.scopes.pop_and_reuse();
    }
}

/// `$PWD` / Get-Location: a PathInfo whose text is the path.
pub fn current_location() -> Value {
    let path = std::env::current_dir().map(|p| p.display().to_string()).unwrap_or_default();
    let obj = super::value::custom_object(vec![
        ("Drive".into(), Value::Null),
        ("Provider".into(), Value::str("Microsoft.PowerShell.Core\\FileSystem")),
        ("ProviderPath".into(), Value::str(&path)),
        ("Path".into(), Value::str(&path)),
    ]);
    if let Value::Object(o) = &obj {
        o.set_type_name("System.Management.Automation.PathInfo");
    }
    obj
}

/// `global:x` into its scope and bare name.
fn split_scope(name: &str) -> (VarScope, &str) {
    if let Some((q, rest)) = name.split_once(':') {
        let scope = match q.to_ascii_lowercase().as_str() {
            "global" => VarScope::Global,
            "script" => VarScope::Script,
            "local" => VarScope::Local,
            "private" => VarScope::Private,
            "env" => VarScope::Env,
            "variable" => VarScope::Variable,
            _ => return (VarScope::Any, name),
        };
        return (scope, rest);
    }
    (VarScope::Any, name)
}

/// Assigns an existing variable, as its constraint converts and unless it
/// is read-only.
fn update_variable(
    var: &mut Variable,
    name: &str,
    value: Value,
    constraint: Option<TypeRef>,
) -> Result<(), ErrorRecord> {
    if var.read_only {
        return Err(not_writable(name));
    }
    if let Some(c) = constraint {
        var.constraint = Some(c);
    }
    let value = match &var.constraint {
        Some(t) => convert_for_variable(value, t)?,
        None => value,
    };
    var.set(value);
    Ok(())
}

/// Automatic variables a script cannot assign (`$null = ...` discards).
const NOT_WRITABLE: [&str; 9] = ["true", "false", "null", "?", "error", "home", "pid", "shellid", "input"];

/// The names `read_made` answers itself (listed for the test below).
#[cfg(test)]
const READ_BY_NAME: [&str; 5] = ["true", "false", "null", "psitem", "pwd"];

fn not_writable(name: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!("Cannot overwrite variable {name} because it is read-only or constant."),
        Category::WriteError,
        "VariableNotWritable",
        "SessionStateUnauthorizedAccessException",
    )
    .with_target(name, "String")
    .unqualified()
}

/// A typed variable converts what is assigned, with PowerShell's message.
pub fn convert_for_variable(value: Value, t: &TypeRef) -> Result<Value, ErrorRecord> {
    cast(value, t).map_err(|e| {
        ErrorRecord::new(
            e.message,
            Category::MetadataError,
            "RuntimeException",
            "ArgumentTransformationMetadataException",
        )
        .unqualified()
    })
}

/// $PSVersionTable as Windows PowerShell 5.1 on Server 2016 reports it.
/// An object of a .NET type: a custom object that reports the type's name.
fn typed(type_name: &str, props: Vec<(&str, Value)>) -> Value {
    let obj = super::value::custom_object(props.into_iter().map(|(n, v)| (n.to_string(), v)).collect());
    if let Value::Object(o) = &obj {
        o.set_type_name(type_name);
    }
    obj
}

/// `$Host`: the console host, as scripts query it (`$Host.Name`, the
/// window width for their own layouts).
fn host_object(width: usize) -> Value {
    let size = |w: usize, h: i32| {
        typed(
            "System.Management.Automation.Host.Size",
            vec![("Width", Value::Int(w as i32)), ("Height", Value::Int(h))],
        )
    };
    let raw_ui = typed(
        "System.Management.Automation.Internal.Host.InternalHostRawUserInterface",
        vec![
            ("ForegroundColor", Value::str("Gray")),
            ("BackgroundColor", Value::str("Black")),
            ("BufferSize", size(width, 3000)),
            ("WindowSize", size(width, 50)),
            ("MaxWindowSize", size(width, 50)),
            ("WindowTitle", Value::str("mailsh")),
        ],
    );
    let ui = typed("System.Management.Automation.Internal.Host.InternalHostUserInterface", vec![("RawUI", raw_ui)]);
    typed(
        "System.Management.Automation.Internal.Host.InternalHost",
        vec![
            ("Name", Value::str("ConsoleHost")),
            ("Version", super::types::version(&[5, 1, 14393, 0])),
            ("InstanceId", Value::Guid(super::value::Guid::new(super::types::statics::new_guid()))),
            ("UI", ui),
            ("CurrentCulture", Value::str("en-US")),
            ("CurrentUICulture", Value::str("en-US")),
            ("PrivateData", Value::Null),
            ("DebuggerEnabled", Value::Bool(true)),
            ("IsRunspacePushed", Value::Bool(false)),
            ("Runspace", Value::Null),
        ],
    )
}

fn psversion_table() -> Value {
    Value::hashtable(
        vec![
            (Value::str("PSVersion"), super::types::version(&[5, 1, 14393, 0])),
            (Value::str("PSEdition"), Value::str("Desktop")),
            (Value::str("PSCompatibleVersions"), Value::str("1.0, 2.0, 3.0, 4.0, 5.0, 5.1.14393.0")),
            (Value::str("BuildVersion"), super::types::version(&[10, 0, 14393, 0])),
            (Value::str("CLRVersion"), super::types::version(&[4, 0, 30319, 42000])),
            (Value::str("WSManStackVersion"), super::types::version(&[3, 0])),
            (Value::str("PSRemotingProtocolVersion"), super::types::version(&[2, 3])),
            (Value::str("SerializationVersion"), super::types::version(&[1, 1, 0, 1])),
        ],
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `read` and `assign` skip their checks by name for a variable the
    /// parser did not mark automatic: every name they check must be marked.
    #[test]
    fn names_read_or_refused_by_name_are_automatic() {
        let names = NOT_WRITABLE.iter().chain(&READ_BY_NAME).chain(&super::super::scope::CALL_VARIABLES);
        for name in names {
            assert!(VarRef::new(name, VarScope::Any).automatic, "{name}");
            assert!(VarRef::new(&name.to_uppercase(), VarScope::Any).automatic, "{name}");
        }
        assert!(!VarRef::new("t", VarScope::Any).automatic);
    }
}
