//! Shared by the end-to-end tests: the shell run on a temporary store
//! (`Shell`), and for the services a temporary store with one mailbox,
//! loopback ports chosen per test, the real mailsh binary run as services,
//! and a guard that stops every service it started, even on failure.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::process::{Output, Stdio};

use mailsh::services::{Service, ServiceControl};
use mailsh::store::mail::{MailDb, mail_db_path};
use mailsh::store::{CreateOptions, LoginType, NewMailbox, Protocol, ProtocolSettings, Store, password};

pub const USER: &str = "bob@contoso.com";
pub const PASSWORD: &str = "P@ssw0rd!";

pub struct Env {
    pub dir: tempfile::TempDir,
    pub store: PathBuf,
    pub control: ServiceControl,
    pub plain_port: u16,
    pub ssl_port: u16,
    pub proxy_port: u16,
    pub imap_plain_port: u16,
    pub imap_ssl_port: u16,
    pub guid: String,
    started: Vec<Service>,
}

#[path = "../support/ports.rs"]
mod ports;
pub use ports::free_port;

impl Env {
    /// A store with bob@contoso.com and POP3 on fresh loopback ports,
    /// plain-text login allowed unless `secure`.
    pub fn new(secure: bool) -> Env {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store_path = dir.path().join("store.db");
        let mut store = Store::open_or_create(
            &store_path,
            &CreateOptions { server_name: Some("CAS01".into()), domain: Some("contoso.com".into()) },
        )
        .expect("a new store");
        let (plain_port, ssl_port, proxy_port) = (free_port(), free_port(), free_port());
        let hash = password::hash(PASSWORD).expect("hash");
        let mut s: ProtocolSettings = store.protocol_settings(Protocol::Pop3).expect("POP3 settings");
        let (imap_plain_port, imap_ssl_port) = (free_port(), free_port());
        let mut imap: ProtocolSettings = store.protocol_settings(Protocol::Imap4).expect("IMAP4 settings");
        imap.unencrypted_or_tls_bindings = vec![format!("127.0.0.1:{imap_plain_port}")];
        imap.ssl_bindings = vec![format!("127.0.0.1:{imap_ssl_port}")];
        imap.proxy_target_port = free_port() as i64;
        imap.login_type = if secure { LoginType::SecureLogin } else { LoginType::PlainTextLogin };
        let mailbox = store
            .write(|tx| {
                s.unencrypted_or_tls_bindings = vec![format!("127.0.0.1:{plain_port}")];
                s.ssl_bindings = vec![format!("127.0.0.1:{ssl_port}")];
                s.proxy_target_port = proxy_port as i64;
                s.login_type = if secure { LoginType::SecureLogin } else { LoginType::PlainTextLogin };
                s.protocol_log_enabled = true;
                Store::save_protocol_settings(tx, &s)?;
                Store::save_protocol_settings(tx, &imap)?;
                Store::insert_mailbox(
                    tx,
                    &NewMailbox {
                        name: "Bob".into(),
                        alias: "bob".into(),
                        display_name: "Bob".into(),
                        upn: USER.into(),
                        primary_smtp: USER.into(),
                        password_hash: Some(hash.clone()),
                        ..Default::default()
                    },
                )
            })
            .expect("mailbox created");
        let exe = PathBuf::from(env!("CARGO_BIN_EXE_mailsh"));
        Env {
            control: ServiceControl { exe, store_path: store_path.clone() },
            store: store_path,
            dir,
            plain_port,
            ssl_port,
            proxy_port,
            imap_plain_port,
            imap_ssl_port,
            guid: mailbox.guid,
            started: Vec::new(),
        }
    }

    pub fn start(&mut self, s: Service) {
        self.started.push(s);
        if let Err(e) = self.control.start(s, &mut || {}) {
            panic!("{} did not start: {e}\n{}", s.name(), self.service_log(s));
        }
    }

    pub fn start_pop(&mut self) {
        self.start(Service::Pop3Backend);
        self.start(Service::Pop3);
    }

    pub fn service_log(&self, s: Service) -> String {
        let path = mailsh::store::state_dir_for(&self.store).join("services").join(format!("{}.log", s.name()));
        std::fs::read_to_string(path).unwrap_or_default()
    }

    pub fn deliver(&self, raw: &[u8]) -> u32 {
        let mut db = MailDb::open(&mail_db_path(&self.store)).expect("mail db");
        db.deliver(&self.guid, raw).expect("delivered")
    }

    pub fn inbox_uids(&self) -> Vec<u32> {
        let mut db = MailDb::open(&mail_db_path(&self.store)).expect("mail db");
        db.inbox_snapshot(&self.guid).expect("snapshot").messages.iter().map(|m| m.uid).collect()
    }

    pub fn set_pop_enabled(&self, enabled: bool) {
        self.update_mailbox(|m| m.cas.pop_enabled = enabled);
    }

    pub fn update_mailbox(&self, change: impl FnOnce(&mut mailsh::store::Mailbox)) {
        let mut store = Store::open_existing(&self.store).expect("store");
        store
            .write(|tx| {
                let mut m = Store::mailbox_for_update(tx, 1)?.expect("mailbox 1");
                change(&mut m);
                Store::update_mailbox(tx, &m)?;
                Ok(())
            })
            .expect("updated");
    }

    /// Changes the POP3 settings (before the services start: they read
    /// them at start).
    pub fn update_pop_settings(&self, change: impl FnOnce(&mut ProtocolSettings)) {
        let mut store = Store::open_existing(&self.store).expect("store");
        let mut s = store.protocol_settings(Protocol::Pop3).expect("POP3 settings");
        change(&mut s);
        store.write(|tx| Store::save_protocol_settings(tx, &s)).expect("saved");
    }

    pub fn state_dir(&self) -> PathBuf {
        mailsh::store::state_dir_for(&self.store)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for s in self.started.iter().rev() {
            let _ = self.control.stop(*s, &mut || {});
        }
    }
}

/// Runs a Python 3 script (with `PORT`, `SSL_PORT`, `USER`, `PASSWORD` in
/// its environment); returns (success, stdout, stderr).
pub fn python(env: &Env, script: &str) -> (bool, String, String) {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .env("PORT", env.plain_port.to_string())
        .env("SSL_PORT", env.ssl_port.to_string())
        .env("USER", USER)
        .env("PASSWORD", PASSWORD)
        .output()
        .expect("python3 runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn message(subject: &str, body: &str) -> Vec<u8> {
    format!("From: alice@contoso.com\r\nTo: bob@contoso.com\r\nSubject: {subject}\r\n\r\n{body}").into_bytes()
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}

// ---- the shell ------------------------------------------------------------

pub fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_mailsh")
}

pub struct Shell {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            code: o.status.code().unwrap_or(-1),
        }
    }
}

impl Shell {
    /// A fresh store for server CAS01 in contoso.com.
    pub fn new() -> Shell {
        Shell { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    pub fn store(&self) -> PathBuf {
        self.dir.path().join("config.db")
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(exe());
        c.env("MAILSH_STORE", self.store())
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
