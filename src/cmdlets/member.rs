//! Get-Member (gm) and Add-Member.
//!
//! Get-Member lists, once per type, the members PowerShell 5.1 shows: the
//! .NET methods and properties of strings, numbers, dates, time spans,
//! arrays and hashtables (their common overloads), the note properties of
//! PSCustomObjects, and the properties of cmdlet objects; sorted by member
//! type, then name, in the `   TypeName: X` table.
//!
//! Add-Member adds note properties to objects (PSCustomObjects and cmdlet
//! output). Script properties, script methods and alias properties need
//! members computed on access, which mailsh's objects do not have: they are
//! refused by name.

use crate::runtime::members::catalog::*;
use std::collections::HashSet;

use super::common::{object, write_error};
use crate::format::views::MEMBER_DEFINITION;
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{EnumDef, Value};

pub static MEMBER_TYPES: EnumDef = EnumDef {
    type_name: "System.Management.Automation.PSMemberTypes",
    members: &[
        "AliasProperty",
        "CodeProperty",
        "Property",
        "NoteProperty",
        "ScriptProperty",
        "Properties",
        "PropertySet",
        "Method",
        "CodeMethod",
        "ScriptMethod",
        "Methods",
        "ParameterizedProperty",
        "MemberSet",
        "Event",
        "Dynamic",
        "All",
    ],
};

pub fn definitions() -> Vec<CmdletDef> {
    let get = Signature::build("Get-Member")
        .aliases(&["gm"])
        .class("Microsoft.PowerShell.Commands.GetMemberCommand")
        .synopsis("The properties and methods of objects, once per type.")
        .param(
            Param::new("InputObject", T::Object)
                .pipeline()
                .help("An object, examined as it is (an array is not enumerated)."),
        )
        .param(
            Param::new("Name", super::common::string_array()).position(0).help("Members by name; wildcards accepted."),
        )
        .param(
            Param::new("MemberType", super::common::string_array())
                .aliases(&["Type"])
                .help("Property, NoteProperty, Method, Properties, Methods, All..."),
        )
        .param(Param::new("View", T::String))
        .param(Param::new("Static", T::Switch))
        .param(
            Param::new("Force", T::Switch)
                .help("Adds the hidden members (PSObject, PSTypeNames, get_ and set_ methods)."),
        )
        .example("What a mailbox has", "Get-CASMailbox | Get-Member -MemberType Property", "")
        .example("A string's methods", "'abc' | Get-Member -MemberType Method", "");
    let add = Signature::build("Add-Member")
        .class("Microsoft.PowerShell.Commands.AddMemberCommand")
        .synopsis("Adds note properties to an object.")
        .param(Param::new("InputObject", T::Object).mandatory().pipeline())
        .param(Param::new("MemberType", T::Enum(&MEMBER_TYPES)).aliases(&["Type"]).position(0).help("NoteProperty (the others are refused by mailsh)."))
        .param(Param::new("Name", T::String).position(1))
        .param(Param::new("Value", T::Object).position(2))
        .param(Param::new("SecondValue", T::Object).position(3))
        .param(Param::new("NotePropertyName", T::String))
        .param(Param::new("NotePropertyValue", T::Object))
        .param(Param::new("NotePropertyMembers", T::Object).help("A hashtable of names and values."))
        .param(Param::new("TypeName", T::String).help("A new type name for the object."))
        .param(Param::new("Force", T::Switch).help("Replaces a member of that name."))
        .param(Param::new("PassThru", T::Switch).help("Outputs the object."))
        .example(
            "A computed column",
            "$m = [PSCustomObject]@{ Name = 'John Smith' }; $m | Add-Member -NotePropertyName Team -NotePropertyValue 'Ops'; $m",
            "",
        )
        .example("Several at once", "$o = [PSCustomObject]@{}; $o | Add-Member -NotePropertyMembers @{ A = 1; B = 2 } -PassThru", "");
    vec![powershell_cmdlet!(get, || GetMember { seen: HashSet::new() }), powershell_cmdlet!(add, add_member)]
}

/// One member: its name, type, definition.
struct Member {
    name: String,
    kind: &'static str,
    definition: String,
}

fn m(name: &str, kind: &'static str, definition: &str) -> Member {
    Member { name: name.to_string(), kind, definition: definition.to_string() }
}

fn methods(list: &[(&str, &str)], word: &str) -> Vec<Member> {
    list.iter().map(|(n, d)| m(n, "Method", &specialise(d, word))).collect()
}

fn properties(list: &[(&str, &str)]) -> Vec<Member> {
    list.iter().map(|(n, d)| m(n, if *n == "Item" { "ParameterizedProperty" } else { "Property" }, d)).collect()
}

