//! Mailbox commands end to end with imaplib and curl: APPEND (with the `+`
//! continuation), FETCH (partial, past the end), SEARCH, STORE, EXPUNGE,
//! COPY/MOVE with UIDPLUS codes, and IDLE seeing another session's APPEND.

use crate::support::{Env, PASSWORD, Script, USER, imaplib_session, message, python};

#[test]
fn append_fetch_search_store_expunge_move() {
    let mut env = Env::imap(false);
    env.start_imap();
    let (ok, out, err) = imaplib_session(
        &env,
        r#"
msg = b'From: a@contoso.com\r\nSubject: hello there\r\nX-Tag: findme\r\n\r\nbody text\r\n'
print('append', m.append('INBOX', '(\\Flagged)', None, msg))
print('append2', m.append('INBOX', None, None, b'Subject: second\r\n\r\nx\r\n'))
print('select', m.select('INBOX'))
print('partial', m.fetch('1', '(BODY.PEEK[]<0.393216>)'))
print('partial2', m.fetch('1', '(BODY.PEEK[]<10.5>)'))
print('fields', m.fetch('1', '(BODY.PEEK[HEADER.FIELDS (SUBJECT X-TAG)])'))
print('rfc822', m.fetch('2', '(RFC822.SIZE RFC822.HEADER)'))
print('search', m.search(None, 'HEADER', 'X-Tag', 'findme'))
print('search2', m.search(None, 'FLAGGED'))
print('search3', m.search(None, 'BODY', 'TEXT', 'UNSEEN'))
print('store', m.store('1', '+FLAGS', '(\\Seen \\Deleted)'))
print('uidstore', m.uid('STORE', '2', '+FLAGS.SILENT', '(\\Answered)'))
print('range', m.fetch('5:1', '(FLAGS)'))
print('copy', m.copy('2', 'Drafts'))
print('expunge', m.expunge())
print('after', m.fetch('1:*', '(UID)'))
print('move', m.uid('MOVE', '2', '"Deleted Items"'))
print('status', m.status('"Deleted Items"', '(MESSAGES UIDNEXT UNSEEN)'))
print('create', m.create('Projects/2026'))
print('list', m.list('""', 'Projects*'))
print('missing', m.append('Nowhere', None, None, b'Subject: x\r\n\r\ny\r\n'))
m.logout()
"#,
    );
    assert!(ok, "{out}\n{err}");
    let line = |name: &str| out.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_default().to_string();
    assert!(line("append").contains("[APPENDUID "), "{out}");
    assert!(line("append").ends_with(" 1] APPEND completed.'])"), "{out}");
    assert!(line("partial").contains("b'1 (BODY[]<0> {71}'"), "past the end: what exists, origin echoed: {out}");
    assert!(line("partial2").contains("b'1 (BODY[]<10> {5}', b'ntoso'"), "{out}");
    assert!(
        line("fields").contains(
            "BODY[HEADER.FIELDS (SUBJECT X-TAG)] {39}', b'Subject: hello there\\r\\nX-Tag: findme\\r\\n\\r\\n'"
        ),
        "{out}"
    );
    assert!(line("rfc822").contains("RFC822.SIZE 22 RFC822.HEADER {19}"), "{out}");
    assert_eq!(line("search"), "search ('OK', [b'1'])", "{out}");
    assert_eq!(line("search2"), "search2 ('OK', [b'1'])", "{out}");
    assert_eq!(line("search3"), "search3 ('OK', [b'1'])", "{out}");
    assert!(
        line("store").contains("1 (FLAGS (\\\\Recent \\\\Seen \\\\Flagged \\\\Deleted))"),
        "the appended message is recent here: {out}"
    );
    assert_eq!(line("uidstore"), "uidstore ('OK', [None])", "silent: {out}");
    assert!(line("range").contains("b'1 (FLAGS"), "{out}");
    assert!(line("copy").contains("[COPYUID "), "{out}");
    assert_eq!(line("after"), "after ('OK', [b'1 (UID 2)'])", "{out}");
    assert!(line("move").starts_with("move ('OK'"), "{out}");
    assert!(line("status").contains("(MESSAGES 1 UIDNEXT 2 UNSEEN 1)"), "{out}");
    assert!(
        line("list").contains("(\\\\HasChildren) \"/\" Projects")
            || line("list").contains("(\\\\HasChildren) \"/\" \"Projects\""),
        "{out}"
    );
    assert!(line("missing").contains("TRYCREATE"), "{out}");
    assert!(env.inbox_uids().is_empty(), "{out}");
}

#[test]
fn curl_appends_with_continuation_and_fetches_a_literal() {
    let mut env = Env::imap(false);
    env.start_imap();
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("m.eml");
    std::fs::write(&file, message("by curl", "uploaded\r\n")).expect("written");
    let url = format!("imap://127.0.0.1:{}/INBOX", env.plain_port);
    let creds = format!("{USER}:{PASSWORD}");
    let up = std::process::Command::new("curl")
        .args(["-sS", "--max-time", "20", "-u", &creds, "-T"])
        .arg(&file)
        .arg(&url)
        .output()
        .expect("curl");
    assert!(up.status.success(), "{}", String::from_utf8_lossy(&up.stderr));
    let down = std::process::Command::new("curl")
        .args(["-sS", "--max-time", "20", "-u", &creds])
        .arg(format!("{url};UID=1"))
        .output()
        .expect("curl");
    assert!(down.status.success(), "{}", String::from_utf8_lossy(&down.stderr));
    assert_eq!(down.stdout, message("by curl", "uploaded\r\n"));
}

