//! Replays `.ps1` transcripts (mailsh's own or Windows PowerShell's) command
//! by command in a fresh store and compares the output with what was
//! recorded. Expected text may hold wildcards: `[..]` for part of a line,
//! a line `...` for any number of lines. Transcripts that start services
//! take their ports from variables the replayer sets (`PORT_VARIABLES`).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::language::parse_script;
use crate::runtime::pipeline::Outcome;
use crate::runtime::session::{Host, Session, Source};
use crate::runtime::transcript::STARS;
use crate::runtime::value::Value;
use crate::store::CreateOptions;

/// The variables set before a transcript's first command, for the ports of
/// the services it starts: (variable, environment variable, default). The
/// environment lets a test run hand out ports no other run is using; the
/// defaults are those the examples were recorded with (the README's tour
/// uses 11143 too).
pub const PORT_VARIABLES: [(&str, &str, u16); 11] = [
    ("ImapPort", "MAILSH_IMAP_PORT", 11143),
    ("ImapSslPort", "MAILSH_IMAP_SSL_PORT", 11993),
    ("ImapProxyPort", "MAILSH_IMAP_PROXY_PORT", 11994),
    ("PopPort", "MAILSH_POP_PORT", 11110),
    ("PopSslPort", "MAILSH_POP_SSL_PORT", 11995),
    ("PopProxyPort", "MAILSH_POP_PROXY_PORT", 11996),
    // The receive connectors: Default Frontend (25), Client Frontend
    // (587), Outbound Proxy Frontend (717), Default (2525), Client Proxy
    // (465).
    ("SmtpPort", "MAILSH_SMTP_PORT", 11025),
    ("SubmissionPort", "MAILSH_SUBMISSION_PORT", 11587),
    ("OutboundProxyPort", "MAILSH_OUTBOUND_PROXY_PORT", 11717),
    ("TransportPort", "MAILSH_TRANSPORT_PORT", 12525),
    ("ClientProxyPort", "MAILSH_CLIENT_PROXY_PORT", 11465),
];

/// The port variables' values, from `environment` (a lookup of environment
/// variables) or their defaults; an error names a value that is not a port.
pub fn port_variables(environment: impl Fn(&str) -> Option<String>) -> Result<Vec<(&'static str, u16)>, String> {
    PORT_VARIABLES
        .iter()
        .map(|&(name, env, default)| match environment(env) {
            None => Ok((name, default)),
            Some(text) => match text.trim().parse::<u16>() {
                Ok(port) if port > 0 => Ok((name, port)),
                _ => Err(format!("{env} is {text:?}, not a port number (1 to 65535).")),
            },
        })
        .collect()
}

/// One command of a transcript and the output recorded after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// 1-based line of the prompt in the file.
    pub line: usize,
    pub prompt: String,
    pub command: String,
    pub expected: Vec<String>,
}

#[derive(Debug, Default, PartialEq)]
pub struct Transcript {
    pub machine: Option<String>,
    /// `Console Width: N` in mailsh's header: the columns output was laid out in.
    pub width: Option<usize>,
    /// `Directory: PostgreSQL` in mailsh's header: the transcript works on
    /// several servers of one organization, so it replays only on a
    /// directory on PostgreSQL.
    pub needs_directory: bool,
    /// Lines before the first command, kept as they are by -Update.
    pub preamble: Vec<String>,
    pub entries: Vec<Entry>,
    /// The closing block, kept by -Update.
    pub trailer: Vec<String>,
}

/// `PS>`, `PS C:\...>`, `[PS] C:\...>`, `[PS] CAS01>`, and any of them after
/// a remote session's `[MBX01]: `: returns (prompt, command).
pub fn split_prompt(line: &str) -> Option<(String, String)> {
    let own = remote_session_prefix(line).map_or(line, |p| &line[p.len()..]);
    let starts =
        own.starts_with("PS>") || own.starts_with("PS ") || own.starts_with("[PS] ") || own.starts_with("[PS]>");
    if !starts {
        return None;
    }
    let at = line.len() - own.len() + own.find('>')?;
    let rest = &line[at + 1..];
    let command = rest.strip_prefix(' ').unwrap_or(rest);
    Some((line[..=at].to_string() + if rest.starts_with(' ') { " " } else { "" }, command.to_string()))
}

/// `[MBX01]: `, what PowerShell puts before a remote session's prompt.
fn remote_session_prefix(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('[')?;
    let end = rest.find("]: ")?;
    let computer = &rest[..end];
    let fits = !computer.is_empty() && computer.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    fits.then(|| &line[..end + 4])
}

