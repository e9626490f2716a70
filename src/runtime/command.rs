//! What a cmdlet is: its signature, and a processor with PowerShell's
//! begin / process / end blocks. Cmdlets never see raw arguments: they get
//! `Args`, already bound and converted by the binder.

use super::errors::Result;
use super::session::Session;
use super::signature::Signature;
use super::value::Value;
use crate::language::ast::Span;

pub trait Processor {
    fn begin(&mut self, _args: &Args, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        Ok(())
    }
    /// Called once per pipeline object, or once with `None` when the command
    /// stands first in its pipeline.
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()>;
    fn end(&mut self, _args: &Args, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        Ok(())
    }
}

pub type RunFn = fn(&Args, Option<&Value>, &mut Session, &mut Output) -> Result<()>;

/// A cmdlet without state between records.
struct Stateless(RunFn);

impl Processor for Stateless {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        (self.0)(args, input, cx, out)
    }
}

pub enum Make {
    Run(RunFn),
    Stateful(fn() -> Box<dyn Processor>),
}

/// Runs `upstream | this` as one set-based operation when the arguments
/// allow it, with the same observable effects (objects, warnings, audit);
/// `None` when they do not and the pipeline runs record by record.
pub type FuseFn = fn(upstream: &Args, this: &Args, cx: &mut Session) -> Option<Result<()>>;

pub struct CmdletDef {
    pub signature: Signature,
    pub make: Make,
    /// Cmdlets this one can fuse with when it directly follows them.
    pub fuse: Option<(&'static str, FuseFn)>,
}

impl CmdletDef {
    pub fn run(signature: Signature, run: RunFn) -> CmdletDef {
        CmdletDef { signature: signature.finish(), make: Make::Run(run), fuse: None }
    }
    pub fn stateful(signature: Signature, make: fn() -> Box<dyn Processor>) -> CmdletDef {
        CmdletDef { signature: signature.finish(), make: Make::Stateful(make), fuse: None }
    }
    pub fn fused_after(mut self, upstream: &'static str, f: FuseFn) -> CmdletDef {
        self.fuse = Some((upstream, f));
        self
    }

    pub fn processor(&self) -> Box<dyn Processor> {
        match self.make {
            Make::Run(f) => Box::new(Stateless(f)),
            Make::Stateful(f) => f(),
        }
    }
}

/// The commands a session can run, found by name or alias, case-insensitively.
pub struct CommandTable {
    defs: Vec<CmdletDef>,
    index: std::collections::HashMap<String, usize, std::hash::BuildHasherDefault<super::scope::NameHasher>>,
}

impl CommandTable {
    pub fn new(defs: Vec<CmdletDef>) -> CommandTable {
        let mut index = std::collections::HashMap::default();
        for (i, d) in defs.iter().enumerate() {
            index.insert(d.signature.name.to_ascii_lowercase(), i);
            for a in d.signature.aliases {
                index.insert(a.to_ascii_lowercase(), i);
            }
        }
        CommandTable { defs, index }
    }

    /// Case-insensitive lookup by name or alias.
    pub fn find(&self, name: &str) -> Option<&CmdletDef> {
        super::scope::with_lowercase(name, |lower| self.find_lowercase(lower))
    }

    /// `find` for a name already in lower case.
    pub fn find_lowercase(&self, lower: &str) -> Option<&CmdletDef> {
        self.index.get(lower).map(|i| &self.defs[*i])
    }

    pub fn all(&self) -> &[CmdletDef] {
        &self.defs
    }
}

/// Bound parameters of one invocation, by the signature's parameter index.
#[derive(Clone)]
pub struct Args {
    pub signature: &'static Signature,
    pub values: Vec<Option<Value>>,
    /// Where each bound value came from in the source, for error markers
    /// (empty when the signature does not keep them).
    spans: Vec<Option<Span>>,
    pub command_span: Span,
    /// Arguments no parameter took (a simple script function's `$args`).
    pub extra: Vec<Value>,
}

impl Args {
    pub fn new(signature: &'static Signature, command_span: Span) -> Args {
        let n = signature.params.len();
        let spans = if signature.argument_spans { vec![None; n] } else { Vec::new() };
        Args { signature, values: vec![None; n], spans, command_span, extra: Vec::new() }
    }

    pub fn set_span(&mut self, idx: usize, span: Span) {
        if let Some(s) = self.spans.get_mut(idx) {
            *s = Some(span);
        }
    }

    pub fn name(&self) -> &'static str {
        self.signature.name
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.signature.params.iter().position(|p| p.name.eq_ignore_ascii_case(name))
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.index(name).and_then(|i| self.values[i].as_ref())
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn set(&mut self, name: &str, value: Value) {
        if let Some(i) = self.index(name) {
            self.values[i] = Some(value);
        }
    }

    pub fn switch(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v.is_true())
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        self.get(name).map(|v| v.is_true())
    }

    pub fn string(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.is_null()).map(|v| v.to_text())
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(Value::as_i64)
    }

    pub fn strings(&self, name: &str) -> Option<Vec<String>> {
        self.get(name).map(|v| match v {
            Value::Array(items) => items.items().iter().map(|i| i.to_text()).collect(),
            Value::Null => vec![],
            other => vec![other.to_text()],
        })
    }

    pub fn span_of(&self, name: &str) -> Span {
        self.index(name).and_then(|i| self.spans.get(i).copied().flatten()).unwrap_or(self.command_span)
    }

    /// The parameters given, in declaration order, common ones left out:
    /// what the audit log records.
    pub fn given(&self) -> Vec<(&'static str, &Value)> {
        self.signature
            .params
            .iter()
            .zip(self.values.iter())
            .filter(|(p, v)| !p.common && v.is_some())
            .filter_map(|(p, v)| v.as_ref().map(|v| (p.name, v)))
            .collect()
    }
}

/// Where a command's objects go: the rest of the pipeline, then the sink.
pub struct Output<'a> {
    pub(crate) next: &'a mut dyn FnMut(&mut Session, Value) -> Result<()>,
}

impl Output<'_> {
    /// Passes one object on; Ctrl-C stops the pipeline here, between
    /// records (a record a writer has begun is finished or undone whole).
    pub fn emit(&mut self, cx: &mut Session, value: Value) -> Result<()> {
        cx.check_interrupt()?;
        (self.next)(cx, value)
    }

    /// Emits each item of a collection (PowerShell's enumeration of output).
    pub fn emit_all(&mut self, cx: &mut Session, values: impl IntoIterator<Item = Value>) -> Result<()> {
        for v in values {
            self.emit(cx, v)?;
        }
        Ok(())
    }
}
