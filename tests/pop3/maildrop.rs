//! The maildrop's rules: deletions only at QUIT, nothing deleted by a
//! dropped connection, UIDL stable, TOP n 0, RSET.

use crate::support::{Env, bare_message, message, python, wait_until};

#[test]
fn a_dropped_connection_deletes_nothing_and_quit_deletes_what_was_marked() {
    let mut env = Env::pop(false);
    for i in 0..3 {
        env.deliver(&message(&format!("m{i}"), "x\r\n"));
    }
    env.start_pop();
    let (ok, out, err) = python(
        &env,
        r#"
import os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
p.user(os.environ['USER']); p.pass_(os.environ['PASSWORD'])
p.dele(1); p.dele(2)
p.sock.close()   # no QUIT
print('dropped')
"#,
    );
    assert!(ok, "{out}\n{err}");
    // The back end has seen the connection go, and ended the session.
    wait_until("the back end to see the client leave", || env.protocol_log("POP3BE").contains("closed by client"));
    assert_eq!(env.inbox_uids().len(), 3, "a dropped connection deletes nothing");
    let (ok, out, err) = python(
        &env,
        r#"
import os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
p.user(os.environ['USER']); p.pass_(os.environ['PASSWORD'])
p.dele(1); p.dele(3)
print(p.stat())
try:
    p.retr(1)
except poplib.error_proto as e:
    print('deleted:', e)
print(p.rset().decode()); print(p.stat())
p.dele(2)
print(p.quit().decode())
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("(1, "), "{out}");
    assert!(out.contains("deleted: b'-ERR"), "{out}");
    assert!(out.contains("(3, "), "RSET unmarks: {out}");
    assert!(out.contains("+OK Microsoft Exchange Server POP3 server signing off."), "{out}");
    let left = env.inbox_uids();
    assert_eq!(left.len(), 2, "only message 2 deleted: {left:?}");
}

#[test]
fn uidl_is_stable_across_sessions_and_top_zero_is_the_header() {
    let mut env = Env::pop(false);
    env.deliver(&bare_message("a", "line one\r\nline two\r\n"));
    env.deliver(&bare_message("b", "body b\r\n"));
    env.start_pop();
    let script = r#"
import os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
p.user(os.environ['USER']); p.pass_(os.environ['PASSWORD'])
print('UIDL', p.uidl()[1])
print('ONE', p.uidl(2))
print('LIST', p.list()[1])
top = p.top(1, 0)[1]
print('TOP0', top)
print('TOP1', p.top(1, 1)[1])
p.quit()
"#;
    let (ok, first, err) = python(&env, script);
    assert!(ok, "{first}\n{err}");
    let (ok, second, err) = python(&env, script);
    assert!(ok, "{second}\n{err}");
    let uidl = |s: &str| s.lines().find(|l| l.starts_with("UIDL")).unwrap_or_default().to_string();
    assert_eq!(uidl(&first), uidl(&second), "UIDL stable across sessions");
    assert!(first.contains("TOP0 [b'From: alice@contoso.com', b'To: bob@contoso.com', b'Subject: a', b'']"), "{first}");
    assert!(
        first.contains("TOP1 [b'From: alice@contoso.com', b'To: bob@contoso.com', b'Subject: a', b'', b'line one']"),
        "{first}"
    );
    let raw_len = bare_message("a", "line one\r\nline two\r\n").len();
    assert!(first.contains(&format!("b'1 {raw_len}'")), "LIST sizes are the CRLF octets: {first}");
}

#[test]
fn protocol_log_never_holds_the_password() {
    let mut env = Env::pop(false);
    env.start_pop();
    let (ok, out, err) = python(
        &env,
        r#"
import os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
p.user(os.environ['USER']); p.pass_(os.environ['PASSWORD']); p.quit()
"#,
    );
    assert!(ok, "{out}\n{err}");
    let dir = env.state_dir().join("Logging").join("Pop3");
    let mut all = String::new();
    for entry in std::fs::read_dir(&dir).expect("the log folder exists").flatten() {
        all.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    assert!(all.contains("PASS ****"), "{all}");
    assert!(all.contains(crate::support::USER), "{all}");
    assert!(!all.contains(crate::support::PASSWORD), "{all}");
}
