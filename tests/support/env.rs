//! A temporary store with one mailbox (bob@contoso.com), IMAP4 and POP3 on
//! loopback ports of their own, the real mailsh binary run as services
//! through ServiceControl, and a guard that stops every service it started,
//! even when the test fails.

use std::path::PathBuf;

use mailsh::services::{Service, ServiceControl};
use mailsh::store::mail::{MailDb, mail_db_path};
use mailsh::store::{CreateOptions, LoginType, Mailbox, NewMailbox, Protocol, ProtocolSettings, Store, password};

use super::ports::free_port;

pub const USER: &str = "bob@contoso.com";
pub const PASSWORD: &str = "P@ssw0rd!";

/// Where one protocol's services listen.
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    /// UnencryptedOrTLSBindings (the front end).
    pub plain: u16,
    /// SSLBindings (the front end).
    pub ssl: u16,
    /// ProxyTargetPort (the back end).
    pub proxy: u16,
}

impl Ports {
    fn free() -> Ports {
        Ports { plain: free_port(), ssl: free_port(), proxy: free_port() }
    }
}

/// Where the transport services' receive connectors listen once moved to
/// loopback ports of their own (`Env::transport_on_free_ports`).
#[derive(Debug, Clone, Copy)]
pub struct TransportPorts {
    /// "Default Frontend CAS01" (25 in Exchange).
    pub smtp: u16,
    /// "Client Frontend CAS01" (587): AUTH, after STARTTLS.
    pub submission: u16,
    /// "Default CAS01" (2525), the Transport service's own.
    pub transport: u16,
}

pub struct Env {
    pub dir: tempfile::TempDir,
    pub store: PathBuf,
    pub control: ServiceControl,
    pub guid: String,
    /// The ports of the protocol under test (`python` hands them to scripts).
    pub plain_port: u16,
    pub ssl_port: u16,
    pub proxy_port: u16,
    /// POP3's ports, for an IMAP4 test that uses POP3 as well.
    pub pop: Ports,
    started: Vec<Service>,
}

impl Env {
    /// IMAP4 under test; `secure`: SecureLogin (LOGINDISABLED until TLS),
    /// else PlainTextLogin.
    pub fn imap(secure: bool) -> Env {
        Env::with(Protocol::Imap4, |s| s.login_type = login_type(secure))
    }

    /// IMAP4 under test (PlainTextLogin), started, its Inbox holding
    /// `messages` (delivered before the services start).
    pub fn imap_holding(messages: &[&[u8]]) -> Env {
        let mut env = Env::imap(false);
        for m in messages {
            env.deliver(m);
        }
        env.start_imap();
        env
    }

    /// POP3 under test; `secure` as for `imap`.
    pub fn pop(secure: bool) -> Env {
        Env::with(Protocol::Pop3, |s| s.login_type = login_type(secure))
    }

    /// IMAP4 under test with its settings adjusted before the services start.
    pub fn imap_with(adjust: impl FnOnce(&mut ProtocolSettings)) -> Env {
        Env::with(Protocol::Imap4, adjust)
    }

    /// IMAP4 under test with PlainTextLogin and Set-ImapSettings
    /// -AdvertisedCapabilities Exchange2013.
    pub fn exchange_2013() -> Env {
        Env::imap_with(|s| {
            s.login_type = LoginType::PlainTextLogin;
            s.advertised_capabilities = mailsh::store::AdvertisedCapabilities::Exchange2013;
        })
    }

