//! New-Object: an object of a .NET type by name, with -ArgumentList for
//! its constructor and -Property to set afterwards: the types mailsh's
//! runtime can make (PSObject/PSCustomObject, PSCredential, ArrayList,
//! Generic.List[T], Hashtable, DateTime, TimeSpan, Guid, Regex, String,
//! the exception types), as `[T]::new()` makes them.

use crate::language::ast::TypeName;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Flow, Result};
use crate::runtime::members::Call;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::types::TypeRef;
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("New-Object")
        .class("Microsoft.PowerShell.Commands.NewObjectCommand")
        .synopsis("Creates an object of a .NET type: PSCredential, PSObject, ArrayList, List[T], Hashtable, exceptions...")
        .param(Param::new("TypeName", T::String).position(0).mandatory().help("The type, by full or short name (System.Collections.Generic.List[string])."))
        .param(Param::new("ArgumentList", super::common::object_array()).aliases(&["Args"]).position(1).help("The constructor's arguments."))
        .param(Param::new("Property", T::Hashtable).help("Properties to set (or add, on a PSObject) after creating it."))
        .param(Param::new("ComObject", T::String))
        .param(Param::new("Strict", T::Switch))
        .example(
            "A credential in a script",
            "$cred = New-Object System.Management.Automation.PSCredential('jsmith@contoso.com', (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force))",
            "",
        )
        .example("A report row", "New-Object PSObject -Property @{ Name = 'John Smith'; Imap = $true }", "")
        .example("A growable list", "$list = New-Object System.Collections.Generic.List[string]; $list.Add('John Smith')", "");
    vec![powershell_cmdlet!(sig, new_object)]
}

/// Splits `A,B[C]` at top-level commas.
fn split_top(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(text[start..].trim());
    out
}

/// A type name as written to New-Object, generics and arrays included
/// (`System.Collections.Generic.List[string]`, `int[]`).
fn parse_type_name(text: &str) -> Option<TypeName> {
    let text = text.trim();
    let mut name = text;
    let mut ranks = Vec::new();
    while let Some(base) = name.strip_suffix("[]") {
        ranks.push(1u8);
        name = base.trim_end();
    }
    let mut generic_args = Vec::new();
    if name.ends_with(']') {
        let open = name.find('[')?;
        let inner = &name[open + 1..name.len() - 1];
        for a in split_top(inner) {
            generic_args.push(parse_type_name(a.trim_start_matches('[').trim_end_matches(']'))?);
        }
        name = &name[..open];
    }
    if name.is_empty() {
        return None;
    }
    Some(TypeName {
        name: name.to_string(),
        generic_args,
        array_ranks: ranks,
        span: Default::default(),
        namespaces: None,
    })
}

fn type_not_found(name: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!("Cannot find type [{name}]: verify that the assembly containing this type is loaded."),
        Category::InvalidType,
        "TypeNotFound",
        "PSArgumentException",
    )
}

fn new_object(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    if args.has("ComObject") {
        return Err(ErrorRecord::new(
            "New-Object -ComObject is not supported by mailsh: there is no COM on this server.",
            Category::NotImplemented,
            "ComObjectNotSupported",
            "PSNotSupportedException",
        )
        .into());
    }
    let name = args.string("TypeName").unwrap_or_default();
    let ty = parse_type_name(&name).and_then(|t| TypeRef::resolve(&t).ok()).ok_or_else(|| type_not_found(&name))?;
    let short = ty.full_name().rsplit('.').next().unwrap_or_default().to_string();
    let call = Call {
        name: ".ctor",
        lower: "new".into(),
        args: args.get("ArgumentList").cloned().map(Value::into_items).unwrap_or_default(),
    };
    let made = crate::runtime::types::statics::construct(cx, &ty, &call).map_err(|f| constructor_error(f, &short))?;
    if let Some(Value::Hashtable(props)) = args.get("Property") {
        for (k, v) in props.entries() {
            let key = k.to_text();
            match &made {
                Value::Object(o) if !o.has(&key) => o.add(&key, v),
                other => crate::runtime::members::set(other, &key, v)?,
            }
        }
    }
    out.emit(cx, made)
}

/// A constructor's failure as New-Object reports it.
fn constructor_error(f: Flow, type_short: &str) -> Flow {
    match f {
        Flow::Error(mut rec) if rec.reason == "MethodInvocationException" || rec.reason == "MethodException" => {
            rec.message = rec.message.replace("overload for \".ctor\"", &format!("overload for \"{type_short}\""));
            rec.category = Category::InvalidOperation;
            rec.error_id = "ConstructorInvokedThrowException".into();
            rec.qualify_id = true;
            Flow::Error(rec)
        }
        Flow::Error(mut rec) => {
            rec.qualify_id = true;
            Flow::Error(rec)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_and_array_type_names_parse() {
        let t = parse_type_name("System.Collections.Generic.List[string]").unwrap();
        assert_eq!(t.name, "System.Collections.Generic.List");
        assert_eq!(t.generic_args[0].name, "string");
        assert_eq!(TypeRef::resolve(&t).unwrap().full_name(), "System.Collections.Generic.List`1[[System.String]]");
        assert_eq!(parse_type_name("int[]").unwrap().array_ranks.len(), 1);
    }
}
