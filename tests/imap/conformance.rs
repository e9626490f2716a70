//! RFC 3501 / 9051 (and RFC 2180, 5530) cases, each written from the RFC
//! text, on the real services with Python clients: what a session sees of
//! another session's EXPUNGE, UIDVALIDITY across DELETE and CREATE, keywords
//! in FLAGS, EXAMINE's RECENT, LSUB's \Noselect parents, SEARCH on repeated
//! header fields, addresses with comments and groups, and the CAPABILITY
//! response code in the greeting and after login.

use crate::support::{Env, message, printed, raw_script, shown};

/// Runs `script` (with `Raw`, `show` and `imaplib_session`) against the
/// services on a fresh store whose Inbox holds `messages`; what it printed.
fn run_on(messages: &[&[u8]], script: &str) -> String {
    raw_script(&Env::imap_holding(messages), script)
}

/// RFC 2180 4.1.2, 4.2, 4.3, 4.4.1 and RFC 5530 EXPUNGEISSUED: a message
/// another session expunged, which this session still numbers, is never
/// served (let alone served empty); FETCH and STORE by number say
/// `NO [EXPUNGEISSUED]`, SEARCH skips it (`OK [EXPUNGEISSUED]`), COPY
/// copies nothing and brings the
/// EXPUNGE, UID FETCH answers what exists followed by the EXPUNGE.
#[test]
fn a_message_expunged_by_another_session_is_never_served() {
    let out = run_on(
        &[
            &message("one", "first\r\n"),
            &message("two", "second\r\n"),
            &message("three", "third\r\n"),
            &message("four", "fourth\r\n"),
        ],
        r#"
a = Raw(); a.login(); a.cmd('SELECT INBOX')
b = Raw(); b.login(); b.cmd('SELECT INBOX')
b.cmd('STORE 2 +FLAGS.SILENT (\\Deleted)'); b.cmd('EXPUNGE')
show('fetch2', a.cmd('FETCH 2 (UID RFC822.SIZE BODY.PEEK[])'))
show('fetch13', a.cmd('FETCH 1:3 (UID BODY.PEEK[TEXT])'))
show('store', a.cmd('STORE 2 +FLAGS (\\Flagged)'))
show('silent', a.cmd('STORE 1:2 +FLAGS.SILENT (\\Flagged)'))
show('search', a.cmd('SEARCH ALL'))
show('copy', a.cmd('COPY 1:3 Drafts'))
show('drafts', a.cmd('STATUS Drafts (MESSAGES)'))
show('after', a.cmd('FETCH 1:* (UID)'))
b.cmd('UID STORE 3 +FLAGS.SILENT (\\Deleted)'); b.cmd('EXPUNGE')
show('uidfetch', a.cmd('UID FETCH 1:* (BODY.PEEK[TEXT])'))
show('end', a.cmd('FETCH 1:* (UID)'))
"#,
    );
    assert_eq!(
        shown(&out, "fetch2"),
        ["TAG NO [EXPUNGEISSUED] Some of the requested messages no longer exist."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "fetch13"),
        [
            "* 1 FETCH (UID 1 BODY[TEXT] {7}\\r\\nfirst\\r\\n)",
            "* 3 FETCH (UID 3 BODY[TEXT] {7}\\r\\nthird\\r\\n)",
            "TAG NO [EXPUNGEISSUED] Some of the requested messages no longer exist."
        ],
        "no EXPUNGE during FETCH, and nothing for message 2: {out}"
    );
    assert_eq!(
        shown(&out, "store"),
        ["TAG NO [EXPUNGEISSUED] Some of the requested messages no longer exist."],
        "RFC 2180 4.2.2: {out}"
    );
    assert_eq!(shown(&out, "silent"), ["TAG OK STORE completed."], "RFC 2180 4.2.1: {out}");
    assert_eq!(
        shown(&out, "search"),
        ["* SEARCH 1 3 4", "TAG OK [EXPUNGEISSUED] SEARCH completed."],
        "RFC 2180 4.3, RFC 9051 7.1: {out}"
    );
    assert_eq!(
        shown(&out, "copy"),
        [
            "* 2 EXPUNGE",
            "* 3 EXISTS",
            "* 3 RECENT",
            "TAG NO [EXPUNGEISSUED] Some of the requested messages no longer exist."
        ],
        "RFC 2180 4.4.1: {out}"
    );
    assert_eq!(shown(&out, "drafts"), ["* STATUS \"Drafts\" (MESSAGES 0)", "TAG OK STATUS completed."], "{out}");
    assert_eq!(
        shown(&out, "after"),
        ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 4)", "TAG OK FETCH completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "uidfetch"),
        [
            "* 1 FETCH (UID 1 BODY[TEXT] {7}\\r\\nfirst\\r\\n)",
            "* 3 FETCH (UID 4 BODY[TEXT] {8}\\r\\nfourth\\r\\n)",
            "* 2 EXPUNGE",
            "* 2 EXISTS",
            "* 2 RECENT",
            "TAG OK FETCH completed."
        ],
        "UID FETCH may bring the EXPUNGE: {out}"
    );
    assert_eq!(shown(&out, "end"), ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 4)", "TAG OK FETCH completed."], "{out}");
}

