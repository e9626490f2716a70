//! Pipelines: each command is bound, then objects are pushed from one
//! command's process block into the next one's, as PowerShell streams them.
//! A command is a cmdlet, a script function, a script block (`& {...}`) or
//! a script file; all run through the same `Processor` interface.

use std::cell::RefCell;
use std::rc::Rc;

use super::binder::{bind_arguments, bind_input, complete_mandatory, takes_pipeline_input};
use super::bulk_progress::BulkProgress;
use super::command::{Args, CmdletDef, Output, Processor};
use super::errors::{Category, ErrorRecord, Flow, Result};
use super::exec::Sink;
use super::functions::{ScriptProcessor, signature_of};
use super::session::{Action, Session};
use super::signature::Signature;
use super::streams::{Redirect, RedirectTo};
use super::value::Value;
use crate::language::ast::{
    Command, CommandElement, CommandHead, Expr, ExprKind, Pipeline, PipelineElement, RedirectTarget, Redirection,
    ScriptBlock, Stream,
};

/// How a top-level run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    /// `exit N`.
    Exit(i32),
    /// A script-terminating error (an uncaught `throw`, -ErrorAction Stop)
    /// ended the script.
    Stopped,
    /// Ctrl-C stopped it.
    Interrupted,
}

/// What a command resolved to.
enum Target {
    Cmdlet(&'static CmdletDef),
    Script { block: Rc<ScriptBlock>, name: Rc<str>, dot: bool, is_filter: bool, script_file: bool },
}

impl Target {
    /// The name a pipeline stage reports (errors, `$MyInvocation`).
    fn name(&self) -> String {
        match self {
            Target::Cmdlet(def) => def.signature.name.to_string(),
            Target::Script { name, .. } => name.to_string(),
        }
    }
}

/// `> file` on a command: its output collected, written when it ends.
struct FileOut {
    /// `None` for `> $null`.
    path: Option<String>,
    append: bool,
    items: Vec<Value>,
}

/// `2> file` and friends on a command: the stream's text collected,
/// written when it ends.
struct StreamFile {
    path: String,
    append: bool,
    lines: Rc<RefCell<Vec<String>>>,
}

struct Stage {
    name: String,
    signature: &'static Signature,
    processor: Box<dyn Processor>,
    args: Args,
    /// 1-based, as PowerShell numbers pipeline positions.
    position: usize,
    takes_input: bool,
    error_action: Option<Action>,
    warning_action: Option<Action>,
    /// -OutVariable, -ErrorVariable, -WarningVariable (names without `+`).
    out_variable: Option<String>,
    error_variable: Option<String>,
    warning_variable: Option<String>,
    /// Redirections of this command, active while it runs.
    redirects: Vec<Redirect>,
    /// `2>&1` and friends: what they captured, emitted after each call.
    merged: Option<Rc<RefCell<Vec<Value>>>>,
    /// `2> file`: error text collected for the file.
    stream_files: Vec<StreamFile>,
    file_out: Option<FileOut>,
    cmdlet: Option<&'static CmdletDef>,
    /// "Yes to All" / "No to All" answered during this invocation.
    invocation: super::should_process::Invocation,
}

/// A common `-XVariable name` parameter: `+name` appends, else the variable
/// starts empty, as PowerShell does.
fn stream_variable(args: &Args, param: &str, cx: &mut Session) -> Option<String> {
    let raw = args.string(param)?;
    match raw.strip_prefix('+') {
        Some(name) => Some(name.to_string()),
        None => {
            let _ = cx.set_var(&raw, Value::array(vec![]));
            Some(raw)
        }
    }
}

impl Stage {
    fn action(&self, cx: &Session) -> Action {
        self.error_action.unwrap_or_else(|| cx.error_action_preference())
    }

