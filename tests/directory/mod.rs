//! The directory on both backends: the same cmdlets, messages, validation
//! and audit with `-Store PATH` (SQLite) and `-Store postgresql://...`
//! (a real PostgreSQL, `support::postgres`); concurrent writers on
//! PostgreSQL; what is not on PostgreSQL yet is refused by name.

mod backends;
mod mail_flow;
mod postgres_only;
mod routing;
mod servers;
mod services;
mod tls;

use std::process::{Child, Command, Stdio};

use crate::support::{Run, exe, postgres};

/// One store as `-Store` names it, and a working folder of its own.
pub struct Dir {
    pub store: String,
    pub cwd: tempfile::TempDir,
    /// $XDG_DATA_HOME: where a server keeps what is local to it (its
    /// services' state, its mailbox database). None: a folder that does
    /// not exist, for tests that must leave nothing behind.
    pub data_home: Option<std::path::PathBuf>,
}

impl Dir {
    /// A new database on the test PostgreSQL server.
    pub fn postgres() -> Dir {
        Dir { store: postgres::directory(), cwd: tempfile::tempdir().unwrap(), data_home: None }
    }

    /// A new database on the test PostgreSQL server, for servers that run
    /// services: each keeps its local files under `<cwd>/data`.
    pub fn postgres_with_services() -> Dir {
        let cwd = tempfile::tempdir().unwrap();
        let data_home = Some(cwd.path().join("data"));
        Dir { store: postgres::directory(), cwd, data_home }
    }

    /// A new SQLite file.
    pub fn sqlite() -> Dir {
        let cwd = tempfile::tempdir().unwrap();
        let store = cwd.path().join("config.db").display().to_string();
        Dir { store, cwd, data_home: None }
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(exe());
        c.arg("-Store")
            .arg(&self.store)
            .env_remove("MAILSH_STORE")
            .env("MAILSH_SERVER", "CAS01")
            .env("MAILSH_DOMAIN", "contoso.com")
            .env("XDG_DATA_HOME", self.data_home.as_deref().unwrap_or("/var/lib/mailsh-test".as_ref()))
            .env("NO_COLOR", "1")
            .env_remove("COLUMNS")
            .current_dir(self.cwd.path());
        c
    }

    /// `mailsh -Store STORE -NonInteractive -Command TEXT`
    pub fn run(&self, text: &str) -> Run {
        let o = self.command().args(["-NonInteractive", "-Command", text]).stdin(Stdio::null()).output().unwrap();
        Run::from(o)
    }

    pub fn spawn(&self, text: &str) -> Child {
        self.command()
            .args(["-NonInteractive", "-Command", text])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// `mailsh -Setup ARGS` on this directory.
    pub fn setup(&self, args: &[&str]) -> Run {
        Run::from(self.command().arg("-Setup").args(args).stdin(Stdio::null()).output().unwrap())
    }

    /// `mailsh -ServerName SERVER -Command TEXT`: the shell of another
    /// server of the directory.
    pub fn on(&self, server: &str, text: &str) -> Run {
        let o = self
            .command()
            .args(["-ServerName", server, "-NonInteractive", "-Command", text])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        Run::from(o)
    }

    /// `on`, expected to succeed quietly on standard error.
    pub fn ok_on(&self, server: &str, text: &str) -> String {
        let r = self.on(server, text);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{server}: {text}\n{}", r.stdout);
        r.stdout
    }

    /// Runs `text` and expects it to succeed quietly on standard error.
    pub fn ok(&self, text: &str) -> String {
        let r = self.run(text);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{text}\n{}", r.stdout);
        r.stdout
    }
}

/// Stops what a test started on each server, passed or not.
pub struct Started<'a>(pub &'a Dir, pub Vec<(&'static str, &'static str)>);

impl Drop for Started<'_> {
    fn drop(&mut self) {
        for (server, services) in self.1.iter().rev() {
            let _ = self.0.on(server, &format!("Stop-Service {services}"));
        }
    }
}

pub const NEW_JOHN: &str = "New-Mailbox -Name \"John Smith\" -Alias jsmith -FirstName John -LastName Smith \
    -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null";
