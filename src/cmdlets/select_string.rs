//! Select-String (sls): lines of text or files that match a regular
//! expression (or a plain string with -SimpleMatch), as MatchInfo objects
//! that print as `file:line:text` (relative to the current folder on the
//! console) or, for piped text, as the line.

use super::common::{string_array, write_error};
use super::content::{Target, name_passes};
use super::file_encoding::{ENCODING, Encoding};
use super::paths::{Provider, expand, full_path, not_found, path_list, shown, split_provider};
use crate::format::views::{FILE_INFO, MATCH_INFO};
use crate::runtime::command::{Args, CmdletDef, Output, Processor};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::members::regex_matches;
use crate::runtime::ops::regex_ops;
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Select-String")
        .aliases(&["sls"])
        .class("Microsoft.PowerShell.Commands.SelectStringCommand")
        .synopsis("Finds the lines of text or files that match a pattern (a regular expression).")
        .param(Param::new("Pattern", string_array()).position(0).mandatory().help("Regular expressions; a line matching any of them is kept."))
        .param(Param::new("Path", string_array()).position(1).by_property().help("Files to search; wildcards expand."))
        .param(Param::new("LiteralPath", string_array()).aliases(&["PSPath"]).by_property())
        .param(Param::new("InputObject", T::Object).pipeline().help("Text to search (each piped string is a line)."))
        .param(Param::new("SimpleMatch", T::Switch).help("The patterns are plain text, not regular expressions."))
        .param(Param::new("CaseSensitive", T::Switch))
        .param(Param::new("NotMatch", T::Switch).help("Keeps the lines that do not match."))
        .param(Param::new("AllMatches", T::Switch).help("Every match in a line, not just the first, in Matches."))
        .param(Param::new("Context", super::common::object_array()).help("Lines of context before and after each match: N, or N, M."))
        .param(Param::new("List", T::Switch).help("Only the first match in each file."))
        .param(Param::new("Quiet", T::Switch).help("Outputs True when something matched, else False."))
        .param(Param::new("Include", string_array()))
        .param(Param::new("Exclude", string_array()))
        .param(Param::new("Encoding", T::Enum(&ENCODING)))
        .example("Errors in a log", "Set-Content -Path imap.log -Value 'OK start', 'ERROR bind'; Select-String -Path imap.log -Pattern '^ERROR'", "")
        .example("Matching names", "Get-CASMailbox | ForEach-Object Name | Select-String -Pattern 'smith' -SimpleMatch", "");
    vec![powershell_cmdlet!(sig, || SelectString { any: false, count: 0, buffered: Vec::new() })]
}

struct SelectString {
    any: bool,
    /// Piped objects seen: a piped line's number.
    count: usize,
    /// Piped lines kept for -Context, searched at the end.
    buffered: Vec<String>,
}

/// The compiled patterns, or the plain texts of -SimpleMatch.
enum Matcher {
    Regex(Vec<(String, std::rc::Rc<regex::Regex>)>),
    Simple(Vec<String>, bool),
}

impl Matcher {
    fn new(args: &Args) -> Result<Matcher> {
        let patterns = args.strings("Pattern").unwrap_or_default();
        let case_sensitive = args.switch("CaseSensitive");
        if args.switch("SimpleMatch") {
            return Ok(Matcher::Simple(patterns, case_sensitive));
        }
        let mut out = Vec::new();
        for p in patterns {
            let re = regex_ops::compile(&p, !case_sensitive)?;
            out.push((p, re));
        }
        Ok(Matcher::Regex(out))
    }

    /// The pattern that matched and the Match objects of the line.
    fn find(&self, line: &str, all: bool) -> Option<(String, Vec<Value>)> {
        match self {
            Matcher::Regex(list) => list.iter().find(|(_, re)| re.is_match(line)).map(|(p, re)| {
                let mut matches = regex_matches(re, line).into_items();
                if !all {
                    matches.truncate(1);
                }
                (p.clone(), matches)
            }),
            Matcher::Simple(list, cs) => list
                .iter()
                .find(|p| if *cs { line.contains(p.as_str()) } else { line.to_lowercase().contains(&p.to_lowercase()) })
                .map(|p| (p.clone(), Vec::new())),
        }
    }
}

/// Where lines come from: the name and path a MatchInfo records.
struct Source {
    filename: String,
    path: String,
    /// The number of the first line searched.
    first: usize,
}

fn stream(first: usize) -> Source {
    Source { filename: "InputStream".into(), path: "InputStream".into(), first }
}

fn context_of(args: &Args) -> (usize, usize) {
    let Some(v) = args.get("Context") else { return (0, 0) };
    let n: Vec<usize> = v.clone().into_items().iter().map(|x| x.to_text().trim().parse().unwrap_or(0)).collect();
    match n.as_slice() {
        [] => (0, 0),
        [both] => (*both, *both),
        [pre, post, ..] => (*pre, *post),
    }
}