    /// Both protocols on fresh ports, PlainTextLogin and protocol logs on;
    /// then `adjust` changes the settings of `protocol`.
    pub fn with(protocol: Protocol, adjust: impl FnOnce(&mut ProtocolSettings)) -> Env {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store_path = dir.path().join("store.db");
        let mut store = Store::open_or_create(
            &store_path,
            &CreateOptions {
                server_name: Some("CAS01".into()),
                domain: Some("contoso.com".into()),
                ..Default::default()
            },
        )
        .expect("a new store");
        let (imap, pop) = (Ports::free(), Ports::free());
        let mut imap_settings = settings(&mut store, Protocol::Imap4, imap);
        let mut pop_settings = settings(&mut store, Protocol::Pop3, pop);
        adjust(if protocol == Protocol::Imap4 { &mut imap_settings } else { &mut pop_settings });
        let hash = password::hash(PASSWORD).expect("hash");
        let server = store.server().guid.clone();
        let mailbox = store
            .write(|tx| {
                Store::save_protocol_settings(tx, &server, &imap_settings)?;
                Store::save_protocol_settings(tx, &server, &pop_settings)?;
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
        let driven = if protocol == Protocol::Imap4 { imap } else { pop };
        Env {
            control: ServiceControl {
                exe: PathBuf::from(env!("CARGO_BIN_EXE_mailsh")),
                store_path: store_path.clone(),
            },
            store: store_path,
            dir,
            guid: mailbox.guid,
            plain_port: driven.plain,
            ssl_port: driven.ssl,
            proxy_port: driven.proxy,
            pop,
            started: Vec::new(),
        }
    }

    pub fn start(&mut self, s: Service) {
        self.started.push(s);
        if let Err(e) = self.control.start(s, &mut || {}) {
            panic!("{} did not start: {e}\n{}", s.name(), self.service_log(s));
        }
    }

    /// A service a test starts otherwise (with the shell's `net start`):
    /// stopped with the others when the test ends, passed or not.
    pub fn stops_at_the_end(&mut self, s: Service) {
        self.started.push(s);
    }

    pub fn stop(&mut self, s: Service) {
        let _ = self.control.stop(s, &mut || {});
    }

    pub fn start_imap(&mut self) {
        self.start(Service::Imap4Backend);
        self.start(Service::Imap4);
    }

    pub fn start_pop(&mut self) {
        self.start(Service::Pop3Backend);
        self.start(Service::Pop3);
    }

    pub fn state_dir(&self) -> PathBuf {
        mailsh::store::state_dir_for(&self.store)
    }

    pub fn service_log(&self, s: Service) -> String {
        std::fs::read_to_string(self.state_dir().join("services").join(format!("{}.log", s.name()))).unwrap_or_default()
    }

    /// A process id from a service's state file (`engine`, `supervisor`), or 0.
    fn state_pid(&self, s: Service, key: &str) -> i32 {
        let text = std::fs::read_to_string(self.state_dir().join("services").join(format!("{}.state", s.name())))
            .unwrap_or_default();
        text.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix('=')).and_then(|p| p.parse().ok()).unwrap_or(0)
    }

    /// The engine process of a service, or 0.
    pub fn engine_pid(&self, s: Service) -> i32 {
        self.state_pid(s, "engine")
    }

    /// The supervisor process of a service, or 0.
    pub fn supervisor_pid(&self, s: Service) -> i32 {
        self.state_pid(s, "supervisor")
    }

    /// Everything the protocol log files named `prefix` (`POP3`, `POP3BE`,
    /// `IMAP4`, `IMAP4BE`) hold so far.
    pub fn protocol_log(&self, prefix: &str) -> String {
        let folder = if prefix.starts_with("POP3") { "Pop3" } else { "Imap4" };
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.state_dir().join("Logging").join(folder))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(prefix))
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        });
        files.sort();
        files.iter().map(|p| std::fs::read_to_string(p).unwrap_or_default()).collect()
    }

    pub fn deliver(&self, raw: &[u8]) -> u32 {
        let mut db = MailDb::open(&mail_db_path(&self.store)).expect("mail db");
        db.deliver(&self.guid, raw).expect("delivered")
    }

    /// Forgets all but the latest `keep` expunged UIDs of the Inbox (the
    /// mailbox database's own pruning, with a smaller limit).
    pub fn prune_inbox_expunged(&self, keep: u32) {
        let mut db = MailDb::open(&mail_db_path(&self.store)).expect("mail db");
        let mbx = db.ensure_mailbox(&self.guid).expect("mailbox");
        let inbox = db.folder(mbx, "Inbox").expect("query").expect("the Inbox");
        db.prune_expunged(inbox.id, keep).expect("pruned");
    }

    pub fn inbox_uids(&self) -> Vec<u32> {
        let mut db = MailDb::open(&mail_db_path(&self.store)).expect("mail db");
        db.inbox_snapshot(&self.guid).expect("snapshot").messages.iter().map(|m| m.uid).collect()
    }

    /// The subjects of the messages in the test user's folder `name`, in
    /// UID order, read from the mailbox database.
    pub fn folder_subjects(&self, name: &str) -> Vec<String> {
        let mut db = MailDb::open(&mail_db_path(&self.store)).expect("mail db");
        let mailbox = db.ensure_mailbox(&self.guid).expect("mailbox");
        let folder = db.folder(mailbox, name).expect("query").expect("the folder");
        let mut subjects = Vec::new();
        db.each_message(folder.id, true, |m| {
            let raw = String::from_utf8_lossy(m.raw.as_deref().unwrap_or_default()).into_owned();
            subjects.extend(raw.lines().find_map(|l| l.strip_prefix("Subject: ")).map(str::to_string));
            Ok(())
        })
        .expect("read");
        subjects
    }

    /// The Inbox's messages as stored, in UID order.
    pub fn inbox_raw(&self) -> Vec<String> {
        let mut db = MailDb::open(&mail_db_path(&self.store)).expect("mail db");
        let mbx = db.ensure_mailbox(&self.guid).expect("mailbox");
        let inbox = db.folder(mbx, "Inbox").expect("query").expect("the Inbox");
        self.inbox_uids()
            .into_iter()
            .map(|uid| {
                let raw = db.message_raw(inbox.id, uid).expect("read").expect("the message");
                String::from_utf8_lossy(&raw).into_owned()
            })
            .collect()
    }

    pub fn set_imap_enabled(&self, enabled: bool) {
        self.update_mailbox(|m| m.cas.imap_enabled = enabled);
    }

    pub fn set_pop_enabled(&self, enabled: bool) {
        self.update_mailbox(|m| m.cas.pop_enabled = enabled);
    }

    pub fn update_mailbox(&self, change: impl FnOnce(&mut Mailbox)) {
        let mut store = Store::open_existing(&self.store).expect("store");
        store
            .write(|tx| {
                let mut m = Store::mailbox_for_update(tx, 1)?.expect("mailbox 1");
                change(&mut m);
                Store::update_mailbox(tx, &m)
            })
            .expect("updated");
    }

    /// Adds a mailbox that logs on as `upn` with `password` (before the
    /// services start, or any time: logons read the store); its GUID.
    pub fn add_mailbox(&self, alias: &str, upn: &str, password: &str) -> String {
        let hash = password::hash(password).expect("hash");
        let mut store = Store::open_existing(&self.store).expect("store");
        let m = store
            .write(|tx| {
                Store::insert_mailbox(
                    tx,
                    &NewMailbox {
                        name: alias.into(),
                        alias: alias.into(),
                        display_name: alias.into(),
                        upn: upn.into(),
                        primary_smtp: upn.into(),
                        password_hash: Some(hash.clone()),
                        ..Default::default()
                    },
                )
            })
            .expect("mailbox created");
        m.guid
    }

    /// Moves every receive connector to a loopback port of its own (before
    /// the transport services start).
    pub fn transport_on_free_ports(&self) -> TransportPorts {
        let ports = TransportPorts { smtp: free_port(), submission: free_port(), transport: free_port() };
        let moved = [
            ("Default Frontend CAS01", ports.smtp),
            ("Client Frontend CAS01", ports.submission),
            ("Outbound Proxy Frontend CAS01", free_port()),
            ("Default CAS01", ports.transport),
            ("Client Proxy CAS01", free_port()),
        ];
        let mut store = Store::open_existing(&self.store).expect("store");
        let connectors = store.receive_connectors().expect("connectors");
        store
            .write(|tx| {
                for (name, p) in moved {
                    let mut c = connectors.iter().find(|c| c.name == name).expect(name).clone();
                    c.bindings = vec![format!("127.0.0.1:{p}")];
                    Store::save_receive_connector(tx, &c)?;
                }
                Ok(())
            })
            .expect("connectors moved to test ports");
        ports
    }

    /// Changes the POP3 settings (before the services start: they read
    /// them at start).
    pub fn update_pop_settings(&self, change: impl FnOnce(&mut ProtocolSettings)) {
        let mut store = Store::open_existing(&self.store).expect("store");
        let mut s = store.protocol_settings(Protocol::Pop3).expect("POP3 settings");
        change(&mut s);
        let server = store.server().guid.clone();
        store.write(|tx| Store::save_protocol_settings(tx, &server, &s)).expect("saved");
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for s in self.started.iter().rev() {
            let _ = self.control.stop(*s, &mut || {});
        }
    }
}