/// RFC 3501 2.3.1.1: a name, UIDVALIDITY and UID never name two messages;
/// when UIDs do not persist (the folder was deleted and created again), the
/// UIDVALIDITY must be greater than before, however quickly it happens.
#[test]
fn uidvalidity_grows_across_delete_and_create_within_a_second() {
    let out = run_on(
        &[],
        r#"
import re
m = imaplib_session()
seen = []
for i in range(4):
    m.create('Scratch')
    typ, data = m.append('Scratch', None, None, b'Subject: x\r\n\r\ny\r\n')
    v, uid = re.search(rb'APPENDUID (\d+) (\d+)', data[0]).groups()
    st = re.search(rb'UIDVALIDITY (\d+)', m.status('Scratch', '(UIDVALIDITY)')[1][0]).group(1)
    seen.append((int(v), int(uid), int(st)))
    if i == 2:
        m.rename('Scratch', 'Kept')
    else:
        m.delete('Scratch')
print('seen', seen)
print('kept', m.status('Kept', '(UIDVALIDITY MESSAGES)'))
"#,
    );
    let line = printed(&out, "seen");
    let numbers: Vec<u64> =
        line.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty()).map(|t| t.parse().unwrap()).collect();
    assert_eq!(numbers.len(), 12, "{out}");
    let validities: Vec<u64> = numbers.chunks(3).map(|c| c[0]).collect();
    for c in numbers.chunks(3) {
        assert_eq!((c[1], c[2]), (1, c[0]), "UIDs restart at 1 and STATUS agrees with APPENDUID: {out}");
    }
    assert!(validities.windows(2).all(|w| w[0] < w[1]), "each new Scratch has a greater UIDVALIDITY: {out}");
}