pub fn parse_transcript(text: &str) -> Transcript {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut t = Transcript::default();
    let mut i = 0;
    if lines.first().is_some_and(|l| l.trim_end() == STARS) {
        // The header block: up to the next line of stars.
        t.preamble.push(lines[0].to_string());
        i = 1;
        while i < lines.len() {
            let l = lines[i];
            t.preamble.push(l.to_string());
            i += 1;
            if let Some(m) = l.strip_prefix("Machine: ") {
                t.machine = m.split_whitespace().next().map(|s| s.to_string());
            }
            if let Some(w) = l.strip_prefix("Console Width: ") {
                t.width = w.trim().parse().ok();
            }
            if l.strip_prefix("Directory: ").is_some_and(|d| d.trim().eq_ignore_ascii_case("PostgreSQL")) {
                t.needs_directory = true;
            }
            if l.trim_end() == STARS {
                break;
            }
        }
    }
    let mut current: Option<Entry> = None;
    while i < lines.len() {
        let l = lines[i];
        let line_no = i + 1;
        i += 1;
        if l.trim_end() == STARS {
            let next = lines.get(i).map(|s| s.trim_end()).unwrap_or("");
            if next.ends_with("transcript end") {
                t.trailer = lines[i - 1..].iter().map(|s| s.to_string()).collect();
                break;
            }
            if next.starts_with("Command start time:") {
                i += 2;
                continue;
            }
        }
        if let Some((prompt, command)) = split_prompt(l) {
            if let Some(e) = current.take() {
                t.entries.push(e);
            }
            current = Some(Entry { line: line_no, prompt, command, expected: vec![] });
            continue;
        }
        match current.as_mut() {
            Some(e) if e.expected.is_empty() && l.starts_with(">> ") => {
                e.command.push('\n');
                e.command.push_str(&l[3..]);
            }
            Some(e) => e.expected.push(l.to_string()),
            None => t.preamble.push(l.to_string()),
        }
    }
    if let Some(e) = current.take() {
        t.entries.push(e);
    }
    t
}

/// Compares one line with a pattern where `[..]` matches any text.
pub fn line_matches(pattern: &str, actual: &str) -> bool {
    let parts: Vec<&str> = pattern.split("[..]").collect();
    if parts.len() == 1 {
        return pattern == actual;
    }
    let mut rest = actual;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// Whether `actual` lines match `expected` lines, with `...` for any lines.
pub fn block_matches(expected: &[String], actual: &[String]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| block_matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            actual.split_first().is_some_and(|(a, more)| line_matches(first, a) && block_matches(rest, more))
        }
    }
}

