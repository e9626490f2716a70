//! The objects that flow through a pipeline. Arrays, hashtables and objects
//! are references, as in .NET: `$b = $a; $b[0] = 1` changes `$a` too.

mod array;
mod object;
mod table;
mod text;
mod time;

use std::cell::Ref;
use std::rc::Rc;

pub use array::{Array, ArrayKind};
pub use object::{Class, Object};
pub use rust_decimal::Decimal;
pub use table::{Table, TableKey};
pub use text::format_guid as text_format_guid;
pub use text::{format_double, format_float_for_display, format_guid, group_thousands, set_string_form};
pub use time::{
    DateKind, DateTime, TICKS_PER_SECOND, civil_from_unix, format_bytes, format_compact_datetime, format_datetime,
    format_timespan, now_unix, unix_from_civil,
};

use super::errors::ErrorRecord;
use crate::language::ast::ScriptBlock;

/// An enumeration type as .NET names it, for binding and error messages.
#[derive(Debug, PartialEq, Eq)]
pub struct EnumDef {
    /// The full .NET type name used in conversion errors.
    pub type_name: &'static str,
    pub members: &'static [&'static str],
}

impl EnumDef {
    pub fn name(&'static self, index: usize) -> &'static str {
        self.members.get(index).copied().unwrap_or("")
    }
    pub fn value(&'static self, member: &str) -> Option<Value> {
        self.members.iter().position(|m| m.eq_ignore_ascii_case(member)).map(|i| Value::Enum(self, i as u16))
    }
}

/// A .NET exception: what `throw` raises and `$_.Exception` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Exception {
    /// Full .NET type name (`System.Management.Automation.RuntimeException`).
    pub type_name: Rc<str>,
    pub message: Rc<str>,
    pub inner: Option<Rc<Exception>>,
    /// Raised by a `throw` statement (RuntimeException.WasThrownFromThrowStatement).
    pub thrown: bool,
}

impl Exception {
    pub fn new(type_name: &str, message: &str) -> Exception {
        Exception { type_name: Rc::from(type_name), message: Rc::from(message), inner: None, thrown: false }
    }
    pub fn short_name(&self) -> &str {
        self.type_name.rsplit('.').next().unwrap_or(&self.type_name)
    }
}

/// A credential: user name and password (kept out of every display).
#[derive(Clone, PartialEq)]
pub struct Credential {
    pub user: String,
    pub password: Rc<str>,
}

#[derive(Clone)]
pub enum Value {
    Null,
    Bool(bool),
    /// A `[switch]` parameter's value (System.Management.Automation.SwitchParameter).
    Switch(bool),
    /// System.Int32
    Int(i32),
    /// System.Int64
    Long(i64),
    Double(f64),
    Decimal(Decimal),
    Byte(u8),
    Char(char),
    Str(Rc<str>),
    Array(Rc<Array>),
    Hashtable(Rc<Table>),
    Object(Rc<Object>),
    ScriptBlock(Rc<ScriptBlock>),
    Enum(&'static EnumDef, u16),
    /// 100-nanosecond ticks, as System.TimeSpan.
    TimeSpan(i64),
    DateTime(DateTime),
    Guid(Guid),
    SecureString(Rc<str>),
    Credential(Rc<Credential>),
    /// A byte count, printed as Exchange prints ByteQuantifiedSize.
    Bytes(u64),
    /// A type, from a literal (`[int]`) or `.GetType()`.
    Type(Rc<str>),
    ErrorRecord(Rc<ErrorRecord>),
    Exception(Rc<Exception>),
    Regex(Rc<Regex>),
    /// `[ref]$x`: a cell a method writes into (TryParse's out argument).
    Ref(Rc<std::cell::RefCell<Value>>),
    /// `$foreach` / `$switch`: the loop's enumerator (MoveNext skips ahead).
    Enumerator(Rc<Enumerator>),
}

/// A System.Guid's 128 bits, kept as two halves: a `u128` payload would
/// make every `Value` 16-aligned and 32 bytes instead of 24.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Guid {
    high: u64,
    low: u64,
}

impl Guid {
    pub const fn new(bits: u128) -> Guid {
        Guid { high: (bits >> 64) as u64, low: bits as u64 }
    }
    pub const fn bits(self) -> u128 {
        ((self.high as u128) << 64) | self.low as u128
    }
}

/// The items a foreach or switch walks, with its position.
#[derive(Debug)]
pub struct Enumerator {
    items: Vec<Value>,
    /// One past the current item; 0 before the first MoveNext.
    next: std::cell::Cell<usize>,
}

