//! Who may log on: ImapEnabled checked at every login and refused exactly
//! like a wrong password; access turned off closes open sessions within
//! 5 s; a back end that is down after the credentials were accepted.

use crate::support::access::{refused_exactly_like_a_wrong_password, turning_access_off_closes_the_session};
use crate::support::{Env, Script, python};
use mailsh::services::Service;

const LOGIN: &str = r#"
import os, imaplib, sys
m = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']))
try:
    print(m.login(os.environ['USER'], sys.argv[1] if len(sys.argv) > 1 else os.environ['PASSWORD']))
except imaplib.IMAP4.error as e:
    print(e)
"#;

#[test]
fn imap_disabled_is_refused_exactly_like_a_wrong_password() {
    let mut env = Env::imap(false);
    env.start_imap();
    let wrong = LOGIN.replace("sys.argv[1] if len(sys.argv) > 1 else os.environ['PASSWORD']", "'wrong password'");
    let (out_wrong, out) = refused_exactly_like_a_wrong_password(&env, LOGIN, &wrong, Env::set_imap_enabled);
    assert_eq!(out_wrong.trim(), "b'LOGIN failed.'");
    assert_eq!(
        out.trim(),
        format!("('OK', [b'[CAPABILITY {}] LOGIN completed.'])", mailsh::engines::imap::capability::FULL)
    );
}

#[test]
fn turning_access_off_closes_an_open_session_within_five_seconds() {
    let mut env = Env::imap(false);
    env.start_imap();
    let client = r#"
import os, imaplib, socket, time
m = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']), timeout=20)
m.login(os.environ['USER'], os.environ['PASSWORD']); m.select('INBOX')
print('in', flush=True)
start = time.time()
try:
    # Untagged lines (the BYE) until the server closes the connection.
    while line := m.readline():
        print(line.decode().strip(), flush=True)
    print('closed after', round(time.time() - start, 1))
except socket.timeout:
    print('still open')
"#;
    turning_access_off_closes_the_session(&env, client, Env::set_imap_enabled, 6.0);
}

#[test]
fn a_back_end_that_is_down_gives_not_connected_after_the_logon() {
    let mut env = Env::imap(false);
    env.start(Service::Imap4);
    let (ok, out, err) = python(
        &env,
        r#"
import os, imaplib
m = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']))
try:
    m.login(os.environ['USER'], os.environ['PASSWORD'])
except imaplib.IMAP4.error as e:
    print(e)
m.state = 'AUTH'
try:
    m.select('INBOX')
except imaplib.IMAP4.error as e:
    print(e)
print(m.logout())
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("b'LOGIN failed.'"), "{out}");
    assert!(out.contains("SELECT command error: BAD [b'User is authenticated but not connected.']"), "{out}");
}

/// A client logged on through the front end; `service` stops; what it read.
fn logged_on_client_when_stopping(service: Service) -> String {
    let mut env = Env::imap(false);
    env.start_imap();
    let mut client = Script::spawn(
        &env,
        r#"
import os, socket
s = socket.create_connection(('127.0.0.1', int(os.environ['PORT'])), timeout=20)
f = s.makefile('rwb'); f.readline()
f.write(b'a LOGIN ' + os.environ['USER'].encode() + b' "' + os.environ['PASSWORD'].encode() + b'"\r\n'); f.flush()
print(f.readline().decode().strip(), flush=True)
while True:
    l = f.readline()
    if not l: break
    print(l.decode().strip(), flush=True)
"#,
    );
    client.wait_for("LOGIN completed.");
    env.stop(service);
    client.output()
}

#[test]
fn stopping_the_back_end_ends_sessions_with_bye() {
    let text = logged_on_client_when_stopping(Service::Imap4Backend);
    assert!(text.starts_with("a OK [CAPABILITY ") && text.contains("] LOGIN completed.\n"), "{text}");
    assert!(text.contains("* BYE Microsoft Exchange Server IMAP4 server signing off."), "{text}");
}

#[test]
fn stopping_the_front_end_says_bye_to_logged_on_clients() {
    let text = logged_on_client_when_stopping(Service::Imap4);
    assert!(text.starts_with("a OK [CAPABILITY ") && text.contains("] LOGIN completed.\n"), "{text}");
    assert!(text.contains("* BYE Microsoft Exchange Server IMAP4 server signing off."), "{text}");
}

#[test]
fn stopping_the_front_end_says_bye_to_clients_not_yet_logged_on() {
    let mut env = Env::imap(false);
    env.start_imap();
    let mut client = Script::spawn(
        &env,
        r#"
import os, socket
s = socket.create_connection(('127.0.0.1', int(os.environ['PORT'])), timeout=20)
f = s.makefile('rwb'); print(f.readline().decode().strip(), flush=True)
while True:
    l = f.readline()
    if not l: break
    print(l.decode().strip(), flush=True)
"#,
    );
    client.wait_for("* OK");
    env.stop(Service::Imap4);
    let text = client.output();
    assert!(text.contains("* BYE Microsoft Exchange Server IMAP4 server signing off."), "{text}");
}

#[test]
fn max_connections_per_user_refuses_the_extra_login() {
    let mut env = Env::imap_with(|s| {
        s.login_type = mailsh::store::LoginType::PlainTextLogin;
        s.max_connections_per_user = 2;
    });
    env.start_imap();
    let (ok, out, err) = python(
        &env,
        r#"
import os, imaplib
port = int(os.environ['PORT'])
held = []
for i in range(3):
    m = imaplib.IMAP4('127.0.0.1', port)
    try:
        print(m.login(os.environ['USER'], os.environ['PASSWORD'])); held.append(m)
    except imaplib.IMAP4.error as e:
        print('refused', e)
held[0].logout()
m = imaplib.IMAP4('127.0.0.1', port)
print('after logout', m.login(os.environ['USER'], os.environ['PASSWORD']))
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(out.matches("LOGIN completed.").count(), 3, "{out}");
    assert!(out.contains("refused b'LOGIN failed.'"), "{out}");
    assert!(out.contains("after logout ('OK'"), "a slot is given back at logout: {out}");
}