fn normalize(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = lines.iter().map(|l| l.trim_end().to_string()).collect();
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// A unified diff of two small blocks (longest common subsequence).
pub fn unified_diff(expected: &[String], actual: &[String]) -> String {
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if line_matches(&expected[i], &actual[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < n || j < m {
        if i < n && j < m && line_matches(&expected[i], &actual[j]) {
            out.push_str(&format!(" {}\n", actual[j]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+{}\n", actual[j]));
            j += 1;
        } else {
            out.push_str(&format!("-{}\n", expected[i]));
            i += 1;
        }
    }
    out
}

/// Collects stdout and stderr in order, as a transcript records them.
struct Capture {
    buffer: Rc<RefCell<String>>,
    width: usize,
}

impl Host for Capture {
    fn write_out(&mut self, text: &str) {
        self.buffer.borrow_mut().push_str(text);
    }
    fn write_err(&mut self, text: &str) {
        self.buffer.borrow_mut().push_str(text);
    }
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        None
    }
    fn interactive(&self) -> bool {
        false
    }
    fn width(&self) -> usize {
        self.width
    }
}

pub struct Failure {
    pub entry: Entry,
    /// Compared lines (trailing blank lines dropped).
    pub actual: Vec<String>,
    /// Every line as printed, for -Update.
    pub printed: Vec<String>,
}

/// The domain the transcript's output shows: the server's FQDN
/// (`CAS01.mailsh.local`), else a canonical name (`mailsh.local/Users/...`);
/// so a transcript recorded on any store replays on a store like it.
pub fn recorded_domain(t: &Transcript) -> Option<String> {
    let is_domain_char = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    let machine = t.machine.as_deref().unwrap_or("CAS01").to_ascii_lowercase();
    let fqdn_prefix = format!("{machine}.");
    let lines = || t.entries.iter().flat_map(|e| e.expected.iter());
    for line in lines() {
        let lower = line.to_ascii_lowercase();
        let mut from = 0;
        while let Some(at) = lower[from..].find(&fqdn_prefix) {
            let start = from + at;
            let boundary = start == 0 || !lower[..start].ends_with(is_domain_char);
            let rest: String = line[start + fqdn_prefix.len()..].chars().take_while(|c| is_domain_char(*c)).collect();
            let rest = rest.trim_end_matches('.');
            if boundary && rest.contains('.') {
                return Some(rest.to_string());
            }
            from = start + fqdn_prefix.len();
        }
    }
    for line in lines() {
        if let Some(at) = line.find("/Users/") {
            let domain: String = line[..at].chars().rev().take_while(|c| is_domain_char(*c)).collect();
            let domain: String = domain.chars().rev().collect();
            if domain.contains('.') {
                return Some(domain);
            }
        }
    }
    None
}

/// Runs one transcript in a fresh store (`store_path`: a scratch SQLite
/// file, or a scratch database on PostgreSQL), with `ports` (from
/// `port_variables`) set; returns the failing commands.
pub fn replay_one(path: &Path, transcript: &Transcript, store_path: &Path, ports: &[(&str, u16)]) -> Vec<Failure> {
    let store_path = store_path.to_path_buf();
    let buffer = Rc::new(RefCell::new(String::new()));
    let options = CreateOptions {
        server_name: Some(transcript.machine.clone().unwrap_or_else(|| "CAS01".to_string())),
        domain: Some(recorded_domain(transcript).unwrap_or_else(|| "contoso.com".to_string())),
        roles: None,
        address: None,
    };
    let mut cx = super::session::new_session(
        store_path.clone(),
        options,
        Box::new(Capture { buffer: buffer.clone(), width: transcript.width.unwrap_or(120) }),
    );
    cx.non_interactive = true;
    if let Ok(exe) = std::env::current_exe() {
        cx.exe = exe;
    }
    for &(name, port) in ports {
        // Plain names are never read-only: setting them cannot fail.
        let _ = cx.set_var(name, Value::Int(port.into()));
    }
    let script_dir = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let mut failures = Vec::new();
    for entry in &transcript.entries {
        let command = entry.command.trim();
        if command.eq_ignore_ascii_case("Stop-Transcript") {
            continue;
        }
        buffer.borrow_mut().clear();
        cx.source = Rc::new(Source { text: entry.command.clone(), path: None, first_line: 1 });
        let stop = with_dir(&script_dir, || match parse_script(&entry.command) {
            Ok(script) => matches!(super::session::run_shown(&mut cx, &script), Outcome::Exit(_)),
            Err(e) => {
                super::batch::report_parse_error(&mut cx, &e);
                false
            }
        });
        let text = buffer.borrow().clone();
        let mut printed: Vec<String> = text.split('\n').map(|s| s.trim_end().to_string()).collect();
        if printed.last().is_some_and(|l| l.is_empty()) {
            printed.pop();
        }
        let actual = normalize(&printed);
        let expected = normalize(&entry.expected);
        if !block_matches(&expected, &actual) {
            failures.push(Failure { entry: entry.clone(), actual, printed });
        }
        if stop {
            break;
        }
    }
    stop_services(&mut cx);
    failures
}

/// Commands run with the transcript's folder as the current directory, so
/// relative paths in them work from anywhere.
fn with_dir<T>(dir: &Path, f: impl FnOnce() -> T) -> T {
    let old = std::env::current_dir().ok();
    let moved = !dir.as_os_str().is_empty() && std::env::set_current_dir(dir).is_ok();
    let out = f();
    if moved && let Some(o) = old {
        let _ = std::env::set_current_dir(o);
    }
    out
}

/// Stops every service a transcript started (their state is per store),
/// on every server of the organization it made.
fn stop_services(cx: &mut Session) {
    let servers = match cx.store() {
        Ok(store) if store.is_postgres() => {
            store.exchange_servers().map(|all| all.into_iter().map(|s| s.name).collect()).unwrap_or_default()
        }
        _ => Vec::new(),
    };
    for name in &servers {
        crate::store::answer_for(name);
        crate::hosts::services_hook::stop_all(&cx.exe, &cx.store_path);
    }
    if let Some(name) = &cx.create_options.server_name {
        crate::store::answer_for(name);
    }
    crate::hosts::services_hook::stop_all(&cx.exe, &cx.store_path);
}

fn collect(paths: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        let path = PathBuf::from(p);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("ps1")))
                        .collect()
                })
                .unwrap_or_default();
            files.sort();
            out.extend(files);
        } else {
            out.push(path);
        }
    }
    out
}

