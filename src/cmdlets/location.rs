//! Get-Location, Set-Location, Push-Location and Pop-Location: the current
//! folder, which is the process's own (relative paths everywhere, `$PWD`,
//! redirections and script files all use it). Only file-system folders can
//! be the location; `Set-Location Env:` is refused by name.

use std::cell::RefCell;

use super::common::write_error;
use super::paths::{Provider, drive_not_found, full_path, not_found, shown, split_provider, windows_drive};
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::{Session, current_location};
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

thread_local! {
    /// Push-Location's stack.
    static STACK: RefCell<Vec<std::path::PathBuf>> = const { RefCell::new(Vec::new()) };
}

pub fn definitions() -> Vec<CmdletDef> {
    let get = Signature::build("Get-Location")
        .aliases(&["gl", "pwd"])
        .class("Microsoft.PowerShell.Commands.GetLocationCommand")
        .synopsis("The current folder, as a PathInfo (its Path property is the folder).")
        .param(Param::new("PSProvider", super::common::string_array()))
        .param(Param::new("PSDrive", super::common::string_array()))
        .param(Param::new("Stack", T::Switch).help("The folders Push-Location saved, newest first."))
        .example("The current folder", "Get-Location", "")
        .example("As text", "(Get-Location).Path", "");
    let set = Signature::build("Set-Location")
        .aliases(&["sl", "cd", "chdir"])
        .class("Microsoft.PowerShell.Commands.SetLocationCommand")
        .synopsis("Makes a folder the current one.")
        .param(
            Param::new("Path", T::String)
                .position(0)
                .pipeline()
                .by_property()
                .help("The folder; `~` is the home folder, `..` the parent."),
        )
        .param(Param::new("LiteralPath", T::String).aliases(&["PSPath"]).by_property())
        .param(Param::new("PassThru", T::Switch).help("Outputs the new location."))
        .param(Param::new("StackName", T::String))
        .example("The parent folder", "Set-Location ..", "")
        .example("Back", "$here = Get-Location; Set-Location /; Set-Location $here", "");
    let push = Signature::build("Push-Location")
        .aliases(&["pushd"])
        .class("Microsoft.PowerShell.Commands.PushLocationCommand")
        .synopsis("Saves the current folder on a stack, then optionally moves to another.")
        .param(Param::new("Path", T::String).position(0).pipeline().by_property())
        .param(Param::new("LiteralPath", T::String).aliases(&["PSPath"]).by_property())
        .param(Param::new("PassThru", T::Switch))
        .param(Param::new("StackName", T::String))
        .example("Work elsewhere, then come back", "Push-Location /; Pop-Location", "");
    let pop = Signature::build("Pop-Location")
        .aliases(&["popd"])
        .class("Microsoft.PowerShell.Commands.PopLocationCommand")
        .synopsis("Goes back to the folder Push-Location saved last.")
        .param(Param::new("PassThru", T::Switch))
        .param(Param::new("StackName", T::String))
        .example("Work elsewhere, then come back", "Push-Location /; Pop-Location", "");
    vec![
        powershell_cmdlet!(get, get_location),
        powershell_cmdlet!(set, set_location),
        powershell_cmdlet!(push, push_location),
        powershell_cmdlet!(pop, pop_location),
    ]
}

fn get_location(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    if args.switch("Stack") {
        let items: Vec<Value> = STACK.with(|s| s.borrow().iter().rev().map(|p| path_info(&shown(p))).collect());
        return out.emit_all(cx, items);
    }
    out.emit(cx, current_location())
}

/// A PathInfo for `path`.
pub fn path_info(path: &str) -> Value {
    let v = current_location();
    if let Value::Object(o) = &v {
        o.set("ProviderPath", Value::str(path));
        o.set("Path", Value::str(path));
    }
    v
}

/// Moves to the folder the arguments name; `Ok(false)` when an error was
/// written instead.
fn move_to(args: &Args, cx: &mut Session) -> Result<bool> {
    let given = args.string("LiteralPath").or_else(|| args.string("Path"));
    let Some(given) = given else { return Ok(true) };
    let (provider, rest) = split_provider(&given);
    if provider != Provider::FileSystem {
        return Err(ErrorRecord::new(
            format!("mailsh's location is always a folder; it cannot be set to the {} drive.", provider.drive()),
            Category::NotImplemented,
            "LocationNotSupported",
            "PSNotSupportedException",
        )
        .into());
    }
    if let Some(d) = windows_drive(rest) {
        write_error(cx, args, drive_not_found(d))?;
        return Ok(false);
    }
    let literal = args.has("LiteralPath");
    let target = if !literal && crate::runtime::ops::has_wildcard(rest) {
        match super::paths::expand(rest, false).into_iter().find(|p| p.is_dir()) {
            Some(p) => p,
            None => {
                write_error(cx, args, not_found(&shown(&full_path(rest))))?;
                return Ok(false);
            }
        }
    } else {
        full_path(rest)
    };
    if !target.is_dir() {
        write_error(cx, args, not_found(&shown(&target)))?;
        return Ok(false);
    }
    if let Err(e) = std::env::set_current_dir(&target) {
        write_error(cx, args, super::paths::io_error(&shown(&target), &e, "SetLocationIOError"))?;
        return Ok(false);
    }
    Ok(true)
}

fn set_location(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    if move_to(args, cx)? && args.switch("PassThru") {
        out.emit(cx, current_location())?;
    }
    Ok(())
}

fn push_location(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let here = super::paths::current_dir();
    STACK.with(|s| s.borrow_mut().push(here.clone()));
    if !move_to(args, cx)? {
        STACK.with(|s| s.borrow_mut().pop());
        return Ok(());
    }
    if args.switch("PassThru") {
        out.emit(cx, current_location())?;
    }
    Ok(())
}

fn pop_location(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let Some(p) = STACK.with(|s| s.borrow_mut().pop()) else { return Ok(()) };
    if let Err(e) = std::env::set_current_dir(&p) {
        return write_error(cx, args, super::paths::io_error(&shown(&p), &e, "PopLocationIOError"));
    }
    if args.switch("PassThru") {
        out.emit(cx, current_location())?;
    }
    Ok(())
}
