//! POP3 over STLS and implicit TLS, and LoginType SecureLogin.

use crate::support::{Env, message, python};

#[test]
fn secure_login_refuses_plain_text_until_stls_then_logs_on() {
    let mut env = Env::pop(true);
    env.deliver(&message("hello", "body\r\n"));
    env.start_pop();
    let (ok, out, err) = python(
        &env,
        r#"
import os, poplib, ssl
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
caps = p.capa()
print('before', sorted(caps))
try:
    p.user(os.environ['USER'])
    print('USER accepted')
except poplib.error_proto as e:
    print('USER refused', e)
p.stls(ssl._create_unverified_context())
print('after', sorted(p.capa()))
p.user(os.environ['USER'])
print(p.pass_(os.environ['PASSWORD']).decode())
print(p.stat())
p.quit()
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("before ['PIPELINING', 'STLS', 'TOP', 'UIDL']"), "{out}");
    assert!(out.contains("USER refused b'-ERR Command is not valid in this state.'"), "{out}");
    assert!(out.contains("after ['PIPELINING', 'SASL', 'TOP', 'UIDL', 'USER']"), "{out}");
    assert!(out.contains("+OK User successfully logged on."), "{out}");
    assert!(out.contains("(1, "), "{out}");
}

#[test]
fn implicit_tls_serves_the_same_session() {
    let mut env = Env::pop(true);
    env.deliver(&message("hello", "over tls\r\n"));
    env.start_pop();
    let (ok, out, err) = python(
        &env,
        r#"
import os, poplib, ssl
p = poplib.POP3_SSL('127.0.0.1', int(os.environ['SSL_PORT']), context=ssl._create_unverified_context(), timeout=20)
print(p.getwelcome().decode())
p.user(os.environ['USER'])
print(p.pass_(os.environ['PASSWORD']).decode())
print(b'\n'.join(p.retr(1)[1]).decode())
p.quit()
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("+OK The Microsoft Exchange POP3 service is ready."), "{out}");
    assert!(out.contains("over tls"), "{out}");
    let certs: Vec<_> = std::fs::read_dir(env.state_dir().join("certs")).expect("certs folder").collect();
    assert!(certs.len() >= 2, "the self-signed pair is kept in <state>/certs");
}

#[test]
fn auth_plain_with_and_without_initial_response() {
    let mut env = Env::pop(false);
    env.start_pop();
    let (ok, out, err) = python(
        &env,
        r#"
import os, poplib, base64
u, pw = os.environ['USER'], os.environ['PASSWORD']
token = base64.b64encode(b'\0' + u.encode() + b'\0' + pw.encode()).decode()
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
print(p._shortcmd('AUTH PLAIN ' + token).decode())
p.quit()
p = poplib.POP3('127.0.0.1', int(os.environ['PORT']), timeout=20)
p._putcmd('AUTH PLAIN')
print(p._getline()[0].decode())
print(p._shortcmd(token).decode())
p.quit()
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(out.matches("+OK User successfully logged on.").count(), 2, "{out}");
    assert!(out.contains("\n+ \n"), "the empty continuation: {out}");
}
