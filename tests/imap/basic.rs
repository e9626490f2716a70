//! IMAP4 end to end: the real mailsh services (front end and back end) and
//! Python's imaplib.

use crate::support::{Env, imaplib_session, message, python};

#[test]
fn imaplib_logs_in_lists_selects_and_fetches() {
    let mut env = Env::imap(false);
    env.deliver(&message("one", "first body\r\n"));
    env.deliver(&message("two", "second body\r\n"));
    env.start_imap();
    let (ok, out, err) = python(
        &env,
        r#"
import os, imaplib
m = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']))
print(m.welcome.decode())
print(sorted(m.capabilities))
print(m.login(os.environ['USER'], os.environ['PASSWORD']))
typ, boxes = m.list()
for b in boxes: print(b.decode())
print(m.select('INBOX'))
print(m.fetch('1:*', '(UID FLAGS RFC822.SIZE ENVELOPE)'))
typ, data = m.fetch('2', '(BODY.PEEK[])')
print(data[0][0].decode()); print(data[0][1].decode())
print(m.fetch('1', '(BODYSTRUCTURE)'))
print(m.search(None, 'HEADER', 'Subject', 'two'))
print(m.uid('SEARCH', 'ALL'))
print(m.logout())
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("] The Microsoft Exchange IMAP4 service is ready."), "{out}");
    assert!(out.contains("'IMAP4REV1'"), "{out}");
    assert!(out.contains("LOGIN completed.'])"), "{out}");
    assert!(out.contains("(\\HasNoChildren \\Sent) \"/\" \"Sent Items\""), "{out}");
    assert!(
        out.contains("(\\HasNoChildren) \"/\" INBOX") || out.contains("(\\HasNoChildren) \"/\" \"INBOX\""),
        "{out}"
    );
    assert!(!out.contains("Calendar"), "hidden folders stay hidden: {out}");
    assert!(out.contains("('OK', [b'2'])"), "SELECT gives EXISTS: {out}");
    assert!(out.contains("2 (BODY[] {"), "{out}");
    assert!(out.contains("Subject: two"), "{out}");
    assert!(
        out.contains("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 12 1 NIL NIL NIL NIL)"),
        "{out}"
    );
    assert!(out.contains("('OK', [b'2'])\n('OK', [b'1 2'])"), "{out}");
}

#[test]
fn protocol_logs_name_commands_but_never_passwords() {
    let mut env = Env::imap(false);
    env.start_imap();
    let (ok, out, err) = imaplib_session(
        &env,
        r#"
m.select('INBOX'); m.logout()
"#,
    );
    assert!(ok, "{out}\n{err}");
    let dir = mailsh::store::state_dir_for(&env.store).join("Logging").join("Imap4");
    let mut text = String::new();
    for entry in std::fs::read_dir(&dir).expect("the protocol log folder exists").flatten() {
        text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    assert!(text.contains("LOGIN") && text.contains("SELECT"), "{text}");
    assert!(!text.contains(crate::support::PASSWORD), "{text}");
}
