//! Tab completion from the signatures: cmdlet names and aliases, parameter
//! names, enum values, mailbox identities and service names; and from the
//! session: variables (`$Err`), their objects' properties (`$m.Imap`), and
//! file paths (`./sc`, and the values of path parameters).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use reedline::{Completer, CompletionResult, Span, Suggestion};

use crate::runtime::signature::{Param, ParamType};
use crate::store::Store;

pub const SERVICE_NAMES: &[&str] = &["MSExchangeIMAP4", "MSExchangeIMAP4BE", "MSExchangePOP3", "MSExchangePOP3BE"];

/// What the session holds, as the REPL saw it after the last command: each
/// variable's name and, for an object (or a list of them), its properties.
pub type Variables = Arc<Mutex<Vec<(String, Vec<String>)>>>;

/// Automatic variables spelled as PowerShell spells them (the session keys
/// variables in lower case).
const AUTOMATIC: &[&str] = &[
    "ConfirmPreference",
    "DebugPreference",
    "Error",
    "ErrorActionPreference",
    "false",
    "FormatEnumerationLimit",
    "HOME",
    "Host",
    "InformationPreference",
    "MaximumHistoryCount",
    "NestedPromptLevel",
    "null",
    "PID",
    "ProgressPreference",
    "PSCulture",
    "PSUICulture",
    "PSVersionTable",
    "ShellId",
    "true",
    "VerbosePreference",
    "WarningPreference",
    "WhatIfPreference",
];

/// The session's variables for completion: names and object properties.
pub fn variables_of(cx: &crate::runtime::session::Session) -> Vec<(String, Vec<String>)> {
    use crate::runtime::value::Value;
    cx.scopes
        .visible_names()
        .into_iter()
        .map(|key| {
            let shown =
                AUTOMATIC.iter().find(|a| a.eq_ignore_ascii_case(&key)).map_or(key.to_string(), |a| a.to_string());
            let value = cx.get_var(&key);
            let first = match &value {
                Value::Array(items) => items.items().first().cloned(),
                other => Some(other.clone()),
            };
            let props = match first {
                Some(Value::Object(o)) => o.names(),
                _ => Vec::new(),
            };
            (shown, props)
        })
        .collect()
}

pub struct ShellCompleter {
    store_path: PathBuf,
    store: Option<Store>,
    variables: Variables,
}

impl ShellCompleter {
    pub fn new(store_path: PathBuf, variables: Variables) -> ShellCompleter {
        ShellCompleter { store_path, store: None, variables }
    }

    /// The properties of what `upstream` outputs: a cmdlet's declared ones,
    /// or those of a variable's objects.
    fn upstream_properties(&self, upstream: Option<&str>) -> Vec<String> {
        let Some(up) = upstream else { return Vec::new() };
        if let Some(name) = up.strip_prefix('$') {
            let Ok(vars) = self.variables.lock() else { return Vec::new() };
            return vars.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, p)| p.clone()).unwrap_or_default();
        }
        crate::cmdlets::registry()
            .find(up)
            .and_then(|d| d.signature.output_properties)
            .map(|f| f().iter().map(|p| p.to_string()).collect())
            .unwrap_or_default()
    }

    /// `$Err` -> `$Error`; `$m.Imap` -> `$m.ImapEnabled`...
    fn variable_words(&self, word: &str) -> Option<Vec<String>> {
        let rest = word.strip_prefix('$')?;
        let vars = self.variables.lock().ok()?;
        let lower = |s: &str| s.to_ascii_lowercase();
        if let Some((name, member)) = rest.split_once('.') {
            let (_, props) = vars.iter().find(|(n, _)| n.eq_ignore_ascii_case(name))?;
            let mut found: Vec<String> =
                props.iter().filter(|p| lower(p).starts_with(&lower(member))).map(|p| format!("${name}.{p}")).collect();
            found.sort_by_key(|p| lower(p));
            return Some(found);
        }
        let mut found: Vec<String> =
            vars.iter().filter(|(n, _)| lower(n).starts_with(&lower(rest))).map(|(n, _)| format!("${n}")).collect();
        found.sort_by_key(|n| lower(n));
        Some(found)
    }

    fn mailbox_names(&mut self, prefix: &str) -> Vec<String> {
        if self.store.is_none() {
            self.store = Store::open_existing(&self.store_path).ok();
        }
        let Some(store) = self.store.as_ref() else {
            return vec![];
        };
        let pattern = format!("{}*", prefix.trim_matches(['"', '\'']));
        store.resolve_mailboxes(&pattern, 200).map(|v| v.into_iter().map(|m| m.name).collect()).unwrap_or_default()
    }
}

