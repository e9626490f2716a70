//! New-Variable, Set-Variable, Get-Variable, Clear-Variable and
//! Remove-Variable: variables by name, in a chosen scope (`Global`,
//! `Script`, `Local` or a number of scopes up), with PowerShell's options
//! (ReadOnly, Constant) and messages.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::common::{object, string_array, write_error};
use crate::format::views::PS_VARIABLE;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::{has_wildcard, wildcard_match};
use crate::runtime::scope::Variable;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{EnumDef, Value};

pub static SCOPED_ITEM_OPTIONS: EnumDef = EnumDef {
    type_name: "System.Management.Automation.ScopedItemOptions",
    members: &["None", "ReadOnly", "Constant", "Private", "AllScope", "Unspecified"],
};

/// What the runtime's variables do not keep: descriptions, and which
/// read-only variables are constants (by frame and name).
#[derive(Clone, Default)]
struct Extra {
    description: String,
    options: String,
}

thread_local! {
    static EXTRAS: RefCell<HashMap<(usize, String), Extra>> = RefCell::new(HashMap::new());
}

fn extra(frame: usize, key: &str) -> Extra {
    EXTRAS.with(|e| e.borrow().get(&(frame, key.to_string())).cloned().unwrap_or_default())
}

fn set_extra(frame: usize, key: &str, x: Extra) {
    EXTRAS.with(|e| e.borrow_mut().insert((frame, key.to_string()), x));
}

fn scope_param(sig: Signature) -> Signature {
    sig.param(Param::new("Scope", T::String).help("Global, Script, Local, or how many scopes up (0 is this one)."))
}

pub fn definitions() -> Vec<CmdletDef> {
    let new = scope_param(
        Signature::build("New-Variable")
            .aliases(&["nv"])
            .class("Microsoft.PowerShell.Commands.NewVariableCommand")
            .should_process(crate::runtime::signature::ConfirmImpact::Medium)
            .synopsis("Creates a variable, optionally read-only or constant.")
            .param(Param::new("Name", T::String).position(0).mandatory().by_property())
            .param(Param::new("Value", T::Object).position(1).pipeline().by_property())
            .param(Param::new("Description", T::String))
            .param(Param::new("Option", T::Enum(&SCOPED_ITEM_OPTIONS)).help("ReadOnly or Constant."))
            .param(Param::new("Visibility", T::String))
            .param(Param::new("Force", T::Switch).help("Replaces a variable of that name."))
            .param(Param::new("PassThru", T::Switch)),
    )
    .example("A constant", "New-Variable -Name MaxUsers -Value 500 -Option Constant", "");
    let set = scope_param(
        Signature::build("Set-Variable")
            .aliases(&["set"])
            .class("Microsoft.PowerShell.Commands.SetVariableCommand")
            .should_process(crate::runtime::signature::ConfirmImpact::Medium)
            .synopsis("Sets a variable's value (creating it), optionally in another scope.")
            .param(Param::new("Name", string_array()).position(0).mandatory().by_property())
            .param(Param::new("Value", T::Object).position(1).pipeline().by_property())
            .param(Param::new("Include", string_array()))
            .param(Param::new("Exclude", string_array()))
            .param(Param::new("Description", T::String))
            .param(Param::new("Option", T::Enum(&SCOPED_ITEM_OPTIONS)))
            .param(Param::new("Visibility", T::String))
            .param(Param::new("Force", T::Switch).help("Changes a read-only variable."))
            .param(Param::new("PassThru", T::Switch)),
    )
    .example(
        "A global from a function",
        "function Set-Report { Set-Variable -Name report -Value 'done' -Scope Global }; Set-Report",
        "",
    );
    let get = scope_param(
        Signature::build("Get-Variable")
            .aliases(&["gv"])
            .class("Microsoft.PowerShell.Commands.GetVariableCommand")
            .synopsis("The session's variables, or those named (wildcards accepted).")
            .param(Param::new("Name", string_array()).position(0).pipeline().by_property())
            .param(Param::new("ValueOnly", T::Switch).help("Outputs the values instead of the variables."))
            .param(Param::new("Include", string_array()))
            .param(Param::new("Exclude", string_array())),
    )
    .example("Preference variables", "Get-Variable -Name *Preference", "")
    .example("A value by name", "$name = 'ErrorActionPreference'; Get-Variable -Name $name -ValueOnly", "");
    let clear = scope_param(
        Signature::build("Clear-Variable")
            .aliases(&["clv"])
            .class("Microsoft.PowerShell.Commands.ClearVariableCommand")
            .should_process(crate::runtime::signature::ConfirmImpact::Medium)
            .synopsis("Sets variables to $null, keeping them.")
            .param(Param::new("Name", string_array()).position(0).mandatory().by_property())
            .param(Param::new("Include", string_array()))
            .param(Param::new("Exclude", string_array()))
            .param(Param::new("Force", T::Switch))
            .param(Param::new("PassThru", T::Switch)),
    )
    .example("Empty a list", "$list = 1, 2; Clear-Variable -Name list", "");
    let remove = scope_param(
        Signature::build("Remove-Variable")
            .aliases(&["rv"])
            .class("Microsoft.PowerShell.Commands.RemoveVariableCommand")
            .should_process(crate::runtime::signature::ConfirmImpact::Medium)
            .synopsis("Deletes variables.")
            .param(Param::new("Name", string_array()).position(0).mandatory().by_property())
            .param(Param::new("Include", string_array()))
            .param(Param::new("Exclude", string_array()))
            .param(Param::new("Force", T::Switch).help("Deletes a read-only variable.")),
    )
    .example("Forget a variable", "$temp = 1; Remove-Variable -Name temp", "");
    vec![
        powershell_cmdlet!(new, new_variable),
        powershell_cmdlet!(set, set_variable),
        powershell_cmdlet!(get, get_variable),
        powershell_cmdlet!(clear, clear_variable),
        powershell_cmdlet!(remove, remove_variable),
    ]
}

