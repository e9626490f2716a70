//! Get-Item, New-Item, Remove-Item, Copy-Item, Move-Item and Rename-Item:
//! files and folders as FileInfo and DirectoryInfo objects (PowerShell's
//! properties, Mode included), and the items of the `Env:`, `Variable:` and
//! `Function:` drives.

use std::path::{Path, PathBuf};

use super::common::{string_array, write_error};
use super::content::{Target, drive_value, targets};
use super::paths::{Provider, file_time, full_path, io_error, not_found, shown, split_provider};
use crate::format::views::{DIRECTORY_INFO, FILE_INFO};
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::ConfirmImpact;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

const FS_PROVIDER: &str = "Microsoft.PowerShell.Core\\FileSystem";

fn path_params(sig: Signature, position_zero: bool) -> Signature {
    let path = Param::new("Path", string_array()).pipeline().by_property().help("The items; wildcards expand.");
    sig.param(if position_zero { path.position(0) } else { path })
        .param(
            Param::new("LiteralPath", string_array())
                .aliases(&["PSPath"])
                .by_property()
                .help("The items, taken as written."),
        )
        .param(Param::new("Filter", T::String))
        .param(Param::new("Include", string_array()))
        .param(Param::new("Exclude", string_array()))
        .param(Param::new("Force", T::Switch))
        .param(Param::new("Credential", T::Credential))
}

pub fn definitions() -> Vec<CmdletDef> {
    let get = path_params(
        Signature::build("Get-Item")
            .aliases(&["gi"])
            .class("Microsoft.PowerShell.Commands.GetItemCommand")
            .synopsis("A file or folder (FileInfo, DirectoryInfo), or an environment variable, variable or function."),
        true,
    )
    .param(Param::new("Stream", string_array()))
    .example("A file's size", "Set-Content -Path users.csv -Value 'Name'; (Get-Item -Path users.csv).Length", "")
    .example("An environment variable", "Get-Item -Path Env:\\HOME", "");
    let new = (Signature::build("New-Item")
        .should_process(ConfirmImpact::Medium)
        .aliases(&["ni"])
        .class("Microsoft.PowerShell.Commands.NewItemCommand")
        .synopsis("Creates a file or a folder (or an environment variable or variable).")
        .param(
            Param::new("Path", string_array())
                .position(0)
                .by_property()
                .help("Where to create it (with -Name, the folder)."),
        )
        .param(Param::new("Name", T::String).by_property())
        .param(
            Param::new("ItemType", T::String).aliases(&["Type"]).by_property().help("File (the default) or Directory."),
        )
        .param(Param::new("Value", T::Object).pipeline().by_property().help("The new file's text."))
        .param(
            Param::new("Force", T::Switch)
                .help("Overwrites a file, returns an existing folder, creates missing parent folders."),
        )
        .param(Param::new("Credential", T::Credential)))
    .example("A folder", "New-Item -Path reports -ItemType Directory", "")
    .example("A file with text", "New-Item -Path reports.txt -ItemType File -Value 'first line' | Out-Null", "");
    let mkdir = (Signature::build("mkdir")
        .should_process(ConfirmImpact::Medium)
        .aliases(&["md"])
        .class("Microsoft.PowerShell.Commands.NewItemCommand")
        .synopsis("Creates folders (New-Item -ItemType Directory).")
        .param(Param::new("Path", string_array()).position(0).by_property())
        .param(Param::new("Name", T::String).by_property())
        .param(Param::new("Value", T::Object).pipeline().by_property())
        .param(Param::new("Force", T::Switch))
        .param(Param::new("Credential", T::Credential)))
    .example("A folder for reports", "mkdir reports | Out-Null", "");
    let remove = (path_params(
        Signature::build("Remove-Item")
            .should_process(ConfirmImpact::Medium)
            .aliases(&["rm", "del", "erase", "rd", "ri", "rmdir"])
            .class("Microsoft.PowerShell.Commands.RemoveItemCommand")
            .synopsis("Deletes files and folders (or environment variables, variables, functions)."),
        true,
    )
    .param(Param::new("Recurse", T::Switch).help("Deletes a folder with everything in it.")))
    .example("A file", "Set-Content -Path old.txt -Value 'x'; Remove-Item -Path old.txt", "")
    .example(
        "A folder and its content",
        "New-Item -Path tmp -ItemType Directory | Out-Null; Remove-Item -Path tmp -Recurse",
        "",
    );
    let copy = (path_params(
        Signature::build("Copy-Item")
            .should_process(ConfirmImpact::Medium)
            .aliases(&["copy", "cp", "cpi"])
            .class("Microsoft.PowerShell.Commands.CopyItemCommand")
            .synopsis("Copies files and folders."),
        true,
    )
    .param(Param::new("Destination", T::String).position(1).by_property())
    .param(Param::new("Recurse", T::Switch).help("Copies a folder with everything in it."))
    .param(Param::new("Container", T::Switch))
    .param(Param::new("PassThru", T::Switch)))
    .example(
        "A backup copy",
        "Set-Content -Path users.csv -Value 'Name'; Copy-Item -Path users.csv -Destination users.bak",
        "",
    );
    let move_ = (
        path_params(
            Signature::build("Move-Item")
                .should_process(ConfirmImpact::Medium)
                .aliases(&["move", "mv", "mi"])
                .class("Microsoft.PowerShell.Commands.MoveItemCommand")
                .synopsis("Moves files and folders."),
            true,
        )
        .param(Param::new("Destination", T::String).position(1).by_property())
        .param(Param::new("PassThru", T::Switch))
    )
    .example("Into a folder", "New-Item -Path done -ItemType Directory | Out-Null; Set-Content -Path a.csv -Value 'x'; Move-Item -Path a.csv -Destination done", "");
    let rename = (Signature::build("Rename-Item")
        .should_process(ConfirmImpact::Medium)
        .aliases(&["ren", "rni"])
        .class("Microsoft.PowerShell.Commands.RenameItemCommand")
        .synopsis("Gives a file or folder a new name in the same folder.")
        .param(Param::new("Path", T::String).position(0).pipeline().by_property())
        .param(Param::new("LiteralPath", T::String).aliases(&["PSPath"]).by_property())
        .param(Param::new("NewName", T::String).position(1).mandatory().by_property())
        .param(Param::new("Force", T::Switch))
        .param(Param::new("PassThru", T::Switch))
        .param(Param::new("Credential", T::Credential)))
    .example("A new name", "Set-Content -Path a.log -Value 'x'; Rename-Item -Path a.log -NewName a.old", "");
    vec![
        powershell_cmdlet!(get, get_item),
        powershell_cmdlet!(new, new_item),
        powershell_cmdlet!(mkdir, new_item),
        powershell_cmdlet!(remove, remove_item),
        powershell_cmdlet!(copy, copy_item),
        powershell_cmdlet!(move_, move_item),
        powershell_cmdlet!(rename, rename_item),
    ]
}