    /// A failure of one record: reported, and the pipeline goes on, unless
    /// the error action says stop.
    fn fail(&self, flow: Flow, cx: &mut Session) -> Result<()> {
        if self.cmdlet.is_none() {
            // A function's terminating error is the caller's too.
            return Err(flow);
        }
        match flow {
            Flow::Error(mut rec) => {
                if rec.command.is_none() {
                    rec.command = Some(self.name.clone());
                    rec.command_class = self.signature.class.map(str::to_string);
                }
                if rec.span.is_none() {
                    rec.span = Some(self.args.command_span);
                }
                if let Some(name) = &self.error_variable {
                    cx.append_var(name, Value::ErrorRecord(Rc::new((*rec).clone())));
                }
                if rec.terminating {
                    // Statement-terminating: ends the pipeline; a try catches it.
                    return Err(Flow::Error(rec));
                }
                match self.action(cx) {
                    Action::Stop => {
                        if rec.position.is_none() {
                            rec.position = rec.span.map(|s| cx.position(s));
                        }
                        rec.stopped_by_preference = true;
                        Err(Flow::ScriptStop(rec))
                    }
                    action => {
                        self.with_redirects(cx, |cx| cx.write_error(*rec, action));
                        Ok(())
                    }
                }
            }
            other => Err(other),
        }
    }

    fn with_redirects<T>(&self, cx: &mut Session, f: impl FnOnce(&mut Session) -> T) -> T {
        let depth = cx.redirects.len();
        cx.redirects.extend(self.redirects.iter().cloned());
        let r = f(cx);
        cx.redirects.truncate(depth);
        r
    }

    fn run(&mut self, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        let bound;
        let args = match input {
            Some(v) if self.takes_input && takes_pipeline_input(self.signature) => {
                match bind_input(&self.args, v, cx) {
                    Ok(Some(mut a)) => {
                        if let Err(f) = complete_mandatory(&mut a, self.position, cx) {
                            return self.fail(f, cx);
                        }
                        bound = a;
                        &bound
                    }
                    Ok(None) => {
                        return self.fail(
                            ErrorRecord::input_not_bound().with_target(v.to_text(), &v.short_type_name()).into(),
                            cx,
                        );
                    }
                    Err(e) => return self.fail(e, cx),
                }
            }
            Some(v) if self.cmdlet.is_some() => {
                return self
                    .fail(ErrorRecord::input_not_bound().with_target(v.to_text(), &v.short_type_name()).into(), cx);
            }
            _ => &self.args,
        };
        cx.warning_action = self.warning_action;
        cx.warning_variable = self.warning_variable.clone();
        let outer = std::mem::replace(&mut cx.to_all, self.invocation.clone());
        let depth = cx.redirects.len();
        cx.redirects.extend(self.redirects.iter().cloned());
        let result = match self.merged.clone() {
            // `2>&1`: output and the merged records share one buffer while the
            // command runs, so they go on in the order they were written.
            Some(buf) => {
                let mut capture = |_: &mut Session, v: Value| {
                    buf.borrow_mut().push(v);
                    Ok(())
                };
                self.processor.process(args, input, cx, &mut Output { next: &mut capture })
            }
            None => self.processor.process(args, input, cx, out),
        };
        cx.to_all = outer;
        cx.redirects.truncate(depth);
        cx.warning_action = None;
        cx.warning_variable = None;
        if input.is_some() && self.signature.writes_store {
            cx.bulk_tick();
        }
        self.drain_merged(cx, out)?;
        match result {
            Ok(()) => Ok(()),
            Err(f) => self.fail(f, cx),
        }
    }