/// The word under the cursor and the tokens of the command it belongs to.
struct Context {
    word_start: usize,
    word: String,
    tokens: Vec<String>,
    /// The first word of the command before `|`, whose objects this one gets.
    upstream: Option<String>,
}

fn context(line: &str, pos: usize) -> Context {
    let before = &line[..pos.min(line.len())];
    let mut seg_start = 0;
    let mut quote: Option<char> = None;
    for (i, c) in before.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '|' | ';' | '(' | '{') => seg_start = i + 1,
            _ => {}
        }
    }
    let upstream = before[..seg_start].strip_suffix('|').and_then(|head| {
        let start = head.rfind(['|', ';', '(', '{']).map_or(0, |i| i + 1);
        head[start..].split_whitespace().next().map(str::to_string)
    });
    let segment = &before[seg_start..];
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut word_start = pos;
    let mut q: Option<char> = None;
    for (i, c) in segment.char_indices() {
        match (q, c) {
            (Some(x), c) if c == x => {
                q = None;
                current.push(c);
            }
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                if current.is_empty() {
                    word_start = seg_start + i;
                }
                q = Some(c);
                current.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            (None, c) => {
                if current.is_empty() {
                    word_start = seg_start + i;
                }
                current.push(c);
            }
        }
    }
    if current.is_empty() {
        word_start = pos;
    }
    Context { word_start, word: current, tokens, upstream }
}

fn quote_if_needed(s: &str) -> String {
    if s.contains(char::is_whitespace) { format!("\"{s}\"") } else { s.to_string() }
}

/// Files and folders that complete `word` (`./sc` -> `./scripts/`), as
/// typed: relative stays relative, folders end in `/`.
fn path_words(word: &str) -> Vec<String> {
    let unquoted = word.trim_matches(['"', '\'']);
    let (dir, prefix) = match unquoted.rfind('/') {
        Some(i) => (&unquoted[..=i], &unquoted[i + 1..]),
        None => ("", unquoted),
    };
    let expanded = match dir.strip_prefix("~/") {
        Some(rest) => format!("{}/{rest}", std::env::var("HOME").unwrap_or_default()),
        None => dir.to_string(),
    };
    let listing = if expanded.is_empty() { "." } else { expanded.as_str() };
    let Ok(entries) = std::fs::read_dir(listing) else { return Vec::new() };
    let mut found: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.to_ascii_lowercase().starts_with(&prefix.to_ascii_lowercase())
                || name.starts_with('.') && !prefix.starts_with('.')
            {
                return None;
            }
            let slash = if e.path().is_dir() { "/" } else { "" };
            Some(quote_if_needed(&format!("{dir}{name}{slash}")))
        })
        .collect();
    found.sort_by_key(|p| p.to_ascii_lowercase());
    found
}

/// Parameters whose values name properties of the piped objects (and
/// Where-Object's first position, which takes a name in `Where-Object Name -eq x`).
fn is_property_param(p: &Param) -> bool {
    matches!(p.name, "Property" | "ExpandProperty" | "GroupBy" | "FilterScript")
}

/// Parameters whose values are file paths.
fn is_path_param(p: &Param) -> bool {
    matches!(p.name, "Path" | "LiteralPath" | "FilePath" | "Destination" | "OutputDirectory")
}

