//! Variable and function scopes, as PowerShell nests them: global, script,
//! one per function call or `& { }` block. Reading walks up the parent
//! chain; assigning without a qualifier writes the current scope.
//!
//! Each frame names its parent explicitly instead of "the one below it", so
//! that the functions of one pipeline (`f | g`), whose frames are pushed in
//! turn as their blocks run, each see their caller and not each other.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use super::types::TypeRef;
use super::value::Value;
use crate::language::ast::FunctionDef;

/// FNV-1a: variable names are short and come from the admin's own script,
/// so a fast hash beats SipHash's protection against chosen keys.
#[derive(Default)]
pub struct NameHasher(u64);

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub type NameMap<V> = HashMap<Rc<str>, V, BuildHasherDefault<NameHasher>>;

/// Calls `f` with `name` in lower case: on the stack for the short ASCII
/// names commands and variables have, allocated otherwise. (Looking a
/// command up on every call should not allocate.)
pub fn with_lowercase<R>(name: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buffer = [0u8; 64];
    if name.is_ascii() && name.len() <= buffer.len() {
        let lower = &mut buffer[..name.len()];
        lower.copy_from_slice(name.as_bytes());
        lower.make_ascii_lowercase();
        if let Ok(text) = std::str::from_utf8(lower) {
            return f(text);
        }
    }
    f(&name.to_lowercase())
}

/// Where a variable's value lives: in the variable, or, once `[ref]$x` took
/// a reference to it, in a cell the reference shares (writes through the
/// reference are then seen by the variable, as PowerShell's PSReference).
#[derive(Debug, Clone)]
enum Slot {
    Own(Value),
    Shared(Rc<RefCell<Value>>),
}

#[derive(Debug, Clone)]
pub struct Variable {
    slot: Slot,
    /// `[int]$x = 5` keeps converting what is assigned to it later.
    pub constraint: Option<TypeRef>,
    pub read_only: bool,
    /// `$private:x`: seen only in the scope that made it.
    pub private: bool,
    /// `[ValidateRange(1, 5)]$x = 3`: checked on every later assignment.
    pub validators: Option<Rc<[super::signature::Validator]>>,
}

impl Variable {
    pub fn new(value: Value) -> Variable {
        Variable { slot: Slot::Own(value), constraint: None, read_only: false, private: false, validators: None }
    }
    pub fn read_only(value: Value) -> Variable {
        Variable { read_only: true, ..Variable::new(value) }
    }
    pub fn value(&self) -> Value {
        match &self.slot {
            Slot::Own(v) => v.clone(),
            Slot::Shared(cell) => cell.borrow().clone(),
        }
    }
    /// Looks at the value without copying it.
    pub fn with_value<R>(&self, f: impl FnOnce(&Value) -> R) -> R {
        match &self.slot {
            Slot::Own(v) => f(v),
            Slot::Shared(cell) => f(&cell.borrow()),
        }
    }
    pub fn set(&mut self, value: Value) {
        match &mut self.slot {
            Slot::Own(v) => *v = value,
            Slot::Shared(cell) => *cell.borrow_mut() = value,
        }
    }
    pub fn into_value(self) -> Value {
        match self.slot {
            Slot::Own(v) => v,
            Slot::Shared(cell) => cell.borrow().clone(),
        }
    }
    /// The `[int]` this variable holds, to change where it stands: only for
    /// a plain variable (no type constraint, no validation, writable), so
    /// changing it is what assigning it would do.
    pub fn plain_int_mut(&mut self) -> Option<&mut i32> {
        if self.read_only || self.constraint.is_some() || self.validators.is_some() {
            return None;
        }
        match &mut self.slot {
            Slot::Own(Value::Int(n)) => Some(n),
            _ => None,
        }
    }

    /// The cell a `[ref]` to this variable shares with it.
    pub fn reference(&mut self) -> Rc<RefCell<Value>> {
        match &mut self.slot {
            Slot::Shared(cell) => cell.clone(),
            Slot::Own(v) => {
                let cell = Rc::new(RefCell::new(std::mem::replace(v, Value::Null)));
                self.slot = Slot::Shared(cell.clone());
                cell
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    Global,
    Script,
    /// A function call or a `& { }` block.
    Local,
}

/// The variables a function call defines that most functions never read
/// (`$args`, `$PSBoundParameters`, `$MyInvocation`, `$PSCmdlet`, and
/// `$input` when no pipeline input came): made from
/// this on first read, so a call costs no more than its parameters.
pub const CALL_VARIABLES: [&str; 5] = ["args", "psboundparameters", "myinvocation", "pscmdlet", "input"];

#[derive(Debug)]
pub struct Frame {
    pub vars: NameMap<Variable>,
    pub functions: NameMap<Rc<FunctionDef>>,
    pub parent: Option<usize>,
    pub kind: FrameKind,
    /// The call this frame belongs to, for the call variables.
    pub call: Option<CallInfo>,
}

/// How a function was called: its name and bound arguments.
pub struct CallInfo {
    pub name: Rc<str>,
    pub args: super::command::Args,
    pub advanced: bool,
}

impl std::fmt::Debug for CallInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallInfo").field("name", &self.name).field("advanced", &self.advanced).finish()
    }
}

impl Frame {
    pub fn new(kind: FrameKind, parent: Option<usize>) -> Frame {
        Frame { vars: NameMap::default(), functions: NameMap::default(), parent, kind, call: None }
    }
}

pub struct Scopes {
    /// The live frames, then (past `live`) frames of calls that ended,
    /// emptied in place with their tables' room kept, so the next call
    /// neither allocates nor moves a frame.
    frames: Vec<Frame>,
    live: usize,
}

/// How large a table may be for its ended frame to keep it.
const SPARE_CAPACITY: usize = 64;

impl Default for Scopes {
    fn default() -> Self {
        Scopes { frames: vec![Frame::new(FrameKind::Global, None)], live: 1 }
    }
}

impl Scopes {
    /// The index of the frame code runs in now.
    pub fn current(&self) -> usize {
        self.live - 1
    }