    /// Emits what `2>&1` (or `3>&1`...) captured, into this command's output.
    fn drain_merged(&mut self, cx: &mut Session, out: &mut Output) -> Result<()> {
        let Some(buf) = &self.merged else { return Ok(()) };
        let items: Vec<Value> = std::mem::take(&mut *buf.borrow_mut());
        for v in items {
            out.emit(cx, v)?;
        }
        Ok(())
    }
}

impl Session {
    /// Runs a parsed script at top level: its objects go to `sink` (the
    /// host's Out-Default, one for the whole script); errors are reported
    /// and the script goes on.
    pub fn run_script(&mut self, script: &crate::language::ast::Script, sink: &mut Sink<'_>) -> Outcome {
        self.statement_errors = 0;
        let result = match (&script.begin, &script.process, &script.end) {
            (None, None, Some(body)) => self.exec_list(body, sink),
            _ => {
                // A script with named blocks runs like a function called with no input.
                let block = Rc::new(clone_block(script));
                let mut p = ScriptProcessor::new(block.clone(), "", true, false, false);
                match signature_of(self, "", &block) {
                    Ok(sig) => {
                        let args = Args::new(sig, script.span);
                        let mut out = Output { next: sink };
                        p.begin(&args, self, &mut out).and_then(|_| p.end(&args, self, &mut out))
                    }
                    Err(e) => Err(e),
                }
            }
        };
        let outcome = self.top_outcome(result);
        let ok = self.statement_errors == 0;
        self.set_local("?", Value::Bool(ok));
        outcome
    }

    /// What a flow that left the whole script means.
    fn top_outcome(&mut self, result: Result<()>) -> Outcome {
        match result {
            Ok(()) | Err(Flow::StopUpstream) | Err(Flow::Return) => Outcome::Completed,
            // `break`/`continue` outside any loop end the script quietly.
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Outcome::Completed,
            Err(Flow::Error(rec)) => {
                let stop = self.error_action_preference() == Action::Stop;
                self.write_error(*rec, Action::Continue);
                if stop { Outcome::Stopped } else { Outcome::Completed }
            }
            Err(Flow::ScriptStop(rec)) => {
                // $ErrorActionPreference SilentlyContinue hides even a throw (5.1).
                let action = match self.error_action_preference() {
                    Action::SilentlyContinue | Action::Ignore => Action::SilentlyContinue,
                    _ => Action::Continue,
                };
                self.write_error(*rec, action);
                Outcome::Stopped
            }
            Err(Flow::Exit(code)) => Outcome::Exit(code),
            Err(Flow::Interrupted) => Outcome::Interrupted,
        }
    }

    /// Runs a pipeline, its output to `sink`.
    pub fn exec_pipeline(&mut self, pipeline: &Pipeline, sink: &mut Sink<'_>) -> Result<()> {
        if let [PipelineElement::Command(cmd)] = pipeline.elements.as_slice() {
            return self.exec_command(cmd, sink);
        }
        let mut elements = pipeline.elements.iter();
        let mut head: Option<(Vec<Value>, &[Redirection])> = None;
        let mut commands: Vec<&Command> = Vec::new();
        if let Some(first) = elements.next() {
            match first {
                PipelineElement::Expression { expr, redirections } => {
                    let v = self.eval_for_output(expr)?;
                    let items = match v {
                        Some(Value::Array(a)) => a.snapshot(),
                        Some(other) => vec![other],
                        None => vec![],
                    };
                    head = Some((items, redirections.as_slice()));
                }
                PipelineElement::Command(c) => commands.push(c),
            }
        }
        for el in elements {
            if let PipelineElement::Command(c) = el {
                commands.push(c);
            }
        }
        if commands.is_empty() {
            // An expression with redirections (`"x" > file`).
            let Some((items, redirections)) = head else { return Ok(()) };
            return self.expression_with_redirects(items, redirections, sink);
        }
        let offset = head.is_some() as usize;
        let mut stages: Vec<Stage> = Vec::with_capacity(commands.len());
        for (i, cmd) in commands.iter().enumerate() {
            stages.push(self.stage(cmd, i + 1 + offset)?);
        }
        let head_items = head.map(|(items, _)| items);
        self.run_pipeline(stages, head_items, sink)
    }

    /// A pipeline of one command.
    fn exec_command(&mut self, cmd: &Command, sink: &mut Sink<'_>) -> Result<()> {
        let target = self.resolve_command(cmd)?;
        if let Target::Script { block, name: function, dot, is_filter: false, script_file: false } = &target
            && cmd.redirections.is_empty()
            && is_plain_function(block, cmd)
        {
            return self.call_plain_function(cmd, block, function, *dot, sink);
        }
        let name = target.name();
        let stage = self.stage_for(cmd, target, name, 1)?;
        self.run_pipeline(vec![stage], None, sink)
    }

