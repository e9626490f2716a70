//! What hostile or unlucky input does: garbage lines, a huge literal (never
//! read as commands), and kill -9 right after an acknowledged APPEND.

use crate::support::{Env, imaplib_session, python};
use mailsh::services::Service;

const RAW: &str = r#"
import os, socket, sys
s = socket.create_connection(('127.0.0.1', int(os.environ['PORT'])), timeout=20)
f = s.makefile('rwb')
def send(b): f.write(b); f.flush()
def line(): l = f.readline().decode(); print(l.strip(), flush=True); return l
line()
"#;

#[test]
fn garbage_and_huge_literals_get_answers_and_the_session_goes_on() {
    let mut env = Env::imap(false);
    env.start_imap();
    let script = format!(
        "{RAW}{}",
        r#"
send(b'\x00\xff\xfe garbage\r\n'); line()
send(b'a1 FROBNICATE\r\n'); line()
send(b'a2 LOGIN {99999999}\r\n'); line()
send(b'a3 NOOP\r\n'); line()
send(b'a4 LOGIN ' + os.environ['USER'].encode() + b' "' + os.environ['PASSWORD'].encode() + b'"\r\n'); line()
send(b'a5 APPEND INBOX {99999999}\r\n'); line()
send(b'a6 SELECT INBOX\r\n')
while not line().startswith('a6 '): pass
send(b'a7 FETCH 1:* (FLAGS)\r\n'); line()
send(b'a8 FETCH x (FLAGS)\r\n'); line()
send(b'a9 LOGOUT\r\n'); line(); line()
"#
    );
    let (ok, out, err) = python(&env, &script);
    assert!(ok, "{out}\n{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[1], "* BAD Command Error. 12", "{out}");
    assert_eq!(lines[2], "a1 BAD Command Error. 12", "{out}");
    assert_eq!(lines[3], "a2 NO [TOOBIG] Command Argument Error. 11", "{out}");
    assert_eq!(lines[4], "a3 OK NOOP completed.", "{out}");
    assert_eq!(
        lines[5],
        format!("a4 OK [CAPABILITY {}] LOGIN completed.", mailsh::engines::imap::capability::FULL),
        "{out}"
    );
    assert_eq!(lines[6], "a5 NO [TOOBIG] Command Argument Error. 11", "{out}");
    assert!(out.contains("a7 OK FETCH completed."), "{out}");
    assert!(out.contains("a8 BAD Command Argument Error. 11"), "{out}");
    assert!(out.contains("a9 OK LOGOUT completed."), "{out}");
}

#[test]
fn an_acknowledged_append_survives_kill_dash_nine() {
    let mut env = Env::imap(false);
    env.start_imap();
    let (ok, out, err) = imaplib_session(
        &env,
        r#"
print(m.append('INBOX', None, None, b'Subject: durable\r\n\r\nkeep me\r\n'))
"#,
    );
    assert!(ok && out.contains("APPEND completed."), "{out}\n{err}");
    let pid = env.engine_pid(Service::Imap4Backend);
    assert!(pid > 0);
    // SAFETY: kill(2) on the engine process this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    assert_eq!(env.inbox_uids(), vec![1], "the message is on disk");
}

#[test]
fn random_bytes_before_and_after_login_leave_the_services_serving() {
    let mut env = Env::imap(false);
    env.deliver(b"Subject: still here\r\n\r\nx\r\n");
    env.start_imap();
    let script = format!(
        "{RAW}{}",
        r#"
import random
rnd = random.Random(7)
words = [b'FETCH', b'UID', b'1:*', b'(', b')', b'[', b']', b'{5}', b'{3+}', b'"', b'\\', b'BODY[1.2.MIME]', b'*', b'\x00', b'\xff', b'SEARCH', b'OR', b'NOT', b'HEADER', b'<0.5>', b'INBOX', b'%']
def noise(n):
    out = []
    for i in range(n):
        tag = b't%d ' % i
        line = b' '.join(rnd.choice(words) for _ in range(rnd.randint(0, 12)))
        out.append(tag + line + b'\r\n')
    return b''.join(out)
def settle():
    # A clean command after the noise (blank lines first, to fill a literal
    # the last noise line may have opened): its tagged answer means the
    # server has read and answered all the noise.
    send(b'\r\n' * 4 + b'zz NOOP\r\n')
    while True:
        l = f.readline()
        if not l or l.startswith(b'zz '):
            print('settled:', l.decode(errors='replace').strip(), flush=True)
            return
send(noise(200))
settle()
send(b'x1 LOGIN ' + os.environ['USER'].encode() + b' "' + os.environ['PASSWORD'].encode() + b'"\r\n')
send(b'x2 SELECT INBOX\r\n')
send(noise(300))
settle()
"#
    );
    let (ok, out, err) = python(&env, &script);
    assert!(ok, "{out}\n{err}");
    let (ok, out, err) = imaplib_session(
        &env,
        r#"
m.select('INBOX')
print(m.fetch('1', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])'))
"#,
    );
    assert!(ok && out.contains("Subject: still here"), "{out}\n{err}");
    assert!(!env.service_log(Service::Imap4Backend).contains("panicked"), "{}", env.service_log(Service::Imap4Backend));
    assert!(!env.service_log(Service::Imap4).contains("panicked"), "{}", env.service_log(Service::Imap4));
}
