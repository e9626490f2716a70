//! IMAP4rev2 (RFC 9051) alongside IMAP4rev1, and the extensions it folds in
//! or sits beside that mailsh added last, on the real services: SEARCHRES
//! (RFC 5182 as RFC 9051 6.4.4.1 states it), CATENATE (RFC 4469),
//! UTF8=ACCEPT (RFC 6855) and ENABLE IMAP4rev2. Python's imaplib drives
//! each flow; the raw client (tests/imap_support/raw.py) checks exact lines
//! where their order matters.

mod imap_support;

use imap_support::{Env, RAW_CLIENT, message, python, shown};

fn five_messages() -> Env {
    let mut env = Env::new(false);
    for s in ["one", "two", "three", "four", "five"] {
        env.deliver(&message(s, "body\r\n"));
    }
    env.start_imap();
    env
}

#[test]
fn searchres_saves_a_result_that_dollar_reads() {
    let env = five_messages();
    let (ok, out, err) = python(
        &env,
        &format!(
            r#"{RAW_CLIENT}
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
a.cmd('UNSELECT')
show('unselected', a.cmd('FETCH $ (UID)'))
"#
        ),
    );
    assert!(ok, "{out}\n{err}");
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
    assert_eq!(
        shown(&out, "all"),
        ["* ESEARCH (TAG \"t5\") MIN 2 COUNT 4", "TAG OK SEARCH completed."],
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
    assert_eq!(shown(&out, "unselected"), ["TAG BAD Command received in Invalid state."], "{out}");
}

fn printed_value(out: &str, name: &str) -> String {
    out.lines().find_map(|l| l.strip_prefix(&format!("{name} "))).unwrap_or_default().to_string()
}