/// The frames from the current one up to global.
fn chain(cx: &Session) -> Vec<usize> {
    std::iter::successors(Some(cx.scopes.current()), |i| cx.scopes.frame(*i).parent).collect()
}

/// The frame -Scope names (the current one when not given).
fn scope_frame(cx: &Session, args: &Args) -> Result<usize> {
    let Some(scope) = args.string("Scope") else { return Ok(cx.scopes.current()) };
    let frames = chain(cx);
    let at = match scope.to_ascii_lowercase().as_str() {
        "global" => Some(0),
        "local" | "private" => Some(cx.scopes.current()),
        "script" => Some(cx.scopes.script_frame()),
        n => n.parse::<usize>().ok().and_then(|n| frames.get(n).copied()),
    };
    at.ok_or_else(|| {
        ErrorRecord::new(
            format!(
                "The scope number '{scope}' exceeds the number of active scopes.\nParameter name: Scope\nActual value was {scope}."
            ),
            Category::InvalidArgument,
            "ArgumentOutOfRange",
            "ArgumentOutOfRangeException",
        )
        .into()
    })
}

/// A PSVariable object.
pub fn variable_object(cx: &Session, name: &str, value: Value) -> Value {
    let key = name.to_lowercase();
    let frame = chain(cx).into_iter().find(|i| cx.scopes.local(*i, &key).is_some());
    let (description, options) = match frame {
        Some(f) => {
            let x = extra(f, &key);
            let read_only = cx.scopes.local(f, &key).is_some_and(|v| v.read_only);
            let options = if !x.options.is_empty() && read_only {
                x.options
            } else if read_only {
                "ReadOnly".into()
            } else {
                "None".into()
            };
            (x.description, options)
        }
        None => (String::new(), "None".into()),
    };
    object(
        PS_VARIABLE,
        vec![
            ("Name", Value::str(name)),
            ("Description", Value::str(description)),
            ("Value", value),
            ("Visibility", Value::str("Public")),
            ("Module", Value::Null),
            ("ModuleName", Value::str("")),
            ("Options", Value::str(options)),
            ("Attributes", Value::array(vec![])),
        ],
    )
}

fn not_found(name: &str) -> ErrorRecord {
    let mut rec = ErrorRecord::new(
        format!("Cannot find a variable with the name '{name}'."),
        Category::ObjectNotFound,
        "VariableNotFound",
        "ItemNotFoundException",
    )
    .with_target(name, "String");
    rec.target_object = Some(Box::new(Value::str(name)));
    rec
}

fn not_writable(name: &str) -> ErrorRecord {
    let mut rec = ErrorRecord::new(
        format!("Cannot overwrite variable {name} because it is read-only or constant."),
        Category::WriteError,
        "VariableNotWritable",
        "SessionStateUnauthorizedAccessException",
    )
    .with_target(name, "String");
    rec.target_object = Some(Box::new(Value::str(name)));
    rec
}