    /// Runs bound stages, `head_items` (an expression's) fed to the first.
    fn run_pipeline(
        &mut self,
        mut stages: Vec<Stage>,
        head_items: Option<Vec<Value>>,
        sink: &mut Sink<'_>,
    ) -> Result<()> {
        if let Some(result) = self.try_fuse(&stages, head_items.is_some()) {
            return result;
        }
        // A writer fed by a pipeline: group its records into larger
        // transactions (a savepoint each), for speed on thousands of them.
        let fed_from = if head_items.is_some() { 0 } else { 1 };
        let writer = stages.iter().skip(fed_from).find_map(|s| s.cmdlet.filter(|d| d.signature.writes_store));
        let batch = writer.is_some();
        if batch {
            self.store()?.begin_batch().map_err(|e| ErrorRecord::task(e.to_string(), "StoreError"))?;
        }
        // Its records are counted for progress (a writer in a pipeline
        // nested in this one counts its own, then this one's go on).
        let outer_bulk =
            writer.map(|d| self.bulk.replace(BulkProgress::new(d.signature.name, std::time::Instant::now())));
        // A function that failed before its end block leaves the call depth
        // it took; the pipeline gives it back whatever happened.
        let depth = self.call_depth;
        let result = self.run_stages(&mut stages, head_items, sink);
        self.call_depth = depth;
        if let Some(outer) = outer_bulk
            && let Some(done) = std::mem::replace(&mut self.bulk, outer).and_then(BulkProgress::finish)
        {
            self.show_progress(super::bulk_progress::SOURCE_ID, &done);
        }
        if batch
            && let Ok(store) = self.store()
            && let Err(e) = store.end_batch()
        {
            return Err(ErrorRecord::task(e.to_string(), "StoreError").into());
        }
        let flushed = self.flush_files(&mut stages);
        result.and(flushed)
    }

    /// `Get-Thing $a $b` where Get-Thing is a plain function (one body, no
    /// cmdlet binding, no redirection, alone in its pipeline): what the
    /// general pipeline would do, without its per-stage machinery, which
    /// such a call does not use (no common parameters, no pipeline input).
    fn call_plain_function(
        &mut self,
        cmd: &Command,
        block: &Rc<ScriptBlock>,
        name: &Rc<str>,
        dot: bool,
        sink: &mut Sink<'_>,
    ) -> Result<()> {
        let signature = signature_of(self, name, block)?;
        let mut args = bind_arguments(signature, cmd, self).map_err(|f| name_error(f, name, signature))?;
        complete_mandatory(&mut args, 1, self).map_err(|f| name_error(f, name, signature))?;
        let depth = self.call_depth;
        let closure = !self.closures.is_empty() && self.closures.contains_key(&(Rc::as_ptr(block) as usize));
        let result = if dot || closure {
            let mut processor = ScriptProcessor::new(block.clone(), name.clone(), dot, false, false);
            let mut out = Output { next: sink };
            processor.begin(&args, self, &mut out).and_then(|()| processor.end(&args, self, &mut out))
        } else {
            self.call_in_new_scope(block, name, args, sink)
        };
        self.call_depth = depth;
        match result {
            Ok(()) | Err(Flow::StopUpstream) => Ok(()),
            Err(f) => Err(f),
        }
    }

    fn expression_with_redirects(
        &mut self,
        items: Vec<Value>,
        redirections: &[Redirection],
        sink: &mut Sink<'_>,
    ) -> Result<()> {
        let mut file = None;
        for r in redirections {
            if let (Stream::Output | Stream::All, RedirectTarget::File { path, append }) = (r.from, &r.to) {
                file = Some((self.redirect_path(path)?, *append));
            }
        }
        match file {
            Some((None, _)) => Ok(()),
            Some((Some(path), append)) => self.write_redirect_file(&path, items, append),
            None => {
                for v in items {
                    sink(self, v)?;
                }
                Ok(())
            }
        }
    }