/// A .NET type's methods and properties.
fn catalogue(ms: &[(&str, &str)], word: &str, ps: &[(&str, &str)]) -> Vec<Member> {
    let mut out = methods(ms, word);
    out.extend(properties(ps));
    out
}

/// A note property's definition: `int Age=31`.
fn note_definition(name: &str, v: &Value) -> String {
    let shown = match v {
        Value::Null => "null".to_string(),
        other => other.to_text(),
    };
    format!("{} {name}={shown}", type_word(&v.type_name()))
}

/// The members of one value, unsorted.
fn members_of(v: &Value) -> Vec<Member> {
    match v {
        Value::Str(_) => {
            let mut out = methods(STRING_METHODS, "string");
            out.push(m("Chars", "ParameterizedProperty", "char Chars(int index) {get;}"));
            out.push(m("Length", "Property", "int Length {get;}"));
            out
        }
        Value::Int(_) | Value::Long(_) | Value::Double(_) | Value::Decimal(_) | Value::Byte(_) | Value::Bool(_) => {
            methods(NUMBER_METHODS, &type_word(&v.type_name()))
        }
        Value::DateTime(_) => {
            let mut out = catalogue(DATE_METHODS, "datetime", DATE_PROPERTIES);
            out.push(m("DateTime", "ScriptProperty", "System.Object DateTime {get=if ((& { Set-StrictMode -Version 1; $this.DisplayHint }) -ieq  \"Date\")..."));
            out
        }
        Value::TimeSpan(_) => catalogue(TIMESPAN_METHODS, "timespan", TIMESPAN_PROPERTIES),
        Value::Array(_) => catalogue(ARRAY_METHODS, "", ARRAY_PROPERTIES),
        Value::Hashtable(_) => catalogue(HASHTABLE_METHODS, "", HASHTABLE_PROPERTIES),
        Value::Object(o) => {
            let mut out: Vec<Member> = OBJECT_METHODS.iter().map(|(n, d)| m(n, "Method", d)).collect();
            let custom = is_custom(&o.type_name());
            for (name, val) in o.properties() {
                if custom {
                    out.push(Member { definition: note_definition(&name, &val), name, kind: "NoteProperty" });
                } else {
                    let word = if val.is_null() { "System.Object".to_string() } else { type_word(&val.type_name()) };
                    out.push(Member { definition: format!("{word} {name} {{get;set;}}"), name, kind: "Property" });
                }
            }
            out
        }
        other => {
            let _ = other;
            OBJECT_METHODS.iter().map(|(n, d)| m(n, "Method", d)).collect()
        }
    }
}

fn is_custom(type_name: &str) -> bool {
    type_name == "System.Management.Automation.PSCustomObject" || type_name.starts_with("Selected.")
}

/// The hidden members -Force adds.
fn hidden_members() -> Vec<Member> {
    vec![
        m(
            "pstypenames",
            "CodeProperty",
            "System.Collections.ObjectModel.Collection`1[[System.String, mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089]] pstypenames{get=PSTypeNames;}",
        ),
        m("psadapted", "MemberSet", "psadapted {}"),
        m("psbase", "MemberSet", "psbase {}"),
        m("psextended", "MemberSet", "psextended {}"),
        m(
            "psobject",
            "MemberSet",
            "psobject {BaseObject, Members, Properties, Methods, ImmediateBaseObject, TypeNames, get_BaseObject, get_Members, get_Properties, get_Methods, get_ImmediateBaseObject, get_TypeNames, ToString, Copy, CompareTo, Equals, GetHashCode, GetType, GetMetaObject}",
        ),
    ]
}

/// The member-type names a `-MemberType` value stands for.
fn kinds_wanted(args: &Args) -> Result<Option<Vec<String>>> {
    let Some(list) = args.strings("MemberType") else { return Ok(None) };
    let check = Param::new("MemberType", T::Enum(&MEMBER_TYPES));
    let mut out = Vec::new();
    for k in list {
        for part in k.split(',') {
            crate::runtime::convert::convert(&check, Value::str(part.trim()))?;
            let p = part.trim().to_ascii_lowercase();
            match p.as_str() {
                "all" => return Ok(None),
                "properties" => out.extend(
                    ["aliasproperty", "codeproperty", "property", "noteproperty", "scriptproperty"].map(String::from),
                ),
                "methods" => out.extend(["method", "codemethod", "scriptmethod"].map(String::from)),
                _ => out.push(p),
            }
        }
    }
    Ok(Some(out))
}

struct GetMember {
    seen: HashSet<String>,
}