/// PowerShell's Mode text: d(irectory) a(rchive) r(ead-only) h(idden)
/// s(ystem) l(ink).
fn mode(is_dir: bool, read_only: bool, hidden: bool, link: bool) -> String {
    let flag = |on: bool, c: char| if on { c } else { '-' };
    [flag(is_dir, 'd'), flag(!is_dir, 'a'), flag(read_only, 'r'), flag(hidden, 'h'), '-', flag(link, 'l')]
        .iter()
        .collect()
}

/// .NET's FileAttributes text (flags in value order).
fn attributes(is_dir: bool, read_only: bool, hidden: bool, link: bool) -> String {
    let mut parts = Vec::new();
    if read_only {
        parts.push("ReadOnly");
    }
    if hidden {
        parts.push("Hidden");
    }
    parts.push(if is_dir { "Directory" } else { "Archive" });
    if link {
        parts.push("ReparsePoint");
    }
    parts.join(", ")
}

/// A FileInfo or DirectoryInfo for an existing path; `None` when it is
/// gone. `nested` adds the Directory / Parent object (one level).
pub fn item_object(path: &Path, nested: bool) -> Option<Value> {
    let link = path.symlink_metadata().ok()?.file_type().is_symlink();
    let meta = std::fs::metadata(path).or_else(|_| path.symlink_metadata()).ok()?;
    let is_dir = meta.is_dir();
    let full = shown(path);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| full.clone());
    let parent = path.parent().map(shown).unwrap_or_default();
    let hidden = name.starts_with('.');
    let read_only = meta.permissions().readonly();
    let (base, extension) = match name.rfind('.') {
        Some(i) if i > 0 && !is_dir => (name[..i].to_string(), name[i..].to_string()),
        Some(0) => (String::new(), name.clone()),
        _ => (name.clone(), String::new()),
    };
    let written = meta.modified().map(file_time).unwrap_or(Value::Null);
    let accessed = meta.accessed().map(file_time).unwrap_or_else(|_| written.clone());
    let created = meta.created().map(file_time).unwrap_or_else(|_| written.clone());
    let up = |p: &str| -> Value {
        if !nested || p.is_empty() {
            return Value::Null;
        }
        item_object(Path::new(p), false).unwrap_or(Value::Null)
    };
    let mut props: Vec<(&'static str, Value)> = vec![
        ("PSPath", Value::str(format!("{FS_PROVIDER}::{full}"))),
        (
            "PSParentPath",
            Value::str(if parent.is_empty() { String::new() } else { format!("{FS_PROVIDER}::{parent}") }),
        ),
        ("PSChildName", Value::str(&name)),
        ("PSDrive", Value::str("/")),
        ("PSProvider", Value::str(FS_PROVIDER)),
        ("PSIsContainer", Value::Bool(is_dir)),
        ("Mode", Value::str(mode(is_dir, read_only, hidden, link))),
        ("BaseName", Value::str(&base)),
        ("Name", Value::str(&name)),
    ];
    if is_dir {
        props.push(("Parent", up(&parent)));
        props.push(("Root", Value::str("/")));
    } else {
        props.push(("Length", Value::Long(meta.len() as i64)));
        props.push(("DirectoryName", Value::str(&parent)));
        props.push(("Directory", up(&parent)));
        props.push(("IsReadOnly", Value::Bool(read_only)));
    }
    props.extend([
        ("Exists", Value::Bool(true)),
        ("FullName", Value::str(&full)),
        ("Extension", Value::str(&extension)),
        ("CreationTime", created),
        ("LastAccessTime", accessed),
        ("LastWriteTime", written),
        ("Attributes", Value::str(attributes(is_dir, read_only, hidden, link))),
    ]);
    Some(super::common::object(if is_dir { DIRECTORY_INFO } else { FILE_INFO }, props))
}