    /// The file a redirection names; `None` for `$null`.
    fn redirect_path(&mut self, path: &Expr) -> Result<Option<String>> {
        if let ExprKind::Variable(v) = &path.kind
            && v.is("null")
        {
            return Ok(None);
        }
        let p = self.eval(path)?;
        if p.is_null() {
            return Ok(None);
        }
        Ok(Some(p.to_text()))
    }

    fn write_redirect_file(&mut self, path: &str, items: Vec<Value>, append: bool) -> Result<()> {
        let text = self.formatter().render(items, 80);
        write_text(path, &text, append)
    }

    fn flush_files(&mut self, stages: &mut [Stage]) -> Result<()> {
        for s in stages.iter_mut() {
            if let Some(FileOut { path: Some(path), items, append }) = s.file_out.take() {
                self.write_redirect_file(&path, items, append)?;
            }
            for StreamFile { path, append, lines } in std::mem::take(&mut s.stream_files) {
                let text: String = lines.borrow().concat();
                write_text(&path, &text, append)?;
            }
        }
        Ok(())
    }

    /// Resolves and binds one command of a pipeline.
    fn stage(&mut self, cmd: &Command, position: usize) -> Result<Stage> {
        let target = self.resolve_command(cmd)?;
        let name = target.name();
        self.stage_for(cmd, target, name, position)
    }

    fn stage_for(&mut self, cmd: &Command, target: Target, name: String, position: usize) -> Result<Stage> {
        let (signature, processor, cmdlet): (&'static Signature, Box<dyn Processor>, Option<&'static CmdletDef>) =
            match target {
                Target::Cmdlet(def) => (&def.signature, def.processor(), Some(def)),
                Target::Script { block, name, dot, is_filter, script_file } => {
                    let sig = signature_of(self, &name, &block)?;
                    (sig, Box::new(ScriptProcessor::new(block, name.clone(), dot, is_filter, script_file)), None)
                }
            };
        let help_cmd;
        let cmd = match help_request(cmd, &name) {
            Some(h) => {
                help_cmd = h;
                let def = self.commands.find("Get-Help").ok_or_else(|| ErrorRecord::command_not_found("Get-Help"))?;
                let args = bind_arguments(&def.signature, &help_cmd, self)?;
                return self.finish_stage(
                    "Get-Help".into(),
                    &def.signature,
                    def.processor(),
                    Some(def),
                    args,
                    &help_cmd,
                    position,
                );
            }
            None => cmd,
        };
        let args = bind_arguments(signature, cmd, self).map_err(|f| name_error(f, &name, signature))?;
        self.finish_stage(name, signature, processor, cmdlet, args, cmd, position)
    }

    #[allow(clippy::too_many_arguments)]
    fn finish_stage(
        &mut self,
        name: String,
        signature: &'static Signature,
        processor: Box<dyn Processor>,
        cmdlet: Option<&'static CmdletDef>,
        args: Args,
        cmd: &Command,
        position: usize,
    ) -> Result<Stage> {
        let error_action = args.get("ErrorAction").map(Action::from_value);
        let warning_action = args.get("WarningAction").map(Action::from_value);
        let out_variable = stream_variable(&args, "OutVariable", self);
        let error_variable = stream_variable(&args, "ErrorVariable", self);
        let warning_variable = stream_variable(&args, "WarningVariable", self);
        let mut stage = Stage {
            name,
            signature,
            processor,
            takes_input: takes_pipeline_input(signature) || cmdlet.is_none(),
            args,
            position,
            error_action,
            warning_action,
            out_variable,
            error_variable,
            warning_variable,
            redirects: Vec::new(),
            merged: None,
            stream_files: Vec::new(),
            file_out: None,
            cmdlet,
            invocation: Default::default(),
        };
        for r in &cmd.redirections {
            match (&r.to, r.from) {
                (RedirectTarget::Output, from) => {
                    let buf = stage.merged.get_or_insert_with(|| Rc::new(RefCell::new(Vec::new()))).clone();
                    stage.redirects.push(Redirect { stream: from, to: RedirectTo::Output(buf) });
                }
                (RedirectTarget::File { path, append }, from) => {
                    let path = self.redirect_path(path)?;
                    if matches!(from, Stream::Output | Stream::All) {
                        stage.file_out = Some(FileOut { path: path.clone(), append: *append, items: Vec::new() });
                    }
                    if from != Stream::Output {
                        let to = match &path {
                            None => RedirectTo::Null,
                            Some(p) => {
                                let lines = Rc::new(RefCell::new(Vec::new()));
                                stage.stream_files.push(StreamFile {
                                    path: p.clone(),
                                    append: *append,
                                    lines: lines.clone(),
                                });
                                RedirectTo::File(lines)
                            }
                        };
                        stage.redirects.push(Redirect { stream: from, to });
                    }
                }
            }
        }
        Ok(stage)
    }