impl SelectString {
    fn search(
        &mut self,
        args: &Args,
        cx: &mut Session,
        out: &mut Output,
        matcher: &Matcher,
        lines: &[String],
        source: &Source,
    ) -> Result<()> {
        let (pre, post) = context_of(args);
        for (i, line) in lines.iter().enumerate() {
            let found = matcher.find(line, args.switch("AllMatches"));
            let keep = found.is_some() != args.switch("NotMatch");
            if !keep {
                continue;
            }
            self.any = true;
            if args.switch("Quiet") {
                return Ok(());
            }
            let (pattern, matches) = match found {
                Some(f) => f,
                None => (args.strings("Pattern").unwrap_or_default().first().cloned().unwrap_or_default(), vec![]),
            };
            let context = if pre + post > 0 {
                let before: Vec<Value> = lines[i.saturating_sub(pre)..i].iter().map(Value::str).collect();
                let after: Vec<Value> =
                    lines[(i + 1).min(lines.len())..(i + 1 + post).min(lines.len())].iter().map(Value::str).collect();
                super::common::object(
                    "Microsoft.PowerShell.Commands.MatchInfoContext",
                    vec![
                        ("PreContext", Value::array(before.clone())),
                        ("PostContext", Value::array(after.clone())),
                        ("DisplayPreContext", Value::array(before)),
                        ("DisplayPostContext", Value::array(after)),
                    ],
                )
            } else {
                Value::Null
            };
            let info = super::common::object(
                MATCH_INFO,
                vec![
                    ("IgnoreCase", Value::Bool(!args.switch("CaseSensitive"))),
                    ("LineNumber", Value::Int((source.first + i) as i32)),
                    ("Line", Value::str(line)),
                    ("Filename", Value::str(&source.filename)),
                    ("Path", Value::str(&source.path)),
                    ("Pattern", Value::str(pattern)),
                    ("Context", context),
                    ("Matches", Value::array(matches)),
                ],
            );
            out.emit(cx, info)?;
            if args.switch("List") {
                break;
            }
        }
        Ok(())
    }

    fn search_file(
        &mut self,
        args: &Args,
        cx: &mut Session,
        out: &mut Output,
        matcher: &Matcher,
        p: &std::path::Path,
    ) -> Result<()> {
        let enc = Encoding::from_arg(args.get("Encoding"))?;
        if p.is_dir() {
            return Ok(());
        }
        let bytes = match std::fs::read(p) {
            Ok(b) => b,
            Err(e) => return write_error(cx, args, super::paths::io_error(&shown(p), &e, "ProcessingFile")),
        };
        let lines = super::content::lines(&enc.decode(&bytes));
        let source = Source {
            filename: p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            path: shown(p),
            first: 1,
        };
        self.search(args, cx, out, matcher, &lines, &source)
    }
}

impl Processor for SelectString {
    fn process(&mut self, args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
        let matcher = Matcher::new(args)?;
        if args.has("Path") || args.has("LiteralPath") {
            for t in file_targets(args, cx)? {
                if let Target::File(p) = t {
                    self.search_file(args, cx, out, &matcher, &p)?;
                }
            }
            return Ok(());
        }
        let Some(v) = input.or(args.get("InputObject")) else { return Ok(()) };
        if let Value::Object(o) = v
            && o.is_type(FILE_INFO)
        {
            let path = o.get("FullName").map(|f| f.to_text()).unwrap_or_default();
            return self.search_file(args, cx, out, &matcher, std::path::Path::new(&path));
        }
        if v.is_null() {
            return Ok(());
        }
        self.count += 1;
        let line = v.to_text();
        if context_of(args) != (0, 0) {
            // Context reaches across piped lines: search them all at the end.
            self.buffered.push(line);
            return Ok(());
        }
        self.search(args, cx, out, &matcher, &[line], &stream(self.count))
    }

    fn end(&mut self, args: &Args, cx: &mut Session, out: &mut Output) -> Result<()> {
        if !self.buffered.is_empty() {
            let lines = std::mem::take(&mut self.buffered);
            let matcher = Matcher::new(args)?;
            self.search(args, cx, out, &matcher, &lines, &stream(1))?;
        }
        if args.switch("Quiet") {
            out.emit(cx, Value::Bool(self.any))?;
        }
        Ok(())
    }
}

/// The files of -Path / -LiteralPath; those missing are reported.
fn file_targets(args: &Args, cx: &mut Session) -> Result<Vec<Target>> {
    let literal = args.has("LiteralPath");
    let mut out = Vec::new();
    for given in path_list(args.get(if literal { "LiteralPath" } else { "Path" })) {
        let (provider, rest) = split_provider(&given);
        if provider != Provider::FileSystem {
            return Err(ErrorRecord::new(
                format!("Select-String searches files only, not the {} drive.", provider.drive()),
                Category::NotImplemented,
                "NotSupported",
                "PSNotSupportedException",
            )
            .into());
        }
        let wild = !literal && crate::runtime::ops::has_wildcard(rest);
        let found: Vec<_> = expand(rest, literal).into_iter().filter(|p| p.symlink_metadata().is_ok()).collect();
        if found.is_empty() && !wild {
            write_error(cx, args, not_found(&shown(&full_path(rest))))?;
            continue;
        }
        out.extend(found.into_iter().filter(|p| name_passes(args, p)).map(Target::File));
    }
    Ok(out)
}