/// Rewrites the expected output of the failing commands in place.
fn update_file(path: &Path, t: &Transcript, failures: &[Failure]) -> std::io::Result<()> {
    let mut lines: Vec<String> = t.preamble.clone();
    for e in &t.entries {
        let mut cmd_lines = e.command.split('\n');
        lines.push(format!("{}{}", e.prompt, cmd_lines.next().unwrap_or("")));
        lines.extend(cmd_lines.map(|l| format!(">> {l}")));
        match failures.iter().find(|f| f.entry.line == e.line) {
            Some(f) => lines.extend(f.printed.iter().cloned()),
            None => lines.extend(e.expected.iter().cloned()),
        }
    }
    lines.extend(t.trailer.iter().cloned());
    let mut text = lines.join("\n");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    std::fs::write(path, text)
}

/// Where a transcript runs: a scratch folder, and in it a SQLite file, or
/// a scratch database on the PostgreSQL server of `directory` (then the
/// folder holds what the transcript's server keeps locally).
struct Scratch {
    folder: PathBuf,
    store: PathBuf,
    database: Option<(String, String)>,
}

impl Scratch {
    fn make(n: usize, directory: Option<&str>, machine: &str) -> Result<Scratch, String> {
        let folder = std::env::temp_dir().join(format!("mailsh-replay-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).map_err(|e| format!("cannot create a scratch store: {e}"))?;
        let Some(url) = directory else {
            return Ok(Scratch { store: folder.join("config.db"), folder, database: None });
        };
        let name = format!("mailsh_replay_{}_{n}", std::process::id());
        let made = crate::store::pg::create_scratch_database(url, &name)
            .map_err(|e| format!("cannot create a scratch database: {e}"))?;
        crate::store::use_data_home(&folder);
        crate::store::answer_for(machine);
        Ok(Scratch { store: PathBuf::from(made), folder, database: Some((url.to_string(), name)) })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some((url, name)) = &self.database
            && let Err(e) = crate::store::pg::drop_scratch_database(url, name)
        {
            println!("could not drop the scratch database {name}: {e}");
        }
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// Replays `paths`; each transcript in a store of its own, a scratch
/// database on the PostgreSQL server of `store` when it names one.
pub fn run(paths: &[String], update: bool, store: Option<&Path>) -> i32 {
    let ports = match port_variables(|name| std::env::var(name).ok()) {
        Ok(ports) => ports,
        Err(e) => {
            eprintln!("{e}");
            return 64;
        }
    };
    let directory = store.and_then(|s| s.to_str()).filter(|s| crate::store::pg::is_url(s));
    let files = collect(paths);
    let (mut passed, mut skipped, mut failed) = (0, 0, 0);
    for (n, file) in files.iter().enumerate() {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                println!("FAIL {}: cannot read it: {e}", file.display());
                failed += 1;
                continue;
            }
        };
        let transcript = parse_transcript(&text);
        if transcript.needs_directory && directory.is_none() {
            println!(
                "SKIP {}: it works on several servers of one organization; replay it on a directory (-Store postgresql://...)",
                file.display()
            );
            skipped += 1;
            continue;
        }
        let machine = transcript.machine.clone().unwrap_or_else(|| "CAS01".to_string());
        let scratch = match Scratch::make(n, directory, &machine) {
            Ok(s) => s,
            Err(e) => {
                println!("FAIL {}: {e}", file.display());
                failed += 1;
                continue;
            }
        };
        let failures = replay_one(file, &transcript, &scratch.store, &ports);
        drop(scratch);
        if failures.is_empty() {
            println!("PASS {} ({} commands)", file.display(), transcript.entries.len());
            passed += 1;
            continue;
        }
        failed += 1;
        println!("FAIL {}", file.display());
        for f in &failures {
            println!("--- {}:{} expected", file.display(), f.entry.line);
            println!("+++ actual");
            println!("@@ line {}: {} @@", f.entry.line, f.entry.command.replace('\n', " "));
            print!("{}", unified_diff(&normalize(&f.entry.expected), &f.actual));
        }
        if update {
            match update_file(file, &transcript, &failures) {
                Ok(()) => println!("UPDATED {}", file.display()),
                Err(e) => println!("could not update {}: {e}", file.display()),
            }
        }
    }
    println!("{passed} passed, {skipped} skipped, {failed} failed");
    if failed > 0 { 1 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_domain_comes_from_the_output() {
        let t = parse_transcript(
            "[PS] CAS01>Get-CASMailbox nobody\nThe operation couldn't be performed because object 'nobody' couldn't be found on 'cas01.mailsh.local'.\n",
        );
        assert_eq!(recorded_domain(&t).as_deref(), Some("mailsh.local"));
        let t = parse_transcript(
            "[PS] CAS01>Get-CASMailbox x | Set-CASMailbox -WhatIf\nWhat if: Setting Client Access server mailbox \"fabrikam.net/Users/X\".\n",
        );
        assert_eq!(recorded_domain(&t).as_deref(), Some("fabrikam.net"));
        let t = parse_transcript("[PS] CAS01>'hello'\nhello\n");
        assert_eq!(recorded_domain(&t), None);
    }

    #[test]
    fn prompts_of_every_kind_are_recognized() {
        assert_eq!(
            split_prompt("[MBX01]: PS>Start-Service MSExchangeIMAP4BE"),
            Some(("[MBX01]: PS>".into(), "Start-Service MSExchangeIMAP4BE".into()))
        );
        assert_eq!(
            split_prompt("[mbx01.contoso.com]: PS C:\\Users\\admin> Get-Service"),
            Some(("[mbx01.contoso.com]: PS C:\\Users\\admin> ".into(), "Get-Service".into()))
        );
        assert_eq!(split_prompt("[MBX01]: hello>"), None);
        assert_eq!(
            split_prompt("[PS] C:\\Windows\\system32>Get-CASMailbox"),
            Some(("[PS] C:\\Windows\\system32>".into(), "Get-CASMailbox".into()))
        );
        assert_eq!(
            split_prompt("PS C:\\Users\\admin> Get-Service"),
            Some(("PS C:\\Users\\admin> ".into(), "Get-Service".into()))
        );
        assert_eq!(split_prompt("PS>fl"), Some(("PS>".into(), "fl".into())));
        assert_eq!(split_prompt("Name : John"), None);
    }

    #[test]
    fn wildcards_match_parts_and_runs_of_lines() {
        assert!(line_matches("Start time: [..]", "Start time: 20261121101500"));
        assert!(line_matches("[..]Smith[..]", "John Smith True"));
        assert!(!line_matches("Start [..] x", "Start time"));
        let e: Vec<String> = ["a", "...", "z"].iter().map(|s| s.to_string()).collect();
        let a: Vec<String> = ["a", "b", "c", "z"].iter().map(|s| s.to_string()).collect();
        assert!(block_matches(&e, &a));
        assert!(!block_matches(&e, &a[..3]));
    }

    #[test]
    fn a_windows_transcript_parses_into_commands() {
        let text = "**********************\r\nWindows PowerShell transcript start\r\nMachine: CAS01 (Microsoft Windows NT 10.0.14393.0)\r\n**********************\r\nTranscript started, output file is C:\\t.txt\r\n[PS] C:\\Windows\\system32>Get-Date\r\nsome output\r\n[PS] C:\\Windows\\system32>Stop-Transcript\r\n**********************\r\nWindows PowerShell transcript end\r\nEnd time: 20261121101612\r\n**********************\r\n";
        let t = parse_transcript(text);
        assert_eq!(t.machine.as_deref(), Some("CAS01"));
        assert_eq!(t.entries.len(), 2);
        assert_eq!(t.entries[0].command, "Get-Date");
        assert_eq!(t.entries[0].expected, vec!["some output".to_string()]);
        assert_eq!(t.entries[1].expected, Vec::<String>::new());
    }

    #[test]
    fn port_variables_come_from_the_environment_or_their_defaults() {
        let ports = port_variables(|name| (name == "MAILSH_POP_PORT").then(|| "20110".to_string())).expect("ports");
        assert_eq!(ports[0], ("ImapPort", 11143));
        assert_eq!(ports[3], ("PopPort", 20110));
        assert_eq!(ports.len(), PORT_VARIABLES.len());
        let bad = port_variables(|name| (name == "MAILSH_IMAP_SSL_PORT").then(|| "99999".to_string()));
        assert_eq!(bad, Err("MAILSH_IMAP_SSL_PORT is \"99999\", not a port number (1 to 65535).".to_string()));
    }

    #[test]
    fn the_diff_marks_what_differs() {
        let e: Vec<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        let a: Vec<String> = ["a", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(unified_diff(&e, &a), " a\n+c\n-b\n");
    }
}