/// An item of the Env:, Variable: or Function: drive.
pub fn drive_item(cx: &Session, provider: &Provider, name: &str) -> Option<Value> {
    let value = drive_value(cx, provider, name)?;
    Some(match provider {
        Provider::Env => {
            let o = crate::runtime::value::custom_object(vec![
                ("Name".into(), Value::str(name)),
                ("Key".into(), Value::str(name)),
                ("Value".into(), value),
            ]);
            if let Value::Object(obj) = &o {
                obj.set_type_name(crate::format::views::DICTIONARY_ENTRY);
            }
            o
        }
        Provider::Variable => super::variable::variable_object(cx, name, value),
        _ => super::common::object(
            "System.Management.Automation.FunctionInfo",
            vec![
                ("CommandType", Value::str("Function")),
                ("Name", Value::str(name)),
                ("Version", Value::str("")),
                ("Source", Value::str("")),
                ("ScriptBlock", value.clone()),
                ("Definition", Value::str(value.to_text())),
            ],
        ),
    })
}

fn get_item(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    for t in targets(args, cx, true)? {
        match t {
            Target::File(p) => match item_object(&p, true) {
                Some(v) => out.emit(cx, v)?,
                None => write_error(cx, args, not_found(&shown(&p)))?,
            },
            Target::Drive(provider, name) => match drive_item(cx, &provider, &name) {
                Some(v) => out.emit(cx, v)?,
                None => write_error(cx, args, not_found(&format!("{}:\\{name}", provider.drive())))?,
            },
        }
    }
    Ok(())
}

