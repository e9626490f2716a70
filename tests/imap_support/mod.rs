//! Shared by the IMAP end-to-end tests: a temporary store with one mailbox,
//! IMAP4 on loopback ports chosen per test, the real mailsh binary started
//! through ServiceControl, and a guard that stops every service it
//! started, even when the test fails.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

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
    pub guid: String,
    started: Vec<Service>,
}

#[path = "../support/ports.rs"]
mod ports;
pub use ports::free_port;

impl Env {
    /// bob@contoso.com and IMAP4 on fresh loopback ports; `secure`:
    /// SecureLogin (LOGINDISABLED until TLS), else PlainTextLogin.
    pub fn new(secure: bool) -> Env {
        Env::with(|s| s.login_type = if secure { LoginType::SecureLogin } else { LoginType::PlainTextLogin })
    }

    pub fn with(adjust: impl FnOnce(&mut ProtocolSettings)) -> Env {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store_path = dir.path().join("store.db");
        let mut store = Store::open_or_create(
            &store_path,
            &CreateOptions { server_name: Some("CAS01".into()), domain: Some("contoso.com".into()) },
        )
        .expect("a new store");
        let (plain_port, ssl_port, proxy_port) = (free_port(), free_port(), free_port());
        let hash = password::hash(PASSWORD).expect("hash");
        let mut s: ProtocolSettings = store.protocol_settings(Protocol::Imap4).expect("IMAP4 settings");
        let mailbox = store
            .write(|tx| {
                s.unencrypted_or_tls_bindings = vec![format!("127.0.0.1:{plain_port}")];
                s.ssl_bindings = vec![format!("127.0.0.1:{ssl_port}")];
                s.proxy_target_port = proxy_port as i64;
                s.protocol_log_enabled = true;
                adjust(&mut s);
                Store::save_protocol_settings(tx, &s)?;
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

    pub fn stop(&mut self, s: Service) {
        let _ = self.control.stop(s, &mut || {});
    }

    pub fn start_imap(&mut self) {
        self.start(Service::Imap4Backend);
        self.start(Service::Imap4);
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

    pub fn set_imap_enabled(&self, enabled: bool) {
        let mut store = Store::open_existing(&self.store).expect("store");
        store
            .write(|tx| {
                let mut m = Store::mailbox_for_update(tx, 1)?.expect("mailbox 1");
                m.cas.imap_enabled = enabled;
                Store::update_mailbox(tx, &m)?;
                Ok(())
            })
            .expect("updated");
    }
}

impl Env {
    /// The engine process of a service (from its state file), or 0.
    pub fn engine_pid(&self, s: Service) -> i32 {
        let text = std::fs::read_to_string(
            mailsh::store::state_dir_for(&self.store).join("services").join(format!("{}.state", s.name())),
        )
        .unwrap_or_default();
        text.lines().find_map(|l| l.strip_prefix("engine=")).and_then(|p| p.parse().ok()).unwrap_or(0)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for s in self.started.iter().rev() {
            let _ = self.control.stop(*s, &mut || {});
        }
    }
}

/// Runs a Python 3 script with `PORT`, `SSL_PORT`, `USER`, `PASSWORD`,
/// `MAILSH` (the binary) and `STORE` in its environment; returns (success, stdout, stderr).
pub fn python(env: &Env, script: &str) -> (bool, String, String) {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .env("PORT", env.plain_port.to_string())
        .env("SSL_PORT", env.ssl_port.to_string())
        .env("PROXY_PORT", env.proxy_port.to_string())
        .env("PROXY_KEY", mailsh::store::state_dir_for(&env.store).join("proxy.key"))
        .env("MAILSH", env!("CARGO_BIN_EXE_mailsh"))
        .env("STORE", &env.store)
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
    format!("From: Alice <alice@contoso.com>\r\nTo: bob@contoso.com\r\nSubject: {subject}\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n{body}")
        .into_bytes()
}

/// `Raw` and `show` (tests/imap_support/raw.py), for a script that must see
/// every response line in order: prepend it to the script.
pub const RAW_CLIENT: &str = include_str!("raw.py");

/// The lines a script printed with `show(name, ...)`, without the prefix.
pub fn shown<'a>(out: &'a str, name: &str) -> Vec<&'a str> {
    let prefix = format!("{name}| ");
    out.lines().filter_map(|l| l.strip_prefix(prefix.as_str())).collect()
}

/// The line a script printed as `name ...`, whole (empty when none).
pub fn printed(out: &str, name: &str) -> String {
    out.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_default().to_string()
}
