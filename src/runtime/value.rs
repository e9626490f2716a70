//! The objects that flow through a pipeline.

use std::fmt::Write as _;
use std::rc::Rc;

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

/// The shape of an object: its type name (which picks the default view) and
/// its property names in display order. Shared by every object of a kind.
#[derive(Debug, PartialEq, Eq)]
pub struct Class {
    pub type_name: String,
    pub names: Vec<String>,
}

impl Class {
    pub fn new(type_name: &str, names: &[&str]) -> Rc<Class> {
        Rc::new(Class { type_name: type_name.to_string(), names: names.iter().map(|s| s.to_string()).collect() })
    }
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.eq_ignore_ascii_case(name))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub class: Rc<Class>,
    pub values: Vec<Value>,
}

impl Object {
    pub fn new(class: Rc<Class>, values: Vec<Value>) -> Object {
        Object { class, values }
    }
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.class.index_of(name).and_then(|i| self.values.get(i))
    }
    pub fn type_name(&self) -> &str {
        &self.class.type_name
    }
    pub fn properties(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.class.names.iter().map(|s| s.as_str()).zip(self.values.iter())
    }
}

#[derive(Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Double(f64),
    Str(String),
    Array(Vec<Value>),
    /// Ordered, keys compared case-insensitively.
    Hashtable(Vec<(String, Value)>),
    Object(Rc<Object>),
    ScriptBlock(Rc<ScriptBlock>),
    Enum(&'static EnumDef, u16),
    /// Whole seconds.
    TimeSpan(i64),
    /// Seconds since the Unix epoch, UTC.
    DateTime(i64),
    SecureString(Rc<str>),
    Credential {
        user: String,
        password: Rc<str>,
    },
    /// A byte count, printed as Exchange prints ByteQuantifiedSize.
    Bytes(u64),
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::SecureString(_) => f.write_str("SecureString"),
            Value::Credential { user, .. } => write!(f, "Credential({user})"),
            Value::ScriptBlock(b) => write!(f, "{{{}}}", b.text),
            other => f.write_str(&other.to_text()),
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Double(a), Value::Double(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a == b,
            (Value::Hashtable(a), Value::Hashtable(b)) => a == b,
            (Value::Object(a), Value::Object(b)) => a == b,
            (Value::Enum(a, x), Value::Enum(b, y)) => std::ptr::eq(*a, *b) && x == y,
            (Value::TimeSpan(a), Value::TimeSpan(b)) => a == b,
            (Value::DateTime(a), Value::DateTime(b)) => a == b,
            (Value::SecureString(a), Value::SecureString(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}
impl From<Vec<String>> for Value {
    fn from(v: Vec<String>) -> Value {
        Value::Array(v.into_iter().map(Value::Str).collect())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// PowerShell's truthiness ([bool] conversion).
    pub fn is_true(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(n) => *n != 0,
            Value::Double(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Array(a) => match a.len() {
                0 => false,
                1 => a[0].is_true(),
                _ => true,
            },
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
            Value::Int(n) if i32::try_from(*n).is_ok() => "System.Int32".into(),
            Value::Int(_) => "System.Int64".into(),
            Value::Double(_) => "System.Double".into(),
            Value::Str(_) => "System.String".into(),
            Value::Array(_) => "System.Object[]".into(),
            Value::Hashtable(_) => "System.Collections.Hashtable".into(),
            Value::Object(o) => o.type_name().to_string(),
            Value::ScriptBlock(_) => "System.Management.Automation.ScriptBlock".into(),
            Value::Enum(d, _) => d.type_name.to_string(),
            Value::TimeSpan(_) => "System.TimeSpan".into(),
            Value::DateTime(_) => "System.DateTime".into(),
            Value::SecureString(_) => "System.Security.SecureString".into(),
            Value::Credential { .. } => "System.Management.Automation.PSCredential".into(),
            Value::Bytes(_) => "Microsoft.Exchange.Data.ByteQuantifiedSize".into(),
        }
    }

    /// The short type name used in CategoryInfo (`String`, `Int32`).
    pub fn short_type_name(&self) -> String {
        let full = self.type_name();
        full.rsplit('.').next().unwrap_or(&full).to_string()
    }

    /// A property of an object or hashtable; arrays give the property of
    /// each element (member enumeration), and `Count`/`Length` work on all.
    pub fn property(&self, name: &str) -> Value {
        match self {
            Value::Object(o) => match o.get(name) {
                Some(v) => v.clone(),
                None => Value::Null,
            },
            Value::Hashtable(entries) => {
                if let Some((_, v)) = entries.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
                    return v.clone();
                }
                match name.to_ascii_lowercase().as_str() {
                    "count" => Value::Int(entries.len() as i64),
                    "keys" => Value::Array(entries.iter().map(|(k, _)| Value::str(k.clone())).collect()),
                    "values" => Value::Array(entries.iter().map(|(_, v)| v.clone()).collect()),
                    _ => Value::Null,
                }
            }
            Value::Array(items) => match name.to_ascii_lowercase().as_str() {
                "count" | "length" => Value::Int(items.len() as i64),
                _ => {
                    let vals: Vec<Value> = items.iter().map(|v| v.property(name)).filter(|v| !v.is_null()).collect();
                    if vals.is_empty() { Value::Null } else { Value::Array(vals) }
                }
            },
            Value::Str(s) => match name.to_ascii_lowercase().as_str() {
                "length" => Value::Int(s.chars().count() as i64),
                _ => Value::Null,
            },
            Value::Credential { user, password } => match name.to_ascii_lowercase().as_str() {
                "username" => Value::str(user.clone()),
                "password" => Value::SecureString(password.clone()),
                _ => Value::Null,
            },
            Value::TimeSpan(s) => match name.to_ascii_lowercase().as_str() {
                "totalseconds" => Value::Double(*s as f64),
                "totalminutes" => Value::Double(*s as f64 / 60.0),
                "totalhours" => Value::Double(*s as f64 / 3600.0),
                "days" => Value::Int(s / 86400),
                "hours" => Value::Int(s % 86400 / 3600),
                "minutes" => Value::Int(s % 3600 / 60),
                "seconds" => Value::Int(s % 60),
                _ => Value::Null,
            },
            Value::Null => Value::Null,
            _ if name.eq_ignore_ascii_case("count") => Value::Int(1),
            _ => Value::Null,
        }
    }

    /// Items of a collection, or the value itself: how a pipeline unrolls.
    pub fn into_items(self) -> Vec<Value> {
        match self {
            Value::Array(items) => items,
            Value::Null => vec![],
            other => vec![other],
        }
    }

    /// PowerShell's string conversion ([string]$x): arrays joined by spaces.
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Int(n) => n.to_string(),
            Value::Double(f) => format_double(*f),
            Value::Str(s) => s.clone(),
            Value::Array(items) => items.iter().map(|v| v.to_text()).collect::<Vec<_>>().join(" "),
            Value::Hashtable(_) => "System.Collections.Hashtable".into(),
            Value::Object(o) => object_text(o),
            Value::ScriptBlock(b) => b.text.clone(),
            Value::Enum(d, i) => d.name(*i as usize).to_string(),
            Value::TimeSpan(s) => format_timespan(*s),
            Value::DateTime(t) => format_datetime(*t),
            Value::SecureString(_) => "System.Security.SecureString".into(),
            Value::Credential { .. } => "System.Management.Automation.PSCredential".into(),
            Value::Bytes(b) => format_bytes(*b),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// How an object prints when it stands in a cell or a string: its Identity
/// (or Name), as Exchange's objects do.
fn object_text(o: &Object) -> String {
    for key in ["Identity", "Name", "DisplayName"] {
        if let Some(v) = o.get(key)
            && !v.is_null()
        {
            return v.to_text();
        }
    }
    if o.class.type_name == "System.Management.Automation.PSCustomObject" {
        let mut s = String::from("@{");
        for (i, (k, v)) in o.properties().enumerate() {
            if i > 0 {
                s.push_str("; ");
            }
            let _ = write!(s, "{k}={}", v.to_text());
        }
        s.push('}');
        return s;
    }
    o.class.type_name.clone()
}

pub fn format_double(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        let s = format!("{f:.14}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

/// `hh:mm:ss`, or `d.hh:mm:ss` past a day, as .NET's TimeSpan prints.
pub fn format_timespan(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (d, h, m, sec) = (s / 86400, s % 86400 / 3600, s % 3600 / 60, s % 60);
    if d > 0 { format!("{sign}{d}.{h:02}:{m:02}:{sec:02}") } else { format!("{sign}{h:02}:{m:02}:{sec:02}") }
}

/// `M/d/yyyy h:mm:ss tt`, the en-US form PowerShell prints.
pub fn format_datetime(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil_from_unix(t);
    let (h12, ampm) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    format!("{mo}/{d}/{y} {h12}:{mi:02}:{s:02} {ampm}")
}

/// `yyyyMMddHHmmss`, as transcripts stamp their start and end.
pub fn format_compact_datetime(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil_from_unix(t);
    format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}")
}

/// Days-from-civil inverse (Howard Hinnant's algorithm), UTC.
pub fn civil_from_unix(t: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = t.div_euclid(86400);
    let rem = t.rem_euclid(86400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (y, m, d, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32)
}

/// Seconds since the epoch for a civil date (UTC).
pub fn unix_from_civil(y: i64, m: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86400 + h as i64 * 3600 + mi as i64 * 60 + s as i64
}

/// Exchange's ByteQuantifiedSize text: `0 B (0 bytes)`, `10 MB (10,485,760 bytes)`.
pub fn format_bytes(b: u64) -> String {
    let units = [("TB", 1u64 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)];
    let head = units
        .iter()
        .find(|(_, size)| b >= *size)
        .map(|(unit, size)| {
            let v = b as f64 / *size as f64;
            format!("{} {unit}", format_double((v * 100.0).round() / 100.0))
        })
        .unwrap_or_else(|| format!("{b} B"));
    format!("{head} ({} bytes)", group_thousands(b))
}

pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn now_unix() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Value {
        Value::Array(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timespans_print_like_dotnet() {
        assert_eq!(format_timespan(1800), "00:30:00");
        assert_eq!(format_timespan(86400), "1.00:00:00");
    }

    #[test]
    fn civil_dates_round_trip() {
        let t = unix_from_civil(2026, 11, 21, 10, 15, 0);
        assert_eq!(civil_from_unix(t), (2026, 11, 21, 10, 15, 0));
        assert_eq!(format_datetime(t), "11/21/2026 10:15:00 AM");
        assert_eq!(format_compact_datetime(t), "20261121101500");
    }

    #[test]
    fn byte_sizes_print_like_exchange() {
        assert_eq!(format_bytes(0), "0 B (0 bytes)");
        assert_eq!(format_bytes(10 << 20), "10 MB (10,485,760 bytes)");
    }

    #[test]
    fn doubles_drop_trailing_zeros() {
        assert_eq!(format_double(1.5), "1.5");
        assert_eq!(format_double(3.0), "3");
    }
}