fn is_automatic_constant(key: &str) -> bool {
    matches!(key, "true" | "false" | "null")
}

/// Writes a variable into `frame`, with options: what New-Variable and
/// Set-Variable share.
fn store(cx: &mut Session, args: &Args, frame: usize, name: &str, value: Value, creating: bool) -> Result<bool> {
    let key = name.to_lowercase();
    let force = args.switch("Force");
    let option = args.string("Option");
    let existing = cx.scopes.local(frame, &key).cloned();
    if let Some(var) = &existing {
        if creating && !force {
            let mut rec = ErrorRecord::new(
                format!("A variable with name '{name}' already exists."),
                Category::ResourceExists,
                "VariableAlreadyExists",
                "SessionStateException",
            )
            .with_target(name, "String");
            rec.target_object = Some(Box::new(Value::str(name)));
            write_error(cx, args, rec)?;
            return Ok(false);
        }
        let constant = extra(frame, &key).options.eq_ignore_ascii_case("Constant");
        if var.read_only && (constant || !force) {
            write_error(cx, args, not_writable(name))?;
            return Ok(false);
        }
    }
    if is_automatic_constant(&key) {
        write_error(cx, args, not_writable(name))?;
        return Ok(false);
    }
    let read_only = match option.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("readonly") | Some("constant") => true,
        Some(_) => false,
        None => existing.as_ref().is_some_and(|v| v.read_only),
    };
    let value = match existing.as_ref().and_then(|v| v.constraint.clone()) {
        Some(t) => crate::runtime::session::convert_for_variable(value, &t)?,
        None => value,
    };
    let private = match option.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some(o) => o == "private",
        None => existing.as_ref().is_some_and(|v| v.private),
    };
    let constraint = existing.and_then(|v| v.constraint);
    // An existing variable is changed in place (a [ref] to it sees the new value).
    match cx.scopes.frame_mut(frame).vars.get_mut(key.as_str()) {
        Some(var) => {
            var.set(value);
            var.constraint = constraint;
            var.read_only = read_only;
            var.private = private;
        }
        None => {
            let mut var = Variable::new(value);
            var.constraint = constraint;
            var.read_only = read_only;
            var.private = private;
            cx.scopes.define(frame, Rc::from(key.as_str()), var);
        }
    }
    let mut x = extra(frame, &key);
    if let Some(d) = args.string("Description") {
        x.description = d;
    }
    if let Some(o) = option {
        x.options = o;
    }
    set_extra(frame, &key, x);
    Ok(true)
}

fn new_variable(args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let name = args.string("Name").unwrap_or_default();
    let frame = scope_frame(cx, args)?;
    let value = args.get("Value").or(input).cloned().unwrap_or(Value::Null);
    let target = format!("Name: {name} Value: {}", value.to_text());
    if !cx.should_process_action(args, "New variable", &target)? {
        return Ok(());
    }
    if store(cx, args, frame, &name, value.clone(), true)? && args.switch("PassThru") {
        let v = variable_object(cx, &name, value);
        out.emit(cx, v)?;
    }
    Ok(())
}

/// The existing variables the Name, Include and Exclude arguments select,
/// searched from `frame` up; a literal name that matches nothing is
/// reported with `missing`.
fn selected(cx: &mut Session, args: &Args, all_scopes: bool) -> Result<Vec<(usize, String, String)>> {
    let patterns = args.strings("Name").unwrap_or_else(|| vec!["*".into()]);
    let include = args.strings("Include").unwrap_or_default();
    let exclude = args.strings("Exclude").unwrap_or_default();
    let frames = if args.has("Scope") || !all_scopes { vec![scope_frame(cx, args)?] } else { chain(cx) };
    let mut found: Vec<(usize, String, String)> = Vec::new();
    for pattern in &patterns {
        let mut hit = false;
        for &f in &frames {
            let mut names: Vec<String> = cx.scopes.frame(f).vars.keys().map(|k| k.to_string()).collect();
            names.sort();
            for key in names {
                if !wildcard_match(pattern, &key, false) {
                    continue;
                }
                if !include.is_empty() && !include.iter().any(|p| wildcard_match(p, &key, false)) {
                    continue;
                }
                if exclude.iter().any(|p| wildcard_match(p, &key, false)) {
                    continue;
                }
                hit = true;
                if found.iter().any(|(_, k, _)| *k == key) {
                    continue;
                }
                let shown = if has_wildcard(pattern) { key.clone() } else { pattern.clone() };
                found.push((f, key, shown));
            }
        }
        if !hit && !has_wildcard(pattern) {
            // `$true`, `$PWD` and the like are computed, not stored.
            if is_automatic_constant(&pattern.to_lowercase()) || !cx.get_var(pattern).is_null() {
                found.push((0, pattern.to_lowercase(), pattern.clone()));
                continue;
            }
            write_error(cx, args, not_found(pattern))?;
        }
    }
    if patterns.iter().any(|p| has_wildcard(p)) {
        found.sort_by(|a, b| a.1.cmp(&b.1));
    }
    Ok(found)
}

