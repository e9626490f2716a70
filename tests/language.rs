//! The language conformance corpus (tests/language/*.txt): each case is a
//! script and what Windows PowerShell 5.1 prints for it; each runs alone in
//! the real binary (`mailsh -Command`), on a fresh store, and its stdout,
//! stderr and exit status are compared. See tests/language/README.md.
//!
//! `MAILSH_CORPUS=name` runs only the files whose name contains `name`;
//! `MAILSH_CORPUS_CASE=text` only the cases whose name contains `text`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

struct Case {
    file: String,
    name: String,
    script: String,
    stdout: String,
    stderr: Option<String>,
    exit: Option<i32>,
}

fn parse_file(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).expect("corpus file readable");
    let file = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let mut cases = Vec::new();
    let mut current: Option<Case> = None;
    let mut section = "script";
    let mut buf: Vec<&str> = Vec::new();
    let flush = |case: &mut Option<Case>, section: &str, buf: &mut Vec<&str>| {
        if let Some(c) = case.as_mut() {
            let text = buf.join("\n");
            match section {
                "script" => c.script = text,
                "stdout" => c.stdout = text,
                "stderr" => c.stderr = Some(text),
                _ => {}
            }
        }
        buf.clear();
    };
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("=== ") {
            flush(&mut current, section, &mut buf);
            if let Some(c) = current.take() {
                cases.push(c);
            }
            current = Some(Case {
                file: file.clone(),
                name: name.trim().to_string(),
                script: String::new(),
                stdout: String::new(),
                stderr: None,
                exit: None,
            });
            section = "script";
            continue;
        }
        if current.is_none() {
            continue;
        }
        if line == "--- stdout" || line == "--- stderr" {
            flush(&mut current, section, &mut buf);
            section = if line == "--- stdout" { "stdout" } else { "stderr" };
            continue;
        }
        if let Some(code) = line.strip_prefix("--- exit ") {
            flush(&mut current, section, &mut buf);
            section = "none";
            if let Some(c) = current.as_mut() {
                c.exit = code.trim().parse().ok();
            }
            continue;
        }
        buf.push(line);
    }
    flush(&mut current, section, &mut buf);
    if let Some(c) = current.take() {
        cases.push(c);
    }
    cases
}

/// Trailing spaces of each line and trailing blank lines do not count.
fn normalize(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end()).collect();
    let mut end = lines.len();
    while end > 0 && lines[end - 1].is_empty() {
        end -= 1;
    }
    lines[..end].join("\n")
}

fn run_case(exe: &Path, case: &Case, scratch: &Path) -> Option<String> {
    let dir = scratch.join(format!("{}-{}", case.file, case.name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).ok()?;
    let out = Command::new(exe)
        .args(["-NoProfile", "-NonInteractive", "-ServerName", "CAS01", "-Domain", "contoso.com", "-Command"])
        .arg(&case.script)
        .current_dir(&dir)
        .env("MAILSH_STORE", dir.join("store").join("config.db"))
        .env("MAILSH_CASE_DIR", &dir)
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env_remove("MAILSH_SERVER")
        .env_remove("MAILSH_DOMAIN")
        .output()
        .ok()?;
    let stdout = normalize(&String::from_utf8_lossy(&out.stdout));
    let stderr = normalize(&String::from_utf8_lossy(&out.stderr));
    let code = out.status.code().unwrap_or(-1);
    let mut problems = Vec::new();
    if stdout != normalize(&case.stdout) {
        problems.push(format!("stdout:\n--- expected\n{}\n--- actual\n{}", normalize(&case.stdout), stdout));
    }
    let expected_err = case.stderr.as_deref().map(normalize).unwrap_or_default();
    // A refused keyword case may leave its message unwritten in the corpus.
    let skip_stderr = case.stderr.is_none() && case.exit.is_some();
    if !skip_stderr && stderr != expected_err {
        problems.push(format!("stderr:\n--- expected\n{expected_err}\n--- actual\n{stderr}"));
    }
    if let Some(want) = case.exit
        && want != code
    {
        problems.push(format!("exit: expected {want}, got {code}"));
    }
    let _ = std::fs::remove_dir_all(&dir);
    if problems.is_empty() {
        None
    } else {
        Some(format!("{} :: {}\n{}\n{}", case.file, case.name, case.script, problems.join("\n")))
    }
}

#[test]
fn conformance_corpus() {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_mailsh"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("language");
    let only_file = std::env::var("MAILSH_CORPUS").ok();
    let only_case = std::env::var("MAILSH_CORPUS_CASE").ok();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/language exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter(|p| only_file.as_ref().is_none_or(|f| p.to_string_lossy().contains(f.as_str())))
        .collect();
    files.sort();
    let cases: Vec<Case> = files
        .iter()
        .flat_map(|f| parse_file(f))
        .filter(|c| only_case.as_ref().is_none_or(|n| c.name.contains(n.as_str())))
        .collect();
    let total = cases.len();
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let failures = Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    if let Some(f) = run_case(&exe, case, scratch.path())
                        && let Ok(mut list) = failures.lock()
                    {
                        list.push(f);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap_or_default();
    if !failures.is_empty() {
        let report = failures.join("\n\n========\n\n");
        let _ = std::fs::write(std::env::temp_dir().join("mailsh-corpus-failures.txt"), &report);
        panic!("{} of {total} corpus cases failed:\n\n{report}", failures.len());
    }
    assert!(total >= if only_file.is_some() || only_case.is_some() { 1 } else { 450 }, "only {total} cases");
}
