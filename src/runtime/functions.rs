//! Script functions and script blocks as commands. A function's param()
//! block becomes a `Signature` (made once per definition and kept for the
//! session), so the same binder binds cmdlets and functions alike, with the
//! same errors; its begin/process/end blocks run as a pipeline `Processor`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;

use super::command::{Args, Output, Processor};
use super::errors::{Category, ErrorRecord, Flow, Result};
use super::eval::collapse;
use super::scope::{CallInfo, Frame, FrameKind, NameHasher, Variable};
use super::session::{MAX_CALL_DEPTH, Session};
use super::signature::{ConfirmImpact, Param, ParamType, Signature, Validator};
use super::types::{TypeRef, cast};
use super::value::{Array, ArrayKind, Table, Value, custom_object};
use crate::language::ast::{Attribute, ExprKind, ParamDecl, ScriptBlock, Span, Statement, VarRef, VarScope};

/// Signatures made from param() blocks, keyed by the block's address.
type SignatureCache = HashMap<usize, (Rc<ScriptBlock>, &'static Signature), BuildHasherDefault<NameHasher>>;

thread_local! {
    /// Signatures made from param() blocks, by block; the block is kept so
    /// its address is never reused while the entry lives.
    static SIGNATURES: RefCell<SignatureCache> = RefCell::new(HashMap::default());
    /// The last signature found, by block: a loop calling one function
    /// asks for the same one every time.
    static LAST_SIGNATURE: std::cell::Cell<(usize, Option<&'static Signature>)> =
        const { std::cell::Cell::new((0, None)) };
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// The signature of a function or script block, from its param() block.
pub fn signature_of(cx: &mut Session, name: &str, block: &Rc<ScriptBlock>) -> Result<&'static Signature> {
    let key = Rc::as_ptr(block) as usize;
    if let (last, Some(sig)) = LAST_SIGNATURE.get()
        && last == key
    {
        return Ok(sig);
    }
    if let Some(sig) = SIGNATURES.with(|m| m.borrow().get(&key).map(|(_, s)| *s)) {
        LAST_SIGNATURE.set((key, Some(sig)));
        return Ok(sig);
    }
    let sig = build_signature(cx, name, block)?;
    let sig: &'static Signature = Box::leak(Box::new(sig));
    SIGNATURES.with(|m| m.borrow_mut().insert(key, (block.clone(), sig)));
    Ok(sig)
}

fn attribute_flag(a: &Attribute, cx: &mut Session, name: &str) -> Result<Option<Value>> {
    for (k, v) in &a.named {
        if k.eq_ignore_ascii_case(name) {
            return Ok(Some(match v {
                None => Value::Bool(true),
                Some(e) => cx.eval(e)?,
            }));
        }
    }
    Ok(None)
}

fn build_signature(cx: &mut Session, name: &str, block: &ScriptBlock) -> Result<Signature> {
    let advanced = block.is_advanced();
    let mut sig = Signature::build(leak(name));
    sig.test_examples = false;
    sig.argument_spans = false;
    let decls: &[ParamDecl] = block.params.as_ref().map(|p| p.params.as_slice()).unwrap_or(&[]);
    let any_position = decls.iter().any(|d| {
        d.attributes
            .iter()
            .any(|a| a.is("Parameter") && a.named.iter().any(|(k, _)| k.eq_ignore_ascii_case("Position")))
    });
    let mut positional_binding = true;
    for a in block.attributes.iter().filter(|a| a.is("CmdletBinding")) {
        if attribute_flag(a, cx, "SupportsShouldProcess")?.is_some_and(|v| v.is_true()) {
            sig.should_process = true;
        }
        if let Some(v) = attribute_flag(a, cx, "PositionalBinding")? {
            positional_binding = v.is_true();
        }
        if let Some(v) = attribute_flag(a, cx, "ConfirmImpact")? {
            sig.confirm_impact = match v.to_text().to_ascii_lowercase().as_str() {
                "high" => ConfirmImpact::High,
                "low" => ConfirmImpact::Low,
                "none" => ConfirmImpact::None,
                _ => ConfirmImpact::Medium,
            };
        }
    }
    let mut next_position = 0;
    for d in decls {
        let ty = match &d.ty {
            Some(t) => Some(TypeRef::resolve(t).map_err(|e| e.at(t.span))?),
            None => None,
        };
        let pty = match &ty {
            Some(TypeRef::Switch) => ParamType::Switch,
            Some(TypeRef::Bool) => ParamType::Bool,
            Some(TypeRef::Object) | None => ParamType::Object,
            Some(t) => ParamType::Typed(Box::leak(Box::new(t.clone()))),
        };
        let mut p = Param::new(leak(&d.name.name), pty);
        let mut explicit_position = None;
        let mut aliases: Vec<&'static str> = Vec::new();
        let mut validators: Vec<Validator> = Vec::new();
        for a in &d.attributes {
            if a.is("Parameter") {
                if attribute_flag(a, cx, "Mandatory")?.is_some_and(|v| v.is_true()) {
                    p = p.mandatory();
                }
                if let Some(v) = attribute_flag(a, cx, "Position")? {
                    explicit_position = cast(v, &TypeRef::Int).ok().and_then(|v| v.as_i64());
                }
                if attribute_flag(a, cx, "ValueFromPipeline")?.is_some_and(|v| v.is_true()) {
                    p = p.pipeline();
                }
                if attribute_flag(a, cx, "ValueFromPipelineByPropertyName")?.is_some_and(|v| v.is_true()) {
                    p = p.by_property();
                }
                if attribute_flag(a, cx, "ValueFromRemainingArguments")?.is_some_and(|v| v.is_true()) {
                    p = p.remaining();
                }
                if let Some(v) = attribute_flag(a, cx, "HelpMessage")? {
                    p = p.help(leak(&v.to_text()));
                }
                if let Some(v) = attribute_flag(a, cx, "ParameterSetName")? {
                    let set: &'static str = leak(&v.to_text());
                    p.sets = Box::leak(Box::new([set]));
                }
            } else if a.is("Alias") {
                for e in &a.positional {
                    for v in cx.eval(e)?.into_items() {
                        aliases.push(leak(&v.to_text()));
                    }
                }
            } else if let Some(v) = validator_of(cx, a)? {
                validators.push(v);
            } else if a.is("AllowNull")
                || a.is("AllowEmptyString")
                || a.is("AllowEmptyCollection")
                || a.is("SupportsWildcards")
                || a.is("ArgumentCompleter")
                || a.is("OutputType")
            {
                // Accepted; they relax or describe, and mailsh's checks allow it.
            } else {
                return Err(unknown_attribute(a));
            }
        }
        if !aliases.is_empty() {
            p.aliases = Box::leak(aliases.into_boxed_slice());
        }
        if !validators.is_empty() {
            p.validators = Box::leak(validators.into_boxed_slice());
        }
        if !p.ty.is_switch() {
            if let Some(pos) = explicit_position {
                p.position = Some(pos.max(0) as usize);
            } else if !any_position && positional_binding {
                p.position = Some(next_position);
                next_position += 1;
            }
        }
        sig = sig.param(p);
    }
    if advanced {
        Ok(sig.finish())
    } else {
        sig.collect_unbound = true;
        Ok(sig)
    }
}

/// A validation attribute (`[ValidateSet()]`, `[ValidateRange()]` ...) as a
/// check, for a parameter or an attributed variable; `None` for any other
/// attribute.
/// PowerShell's error for an attribute it has no type for.
pub(crate) fn unknown_attribute(a: &Attribute) -> Flow {
    ErrorRecord::new(
        format!(
            "Cannot find the type for custom attribute '{}'. Make sure that the assembly that contains this type is loaded.",
            a.name
        ),
        Category::InvalidOperation,
        "CustomAttributeTypeNotFound",
        "RuntimeException",
    )
    .at(a.span)
    .unqualified()
    .into()
}

pub(crate) fn validator_of(cx: &mut Session, a: &Attribute) -> Result<Option<Validator>> {
    if a.is("ValidateSet") {
        let mut set = Vec::new();
        for e in &a.positional {
            set.extend(cx.eval(e)?.into_items().iter().map(Value::to_text));
        }
        return Ok(Some(Validator::Set(set)));
    } else if a.is("ValidateRange") {
        let vals = cx.eval_args(&a.positional)?;
        if let [min, max] = vals.as_slice() {
            return Ok(Some(Validator::Range(min.clone(), max.clone())));
        }
    } else if a.is("ValidateNotNullOrEmpty") {
        return Ok(Some(Validator::NotNullOrEmpty));
    } else if a.is("ValidateNotNull") {
        return Ok(Some(Validator::NotNull));
    } else if a.is("ValidatePattern") {
        if let Some(e) = a.positional.first() {
            return Ok(Some(Validator::Pattern(cx.eval(e)?.to_text())));
        }
    } else if a.is("ValidateLength") || a.is("ValidateCount") {
        let vals = cx.eval_args(&a.positional)?;
        let n = |v: &Value| cast(v.clone(), &TypeRef::Long).ok().and_then(|v| v.as_i64()).unwrap_or(0);
        if let [min, max] = vals.as_slice() {
            return Ok(Some(if a.is("ValidateLength") {
                Validator::Length(n(min), n(max))
            } else {
                Validator::Count(n(min), n(max))
            }));
        }
    } else if a.is("ValidateScript")
        && let Some(e) = a.positional.first()
        && let ExprKind::ScriptBlock(b) = &e.kind
    {
        return Ok(Some(Validator::Script(b.clone())));
    }
    Ok(None)
}

/// Runs a function or script block in a pipeline.
pub struct ScriptProcessor {
    block: Rc<ScriptBlock>,
    name: Rc<str>,
    /// `. script`: runs in the caller's scope.
    dot: bool,
    /// A script file gets a script scope (for `$script:`).
    script_scope: bool,
    /// A `filter`: its body is the process block.
    is_filter: bool,
    frame: Option<Frame>,
    parent: usize,
    input: Vec<Value>,
    depth_counted: bool,
    call_span: Span,
    /// A block made by GetNewClosure(): the variables it captured, in a
    /// frame of their own between the block's frame and the global one.
    closure: Option<Frame>,
}

impl ScriptProcessor {
    pub fn new(
        block: Rc<ScriptBlock>,
        name: impl Into<Rc<str>>,
        dot: bool,
        is_filter: bool,
        script_scope: bool,
    ) -> ScriptProcessor {
        ScriptProcessor {
            block,
            name: name.into(),
            dot,
            script_scope,
            is_filter,
            frame: None,
            parent: 0,
            input: Vec::new(),
            depth_counted: false,
            call_span: Default::default(),
            closure: None,
        }
    }

    /// Enters the function's frame for one of its blocks.
    fn enter(&mut self, cx: &mut Session) {
        if self.dot {
            return;
        }
        if self.closure.is_none()
            && self.frame.is_none()
            && let Some(vars) = cx.closures.get(&(Rc::as_ptr(&self.block) as usize))
        {
            let mut f = Frame::new(FrameKind::Local, Some(0));
            f.vars = vars.1.clone();
            self.closure = Some(f);
        }
        let parent = match self.closure.take() {
            Some(c) => {
                cx.scopes.push_frame(c);
                cx.scopes.current()
            }
            None => self.parent,
        };
        match self.frame.take() {
            Some(mut f) => {
                f.parent = Some(parent);
                cx.scopes.push_frame(f)
            }
            None => {
                let kind = if self.script_scope { FrameKind::Script } else { FrameKind::Local };
                cx.scopes.push(kind, parent);
            }
        }
    }

    fn leave(&mut self, cx: &mut Session) {
        if self.dot {
            return;
        }
        self.frame = cx.scopes.pop();
        let key = Rc::as_ptr(&self.block) as usize;
        if cx.closures.contains_key(&key) {
            // What the block changed in its captured variables lasts, as a
            // closure's module keeps them.
            self.closure = cx.scopes.pop();
            if let (Some(c), Some(entry)) = (&self.closure, cx.closures.get_mut(&key)) {
                entry.1 = c.vars.clone();
            }
        }
    }

    /// Runs statements in the function's frame, writing to `out`.
    fn run(&mut self, statements: &[Statement], cx: &mut Session, out: &mut Output) -> Result<()> {
        self.enter(cx);
        let r = cx.run_called(&self.name, self.call_span, statements, out);
        self.leave(cx);
        match r {
            Err(Flow::Return) => Ok(()),
            other => other,
        }
    }

    /// Binds the declared parameters into the function's frame.
    fn bind(&mut self, args: &Args, cx: &mut Session, first: bool) -> Result<()> {
        let block = self.block.clone();
        self.enter(cx);
        let r = (|| -> Result<()> {
            for d in block.params.iter().flat_map(|p| p.params.iter()) {
                let idx = args.signature.params.iter().position(|p| p.name.eq_ignore_ascii_case(&d.name.name));
                let given = idx.and_then(|i| args.values[i].clone());
                if given.is_none() && !first {
                    continue;
                }
                assign_parameter(cx, d, given)?;
            }
            let at = cx.scopes.current();
            if first && self.script_scope {
                cx.set_script_path(&self.name);
            }
            if first {
                let advanced = block.is_advanced();
                let info = CallInfo { name: self.name.clone(), args: args.clone(), advanced };
                cx.scopes.frame_mut(at).call = Some(info);
                if advanced {
                    common_preferences(args, cx);
                }
            } else if let Some(Value::Hashtable(b)) = cx.scopes.local(at, "psboundparameters").map(|v| v.value()) {
                // Already read: the record's parameters join the table.
                for (name, v) in args.given() {
                    b.insert(Value::str(name), v.clone());
                }
            } else {
                let frame = cx.scopes.frame_mut(at);
                let advanced = frame.call.as_ref().is_some_and(|c| c.advanced);
                frame.call = Some(CallInfo { name: self.name.clone(), args: args.clone(), advanced });
            }
            Ok(())
        })();
        self.leave(cx);
        r
    }
}

/// A declared parameter's variable in the call's frame: the value given,
/// else its default, else the `$null` of its type.
fn assign_parameter(cx: &mut Session, d: &ParamDecl, given: Option<Value>) -> Result<()> {
    // An untyped parameter that was given a value becomes a plain variable
    // of the new frame: what `assign` would do, without its checks by name.
    let given = match given {
        Some(value) if d.ty.is_none() && !d.name.automatic => {
            let at = cx.scopes.current();
            cx.scopes.define(at, d.name.key.clone(), Variable::new(value));
            return Ok(());
        }
        other => other,
    };
    let ty = match &d.ty {
        Some(t) => Some(TypeRef::resolve(t)?),
        None => None,
    };
    let value = match given {
        Some(v) => v,
        None => match &d.default {
            Some(e) => cx.eval(e)?,
            None => match &ty {
                Some(t) => cast(Value::Null, t).unwrap_or(Value::Null),
                None => Value::Null,
            },
        },
    };
    let value = match ty {
        Some(TypeRef::Switch) => Value::Switch(value.is_true()),
        _ => value,
    };
    let constraint = ty.filter(|t| !matches!(t, TypeRef::Object | TypeRef::Switch));
    let var = VarRef { scope: VarScope::Local, ..d.name.clone() };
    cx.assign(&var, value, constraint)?;
    Ok(())
}

/// Counts one more call deep, refusing past PowerShell's limit.
fn enter_call(cx: &mut Session) -> Result<()> {
    if cx.call_depth >= MAX_CALL_DEPTH {
        return Err(ErrorRecord::new(
            "The script failed due to call depth overflow.",
            Category::InvalidOperation,
            "CallDepthOverflow",
            "ScriptCallDepthException",
        )
        .unqualified()
        .into());
    }
    cx.call_depth += 1;
    Ok(())
}

/// A call variable of `info`, made when first read (see `CALL_VARIABLES`).
pub(crate) fn call_variable(info: &CallInfo, key: &str) -> Option<Value> {
    let args = &info.args;
    match key {
        "args" => Some(Value::Array(Rc::new(Array::new(args.extra.clone(), ArrayKind::Object)))),
        "psboundparameters" => {
            let bound = Table::new(false);
            for (name, v) in args.given() {
                bound.insert(Value::str(name), v.clone());
            }
            Some(Value::Hashtable(Rc::new(bound)))
        }
        "myinvocation" => Some(invocation_info(&info.name, args)),
        "pscmdlet" if info.advanced => Some(script_cmdlet(args)),
        "input" => Some(Value::Array(Rc::new(Array::new(Vec::new(), ArrayKind::ArrayList)))),
        _ => None,
    }
}

/// An advanced function's common parameters set the preference variables
/// of its own scope, as PowerShell does (-ErrorAction Stop makes its
/// Write-Error terminating; -Verbose shows its Write-Verbose).
fn common_preferences(args: &Args, cx: &mut Session) {
    let pairs = [
        ("ErrorAction", "erroractionpreference"),
        ("WarningAction", "warningpreference"),
        ("InformationAction", "informationpreference"),
    ];
    for (param, var) in pairs {
        if let Some(v) = args.get(param) {
            cx.set_local(var, Value::str(v.to_text()));
        }
    }
    let switches = [("Verbose", "verbosepreference"), ("Debug", "debugpreference")];
    for (param, var) in switches {
        if let Some(v) = args.get(param) {
            cx.set_local(var, Value::str(if v.is_true() { "Continue" } else { "SilentlyContinue" }));
        }
    }
    if args.switch("WhatIf") {
        cx.set_local("whatifpreference", Value::Bool(true));
    }
    // -Confirm makes every change ask, -Confirm:$false none, as in PowerShell.
    if let Some(v) = args.get("Confirm") {
        cx.set_local("confirmpreference", Value::str(if v.is_true() { "Low" } else { "None" }));
    }
}

/// `$MyInvocation`: the command's name and how it was called.
fn invocation_info(name: &str, args: &Args) -> Value {
    let command =
        custom_object(vec![("Name".into(), Value::str(name)), ("CommandType".into(), Value::str("Function"))]);
    let bound: Vec<(Value, Value)> = args
        .signature
        .params
        .iter()
        .zip(args.values.iter())
        .filter_map(|(p, v)| v.as_ref().map(|v| (Value::str(p.name), v.clone())))
        .collect();
    custom_object(vec![
        ("MyCommand".into(), command),
        ("InvocationName".into(), Value::str(name)),
        ("BoundParameters".into(), Value::hashtable(bound, false)),
        ("UnboundArguments".into(), Value::array(args.extra.clone())),
    ])
}

/// `$PSCmdlet` of an advanced function.
fn script_cmdlet(args: &Args) -> Value {
    let obj = custom_object(vec![
        ("CommandName".into(), Value::str(args.signature.name)),
        ("WhatIf".into(), Value::Bool(args.switch("WhatIf"))),
        ("Confirm".into(), Value::Bool(args.switch("Confirm"))),
        ("ConfirmImpact".into(), Value::str(format!("{:?}", args.signature.confirm_impact))),
    ]);
    if let Value::Object(o) = &obj {
        o.set_type_name("System.Management.Automation.PSScriptCmdlet");
    }
    obj
}

impl Processor for ScriptProcessor {
    fn begin(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        enter_call(cx)?;
        self.depth_counted = true;
        self.parent = cx.scopes.current();
        self.call_span = args.command_span;
        self.bind(args, cx, true)?;
        let block = self.block.clone();
        if let Some(dynamic) = &block.dynamicparam {
            // Parameters made at run time are not supported: refuse any.
            let made = cx.run_nested(dynamic)?;
            if made.iter().any(|v| !v.is_null()) {
                return Err(ErrorRecord::new(
                    format!("The function '{}' defines dynamic parameters, which mailsh does not support.", self.name),
                    Category::NotImplemented,
                    "DynamicParametersNotSupported",
                    "NotSupportedException",
                )
                .unqualified()
                .into());
            }
        }
        if let Some(begin) = &block.begin {
            self.run(begin, cx, out)?;
        }
        Ok(())
    }

    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        let v = match input {
            Some(v) => v.clone(),
            // Called first in its pipeline: the process block runs once.
            None if self.block.process.is_some() || self.is_filter => Value::Null,
            None => return Ok(()),
        };
        let v = &v;
        if input.is_some() {
            self.bind(args, cx, false)?;
        }
        let block = self.block.clone();
        let body = if self.is_filter { block.end.as_deref() } else { block.process.as_deref() };
        match body {
            Some(statements) => {
                self.enter(cx);
                let saved = if self.dot { cx.take_var("_") } else { None };
                cx.set_local("_", v.clone());
                cx.set_local("input", Value::array(vec![v.clone()]));
                self.leave(cx);
                let r = self.run(statements, cx, out);
                if self.dot {
                    cx.restore_var("_", saved);
                }
                r
            }
            None => {
                if input.is_some() {
                    self.input.push(v.clone());
                }
                Ok(())
            }
        }
    }

    fn end(&mut self, _args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        let result = (|| {
            if self.is_filter {
                return Ok(());
            }
            let block = self.block.clone();
            let Some(end) = &block.end else { return Ok(()) };
            // `$input` holds what the end block gets; with none (a plain
            // call) it is made on first read, unless a process block set it.
            let input = std::mem::take(&mut self.input);
            let set_by_process = self.frame.as_ref().is_some_and(|f| f.vars.contains_key("input"));
            if !input.is_empty() || self.dot || set_by_process {
                self.enter(cx);
                cx.set_local("input", Value::Array(Rc::new(Array::new(input, ArrayKind::ArrayList))));
                self.leave(cx);
            }
            self.run(end, cx, out)
        })();
        if self.depth_counted {
            cx.call_depth -= 1;
            self.depth_counted = false;
        }
        result
    }
}

impl Session {
    /// A plain function's call (one body, not advanced, not dot-sourced, no
    /// closure): what `ScriptProcessor`'s begin and end do for it, in one
    /// frame entered once, the bound arguments kept for the call variables
    /// without a copy. Calls in a loop spend their time here.
    pub(crate) fn call_in_new_scope(
        &mut self,
        block: &Rc<ScriptBlock>,
        name: &Rc<str>,
        args: Args,
        sink: &mut super::exec::Sink<'_>,
    ) -> Result<()> {
        enter_call(self)?;
        let parent = self.scopes.current();
        self.scopes.push(FrameKind::Local, parent);
        let result = self.bind_and_run(block, name, args, sink);
        self.scopes.pop_and_reuse();
        self.call_depth -= 1;
        match result {
            Err(Flow::Return) => Ok(()),
            other => other,
        }
    }

    fn bind_and_run(
        &mut self,
        block: &ScriptBlock,
        name: &Rc<str>,
        args: Args,
        sink: &mut super::exec::Sink<'_>,
    ) -> Result<()> {
        // The parameters are the signature's first entries, in order (see
        // `build_signature`).
        for (i, d) in block.params.iter().flat_map(|p| p.params.iter()).enumerate() {
            assign_parameter(self, d, args.values.get(i).cloned().flatten())?;
        }
        let span = args.command_span;
        let at = self.scopes.current();
        self.scopes.frame_mut(at).call = Some(CallInfo { name: name.clone(), args, advanced: false });
        let statements = block.end.as_deref().unwrap_or(&[]);
        self.run_called(name, span, statements, &mut Output { next: sink })
    }

    /// Runs a function's statements with its name on the call stack (for
    /// the positions of its errors), its objects written through `out`.
    fn run_called(&mut self, name: &Rc<str>, span: Span, statements: &[Statement], out: &mut Output) -> Result<()> {
        let named = !name.is_empty();
        if named {
            self.callers.push((name.clone(), span));
        }
        let result = self.exec_list(statements, &mut |cx: &mut Session, v: Value| out.emit(cx, v));
        if named {
            self.callers.pop();
        }
        result
    }

    /// Runs a script block in the current scope with `$_` as `input`
    /// (ForEach-Object, Where-Object, calculated properties); returns its
    /// output.
    pub fn invoke_block(&mut self, block: &ScriptBlock, input: Option<&Value>) -> Result<Vec<Value>> {
        let saved = self.take_var("_");
        if let Some(v) = input {
            self.set_local("_", v.clone());
        }
        let mut out = Vec::new();
        let statements = block.end.as_deref().or(block.process.as_deref()).unwrap_or(&[]);
        let result = self.exec_list(statements, &mut |_: &mut Session, v: Value| {
            out.push(v);
            Ok(())
        });
        self.restore_var("_", saved);
        match result {
            Ok(()) | Err(Flow::Return) => Ok(out),
            Err(e) => Err(e),
        }
    }

    /// `& $block arg1 arg2` from code (`$sb.Invoke()`, `ForEach({...})`):
    /// a new scope, positional arguments bound to its param() block.
    pub fn call_block(
        &mut self,
        block: &Rc<ScriptBlock>,
        args: Vec<Value>,
        input: Option<Value>,
    ) -> Result<Vec<Value>> {
        let sig = signature_of(self, "", block)?;
        let mut bound = Args::new(sig, block.span);
        let mut positional = args.into_iter();
        let mut slots: Vec<usize> =
            sig.params.iter().enumerate().filter(|(_, p)| p.position.is_some()).map(|(i, _)| i).collect();
        slots.sort_by_key(|i| sig.params[*i].position);
        for i in slots {
            match positional.next() {
                Some(v) => bound.values[i] = Some(v),
                None => break,
            }
        }
        bound.extra = positional.collect();
        let mut p = ScriptProcessor::new(block.clone(), "", false, false, false);
        let mut collected = Vec::new();
        {
            let mut sink = |_: &mut Session, v: Value| {
                collected.push(v);
                Ok(())
            };
            let mut out = Output { next: &mut sink };
            p.begin(&bound, self, &mut out)?;
            if let Some(v) = &input {
                p.enter(self);
                self.set_local("_", v.clone());
                p.leave(self);
            }
            let r = p.end(&bound, self, &mut out);
            r?;
        }
        Ok(collected)
    }

    /// The output of calling a block, as one value.
    pub fn call_block_value(&mut self, block: &Rc<ScriptBlock>, args: Vec<Value>) -> Result<Value> {
        Ok(collapse(self.call_block(block, args, None)?))
    }
}
