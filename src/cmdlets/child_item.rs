//! Get-ChildItem (gci, ls, dir): the files and folders in a folder (folders
//! first, then files, each by name, as Windows lists them), recursively with
//! -Recurse; or the items of the `Env:`, `Variable:` and `Function:` drives.
//! Names starting with a dot are hidden, as on Unix: shown with -Force or
//! -Hidden.

use std::path::{Path, PathBuf};

use super::common::{string_array, write_error};
use super::item::{drive_item, item_object};
use super::paths::{
    Provider, drive_not_found, expand, full_path, io_error, not_found, path_list, shown, split_provider, windows_drive,
};
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::Result;
use crate::runtime::ops::{has_wildcard, wildcard_match};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Get-ChildItem")
        .aliases(&["gci", "ls", "dir"])
        .class("Microsoft.PowerShell.Commands.GetChildItemCommand")
        .synopsis("The files and folders in a folder (or the variables of Env:, Variable:, Function:).")
        .param(
            Param::new("Path", string_array())
                .position(0)
                .pipeline()
                .by_property()
                .help("The folders (the current one if omitted); wildcards expand."),
        )
        .param(Param::new("LiteralPath", string_array()).aliases(&["PSPath"]).by_property())
        .param(
            Param::new("Filter", T::String)
                .position(1)
                .help("Keeps the items whose name matches this wildcard (*.csv)."),
        )
        .param(Param::new("Include", string_array()))
        .param(Param::new("Exclude", string_array()))
        .param(Param::new("Recurse", T::Switch).aliases(&["s"]).help("Lists sub-folders too, all the way down."))
        .param(Param::new("Depth", T::Int { min: 0, max: u32::MAX as i64 }).help("How many levels -Recurse goes down."))
        .param(Param::new("Force", T::Switch).help("Shows hidden items (names starting with a dot)."))
        .param(Param::new("Name", T::Switch).help("Outputs the names (relative paths) only."))
        .param(Param::new("Attributes", T::String))
        .param(Param::new("Directory", T::Switch).aliases(&["ad", "d"]).help("Folders only."))
        .param(Param::new("File", T::Switch).aliases(&["af"]).help("Files only."))
        .param(Param::new("Hidden", T::Switch).aliases(&["ah", "h"]).help("Hidden items only."))
        .param(Param::new("ReadOnly", T::Switch).aliases(&["ar"]))
        .param(Param::new("System", T::Switch).aliases(&["as"]))
        .example("The current folder", "Get-ChildItem", "")
        .example("CSV files, by name", "Get-ChildItem -Filter *.csv -Name", "")
        .example("Every log file below a folder", "Get-ChildItem -Path . -Filter *.log -Recurse -File", "")
        .example("Environment variables", "Get-ChildItem Env:", "");
    vec![powershell_cmdlet!(sig, get_child_item)]
}

struct Walk<'a> {
    args: &'a Args,
    include: Vec<String>,
    exclude: Vec<String>,
    filter: Option<String>,
    depth: Option<usize>,
    recurse: bool,
}

impl Walk<'_> {
    fn hidden_ok(&self, name: &str) -> bool {
        let hidden = name.starts_with('.');
        if self.args.switch("Hidden") {
            return hidden;
        }
        !hidden || self.args.switch("Force")
    }

    fn wanted(&self, path: &Path, is_dir: bool) -> bool {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !self.hidden_ok(&name) {
            return false;
        }
        if self.args.switch("File") && is_dir || self.args.switch("Directory") && !is_dir {
            return false;
        }
        if self.args.switch("ReadOnly") && !std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
            return false;
        }
        if self.args.switch("System") {
            return false;
        }
        if let Some(f) = &self.filter
            && !wildcard_match(f, &name, false)
        {
            return false;
        }
        if !self.include.is_empty() && !self.include.iter().any(|p| wildcard_match(p, &name, false)) {
            return false;
        }
        !self.exclude.iter().any(|p| wildcard_match(p, &name, false))
    }

    /// Lists `dir`: its wanted children, then (recursing) each sub-folder's.
    fn list(&self, cx: &mut Session, out: &mut Output, dir: &Path, root: &Path, level: usize) -> Result<()> {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return write_error(cx, self.args, io_error(&shown(dir), &e, "DirUnauthorizedAccessError")),
        };
        let mut dirs = Vec::new();
        let mut files = Vec::new();
        for e in entries.filter_map(|e| e.ok()) {
            let p = e.path();
            let is_dir = p.is_dir();
            if is_dir { dirs.push(p) } else { files.push(p) }
        }
        let by_name = |a: &PathBuf, b: &PathBuf| {
            let key = |p: &PathBuf| p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
            key(a).cmp(&key(b))
        };
        dirs.sort_by(by_name);
        files.sort_by(by_name);
        for p in dirs.iter().chain(files.iter()) {
            if self.wanted(p, p.is_dir()) {
                self.emit(cx, out, p, root)?;
            }
        }
        if self.recurse && self.depth.is_none_or(|d| level < d) {
            for d in &dirs {
                let link = d.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink());
                let name = d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if link || (name.starts_with('.') && !self.args.switch("Force") && !self.args.switch("Hidden")) {
                    continue;
                }
                if cx.interrupted() {
                    return Err(crate::runtime::errors::Flow::Interrupted);
                }
                self.list(cx, out, d, root, level + 1)?;
            }
        }
        Ok(())
    }

    fn emit(&self, cx: &mut Session, out: &mut Output, p: &Path, root: &Path) -> Result<()> {
        if self.args.switch("Name") {
            let rel = p.strip_prefix(root).map(|r| r.to_string_lossy().into_owned()).unwrap_or_else(|_| shown(p));
            return out.emit(cx, Value::str(rel));
        }
        match item_object(p, true) {
            Some(v) => out.emit(cx, v),
            None => Ok(()),
        }
    }
}

