//! Who may log on: PopEnabled checked at every login and answered like a
//! wrong password; access turned off closes open sessions; a back end that
//! is down after the credentials were accepted.

use crate::support::access::{refused_exactly_like_a_wrong_password, turning_access_off_closes_the_session};
use crate::support::{Env, python};
use mailsh::services::Service;

const LOGIN: &str = r#"
import os, poplib, sys
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=30)
p.user(os.environ['USER'])
try:
    print(p.pass_(sys.argv[1] if len(sys.argv) > 1 else os.environ['PASSWORD']).decode())
except poplib.error_proto as e:
    print(e.args[0].decode())
"#;

#[test]
fn pop_disabled_is_refused_exactly_like_a_wrong_password() {
    let mut env = Env::pop(false);
    env.start_pop();
    let wrong = LOGIN.replace("os.environ['PASSWORD']).decode())", "'wrong password').decode())");
    let (out_wrong, out) = refused_exactly_like_a_wrong_password(&env, LOGIN, &wrong, Env::set_pop_enabled);
    assert_eq!(out_wrong.trim(), "-ERR Logon failure: unknown user name or bad password.");
    assert_eq!(out.trim(), "+OK User successfully logged on.");
}

#[test]
fn turning_access_off_closes_an_open_session_within_five_seconds() {
    let mut env = Env::pop(false);
    env.start_pop();
    let client = r#"
import os, poplib, socket, time
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
p.user(os.environ['USER']); p.pass_(os.environ['PASSWORD'])
print('in', flush=True)
start = time.time()
try:
    # Whatever the server says until it closes the connection.
    while p.file.readline(): pass
    print('closed after', round(time.time() - start, 1))
except socket.timeout:
    print('still open')
"#;
    turning_access_off_closes_the_session(&env, client, Env::set_pop_enabled, 8.0);
}

#[test]
fn a_back_end_that_is_down_gives_not_connected_after_the_logon() {
    let mut env = Env::pop(false);
    env.start(Service::Pop3);
    let (ok, out, err) = python(
        &env,
        r#"
import os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
p.user(os.environ['USER'])
try:
    p.pass_(os.environ['PASSWORD'])
except poplib.error_proto as e:
    print(e.args[0].decode())
try:
    p.stat()
except poplib.error_proto as e:
    print(e.args[0].decode())
print(p.quit().decode())
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(
        out,
        "-ERR User is authenticated but not connected.\n-ERR User is authenticated but not connected.\n+OK Microsoft Exchange Server POP3 server signing off.\n"
    );
}
