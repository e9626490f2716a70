//! Test-Path, Join-Path, Split-Path, Resolve-Path and Convert-Path: paths
//! as text, and whether they exist (files and folders, and the `Env:`,
//! `Variable:` and `Function:` drives).
//!
//! Join-Path and Split-Path work on the text alone, with either separator:
//! a path that uses `/` keeps `/`, others get PowerShell's `\` (mailsh's
//! file cmdlets read both).

use super::common::{string_array, write_error};
use super::content::drive_value;
use super::location::path_info;
use super::paths::{Provider, expand, full_path, not_found, required_paths, shown, split_provider, windows_drive};
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::has_wildcard;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{EnumDef, Value};

pub static TEST_PATH_TYPE: EnumDef =
    EnumDef { type_name: "Microsoft.PowerShell.Commands.TestPathType", members: &["Any", "Container", "Leaf"] };

pub fn definitions() -> Vec<CmdletDef> {
    let test = Signature::build("Test-Path")
        .class("Microsoft.PowerShell.Commands.TestPathCommand")
        .synopsis("Whether a file, folder, variable, environment variable or function exists: True or False.")
        .param(
            Param::new("Path", string_array())
                .position(0)
                .pipeline()
                .by_property()
                .help("What to look for; wildcards expand."),
        )
        .param(Param::new("LiteralPath", string_array()).aliases(&["PSPath"]).by_property())
        .param(
            Param::new("PathType", T::Enum(&TEST_PATH_TYPE))
                .aliases(&["Type"])
                .help("Leaf (a file), Container (a folder) or Any."),
        )
        .param(Param::new("IsValid", T::Switch).help("Whether the path is well formed, whether or not it exists."))
        .param(Param::new("Filter", T::String))
        .param(Param::new("Include", string_array()))
        .param(Param::new("Exclude", string_array()))
        .param(Param::new("OlderThan", super::common::datetime()))
        .param(Param::new("NewerThan", super::common::datetime()))
        .param(Param::new("Credential", T::Credential))
        .example("A file", "Test-Path -Path users.csv", "")
        .example("A folder", "Test-Path -Path . -PathType Container", "")
        .example("A variable", "if (-not (Test-Path Variable:\\report)) { $report = @() }", "");
    let join = Signature::build("Join-Path")
        .class("Microsoft.PowerShell.Commands.JoinPathCommand")
        .synopsis("Joins a path and a child path with one separator between them.")
        .param(Param::new("Path", string_array()).position(0).mandatory().by_property().aliases(&["PSPath"]))
        .param(Param::new("ChildPath", T::String).position(1).mandatory().by_property())
        .param(Param::new("Resolve", T::Switch).help("Outputs the full paths of the existing items the result names."))
        .param(Param::new("Credential", T::Credential))
        .example("A file in a folder", "Join-Path -Path reports -ChildPath today.csv", "");
    let split = Signature::build("Split-Path")
        .class("Microsoft.PowerShell.Commands.SplitPathCommand")
        .synopsis("A part of a path: its parent folder (the default), its leaf, its drive.")
        .param(Param::new("Path", string_array()).position(0).pipeline().by_property())
        .param(Param::new("LiteralPath", string_array()).aliases(&["PSPath"]).by_property())
        .param(Param::new("Parent", T::Switch))
        .param(Param::new("Leaf", T::Switch))
        .param(Param::new("Qualifier", T::Switch))
        .param(Param::new("NoQualifier", T::Switch))
        .param(Param::new("IsAbsolute", T::Switch))
        .param(Param::new("Resolve", T::Switch))
        .param(Param::new("Credential", T::Credential))
        .example("The file name", "Split-Path -Path /var/log/mailsh/imap.log -Leaf", "")
        .example("The folder", "Split-Path -Path /var/log/mailsh/imap.log", "");
    let resolve = Signature::build("Resolve-Path")
        .aliases(&["rvpa"])
        .class("Microsoft.PowerShell.Commands.ResolvePathCommand")
        .synopsis("The full paths an existing path (with wildcards) names, as PathInfo objects.")
        .param(Param::new("Path", string_array()).position(0).mandatory().pipeline().by_property())
        .param(Param::new("LiteralPath", string_array()).aliases(&["PSPath"]).by_property())
        .param(Param::new("Relative", T::Switch).help("Paths relative to the current folder, as strings."))
        .param(Param::new("Credential", T::Credential))
        .example(
            "The full path of a file",
            "Set-Content -Path users.csv -Value 'Name'; Resolve-Path -Path users.csv",
            "",
        );
    let convert = Signature::build("Convert-Path")
        .aliases(&["cvpa"])
        .class("Microsoft.PowerShell.Commands.ConvertPathCommand")
        .synopsis("The full paths an existing path (with wildcards) names, as strings.")
        .param(Param::new("Path", string_array()).position(0).mandatory().pipeline().by_property())
        .param(Param::new("LiteralPath", string_array()).aliases(&["PSPath"]).by_property())
        .example("The current folder as text", "Convert-Path .", "");
    vec![
        powershell_cmdlet!(test, test_path),
        powershell_cmdlet!(join, join_path),
        powershell_cmdlet!(split, split_path),
        powershell_cmdlet!(resolve, resolve_path),
        powershell_cmdlet!(convert, resolve_path),
    ]
}

