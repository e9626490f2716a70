//! RETR and TOP of messages served as stored, on the wire: dot-stuffing in
//! one pass over a message larger than the back end's 64 KiB pieces (lines
//! starting with dots on every side of a piece edge), TOP with n lines, and
//! the next messages read ahead after a RETR, in batches (served right, in
//! order and out of order, and never once the client marked one deleted).

use crate::support::{Env, assert_text, python};

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

/// A raw POP3 session logged on, with what both tests read it by:
/// `cmd`, `block` (a multi-line answer), `stuffed` and `dotted_body` (as
/// the Rust side builds it).
const LOGGED_ON: &str = r#"
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
"#;

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
        &[
            LOGGED_ON,
            r#"big = b'Subject: dots\r\n\r\n' + dotted_body(3 * 64 * 1024)
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
        ]
        .concat(),
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

/// Sizes that make batches of every shape: small runs, one between the
/// 64 KiB piece and the 128 KiB bound, one too large to read ahead.
const SIZES: [usize; 8] = [200, 3_000, 20_000, 70_000, 9_000, 150_000, 500, 40_000];

#[test]
fn batches_read_ahead_serve_every_message_right_in_order_and_out_of_order() {
    let mut env = Env::pop(false);
    for i in 0..40 {
        let message = [format!("Subject: m{i}\r\n\r\n").as_bytes(), &dotted_body(SIZES[i % SIZES.len()])].concat();
        env.deliver(&message);
    }
    env.start_pop();
    let (ok, out, err) = python(
        &env,
        &[
            LOGGED_ON,
            r#"SIZES = [200, 3000, 20000, 70000, 9000, 150000, 500, 40000]
msgs = [b'Subject: m%d\r\n\r\n' % i + dotted_body(SIZES[i % 8]) for i in range(40)]
bad = []
def retr(n):
    st = cmd('RETR %d' % n)
    if not st.startswith(b'+OK'):
        return st.strip().decode()
    if block() != stuffed(msgs[n - 1]):
        bad.append(n)
    return 'ok'
for n in range(1, 21):
    retr(n)
print('in-order', bad)
# Out of order, inside what was read ahead, and back.
for n in (25, 22, 23, 30, 31, 2, 3):
    retr(n)
print('jumps', bad)
# Marked deleted after it was read ahead: refused; the next still right.
retr(32)
print('DELE33', cmd('DELE 33').strip().decode())
print('RETR33', retr(33))
print('RETR34', retr(34))
for n in range(35, 41):
    retr(n)
print('RETR41', retr(41))
print('end', bad)
print('QUIT', cmd('QUIT').strip().decode())
"#,
        ]
        .concat(),
    );
    assert!(ok, "{out}\n{err}");
    assert_text(
        &out,
        "in-order []
jumps []
DELE33 +OK
RETR33 -ERR The specified message has been deleted.
RETR34 ok
RETR41 -ERR The specified message is out of range.
end []
QUIT +OK Microsoft Exchange Server POP3 server signing off.
",
    );
}