impl ShellCompleter {
    /// (start of the replaced text, candidates)
    pub fn candidates(&mut self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let ctx = context(line, pos);
        let word = ctx.word.clone();
        if let Some(found) = self.variable_words(&word).filter(|f| !f.is_empty()) {
            return (ctx.word_start, found);
        }
        if word.starts_with("./") || word.starts_with("../") || word.starts_with('/') || word.starts_with("~/") {
            return (ctx.word_start, path_words(&word));
        }
        let lower = word.to_ascii_lowercase().trim_matches(['"', '\'']).to_string();
        let starts = |s: &str| s.to_ascii_lowercase().starts_with(&lower);
        let registry = crate::cmdlets::registry();
        if ctx.tokens.is_empty() {
            let mut names: Vec<String> = Vec::new();
            for d in registry.all() {
                if starts(d.signature.name) {
                    names.push(d.signature.name.to_string());
                }
                names.extend(d.signature.aliases.iter().filter(|a| a.len() > 1 && starts(a)).map(|a| a.to_string()));
            }
            names.sort_by_key(|n| n.to_ascii_lowercase());
            return (ctx.word_start, names);
        }
        let Some(def) = registry.find(&ctx.tokens[0]) else {
            return (ctx.word_start, vec![]);
        };
        let sig = &def.signature;
        if let Some(p) = word.strip_prefix('-') {
            let p = p.to_ascii_lowercase();
            let names = sig
                .params
                .iter()
                .filter(|x| x.name.to_ascii_lowercase().starts_with(&p))
                .map(|x| format!("-{}", x.name))
                .collect();
            return (ctx.word_start, names);
        }
        // The value of the parameter named just before, or a positional one.
        let previous = ctx.tokens.last().filter(|t| t.starts_with('-') && ctx.tokens.len() > 1);
        let param: Option<&Param> = match previous {
            Some(t) => crate::runtime::binder::resolve_param(sig, &t[1..])
                .ok()
                .map(|i| &sig.params[i])
                .filter(|p| !p.ty.is_switch()),
            None => {
                let positional_index = ctx.tokens.iter().skip(1).filter(|t| !t.starts_with('-')).count();
                sig.params.iter().find(|p| p.position == Some(positional_index))
            }
        };
        let is_service_command = sig.name.ends_with("-Service") || sig.name.eq_ignore_ascii_case("net");
        let values: Vec<String> = match param.map(|p| p.ty) {
            Some(ParamType::Enum(def) | ParamType::Flags(def)) => {
                def.members.iter().filter(|m| starts(m)).map(|m| m.to_string()).collect()
            }
            Some(ParamType::Bool) => ["$true", "$false"].iter().filter(|m| starts(m)).map(|m| m.to_string()).collect(),
            Some(ParamType::Identity("MailboxIdParameter")) => {
                self.mailbox_names(&word).iter().map(|n| quote_if_needed(n)).collect()
            }
            _ if param.is_some_and(is_path_param) => path_words(&word),
            _ if param.is_some_and(is_property_param) && !word.starts_with('{') => {
                // `Name,Imap<Tab>`: the last name of a list is completed.
                let (done, last) = word.rsplit_once(',').map_or(("", word.as_str()), |(d, l)| (d, l));
                let last = last.to_ascii_lowercase();
                let mut names = self.upstream_properties(ctx.upstream.as_deref());
                names.retain(|n| n.to_ascii_lowercase().starts_with(&last));
                names.sort_by_key(|n| n.to_ascii_lowercase());
                names.dedup();
                names.into_iter().map(|n| if done.is_empty() { n } else { format!("{done},{n}") }).collect()
            }
            _ if is_service_command => {
                let mut v: Vec<String> = SERVICE_NAMES.iter().filter(|m| starts(m)).map(|m| m.to_string()).collect();
                if sig.name.eq_ignore_ascii_case("net") && ctx.tokens.len() == 1 {
                    v = ["start", "stop"].iter().filter(|m| starts(m)).map(|m| m.to_string()).collect();
                }
                v
            }
            _ => vec![],
        };
        (ctx.word_start, values)
    }
}

