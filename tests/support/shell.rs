//! The shell run on a temporary store, as an administrator runs it: by
//! `-Command`, `-File` or a script on standard input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_mailsh")
}

pub struct Shell {
    pub dir: tempfile::TempDir,
    /// A fresh database on the test PostgreSQL server when the suite runs
    /// on that backend (`MAILSH_TEST_BACKEND=postgresql`); else None and the
    /// store is `config.db` in `dir`.
    directory: Option<String>,
}

/// Whether this run of the suite puts its shells' stores on PostgreSQL:
/// `.ci/run` runs the shell's suites a second time with
/// MAILSH_TEST_BACKEND=postgresql, so every cmdlet is checked on both.
pub fn on_postgres() -> bool {
    std::env::var("MAILSH_TEST_BACKEND").is_ok_and(|b| b.eq_ignore_ascii_case("postgresql"))
}

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Run {
    pub fn from(o: Output) -> Run {
        Run {
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            code: o.status.code().unwrap_or(-1),
        }
    }
}

impl Shell {
    /// A fresh store for server CAS01 in contoso.com: a SQLite file, or a
    /// new directory on PostgreSQL (`on_postgres`).
    pub fn new() -> Shell {
        let directory = on_postgres().then(super::postgres::directory);
        Shell { dir: tempfile::tempdir().expect("a temporary folder"), directory }
    }

    /// The store's path, or the directory's URL.
    pub fn store(&self) -> PathBuf {
        match &self.directory {
            Some(url) => PathBuf::from(url),
            None => self.dir.path().join("config.db"),
        }
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(exe());
        c.env("MAILSH_STORE", self.store())
            // A server of a directory keeps its local files there.
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("MAILSH_SERVER", "CAS01")
            .env("MAILSH_DOMAIN", "contoso.com")
            .env("NO_COLOR", "1")
            .env_remove("COLUMNS")
            .current_dir(self.dir.path());
        c
    }

    /// `mailsh -Command TEXT`
    pub fn cmd(&self, text: &str) -> Run {
        let o = self
            .command()
            .args(["-NonInteractive", "-Command", text])
            .stdin(Stdio::null())
            .output()
            .expect("mailsh runs");
        Run::from(o)
    }

    /// The script on standard input.
    pub fn stdin(&self, script: &str) -> Run {
        let mut child = self
            .command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("mailsh starts");
        child.stdin.take().expect("stdin is piped").write_all(script.as_bytes()).expect("script written");
        Run::from(child.wait_with_output().expect("mailsh ends"))
    }

    pub fn file(&self, name: &str, script: &str) -> Run {
        let path = self.dir.path().join(name);
        std::fs::write(&path, script).expect("script written");
        let o = self.command().arg("-File").arg(&path).stdin(Stdio::null()).output().expect("mailsh runs");
        Run::from(o)
    }

    /// The folder of what the store's server keeps locally: beside the
    /// SQLite file, or the server's own folder with a directory.
    pub fn local_folder(&self) -> PathBuf {
        match &self.directory {
            Some(_) => self.dir.path().join("data").join("mailsh").join("cas01"),
            None => self.dir.path().join("config.db.d"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Creates mailboxes with password P@ssw0rd1.
    pub fn mailboxes(&self, names: &[&str]) {
        let mut script = String::new();
        for n in names {
            let alias: String = n.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
            script.push_str(&format!(
                "New-Mailbox -Name \"{n}\" -Alias {alias} -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null\n"
            ));
        }
        let r = self.stdin(&script);
        assert_eq!(r.code, 0, "creating mailboxes failed: {}", r.stderr);
    }
}

pub fn assert_text(actual: &str, expected: &str) {
    if actual != expected {
        panic!("text differs\n--- expected\n{expected}\n--- actual\n{actual}\n--- (debug)\n{actual:?}");
    }
}

pub fn file_text(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

/// `mailsh -Store STORE -NonInteractive -Command TEXT` on a store the test
/// did not make with `Shell`: a service test's, or a copy of one.
pub fn shell_on(store: &Path, text: &str) -> Run {
    let o = Command::new(exe())
        .arg("-Store")
        .arg(store)
        .args(["-NonInteractive", "-Command", text])
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .output()
        .expect("mailsh runs");
    Run::from(o)
}
