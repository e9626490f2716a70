//! Statements and pipelines: commands are bound, then objects are pushed
//! from one command's output into the next one's process block, as
//! PowerShell streams them.

use super::binder::{bind_arguments, bind_input, complete_mandatory, takes_pipeline_input};
use super::command::{Args, CmdletDef, Output, Processor};
use super::errors::{ErrorRecord, Flow, Result};
use super::eval::collapse;
use super::session::{Action, Session};
use super::signature::Signature;
use super::value::Value;
use crate::language::ast::{AssignOp, Command, CommandElement, Pipeline, PipelineElement, Script, Statement};

pub type Sink<'a> = dyn FnMut(&mut Session, Value) -> Result<()> + 'a;

/// How a top-level run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    /// `exit N`.
    Exit(i32),
    /// An error under -ErrorAction Stop ended the script.
    Stopped,
}

struct Stage {
    def: &'static CmdletDef,
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
}

/// A common `-XVariable name` parameter: `+name` appends, else the variable
/// starts empty, as PowerShell does.
fn stream_variable(args: &Args, param: &str, cx: &mut Session) -> Option<String> {
    let raw = args.string(param)?;
    match raw.strip_prefix('+') {
        Some(name) => Some(name.to_string()),
        None => {
            let _ = cx.set_var(&raw, Value::Array(vec![]));
            Some(raw)
        }
    }
}

impl Stage {
    fn new(def: &'static CmdletDef, cmd: &Command, position: usize, cx: &mut Session) -> Result<Stage> {
        let args = bind_arguments(&def.signature, cmd, cx).map_err(|f| name_error(f, &def.signature))?;
        let error_action = args.get("ErrorAction").map(Action::from_value);
        let warning_action = args.get("WarningAction").map(Action::from_value);
        let out_variable = stream_variable(&args, "OutVariable", cx);
        let error_variable = stream_variable(&args, "ErrorVariable", cx);
        let warning_variable = stream_variable(&args, "WarningVariable", cx);
        Ok(Stage {
            def,
            processor: def.processor(),
            takes_input: takes_pipeline_input(&def.signature),
            args,
            position,
            error_action,
            warning_action,
            out_variable,
            error_variable,
            warning_variable,
        })
    }

    fn action(&self, cx: &Session) -> Action {
        self.error_action.unwrap_or_else(|| cx.error_action_preference())
    }

    /// A failure of one record: reported, and the pipeline goes on, unless
    /// the error action says stop.
    fn fail(&self, flow: Flow, cx: &mut Session) -> Result<()> {
        match flow {
            Flow::Error(mut rec) => {
                if rec.command.is_none() {
                    rec.command = Some(self.args.name().to_string());
                    rec.command_class = self.args.signature.class.map(str::to_string);
                }
                if rec.span.is_none() {
                    rec.span = Some(self.args.command_span);
                }
                if let Some(name) = &self.error_variable {
                    cx.append_var(name, Value::str(rec.message.clone()));
                }
                match self.action(cx) {
                    Action::Stop => Err(Flow::ScriptStop(rec)),
                    action => {
                        cx.write_error(*rec, action);
                        Ok(())
                    }
                }
            }
            other => Err(other),
        }
    }

    fn run(&mut self, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        let bound;
        let args = match input {
            Some(v) if self.takes_input => match bind_input(&self.args, v) {
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
                Err(e) => return self.fail(e.into(), cx),
            },
            Some(v) => {
                return self
                    .fail(ErrorRecord::input_not_bound().with_target(v.to_text(), &v.short_type_name()).into(), cx);
            }
            None => &self.args,
        };
        cx.warning_action = self.warning_action;
        cx.warning_variable = self.warning_variable.clone();
        let result = self.processor.process(args, input, cx, out);
        cx.warning_action = None;
        cx.warning_variable = None;
        match result {
            Ok(()) => Ok(()),
            Err(f) => self.fail(f, cx),
        }
    }
}