fn login_type(secure: bool) -> LoginType {
    if secure { LoginType::SecureLogin } else { LoginType::PlainTextLogin }
}

/// A protocol's settings on loopback `ports`, with PlainTextLogin and its
/// protocol log on.
fn settings(store: &mut Store, protocol: Protocol, ports: Ports) -> ProtocolSettings {
    let mut s = store.protocol_settings(protocol).expect("protocol settings");
    s.unencrypted_or_tls_bindings = vec![format!("127.0.0.1:{}", ports.plain)];
    s.ssl_bindings = vec![format!("127.0.0.1:{}", ports.ssl)];
    s.proxy_target_port = ports.proxy as i64;
    s.login_type = LoginType::PlainTextLogin;
    s.protocol_log_enabled = true;
    s
}

/// A message From, To and Subject only, for tests that read its header
/// back line by line.
pub fn bare_message(subject: &str, body: &str) -> Vec<u8> {
    format!("From: alice@contoso.com\r\nTo: bob@contoso.com\r\nSubject: {subject}\r\n\r\n{body}").into_bytes()
}

/// A small message from Alice to Bob, with a display name and a date (as
/// ENVELOPE shows them).
pub fn message(subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Alice <alice@contoso.com>\r\nTo: bob@contoso.com\r\nSubject: {subject}\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n{body}"
    )
    .into_bytes()
}
