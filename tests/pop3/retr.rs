//! RETR and TOP of messages served as stored, on the wire: dot-stuffing in
//! one pass over a message larger than the back end's 64 KiB pieces (lines
//! starting with dots on every side of a piece edge), TOP with n lines, and
//! the next message read ahead after a RETR (served right, and never once
//! the client marked it deleted).

use crate::support::{Env, python};

/// The body both sides build: lines of one to three dots then 0 to 96 `x`,
/// up to `octets`.
fn dotted_body(octets: usize) -> Vec<u8> {
    let mut body = Vec::new();
    let mut k = 0usize;
    while body.len() < octets {
        body.extend(std::iter::repeat_n(b'.', 1 + k % 3));
        body.extend(std::iter::repeat_n(b'x', k % 97));
        body.extend_from_slice(b"\r\n");
        k += 1;
    }
    body
}

#[test]
fn retr_and_top_stuff_every_dot_line_and_the_next_message_is_read_ahead_right() {
    let mut env = Env::pop(false);
    let big = [&b"Subject: dots\r\n\r\n"[..], &dotted_body(3 * 64 * 1024)].concat();
    env.deliver(&big);
    env.deliver(b"Subject: two\r\n\r\n.\r\n..\r\nend\r\n");
    env.deliver(b"Subject: three\r\n\r\n.three\r\n");
    env.start_pop();
    let (ok, out, err) = python(
        &env,
        r#"
import os, socket
s = socket.create_connection(('127.0.0.1', int(os.environ['PORT'])), timeout=20)
f = s.makefile('rb')
def cmd(c):
    s.sendall(c.encode() + b'\r\n')
    return f.readline()
def block():
    out = b''
    while True:
        l = f.readline()
        if l in (b'.\r\n', b''):
            return out
        out += l
def stuffed(m):
    return b''.join(b'.' + l if l.startswith(b'.') else l for l in m.splitlines(keepends=True))
def dotted_body(octets):
    body, k = b'', 0
    while len(body) < octets:
        body += b'.' * (1 + k % 3) + b'x' * (k % 97) + b'\r\n'
        k += 1
    return body
f.readline()
assert cmd('USER ' + os.environ['USER']).startswith(b'+OK')
assert cmd('PASS ' + os.environ['PASSWORD']).startswith(b'+OK')
big = b'Subject: dots\r\n\r\n' + dotted_body(3 * 64 * 1024)
two = b'Subject: two\r\n\r\n.\r\n..\r\nend\r\n'
three = b'Subject: three\r\n\r\n.three\r\n'
def check(name, status, got, want):
    print(name, status.strip().decode(), got == want, len(got), len(want))
st = cmd('RETR 1'); check('RETR1', st, block(), stuffed(big))
st = cmd('RETR 2'); check('RETR2', st, block(), stuffed(two))
print('DELE3', cmd('DELE 3').strip().decode())
print('RETR3-deleted', cmd('RETR 3').strip().decode())
print('RSET', cmd('RSET').strip().decode())
st = cmd('RETR 3'); check('RETR3', st, block(), stuffed(three))
lines = big.split(b'\r\n')
st = cmd('TOP 1 0'); check('TOP0', st, block(), b'Subject: dots\r\n\r\n')
st = cmd('TOP 1 2'); check('TOP2', st, block(), stuffed(b'\r\n'.join(lines[:4]) + b'\r\n'))
st = cmd('TOP 2 9'); check('TOP9', st, block(), stuffed(two))
st = cmd('RETR 1'); check('RETR1-again', st, block(), stuffed(big))
st = cmd('RETR 2'); check('RETR2-again', st, block(), stuffed(two))
print('QUIT', cmd('QUIT').strip().decode())
"#,
    );
    assert!(ok, "{out}\n{err}");
    for name in ["RETR1", "RETR2", "RETR3", "TOP0", "TOP2", "TOP9", "RETR1-again", "RETR2-again"] {
        let line = out.lines().find(|l| l.split(' ').next() == Some(name)).unwrap_or_default();
        assert!(line.starts_with(&format!("{name} +OK True ")), "{name}: {line}\n{out}");
    }
    assert!(out.contains("DELE3 +OK"), "{out}");
    assert!(out.contains("RETR3-deleted -ERR"), "a message read ahead but marked deleted is not served: {out}");
    assert!(out.contains("QUIT +OK"), "{out}");
    assert_eq!(env.inbox_uids().len(), 3, "RSET unmarked message 3");
}
