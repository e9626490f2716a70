//! What Exchange's Set-/New-/Remove- cmdlets share: the audit record, the
//! "nothing changed" warning, -WhatIf and -Confirm, object shapes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::store::Tx;

use crate::format::cell::cell_text;
use crate::runtime::command::Args;
use crate::runtime::errors::ErrorRecord;
use crate::runtime::session::Session;
use crate::runtime::value::{Class, Object, Value, now_unix};
use crate::store::audit::AuditEntry;
use crate::store::{Store, StoreResult};

thread_local! {
    static CLASSES: RefCell<HashMap<&'static str, Rc<Class>>> = RefCell::new(HashMap::new());
}

/// The shared shape of every object of one type (built once per thread).
pub fn class(type_name: &'static str, names: &[&str]) -> Rc<Class> {
    CLASSES.with(|c| {
        let mut cache = c.borrow_mut();
        let entry = cache.entry(type_name).or_insert_with(|| Class::new(type_name, names));
        if entry.names.len() == names.len() && entry.names.iter().zip(names).all(|(a, b)| a == b) {
            entry.clone()
        } else {
            // Same type, another shape (Group-Object -NoElement): not cached.
            Class::new(type_name, names)
        }
    })
}

/// Builds an object from `(property, value)` pairs in display order.
pub fn object(type_name: &'static str, props: Vec<(&'static str, Value)>) -> Value {
    let names: Vec<&str> = props.iter().map(|(n, _)| *n).collect();
    let class = class(type_name, &names);
    Value::Object(Rc::new(Object::new(class, props.into_iter().map(|(_, v)| v).collect())))
}

/// A PSCustomObject with arbitrary property names (Select-Object, Measure...).
pub fn custom_object(type_name: &str, props: Vec<(String, Value)>) -> Value {
    let class =
        Rc::new(Class { type_name: type_name.to_string(), names: props.iter().map(|(n, _)| n.clone()).collect() });
    Value::Object(Rc::new(Object::new(class, props.into_iter().map(|(_, v)| v).collect())))
}

pub fn canonical_name(domain: &str, name: &str) -> String {
    format!("{domain}/Users/{name}")
}

pub fn distinguished_name(domain: &str, name: &str) -> String {
    let dc: Vec<String> = domain.split('.').map(|p| format!("DC={p}")).collect();
    format!("CN={},CN=Users,{}", name.replace(',', "\\,"), dc.join(","))
}

pub fn legacy_dn(alias: &str) -> String {
    format!("/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn={alias}")
}

pub fn server_legacy_dn(server: &str) -> String {
    format!(
        "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn={server}"
    )
}

/// `WARNING: The command completed successfully but no settings of '<id>' have been modified.`
pub fn warn_nothing_changed(cx: &mut Session, identity: &str) {
    cx.warn(&format!("The command completed successfully but no settings of '{identity}' have been modified."));
}

/// The end of a Set- cmdlet whose object is read, changed and saved in one
/// write transaction, so that shells (of several servers, on PostgreSQL)
/// changing it at once never lose each other's update: `change` gets what
/// the transaction read and returns what it changed; nothing changed is
/// Exchange's warning, else `save` and the audit record share the
/// transaction. A `change` that fails rolls the transaction back and is the
/// cmdlet's error.
pub fn change_in_one_write<T>(
    cx: &mut Session,
    args: &Args,
    identity: &str,
    read: impl FnOnce(&Tx) -> StoreResult<T>,
    change: impl FnOnce(&mut T) -> crate::runtime::errors::Result<Vec<(String, String, String)>>,
    save: impl FnOnce(&Tx, &T) -> StoreResult<()>,
) -> crate::runtime::errors::Result<()> {
    let user = cx.user.clone();
    let mut refused = None;
    let saved = cx.store()?.write(|tx| {
        let mut object = read(tx)?;
        let changed = match change(&mut object) {
            Ok(changed) => changed,
            Err(e) => {
                refused = Some(e);
                return Err(crate::store::StoreError::Conflict(String::new()));
            }
        };
        if changed.is_empty() {
            return Ok(false);
        }
        save(tx, &object)?;
        audit(tx, &user, args, identity, changed)?;
        Ok(true)
    });
    if let Some(e) = refused {
        return Err(e);
    }
    if !saved.map_err(super::identity::store_err)? {
        warn_nothing_changed(cx, identity);
    }
    Ok(())
}

/// The write of a New- cmdlet: `insert` and the audit record in one
/// transaction; a name or address already taken is Exchange's
/// ADObjectAlreadyExistsException.
pub fn insert_new(
    cx: &mut Session,
    args: &Args,
    identity: &str,
    insert: impl FnOnce(&Tx) -> StoreResult<()>,
) -> crate::runtime::errors::Result<()> {
    let user = cx.user.clone();
    let written = cx.store()?.write(|tx| {
        insert(tx)?;
        audit(tx, &user, args, identity, vec![])
    });
    match written {
        Ok(()) => Ok(()),
        Err(crate::store::StoreError::Conflict(text)) => Err(ErrorRecord::new(
            text,
            crate::runtime::errors::Category::NotSpecified,
            "ADObjectAlreadyExistsException",
            "ADObjectAlreadyExistsException",
        )
        .into()),
        Err(e) => Err(super::identity::store_err(e).into()),
    }
}

