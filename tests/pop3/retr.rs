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

/// Runs `script` in a raw session logged on (see [`LOGGED_ON`]); what it
/// printed.
fn session(env: &Env, script: &str) -> String {
    let (ok, out, err) = python(env, &[LOGGED_ON, script].concat());
    assert!(ok, "{out}\n{err}");
    out
}

#[test]
fn retr_and_top_stuff_every_dot_line_and_the_next_message_is_read_ahead_right() {
    let mut env = Env::pop(false);
    let big = [&b"Subject: dots\r\n\r\n"[..], &dotted_body(3 * 64 * 1024)].concat();
    env.deliver(&big);
    env.deliver(b"Subject: two\r\n\r\n.\r\n..\r\nend\r\n");
    env.deliver(b"Subject: three\r\n\r\n.three\r\n");
    env.start_pop();
    let out = session(
        &env,
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
    );
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
    let out = session(
        &env,
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
    );
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

#[test]
fn the_front_end_reads_ahead_and_answers_pipelined_commands_in_order_as_the_back_end_would() {
    let mut env = Env::pop(false);
    // The third is too large for the front end to hold: its RETR goes
    // through, and the reading ahead starts again after it.
    for (i, size) in [900usize, 2_000, 150_000, 5_000, 300, 7_000].iter().enumerate() {
        env.deliver(&[format!("Subject: m{}\r\n\r\n", i + 1).as_bytes(), &dotted_body(*size)].concat());
    }
    env.start_pop();
    let out = session(
        &env,
        r#"msgs = [b'Subject: m%d\r\n\r\n' % (i + 1) + dotted_body(n) for i, n in enumerate([900, 2000, 150000, 5000, 300, 7000])]
def status():
    return f.readline().strip().decode()
def retr(name, n, send=False):
    st = cmd('RETR %d' % n).strip().decode() if send else status()
    print(name, st, block() == stuffed(msgs[n - 1]) if st.startswith('+OK') else '')
# One write, every command pipelined: each answer in its turn.
s.sendall(b'RETR 1\r\nDELE 2\r\nRETR 2\r\nRSET\r\nRETR 2\r\nXAHEAD 3\r\nRETR 3\r\nRETR 4\r\nDELE 5\r\nRETR 5\r\nLIST\r\nUIDL 4\r\n')
retr('RETR1', 1)
print('DELE2', status())
print('RETR2', status())
print('RSET', status())
retr('RETR2', 2)
print('XAHEAD3', status())
retr('RETR3', 3)
retr('RETR4', 4)
print('DELE5', status())
print('RETR5', status())
st = status().split(' ')
print('LIST', st[0], st[1], len(block().splitlines()))
print('UIDL4', status().split(' ')[0])
# A line too long to be a command (longer than one read, so the front end
# sees it unfinished): the back end judges it, and the session goes on,
# relayed as it is.
s.sendall(b'X' * 70000 + b'\r\n')
print('LONG', status())
retr('RETR6', 6, send=True)
print('QUIT', cmd('QUIT').strip().decode())
"#,
    );
    assert_text(
        &out,
        "RETR1 +OK True
DELE2 +OK
RETR2 -ERR The specified message has been deleted.
RSET +OK
RETR2 +OK True
XAHEAD3 -ERR Protocol error. 14
RETR3 +OK True
RETR4 +OK True
DELE5 +OK
RETR5 -ERR The specified message has been deleted.
LIST +OK 5 5
UIDL4 +OK
LONG -ERR Command is too long.
RETR6 +OK True
QUIT +OK Microsoft Exchange Server POP3 server signing off.
",
    );
    assert_eq!(env.inbox_uids().len(), 5, "QUIT deleted message 5 only");
    // The front end's log holds what the client sent and was answered;
    // the back end's shows message 4 read ahead, never asked for as RETR.
    let (mut front, mut back) = (String::new(), String::new());
    for entry in std::fs::read_dir(env.state_dir().join("Logging").join("Pop3")).expect("the log folder").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if name.starts_with("POP3BE") { back.push_str(&text) } else { front.push_str(&text) }
    }
    for line in [",<,RETR 4\r", ",<,XAHEAD 3\r", ",>,-ERR Protocol error. 14\r", ",<,LIST\r", ",>,+OK 5 "] {
        assert!(front.contains(line), "the front end's log has {line:?}:\n{front}");
    }
    assert!(front.contains("the rest of the session is relayed as it is"), "{front}");
    assert!(back.contains(",<,XAHEAD 4\r"), "{back}");
    assert!(!back.contains(",<,RETR 4\r"), "{back}");
    assert!(back.contains(",>,-ERR Not read ahead: the message is large.\r"), "{back}");
}
