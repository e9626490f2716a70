//! The directory on both backends: the same cmdlets, messages, validation
//! and audit with `-Store PATH` (SQLite) and `-Store postgresql://...`
//! (a real PostgreSQL, `support::postgres`); concurrent writers on
//! PostgreSQL; what is not on PostgreSQL yet is refused by name.

mod backends;
mod groups;
mod mail_flow;
mod moves;
mod pooled;
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

/// Set-CASMailbox (MAPIEnabled on, off, ...) and Set-Mailbox
/// (IssueWarningQuota 1MB, 2MB, ...) on John, `times` each, from two shells
/// at once; then "MAPIEnabled IssueWarningQuota" as read after both.
pub fn set_john_from_two_shells_at_once(d: &Dir, times: u32) -> String {
    let a = d.spawn(&format!("foreach ($i in 1..{times}) {{ Set-CASMailbox jsmith -MAPIEnabled ([bool]($i % 2)) }}"));
    let b = d.spawn(&format!("foreach ($i in 1..{times}) {{ Set-Mailbox jsmith -IssueWarningQuota \"$($i)MB\" }}"));
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    d.ok("$m = Get-Mailbox jsmith; $c = Get-CASMailbox jsmith; \"$($c.MAPIEnabled) $($m.IssueWarningQuota)\"")
}

/// Runs a Python client script with `ports` in its environment (each
/// `NAME` to its port); what it printed. It must succeed.
pub fn python(script: &str, ports: &[(&str, u16)]) -> String {
    let mut c = Command::new("python3");
    c.arg("-c").arg(script).stdin(Stdio::null());
    for (name, port) in ports {
        c.env(name, port.to_string());
    }
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
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

/// A client at a server's published endpoint that cannot prove the
/// organization's key: TLS, the organization's challenge, `line` sent
/// anyway; returns what it read (the challenge's start, the refusal, and
/// the end of the connection).
/// The endpoint must be at `address`, where the server's Setup put it.
pub fn stranger_at(d: &Dir, server: &str, address: &str, service: &str, line: &str) -> String {
    const STRANGER: &str = r#"
import os, socket, ssl
host, port = os.environ['ENDPOINT'].rsplit(':', 1)
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
tls = ctx.wrap_socket(socket.create_connection((host, int(port)), timeout=10), server_hostname='stranger')
f = tls.makefile('rb')
print(f.readline()[:15])
tls.sendall(os.environ['LINE'].encode() + b'\r\n')
print(f.readline().strip())
print(f.readline())
"#;
    let mut directory = ::postgres::Client::connect(&d.store, ::postgres::NoTls).unwrap();
    let endpoint: String = directory
        .query_one(
            "SELECT st.endpoint FROM service_state st JOIN exchange_server s ON s.guid = st.server_guid
             WHERE s.name = $1 AND st.name = $2",
            &[&server, &service],
        )
        .unwrap()
        .get(0);
    assert!(endpoint.starts_with(&format!("{address}:")), "{endpoint}");
    let out =
        Command::new("python3").arg("-c").arg(STRANGER).env("ENDPOINT", &endpoint).env("LINE", line).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The organization of the three-server tests: CAS01 (Client Access) at
/// 127.0.0.2, MBX01 (Mailbox) at 127.0.0.3, MBX02 (`mbx02_roles`) at
/// 127.0.0.4; CAS01's SMTP and IMAP4 front doors and both Mailbox servers'
/// Transports and IMAP4 back ends on free ports. Returns CAS01's (SMTP,
/// IMAP4) ports.
pub fn three_servers(d: &Dir, mbx02_roles: &str) -> (u16, u16) {
    for (name, roles, address) in
        [("CAS01", "ClientAccess", "127.0.0.2"), ("MBX01", "Mailbox", "127.0.0.3"), ("MBX02", mbx02_roles, "127.0.0.4")]
    {
        let r = d.setup(&["-Mode", "Install", "-Roles", roles, "-ServerName", name, "-Address", address]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let [smtp, submission, outbound, transport, proxy, imap, imaps, proxy_imap] =
        [(); 8].map(|_| crate::support::free_port());
    d.ok_on(
        "CAS01",
        &format!(
            "Set-ReceiveConnector 'Default Frontend CAS01' -Bindings 127.0.0.2:{smtp}
             Set-ReceiveConnector 'Client Frontend CAS01' -Bindings 127.0.0.2:{submission}
             Set-ReceiveConnector 'Outbound Proxy Frontend CAS01' -Bindings 127.0.0.2:{outbound}
             Set-ImapSettings -UnencryptedOrTLSBindings 127.0.0.2:{imap} -SSLBindings 127.0.0.2:{imaps} -LoginType PlainTextLogin -WarningAction SilentlyContinue
             foreach ($s in 'MBX01', 'MBX02') {{
                 $a = @{{MBX01='127.0.0.3'; MBX02='127.0.0.4'}}[$s]
                 Set-ReceiveConnector \"$s\\Default $s\" -Bindings \"$($a):{transport}\"
                 Set-ReceiveConnector \"$s\\Client Proxy $s\" -Bindings \"$($a):{proxy}\"
                 Set-ImapSettings -Server $s -ProxyTargetPort {proxy_imap} -WarningAction SilentlyContinue
             }}"
        ),
    );
    (smtp, imap)
}
