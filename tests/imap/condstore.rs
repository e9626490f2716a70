//! CONDSTORE and QRESYNC (RFC 7162) on the real services, with a raw
//! socket client where the order of every line matters: HIGHESTMODSEQ in
//! SELECT and STATUS, MODSEQ in FETCH, CHANGEDSINCE, UNCHANGEDSINCE and
//! MODIFIED, SEARCH MODSEQ, a highest modseq that never goes back across
//! expunges, ENABLE QRESYNC, SELECT (QRESYNC ...) with VANISHED (EARLIER),
//! UID FETCH (CHANGEDSINCE ... VANISHED), and VANISHED instead of EXPUNGE.
//!
//! A fresh Inbox's modseq starts at 1; each delivery takes the next one, so
//! three messages have modseqs 2, 3 and 4.

use crate::support::{Env, message, raw_script, shown};

fn run_on(messages: &[&[u8]], script: &str) -> String {
    raw_script(&Env::imap_holding(messages), script)
}

fn three() -> Vec<Vec<u8>> {
    vec![message("one", "1\r\n"), message("two", "2\r\n"), message("three", "3\r\n")]
}

#[test]
fn condstore_modseqs_changedsince_and_unchangedsince() {
    let m = three();
    let out = run_on(
        &[&m[0], &m[1], &m[2]],
        r#"
import re
a = Raw(); a.login()
show('caps', [l for l in a.cmd('CAPABILITY') if l.startswith('* CAPABILITY')])
show('select', [l for l in a.cmd('SELECT INBOX (CONDSTORE)') if 'MODSEQ' in l or 'EXISTS' in l])
show('modseq', a.cmd('FETCH 1:* (UID MODSEQ)'))
show('store', a.cmd('STORE 2 +FLAGS (\\Flagged)'))
show('silent', a.cmd('UID STORE 3 +FLAGS.SILENT (\\Seen)'))
show('since', a.cmd('FETCH 1:* (FLAGS) (CHANGEDSINCE 4)'))
show('cond', a.cmd('STORE 1:3 (UNCHANGEDSINCE 4) +FLAGS.SILENT (\\Answered)'))
show('search', a.cmd('SEARCH MODSEQ 5'))
b = Raw(); b.login(); b.cmd('SELECT INBOX')
b.cmd('STORE 3 +FLAGS.SILENT (\\Deleted)'); b.cmd('EXPUNGE')
show('status', b.cmd('STATUS INBOX (HIGHESTMODSEQ MESSAGES)'))
show('noop', a.cmd('NOOP'))
b.cmd('STORE 2 -FLAGS.SILENT (\\Flagged)')
show('other', a.cmd('NOOP'))
show('after', b.cmd('STATUS INBOX (HIGHESTMODSEQ)'))
"#,
    );
    let caps = shown(&out, "caps").join(" ");
    assert!(caps.contains(" CONDSTORE") && caps.contains(" QRESYNC"), "{out}");
    assert_eq!(shown(&out, "select"), ["* 3 EXISTS", "* OK [HIGHESTMODSEQ 4] Highest"], "{out}");
    assert_eq!(
        shown(&out, "modseq"),
        [
            "* 1 FETCH (UID 1 MODSEQ (2))",
            "* 2 FETCH (UID 2 MODSEQ (3))",
            "* 3 FETCH (UID 3 MODSEQ (4))",
            "TAG OK FETCH completed."
        ],
        "{out}"
    );
    assert_eq!(
        shown(&out, "store"),
        ["* 2 FETCH (FLAGS (\\Recent \\Flagged) MODSEQ (5))", "TAG OK STORE completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "silent"),
        ["* 3 FETCH (UID 3 MODSEQ (6))", "TAG OK STORE completed."],
        "RFC 7162 3.1.3: .SILENT still gives the new modseq: {out}"
    );
    assert_eq!(
        shown(&out, "since"),
        [
            "* 2 FETCH (FLAGS (\\Recent \\Flagged) MODSEQ (5))",
            "* 3 FETCH (FLAGS (\\Recent \\Seen) MODSEQ (6))",
            "TAG OK FETCH completed."
        ],
        "{out}"
    );
    assert_eq!(
        shown(&out, "cond"),
        ["* 1 FETCH (MODSEQ (7))", "TAG OK [MODIFIED 2:3] Conditional STORE failed"],
        "messages changed after 4 are left alone and named: {out}"
    );
    assert_eq!(shown(&out, "search"), ["* SEARCH 1 2 3 (MODSEQ 7)", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(
        shown(&out, "status"),
        ["* STATUS \"INBOX\" (HIGHESTMODSEQ 9 MESSAGES 2)", "TAG OK STATUS completed."],
        "the STORE \\Deleted took 8, the EXPUNGE 9: {out}"
    );
    assert_eq!(shown(&out, "noop"), ["* 3 EXPUNGE", "* 2 EXISTS", "* 2 RECENT", "TAG OK NOOP completed."], "{out}");
    assert_eq!(
        shown(&out, "other"),
        ["* 2 FETCH (UID 2 FLAGS (\\Recent) MODSEQ (10))", "TAG OK NOOP completed."],
        "another session's change comes with UID and MODSEQ: {out}"
    );
    assert_eq!(shown(&out, "after"), ["* STATUS \"INBOX\" (HIGHESTMODSEQ 10)", "TAG OK STATUS completed."], "{out}");
}

#[test]
fn qresync_resynchronises_with_vanished_and_changed_messages() {
    let m = three();
    let out = run_on(
        &[&m[0], &m[1], &m[2]],
        r#"
a = Raw(); a.login()
show('early', a.cmd('SELECT INBOX (QRESYNC (1 1))'))
show('enable', a.cmd('ENABLE QRESYNC'))
uv = [l for l in a.cmd('SELECT INBOX') if 'UIDVALIDITY' in l][0].split()[3].rstrip(']')
b = Raw(); b.login(); b.cmd('SELECT INBOX')
b.cmd('STORE 1 +FLAGS.SILENT (\\Seen)')
b.cmd('STORE 2 +FLAGS.SILENT (\\Deleted)'); b.cmd('EXPUNGE')
show('gone', a.cmd('NOOP'))
a.cmd('UNSELECT')
b.cmd('APPEND INBOX {10+}\r\nSubject: 4')
show('resync', [l for l in a.cmd('SELECT INBOX (QRESYNC (%s 4 1:3))' % uv) if 'EXISTS' in l or 'VANISHED' in l or 'FETCH' in l or 'CLOSED' in l or l.startswith('TAG')])
show('fetch', a.cmd('UID FETCH 1:* (FLAGS) (CHANGEDSINCE 4 VANISHED)'))
show('again', [l for l in a.cmd('EXAMINE INBOX') if 'CLOSED' in l])
show('stale', [l for l in a.cmd('SELECT INBOX (QRESYNC (1 4))') if 'VANISHED' in l or 'FETCH' in l or l.startswith('TAG')])
"#,
    );
    assert_eq!(shown(&out, "early"), ["TAG BAD Command Argument Error. 11"], "QRESYNC must be enabled first: {out}");
    assert_eq!(shown(&out, "enable"), ["* ENABLED QRESYNC", "TAG OK ENABLE completed."], "{out}");
    assert_eq!(
        shown(&out, "gone"),
        [
            "* VANISHED 2",
            "* 1 FETCH (UID 1 FLAGS (\\Recent \\Seen) MODSEQ (5))",
            "* 2 EXISTS",
            "* 2 RECENT",
            "TAG OK NOOP completed."
        ],
        "VANISHED, not EXPUNGE, once QRESYNC is on: {out}"
    );
    assert_eq!(
        shown(&out, "resync"),
        [
            "* 3 EXISTS",
            "* VANISHED (EARLIER) 2",
            "* 1 FETCH (UID 1 FLAGS (\\Seen) MODSEQ (5))",
            "* 3 FETCH (UID 4 FLAGS () MODSEQ (8))",
            "TAG OK [READ-WRITE] SELECT completed."
        ],
        "UID 4 is \\Recent to the session that appended it: {out}"
    );
    assert_eq!(
        shown(&out, "fetch"),
        [
            "* VANISHED (EARLIER) 2",
            "* 1 FETCH (UID 1 FLAGS (\\Seen) MODSEQ (5))",
            "* 3 FETCH (UID 4 FLAGS () MODSEQ (8))",
            "TAG OK FETCH completed."
        ],
        "{out}"
    );
    assert_eq!(shown(&out, "again"), ["* OK [CLOSED] Previous mailbox is now closed."], "{out}");
    assert_eq!(
        shown(&out, "stale"),
        ["TAG OK [READ-WRITE] SELECT completed."],
        "another UIDVALIDITY: no resynchronisation data: {out}"
    );
}

/// Set-ImapSettings -AdvertisedCapabilities Exchange2013: after login,
/// exactly the list Exchange 2013 gives (front end and back end alike).
#[test]
fn exchange_2013_capabilities_on_request() {
    let mut env = Env::exchange_2013();
    env.start_imap();
    let out = raw_script(&env, "a = Raw(); show('login', a.login()); show('caps', a.cmd('CAPABILITY'))\n");
    let exchange =
        "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE AUTH=PLAIN NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE";
    assert_eq!(shown(&out, "login"), [format!("TAG OK [CAPABILITY {exchange}] LOGIN completed.")], "{out}");
    assert_eq!(
        shown(&out, "caps"),
        [format!("* CAPABILITY {exchange}"), "TAG OK CAPABILITY completed.".into()],
        "{out}"
    );
}
