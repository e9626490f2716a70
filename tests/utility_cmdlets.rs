//! The utility cmdlets where a terminal or standard input matters: Read-Host
//! and Write-Progress, through the real binary (on a pseudo-terminal where
//! one is needed). Their plain behaviour is in tests/language/cmdlets.txt.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::pty::Pty;
use crate::support::{Shell, assert_text, exe};

fn piped(s: &Shell, script: &str, input: &str) -> (String, String, i32) {
    let mut child = s
        .command()
        .args(["-NoProfile", "-Command", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mailsh starts");
    child.stdin.take().expect("stdin piped").write_all(input.as_bytes()).expect("input written");
    let o = child.wait_with_output().expect("mailsh ends");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

#[test]
fn read_host_takes_the_next_lines_of_piped_input() {
    let s = Shell::new();
    let (out, err, code) = piped(
        &s,
        "$n = Read-Host -Prompt 'Name'; $p = Read-Host 'Password' -AsSecureString; \"got $n\"; $p.GetType().Name; $p.Length",
        "Ann\nP@ss\n",
    );
    assert_eq!((err.as_str(), code), ("", 0));
    assert_text(&out, "Name: Password: got Ann\nSecureString\n4\n");
}

#[test]
fn read_host_at_the_end_of_input_outputs_nothing() {
    let s = Shell::new();
    let (out, err, _) = piped(&s, "$n = Read-Host -Prompt 'Name'; $null -eq $n", "");
    assert_eq!(err, "");
    assert_text(&out, "Name: True\n");
}

#[test]
fn write_progress_writes_nothing_without_a_terminal() {
    let s = Shell::new();
    let r = s.cmd("1..3 | ForEach-Object { Write-Progress -Activity 'Checking' -Status $_ -PercentComplete ($_ * 30) }; Write-Progress -Activity 'Checking' -Completed; 'done'");
    assert_eq!((r.stdout.as_str(), r.stderr.as_str(), r.code), ("done\n", "", 0));
}

/// The binary on a pseudo-terminal, in a fresh folder (kept while the pty lives).
fn on_a_terminal(script: &str) -> (Pty, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut cmd = Command::new(exe());
    cmd.args(["-NoProfile", "-Command", script])
        .env("MAILSH_STORE", dir.path().join("config.db"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .current_dir(dir.path());
    (Pty::spawn(cmd), dir)
}

#[test]
fn write_progress_draws_its_pane_on_a_terminal() {
    let (mut t, _dir) =
        on_a_terminal("Write-Progress -Activity 'Checking mailboxes' -Status 'Ann Beebe' -PercentComplete 50; 'done'");
    // powershell.exe -Command in a console window shows progress too: cursor
    // saved, a blank row, the activity, status and bar in reverse video at
    // the top, cursor restored; taken down around the output and when the
    // command ends.
    t.expect(&format!("\x1b7\x1b[1;1H\x1b[7m{:120}\x1b[0m\x1b[2;1H\x1b[7m Checking mailboxes ", ""));
    t.expect("\x1b[3;1H\x1b[7m    Ann Beebe ");
    t.expect(&format!("\x1b[4;1H\x1b[7m    [{}{}] ", "o".repeat(54), " ".repeat(54)));
    t.expect("\x1b[5;1H\x1b[2K\x1b8done\r\n\x1b7");
    t.expect("\x1b[5;1H\x1b[2K\x1b8");
    assert_eq!(t.wait_exit(), Some(0));
}

#[test]
fn read_host_masks_a_secure_string_on_a_terminal() {
    let (mut t, _dir) = on_a_terminal("$p = Read-Host -Prompt 'Password' -AsSecureString; \"length $($p.Length)\"");
    t.expect("Password: ");
    t.send("abc\x7fd\r");
    t.expect("***\x08 \x08*");
    t.expect("length 3");
    assert_eq!(t.wait_exit(), Some(0));
}