fn new_item(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let default = if args.name() == "mkdir" { "Directory" } else { "File" };
    let kind = args.string("ItemType").unwrap_or_else(|| default.into());
    let dir = match kind.to_ascii_lowercase().as_str() {
        "file" => false,
        "directory" => true,
        _ => {
            return Err(ErrorRecord::new(
                "The type is not a known type for the file system. Only \"file\" and \"directory\" can be specified.",
                Category::InvalidArgument,
                "Argument",
                "PSArgumentException",
            )
            .into());
        }
    };
    let mut paths = super::paths::path_list(args.get("Path"));
    if paths.is_empty() {
        paths.push(".".into());
    }
    let force = args.switch("Force");
    for base in paths {
        let given = match args.string("Name") {
            Some(n) => super::path::join(&base, &n),
            None => base.clone(),
        };
        let (provider, rest) = split_provider(&given);
        if provider != Provider::FileSystem {
            new_drive_item(args, cx, out, &provider, rest)?;
            continue;
        }
        if let Some(d) = super::paths::windows_drive(rest) {
            write_error(cx, args, super::paths::drive_not_found(d))?;
            continue;
        }
        let p = full_path(rest);
        let shown_path = shown(&p);
        let operation = if dir { "Create Directory" } else { "Create File" };
        if !cx.should_process_action(args, operation, &format!("Destination: {shown_path}"))? {
            continue;
        }
        let created = if dir { create_dir(&p, force) } else { create_file(&p, args.get("Value"), force) };
        match created {
            Ok(()) => {
                if let Some(v) = item_object(&p, true) {
                    out.emit(cx, v)?;
                }
            }
            Err(e) => write_error(cx, args, e)?,
        }
    }
    Ok(())
}

#[allow(clippy::result_large_err)] // the record goes to write_error as it is
fn create_dir(p: &Path, force: bool) -> std::result::Result<(), ErrorRecord> {
    let shown_path = shown(p);
    if p.exists() {
        if force && p.is_dir() {
            return Ok(());
        }
        let mut rec = ErrorRecord::new(
            format!("An item with the specified name {shown_path} already exists."),
            Category::ResourceExists,
            "DirectoryExist",
            "IOException",
        )
        .with_target(shown_path.clone(), "String");
        rec.target_object = Some(Box::new(Value::str(&shown_path)));
        return Err(rec);
    }
    std::fs::create_dir_all(p).map_err(|e| io_error(&shown_path, &e, "CreateDirectoryIOError"))
}

#[allow(clippy::result_large_err)] // the record goes to write_error as it is
fn create_file(p: &Path, value: Option<&Value>, force: bool) -> std::result::Result<(), ErrorRecord> {
    let shown_path = shown(p);
    if p.exists() && (!force || p.is_dir()) {
        let mut rec = ErrorRecord::new(
            format!("The file '{shown_path}' already exists."),
            Category::WriteError,
            "NewItemIOError",
            "IOException",
        )
        .with_target(shown_path.clone(), "String");
        rec.target_object = Some(Box::new(Value::str(&shown_path)));
        return Err(rec);
    }
    if force && let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error(&shown_path, &e, "NewItemIOError"))?;
    }
    let text = value.map(Value::to_text).unwrap_or_default();
    std::fs::write(p, text).map_err(|e| io_error(&shown_path, &e, "NewItemIOError"))
}

fn new_drive_item(args: &Args, cx: &mut Session, out: &mut Output, provider: &Provider, name: &str) -> Result<()> {
    let value = args.get("Value").cloned().unwrap_or(Value::Null);
    match provider {
        Provider::Env => cx.set_var(&format!("env:{name}"), value)?,
        Provider::Variable => cx.set_var(name, value)?,
        other => {
            return Err(ErrorRecord::new(
                format!("mailsh cannot create items on the {} drive.", other.drive()),
                Category::NotImplemented,
                "NotSupported",
                "PSNotSupportedException",
            )
            .into());
        }
    }
    if let Some(v) = drive_item(cx, provider, name) {
        out.emit(cx, v)?;
    }
    Ok(())
}

fn remove_item(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    for t in targets(args, cx, true)? {
        match t {
            Target::File(p) => remove_one(args, cx, &p)?,
            Target::Drive(provider, name) => {
                if drive_value(cx, &provider, &name).is_none() {
                    write_error(cx, args, not_found(&name))?;
                    continue;
                }
                match provider {
                    Provider::Env => cx.set_var(&format!("env:{name}"), Value::Null)?,
                    Provider::Variable => super::variable::remove(cx, args, &name, args.switch("Force"))?,
                    Provider::Function => {
                        let key = name.to_lowercase();
                        let at = (0..cx.scopes.depth())
                            .rev()
                            .find(|i| cx.scopes.frame(*i).functions.contains_key(key.as_str()));
                        if let Some(i) = at {
                            cx.scopes.frame_mut(i).functions.remove(key.as_str());
                        }
                    }
                    Provider::Alias | Provider::FileSystem => {}
                }
            }
        }
    }
    Ok(())
}