impl Completer for ShellCompleter {
    fn complete(&mut self, line: &str, pos: usize) -> CompletionResult {
        let (start, values) = self.candidates(line, pos);
        let suggestions: Vec<Suggestion> = values
            .into_iter()
            .map(|value| Suggestion {
                value,
                span: Span::new(start, pos),
                append_whitespace: false,
                ..Default::default()
            })
            .collect();
        CompletionResult::fresh(suggestions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(line: &str) -> Vec<String> {
        let mut c = ShellCompleter::new(PathBuf::from("/nonexistent/store.db"), Variables::default());
        c.candidates(line, line.len()).1
    }

    #[test]
    fn variables_members_and_paths_complete() {
        let vars: Variables = Arc::new(Mutex::new(vec![
            ("Error".to_string(), vec![]),
            ("ErrorActionPreference".to_string(), vec![]),
            (
                "m".to_string(),
                vec!["Name".to_string(), "ImapEnabled".to_string(), "ImapUseProtocolDefaults".to_string()],
            ),
        ]));
        let mut c = ShellCompleter::new(PathBuf::from("/nonexistent/store.db"), vars);
        let mut at = |line: &str| c.candidates(line, line.len());
        assert_eq!(at("$Err"), (0, vec!["$Error".to_string(), "$ErrorActionPreference".to_string()]));
        assert_eq!(
            at("Write-Host $m.imap"),
            (11, vec!["$m.ImapEnabled".to_string(), "$m.ImapUseProtocolDefaults".to_string()])
        );
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::create_dir(dir.path().join("scripts")).expect("a folder");
        std::fs::write(dir.path().join("schedule.csv"), "x").expect("a file");
        let base = dir.path().display().to_string();
        assert_eq!(
            at(&format!("Get-Content -Path {base}/sc")).1,
            vec![format!("{base}/schedule.csv"), format!("{base}/scripts/")]
        );
        assert_eq!(at(&format!("& {base}/scr")).1, vec![format!("{base}/scripts/")]);
    }

    #[test]
    fn cmdlets_parameters_and_values_complete() {
        assert!(complete("Set-CAS").contains(&"Set-CASMailbox".to_string()));
        assert!(complete("get-imap").contains(&"Get-ImapSettings".to_string()));
        assert_eq!(
            complete("Set-CASMailbox -ImapEn"),
            vec!["-ImapEnabled".to_string(), "-ImapEnableExactRFC822Size".to_string()]
        );
        assert_eq!(complete("Set-ImapSettings -LoginType Sec"), vec!["SecureLogin".to_string()]);
        assert_eq!(
            complete("Set-ImapSettings -CalendarItemRetrievalOption i"),
            vec!["iCalendar".to_string(), "intranetUrl".to_string(), "InternetUrl".to_string()]
        );
        assert_eq!(complete("Get-CASMailbox | Set-CASMailbox -PopEnabled $f"), vec!["$false".to_string()]);
        // Property names from what the pipeline carries.
        assert!(complete("Get-CASMailbox | Select-Object -Property ImapEn").contains(&"ImapEnabled".to_string()));
        assert!(complete("Get-CASMailbox | Format-Table Name,PopEn").contains(&"Name,PopEnabled".to_string()));
        assert!(complete("Get-CASMailbox | Where-Object MAPIE").contains(&"MAPIEnabled".to_string()));
        assert!(complete("Get-Mailbox | Sort-Object Prohibit").contains(&"ProhibitSendQuota".to_string()));
        assert_eq!(complete("Get-Service MSExchangeIMAP4 | Select-Object StartT"), vec!["StartType".to_string()]);
    }
}