impl Enumerator {
    pub fn new(items: Vec<Value>) -> Enumerator {
        Enumerator { items, next: std::cell::Cell::new(0) }
    }
    pub fn move_next(&self) -> bool {
        let n = self.next.get();
        if n < self.items.len() {
            self.next.set(n + 1);
            true
        } else {
            self.next.set(self.items.len() + 1);
            false
        }
    }
    pub fn current(&self) -> Value {
        self.next.get().checked_sub(1).and_then(|i| self.items.get(i)).cloned().unwrap_or(Value::Null)
    }
    pub fn reset(&self) {
        self.next.set(0);
    }
}

/// A compiled regular expression with its source pattern (`[regex]'a+'`).
pub struct Regex {
    pub pattern: String,
    pub compiled: regex::Regex,
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::SecureString(_) => f.write_str("SecureString"),
            Value::Credential(c) => write!(f, "Credential({})", c.user),
            Value::ScriptBlock(b) => write!(f, "{{{}}}", b.text),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Array(a) => f.debug_list().entries(a.items().iter()).finish(),
            other => f.write_str(&other.to_text()),
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Switch(a), Value::Switch(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Long(a), Value::Long(b)) => a == b,
            (Value::Double(a), Value::Double(b)) => a == b,
            (Value::Decimal(a), Value::Decimal(b)) => a == b,
            (Value::Byte(a), Value::Byte(b)) => a == b,
            (Value::Char(a), Value::Char(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => Rc::ptr_eq(a, b) || *a.items() == *b.items(),
            (Value::Hashtable(a), Value::Hashtable(b)) => Rc::ptr_eq(a, b) || a.entries() == b.entries(),
            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b) || **a == **b,
            (Value::ScriptBlock(a), Value::ScriptBlock(b)) => Rc::ptr_eq(a, b),
            (Value::Enum(a, x), Value::Enum(b, y)) => std::ptr::eq(*a, *b) && x == y,
            (Value::TimeSpan(a), Value::TimeSpan(b)) => a == b,
            (Value::DateTime(a), Value::DateTime(b)) => a.ticks == b.ticks,
            (Value::Guid(a), Value::Guid(b)) => a == b,
            (Value::SecureString(a), Value::SecureString(b)) => a == b,
            (Value::Credential(a), Value::Credential(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::Type(a), Value::Type(b)) => a.eq_ignore_ascii_case(b),
            (Value::ErrorRecord(a), Value::ErrorRecord(b)) => Rc::ptr_eq(a, b),
            (Value::Exception(a), Value::Exception(b)) => Rc::ptr_eq(a, b),
            (Value::Regex(a), Value::Regex(b)) => a.pattern == b.pattern,
            (Value::Ref(a), Value::Ref(b)) => Rc::ptr_eq(a, b),
            (Value::Enumerator(a), Value::Enumerator(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(Rc::from(s.as_str()))
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::int(n)
    }
}
impl From<i32> for Value {
    fn from(n: i32) -> Value {
        Value::Int(n)
    }
}
impl From<Vec<String>> for Value {
    fn from(v: Vec<String>) -> Value {
        Value::array(v.into_iter().map(Value::from).collect())
    }
}
impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Value {
        Value::array(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}

impl Value {
    pub fn str(s: impl AsRef<str>) -> Value {
        Value::Str(Rc::from(s.as_ref()))
    }

    /// An integer as PowerShell types a computed one: Int32 when it fits,
    /// else Int64.
    pub fn int(n: i64) -> Value {
        match i32::try_from(n) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Long(n),
        }
    }

    /// A new object[] array.
    pub fn array(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(Array::new(items, ArrayKind::Object)))
    }

    pub fn empty_array() -> Value {
        Value::array(Vec::new())
    }

    /// A new hashtable (`@{}`), keys compared case-insensitively.
    pub fn hashtable(entries: Vec<(Value, Value)>, ordered: bool) -> Value {
        let t = Table::new(ordered);
        for (k, v) in entries {
            t.insert(k, v);
        }
        Value::Hashtable(Rc::new(t))
    }

    pub fn credential(user: impl Into<String>, password: Rc<str>) -> Value {
        Value::Credential(Rc::new(Credential { user: user.into(), password }))
    }

    /// A point in time from Unix seconds (as the store keeps them).
    pub fn date_unix(secs: i64) -> Value {
        Value::DateTime(DateTime::from_unix(secs, DateKind::Local))
    }

    pub fn timespan_secs(secs: i64) -> Value {
        Value::TimeSpan(secs.saturating_mul(TICKS_PER_SECOND))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_number(&self) -> bool {
        matches!(
            self,
            Value::Int(_) | Value::Long(_) | Value::Double(_) | Value::Decimal(_) | Value::Byte(_) | Value::Bytes(_)
        )
    }

    /// PowerShell's truthiness ([bool] conversion).
    pub fn is_true(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) | Value::Switch(b) => *b,
            Value::Int(n) => *n != 0,
            Value::Long(n) => *n != 0,
            Value::Double(f) => *f != 0.0,
            Value::Decimal(d) => !d.is_zero(),
            Value::Byte(b) => *b != 0,
            Value::Char(c) => *c != '\0',
            Value::Str(s) => !s.is_empty(),
            Value::Array(a) => {
                let items = a.items();
                match items.len() {
                    0 => false,
                    1 => items[0].is_true(),
                    _ => true,
                }
            }
            Value::Enum(_, i) => *i != 0,
            Value::TimeSpan(s) => *s != 0,
            Value::Bytes(b) => *b != 0,
            _ => true,
        }
    }

    /// The .NET type name PowerShell would show for this value.
    pub fn type_name(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(_) => "System.Boolean".into(),
            Value::Switch(_) => "System.Management.Automation.SwitchParameter".into(),
            Value::Int(_) => "System.Int32".into(),
            Value::Long(_) => "System.Int64".into(),
            Value::Double(_) => "System.Double".into(),
            Value::Decimal(_) => "System.Decimal".into(),
            Value::Byte(_) => "System.Byte".into(),
            Value::Char(_) => "System.Char".into(),
            Value::Str(_) => "System.String".into(),
            Value::Array(a) => a.type_name(),
            Value::Hashtable(t) => t.type_name().into(),
            Value::Object(o) => o.type_name(),
            Value::ScriptBlock(_) => "System.Management.Automation.ScriptBlock".into(),
            Value::Enum(d, _) => d.type_name.to_string(),
            Value::TimeSpan(_) => "System.TimeSpan".into(),
            Value::DateTime(_) => "System.DateTime".into(),
            Value::Guid(_) => "System.Guid".into(),
            Value::SecureString(_) => "System.Security.SecureString".into(),
            Value::Credential(_) => "System.Management.Automation.PSCredential".into(),
            Value::Bytes(_) => "Microsoft.Exchange.Data.ByteQuantifiedSize".into(),
            Value::Type(_) => "System.RuntimeType".into(),
            Value::ErrorRecord(_) => "System.Management.Automation.ErrorRecord".into(),
            Value::Exception(e) => e.type_name.to_string(),
            Value::Regex(_) => "System.Text.RegularExpressions.Regex".into(),
            Value::Ref(_) => "System.Management.Automation.PSReference".into(),
            Value::Enumerator(_) => "System.Array+SZArrayEnumerator".into(),
        }
    }