fn remove_one(args: &Args, cx: &mut Session, p: &Path) -> Result<()> {
    let shown_path = shown(p);
    let is_dir = p.is_dir() && !p.symlink_metadata().map(|m| m.file_type().is_symlink()).unwrap_or(false);
    let operation = if is_dir { "Remove Directory" } else { "Remove File" };
    if !cx.should_process_action(args, operation, &shown_path)? {
        return Ok(());
    }
    let result = if is_dir {
        let has_children = std::fs::read_dir(p).map(|mut d| d.next().is_some()).unwrap_or(false);
        if has_children && !args.switch("Recurse") {
            let question = format!(
                "The item at {shown_path} has children and the Recurse parameter was not specified. If you continue, all children will be removed with the item. Are you sure you want to continue?"
            );
            if !cx.host.interactive() || cx.non_interactive {
                return write_error(cx, args, non_interactive().with_target(shown_path.clone(), "String"));
            }
            if !cx.confirm_prompt(&question)? {
                return Ok(());
            }
        }
        std::fs::remove_dir_all(p)
    } else {
        std::fs::remove_file(p)
    };
    match result {
        Ok(()) => Ok(()),
        Err(e) => write_error(cx, args, io_error(&shown_path, &e, "RemoveFileSystemItemIOError")),
    }
}

pub use crate::runtime::should_process::non_interactive;

/// Where a copy or move of `src` to `dest` lands: into `dest` when it is a
/// folder, else `dest` itself.
fn landing(src: &Path, dest: &Path) -> PathBuf {
    match (dest.is_dir(), src.file_name()) {
        (true, Some(name)) => dest.join(name),
        _ => dest.to_path_buf(),
    }
}

fn copy_tree(src: &Path, dest: &Path, recurse: bool) -> std::io::Result<()> {
    if !src.is_dir() {
        std::fs::copy(src, dest)?;
        return Ok(());
    }
    std::fs::create_dir_all(dest)?;
    if !recurse {
        return Ok(());
    }
    for entry in std::fs::read_dir(src)? {
        let entry = entry?;
        copy_tree(&entry.path(), &dest.join(entry.file_name()), true)?;
    }
    Ok(())
}

fn destination(args: &Args, cx: &mut Session) -> Result<Option<PathBuf>> {
    let given = args.string("Destination").unwrap_or_else(|| ".".into());
    let (provider, rest) = split_provider(&given);
    if provider != Provider::FileSystem {
        return Err(ErrorRecord::new(
            format!("mailsh copies and moves files and folders only, not items of the {} drive.", provider.drive()),
            Category::NotImplemented,
            "NotSupported",
            "PSNotSupportedException",
        )
        .into());
    }
    if let Some(d) = super::paths::windows_drive(rest) {
        write_error(cx, args, super::paths::drive_not_found(d))?;
        return Ok(None);
    }
    Ok(Some(full_path(rest)))
}

fn file_sources(args: &Args, cx: &mut Session) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for t in targets(args, cx, true)? {
        match t {
            Target::File(p) => out.push(p),
            Target::Drive(provider, _) => {
                return Err(ErrorRecord::new(
                    format!(
                        "mailsh copies and moves files and folders only, not items of the {} drive.",
                        provider.drive()
                    ),
                    Category::NotImplemented,
                    "NotSupported",
                    "PSNotSupportedException",
                )
                .into());
            }
        }
    }
    Ok(out)
}

fn copy_item(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let Some(dest) = destination(args, cx)? else { return Ok(()) };
    for src in file_sources(args, cx)? {
        let to = landing(&src, &dest);
        let kind = if src.is_dir() { "Directory" } else { "File" };
        let target = format!("Item: {} Destination: {}", shown(&src), shown(&to));
        if !cx.should_process_action(args, &format!("Copy {kind}"), &target)? {
            continue;
        }
        if to == src {
            write_error(
                cx,
                args,
                ErrorRecord::new(
                    format!("Cannot overwrite the item {} with itself.", shown(&src)),
                    Category::WriteError,
                    "CopyError",
                    "IOException",
                )
                .with_target(shown(&src), "String"),
            )?;
            continue;
        }
        if let Err(e) = copy_tree(&src, &to, args.switch("Recurse")) {
            write_error(cx, args, io_error(&shown(&to), &e, "CopyDirectoryInfoItemIOError"))?;
            continue;
        }
        if args.switch("PassThru")
            && let Some(v) = item_object(&to, true)
        {
            out.emit(cx, v)?;
        }
    }
    Ok(())
}