    /// What a command name means: a function, a cmdlet or its alias, a
    /// script file, or (with `&` / `.`) a script block.
    fn resolve_command(&mut self, cmd: &Command) -> Result<Target> {
        match &cmd.head {
            CommandHead::Invoke { dot, target } => match self.eval(target)? {
                Value::ScriptBlock(b) => {
                    Ok(Target::Script { block: b, name: Rc::from(""), dot: *dot, is_filter: false, script_file: false })
                }
                Value::Null => Err(ErrorRecord::new(
                    "The expression after '&' in a pipeline element produced an object that was not valid. It must result in a command name, a script block, or a CommandInfo object.",
                    Category::InvalidOperation,
                    "BadExpression",
                    "RuntimeException",
                )
                .at(target.span)
                .unqualified()
                .into()),
                other => {
                    let name = other.to_text();
                    self.resolve_name(&name, &name.to_lowercase(), *dot, target.span)
                }
            },
            CommandHead::Name { name, key, span } => self.resolve_name(name, key, false, *span),
        }
    }

    /// `lower` is `name` in lower case.
    fn resolve_name(&mut self, name: &str, lower: &str, dot: bool, span: crate::language::ast::Span) -> Result<Target> {
        let cmdlet = self.commands.find_lowercase(lower);
        // An alias of a cmdlet wins over a function of that name.
        let alias = cmdlet.is_some_and(|def| !def.signature.name.eq_ignore_ascii_case(name));
        let function = if alias { None } else { self.scopes.function(lower) };
        if let Some(f) = function {
            return Ok(Target::Script {
                block: f.body.clone(),
                name: f.name.clone(),
                dot,
                is_filter: f.is_filter,
                script_file: false,
            });
        }
        if let Some(def) = cmdlet {
            return Ok(Target::Cmdlet(def));
        }
        if name.ends_with(".ps1") || name.contains('/') || name.contains('\\') {
            let path = name.replace('\\', "/");
            if let Ok(text) = std::fs::read_to_string(&path) {
                let script = crate::language::parse_script(text.trim_start_matches('\u{feff}')).map_err(|e| {
                    ErrorRecord::new(e.message.clone(), Category::ParserError, e.error_id, "ParseException")
                        .at(span)
                        .unqualified()
                })?;
                return Ok(Target::Script {
                    block: Rc::new(script),
                    name: Rc::from(name),
                    dot,
                    is_filter: false,
                    script_file: true,
                });
            }
        }
        // A program named with its folder (`.\Setup.exe`, `D:\Setup.exe`): the
        // command of that file's name, where mailsh has one.
        if let Some(program) = lower.rsplit(['/', '\\']).next().filter(|p| p.ends_with(".exe") && p.len() < lower.len())
            && let Some(def) = self.commands.find_lowercase(program)
        {
            return Ok(Target::Cmdlet(def));
        }
        Err(ErrorRecord::command_not_found(name).at(span).into())
    }