    pub fn depth(&self) -> usize {
        self.live
    }

    /// Enters a new frame whose parent is `parent` (the caller's frame).
    pub fn push(&mut self, kind: FrameKind, parent: usize) {
        match self.frames.get_mut(self.live) {
            Some(spare) => {
                spare.kind = kind;
                spare.parent = Some(parent);
            }
            None => self.frames.push(Frame::new(kind, Some(parent))),
        }
        self.live += 1;
    }

    /// Leaves the current frame when nothing keeps it: it is emptied where
    /// it stands, for the next call.
    pub fn pop_and_reuse(&mut self) {
        if self.live <= 1 {
            return;
        }
        self.live -= 1;
        let frame = &mut self.frames[self.live];
        if frame.vars.capacity() > SPARE_CAPACITY || frame.functions.capacity() > SPARE_CAPACITY {
            frame.vars = NameMap::default();
            frame.functions = NameMap::default();
        } else {
            frame.vars.clear();
            frame.functions.clear();
        }
        frame.call = None;
    }

    /// Re-enters a frame kept between the begin, process and end blocks of
    /// one function in a pipeline.
    pub fn push_frame(&mut self, frame: Frame) {
        match self.frames.get_mut(self.live) {
            Some(spare) => *spare = frame,
            None => self.frames.push(frame),
        }
        self.live += 1;
    }

    /// Leaves the current frame and hands it over (to be re-entered later).
    pub fn pop(&mut self) -> Option<Frame> {
        if self.live <= 1 {
            return None;
        }
        self.live -= 1;
        let kind = self.frames[self.live].kind;
        Some(std::mem::replace(&mut self.frames[self.live], Frame::new(kind, None)))
    }

    /// The frames from the current one up to global.
    fn chain(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(self.current()), move |i| self.frames[*i].parent)
    }

    pub fn lookup(&self, key: &str) -> Option<&Variable> {
        let here = self.current();
        // The frame code runs in first, where most reads end: a private
        // variable is seen there, and only there.
        let frame = &self.frames[here];
        if let Some(v) = frame.vars.get(key) {
            return Some(v);
        }
        let mut at = frame.parent;
        while let Some(i) = at {
            let frame = &self.frames[i];
            if let Some(v) = frame.vars.get(key).filter(|v| !v.private) {
                return Some(v);
            }
            at = frame.parent;
        }
        None
    }

    /// The nearest frame whose call has not made the call variable `key`
    /// yet: `None` when a frame on the way defines it (or none is a call).
    pub fn unmade_call_variable(&self, key: &str) -> Option<usize> {
        for i in self.chain() {
            let f = &self.frames[i];
            if f.vars.contains_key(key) {
                return None;
            }
            if f.call.is_some() {
                return Some(i);
            }
        }
        None
    }

    /// The variable of `key` in the frame code runs in (no walking up).
    pub fn here_mut(&mut self, key: &str) -> Option<&mut Variable> {
        let here = self.current();
        self.frames[here].vars.get_mut(key)
    }

    pub fn lookup_mut(&mut self, key: &str) -> Option<&mut Variable> {
        let at = self.chain().find(|i| self.frames[*i].vars.contains_key(key))?;
        self.frames[at].vars.get_mut(key)
    }

    /// The nearest script frame (global when none).
    pub fn script_frame(&self) -> usize {
        self.chain().find(|i| self.frames[*i].kind != FrameKind::Local).unwrap_or(0)
    }

    pub fn frame(&self, i: usize) -> &Frame {
        &self.frames[i.min(self.live - 1)]
    }

    pub fn frame_mut(&mut self, i: usize) -> &mut Frame {
        let last = self.live - 1;
        &mut self.frames[i.min(last)]
    }

    /// The variable of `key` in frame `i` itself (no walking up).
    pub fn local(&self, i: usize, key: &str) -> Option<&Variable> {
        self.frame(i).vars.get(key)
    }

    pub fn define(&mut self, i: usize, key: Rc<str>, var: Variable) {
        self.frame_mut(i).vars.insert(key, var);
    }

    pub fn remove(&mut self, i: usize, key: &str) -> Option<Variable> {
        self.frame_mut(i).vars.remove(key)
    }

    pub fn function(&self, key: &str) -> Option<Rc<FunctionDef>> {
        self.chain().find_map(|i| self.frames[i].functions.get(key).cloned())
    }

    pub fn define_function(&mut self, i: usize, key: Rc<str>, def: Rc<FunctionDef>) {
        self.frame_mut(i).functions.insert(key, def);
    }

    /// Every visible variable name (nearest definition wins), sorted.
    pub fn visible_names(&self) -> Vec<Rc<str>> {
        let mut names: Vec<Rc<str>> = Vec::new();
        for i in self.chain() {
            for k in self.frames[i].vars.keys() {
                if !names.contains(k) {
                    names.push(k.clone());
                }
            }
        }
        names.sort();
        names
    }

    pub fn visible_functions(&self) -> Vec<Rc<FunctionDef>> {
        let mut seen: Vec<Rc<str>> = Vec::new();
        let mut out = Vec::new();
        for i in self.chain() {
            for (k, f) in &self.frames[i].functions {
                if !seen.contains(k) {
                    seen.push(k.clone());
                    out.push(f.clone());
                }
            }
        }
        out
    }
}