#[test]
fn idle_sees_another_sessions_append_and_expunge() {
    let mut env = Env::imap(false);
    env.deliver(&message("old", "x\r\n"));
    env.start_imap();
    let mut idler = Script::spawn(
        &env,
        r#"
import os, socket, time, sys
s = socket.create_connection(('127.0.0.1', int(os.environ['PORT'])), timeout=20)
f = s.makefile('rwb')
def send(line): f.write(line + b'\r\n'); f.flush()
def until(prefix):
    while True:
        l = f.readline()
        if not l: return b''
        sys.stdout.write(l.decode()); sys.stdout.flush()
        if l.startswith(prefix): return l
f.readline()
send(b'a LOGIN ' + os.environ['USER'].encode() + b' "' + os.environ['PASSWORD'].encode() + b'"'); until(b'a ')
send(b'b SELECT INBOX'); until(b'b ')
send(b'c IDLE'); until(b'+ ')
print('IDLING', flush=True)
until(b'* 2 EXISTS')
until(b'* 1 EXPUNGE')
send(b'DONE'); until(b'c ')
send(b'd LOGOUT'); until(b'd ')
"#,
    );
    idler.wait_for("IDLING");
    let (ok, out, err) = imaplib_session(
        &env,
        r#"
m.append('INBOX', None, None, b'Subject: new\r\n\r\nnew\r\n')
m.select('INBOX'); m.store('1', '+FLAGS', '\\Deleted'); m.expunge(); m.logout()
print('done')
"#,
    );
    assert!(ok, "{out}\n{err}");
    let text = idler.output();
    assert!(text.contains("+ idling"), "{text}");
    assert!(
        text.contains("* 2 EXISTS") && text.contains("* 1 EXPUNGE") && text.contains("c OK IDLE completed."),
        "{text}"
    );
}

#[test]
fn folders_in_modified_utf7_create_rename_subscribe_delete() {
    let mut env = Env::imap(false);
    env.start_imap();
    let (ok, out, err) = imaplib_session(
        &env,
        r#"
print('create', m.create('"Entw&APw-rfe/2026"'))
print('list', m.list('""', '"Entw&APw-rfe*"'))
print('rename', m.rename('"Entw&APw-rfe"', 'Archive'))
print('unsub', m.subscribe('Archive'), m.unsubscribe('Archive/2026'))
print('lsub', m.lsub('""', 'Archive*'))
print('delete-parent', m.delete('Archive'))
print('delete', m.delete('Archive/2026'), m.delete('Archive'))
print('inbox', m.select('inbox'))
print('protected', m.delete('"Sent Items"'))
print('hidden', m.select('Calendar'))
"#,
    );
    assert!(ok, "{out}\n{err}");
    let line = |name: &str| out.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_default().to_string();
    assert!(
        line("list").contains("(\\\\HasChildren) \"/\" \"Entw&APw-rfe\"")
            && line("list").contains("\"Entw&APw-rfe/2026\""),
        "{out}"
    );
    assert!(line("rename").contains("RENAME completed."), "{out}");
    assert!(line("lsub").contains("\"Archive\"") && !line("lsub").contains("2026"), "{out}");
    assert!(line("delete-parent").starts_with("delete-parent ('NO'"), "{out}");
    assert!(line("delete").contains("DELETE completed.'])"), "{out}");
    assert!(line("inbox").starts_with("inbox ('OK'"), "INBOX in any case: {out}");
    assert!(line("protected").starts_with("protected ('NO'"), "{out}");
    assert!(line("hidden").starts_with("hidden ('NO'"), "{out}");
}

#[test]
fn recent_goes_to_the_first_read_write_session_only() {
    let mut env = Env::imap(false);
    env.deliver(&message("fresh", "x\r\n"));
    env.start_imap();
    let (ok, out, err) = python(
        &env,
        r#"
import os, imaplib
def session():
    m = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']))
    m.login(os.environ['USER'], os.environ['PASSWORD'])
    return m
a = session()
print('status', a.status('INBOX', '(RECENT)'))
print('examine', a.select('INBOX', readonly=True), a.response('RECENT'))
a.unselect()
print('select', a.select('INBOX'), a.response('RECENT'))
print('new', a.search(None, 'NEW'))
b = session()
print('second', b.select('INBOX'), b.response('RECENT'))
print('old', b.search(None, 'OLD'))
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("status ('OK', [b'\"INBOX\" (RECENT 1)'])"), "{out}");
    assert!(
        out.contains("examine ('OK', [b'1']) ('RECENT', [b'1'])"),
        "EXAMINE reports what is recent and claims nothing: {out}"
    );
    assert!(out.contains("select ('OK', [b'1']) ('RECENT', [b'1'])"), "{out}");
    assert!(out.contains("new ('OK', [b'1'])"), "{out}");
    assert!(out.contains("second ('OK', [b'1']) ('RECENT', [b'0'])"), "{out}");
    assert!(out.contains("old ('OK', [b'1'])"), "{out}");
}
