//! Limits a hostile or careless client meets: connections per address and
//! per user, the pre-authentication timeout, MaxCommandSize, garbage.

use crate::support::{Env, python};

#[test]
fn connections_per_address_and_per_user_are_capped() {
    let mut env = Env::pop(false);
    env.update_pop_settings(|s| {
        s.max_connection_from_single_ip = 2;
        s.max_connections_per_user = 1;
    });
    env.start_pop();
    let (ok, out, err) = python(
        &env,
        r#"
import os, poplib, socket
port = int(os.environ['PORT'])
a = poplib.POP3('127.0.0.1', port, timeout=20)
a.user(os.environ['USER']); print('a', a.pass_(os.environ['PASSWORD']).decode())
b = poplib.POP3('127.0.0.1', port, timeout=20)
b.user(os.environ['USER'])
try:
    b.pass_(os.environ['PASSWORD'])
except poplib.error_proto as e:
    print('b', e.args[0].decode())
s = socket.create_connection(('127.0.0.1', port), timeout=20)
print('c', s.recv(200).decode().strip())
a.quit()
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("a +OK User successfully logged on."), "{out}");
    assert!(out.contains("b -ERR Logon failure: too many connections for this user."), "{out}");
    assert!(out.contains("c -ERR Connection is refused: too many connections."), "{out}");
}

#[test]
fn idle_before_login_times_out_and_long_or_garbage_lines_are_refused() {
    let mut env = Env::pop(false);
    env.update_pop_settings(|s| s.preauthenticated_connection_timeout = 1);
    env.start_pop();
    let (ok, out, err) = python(
        &env,
        r#"
import os, socket
s = socket.create_connection(('127.0.0.1', int(os.environ['PORT'])), timeout=20)
f = s.makefile('rb')
f.readline()
s.sendall(b'X' * 5000 + b'\r\n'); print(f.readline().decode().strip())
s.sendall(b'\xff\xfe\x00garbage\r\n'); print(f.readline().decode().strip())
s.sendall(b'FROB\r\n'); print(f.readline().decode().strip())
s.sendall(b'STAT\r\n'); print(f.readline().decode().strip())
s.sendall(b'RETR\r\n'); print(f.readline().decode().strip())
print(f.readline().decode().strip())
print(repr(f.readline()))
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(
        out,
        "-ERR Command is too long.\n-ERR Command argument error. 12\n-ERR Protocol error. 14\n\
         -ERR Command is not valid in this state.\n-ERR Command argument error. 12\n-ERR Connection timed out.\nb''\n"
    );
}

#[test]
fn an_idle_logged_on_session_times_out_without_deleting() {
    let mut env = Env::pop(false);
    env.deliver(&crate::support::message("stay", "x\r\n"));
    env.update_pop_settings(|s| s.authenticated_connection_timeout = 1);
    env.start_pop();
    let (ok, out, err) = python(
        &env,
        r#"
import os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
p.user(os.environ['USER']); p.pass_(os.environ['PASSWORD'])
p.dele(1)
print(p.file.readline().decode().strip())
print(repr(p.file.readline()))
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(out, "-ERR Connection timed out.\nb''\n");
    assert_eq!(env.inbox_uids().len(), 1, "a timed-out session deletes nothing");
}