fn test_path(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let literal = args.has("LiteralPath");
    let list = required_paths(args, if literal { "LiteralPath" } else { "Path" })?;
    let kind = args.string("PathType").unwrap_or_else(|| "Any".into()).to_ascii_lowercase();
    for given in list {
        let found =
            if args.switch("IsValid") { !given.contains('\0') } else { exists(args, cx, &given, literal, &kind) };
        out.emit(cx, Value::Bool(found))?;
    }
    Ok(())
}

fn exists(args: &Args, cx: &Session, given: &str, literal: bool, kind: &str) -> bool {
    let (provider, rest) = split_provider(given);
    if provider != Provider::FileSystem {
        // The drive itself is a container; what is in it, leaves.
        if rest.is_empty() {
            return kind != "leaf";
        }
        return kind != "container" && drive_value(cx, &provider, rest).is_some();
    }
    if windows_drive(rest).is_some() {
        return false;
    }
    let older = args.get("OlderThan").cloned();
    let newer = args.get("NewerThan").cloned();
    expand(rest, literal).iter().any(|p| {
        let Ok(meta) = std::fs::metadata(p) else { return false };
        let type_ok = match kind {
            "leaf" => !meta.is_dir(),
            "container" => meta.is_dir(),
            _ => true,
        };
        let written = meta.modified().ok().map(super::paths::file_time);
        let date_ok = |bound: &Option<Value>, older: bool| match (bound, &written) {
            (Some(Value::DateTime(b)), Some(Value::DateTime(w))) => {
                if older {
                    w.ticks < b.ticks
                } else {
                    w.ticks > b.ticks
                }
            }
            _ => true,
        };
        type_ok && date_ok(&older, true) && date_ok(&newer, false) && super::content::name_passes(args, p)
    })
}

/// The separator a joined path uses: `/` for a Unix path (rooted at `/`,
/// or written with `/` only), else PowerShell's `\`.
fn separator_of(parent: &str, child: &str) -> char {
    let unix = |t: &str| t.contains('/') && !t.contains('\\');
    if parent.starts_with('/') || unix(parent) || (unix(child) && !parent.contains('\\')) { '/' } else { '\\' }
}

fn is_sep(c: char) -> bool {
    c == '/' || c == '\\'
}

pub fn join(parent: &str, child: &str) -> String {
    let sep = separator_of(parent, child);
    let head = parent.trim_end_matches(is_sep);
    let tail = child.trim_start_matches(is_sep);
    let joined = if parent.is_empty() {
        tail.to_string()
    } else if tail.is_empty() {
        format!("{head}{sep}")
    } else {
        format!("{head}{sep}{tail}")
    };
    joined.replace(if sep == '/' { '\\' } else { '/' }, &sep.to_string())
}

fn join_path(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let child = args.string("ChildPath").unwrap_or_default();
    for parent in required_paths(args, "Path")? {
        let joined = join(&parent, &child);
        if args.switch("Resolve") {
            for p in resolved(args, cx, &joined, false)? {
                out.emit(cx, Value::str(shown(&p)))?;
            }
        } else {
            out.emit(cx, Value::str(joined))?;
        }
    }
    Ok(())
}

/// The drive or provider qualifier of a path (`C:`, `Env:`), if any.
fn qualifier(path: &str) -> Option<&str> {
    let colon = path.find(':')?;
    let head = &path[..colon];
    (!head.is_empty() && !head.contains(is_sep)).then(|| &path[..=colon])
}

/// Split-Path's parent: everything before the last separator; a root keeps
/// its separator (`C:\`, `/`); a name alone has no parent ("").
pub fn parent(path: &str) -> String {
    let q = qualifier(path).unwrap_or("");
    let body = &path[q.len()..];
    let trimmed = body.trim_end_matches(is_sep);
    match trimmed.rfind(is_sep) {
        Some(i) => {
            let head = trimmed[..i].trim_end_matches(is_sep);
            if head.is_empty() { format!("{q}{}", &trimmed[i..=i]) } else { format!("{q}{head}") }
        }
        None if body.starts_with(is_sep) && !trimmed.is_empty() => format!("{q}{}", &body[..1]),
        None => String::new(),
    }
}

