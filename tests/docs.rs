//! The documents stay true. docs/cmdlets.md is generated from the
//! signatures; this fails when it is stale (`UPDATE_DOCS=1 cargo test --test
//! main docs::` rewrites it). And the commands of README.md and docs/ run as
//! written, so the tour cannot rot: every transcript block (a ```powershell
//! block that starts at a `[PS] ` prompt) replays; every language example
//! block runs without an error; every ```sh block is valid bash, and
//! README's script examples run in bash against a store holding the tour's
//! mailbox. (docs/cmdlets.md's examples are the help examples, run by the
//! library's own test.)

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

use mailsh::hosts::replay::PORT_VARIABLES;

#[test]
fn cmdlet_reference_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cmdlets.md");
    let generated = mailsh::cmdlets::cmdlets_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated).expect("docs/cmdlets.md written");
        return;
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(current == generated, "docs/cmdlets.md is stale: run UPDATE_DOCS=1 cargo test --test main docs::");
}

/// The documents whose commands a reader copies.
fn documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("cmdlets.md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The fenced blocks of `language` in `text`.
fn blocks(text: &str, language: &str) -> Vec<String> {
    let open = format!("```{language}");
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match current.as_mut() {
            None if line.trim_end() == open => current = Some(String::new()),
            None => {}
            Some(_) if line.trim_end() == "```" => found.extend(current.take()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    found
}

fn each_block(language: &str) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for path in documents() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        all.extend(blocks(&text, language).into_iter().map(|b| (name.clone(), b)));
    }
    all
}

/// The ports the documents show, and the variables that stand for them.
fn fixed_ports() -> Vec<(String, &'static str)> {
    PORT_VARIABLES.iter().map(|(_, env, port)| (port.to_string(), *env)).collect()
}

#[test]
fn every_transcript_block_of_the_docs_replays() {
    let transcripts: Vec<(String, String)> =
        each_block("powershell").into_iter().filter(|(_, b)| b.starts_with("[PS] ")).collect();
    assert!(transcripts.len() >= 3, "the README's tour and docs/transcripts.md are found");
    for (i, (file, block)) in transcripts.iter().enumerate() {
        let shell = Shell::new();
        let mut command = shell.command();
        // The documents show the services on fixed ports; the replay takes
        // free ones, so runs on one machine never collide.
        let mut text = block.clone();
        for (port, env) in fixed_ports() {
            let free = free_port().to_string();
            text = text.replace(&port, &free);
            command.env(env, &free);
        }
        let path = shell.path(&format!("block-{i}.ps1"));
        std::fs::write(&path, &text).unwrap();
        let r = Run::from(command.arg("-Replay").arg(&path).output().unwrap());
        assert_eq!(r.code, 0, "a transcript block of {file} does not replay:\n{block}\n{}\n{}", r.stdout, r.stderr);
    }
}

#[test]
fn every_language_example_runs_without_an_error() {
    let examples = each_block("powershell").into_iter().filter(|(_, b)| !b.starts_with("[PS] ")).collect::<Vec<_>>();
    assert!(examples.len() >= 5, "docs/language.md's examples are found");
    let shell = Shell::new();
    let setup = shell.cmd(
        "$p = ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force; \
         New-Mailbox -Name 'John Smith' -Alias jsmith -Password $p | Out-Null; \
         New-Mailbox -Name 'Ken Sanchez' -Alias ksanchez -Password $p | Out-Null",
    );
    assert_eq!(setup.code, 0, "{}", setup.stderr);
    for (file, block) in examples {
        let r = shell.cmd(&block);
        assert!(r.code == 0 && r.stderr.is_empty(), "an example of {file} fails:\n{block}\n{}\n{}", r.stdout, r.stderr);
    }
}

#[test]
fn every_shell_block_of_the_docs_is_valid_bash() {
    let scripts = each_block("sh");
    assert!(scripts.len() >= 4);
    for (file, block) in scripts {
        let o = Command::new("bash").args(["-n", "-c", &block]).output().unwrap();
        assert!(
            o.status.success(),
            "a sh block of {file} is not valid bash:\n{block}\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn the_readme_script_examples_run_in_bash_as_written() {
    let (_, block) = each_block("sh")
        .into_iter()
        .find(|(file, b)| file == "README.md" && b.contains("mailsh -Command"))
        .expect("README shows how scripts run");
    let shell = Shell::new();
    let made = shell.cmd(
        "New-Mailbox -Name 'John Smith' -Alias jsmith -Password (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force) | Out-Null; \
         Set-CASMailbox jsmith -ImapEnabled $false",
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    // `mailsh` on the PATH, the repository's examples beside the script,
    // the store the tour made, and the replay's services on free ports.
    let bin = Path::new(exe()).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    std::os::unix::fs::symlink(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"), shell.path("examples")).unwrap();
    let mut command = Command::new("bash");
    command
        .args(["-e", "-c", &block])
        .current_dir(shell.dir.path())
        .env("PATH", path)
        .env("MAILSH_STORE", shell.store())
        .env("NO_COLOR", "1");
    for (_, env) in fixed_ports() {
        command.env(env, free_port().to_string());
    }
    let r = Run::from(command.output().unwrap());
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let listed = r.stdout.lines().any(|l| l.starts_with("John Smith") && l.trim_end().ends_with("False"));
    assert!(listed, "the -Filter example lists John Smith:\n{}", r.stdout);
    assert!(r.stdout.lines().any(|l| l.ends_with(" skipped, 0 failed")), "the replay line ran:\n{}", r.stdout);
    assert_eq!(shell.cmd("(Get-CASMailbox jsmith).PopEnabled").stdout.trim(), "False");
}