    /// The short type name used in CategoryInfo (`String`, `Int32`).
    pub fn short_type_name(&self) -> String {
        let full = self.type_name();
        full.rsplit('.').next().unwrap_or(&full).to_string()
    }

    /// Items of a collection, or the value itself: how a pipeline unrolls.
    pub fn into_items(self) -> Vec<Value> {
        match self {
            Value::Array(a) => a.items().clone(),
            Value::Null => vec![],
            other => vec![other],
        }
    }

    /// How a value enters a pipeline: arrays are enumerated, $null is not sent.
    pub fn into_items_for_pipeline(self) -> Vec<Value> {
        self.into_items()
    }

    /// A borrowed view of an array's items; `None` for anything else.
    pub fn as_array(&self) -> Option<Ref<'_, Vec<Value>>> {
        match self {
            Value::Array(a) => Some(a.items()),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// An integer value, if this is one (any integral type).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n as i64),
            Value::Long(n) => Some(*n),
            Value::Byte(b) => Some(*b as i64),
            _ => None,
        }
    }
}

/// A PSCustomObject with the given properties in order.
pub fn custom_object(props: Vec<(String, Value)>) -> Value {
    let class = Rc::new(Class {
        type_name: "System.Management.Automation.PSCustomObject".to_string(),
        names: props.iter().map(|(n, _)| n.clone()).collect(),
    });
    Value::Object(Rc::new(Object::new(class, props.into_iter().map(|(_, v)| v).collect())))
}

#[cfg(test)]
mod tests;
