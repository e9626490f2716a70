//! What the item, content and location cmdlets share: which provider a path
//! names (the file system, or the `Variable:`, `Env:` and `Function:`
//! drives), how a file-system path becomes a full path (either separator,
//! `~`, relative to the current folder), wildcard expansion, and
//! PowerShell's path errors.
//!
//! Paths are Unix paths; a backslash separates folders as a slash does, so
//! scripts written for Windows (`.\reports\today.csv`) find their files.

use std::path::{Component, Path, PathBuf};

use crate::runtime::errors::{Category, ErrorRecord};
use crate::runtime::ops::{has_wildcard, wildcard_match};
use crate::runtime::value::{DateTime, Value};

/// The drive a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provider {
    FileSystem,
    Variable,
    Env,
    Function,
    Alias,
}

impl Provider {
    /// The drive name as PowerShell prints it (`Env`, `Variable`).
    pub fn drive(&self) -> &'static str {
        match self {
            Provider::FileSystem => "FileSystem",
            Provider::Variable => "Variable",
            Provider::Env => "Env",
            Provider::Function => "Function",
            Provider::Alias => "Alias",
        }
    }
}

/// Splits `Env:\PATH` into its drive and the name after it; anything else
/// is a file-system path (`FileSystem::/x` too).
pub fn split_provider(path: &str) -> (Provider, &str) {
    let mut rest = path;
    for prefix in ["Microsoft.PowerShell.Core\\FileSystem::", "FileSystem::"] {
        if rest.len() >= prefix.len() && rest[..prefix.len()].eq_ignore_ascii_case(prefix) {
            return (Provider::FileSystem, &rest[prefix.len()..]);
        }
    }
    for (name, provider) in [
        ("variable:", Provider::Variable),
        ("env:", Provider::Env),
        ("function:", Provider::Function),
        ("alias:", Provider::Alias),
    ] {
        if rest.len() >= name.len()
            && rest.is_char_boundary(name.len())
            && rest[..name.len()].eq_ignore_ascii_case(name)
        {
            rest = &rest[name.len()..];
            return (provider, rest.trim_start_matches(['\\', '/']));
        }
    }
    (Provider::FileSystem, path)
}

/// The current folder (PowerShell's location): the process's own.
pub fn current_dir() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"))
}

/// A file-system path as typed, made full: either separator, `~` for the
/// home folder, relative to the current folder, `.` and `..` resolved
/// without following links (as PowerShell resolves them).
pub fn full_path(given: &str) -> PathBuf {
    let unified = given.replace('\\', "/");
    let expanded = match unified.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            format!("{}{rest}", std::env::var("HOME").unwrap_or_default())
        }
        _ => unified,
    };
    let p = Path::new(&expanded);
    let joined = if p.is_absolute() { p.to_path_buf() } else { current_dir().join(p) };
    normalize(&joined)
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    out
}