/// Names the command on binding errors (`Set-CASMailbox : A parameter ...`).
fn name_error(flow: Flow, sig: &Signature) -> Flow {
    match flow {
        Flow::Error(mut rec) => {
            if rec.command.is_none() && rec.qualify_id {
                rec.command = Some(sig.name.to_string());
                rec.command_class = sig.class.map(str::to_string);
            }
            Flow::Error(rec)
        }
        other => other,
    }
}

/// Pushes `value` into `stages[0]`, whose output goes on to the rest.
fn feed(stages: &mut [Stage], sink: &mut Sink<'_>, cx: &mut Session, value: Value) -> Result<()> {
    let Some((first, rest)) = stages.split_first_mut() else {
        return sink(cx, value);
    };
    let out_var = first.out_variable.clone();
    let mut next = |cx: &mut Session, v: Value| {
        if let Some(name) = &out_var {
            cx.append_var(name, v.clone());
        }
        feed(rest, sink, cx, v)
    };
    first.run(Some(&value), cx, &mut Output { next: &mut next })
}

/// Runs the first command once, with no pipeline input.
fn start(stages: &mut [Stage], sink: &mut Sink<'_>, cx: &mut Session) -> Result<()> {
    let Some((first, rest)) = stages.split_first_mut() else {
        return Ok(());
    };
    let out_var = first.out_variable.clone();
    let mut next = |cx: &mut Session, v: Value| {
        if let Some(name) = &out_var {
            cx.append_var(name, v.clone());
        }
        feed(rest, sink, cx, v)
    };
    first.run(None, cx, &mut Output { next: &mut next })
}

fn finish(stages: &mut [Stage], sink: &mut Sink<'_>, cx: &mut Session) -> Result<()> {
    for i in 0..stages.len() {
        let (head, rest) = stages.split_at_mut(i + 1);
        let stage = &mut head[i];
        let out_var = stage.out_variable.clone();
        let mut next = |cx: &mut Session, v: Value| {
            if let Some(name) = &out_var {
                cx.append_var(name, v.clone());
            }
            feed(rest, sink, cx, v)
        };
        let result = stage.processor.end(&stage.args, cx, &mut Output { next: &mut next });
        match result {
            Ok(()) | Err(Flow::StopUpstream) => {}
            Err(f) => stage.fail(f, cx)?,
        }
    }
    Ok(())
}

impl Session {
    /// Runs a parsed script at top level: each statement's objects go to
    /// Out-Default; errors are reported and the script goes on.
    pub fn run_script(&mut self, script: &Script) -> Outcome {
        for statement in &script.statements {
            match self.run_top_statement(statement) {
                Outcome::Completed => {}
                other => return other,
            }
        }
        Outcome::Completed
    }

    pub fn run_top_statement(&mut self, statement: &Statement) -> Outcome {
        self.statement_errors = 0;
        let mut out = crate::format::out_default::OutDefault::new();
        let result = self.exec_statement(statement, &mut |cx: &mut Session, v: Value| {
            out.push(cx, v);
            Ok(())
        });
        out.finish(self);
        let outcome = match result {
            Ok(()) | Err(Flow::StopUpstream) => Outcome::Completed,
            Err(Flow::Error(rec)) => {
                let action = match self.error_action_preference() {
                    Action::Stop => Action::Continue,
                    other => other,
                };
                let stop = self.error_action_preference() == Action::Stop;
                self.write_error(*rec, action);
                if stop { Outcome::Stopped } else { Outcome::Completed }
            }
            Err(Flow::ScriptStop(rec)) => {
                self.write_error(*rec, Action::Continue);
                Outcome::Stopped
            }
            Err(Flow::Exit(code)) => Outcome::Exit(code),
        };
        let ok = self.statement_errors == 0;
        let _ = self.set_var_internal("?", Value::Bool(ok));
        outcome
    }