pub fn leaf(path: &str) -> String {
    let q = qualifier(path).unwrap_or("");
    let body = path[q.len()..].trim_end_matches(is_sep);
    match body.rfind(is_sep) {
        Some(i) => body[i + 1..].to_string(),
        None => body.to_string(),
    }
}

fn split_path(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let literal = args.has("LiteralPath");
    let list = required_paths(args, if literal { "LiteralPath" } else { "Path" })?;
    for given in list {
        let paths: Vec<String> = if args.switch("Resolve") {
            resolved(args, cx, &given, literal)?.iter().map(|p| shown(p)).collect()
        } else {
            vec![given.clone()]
        };
        for path in paths {
            let v = if args.switch("IsAbsolute") {
                Value::Bool(path.starts_with(is_sep) || qualifier(&path).is_some())
            } else if args.switch("Leaf") {
                Value::str(leaf(&path))
            } else if args.switch("Qualifier") {
                match qualifier(&path) {
                    Some(q) => Value::str(q),
                    None => {
                        write_error(
                            cx,
                            args,
                            ErrorRecord::new(
                                format!("Cannot parse path because path '{path}' does not have a qualifier specified."),
                                Category::InvalidArgument,
                                "ParsePathFormatError",
                                "PSArgumentException",
                            )
                            .with_target(path.clone(), "String"),
                        )?;
                        continue;
                    }
                }
            } else if args.switch("NoQualifier") {
                Value::str(&path[qualifier(&path).map(str::len).unwrap_or(0)..])
            } else {
                Value::str(parent(&path))
            };
            out.emit(cx, v)?;
        }
    }
    Ok(())
}

/// The existing items a path names, with PowerShell's error for none.
fn resolved(args: &Args, cx: &mut Session, given: &str, literal: bool) -> Result<Vec<std::path::PathBuf>> {
    let (provider, rest) = split_provider(given);
    if provider != Provider::FileSystem {
        return Err(ErrorRecord::new(
            format!("mailsh resolves file-system paths only, not paths on the {} drive.", provider.drive()),
            Category::NotImplemented,
            "ProviderNotSupported",
            "PSNotSupportedException",
        )
        .into());
    }
    if let Some(d) = windows_drive(rest) {
        write_error(cx, args, super::paths::drive_not_found(d))?;
        return Ok(vec![]);
    }
    let found: Vec<_> = expand(rest, literal).into_iter().filter(|p| p.symlink_metadata().is_ok()).collect();
    if found.is_empty() {
        let shown_path = if !literal && has_wildcard(rest) { rest.to_string() } else { shown(&full_path(rest)) };
        write_error(cx, args, not_found(&shown_path))?;
    }
    Ok(found)
}

fn resolve_path(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let literal = args.has("LiteralPath");
    let as_text = args.name() == "Convert-Path";
    for given in required_paths(args, if literal { "LiteralPath" } else { "Path" })? {
        for p in resolved(args, cx, &given, literal)? {
            let full = shown(&p);
            let v = if args.switch("Relative") {
                Value::str(relative(&p))
            } else if as_text {
                Value::str(full)
            } else {
                path_info(&full)
            };
            out.emit(cx, v)?;
        }
    }
    Ok(())
}

/// A path relative to the current folder, as Resolve-Path -Relative
/// writes it (`./x`, `../x`).
fn relative(p: &std::path::Path) -> String {
    let here = super::paths::current_dir();
    let a: Vec<_> = here.components().collect();
    let b: Vec<_> = p.components().collect();
    let common = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
    let ups = a.len() - common;
    let rest: Vec<String> = b[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let mut parts: Vec<String> = if ups == 0 { vec![".".into()] } else { vec!["..".into(); ups] };
    parts.extend(rest);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_keeps_one_separator_of_the_path_style() {
        assert_eq!(join("reports", "today.csv"), "reports\\today.csv");
        assert_eq!(join("logs\\", "\\imap.log"), "logs\\imap.log");
        assert_eq!(join("/var/log/", "/imap.log"), "/var/log/imap.log");
        assert_eq!(join("/var/log", "a\\b"), "/var/log/a/b");
    }

    #[test]
    fn split_parent_and_leaf_as_powershell() {
        assert_eq!(parent("C:\\Scripts\\run.ps1"), "C:\\Scripts");
        assert_eq!(parent("reports\\today.csv"), "reports");
        assert_eq!(parent("run.ps1"), "");
        assert_eq!(parent("C:\\Scripts"), "C:\\");
        assert_eq!(parent("/tmp/x"), "/tmp");
        assert_eq!(parent("/tmp"), "/");
        assert_eq!(leaf("C:\\Scripts\\run.ps1"), "run.ps1");
        assert_eq!(leaf("/tmp/dir/"), "dir");
        assert_eq!(qualifier("Env:\\PATH"), Some("Env:"));
        assert_eq!(qualifier("/tmp"), None);
    }
}
