//! LoginType and TLS: LOGINDISABLED on the plain port under SecureLogin,
//! STARTTLS, then login; implicit TLS on the SSL binding.

use crate::support::{Env, python};

#[test]
fn secure_login_disables_login_until_starttls() {
    let mut env = Env::imap(true);
    env.start_imap();
    let (ok, out, err) = python(
        &env,
        r#"
import os, imaplib, ssl
m = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']))
print(sorted(m.capabilities))
try:
    m.login(os.environ['USER'], os.environ['PASSWORD'])
    print('logged in without TLS')
except imaplib.IMAP4.error as e:
    print('refused:', e)
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
print(m.starttls(ssl_context=ctx))
print(sorted(m.capabilities))
print(m.login(os.environ['USER'], os.environ['PASSWORD']))
print(m.select('INBOX'))
m.logout()
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("'LOGINDISABLED'") && out.contains("'STARTTLS'"), "{out}");
    assert!(out.contains("refused: LOGIN command error: BAD [b'Command received in Invalid state.']"), "{out}");
    let after_tls = out.lines().nth(3).unwrap_or("");
    assert!(after_tls.contains("'AUTH=PLAIN'") && !after_tls.contains("LOGINDISABLED"), "{out}");
    assert!(out.contains("LOGIN completed.'])"), "{out}");
}

#[test]
fn implicit_tls_on_the_ssl_binding() {
    let mut env = Env::imap(true);
    env.start_imap();
    let (ok, out, err) = python(
        &env,
        r#"
import os, imaplib, ssl
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
m = imaplib.IMAP4_SSL('127.0.0.1', int(os.environ['SSL_PORT']), ssl_context=ctx)
print(sorted(m.capabilities))
print(m.login(os.environ['USER'], os.environ['PASSWORD']))
print(m.logout())
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert!(!out.contains("STARTTLS") && !out.contains("LOGINDISABLED"), "{out}");
    assert!(out.contains("LOGIN completed.'])"), "{out}");
}

#[test]
fn curl_over_implicit_tls_with_authenticate_plain() {
    let mut env = Env::imap(true);
    env.deliver(b"Subject: via curl\r\n\r\nhello curl\r\n");
    env.start_imap();
    let out = std::process::Command::new("curl")
        .args(["-sS", "-k", "--max-time", "20", "--login-options", "AUTH=PLAIN"])
        .arg(format!("imaps://127.0.0.1:{}/INBOX;UID=1", env.ssl_port))
        .args(["-u", &format!("{}:{}", crate::support::USER, crate::support::PASSWORD)])
        .output()
        .expect("curl runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(text, "Subject: via curl\r\n\r\nhello curl\r\n");
}

#[test]
fn authenticate_plain_with_a_continuation_after_starttls() {
    let mut env = Env::imap(true);
    env.start_imap();
    let (ok, out, err) = python(
        &env,
        r#"
import os, imaplib, ssl
m = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']))
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
m.starttls(ssl_context=ctx)
creds = ('\0' + os.environ['USER'] + '\0' + os.environ['PASSWORD']).encode()
print(m.authenticate('PLAIN', lambda challenge: creds))
print(m.select('INBOX'))
try:
    imaplib.IMAP4('127.0.0.1', int(os.environ['PORT'])).authenticate('PLAIN', lambda c: creds)
except imaplib.IMAP4.error as e:
    print('plain text:', e)
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("AUTHENTICATE completed.'])"), "{out}");
    assert!(out.contains("('OK', [b'0'])"), "{out}");
    assert!(
        out.contains("plain text: AUTHENTICATE command error: BAD [b'Command received in Invalid state.']"),
        "{out}"
    );
}