/// Records a successful change in the admin audit log, in the same
/// transaction as the change itself.
pub fn audit(
    tx: &Tx<'_>,
    cx_user: &str,
    args: &Args,
    object_id: &str,
    modified: Vec<(String, String, String)>,
) -> StoreResult<()> {
    let parameters = args
        .given()
        .into_iter()
        .map(|(name, value)| {
            let shown = match value {
                Value::SecureString(_) => "********".to_string(),
                other => cell_text(other),
            };
            (name.to_string(), shown)
        })
        .collect();
    Store::append_audit(
        tx,
        &AuditEntry {
            run_date: now_unix(),
            caller: cx_user.to_string(),
            cmdlet: args.name().to_string(),
            object_id: object_id.to_string(),
            parameters,
            modified,
            succeeded: true,
        },
    )
}

/// Applies a multi-valued parameter to a list: a plain value replaces it,
/// `@{Add=...; Remove=...}` edits it, $null clears it.
pub fn apply_multi(current: &[String], value: &Value) -> Vec<String> {
    match value {
        Value::Null => vec![],
        Value::Hashtable(entries) => {
            let mut out = current.to_vec();
            for (k, v) in entries.entries() {
                let k = k.to_text();
                let items: Vec<String> = v.into_items().iter().map(|i| i.to_text()).collect();
                if k.eq_ignore_ascii_case("add") || k.eq_ignore_ascii_case("+") {
                    for i in items {
                        if !out.iter().any(|o| o.eq_ignore_ascii_case(&i)) {
                            out.push(i);
                        }
                    }
                } else if k.eq_ignore_ascii_case("remove") || k.eq_ignore_ascii_case("-") {
                    out.retain(|o| !items.iter().any(|i| i.eq_ignore_ascii_case(o)));
                }
            }
            out
        }
        other => other.clone().into_items().iter().map(|i| i.to_text()).collect(),
    }
}

/// Writes (or appends) a file for Out-File and Export-Csv, with
/// PowerShell's error when it cannot.
pub fn write_text_file(path: &str, text: &str, append: bool) -> Result<(), ErrorRecord> {
    let result = if append {
        use std::io::Write;
        std::fs::OpenOptions::new().create(true).append(true).open(path).and_then(|mut f| f.write_all(text.as_bytes()))
    } else {
        std::fs::write(path, text)
    };
    result.map_err(|e| {
        ErrorRecord::new(
            format!("Could not write '{path}': {e}."),
            crate::runtime::errors::Category::WriteError,
            "FileOpenFailure",
            "IOException",
        )
    })
}

/// One of PowerShell's own cmdlets, whose returned errors are terminating
/// (ThrowTerminatingError: they end the statement, and a try catches them);
/// its non-terminating errors go through `write_error` instead.
pub struct Terminating<P>(pub P);

fn terminate(f: crate::runtime::errors::Flow) -> crate::runtime::errors::Flow {
    match f {
        crate::runtime::errors::Flow::Error(mut rec) => {
            rec.terminating = true;
            crate::runtime::errors::Flow::Error(rec)
        }
        other => other,
    }
}

impl<P: crate::runtime::command::Processor> crate::runtime::command::Processor for Terminating<P> {
    fn begin(
        &mut self,
        args: &Args,
        cx: &mut Session,
        out: &mut crate::runtime::command::Output,
    ) -> crate::runtime::errors::Result<()> {
        self.0.begin(args, cx, out).map_err(terminate)
    }
    fn process(
        &mut self,
        args: &Args,
        input: Option<&Value>,
        cx: &mut Session,
        out: &mut crate::runtime::command::Output,
    ) -> crate::runtime::errors::Result<()> {
        self.0.process(args, input, cx, out).map_err(terminate)
    }
    fn end(
        &mut self,
        args: &Args,
        cx: &mut Session,
        out: &mut crate::runtime::command::Output,
    ) -> crate::runtime::errors::Result<()> {
        self.0.end(args, cx, out).map_err(terminate)
    }
}

/// A cmdlet without state between records, as a processor.
pub struct Once(pub crate::runtime::command::RunFn);

impl crate::runtime::command::Processor for Once {
    fn process(
        &mut self,
        args: &Args,
        input: Option<&Value>,
        cx: &mut Session,
        out: &mut crate::runtime::command::Output,
    ) -> crate::runtime::errors::Result<()> {
        (self.0)(args, input, cx, out)
    }
}