fn already_exists(path: &str, error_id: &str) -> ErrorRecord {
    ErrorRecord::new(
        "Cannot create a file when that file already exists.",
        Category::WriteError,
        error_id,
        "IOException",
    )
    .with_target(path, "String")
}

/// A rename, or a copy and delete when the destination is on another
/// file system.
fn relocate(src: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::rename(src, to) {
        Ok(()) => Ok(()),
        Err(e) if e.raw_os_error() == Some(libc::EXDEV) => {
            copy_tree(src, to, true)?;
            if src.is_dir() { std::fs::remove_dir_all(src) } else { std::fs::remove_file(src) }
        }
        Err(e) => Err(e),
    }
}

fn move_item(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let Some(dest) = destination(args, cx)? else { return Ok(()) };
    for src in file_sources(args, cx)? {
        let to = landing(&src, &dest);
        let kind = if src.is_dir() { "Directory" } else { "File" };
        let target = format!("Item: {} Destination: {}", shown(&src), shown(&to));
        if !cx.should_process_action(args, &format!("Move {kind}"), &target)? {
            continue;
        }
        if to.exists() && to != src {
            if !args.switch("Force") || to.is_dir() {
                write_error(
                    cx,
                    args,
                    already_exists(
                        &shown(&src),
                        if src.is_dir() { "MoveDirectoryItemIOError" } else { "MoveFileInfoItemIOError" },
                    ),
                )?;
                continue;
            }
            let _ = std::fs::remove_file(&to);
        }
        if let Err(e) = relocate(&src, &to) {
            write_error(cx, args, io_error(&shown(&src), &e, "MoveFileInfoItemIOError"))?;
            continue;
        }
        if args.switch("PassThru")
            && let Some(v) = item_object(&to, true)
        {
            out.emit(cx, v)?;
        }
    }
    Ok(())
}

fn rename_item(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let literal = args.has("LiteralPath");
    let given = args.string(if literal { "LiteralPath" } else { "Path" }).unwrap_or_default();
    let (provider, rest) = split_provider(&given);
    if provider != Provider::FileSystem {
        return Err(ErrorRecord::new(
            format!("mailsh renames files and folders only, not items of the {} drive.", provider.drive()),
            Category::NotImplemented,
            "NotSupported",
            "PSNotSupportedException",
        )
        .into());
    }
    let src = full_path(rest);
    if src.symlink_metadata().is_err() {
        return write_error(cx, args, not_found(&shown(&src)));
    }
    let new_name = args.string("NewName").unwrap_or_default();
    let parent = src.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
    let to = if new_name.contains(['/', '\\']) {
        let p = full_path(&new_name);
        if p.parent() != Some(parent.as_path()) {
            return Err(ErrorRecord::new(
                "Cannot rename the specified target, because it represents a path or device name.",
                Category::InvalidArgument,
                "Argument",
                "PSArgumentException",
            )
            .into());
        }
        p
    } else {
        parent.join(&new_name)
    };
    let kind = if src.is_dir() { "Directory" } else { "File" };
    if !cx.should_process_action(
        args,
        &format!("Rename {kind}"),
        &format!("Item: {} Destination: {}", shown(&src), shown(&to)),
    )? {
        return Ok(());
    }
    if to.exists() && to != src {
        return write_error(cx, args, already_exists(&shown(&src), "RenameItemIOError"));
    }
    if let Err(e) = std::fs::rename(&src, &to) {
        return write_error(cx, args, io_error(&shown(&src), &e, "RenameItemIOError"));
    }
    if args.switch("PassThru")
        && let Some(v) = item_object(&to, true)
    {
        out.emit(cx, v)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_and_attributes_follow_windows() {
        assert_eq!(mode(true, false, false, false), "d-----");
        assert_eq!(mode(false, false, false, false), "-a----");
        assert_eq!(mode(false, true, true, false), "-arh--");
        assert_eq!(attributes(false, true, false, false), "ReadOnly, Archive");
        assert_eq!(attributes(true, false, false, true), "Directory, ReparsePoint");
    }
}