/// A path as messages and objects show it.
pub fn shown(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The paths a `-Path` argument names: wildcards expanded (sorted, hidden
/// entries only when the pattern asks for them), else the one full path,
/// which may not exist.
pub fn expand(given: &str, literal: bool) -> Vec<PathBuf> {
    if literal || !has_wildcard(given) {
        return vec![full_path(given)];
    }
    let full = full_path(given);
    let mut found = vec![PathBuf::from("/")];
    for c in full.components() {
        let Component::Normal(name) = c else { continue };
        let name = name.to_string_lossy();
        let mut next = Vec::new();
        for base in &found {
            if has_wildcard(&name) {
                let Ok(entries) = std::fs::read_dir(base) else { continue };
                let mut hits: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok())
                    .filter(|e| {
                        let n = e.file_name().to_string_lossy().into_owned();
                        (!n.starts_with('.') || name.starts_with('.')) && wildcard_match(&name, &n, false)
                    })
                    .map(|e| e.path())
                    .collect();
                hits.sort();
                next.extend(hits);
            } else {
                let p = base.join(&*name);
                if p.symlink_metadata().is_ok() {
                    next.push(p);
                }
            }
        }
        found = next;
    }
    found
}

/// `Cannot find path 'X' because it does not exist.` (ItemNotFoundException)
pub fn not_found(path: &str) -> ErrorRecord {
    let mut rec = ErrorRecord::new(
        format!("Cannot find path '{path}' because it does not exist."),
        Category::ObjectNotFound,
        "PathNotFound",
        "ItemNotFoundException",
    )
    .with_target(path, "String");
    rec.target_object = Some(Box::new(Value::str(path)));
    rec
}

/// `Cannot find drive. A drive with the name 'X' does not exist.`
pub fn drive_not_found(drive: &str) -> ErrorRecord {
    let mut rec = ErrorRecord::new(
        format!("Cannot find drive. A drive with the name '{drive}' does not exist."),
        Category::ObjectNotFound,
        "DriveNotFound",
        "DriveNotFoundException",
    )
    .with_target(drive, "String");
    rec.target_object = Some(Box::new(Value::str(drive)));
    rec
}

/// A file-system failure (permissions, a full disk) as an error record
/// naming the path.
pub fn io_error(path: &str, e: &std::io::Error, error_id: &str) -> ErrorRecord {
    let (message, category, reason) = match e.kind() {
        std::io::ErrorKind::PermissionDenied => (
            format!("Access to the path '{path}' is denied."),
            Category::PermissionDenied,
            "UnauthorizedAccessException",
        ),
        std::io::ErrorKind::NotFound => (
            format!("Could not find a part of the path '{path}'."),
            Category::ObjectNotFound,
            "DirectoryNotFoundException",
        ),
        _ => (format!("{}: '{path}'.", io_message(e)), Category::WriteError, "IOException"),
    };
    let mut rec = ErrorRecord::new(message, category, error_id, reason).with_target(path, "String");
    rec.target_object = Some(Box::new(Value::str(path)));
    rec
}

/// An OS error's text without Rust's ` (os error N)` suffix.
fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Whether a drive-qualified name (`C:`) starts the path: Windows drives do
/// not exist here, and PowerShell's error for them is DriveNotFound.
pub fn windows_drive(given: &str) -> Option<&str> {
    let b = given.as_bytes();
    (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':').then(|| &given[..1])
}

/// The paths of -Path (or -LiteralPath) with PowerShell's binding errors
/// for none, `$null` and empty strings.
pub fn required_paths(
    args: &crate::runtime::command::Args,
    param: &str,
) -> crate::runtime::errors::Result<Vec<String>> {
    let raw = args.get(param);
    let list = path_list(raw);
    if raw.is_none() {
        return Err(ErrorRecord::missing_mandatory(&[param]).into());
    }
    if list.is_empty() || list.iter().any(|p| p.is_empty()) {
        let (what, id) = if matches!(raw, Some(Value::Null)) {
            ("null", "ParameterArgumentValidationErrorNullNotAllowed")
        } else {
            ("an empty string", "ParameterArgumentValidationErrorEmptyStringNotAllowed")
        };
        return Err(ErrorRecord::new(
            format!("Cannot bind argument to parameter '{param}' because it is {what}."),
            Category::InvalidData,
            id,
            "ParameterBindingValidationException",
        )
        .into());
    }
    Ok(list)
}

/// A path argument that may hold several paths (`-Path a.txt, b.txt`).
pub fn path_list(v: Option<&Value>) -> Vec<String> {
    match v {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a.snapshot().iter().map(Value::to_text).collect(),
        Some(other) => vec![other.to_text()],
    }
}

/// A file time as a local DateTime.
pub fn file_time(t: std::time::SystemTime) -> Value {
    let (secs, nanos) = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos() as i64),
        Err(e) => (-(e.duration().as_secs() as i64), 0),
    };
    match DateTime::from_unix_seconds(secs) {
        Ok(d) => Value::DateTime(DateTime { ticks: d.ticks + nanos / 100, kind: d.kind }.to_local_time()),
        Err(_) => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drives_are_recognised_with_either_separator() {
        assert_eq!(split_provider("Env:\\PATH"), (Provider::Env, "PATH"));
        assert_eq!(split_provider("variable:/x"), (Provider::Variable, "x"));
        assert_eq!(split_provider("Function:f"), (Provider::Function, "f"));
        assert_eq!(split_provider("reports\\a.csv"), (Provider::FileSystem, "reports\\a.csv"));
    }

    #[test]
    fn full_paths_resolve_dots_and_backslashes() {
        assert_eq!(full_path("/a/b/../c\\.\\d"), PathBuf::from("/a/c/d"));
        assert_eq!(full_path("/.."), PathBuf::from("/"));
    }

    #[test]
    fn drive_letters_are_spotted() {
        assert_eq!(windows_drive("C:\\Scripts"), Some("C"));
        assert_eq!(windows_drive("/tmp"), None);
    }
}
