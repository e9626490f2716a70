//! Real clients other than imaplib and curl: fetchmail over IMAP with
//! STARTTLS, and the Test-ImapConnectivity probe (Plaintext, Tls, Ssl).

use std::process::Command;
use std::time::Duration;

use crate::support::fetchmail::{fetchmail, fetchmail_installed};
use crate::support::{Env, PASSWORD, Script, USER, message};
use mailsh::engines::probe::{ConnectionType, ProbeProtocol, ProbeRequest, probe};

#[test]
fn fetchmail_downloads_and_deletes_over_starttls() {
    if !fetchmail_installed() {
        return;
    }
    let mut env = Env::imap(true);
    env.deliver(&message("fm one", "body one\r\n"));
    env.deliver(&message("fm two", "body two\r\n"));
    env.start_imap();
    let (fetched, log) = fetchmail(&env, "imap", "");
    assert!(fetched.contains("Subject: fm one") && fetched.contains("Subject: fm two"), "{fetched}\n{log}");
    assert!(log.contains("STARTTLS"), "{log}");
    assert!(env.inbox_uids().is_empty(), "fetchmail flags \\Deleted and expunges\n{log}");
}

fn request(env: &Env, connection: ConnectionType) -> ProbeRequest {
    ProbeRequest {
        protocol: ProbeProtocol::Imap4,
        host: "127.0.0.1".into(),
        port: if connection == ConnectionType::Ssl { env.ssl_port } else { env.plain_port },
        connection,
        user: USER.into(),
        password: PASSWORD.into(),
        trust_any_certificate: true,
        extra_roots: vec![],
        timeout: Duration::from_secs(20),
    }
}

#[test]
fn the_connectivity_probe_logs_on_over_plaintext_tls_and_ssl() {
    let mut env = Env::imap(false);
    env.start_imap();
    for connection in [ConnectionType::Plaintext, ConnectionType::Tls, ConnectionType::Ssl] {
        let result = probe(&request(&env, connection));
        assert!(result.is_ok(), "{connection:?}: {result:?}");
    }
    let mut wrong = request(&env, ConnectionType::Plaintext);
    wrong.password = "nope".into();
    assert_eq!(probe(&wrong), Err("p2 NO LOGIN failed.".to_string()));
}

#[test]
fn a_pop3_deletion_reaches_an_imap_idle_session() {
    let mut env = Env::imap(false);
    env.deliver(&message("shared", "x\r\n"));
    // POP3 on its own ports, same store and mailbox database.
    let pop_plain = env.pop.plain;
    env.start_imap();
    env.start_pop();
    let mut idler = Script::spawn(
        &env,
        r#"
import os, socket, sys
s = socket.create_connection(('127.0.0.1', int(os.environ['PORT'])), timeout=20)
f = s.makefile('rwb')
def send(line): f.write(line + b'\r\n'); f.flush()
def until(prefix):
    while True:
        l = f.readline()
        if not l: return
        sys.stdout.write(l.decode()); sys.stdout.flush()
        if l.startswith(prefix): return
f.readline()
send(b'a LOGIN ' + os.environ['USER'].encode() + b' "' + os.environ['PASSWORD'].encode() + b'"'); until(b'a ')
send(b'b SELECT INBOX'); until(b'b ')
send(b'c IDLE'); until(b'+ ')
until(b'* 1 EXPUNGE')
send(b'DONE'); until(b'c ')
"#,
    );
    idler.wait_for("+ idling");
    let pop = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import poplib\np = poplib.POP3('127.0.0.1', {pop_plain}, timeout=20)\np.user('{USER}'); p.pass_('{PASSWORD}'); p.dele(1); p.quit()\nprint('deleted')"
        ))
        .output()
        .expect("python3");
    assert!(String::from_utf8_lossy(&pop.stdout).contains("deleted"), "{pop:?}");
    let text = idler.output();
    assert!(text.contains("* 1 EXPUNGE") && text.contains("c OK IDLE completed."), "{text}");
}