/// RFC 3501 7.2.6: FLAGS lists the flags defined in the mailbox, keywords
/// in use included; a keyword used for the first time brings a new FLAGS
/// response (and PERMANENTFLAGS) to every session with the folder selected,
/// before any FETCH that shows it.
#[test]
fn keywords_in_use_are_in_flags_and_announced_to_every_session() {
    let out = run_on(
        &[&message("one", "x\r\n"), &message("two", "y\r\n")],
        r#"
a = Raw(); a.login()
b = Raw(); b.login()
show('select', [l for l in a.cmd('SELECT INBOX') if 'FLAGS' in l])
b.cmd('SELECT INBOX')
show('store', b.cmd('STORE 1 +FLAGS ($Label1 Junk)'))
show('again', b.cmd('STORE 2 +FLAGS ($label1)'))
show('noop', a.cmd('NOOP'))
c = Raw(); c.login()
show('examine', [l for l in c.cmd('EXAMINE INBOX') if 'FLAGS' in l])
"#,
    );
    let standard = "\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent $Forwarded";
    assert_eq!(
        shown(&out, "select"),
        [format!("* FLAGS ({standard})"), format!("* OK [PERMANENTFLAGS ({standard} \\*)] Permanent flags")],
        "{out}"
    );
    assert_eq!(
        shown(&out, "store"),
        [
            format!("* FLAGS ({standard} $Label1 Junk)"),
            format!("* OK [PERMANENTFLAGS ({standard} $Label1 Junk \\*)] Permanent flags"),
            "* 1 FETCH (FLAGS ($Label1 Junk))".to_string(),
            "TAG OK STORE completed.".to_string()
        ],
        "{out}"
    );
    assert_eq!(
        shown(&out, "again"),
        ["* 2 FETCH (FLAGS ($label1))", "TAG OK STORE completed."],
        "a keyword is known whatever its case (\\Recent went to the first session): {out}"
    );
    assert_eq!(
        shown(&out, "noop"),
        [
            format!("* FLAGS ({standard} $Label1 Junk)"),
            format!("* OK [PERMANENTFLAGS ({standard} $Label1 Junk \\*)] Permanent flags"),
            "* 1 FETCH (FLAGS (\\Recent $Label1 Junk))".to_string(),
            "* 2 FETCH (FLAGS (\\Recent $label1))".to_string(),
            "TAG OK NOOP completed.".to_string()
        ],
        "{out}"
    );
    assert_eq!(
        shown(&out, "examine"),
        [format!("* FLAGS ({standard} $Label1 Junk)"), "* OK [PERMANENTFLAGS ()] Permanent flags".to_string()],
        "{out}"
    );
}

