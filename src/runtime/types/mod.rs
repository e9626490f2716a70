//! Types a script names: `[int]`, `[string[]]`, `[datetime]`,
//! `[System.Collections.Generic.List[string]]`. A written type resolves to a
//! `TypeRef` (or PowerShell's "Unable to find type" error); casts, typed
//! variables, typed parameters, `-is` and `-as` all use it.

pub mod cast;
pub mod enums;
pub mod exchange;
pub mod statics;

pub use cast::{
    CastError, cast, decimal_from_f64, parse_date_invariant, parse_double, parse_integer, parse_timespan_text,
    round_half_even,
};
pub use exchange::EnumValue;

use crate::language::ast::TypeName;

use super::errors::{Category, ErrorRecord};
use super::value::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Object,
    Bool,
    Int,
    Long,
    Double,
    Decimal,
    Byte,
    Char,
    String,
    DateTime,
    TimeSpan,
    Guid,
    /// `T[]`; `[array]` is `Object[]`.
    Array(Box<TypeRef>),
    Hashtable,
    /// `[ordered]`, only before a hashtable literal.
    Ordered,
    PSCustomObject,
    PSObject,
    Regex,
    ScriptBlock,
    Void,
    Switch,
    SecureString,
    PSCredential,
    /// System.Type itself (`[type]`).
    Type,
    ArrayList,
    List(Box<TypeRef>),
    /// A known exception type, by full name.
    Exception(&'static str),
    /// A class that only has static members (`[math]`, `[convert]`...).
    Static(&'static str),
    /// System.Version (`[version]'1.2.3'`).
    Version,
    /// `[ref]`: a reference a method can write through.
    Ref,
    /// A .NET interface `-is` tests (`[System.Collections.IDictionary]`).
    Interface(&'static str),
    /// System.Management.Automation.ErrorRecord, for `::new()`.
    ErrorRecord,
    /// System.Text.StringBuilder.
    StringBuilder,
    /// An enumeration (`[ConsoleColor]`).
    Enum(&'static super::value::EnumDef),
    /// An integer type mailsh keeps as Int32 or Int64 (`[uint32]`, `[int16]`):
    /// casts check its range.
    Narrow {
        name: &'static str,
        min: i128,
        max: i128,
    },
}

/// Type accelerators and full names, as PowerShell resolves them.
const NAMES: &[(&str, TypeRef)] = &[
    ("object", TypeRef::Object),
    ("system.text.stringbuilder", TypeRef::StringBuilder),
    ("text.stringbuilder", TypeRef::StringBuilder),
    ("system.object", TypeRef::Object),
    ("bool", TypeRef::Bool),
    ("boolean", TypeRef::Bool),
    ("system.boolean", TypeRef::Bool),
    ("int", TypeRef::Int),
    ("int32", TypeRef::Int),
    ("system.int32", TypeRef::Int),
    ("long", TypeRef::Long),
    ("int64", TypeRef::Long),
    ("system.int64", TypeRef::Long),
    ("double", TypeRef::Double),
    ("system.double", TypeRef::Double),
    ("float", TypeRef::Double),
    ("single", TypeRef::Double),
    ("decimal", TypeRef::Decimal),
    ("system.decimal", TypeRef::Decimal),
    ("byte", TypeRef::Byte),
    ("system.byte", TypeRef::Byte),
    ("char", TypeRef::Char),
    ("system.char", TypeRef::Char),
    ("string", TypeRef::String),
    ("system.string", TypeRef::String),
    ("datetime", TypeRef::DateTime),
    ("system.datetime", TypeRef::DateTime),
    ("timespan", TypeRef::TimeSpan),
    ("system.timespan", TypeRef::TimeSpan),
    ("guid", TypeRef::Guid),
    ("system.guid", TypeRef::Guid),
    ("hashtable", TypeRef::Hashtable),
    ("system.collections.hashtable", TypeRef::Hashtable),
    ("ordered", TypeRef::Ordered),
    ("system.collections.specialized.ordereddictionary", TypeRef::Ordered),
    ("pscustomobject", TypeRef::PSCustomObject),
    ("system.management.automation.pscustomobject", TypeRef::PSCustomObject),
    ("psobject", TypeRef::PSObject),
    ("system.management.automation.psobject", TypeRef::PSObject),
    ("regex", TypeRef::Regex),
    ("system.text.regularexpressions.regex", TypeRef::Regex),
    ("scriptblock", TypeRef::ScriptBlock),
    ("system.management.automation.scriptblock", TypeRef::ScriptBlock),
    ("void", TypeRef::Void),
    ("system.void", TypeRef::Void),
    ("switch", TypeRef::Switch),
    ("system.management.automation.switchparameter", TypeRef::Switch),
    ("securestring", TypeRef::SecureString),
    ("system.security.securestring", TypeRef::SecureString),
    ("pscredential", TypeRef::PSCredential),
    ("system.management.automation.pscredential", TypeRef::PSCredential),
    ("type", TypeRef::Type),
    ("version", TypeRef::Version),
    ("system.collections.idictionary", TypeRef::Interface("System.Collections.IDictionary")),
    ("collections.idictionary", TypeRef::Interface("System.Collections.IDictionary")),
    ("system.collections.ienumerable", TypeRef::Interface("System.Collections.IEnumerable")),
    ("collections.ienumerable", TypeRef::Interface("System.Collections.IEnumerable")),
    ("system.collections.icollection", TypeRef::Interface("System.Collections.ICollection")),
    ("system.collections.ilist", TypeRef::Interface("System.Collections.IList")),
    ("system.icomparable", TypeRef::Interface("System.IComparable")),
    ("icomparable", TypeRef::Interface("System.IComparable")),
    ("valuetype", TypeRef::Interface("System.ValueType")),
    ("system.valuetype", TypeRef::Interface("System.ValueType")),
    ("system.enum", TypeRef::Interface("System.Enum")),
    ("ref", TypeRef::Ref),
    ("system.management.automation.psreference", TypeRef::Ref),
    ("system.management.automation.errorrecord", TypeRef::ErrorRecord),
    ("management.automation.errorrecord", TypeRef::ErrorRecord),
    ("system.version", TypeRef::Version),
    ("system.type", TypeRef::Type),
    ("system.collections.arraylist", TypeRef::ArrayList),
    ("collections.arraylist", TypeRef::ArrayList),
    ("math", TypeRef::Static("System.Math")),
    ("system.math", TypeRef::Static("System.Math")),
    ("convert", TypeRef::Static("System.Convert")),
    ("system.convert", TypeRef::Static("System.Convert")),
    ("environment", TypeRef::Static("System.Environment")),
    ("system.environment", TypeRef::Static("System.Environment")),
    ("io.path", TypeRef::Static("System.IO.Path")),
    ("system.io.path", TypeRef::Static("System.IO.Path")),
    ("io.file", TypeRef::Static("System.IO.File")),
    ("system.io.file", TypeRef::Static("System.IO.File")),
    ("system.text.encoding", TypeRef::Static("System.Text.Encoding")),
    ("text.encoding", TypeRef::Static("System.Text.Encoding")),
    ("system.net.dns", TypeRef::Static("System.Net.Dns")),
    ("uint32", TypeRef::Narrow { name: "System.UInt32", min: 0, max: u32::MAX as i128 }),
    ("uint", TypeRef::Narrow { name: "System.UInt32", min: 0, max: u32::MAX as i128 }),
    ("uint16", TypeRef::Narrow { name: "System.UInt16", min: 0, max: u16::MAX as i128 }),
    ("ushort", TypeRef::Narrow { name: "System.UInt16", min: 0, max: u16::MAX as i128 }),
    ("uint64", TypeRef::Narrow { name: "System.UInt64", min: 0, max: u64::MAX as i128 }),
    ("ulong", TypeRef::Narrow { name: "System.UInt64", min: 0, max: u64::MAX as i128 }),
    ("int16", TypeRef::Narrow { name: "System.Int16", min: i16::MIN as i128, max: i16::MAX as i128 }),
    ("short", TypeRef::Narrow { name: "System.Int16", min: i16::MIN as i128, max: i16::MAX as i128 }),
    ("sbyte", TypeRef::Narrow { name: "System.SByte", min: i8::MIN as i128, max: i8::MAX as i128 }),
];

impl TypeRef {
    /// Resolves a written type, or PowerShell's `Unable to find type [X].`
    pub fn resolve(t: &TypeName) -> Result<TypeRef, ErrorRecord> {
        let mut base = TypeRef::resolve_name(&t.name, &t.generic_args)
            .or_else(|| {
                // `using namespace System.Text` then `[StringBuilder]`.
                t.namespaces
                    .iter()
                    .flat_map(|ns| ns.iter())
                    .find_map(|ns| TypeRef::resolve_name(&format!("{ns}.{}", t.name), &t.generic_args))
            })
            .ok_or_else(|| not_found(&t.text()))?;
        for _ in &t.array_ranks {
            base = TypeRef::Array(Box::new(base));
        }
        Ok(base)
    }

    fn resolve_name(name: &str, generic: &[TypeName]) -> Option<TypeRef> {
        let lower = name.to_ascii_lowercase();
        if !generic.is_empty() {
            let is_list = matches!(
                lower.as_str(),
                "system.collections.generic.list" | "collections.generic.list" | "list" | "generic.list"
            );
            if is_list && generic.len() == 1 {
                let elem = TypeRef::resolve(&generic[0]).ok()?;
                return Some(TypeRef::List(Box::new(elem)));
            }
            // Delegates: a script block converts to them, as in PowerShell,
            // and stays a script block (`[Predicate[object]]{ ... }`).
            let delegate = matches!(
                lower.trim_start_matches("system."),
                "predicate" | "func" | "action" | "comparison" | "converter"
            );
            if delegate && generic.iter().all(|g| TypeRef::resolve(g).is_ok()) {
                return Some(TypeRef::ScriptBlock);
            }
            return None;
        }
        if lower == "array" || lower == "system.array" {
            return Some(TypeRef::Array(Box::new(TypeRef::Object)));
        }
        if let Some((_, t)) = NAMES.iter().find(|(n, _)| *n == lower) {
            return Some(t.clone());
        }
        if let Some(stripped) = lower.strip_prefix("system.")
            && let Some((_, t)) = NAMES.iter().find(|(n, _)| *n == stripped)
        {
            return Some(t.clone());
        }
        if let Some(e) = enums::by_name(&lower) {
            return Some(TypeRef::Enum(e));
        }
        super::exceptions::resolve(name).map(TypeRef::Exception)
    }

    /// The full .NET name (`System.Int32`, `System.String[]`).
    pub fn full_name(&self) -> String {
        match self {
            TypeRef::Object => "System.Object".into(),
            TypeRef::Bool => "System.Boolean".into(),
            TypeRef::Int => "System.Int32".into(),
            TypeRef::Long => "System.Int64".into(),
            TypeRef::Double => "System.Double".into(),
            TypeRef::Decimal => "System.Decimal".into(),
            TypeRef::Byte => "System.Byte".into(),
            TypeRef::Char => "System.Char".into(),
            TypeRef::String => "System.String".into(),
            TypeRef::DateTime => "System.DateTime".into(),
            TypeRef::TimeSpan => "System.TimeSpan".into(),
            TypeRef::Guid => "System.Guid".into(),
            TypeRef::Array(e) => format!("{}[]", e.full_name()),
            TypeRef::Hashtable => "System.Collections.Hashtable".into(),
            TypeRef::Ordered => "System.Collections.Specialized.OrderedDictionary".into(),
            TypeRef::PSCustomObject => "System.Management.Automation.PSObject".into(),
            TypeRef::PSObject => "System.Management.Automation.PSObject".into(),
            TypeRef::Regex => "System.Text.RegularExpressions.Regex".into(),
            TypeRef::ScriptBlock => "System.Management.Automation.ScriptBlock".into(),
            TypeRef::Void => "System.Void".into(),
            TypeRef::Switch => "System.Management.Automation.SwitchParameter".into(),
            TypeRef::SecureString => "System.Security.SecureString".into(),
            TypeRef::PSCredential => "System.Management.Automation.PSCredential".into(),
            TypeRef::Type => "System.Type".into(),
            TypeRef::ArrayList => "System.Collections.ArrayList".into(),
            TypeRef::List(e) => format!("System.Collections.Generic.List`1[[{}]]", e.full_name()),
            TypeRef::Exception(n) => n.to_string(),
            TypeRef::Static(n) => n.to_string(),
            TypeRef::Enum(d) => d.type_name.to_string(),
            TypeRef::Narrow { name, .. } => name.to_string(),
            TypeRef::Version => "System.Version".into(),
            TypeRef::Interface(n) => n.to_string(),
            TypeRef::Ref => "System.Management.Automation.PSReference".into(),
            TypeRef::ErrorRecord => "System.Management.Automation.ErrorRecord".into(),
            TypeRef::StringBuilder => "System.Text.StringBuilder".into(),
        }
    }

    /// The short name help and binding messages print (`Int32`, `String[]`).
    pub fn short_name(&self) -> &'static str {
        match self {
            TypeRef::Object | TypeRef::PSObject | TypeRef::PSCustomObject => "Object",
            TypeRef::Bool => "Boolean",
            TypeRef::Int => "Int32",
            TypeRef::Long => "Int64",
            TypeRef::Double => "Double",
            TypeRef::Decimal => "Decimal",
            TypeRef::Byte => "Byte",
            TypeRef::Char => "Char",
            TypeRef::String => "String",
            TypeRef::DateTime => "DateTime",
            TypeRef::TimeSpan => "TimeSpan",
            TypeRef::Guid => "Guid",
            TypeRef::Array(e) => match **e {
                TypeRef::String => "String[]",
                TypeRef::Int => "Int32[]",
                _ => "Object[]",
            },
            TypeRef::Hashtable => "Hashtable",
            TypeRef::Ordered => "OrderedDictionary",
            TypeRef::Regex => "Regex",
            TypeRef::ScriptBlock => "ScriptBlock",
            TypeRef::Void => "Void",
            TypeRef::Switch => "SwitchParameter",
            TypeRef::SecureString => "SecureString",
            TypeRef::PSCredential => "PSCredential",
            TypeRef::Type => "Type",
            TypeRef::ArrayList => "ArrayList",
            TypeRef::List(_) => "List`1",
            TypeRef::Exception(n) | TypeRef::Static(n) | TypeRef::Narrow { name: n, .. } => {
                n.rsplit('.').next().unwrap_or(n)
            }
            TypeRef::Enum(d) => d.type_name.rsplit('.').next().unwrap_or(d.type_name),
            TypeRef::Version => "Version",
            TypeRef::Interface(n) => n.rsplit('.').next().unwrap_or(n),
            TypeRef::Ref => "PSReference",
            TypeRef::ErrorRecord => "ErrorRecord",
            TypeRef::StringBuilder => "StringBuilder",
        }
    }

    /// The type a value has, as `-is` compares it.
    pub fn of(v: &Value) -> String {
        v.type_name()
    }

    /// `$v -is [T]`: exact type, a base type, or an interface the value has.
    pub fn is_instance(&self, v: &Value) -> bool {
        match (self, v) {
            (TypeRef::Object | TypeRef::PSObject, Value::Null) => false,
            (TypeRef::Object | TypeRef::PSObject, _) => true,
            (TypeRef::Bool, Value::Bool(_)) => true,
            (TypeRef::Switch, Value::Switch(_)) => true,
            (TypeRef::Int, Value::Int(_)) => true,
            (TypeRef::Long, Value::Long(_)) => true,
            (TypeRef::Double, Value::Double(_)) => true,
            (TypeRef::Decimal, Value::Decimal(_)) => true,
            (TypeRef::Byte, Value::Byte(_)) => true,
            (TypeRef::Char, Value::Char(_)) => true,
            (TypeRef::String, Value::Str(_)) => true,
            (TypeRef::DateTime, Value::DateTime(_)) => true,
            (TypeRef::TimeSpan, Value::TimeSpan(_)) => true,
            (TypeRef::Guid, Value::Guid(_)) => true,
            (TypeRef::Array(e), Value::Array(a)) => {
                **e == TypeRef::Object && !a.is_growable() || a.type_name() == self.full_name()
            }
            (TypeRef::Hashtable, Value::Hashtable(t)) => !t.ordered,
            (TypeRef::Ordered, Value::Hashtable(t)) => t.ordered,
            (TypeRef::PSCustomObject, Value::Object(o)) => o.is_type("System.Management.Automation.PSCustomObject"),
            (TypeRef::Regex, Value::Regex(_)) => true,
            (TypeRef::ScriptBlock, Value::ScriptBlock(_)) => true,
            (TypeRef::SecureString, Value::SecureString(_)) => true,
            (TypeRef::PSCredential, Value::Credential(_)) => true,
            (TypeRef::Type, Value::Type(_)) => true,
            (TypeRef::ArrayList, Value::Array(a)) => a.type_name() == "System.Collections.ArrayList",
            (TypeRef::List(_), Value::Array(a)) => a.type_name() == self.full_name(),
            (TypeRef::Exception(t), Value::Exception(e)) => super::exceptions::derives_from(&e.type_name, t),
            (TypeRef::Exception(t), Value::ErrorRecord(_)) => *t == "System.Management.Automation.ErrorRecord",
            (TypeRef::Enum(d), Value::Enum(e, _)) => std::ptr::eq(*d, *e),
            (TypeRef::Version, Value::Object(o)) => o.is_type(VERSION),
            (TypeRef::Ref, Value::Ref(_)) => true,
            (TypeRef::Interface("System.Collections.IDictionary"), Value::Hashtable(_)) => true,
            (
                TypeRef::Interface("System.Collections.IEnumerable"),
                Value::Array(_) | Value::Hashtable(_) | Value::Str(_),
            ) => true,
            (TypeRef::Interface("System.Collections.ICollection" | "System.Collections.IList"), Value::Array(_)) => {
                true
            }
            (TypeRef::Interface("System.Collections.ICollection"), Value::Hashtable(_)) => true,
            (TypeRef::Interface("System.IComparable"), v) => {
                v.is_number()
                    || matches!(
                        v,
                        Value::Str(_)
                            | Value::Bool(_)
                            | Value::Char(_)
                            | Value::DateTime(_)
                            | Value::TimeSpan(_)
                            | Value::Enum(..)
                    )
            }
            (TypeRef::Interface("System.ValueType"), v) => {
                v.is_number()
                    || matches!(
                        v,
                        Value::Bool(_)
                            | Value::Char(_)
                            | Value::DateTime(_)
                            | Value::TimeSpan(_)
                            | Value::Guid(_)
                            | Value::Enum(..)
                    )
            }
            (TypeRef::Interface("System.Enum"), Value::Enum(..)) => true,
            (TypeRef::ErrorRecord, Value::ErrorRecord(_)) => true,
            _ => false,
        }
    }
}

/// Whether a value's type name is, or derives from, `full` (for `-is`
/// with names mailsh resolves by text, such as Exchange object types).
pub fn type_name_matches(v: &Value, full: &str) -> bool {
    v.type_name().eq_ignore_ascii_case(full)
}

pub const VERSION: &str = "System.Version";

/// A System.Version object (Major.Minor[.Build[.Revision]]).
pub fn version(parts: &[i64]) -> Value {
    let get = |i: usize| parts.get(i).copied().unwrap_or(-1);
    let obj = super::value::custom_object(vec![
        ("Major".into(), Value::int(get(0))),
        ("Minor".into(), Value::int(get(1))),
        ("Build".into(), Value::int(get(2))),
        ("Revision".into(), Value::int(get(3))),
        ("MajorRevision".into(), Value::int(if get(3) < 0 { -1 } else { get(3) >> 16 })),
        ("MinorRevision".into(), Value::int(if get(3) < 0 { -1 } else { get(3) & 0xffff })),
    ]);
    if let Value::Object(o) = &obj {
        o.set_type_name(VERSION);
    }
    obj
}

/// The numbers of a System.Version object, for comparison.
pub fn version_parts(o: &super::value::Object) -> Vec<i64> {
    ["Major", "Minor", "Build", "Revision"].iter().map(|n| o.get(n).and_then(|v| v.as_i64()).unwrap_or(-1)).collect()
}

pub fn not_found(text: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!("Unable to find type [{text}]."),
        Category::InvalidOperation,
        "TypeNotFound",
        "RuntimeException",
    )
    .with_target(text, "TypeName")
    .unqualified()
}