    fn set_var_internal(&mut self, name: &str, v: Value) -> Option<()> {
        self.restore_var(name, Some(v));
        Some(())
    }

    /// Runs statements inside an expression (script block, `$()`, `@()`),
    /// collecting every object they output.
    pub fn run_nested(&mut self, statements: &[Statement]) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        for st in statements {
            self.exec_statement(st, &mut |_: &mut Session, v: Value| {
                out.push(v);
                Ok(())
            })?;
        }
        Ok(out)
    }

    pub fn exec_statement(&mut self, statement: &Statement, sink: &mut Sink<'_>) -> Result<()> {
        match statement {
            Statement::Pipeline(p) => self.exec_pipeline(p, sink),
            Statement::Assignment { variable, op, value, span } => {
                let mut items = Vec::new();
                self.exec_pipeline(value, &mut |_: &mut Session, v: Value| {
                    items.push(v);
                    Ok(())
                })?;
                let new = collapse(items);
                let value = match op {
                    AssignOp::Set => new,
                    AssignOp::Add => {
                        super::operators::arithmetic(super::operators::Arith::Add, self.get_var(variable), new)
                            .map_err(|e| e.at(*span))?
                    }
                    AssignOp::Subtract => {
                        super::operators::arithmetic(super::operators::Arith::Subtract, self.get_var(variable), new)
                            .map_err(|e| e.at(*span))?
                    }
                };
                self.set_var(variable, value).map_err(|e| e.at(*span))?;
                Ok(())
            }
            Statement::If { clauses, otherwise, .. } => {
                for (condition, body) in clauses {
                    let test = collapse(self.run_nested(std::slice::from_ref(condition))?);
                    if test.is_true() {
                        return self.exec_block(body, sink);
                    }
                }
                match otherwise {
                    Some(body) => self.exec_block(body, sink),
                    None => Ok(()),
                }
            }
            Statement::Foreach { variable, collection, body, .. } => {
                let items =
                    collapse(self.run_nested(std::slice::from_ref(collection.as_ref()))?).into_items_for_pipeline();
                for item in items {
                    self.set_var(variable, item).map_err(|e| e.at(statement.span()))?;
                    self.exec_block(body, sink)?;
                }
                Ok(())
            }
            Statement::Exit { code, .. } => {
                let code = match code {
                    Some(e) => match self.eval(e)? {
                        Value::Int(n) => n as i32,
                        Value::Bool(b) => b as i32,
                        other => other.to_text().trim().parse().unwrap_or(0),
                    },
                    None => 0,
                };
                Err(Flow::Exit(code))
            }
        }
    }

    /// The statements of an `if` or `foreach` body: like a script, an error
    /// ends only the statement it happened in.
    fn exec_block(&mut self, statements: &[Statement], sink: &mut Sink<'_>) -> Result<()> {
        for st in statements {
            match self.exec_statement(st, sink) {
                Err(Flow::Error(rec)) if self.error_action_preference() != Action::Stop => {
                    let action = self.error_action_preference();
                    self.write_error(*rec, action);
                }
                other => other?,
            }
        }
        Ok(())
    }

    pub fn exec_pipeline(&mut self, pipeline: &Pipeline, sink: &mut Sink<'_>) -> Result<()> {
        let mut elements = pipeline.elements.iter();
        let mut head_items: Option<Vec<Value>> = None;
        let mut commands: Vec<&Command> = Vec::new();
        if let Some(first) = elements.next() {
            match first {
                PipelineElement::Expression(e) => head_items = Some(self.eval(e)?.into_items_for_pipeline()),
                PipelineElement::Command(c) => commands.push(c),
            }
        }
        for el in elements {
            if let PipelineElement::Command(c) = el {
                commands.push(c);
            }
        }
        let mut stages: Vec<Stage> = Vec::with_capacity(commands.len());
        for (i, cmd) in commands.iter().enumerate() {
            let help = help_request(cmd);
            let (def, cmd) = match help {
                Some(help_cmd) => {
                    let def = lookup(&help_cmd)?;
                    (def, std::borrow::Cow::Owned(help_cmd))
                }
                None => (lookup(cmd)?, std::borrow::Cow::Borrowed(*cmd)),
            };
            let position = i + 1 + head_items.is_some() as usize;
            stages.push(Stage::new(def, &cmd, position, self)?);
        }
        if stages.is_empty() {
            for v in head_items.unwrap_or_default() {
                sink(self, v)?;
            }
            return Ok(());
        }
        if let Some(result) = self.try_fuse(&stages, head_items.is_some()) {
            return result;
        }
        // A writer fed by a pipeline: group its records into larger
        // transactions (a savepoint each), for speed on thousands of them.
        let fed_from = if head_items.is_some() { 0 } else { 1 };
        let batch = stages.iter().skip(fed_from).any(|s| s.args.signature.should_process);
        if batch {
            self.store()?.begin_batch().map_err(|e| ErrorRecord::task(e.to_string(), "StoreError"))?;
        }
        let result = self.run_stages(&mut stages, head_items, sink);
        if batch
            && let Ok(store) = self.store()
            && let Err(e) = store.end_batch()
        {
            return Err(ErrorRecord::task(e.to_string(), "StoreError").into());
        }
        result
    }

    /// `reader | writer` that the writer knows how to run set-based.
    fn try_fuse(&mut self, stages: &[Stage], has_head: bool) -> Option<Result<()>> {
        let [up, this] = stages else { return None };
        if has_head {
            return None;
        }
        let (upstream, fuse) = this.def.fuse?;
        if !up.def.signature.name.eq_ignore_ascii_case(upstream) {
            return None;
        }
        let result = fuse(&up.args, &this.args, self)?;
        Some(match result {
            Err(f) => this.fail(f, self),
            ok => ok,
        })
    }

    fn run_stages(&mut self, stages: &mut [Stage], head_items: Option<Vec<Value>>, sink: &mut Sink<'_>) -> Result<()> {
        for stage in stages.iter_mut() {
            stage.processor.begin(&stage.args, self)?;
        }
        match head_items {
            Some(items) => {
                for v in items {
                    match feed(stages, sink, self, v) {
                        Ok(()) => {}
                        Err(Flow::StopUpstream) => break,
                        Err(e) => return Err(e),
                    }
                }
            }
            None => {
                if let Some(first) = stages.first_mut() {
                    complete_mandatory(&mut first.args, first.position, self)
                        .map_err(|f| name_error(f, first.args.signature))?;
                }
                match start(stages, sink, self) {
                    Ok(()) | Err(Flow::StopUpstream) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        finish(stages, sink, self)
    }
}

fn lookup(cmd: &Command) -> Result<&'static CmdletDef> {
    crate::cmdlets::registry()
        .find(&cmd.name)
        .ok_or_else(|| ErrorRecord::command_not_found(&cmd.name).at(cmd.name_span).into())
}

/// `Cmd -?` asks for help on Cmd: it runs as `Get-Help Cmd`.
fn help_request(cmd: &Command) -> Option<Command> {
    let asks = cmd.elements.iter().any(|e| matches!(e, CommandElement::Parameter { name, .. } if name == "?"));
    if !asks {
        return None;
    }
    let target =
        crate::language::ast::Expr { kind: crate::language::ast::ExprKind::Str(cmd.name.clone()), span: cmd.name_span };
    Some(Command {
        name: "Get-Help".into(),
        name_span: cmd.name_span,
        elements: vec![CommandElement::Argument(target)],
        span: cmd.span,
    })
}

impl Value {
    /// How a value enters a pipeline: arrays are enumerated, $null is not sent.
    pub fn into_items_for_pipeline(self) -> Vec<Value> {
        match self {
            Value::Array(items) => items,
            Value::Null => vec![],
            other => vec![other],
        }
    }
}
