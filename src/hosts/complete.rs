//! Tab completion from the signatures: cmdlet names and aliases, parameter
//! names, enum values, mailbox identities and service names.

use std::path::PathBuf;

use reedline::{Completer, CompletionResult, Span, Suggestion};

use crate::runtime::signature::{Param, ParamType};
use crate::store::Store;

pub const SERVICE_NAMES: &[&str] = &["MSExchangeIMAP4", "MSExchangeIMAP4BE", "MSExchangePOP3", "MSExchangePOP3BE"];

pub struct ShellCompleter {
    store_path: PathBuf,
    store: Option<Store>,
}

impl ShellCompleter {
    pub fn new(store_path: PathBuf) -> ShellCompleter {
        ShellCompleter { store_path, store: None }
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
    Context { word_start, word: current, tokens }
}

fn quote_if_needed(s: &str) -> String {
    if s.contains(char::is_whitespace) { format!("\"{s}\"") } else { s.to_string() }
}

impl ShellCompleter {
    /// (start of the replaced text, candidates)
    pub fn candidates(&mut self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let ctx = context(line, pos);
        let word = ctx.word.clone();
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
            Some(ParamType::Enum(def)) => def.members.iter().filter(|m| starts(m)).map(|m| m.to_string()).collect(),
            Some(ParamType::Bool) => ["$true", "$false"].iter().filter(|m| starts(m)).map(|m| m.to_string()).collect(),
            Some(ParamType::Identity("MailboxIdParameter")) => {
                self.mailbox_names(&word).iter().map(|n| quote_if_needed(n)).collect()
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
        let mut c = ShellCompleter::new(PathBuf::from("/nonexistent/store.db"));
        c.candidates(line, line.len()).1
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
    }
}
