//! Python 3 scripts as mail clients (imaplib, poplib, raw sockets). Each
//! gets the ports of the protocol under test and the mailbox's credentials
//! in its environment: `PORT`, `SSL_PORT`, `PROXY_PORT`, `PROXY_KEY` (the
//! store's proxy key file, which a back end asks for), `USER`, `PASSWORD`,
//! and `MAILSH` (the binary) and `STORE` (the store's path) for a script
//! that runs the shell between two client steps.
//! `raw_script` gives a script an IMAP client (imap_raw.py) that shows every
//! response line in order.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Instant;

use super::env::{Env, PASSWORD, USER};
use super::wait::DEADLINE;

fn command(env: &Env, script: &str) -> Command {
    let mut c = Command::new("python3");
    c.arg("-c")
        .arg(script)
        .env("PORT", env.plain_port.to_string())
        .env("SSL_PORT", env.ssl_port.to_string())
        .env("PROXY_PORT", env.proxy_port.to_string())
        .env("PROXY_KEY", mailsh::store::state_dir_for(&env.store).join("proxy.key"))
        .env("MAILSH", env!("CARGO_BIN_EXE_mailsh"))
        .env("STORE", &env.store)
        .env("USER", USER)
        .env("PASSWORD", PASSWORD);
    c
}

/// Runs a script to its end; returns (success, stdout, stderr).
pub fn python(env: &Env, script: &str) -> (bool, String, String) {
    let out = command(env, script).output().expect("python3 runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `body` as an imaplib client (`m`) already logged on to the
/// protocol's plain port as the test mailbox; returns (success, stdout,
/// stderr).
pub fn imaplib_session(env: &Env, body: &str) -> (bool, String, String) {
    python(
        env,
        &format!(
            "import os, imaplib\nm = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']))\nm.login(os.environ['USER'], os.environ['PASSWORD'])\n{body}"
        ),
    )
}

/// A script running alongside the test (a client holding a session open
/// while the test changes something), its output read line by line; it
/// can read lines the test sends (`send`) to know when to go on.
pub struct Script {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    /// Everything printed so far.
    printed: String,
}

impl Script {
    pub fn spawn(env: &Env, script: &str) -> Script {
        let mut child =
            command(env, script).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("python3 starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Script { child, stdin, lines, printed: String::new() }
    }

    /// A script with `Raw` and `show` (`RAW_CLIENT`) before it, as
    /// `raw_script` runs one.
    pub fn raw(env: &Env, script: &str) -> Script {
        Script::spawn(env, &format!("{RAW_CLIENT}\n{script}"))
    }

    /// Writes `line` and a newline to the script's standard input.
    pub fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("the script's stdin is open");
        stdin.write_all(format!("{line}\n").as_bytes()).expect("written to the script");
        stdin.flush().expect("flushed to the script");
    }

    /// Waits until the script prints a line holding `text` (it should
    /// flush: `print(..., flush=True)`).
    pub fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            match self.next_line(deadline) {
                Ok(line) if line.contains(text) => return,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    panic!("the script never printed {text:?}; it printed:\n{}", self.printed)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the script ended without printing {text:?}; it printed:\n{}", self.printed)
                }
            }
        }
    }

    /// Waits for the script to end (its sockets time out within the
    /// deadline: it fails the test after three); returns all it printed.
    pub fn output(self) -> String {
        self.finish().1
    }

    /// As `output`, and whether the script exited successfully.
    pub fn finish(mut self) -> (bool, String) {
        // End of input: a script still reading its stdin goes on.
        self.stdin = None;
        let deadline = Instant::now() + 3 * DEADLINE;
        loop {
            match self.next_line(deadline) {
                Ok(_) => {}
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!("the script did not end; it printed:\n{}", self.printed),
            }
        }
        let ok = self.child.wait().is_ok_and(|s| s.success());
        (ok, std::mem::take(&mut self.printed))
    }

    /// The next line printed, also kept in `printed`.
    fn next_line(&mut self, deadline: Instant) -> Result<String, RecvTimeoutError> {
        let line = self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now()))?;
        self.printed.push_str(&line);
        self.printed.push('\n');
        Ok(line)
    }
}

impl Drop for Script {
    /// A script left running by a failing test goes with it.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `Raw`, `show` and `imaplib_session` (tests/support/imap_raw.py), for a
/// script that must see every response line in order.
const RAW_CLIENT: &str = include_str!("imap_raw.py");

/// Runs `script` with `Raw` and `show` (`RAW_CLIENT`) before it; fails
/// the test when the script fails; returns what it printed.
pub fn raw_script(env: &Env, script: &str) -> String {
    let (ok, out, err) = python(env, &format!("{RAW_CLIENT}\n{script}"));
    assert!(ok, "{out}\n{err}");
    out
}

/// The lines a script printed with `show(name, ...)`, without the prefix.
pub fn shown<'a>(out: &'a str, name: &str) -> Vec<&'a str> {
    let prefix = format!("{name}| ");
    out.lines().filter_map(|l| l.strip_prefix(prefix.as_str())).collect()
}

/// The line a script printed as `name ...`, whole (empty when none).
pub fn printed(out: &str, name: &str) -> String {
    out.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_default().to_string()
}