/// A non-terminating error of the running cmdlet (PowerShell's
/// WriteError): named after the cmdlet, added to -ErrorVariable, written
/// as -ErrorAction or $ErrorActionPreference says; `Stop` makes it
/// terminating, so the caller stops with the returned flow.
pub fn write_error(cx: &mut Session, args: &Args, mut rec: ErrorRecord) -> crate::runtime::errors::Result<()> {
    use crate::runtime::session::Action;
    if rec.command.is_none() {
        rec.command = Some(args.name().to_string());
        rec.command_class = args.signature.class.map(str::to_string);
    }
    if rec.span.is_none() {
        rec.span = Some(args.command_span);
    }
    if let Some(name) = args.string("ErrorVariable") {
        cx.append_var(name.trim_start_matches('+'), Value::ErrorRecord(Rc::new(rec.clone())));
    }
    let action = args.get("ErrorAction").map(Action::from_value).unwrap_or_else(|| cx.error_action_preference());
    if action == Action::Stop {
        if rec.position.is_none() {
            rec.position = rec.span.map(|s| cx.position(s));
        }
        rec.stopped_by_preference = true;
        return Err(crate::runtime::errors::Flow::ScriptStop(Box::new(rec)));
    }
    cx.write_error(rec, action);
    Ok(())
}

static STRING_ARRAY: std::sync::LazyLock<crate::runtime::types::TypeRef> = std::sync::LazyLock::new(|| {
    crate::runtime::types::TypeRef::Array(Box::new(crate::runtime::types::TypeRef::String))
});
static OBJECT_ARRAY: std::sync::LazyLock<crate::runtime::types::TypeRef> = std::sync::LazyLock::new(|| {
    crate::runtime::types::TypeRef::Array(Box::new(crate::runtime::types::TypeRef::Object))
});
static DATETIME: crate::runtime::types::TypeRef = crate::runtime::types::TypeRef::DateTime;
static LONG: crate::runtime::types::TypeRef = crate::runtime::types::TypeRef::Long;

/// A `[string[]]` parameter (`-Path a.txt, b.txt`).
pub fn string_array() -> crate::runtime::signature::ParamType {
    crate::runtime::signature::ParamType::Typed(&STRING_ARRAY)
}

/// An `[object[]]` parameter (`-Value`, `-ReferenceObject`).
pub fn object_array() -> crate::runtime::signature::ParamType {
    crate::runtime::signature::ParamType::Typed(&OBJECT_ARRAY)
}

/// A `[datetime]` parameter converted as PowerShell casts (`-Date '2026-11-21 10:15'`).
pub fn datetime() -> crate::runtime::signature::ParamType {
    crate::runtime::signature::ParamType::Typed(&DATETIME)
}

/// An `[long]` parameter.
pub fn long() -> crate::runtime::signature::ParamType {
    crate::runtime::signature::ParamType::Typed(&LONG)
}

pub fn strings(list: &[String]) -> Value {
    Value::array(list.iter().map(Value::str).collect())
}

/// An EmailAddresses list after `given` (a list, `@{Add=...; Remove=...}`,
/// or $null), as Exchange takes it: a bare address is a secondary SMTP
/// address (and is compared as one), and with no `SMTP:` in the list the
/// first SMTP address becomes the primary (`-EmailAddresses a@x` leaves
/// `{SMTP:a@x}`), so the primary address is always in the list.
pub fn email_addresses(current: &[String], given: &Value) -> Vec<String> {
    let mut next = apply_multi(current, &with_prefixes(given));
    if !next.iter().any(|a| a.starts_with("SMTP:"))
        && let Some(first) = next.iter_mut().find(|a| a.to_ascii_lowercase().starts_with("smtp:"))
    {
        first.replace_range(..5, "SMTP:");
    }
    next
}

/// `@{Add='a@x'}` and plain lists name addresses without `smtp:`; compare
/// and store them with it.
fn with_prefixes(v: &Value) -> Value {
    let fix = |x: &Value| {
        let t = x.to_text();
        Value::str(if t.contains(':') { t } else { format!("smtp:{t}") })
    };
    match v {
        Value::Hashtable(entries) => Value::hashtable(
            entries
                .entries()
                .into_iter()
                .map(|(k, items)| (k, Value::array(items.into_items().iter().map(fix).collect())))
                .collect(),
            false,
        ),
        Value::Null => Value::Null,
        other => Value::array(other.clone().into_items().iter().map(fix).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_valued_edits_follow_exchange() {
        let cur = vec!["a".to_string(), "b".to_string()];
        let add = Value::hashtable(
            vec![(Value::str("Add"), Value::str("c")), (Value::str("Remove"), Value::str("A"))],
            false,
        );
        assert_eq!(apply_multi(&cur, &add), vec!["b".to_string(), "c".to_string()]);
        assert_eq!(apply_multi(&cur, &Value::Null), Vec::<String>::new());
    }

    #[test]
    fn names_follow_active_directory() {
        assert_eq!(canonical_name("contoso.com", "John Smith"), "contoso.com/Users/John Smith");
        assert_eq!(distinguished_name("contoso.com", "John Smith"), "CN=John Smith,CN=Users,DC=contoso,DC=com");
    }
}
