//! POP3 end to end: the real mailsh services and Python's poplib.

use crate::support::{Env, message, python};

#[test]
fn poplib_lists_retrieves_and_deletes_only_at_quit() {
    let mut env = Env::pop(false);
    env.deliver(&message("one", "first body\r\n.leading dot\r\n"));
    env.deliver(&message("two", "second body\r\n"));
    env.start_pop();
    let (ok, out, err) = python(
        &env,
        r#"
import os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
print(p.getwelcome().decode())
print(p.user(os.environ['USER']).decode())
print(p.pass_(os.environ['PASSWORD']).decode())
print(p.stat())
resp, lines, octets = p.retr(1)
print(b'\n'.join(lines).decode())
print(p.uidl())
print(p.dele(1).decode())
print(p.stat())
print(p.quit().decode())
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("+OK The Microsoft Exchange POP3 service is ready."), "{out}");
    assert!(out.contains("+OK User successfully logged on."), "{out}");
    assert!(out.contains(".leading dot"), "dot-stuffing undone by the client: {out}");
    assert_eq!(env.inbox_uids().len(), 1, "DELE applied at QUIT");
}