fn set_variable(args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let frame = scope_frame(cx, args)?;
    let value = args.get("Value").or(input).cloned().unwrap_or(Value::Null);
    for name in args.strings("Name").unwrap_or_default() {
        let names: Vec<String> = if has_wildcard(&name) {
            cx.scopes
                .frame(frame)
                .vars
                .keys()
                .filter(|k| wildcard_match(&name, k, false))
                .map(|k| k.to_string())
                .collect()
        } else {
            vec![name.clone()]
        };
        for n in names {
            let target = format!("Name: {n} Value: {}", value.to_text());
            if !cx.should_process_action(args, "Set variable", &target)? {
                continue;
            }
            if store(cx, args, frame, &n, value.clone(), false)? && args.switch("PassThru") {
                let v = variable_object(cx, &n, value.clone());
                out.emit(cx, v)?;
            }
        }
    }
    Ok(())
}

fn get_variable(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    for (frame, key, shown) in selected(cx, args, true)? {
        let value = match cx.scopes.local(frame, &key) {
            Some(v) => v.value(),
            None => cx.get_var(&key),
        };
        if args.switch("ValueOnly") {
            out.emit(cx, value)?;
        } else {
            let v = variable_object(cx, &shown, value);
            out.emit(cx, v)?;
        }
    }
    Ok(())
}

fn clear_variable(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    for (frame, key, shown) in selected(cx, args, true)? {
        let Some(var) = cx.scopes.local(frame, &key).cloned() else { continue };
        if !cx.should_process_action(args, "Clear variable", &format!("Name: {shown}"))? {
            continue;
        }
        if var.read_only && (!args.switch("Force") || extra(frame, &key).options.eq_ignore_ascii_case("Constant")) {
            write_error(cx, args, not_writable(&shown))?;
            continue;
        }
        if let Some(v) = cx.scopes.frame_mut(frame).vars.get_mut(key.as_str()) {
            v.set(Value::Null);
        }
        if args.switch("PassThru") {
            let v = variable_object(cx, &shown, Value::Null);
            out.emit(cx, v)?;
        }
    }
    Ok(())
}

fn remove_variable(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    for (frame, key, shown) in selected(cx, args, false)? {
        if !cx.should_process_action(args, "Remove variable", &format!("Name: {shown}"))? {
            continue;
        }
        remove_at(cx, args, frame, &key, &shown, args.switch("Force"))?;
    }
    Ok(())
}

fn remove_at(cx: &mut Session, args: &Args, frame: usize, key: &str, shown: &str, force: bool) -> Result<()> {
    let Some(var) = cx.scopes.local(frame, key) else { return Ok(()) };
    let constant = extra(frame, key).options.eq_ignore_ascii_case("Constant");
    if is_automatic_constant(key)
        || (var.read_only && (!force || constant))
        || matches!(key, "error" | "home" | "pid" | "shellid" | "?")
    {
        let mut rec = ErrorRecord::new(
            format!(
                "Cannot remove variable {shown} because it is constant or read-only. If the variable is read-only, try the operation again specifying the Force option."
            ),
            Category::WriteError,
            "VariableNotRemovable",
            "SessionStateUnauthorizedAccessException",
        )
        .with_target(shown, "String");
        rec.target_object = Some(Box::new(Value::str(shown)));
        return write_error(cx, args, rec);
    }
    cx.scopes.remove(frame, key);
    EXTRAS.with(|e| e.borrow_mut().remove(&(frame, key.to_string())));
    Ok(())
}

/// `Remove-Item Variable:\name`: the nearest variable of that name.
pub fn remove(cx: &mut Session, args: &Args, name: &str, force: bool) -> Result<()> {
    let key = name.to_lowercase();
    match chain(cx).into_iter().find(|i| cx.scopes.local(*i, &key).is_some()) {
        Some(f) => remove_at(cx, args, f, &key, name, force),
        None => write_error(cx, args, not_found(name)),
    }
}