    /// `reader | writer` that the writer knows how to run set-based.
    fn try_fuse(&mut self, stages: &[Stage], has_head: bool) -> Option<Result<()>> {
        let [up, this] = stages else { return None };
        if has_head || !up.redirects.is_empty() || !this.redirects.is_empty() {
            return None;
        }
        let (upstream, fuse) = this.cmdlet?.fuse?;
        if !up.cmdlet?.signature.name.eq_ignore_ascii_case(upstream) {
            return None;
        }
        let result = fuse(&up.args, &this.args, self)?;
        Some(match result {
            Err(f) => this.fail(f, self),
            ok => ok,
        })
    }

    fn run_stages(&mut self, stages: &mut [Stage], head_items: Option<Vec<Value>>, sink: &mut Sink<'_>) -> Result<()> {
        for i in 0..stages.len() {
            let (head, rest) = stages.split_at_mut(i + 1);
            let stage = &mut head[i];
            if head_items.is_none() && i == 0 {
                complete_mandatory(&mut stage.args, stage.position, self)
                    .map_err(|f| name_error(f, &stage.name, stage.signature))?;
            }
            let mut next = |cx: &mut Session, v: Value| feed(rest, sink, cx, v);
            let mut out = Output { next: &mut next };
            let invocation = stage.invocation.clone();
            let r = self.in_invocation(&invocation, |cx| stage.processor.begin(&stage.args, cx, &mut out));
            match r {
                Ok(()) => {}
                Err(Flow::StopUpstream) => return Ok(()),
                Err(f) => stage.fail(f, self)?,
            }
        }
        match head_items {
            Some(items) => {
                for v in items {
                    if self.interrupted() {
                        return Err(Flow::Interrupted);
                    }
                    match feed(stages, sink, self, v) {
                        Ok(()) => {}
                        Err(Flow::StopUpstream) => break,
                        Err(e) => return Err(e),
                    }
                }
            }
            None => match start(stages, sink, self) {
                Ok(()) | Err(Flow::StopUpstream) => {}
                Err(e) => return Err(e),
            },
        }
        finish(stages, sink, self)
    }
}

/// Pushes `value` into `stages[0]`, whose output goes on to the rest.
fn feed(stages: &mut [Stage], sink: &mut Sink<'_>, cx: &mut Session, value: Value) -> Result<()> {
    let Some((first, rest)) = stages.split_first_mut() else {
        return sink(cx, value);
    };
    run_stage(first, rest, sink, cx, Some(&value))
}

/// Runs the first command once, with no pipeline input.
fn start(stages: &mut [Stage], sink: &mut Sink<'_>, cx: &mut Session) -> Result<()> {
    let Some((first, rest)) = stages.split_first_mut() else {
        return Ok(());
    };
    run_stage(first, rest, sink, cx, None)
}

/// Runs `first` on `input` (or once without).
fn run_stage(
    first: &mut Stage,
    rest: &mut [Stage],
    sink: &mut Sink<'_>,
    cx: &mut Session,
    input: Option<&Value>,
) -> Result<()> {
    with_stage_output(first, rest, sink, cx, |stage, cx, out| stage.run(input, cx, out))
}

/// Calls `f` with where `stage`'s objects go: its -OutVariable, then its
/// file redirection if it has one, else the rest of the pipeline.
fn with_stage_output<R>(
    stage: &mut Stage,
    rest: &mut [Stage],
    sink: &mut Sink<'_>,
    cx: &mut Session,
    f: impl FnOnce(&mut Stage, &mut Session, &mut Output) -> R,
) -> R {
    let out_var = stage.out_variable.clone();
    let mut file = stage.file_out.take();
    let result = {
        let mut next = |cx: &mut Session, v: Value| {
            if let Some(name) = &out_var {
                cx.append_var(name, v.clone());
            }
            match &mut file {
                Some(f) => {
                    f.items.push(v);
                    Ok(())
                }
                None => feed(rest, sink, cx, v),
            }
        };
        f(stage, cx, &mut Output { next: &mut next })
    };
    stage.file_out = file;
    result
}

fn finish(stages: &mut [Stage], sink: &mut Sink<'_>, cx: &mut Session) -> Result<()> {
    for i in 0..stages.len() {
        let (head, rest) = stages.split_at_mut(i + 1);
        let stage = &mut head[i];
        let (result, drained) = with_stage_output(stage, rest, sink, cx, |stage, cx, out| {
            let depth = cx.redirects.len();
            cx.redirects.extend(stage.redirects.iter().cloned());
            let invocation = stage.invocation.clone();
            let result = match stage.merged.clone() {
                Some(buf) => {
                    let mut capture = |_: &mut Session, v: Value| {
                        buf.borrow_mut().push(v);
                        Ok(())
                    };
                    cx.in_invocation(&invocation, |cx| {
                        stage.processor.end(&stage.args, cx, &mut Output { next: &mut capture })
                    })
                }
                None => cx.in_invocation(&invocation, |cx| stage.processor.end(&stage.args, cx, out)),
            };
            cx.redirects.truncate(depth);
            (result, stage.drain_merged(cx, out))
        });
        match result {
            Ok(()) | Err(Flow::StopUpstream) => {}
            Err(f) => stage.fail(f, cx)?,
        }
        drained?;
    }
    Ok(())
}

/// Names the command on binding errors (`Set-CASMailbox : A parameter ...`).
fn name_error(flow: Flow, name: &str, sig: &Signature) -> Flow {
    match flow {
        Flow::Error(mut rec) => {
            if rec.command.is_none() && rec.qualify_id {
                rec.command = Some(name.to_string());
                rec.command_class = sig.class.map(str::to_string);
            }
            Flow::Error(rec)
        }
        other => other,
    }
}

/// `Cmd -?` asks for help on Cmd: it runs as `Get-Help Cmd`.
/// A function the plain call can run: only an end block, no
/// `[CmdletBinding()]`/`[Parameter()]`, no `dynamicparam`, and not asked
/// for help (`-?`).
fn is_plain_function(block: &ScriptBlock, cmd: &Command) -> bool {
    !block.has_named_blocks()
        && block.dynamicparam.is_none()
        && !block.is_advanced()
        && !cmd.elements.iter().any(|e| matches!(e, CommandElement::Parameter { name, .. } if name == "?"))
}

fn help_request(cmd: &Command, name: &str) -> Option<Command> {
    let asks = cmd.elements.iter().any(|e| matches!(e, CommandElement::Parameter { name, .. } if name == "?"));
    if !asks {
        return None;
    }
    let target = Expr::str(name, cmd.name_span());
    Some(Command {
        head: CommandHead::name("Get-Help", cmd.name_span()),
        elements: vec![CommandElement::Argument(target)],
        redirections: vec![],
        span: cmd.span,
    })
}

/// A script with named blocks, as a block a processor can run.
fn clone_block(script: &crate::language::ast::Script) -> ScriptBlock {
    // The AST is not Clone; re-parse the script text (only scripts with
    // begin/process/end come here).
    crate::language::parse_script(&script.text).unwrap_or_else(|_| ScriptBlock::empty(String::new(), script.span))
}

/// Writes redirected text to a file (UTF-8; Windows PowerShell 5.1 writes
/// UTF-16, a difference docs/language.md records).
fn write_text(path: &str, text: &str, append: bool) -> Result<()> {
    use std::io::Write;
    let open = if append {
        std::fs::OpenOptions::new().create(true).append(true).open(path)
    } else {
        std::fs::File::create(path)
    };
    let mut f = open.map_err(|e| {
        ErrorRecord::new(
            format!("Could not find a part of the path '{path}'."),
            Category::OpenError,
            "FileOpenFailure",
            "DirectoryNotFoundException",
        )
        .with_target(e.to_string(), "")
        .unqualified()
    })?;
    f.write_all(text.as_bytes()).map_err(|e| ErrorRecord::task(e.to_string(), "FileWriteFailure"))?;
    Ok(())
}
