//! IMAP4rev2 (RFC 9051) alongside IMAP4rev1, and the extensions it folds in
//! or sits beside that mailsh added last, on the real services: SEARCHRES
//! (RFC 5182 as RFC 9051 6.4.4.1 states it), CATENATE (RFC 4469),
//! UTF8=ACCEPT (RFC 6855) and ENABLE IMAP4rev2. Python's imaplib drives
//! each flow; the raw client (tests/support/imap_raw.py) checks exact lines
//! where their order matters.

use crate::support::{Env, Script, message, raw_script, shown};
use mailsh::store::mail::{MailDb, mail_db_path};

fn five_messages() -> Env {
    let [a, b, c, d, e] = ["one", "two", "three", "four", "five"].map(|s| message(s, "body\r\n"));
    Env::imap_holding(&[&a, &b, &c, &d, &e])
}

/// `Olde\u{301}`: a folder stored in NFD, as before names were put in NFC.
fn store_decomposed_folder(env: &Env) {
    let mut db = MailDb::open(&mail_db_path(&env.store)).expect("mail db");
    let mbx = db.ensure_mailbox(&env.guid).expect("mailbox");
    db.create_folder(mbx, "Olde\u{301}").expect("created");
}

#[test]
fn searchres_saves_a_result_that_dollar_reads() {
    let env = five_messages();
    let out = raw_script(
        &env,
        r#"
m = imaplib_session(); m.select('INBOX')
print('save', m.uid('SEARCH', 'RETURN', '(SAVE)', 'OR', 'SUBJECT', 'two', 'SUBJECT', 'four'))
print('fetch', m.fetch('$', '(UID)'))
print('store', m.store('$', '+FLAGS.SILENT', '(\\Flagged)'))
print('flagged', m.search(None, 'FLAGGED'))
print('copy', m.copy('$', '"Junk Email"'))
print('uidkey', m.uid('SEARCH', 'UID', '$', 'SUBJECT', 'four'))
print('seqkey', m.search(None, 'OR', '$', '5'))
m.logout()

a = Raw(); a.login(); a.cmd('SELECT INBOX')
show('minmax', a.cmd('SEARCH RETURN (MAX SAVE MIN) NOT SUBJECT one'))
show('both', a.cmd('FETCH $ (UID)'))
show('literal', a.cmd(b'UID SEARCH UID $ SUBJECT {3+}\r\ntwo'))
show('all', a.cmd('SEARCH RETURN (SAVE COUNT MIN) NOT SUBJECT one'))
show('bad', a.cmd('SEARCH RETURN (SAVE BOGUS) ALL'))
show('kept', a.cmd('UID FETCH $ (UID)'))
a.cmd('STORE 2 +FLAGS.SILENT (\\Deleted)'); a.cmd('EXPUNGE')
show('expunged', a.cmd('FETCH $ (UID)'))
show('failed', a.cmd('SEARCH RETURN (SAVE) CHARSET KOI8-R ALL'))
show('empty', a.cmd('FETCH $ (UID)'))
show('emptycopy', a.cmd('COPY $ Drafts'))
show('pipelined', a.pipelined('p1 UID SEARCH RETURN (SAVE) SUBJECT three\r\np2 UID FETCH $ (FLAGS)\r\np3 NOOP\r\n', 'p3'))
a.cmd('SELECT INBOX')
show('reset', a.cmd('FETCH $ (UID)'))
a.cmd('STORE 1:* +FLAGS.SILENT (\\Deleted)'); a.cmd('SEARCH RETURN (SAVE MAX) ALL')
show('uidexpunge', a.cmd('UID EXPUNGE $'))
a.cmd('UNSELECT')
show('unselected', a.cmd('FETCH $ (UID)'))
"#,
    );
    assert_eq!(printed_value(&out, "save"), "('OK', [None])", "SAVE alone: no ESEARCH response: {out}");
    assert_eq!(printed_value(&out, "fetch"), "('OK', [b'2 (UID 2)', b'4 (UID 4)'])", "{out}");
    assert_eq!(printed_value(&out, "flagged"), "('OK', [b'2 4'])", "STORE $: {out}");
    assert!(printed_value(&out, "copy").starts_with("('OK', [b'[COPYUID "), "COPY $: {out}");
    assert_eq!(printed_value(&out, "uidkey"), "('OK', [b'4'])", "UID $ as a search key: {out}");
    assert_eq!(printed_value(&out, "seqkey"), "('OK', [b'2 4 5'])", "$ as a search key: {out}");
    assert_eq!(shown(&out, "minmax"), ["* ESEARCH (TAG \"t3\") MIN 2 MAX 5", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(
        shown(&out, "both"),
        ["* 2 FETCH (UID 2)", "* 5 FETCH (UID 5)", "TAG OK FETCH completed."],
        "SAVE MIN MAX keeps the two: {out}"
    );
    assert_eq!(shown(&out, "literal"), ["* SEARCH 2", "TAG OK SEARCH completed."], "$ with a literal: {out}");
    assert_eq!(
        shown(&out, "all"),
        ["* ESEARCH (TAG \"t6\") MIN 2 COUNT 4", "TAG OK SEARCH completed."],
        "with COUNT, every hit is kept: {out}"
    );
    assert_eq!(shown(&out, "bad"), ["TAG BAD Command Argument Error. 11"], "{out}");
    assert_eq!(
        shown(&out, "kept"),
        ["* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)", "* 4 FETCH (UID 4)", "* 5 FETCH (UID 5)", "TAG OK FETCH completed."],
        "BAD left $ alone: {out}"
    );
    assert_eq!(
        shown(&out, "expunged"),
        ["* 2 FETCH (UID 3)", "* 3 FETCH (UID 4)", "* 4 FETCH (UID 5)", "TAG OK FETCH completed."],
        "an expunged message leaves $, the others renumber: {out}"
    );
    assert_eq!(shown(&out, "failed"), ["TAG NO [BADCHARSET (US-ASCII UTF-8)] The charset is not supported."], "{out}");
    assert_eq!(shown(&out, "empty"), ["TAG OK FETCH completed."], "a failed SAVE empties $: {out}");
    assert_eq!(shown(&out, "emptycopy"), ["TAG OK COPY completed."], "an empty $ matches nothing: {out}");
    assert_eq!(
        shown(&out, "pipelined"),
        ["p1 OK SEARCH completed.", "* 2 FETCH (UID 3 FLAGS ())", "p2 OK FETCH completed.", "p3 OK NOOP completed."],
        "{out}"
    );
    assert_eq!(shown(&out, "reset"), ["TAG OK FETCH completed."], "SELECT empties $: {out}");
    assert_eq!(
        shown(&out, "uidexpunge"),
        ["* 4 EXPUNGE", "* 3 EXISTS", "* 0 RECENT", "TAG OK EXPUNGE completed."],
        "UID EXPUNGE $ removes only what $ holds (the last message): {out}"
    );
    assert_eq!(shown(&out, "unselected"), ["TAG BAD Command received in Invalid state."], "{out}");
}

fn printed_value(out: &str, name: &str) -> String {
    out.lines().find_map(|l| l.strip_prefix(&format!("{name} "))).unwrap_or_default().to_string()
}

/// Names are Net-Unicode (RFC 9051 5.1, 6.3.4-6.3.6): a name sent with a
/// combining accent (NFD) is stored, found and deleted in NFC, and an
/// IMAP4rev2 session is told by a LIST with OLDNAME (RFC 9051 7.3.1); after
/// DELETE, with `\NonExistent`. A name already in NFC gets no LIST, and an
/// IMAP4rev1 session's name is converted without one.
/// RFC 9051 5.1: mailbox names are in NFC, and so are LIST patterns: a
/// pattern (or reference) sent decomposed matches the NFC name, in UTF-8
/// after ENABLE IMAP4rev2 and in modified UTF-7 before; a folder stored
/// decomposed before names were put in NFC is matched by the NFC pattern.
#[test]
fn list_patterns_are_matched_in_nfc() {
    let env = Env::imap_holding(&[]);
    store_decomposed_folder(&env);
    let out = raw_script(
        &env,
        r#"
nfd = 'Cafe\u0301'.encode()
a = Raw(); a.login()
a.cmd('ENABLE IMAP4rev2')
a.cmd('CREATE "Caf\u00e9/Menu"'.encode())
show('list', a.cmd(b'LIST "" "' + nfd + b'*"'))
show('reference', a.cmd(b'LIST "' + nfd + b'/" "%"'))
show('lsub', a.cmd(b'LSUB "" "' + nfd + b'/%"'))
show('subscribed', a.cmd(b'LIST (SUBSCRIBED) "" ("' + nfd + b'/*")'))
show('older', a.cmd('LIST "" "Old\u00e9"'.encode()))
b = Raw(); b.login()
show('rev1', b.cmd('LIST "" "Cafe&AwE-*"'))
show('rev1-older', b.cmd('LIST "" "Old&AOk-"'))
"#,
    );
    assert_eq!(
        shown(&out, "list"),
        [
            "* LIST (\\HasChildren) \"/\" \"Café\"",
            "* LIST (\\HasNoChildren) \"/\" \"Café/Menu\"",
            "TAG OK LIST completed."
        ],
        "{out}"
    );
    assert_eq!(
        shown(&out, "reference"),
        ["* LIST (\\HasNoChildren) \"/\" \"Café/Menu\"", "TAG OK LIST completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "lsub"),
        ["* LSUB (\\HasNoChildren) \"/\" \"Café/Menu\"", "TAG OK LSUB completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "subscribed"),
        ["* LIST (\\HasNoChildren \\Subscribed) \"/\" \"Café/Menu\"", "TAG OK LIST completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "older"),
        ["* LIST (\\HasNoChildren) \"/\" \"Olde\u{301}\"", "TAG OK LIST completed."],
        "listed under the name it is stored with: {out}"
    );
    assert_eq!(
        shown(&out, "rev1"),
        [
            "* LIST (\\HasChildren) \"/\" \"Caf&AOk-\"",
            "* LIST (\\HasNoChildren) \"/\" \"Caf&AOk-/Menu\"",
            "TAG OK LIST completed."
        ],
        "e + U+0301 in modified UTF-7 matches é (&AOk-): {out}"
    );
    assert_eq!(
        shown(&out, "rev1-older"),
        ["* LIST (\\HasNoChildren) \"/\" \"Olde&AwE-\"", "TAG OK LIST completed."],
        "{out}"
    );
}

#[test]
fn names_are_stored_in_nfc_and_oldname_says_so() {
    let env = five_messages();
    store_decomposed_folder(&env);
    let out = raw_script(
        &env,
        r#"
nfd_cafe = 'Cafe\u0301'.encode()
nfd_resume = 'Re\u0301sume\u0301'.encode()
a = Raw(); a.login()
a.cmd('ENABLE IMAP4rev2')
show('create', a.cmd(b'CREATE "' + nfd_cafe + b'"'))
show('nfc', a.cmd('CREATE "Th\u00e9"'.encode()))
show('list', a.cmd(b'LIST "" "Caf*"'))
show('select', [l for l in a.cmd(b'EXAMINE "' + nfd_cafe + b'"') if 'LIST' in l or l.startswith('TAG')])
a.cmd('UNSELECT')
show('rename', a.cmd('RENAME "Caf\u00e9" "'.encode() + nfd_resume + b'"'))
show('delete', a.cmd(b'DELETE "' + nfd_resume + b'"'))
show('gone', a.cmd(b'LIST "" "R*"'))
show('older', [l for l in a.cmd(b'EXAMINE "Olde\xcc\x81"') if l.startswith('TAG')])
b = Raw(); b.login()
show('rev1', b.cmd('CREATE "Cafe&AwE-"'))
show('rev1list', b.cmd('LIST "" "Caf*"'))
"#,
    );
    let (cafe, resume) = ("Cafe\u{301}", "Re\u{301}sume\u{301}");
    assert_eq!(
        shown(&out, "create"),
        [
            format!("* LIST (\\HasNoChildren \\Subscribed) \"/\" \"Café\" (\"OLDNAME\" (\"{cafe}\"))"),
            "TAG OK CREATE completed.".into()
        ],
        "CREATE subscribes, so the LIST says so (RFC 9051 6.3.4): {out}"
    );
    assert_eq!(shown(&out, "nfc"), ["TAG OK CREATE completed."], "nothing converted, nothing said: {out}");
    assert_eq!(shown(&out, "list"), ["* LIST (\\HasNoChildren) \"/\" \"Café\"", "TAG OK LIST completed."], "{out}");
    assert_eq!(
        shown(&out, "select"),
        ["* LIST (\\HasNoChildren) \"/\" \"Café\"", "TAG OK [READ-ONLY] EXAMINE completed."],
        "the NFD name finds the NFC folder: {out}"
    );
    assert_eq!(
        shown(&out, "rename"),
        [
            format!("* LIST (\\HasNoChildren \\Subscribed) \"/\" \"Résumé\" (\"OLDNAME\" (\"{resume}\"))"),
            "TAG OK RENAME completed.".into()
        ],
        "{out}"
    );
    assert_eq!(
        shown(&out, "delete"),
        [
            format!("* LIST (\\NonExistent \\Subscribed) \"/\" \"Résumé\" (\"OLDNAME\" (\"{resume}\"))"),
            "TAG OK DELETE completed.".into()
        ],
        "{out}"
    );
    assert_eq!(shown(&out, "gone"), ["TAG OK LIST completed."], "{out}");
    assert_eq!(
        shown(&out, "older"),
        ["TAG OK [READ-ONLY] EXAMINE completed."],
        "a folder stored in NFD earlier is found by its name: {out}"
    );
    assert_eq!(shown(&out, "rev1"), ["TAG OK CREATE completed."], "an IMAP4rev1 session is not told: {out}");
    assert_eq!(
        shown(&out, "rev1list"),
        ["* LIST (\\HasNoChildren) \"/\" \"Caf&AOk-\"", "TAG OK LIST completed."],
        "stored in NFC (é is U+00E9, &AOk- in modified UTF-7): {out}"
    );
}

/// RFC 4469 5: a URL naming another server is BADURL (this server fetches
/// nothing from elsewhere); the names clients use for this one (the
/// certificate's and connection settings' host, localhost, a loopback or
/// bound address, with a port it listens on) are served.
#[test]
fn catenate_refuses_a_url_naming_another_server() {
    let env = five_messages();
    let out = raw_script(
        &env,
        r#"
import os
port = int(os.environ['PORT'])
a = Raw(); a.login()
for name, host in [('fqdn', 'cas01.contoso.com'), ('loopback', '127.0.0.1:%d' % port), ('v6', '[::1]'),
                   ('other', 'mail.fabrikam.com'), ('otherport', 'localhost:1'),
                   ('otherip', '192.0.2.1')]:
    show(name, a.cmd('APPEND Drafts CATENATE (URL "imap://bob%%40contoso.com@%s/INBOX/;UID=1/;SECTION=HEADER")' % host))
"#,
    );
    for name in ["fqdn", "loopback", "v6"] {
        let answer = shown(&out, name);
        assert!(answer[0].starts_with("TAG OK [APPENDUID "), "{name}: {out}");
    }
    for (name, host) in [("other", "mail.fabrikam.com"), ("otherport", "localhost:1"), ("otherip", "192.0.2.1")] {
        assert_eq!(
            shown(&out, name),
            [format!(
                "TAG NO [BADURL imap://bob%40contoso.com@{host}/INBOX/;UID=1/;SECTION=HEADER] The URL does not name a message here."
            )],
            "{out}"
        );
    }
}

#[test]
fn catenate_builds_a_message_from_text_and_urls() {
    let env = five_messages();
    let out = raw_script(
        &env,
        r#"
import re
MP = (b'From: a@b.c\r\nSubject: parts\r\nMIME-Version: 1.0\r\n'
      b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
      b'--XX\r\nContent-Type: text/plain\r\n\r\nfirst part\r\n'
      b'--XX\r\nContent-Type: text/plain\r\n\r\nsecond part\r\n--XX--\r\n')
a = Raw(); a.login()
source = a.cmd(b'APPEND INBOX {%d+}\r\n' % len(MP) + MP)
show('source', source)
uv = int(re.search(r'APPENDUID (\d+)', source[-1]).group(1))
a.cmd('EXAMINE INBOX')
mid = b'\r\n--XX\r\nContent-Type: text/plain\r\n\r\nnew text'
end = b'\r\n--XX--\r\n'
cmd = (b'APPEND Drafts (\\Draft) CATENATE (URL "/INBOX;UIDVALIDITY=%d/;UID=6/;SECTION=HEADER" TEXT {6+}\r\n--XX\r\n'
       b' URL ";UID=6/;SECTION=1.MIME" URL "imap://bob%%40contoso.com@localhost/INBOX/;UID=6/;SECTION=1"'
       b' TEXT {%d+}\r\n%s URL "/INBOX/;UID=6/;SECTION=2/;PARTIAL=7.4" TEXT {%d+}\r\n%s)') % (uv, len(mid), mid, len(end), end)
show('cat', a.cmd(cmd))
show('badvalidity', a.cmd(b'APPEND Drafts CATENATE (URL "/INBOX;UIDVALIDITY=%d/;UID=6" TEXT {1+}\r\nx)' % (uv + 1)))
show('missing', a.cmd('APPEND Drafts CATENATE (URL "/INBOX/;UID=99")'))
show('otheruser', a.cmd('APPEND Drafts CATENATE (URL "imap://alice@localhost/INBOX/;UID=1")'))
show('urlauth', a.cmd('APPEND Drafts CATENATE (URL "/INBOX/;UID=1/;URLAUTH=anonymous:internal:00")'))
a.cmd('UNSELECT')
show('unselected', a.cmd('APPEND Drafts CATENATE (URL ";UID=1")'))
show('multi', a.cmd(b'APPEND Drafts CATENATE (TEXT {9+}\r\nSubject:  URL "/INBOX/;UID=2/;SECTION=HEADER.FIELDS%20(FROM)" UTF8 (~{5+}\r\n\xc3\xa9t\xc3\xa9)) {7+}\r\nSecond!'))

m = imaplib_session()
m.select('Drafts', readonly=True)
typ, data = m.fetch('1', '(FLAGS BODY.PEEK[])')
expected = MP[:MP.index(b'\r\n\r\n') + 4] + b'--XX\r\nContent-Type: text/plain\r\n\r\nfirst part' + mid + b'part' + end
print('same', data[0][1] == expected, data[0][0])
if data[0][1] != expected: print('got', data[0][1]); print('want', expected)
typ, data = m.fetch('2:3', '(BODY.PEEK[])')
print('second', data[0][1], data[2][1])
"#,
    );
    assert!(shown(&out, "source")[0].starts_with("TAG OK [APPENDUID "), "{out}");
    assert!(
        shown(&out, "cat")[0].starts_with("TAG OK [APPENDUID ")
            && shown(&out, "cat")[0].ends_with(" 1] APPEND completed."),
        "{out}"
    );
    assert!(
        out.contains("same True b'1 (FLAGS (\\\\Recent \\\\Draft) BODY[] {"),
        "the parts, in order, byte for byte: {out}"
    );
    let badvalidity = shown(&out, "badvalidity");
    assert!(badvalidity[0].starts_with("TAG NO [BADURL /INBOX;UIDVALIDITY="), "another UIDVALIDITY: {out}");
    assert_eq!(
        shown(&out, "missing"),
        ["TAG NO [BADURL /INBOX/;UID=99] The URL does not name a message here."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "otheruser"),
        ["TAG NO [BADURL imap://alice@localhost/INBOX/;UID=1] The URL does not name a message here."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "urlauth"),
        ["TAG NO [BADURL /INBOX/;UID=1/;URLAUTH=anonymous:internal:00] The URL does not name a message here."],
        "URLAUTH is not served: {out}"
    );
    assert_eq!(
        shown(&out, "unselected"),
        ["TAG NO [BADURL ;UID=1] The URL does not name a message here."],
        "a relative URL needs a selected folder: {out}"
    );
    assert!(
        shown(&out, "multi")[0].starts_with("TAG OK [APPENDUID ")
            && shown(&out, "multi")[0].ends_with(" 2:3] APPEND completed."),
        "CATENATE (with a UTF8 part) in MULTIAPPEND: {out}"
    );
    assert!(
        out.contains("second b'Subject: From: Alice <alice@contoso.com>\\r\\n\\r\\n\\xc3\\xa9t\\xc3\\xa9' b'Second!'"),
        "nothing was stored by the refused ones: {out}"
    );
}

#[test]
fn utf8_accept_names_strings_and_append() {
    let env = five_messages();
    let out = raw_script(
        &env,
        r#"
MSG = 'From: Zoë <zoe@contoso.com>\r\nSubject: café crème\r\n\r\nDéjà vu\r\n'.encode()
a = Raw(); a.login()
show('before', a.cmd('CREATE "Éléments"'))
show('enable', a.cmd('ENABLE UTF8=ACCEPT'))
show('again', a.cmd('ENABLE UTF8=ACCEPT'))
show('create', a.cmd('CREATE "Éléments/Reçus"'))
show('amp', a.cmd('CREATE "R&D"'))
show('list', a.cmd('LIST "" "É*"'))
show('listamp', a.cmd('LIST "" "R&D"'))
show('append', a.cmd(b'APPEND "\xc3\x89l\xc3\xa9ments" UTF8 (~{%d+}\r\n%s)' % (len(MSG), MSG)))
show('status', a.cmd('STATUS "Éléments" (MESSAGES)'))
a.cmd('SELECT "Éléments"')
show('search', a.cmd('SEARCH SUBJECT "crème"'))
show('charset', a.cmd('SEARCH CHARSET UTF-8 SUBJECT x'))
show('fetch', a.cmd('FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]'))
b = Raw(); b.login()
show('rev1', b.cmd('LIST "" "*"'))
show('rev1search', b.cmd('SELECT "&AMk-l&AOk-ments"') and b.cmd('SEARCH CHARSET UTF-8 SUBJECT {6+}\r\ncrème'))

m = imaplib_session()
print('enabled', m.enable('UTF8=ACCEPT'))
print('select', m.select('"Éléments/Reçus"'))
print('names', m.list('""', '"Élé*"'))
"#,
    );
    assert_eq!(shown(&out, "before"), ["TAG BAD Command Argument Error. 11"], "8-bit before ENABLE: {out}");
    assert_eq!(shown(&out, "enable"), ["* ENABLED UTF8=ACCEPT", "TAG OK ENABLE completed."], "{out}");
    assert_eq!(shown(&out, "again"), ["* ENABLED", "TAG OK ENABLE completed."], "{out}");
    assert_eq!(shown(&out, "create"), ["TAG OK CREATE completed."], "{out}");
    assert_eq!(
        shown(&out, "list"),
        [
            "* LIST (\\HasChildren) \"/\" \"Éléments\"",
            "* LIST (\\HasNoChildren) \"/\" \"Éléments/Reçus\"",
            "TAG OK LIST completed."
        ],
        "{out}"
    );
    assert_eq!(
        shown(&out, "listamp"),
        ["* LIST (\\HasNoChildren) \"/\" \"R&D\"", "TAG OK LIST completed."],
        "& is itself in UTF-8 names: {out}"
    );
    assert!(
        shown(&out, "append")[0].starts_with("TAG OK [APPENDUID ")
            && shown(&out, "append")[0].ends_with(" 1] APPEND completed."),
        "{out}"
    );
    assert_eq!(shown(&out, "status"), ["* STATUS \"Éléments\" (MESSAGES 1)", "TAG OK STATUS completed."], "{out}");
    assert_eq!(shown(&out, "search"), ["* SEARCH 1", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(shown(&out, "charset"), ["TAG BAD Command Argument Error. 11"], "RFC 6855 3: no CHARSET: {out}");
    assert_eq!(
        shown(&out, "fetch"),
        [
            "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {25}\\r\\nSubject: café crème\\r\\n\\r\\n)",
            "TAG OK FETCH completed."
        ],
        "the message as sent, 8-bit: {out}"
    );
    let rev1 = shown(&out, "rev1");
    assert!(
        rev1.contains(&"* LIST (\\HasChildren) \"/\" \"&AMk-l&AOk-ments\""),
        "modified UTF-7 without ENABLE: {out}"
    );
    assert!(rev1.contains(&"* LIST (\\HasNoChildren) \"/\" \"R&-D\""), "{out}");
    assert_eq!(shown(&out, "rev1search"), ["* SEARCH 1", "TAG OK SEARCH completed."], "{out}");
    assert!(out.contains("enabled ('OK', [b'ENABLE completed.'])"), "{out}");
    assert!(out.contains("select ('OK', [b'0'])"), "{out}");
    assert!(
        out.contains("names ('OK', [b'(\\\\HasChildren) \"/\" \"\\xc3\\x89l\\xc3\\xa9ments\"', b'(\\\\HasNoChildren) \"/\" \"\\xc3\\x89l\\xc3\\xa9ments/Re\\xc3\\xa7us\"'])"),
        "{out}"
    );
}

#[test]
fn imap4rev2_once_enabled() {
    let env = five_messages();
    let out = raw_script(
        &env,
        r#"
import re
a = Raw(); a.login()
show('caps', [l for l in a.cmd('CAPABILITY') if l.startswith('* ')])
show('enable', a.cmd('ENABLE IMAP4rev2'))
show('select', [re.sub(r'\d{6,}', 'N', l) for l in a.cmd('SELECT INBOX')])
show('search', a.cmd('SEARCH OR SUBJECT two SUBJECT three'))
show('uidsearch', a.cmd('UID SEARCH SUBJECT nothing'))
show('saved', a.cmd('SEARCH RETURN (SAVE) SUBJECT four') + a.cmd('UID FETCH $ (FLAGS)'))
b = Raw(); b.login()
show('rev1select', [l for l in b.cmd('SELECT INBOX') if 'RECENT' in l or 'UNSEEN' in l or 'LIST' in l])
b.cmd('STORE 1 +FLAGS (\\Seen)')
b.cmd(b'APPEND INBOX {20+}\r\nSubject: six\r\n\r\nbody')
show('noop', a.cmd('NOOP'))
show('flags', a.cmd('FETCH 6 FLAGS'))
show('rev1noop', b.cmd('NOOP'))
show('status', a.cmd('LIST "" "INBOX" RETURN (STATUS (MESSAGES DELETED SIZE))'))
show('create', a.cmd('CREATE "Mes archives" (USE (\\Archive))'))
show('special', a.cmd('LIST (SPECIAL-USE) "" "Mes*"'))
show('utf8', a.cmd('CREATE "Boîte"') + a.cmd('LIST "" "Bo*"'))

m = imaplib_session()
print('enabled', m.enable('IMAP4rev2'))
m.select()
print('search', m.search(None, 'SUBJECT', 'two'), m.untagged_responses.get('ESEARCH'))
"#,
    );
    assert!(shown(&out, "caps")[0].ends_with(" UTF8=ACCEPT IMAP4rev2"), "{out}");
    assert_eq!(shown(&out, "enable"), ["* ENABLED IMAP4rev2", "TAG OK ENABLE completed."], "{out}");
    assert_eq!(
        shown(&out, "select"),
        [
            "* 5 EXISTS",
            "* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
            "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent $Forwarded)",
            "* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent $Forwarded \\*)] Permanent flags",
            "* OK [UIDVALIDITY N] UIDVALIDITY value",
            "* OK [UIDNEXT 6] The next unique identifier value",
            "* OK [HIGHESTMODSEQ 6] Highest",
            "TAG OK [READ-WRITE] SELECT completed."
        ],
        "a LIST response, no RECENT, no [UNSEEN]: {out}"
    );
    assert_eq!(shown(&out, "search"), ["* ESEARCH (TAG \"t5\") ALL 2:3", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(shown(&out, "uidsearch"), ["* ESEARCH (TAG \"t6\") UID", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(
        shown(&out, "saved"),
        ["TAG OK SEARCH completed.", "* 4 FETCH (UID 4 FLAGS ())", "TAG OK FETCH completed."],
        "SEARCHRES is part of IMAP4rev2: {out}"
    );
    assert_eq!(
        shown(&out, "rev1select"),
        ["* 5 RECENT", "* OK [UNSEEN 1] Is the first unseen message"],
        "an IMAP4rev1 session is as before; the IMAP4rev2 one claimed no \\Recent: {out}"
    );
    assert_eq!(
        shown(&out, "noop"),
        ["* 1 FETCH (UID 1 FLAGS (\\Seen))", "* 6 EXISTS", "TAG OK NOOP completed."],
        "unsolicited FETCH with UID, EXISTS without RECENT: {out}"
    );
    assert_eq!(shown(&out, "flags"), ["* 6 FETCH (FLAGS ())", "TAG OK FETCH completed."], "no \\Recent: {out}");
    assert_eq!(
        shown(&out, "status"),
        [
            "* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
            "* STATUS \"INBOX\" (MESSAGES 6 DELETED 0 SIZE 594)",
            "TAG OK LIST completed."
        ],
        "LIST-STATUS: {out}"
    );
    assert_eq!(shown(&out, "create"), ["TAG OK CREATE completed."], "{out}");
    assert_eq!(
        shown(&out, "special"),
        ["* LIST (\\HasNoChildren \\Archive) \"/\" \"Mes archives\"", "TAG OK LIST completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "utf8"),
        ["TAG OK CREATE completed.", "* LIST (\\HasNoChildren) \"/\" \"Boîte\"", "TAG OK LIST completed."],
        "UTF-8 names under IMAP4rev2: {out}"
    );
    assert!(out.contains("enabled ('OK', [b'ENABLE completed.'])"), "{out}");
    assert!(
        out.contains("search ('OK', [None]) [b'(TAG \"") && out.contains("\") ALL 2']"),
        "imaplib keeps the ESEARCH response: {out}"
    );
}

#[test]
fn exchange_2013_list_hides_and_refuses_to_enable_the_new_extensions() {
    let mut env = Env::exchange_2013();
    env.start_imap();
    let out = raw_script(
        &env,
        r#"
a = Raw(); a.login()
show('caps', a.cmd('CAPABILITY'))
show('enable', a.cmd('ENABLE IMAP4rev2 UTF8=ACCEPT'))
show('condstore', a.cmd('ENABLE CONDSTORE'))
"#,
    );
    let caps = shown(&out, "caps")[0];
    for hidden in ["SEARCHRES", "CATENATE", "UTF8=ACCEPT", "IMAP4rev2"] {
        assert!(!caps.split(' ').any(|c| c == hidden), "{hidden}: {out}");
    }
    assert_eq!(shown(&out, "enable"), ["* ENABLED", "TAG OK ENABLE completed."], "not advertised, not enabled: {out}");
    assert_eq!(
        shown(&out, "condstore"),
        ["* ENABLED CONDSTORE", "TAG OK ENABLE completed."],
        "CONDSTORE's commands work there as before: {out}"
    );
}

/// QRESYNC stays right when the record of expunged UIDs was pruned (the
/// mailbox database's own pruning, run here with a limit of 0 while the
/// sessions are open): a resync from before the floor gets every UID no
/// longer there (a superset VANISHED (EARLIER) allows, cut to the UIDs the
/// client says it knows), a live session its EXPUNGE, and a resync from
/// after it the exact list.
#[test]
fn qresync_after_the_expunged_record_was_pruned() {
    let env = five_messages();
    let mut script = Script::raw(
        &env,
        r#"
import re, sys
a = Raw(); a.login(); a.cmd('ENABLE QRESYNC')
uv = re.search(r'UIDVALIDITY (\d+)', ' '.join(a.cmd('SELECT INBOX'))).group(1)
live = Raw(); live.login(); live.cmd('SELECT INBOX')
a.cmd('STORE 1 +FLAGS.SILENT (\\Deleted)'); a.cmd('EXPUNGE')
live.cmd('NOOP')
m = re.search(r'HIGHESTMODSEQ (\d+)', ' '.join(a.cmd('STATUS INBOX (HIGHESTMODSEQ)'))).group(1)
a.cmd('UID STORE 3 +FLAGS.SILENT (\\Deleted)'); a.cmd('EXPUNGE')
print('ready', flush=True)
sys.stdin.readline()
show('live', live.cmd('NOOP'))
show('resync', [l for l in a.cmd('SELECT INBOX (QRESYNC (%s %s))' % (uv, m)) if 'VANISHED' in l])
show('known', [l for l in a.cmd('SELECT INBOX (QRESYNC (%s %s 2:5))' % (uv, m)) if 'VANISHED' in l])
show('fetch', a.cmd('UID FETCH 1:* (FLAGS) (CHANGEDSINCE %s VANISHED)' % m))
after = re.search(r'HIGHESTMODSEQ (\d+)', ' '.join(a.cmd('STATUS INBOX (HIGHESTMODSEQ)'))).group(1)
a.cmd('UID STORE 5 +FLAGS.SILENT (\\Deleted)'); a.cmd('EXPUNGE')
show('exact', [l for l in a.cmd('SELECT INBOX (QRESYNC (%s %s))' % (uv, after)) if 'VANISHED' in l])
"#,
    );
    script.wait_for("ready");
    env.prune_inbox_expunged(0);
    script.send("go");
    let (ok, out) = script.finish();
    assert!(ok, "{out}");
    assert_eq!(
        shown(&out, "live"),
        ["* 2 EXPUNGE", "* 3 EXISTS", "* 0 RECENT", "TAG OK NOOP completed."],
        "the live session learns of UID 3 from what is gone: {out}"
    );
    assert_eq!(shown(&out, "resync"), ["* VANISHED (EARLIER) 1,3"], "every UID gone, 1 included: {out}");
    assert_eq!(shown(&out, "known"), ["* VANISHED (EARLIER) 3"], "cut to the known UIDs: {out}");
    assert_eq!(shown(&out, "fetch"), ["* VANISHED (EARLIER) 1,3", "TAG OK FETCH completed."], "{out}");
    assert_eq!(shown(&out, "exact"), ["* VANISHED (EARLIER) 5"], "above the floor, exact: {out}");
}

/// CONDSTORE's `SEARCH MODSEQ` with a flag entry (RFC 7162 3.1.5) compares
/// when that flag last changed, not the message's last change.
#[test]
fn search_modseq_per_flag() {
    let env =
        Env::imap_holding(&[&message("one", "body\r\n"), &message("two", "body\r\n"), &message("three", "body\r\n")]);
    let out = raw_script(
        &env,
        r#"
a = Raw(); a.login(); a.cmd('SELECT INBOX')
a.cmd('STORE 1 +FLAGS.SILENT (\\Seen)'); a.cmd('STORE 2 +FLAGS.SILENT ($Junk)'); a.cmd('STORE 3 +FLAGS.SILENT (\\Flagged)')
show('seen5', a.cmd('SEARCH MODSEQ "/flags/\\\\Seen" all 5'))
show('junk', a.cmd('SEARCH MODSEQ "/flags/$junk" priv 6'))
show('never', a.cmd('SEARCH MODSEQ "/flags/\\\\Seen" all 2'))
show('seen6', a.cmd('SEARCH MODSEQ "/flags/\\\\Seen" all 6'))
show('message', a.cmd('SEARCH MODSEQ 6'))
a.cmd('FETCH 2 BODY[]')
show('fetched', a.cmd('SEARCH MODSEQ "/flags/\\\\Seen" shared 8'))
show('removed', a.cmd('STORE 1 -FLAGS.SILENT (\\Seen)') + a.cmd('SEARCH OR MODSEQ "/flags/\\\\Seen" all 9 MODSEQ "/flags/\\\\Flagged" all 7'))
"#,
    );
    assert_eq!(shown(&out, "seen5"), ["* SEARCH 1 (MODSEQ 5)", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(shown(&out, "junk"), ["* SEARCH 2 (MODSEQ 6)", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(
        shown(&out, "never"),
        ["* SEARCH 1 2 3 (MODSEQ 7)", "TAG OK SEARCH completed."],
        "a flag never changed counts from the message's arrival (modseqs 2-4): {out}"
    );
    assert_eq!(
        shown(&out, "seen6"),
        ["* SEARCH", "TAG OK SEARCH completed."],
        "other flags changed, not \\Seen: {out}"
    );
    assert_eq!(shown(&out, "message"), ["* SEARCH 2 3 (MODSEQ 7)", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(
        shown(&out, "fetched"),
        ["* SEARCH 2 (MODSEQ 8)", "TAG OK SEARCH completed."],
        "\\Seen set by FETCH: {out}"
    );
    assert_eq!(
        shown(&out, "removed"),
        ["* 1 FETCH (MODSEQ (9))", "TAG OK STORE completed.", "* SEARCH 1 3 (MODSEQ 9)", "TAG OK SEARCH completed."],
        "removing a flag is a change of it too: {out}"
    );
}

/// RFC 9051 E.1: literal sizes, SEARCH LARGER/SMALLER and FETCH partials are
/// number64 (63 bits). Past mailsh's 32 bits they parse; a literal that size
/// is over the message limit: `NO [TOOBIG]` for a synchronizing one, and
/// the session goes on; a non-synchronizing one already on its way cannot
/// be skipped and closes the connection, as any over the limit does.
#[test]
fn number64_arguments_and_literal_sizes() {
    let env = five_messages();
    let out = raw_script(
        &env,
        r#"
a = Raw(); a.login(); a.cmd('ENABLE IMAP4rev2'); a.cmd('SELECT INBOX')
show('append', a.cmd('APPEND INBOX {5000000000}'))
show('append8', a.cmd('APPEND INBOX ~{9223372036854775807}'))
show('after', a.cmd('NOOP'))
show('larger', a.cmd('SEARCH LARGER 5000000000'))
show('smaller', a.cmd('UID SEARCH SMALLER 9223372036854775807'))
show('past63', a.cmd('SEARCH LARGER 9223372036854775808'))
show('partial', a.cmd('FETCH 1 (BODY.PEEK[TEXT]<0.5000000000>)'))
b = Raw(); b.login()
show('rev1', b.cmd('APPEND INBOX {4294967296}'))
show('nonsync', b.pipelined(b't9 APPEND INBOX {4294967296+}\r\n', 't9') + [b.f.readline().decode().rstrip()])
"#,
    );
    let too_big = ["TAG NO [TOOBIG] Command Argument Error. 11"];
    assert_eq!(shown(&out, "append"), too_big, "{out}");
    assert_eq!(shown(&out, "append8"), too_big, "{out}");
    assert_eq!(shown(&out, "after"), ["TAG OK NOOP completed."], "no literal bytes read as commands: {out}");
    assert_eq!(shown(&out, "larger"), ["* ESEARCH (TAG \"t7\")", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(shown(&out, "smaller"), ["* ESEARCH (TAG \"t8\") UID ALL 1:5", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(shown(&out, "past63"), ["TAG BAD Command Argument Error. 11"], "not a number64: {out}");
    assert_eq!(
        shown(&out, "partial"),
        ["* 1 FETCH (BODY[TEXT]<0> {6}\\r\\nbody\\r\\n)", "TAG OK FETCH completed."],
        "{out}"
    );
    assert_eq!(shown(&out, "rev1"), too_big, "an IMAP4rev1 session too: {out}");
    assert_eq!(shown(&out, "nonsync"), ["t9 BAD Command Error. 12", "* BYE Connection is closed. 12"], "{out}");
}

/// RFC 7889: APPENDLIMIT=n (2(a): one limit for every folder, mailsh's 35
/// MiB), the STATUS item (3.1) and LIST-STATUS (3.2), and TOOBIG for an
/// APPEND over it (4).
#[test]
fn appendlimit_is_advertised_and_reported() {
    let env = five_messages();
    let out = raw_script(
        &env,
        r#"
a = Raw(); a.login()
show('caps', [l for l in a.cmd('CAPABILITY') if 'APPENDLIMIT' in l])
show('status', a.cmd('STATUS INBOX (MESSAGES APPENDLIMIT)'))
show('list', a.cmd('LIST "" "INBOX" RETURN (STATUS (APPENDLIMIT UIDNEXT))'))
show('over', a.cmd('APPEND Drafts {36700161}'))
show('unknown', a.cmd('STATUS INBOX (APPENDLIMIT NONSENSE)'))
"#,
    );
    assert_eq!(shown(&out, "caps").len(), 1, "{out}");
    assert!(shown(&out, "caps")[0].contains(" APPENDLIMIT=36700160 "), "{out}");
    assert_eq!(
        shown(&out, "status"),
        ["* STATUS \"INBOX\" (MESSAGES 5 APPENDLIMIT 36700160)", "TAG OK STATUS completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "list"),
        [
            "* LIST (\\HasNoChildren) \"/\" \"INBOX\"",
            "* STATUS \"INBOX\" (APPENDLIMIT 36700160 UIDNEXT 6)",
            "TAG OK LIST completed."
        ],
        "{out}"
    );
    assert_eq!(shown(&out, "over"), ["TAG NO [TOOBIG] Command Argument Error. 11"], "{out}");
    assert_eq!(shown(&out, "unknown"), ["TAG BAD Command Argument Error. 11"], "{out}");
}