fn get_child_item(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let literal = args.has("LiteralPath");
    let mut list = path_list(args.get(if literal { "LiteralPath" } else { "Path" }));
    if list.is_empty() {
        list.push(".".into());
    }
    let depth = args.int("Depth").map(|d| d as usize);
    let mut walk = Walk {
        args,
        include: args.strings("Include").unwrap_or_default(),
        exclude: args.strings("Exclude").unwrap_or_default(),
        filter: args.string("Filter"),
        depth,
        recurse: args.switch("Recurse") || depth.is_some(),
    };
    for given in list {
        let (provider, rest) = split_provider(&given);
        if provider != Provider::FileSystem {
            drive_children(cx, out, &provider, rest, &walk)?;
            continue;
        }
        if let Some(d) = windows_drive(rest) {
            write_error(cx, args, drive_not_found(d))?;
            continue;
        }
        let wild = !literal && has_wildcard(rest);
        if wild && walk.recurse {
            // `gci *.log -Recurse`: the leaf is a filter applied all the way down.
            let full = full_path(rest);
            let leaf = full.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let parent = full.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
            if !has_wildcard(&shown(&parent)) {
                walk.include.push(leaf);
                walk.list(cx, out, &parent, &parent, 0)?;
                walk.include.pop();
                continue;
            }
        }
        let found = expand(rest, literal);
        if !wild && found.iter().all(|p| p.symlink_metadata().is_err()) {
            write_error(cx, args, not_found(&shown(&full_path(rest))))?;
            continue;
        }
        for p in found {
            if p.is_dir() && !wild {
                walk.list(cx, out, &p, &p, 0)?;
            } else if walk.wanted(&p, p.is_dir()) || !wild {
                let root = p.parent().map(Path::to_path_buf).unwrap_or_default();
                walk.emit(cx, out, &p, &root)?;
            }
        }
    }
    Ok(())
}

fn drive_children(cx: &mut Session, out: &mut Output, provider: &Provider, pattern: &str, walk: &Walk) -> Result<()> {
    let pattern = if pattern.is_empty() { "*" } else { pattern };
    let mut names: Vec<String> = match provider {
        Provider::Env => std::env::vars_os().map(|(k, _)| k.to_string_lossy().into_owned()).collect(),
        Provider::Variable => cx.variable_names(),
        Provider::Function => cx.scopes.visible_functions().iter().map(|f| f.name.to_string()).collect(),
        _ => vec![],
    };
    names.sort_by_key(|n| n.to_lowercase());
    let mut any = false;
    for name in names {
        if !wildcard_match(pattern, &name, false) {
            continue;
        }
        if let Some(f) = &walk.filter
            && !wildcard_match(f, &name, false)
        {
            continue;
        }
        any = true;
        if walk.args.switch("Name") {
            out.emit(cx, Value::str(&name))?;
        } else if let Some(v) = drive_item(cx, provider, &name) {
            out.emit(cx, v)?;
        }
    }
    if !any && !has_wildcard(pattern) {
        write_error(cx, walk.args, not_found(&format!("{}:\\{pattern}", provider.drive())))?;
    }
    Ok(())
}
