//! IMAP extensions whose command syntax mailsh reads itself (`wire::ext`),
//! on the real services with a raw client: ESEARCH (RFC 4731), CREATE with
//! SPECIAL-USE attributes (RFC 6154 5.2), LIST-EXTENDED (RFC 5258) with
//! LIST-STATUS (RFC 5819), MULTIAPPEND (RFC 3502); and STATUS SIZE (RFC
//! 8438) and WITHIN (RFC 5032), which imap-codec reads.

use crate::support::{Env, message, raw_script, shown};

#[test]
fn esearch_special_use_list_extended_multiappend() {
    let mut env = Env::imap(false);
    for (s, b) in [("one", "1\r\n"), ("two", "22\r\n"), ("three", "333\r\n")] {
        env.deliver(&message(s, b));
    }
    env.start_imap();
    let out = raw_script(
        &env,
        r#"a = Raw(); a.login(); a.cmd('SELECT INBOX')
a.cmd('STORE 2 +FLAGS (\\Seen)')
show('esearch', a.cmd('SEARCH RETURN (MIN MAX COUNT) UNSEEN'))
show('uidall', a.cmd('UID SEARCH RETURN () ALL'))
show('none', a.cmd('SEARCH RETURN (COUNT MIN) SUBJECT nothing'))
show('save', a.cmd('SEARCH RETURN (SAVE) ALL'))
show('create', a.cmd('CREATE "Archive 2026" (USE (\\Archive))'))
show('useattr', a.cmd('CREATE Everything (USE (\\All))'))
show('special', a.cmd('LIST (SPECIAL-USE) "" "*"'))
a.cmd('CREATE Work/Reports'); a.cmd('UNSUBSCRIBE "Archive 2026"')
show('subscribed', a.cmd('LIST (SUBSCRIBED RECURSIVEMATCH) "" "W%"'))
show('status', a.cmd('LIST "" ("INBOX" "Drafts") RETURN (SUBSCRIBED STATUS (MESSAGES UNSEEN SIZE))'))
show('multi', a.cmd(b'APPEND Drafts (\\Draft) "17-Jul-1996 02:44:25 -0700" {10+}\r\nSubject: a {10+}\r\nSubject: b'))
show('drafts', a.cmd('STATUS Drafts (MESSAGES SIZE)'))
show('dates', a.cmd('EXAMINE Drafts') and a.cmd('FETCH 1:* (FLAGS INTERNALDATE)'))
show('within', a.cmd('SEARCH OLDER 86400'))
show('young', a.cmd('SEARCH YOUNGER 86400'))
"#,
    );
    assert_eq!(
        shown(&out, "esearch"),
        ["* ESEARCH (TAG \"t4\") MIN 1 MAX 3 COUNT 2", "TAG OK SEARCH completed."],
        "{out}"
    );
    assert_eq!(shown(&out, "uidall"), ["* ESEARCH (TAG \"t5\") UID ALL 1:3", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(shown(&out, "none"), ["* ESEARCH (TAG \"t6\") COUNT 0", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(shown(&out, "save"), ["TAG OK SEARCH completed."], "SAVE alone sends no ESEARCH: {out}");
    assert_eq!(shown(&out, "create"), ["TAG OK CREATE completed."], "{out}");
    assert_eq!(shown(&out, "useattr"), ["TAG NO [USEATTR] The special-use attribute is not supported."], "{out}");
    assert_eq!(
        shown(&out, "special"),
        [
            "* LIST (\\HasNoChildren \\Archive) \"/\" \"Archive 2026\"",
            "* LIST (\\HasNoChildren \\Trash) \"/\" \"Deleted Items\"",
            "* LIST (\\HasNoChildren \\Drafts) \"/\" \"Drafts\"",
            "* LIST (\\HasNoChildren \\Junk) \"/\" \"Junk Email\"",
            "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Items\"",
            "TAG OK LIST completed."
        ],
        "{out}"
    );
    assert_eq!(
        shown(&out, "subscribed"),
        ["* LIST (\\HasChildren) \"/\" \"Work\" (\"CHILDINFO\" (\"SUBSCRIBED\"))", "TAG OK LIST completed."],
        "Work itself was made on the way (not subscribed); Work/Reports is: {out}"
    );
    assert_eq!(
        shown(&out, "status"),
        [
            "* LIST (\\HasNoChildren \\Subscribed \\Drafts) \"/\" \"Drafts\"",
            "* STATUS \"Drafts\" (MESSAGES 0 UNSEEN 0 SIZE 0)",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"INBOX\"",
            "* STATUS \"INBOX\" (MESSAGES 3 UNSEEN 2 SIZE 338)",
            "TAG OK LIST completed."
        ],
        "{out}"
    );
    let multi = shown(&out, "multi");
    assert_eq!(multi.len(), 1, "{out}");
    assert!(multi[0].starts_with("TAG OK [APPENDUID ") && multi[0].ends_with(" 1:2] APPEND completed."), "{out}");
    assert_eq!(
        shown(&out, "drafts"),
        ["* STATUS \"Drafts\" (MESSAGES 2 SIZE 20)", "TAG OK STATUS completed."],
        "{out}"
    );
    let dates = shown(&out, "dates");
    assert_eq!(dates[0], "* 1 FETCH (FLAGS (\\Recent \\Draft) INTERNALDATE \"17-Jul-1996 09:44:25 +0000\")", "{out}");
    assert!(dates[1].starts_with("* 2 FETCH (FLAGS (\\Recent) INTERNALDATE "), "no date: now: {out}");
    assert_eq!(shown(&out, "within"), ["* SEARCH 1", "TAG OK SEARCH completed."], "the 1996 message: {out}");
    assert_eq!(shown(&out, "young"), ["* SEARCH 2", "TAG OK SEARCH completed."], "{out}");
}

/// BINARY (RFC 3516): parts with their transfer encoding undone, their
/// decoded size, literal8 only for content with NUL, an unknown encoding
/// refused with UNKNOWN-CTE, and APPEND of a literal8.
#[test]
fn binary_content() {
    let mut env = Env::imap(false);
    env.deliver(
        b"Subject: b\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9\r\n--q\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n--q\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin\r\n--q--\r\n",
    );
    env.start_imap();
    let out = raw_script(
        &env,
        r#"a = Raw(); a.login(); a.cmd('SELECT INBOX')
show('text', a.cmd('FETCH 1 (BINARY.PEEK[1] BINARY.SIZE[1])'))
show('nul', a.cmd('FETCH 1 (BINARY.PEEK[2] BINARY.SIZE[2] BINARY.PEEK[2]<1.2>)'))
show('cte', a.cmd('FETCH 1 (BINARY.PEEK[3])'))
show('append', a.cmd(b'APPEND INBOX ~{14+}\r\nSubject: \x00\r\n\r\n'))
show('back', a.cmd('FETCH 2 (BINARY.PEEK[])'))
show('seen', a.cmd('FETCH 1 (BINARY[1] FLAGS)'))
"#,
    );
    assert_eq!(
        shown(&out, "text"),
        ["* 1 FETCH (BINARY[1] {5}\\r\\ncafé BINARY.SIZE[1] 5)", "TAG OK FETCH completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "nul"),
        [
            "* 1 FETCH (BINARY[2] ~{4}\\r\\n\x00\x01\x02\x03 BINARY.SIZE[2] 4 BINARY[2]<1> {2}\\r\\n\x01\x02)",
            "TAG OK FETCH completed."
        ],
        "{out}"
    );
    assert_eq!(
        shown(&out, "cte").last().copied(),
        Some("TAG NO [UNKNOWN-CTE] A part's Content-Transfer-Encoding is not one mailsh can decode."),
        "{out}"
    );
    assert!(shown(&out, "append").last().is_some_and(|l| l.starts_with("TAG OK [APPENDUID")), "{out}");
    assert_eq!(shown(&out, "back")[0], "* 2 FETCH (BINARY[] ~{14}\\r\\nSubject: \x00\\r\\n\\r\\n)", "{out}");
    assert_eq!(shown(&out, "seen")[0], "* 1 FETCH (BINARY[1] {5}\\r\\ncafé FLAGS (\\Recent \\Seen))", "{out}");
}

/// COMPRESS=DEFLATE (RFC 4978): after the uncompressed tagged OK, both
/// directions are raw deflate (Python's zlib with wbits=-15), each response
/// readable at once (sync flush); a second COMPRESS is refused.
#[test]
fn compress_deflate() {
    let mut env = Env::imap(false);
    env.deliver(&message("zipped", &"the quick brown fox\r\n".repeat(200)));
    env.start_imap();
    let out = raw_script(
        &env,
        r#"import zlib
a = Raw(); a.login()
show('compress', a.cmd('COMPRESS DEFLATE'))
z, d = zlib.compressobj(wbits=-15), zlib.decompressobj(wbits=-15)
pending = b''
def send(text):
    a.s.sendall(z.compress(text.encode() + b'\r\n') + z.flush(zlib.Z_SYNC_FLUSH))
def until(tag):
    global pending
    while (b'\r\n' + tag.encode() + b' ') not in b'\r\n' + pending:
        pending += d.decompress(a.s.recv(65536))
    i = (b'\r\n' + pending).index(b'\r\n' + tag.encode() + b' ')
    end = pending.index(b'\r\n', i) + 2
    got, pending = pending[:end], pending[end:]
    return got
send('z1 SELECT INBOX'); until('z1')
send('z2 FETCH 1 (RFC822.SIZE BODY.PEEK[TEXT])'); body = until('z2')
print('size', len(body), body.count(b'the quick brown fox'))
send('z3 COMPRESS DEFLATE'); print('again', until('z3').decode().strip())
send('z4 LOGOUT'); print('bye', until('z4').decode().splitlines()[-1])
"#,
    );
    assert_eq!(shown(&out, "compress"), ["TAG OK DEFLATE active."], "{out}");
    assert!(out.contains("\nsize ") && out.contains(" 200\n"), "the whole body, inflated: {out}");
    assert!(out.contains("again z3 NO [COMPRESSIONACTIVE] DEFLATE is already active."), "{out}");
    assert!(out.contains("bye z4 OK LOGOUT completed."), "{out}");
}