/// RFC 3501 6.3.2 and 6.3.10: EXAMINE changes nothing, \Recent included,
/// and reports the same RECENT as STATUS and the next SELECT.
#[test]
fn examine_reports_recent_as_status_and_select_do() {
    let out = run_on(
        &[&message("one", "x\r\n"), &message("two", "y\r\n")],
        r#"
a = Raw(); a.login()
show('status', a.cmd('STATUS INBOX (RECENT MESSAGES)'))
show('examine', [l for l in a.cmd('EXAMINE INBOX') if 'RECENT' in l])
show('search', a.cmd('SEARCH RECENT'))
show('flags', a.cmd('FETCH 1 (FLAGS)'))
show('status2', a.cmd('STATUS INBOX (RECENT)'))
b = Raw(); b.login()
show('select', [l for l in b.cmd('SELECT INBOX') if 'RECENT' in l])
show('status3', b.cmd('STATUS INBOX (RECENT)'))
"#,
    );
    assert_eq!(
        shown(&out, "status"),
        ["* STATUS \"INBOX\" (RECENT 2 MESSAGES 2)", "TAG OK STATUS completed."],
        "{out}"
    );
    assert_eq!(shown(&out, "examine"), ["* 2 RECENT"], "{out}");
    assert_eq!(shown(&out, "search"), ["* SEARCH 1 2", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(shown(&out, "flags"), ["* 1 FETCH (FLAGS (\\Recent))", "TAG OK FETCH completed."], "{out}");
    assert_eq!(shown(&out, "status2"), ["* STATUS \"INBOX\" (RECENT 2)", "TAG OK STATUS completed."], "{out}");
    assert_eq!(shown(&out, "select"), ["* 2 RECENT"], "EXAMINE left them recent: {out}");
    assert_eq!(shown(&out, "status3"), ["* STATUS \"INBOX\" (RECENT 0)", "TAG OK STATUS completed."], "{out}");
}

/// RFC 3501 6.3.9: with `foo/bar` subscribed and `foo` not, LSUB `%`
/// returns `foo` flagged \Noselect; once nothing below it is subscribed, it
/// is not listed. The parent CREATE made on the way is not subscribed. The
/// pattern as imaplib sends it (unquoted) is accepted, as LIST accepts it.
#[test]
fn lsub_lists_unsubscribed_parents_as_noselect() {
    let out = run_on(
        &[],
        r#"
m = imaplib_session()
print('create', m.create('par/child'), m.subscribe('par/child'))
print('lsub-percent', m.lsub('""', 'par%'))
print('list-percent', m.list('""', 'par%'))
print('lsub-star', m.lsub('""', 'par*'))
print('lsub-child', m.lsub('par/', '%'))
a = Raw(); a.login()
show('raw', a.cmd('LSUB "" par%'))
print('unsubscribe', m.unsubscribe('par/child'))
print('lsub-after', m.lsub('""', 'par%'), m.lsub('""', '*'))
print('subscribe-parent', m.subscribe('par'), m.lsub('""', 'par%'))
"#,
    );
    let line = |name: &str| printed(&out, name);
    assert_eq!(line("lsub-percent"), "lsub-percent ('OK', [b'(\\\\Noselect \\\\HasChildren) \"/\" \"par\"'])", "{out}");
    assert_eq!(line("list-percent"), "list-percent ('OK', [b'(\\\\HasChildren) \"/\" \"par\"'])", "{out}");
    assert_eq!(
        line("lsub-star"),
        "lsub-star ('OK', [b'(\\\\HasNoChildren) \"/\" \"par/child\"'])",
        "`*` lists the child itself: {out}"
    );
    assert_eq!(line("lsub-child"), "lsub-child ('OK', [b'(\\\\HasNoChildren) \"/\" \"par/child\"'])", "{out}");
    assert_eq!(
        shown(&out, "raw"),
        ["* LSUB (\\Noselect \\HasChildren) \"/\" \"par\"", "TAG OK LSUB completed."],
        "{out}"
    );
    assert!(line("lsub-after").starts_with("lsub-after ('OK', [None]) ('OK', ["), "{out}");
    assert!(!line("lsub-after").contains("par"), "no parent once nothing below is subscribed: {out}");
    assert_eq!(
        line("subscribe-parent"),
        "subscribe-parent ('OK', [b'SUBSCRIBE completed.']) ('OK', [b'(\\\\HasChildren) \"/\" \"par\"'])",
        "{out}"
    );
}

/// RFC 3501 6.4.4: HEADER matches a message that has a header field of that
/// name containing the string: any occurrence of the field counts.
#[test]
fn search_header_matches_every_occurrence_of_a_field() {
    let out = run_on(
        &[b"Subject: repeated\r\nX-Extra: one\r\nTo: a@example.org\r\nX-Extra: two\r\n folded\r\nTo: b@example.org\r\n\r\nbody\r\n", &message("other", "x\r\n")],
        r#"
a = Raw(); a.login(); a.cmd('SELECT INBOX')
show('first', a.cmd('SEARCH HEADER X-Extra one'))
show('second', a.cmd('SEARCH HEADER X-Extra two'))
show('folded', a.cmd('SEARCH HEADER X-Extra "two folded"'))
show('any', a.cmd('SEARCH HEADER X-EXTRA ""'))
show('to', a.cmd('SEARCH TO b@example.org'))
show('none', a.cmd('SEARCH HEADER X-Extra three'))
"#,
    );
    for name in ["first", "second", "folded", "any", "to"] {
        assert_eq!(shown(&out, name), ["* SEARCH 1", "TAG OK SEARCH completed."], "{name}: {out}");
    }
    assert_eq!(shown(&out, "none"), ["* SEARCH", "TAG OK SEARCH completed."], "{out}");
}

/// RFC 5322 3.4 (comments may appear inside an address) and RFC 3501
/// 7.4.2 (a group is a start marker with the group name as mailbox and NIL
/// host, its members, and an end marker with NIL mailbox and host): SEARCH
/// FROM finds the address without its comments, ENVELOPE has no phantom
/// address for a comment inside a group.
#[test]
fn addresses_with_comments_and_groups() {
    let out = run_on(
        &[
        b"From: <user-from (comment)@ (comment) domain.org>\r\nTo: Team: alice@contoso.com, \"Bob, B.\" <bob@contoso.com>;\r\nCc: group:;, group2: (foo) ;\r\nSubject: groups\r\n\r\nbody\r\n",
        &message("other", "x\r\n"),
    ],
        r#"
a = Raw(); a.login(); a.cmd('SELECT INBOX')
show('from', a.cmd('SEARCH FROM user-from@domain.org'))
show('to', a.cmd('SEARCH TO "Bob, B." CC group2'))
show('envelope', a.cmd('FETCH 1 (ENVELOPE)'))
"#,
    );
    assert_eq!(shown(&out, "from"), ["* SEARCH 1", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(shown(&out, "to"), ["* SEARCH 1", "TAG OK SEARCH completed."], "{out}");
    let from = "((NIL NIL \"user-from\" \"domain.org\"))";
    assert_eq!(
        shown(&out, "envelope"),
        [
            format!(
                "* 1 FETCH (ENVELOPE (NIL \"groups\" {from} {from} {from} \
                 ((NIL NIL \"Team\" NIL)(NIL NIL \"alice\" \"contoso.com\")(\"Bob, B.\" NIL \"bob\" \"contoso.com\")(NIL NIL NIL NIL)) \
                 ((NIL NIL \"group\" NIL)(NIL NIL NIL NIL)(NIL NIL \"group2\" NIL)(NIL NIL NIL NIL)) NIL NIL NIL))"
            ),
            "TAG OK FETCH completed.".to_string()
        ],
        "{out}"
    );
}

/// RFC 3501 7.1 (CAPABILITY response code): the greeting and the tagged OK
/// of LOGIN and AUTHENTICATE carry the capabilities, each the list a
/// CAPABILITY command would give at that point.
#[test]
fn capabilities_come_with_the_greeting_and_the_login() {
    for secure in [false, true] {
        let mut env = Env::imap(secure);
        env.start_imap();
        let out = raw_script(
            &env,
            r#"
import base64
a = Raw()
show('greeting', [a.greeting])
show('caps', a.cmd('CAPABILITY'))
show('login', a.login())
show('caps2', a.cmd('CAPABILITY'))
b = Raw.back_end()
show('backend', [b.greeting])
token = base64.b64encode(('\0' + os.environ['USER'] + '\0' + os.environ['PASSWORD']).encode()).decode()
show('auth', b.cmd('AUTHENTICATE PLAIN ' + token))
"#,
        );
        let caps = shown(&out, "caps")[0].strip_prefix("* CAPABILITY ").unwrap_or_default().to_string();
        let greeting = shown(&out, "greeting")[0];
        assert_eq!(
            greeting,
            format!("* OK [CAPABILITY {caps}] The Microsoft Exchange IMAP4 service is ready."),
            "{out}"
        );
        assert_eq!(greeting.contains("LOGINDISABLED"), secure, "{out}");
        if secure {
            assert_eq!(shown(&out, "login"), ["TAG BAD Command received in Invalid state."], "{out}");
            continue;
        }
        let after = shown(&out, "caps2")[0].strip_prefix("* CAPABILITY ").unwrap_or_default().to_string();
        assert!(after.contains("UIDPLUS"), "{out}");
        assert_eq!(shown(&out, "login"), [format!("TAG OK [CAPABILITY {after}] LOGIN completed.")], "{out}");
        assert!(shown(&out, "backend")[0].starts_with("* OK [CAPABILITY IMAP4rev1 "), "{out}");
        assert_eq!(shown(&out, "auth"), [format!("TAG OK [CAPABILITY {after}] AUTHENTICATE completed.")], "{out}");
    }
}