impl Processor for GetMember {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        let Some(v) = input.or(args.get("InputObject")) else { return Ok(()) };
        if args.switch("Static") {
            return Err(ErrorRecord::new(
                "Get-Member -Static is not supported by mailsh; call the static members you need ([math]::Round(...)) directly.",
                Category::NotImplemented,
                "StaticNotSupported",
                "PSNotSupportedException",
            )
            .into());
        }
        let type_name = v.type_name();
        // One listing per type; PSCustomObjects differ by their properties.
        let key = match v {
            Value::Object(o) if is_custom(&type_name) => format!("{type_name}|{}", o.names().join(",")),
            _ => type_name.clone(),
        };
        if !self.seen.insert(key) {
            return Ok(());
        }
        let mut members = members_of(v);
        if args.switch("Force") {
            members.extend(hidden_members());
        }
        let names = args.strings("Name");
        let kinds = kinds_wanted(args)?;
        members.retain(|mem| {
            names.as_ref().is_none_or(|ns| ns.iter().any(|n| wildcard_match(n, &mem.name, false)))
                && kinds.as_ref().is_none_or(|ks| ks.iter().any(|k| k.eq_ignore_ascii_case(mem.kind)))
        });
        members.sort_by(|a, b| a.kind.cmp(b.kind).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())));
        for mem in members {
            let obj = object(
                MEMBER_DEFINITION,
                vec![
                    ("TypeName", Value::str(&type_name)),
                    ("Name", Value::str(mem.name)),
                    ("MemberType", Value::str(mem.kind)),
                    ("Definition", Value::str(mem.definition)),
                ],
            );
            out.emit(cx, obj)?;
        }
        Ok(())
    }

    fn end(&mut self, args: &Args, _cx: &mut Session, _out: &mut Output) -> Result<()> {
        if self.seen.is_empty() && args.get("InputObject").is_none() {
            return Err(ErrorRecord::new(
                "You must specify an object for the Get-Member cmdlet.",
                Category::CloseError,
                "NoObjectInGetMember",
                "InvalidOperationException",
            )
            .into());
        }
        Ok(())
    }
}

fn member_exists(name: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!(
            "Cannot add a member with the name \"{name}\" because a member with that name already exists. To overwrite the member anyway, add the Force parameter to your command."
        ),
        Category::InvalidOperation,
        "MemberAlreadyExists",
        "InvalidOperationException",
    )
}

fn add_member(args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let Some(target) = input.or(args.get("InputObject")).cloned() else { return Ok(()) };
    let mut notes: Vec<(String, Value)> = Vec::new();
    if let Some(members) = args.get("NotePropertyMembers") {
        match members {
            Value::Hashtable(t) => notes.extend(t.entries().into_iter().map(|(k, v)| (k.to_text(), v))),
            Value::Object(o) => notes.extend(o.properties()),
            other => {
                return Err(ErrorRecord::argument_transformation(
                    "NotePropertyMembers",
                    &format!(
                        "Cannot convert the \"{}\" value of type \"{}\" to type \"System.Collections.IDictionary\".",
                        other.to_text(),
                        other.type_name()
                    ),
                )
                .into());
            }
        }
    } else if let Some(name) = args.string("NotePropertyName") {
        notes.push((name, args.get("NotePropertyValue").cloned().unwrap_or(Value::Null)));
    } else if let Some(kind) = args.string("MemberType") {
        if !kind.eq_ignore_ascii_case("NoteProperty") {
            return Err(ErrorRecord::new(
                format!(
                    "Add-Member -MemberType {kind} is not supported by mailsh: its objects hold values, not members computed on access. Add a NoteProperty with the value instead."
                ),
                Category::NotImplemented,
                "MemberTypeNotSupported",
                "PSNotSupportedException",
            )
            .into());
        }
        let Some(name) = args.string("Name") else {
            return Err(ErrorRecord::missing_mandatory(&["Name"]).into());
        };
        notes.push((name, args.get("Value").cloned().unwrap_or(Value::Null)));
    } else if args.string("TypeName").is_none() {
        return Err(ErrorRecord::new(
            "Parameter set cannot be resolved using the specified named parameters.",
            Category::InvalidArgument,
            "AmbiguousParameterSet",
            "ParameterBindingException",
        )
        .into());
    }
    let Value::Object(o) = &target else {
        return Err(ErrorRecord::new(
            format!(
                "mailsh adds members to objects only (PSCustomObjects and cmdlet output), not to a {}. For a hashtable, add a key instead.",
                target.type_name()
            ),
            Category::NotImplemented,
            "AddMemberTargetNotSupported",
            "PSNotSupportedException",
        )
        .into());
    };
    for (name, value) in notes {
        if o.has(&name) {
            if !args.switch("Force") {
                write_error(cx, args, member_exists(&name))?;
                continue;
            }
            o.set(&name, value);
        } else {
            o.add(&name, value);
        }
    }
    if let Some(t) = args.string("TypeName") {
        o.set_type_name(&t);
    }
    if args.switch("PassThru") {
        out.emit(cx, target.clone())?;
    }
    Ok(())
}
