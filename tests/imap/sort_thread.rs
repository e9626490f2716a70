//! SORT (RFC 5256 3, RFC 5957) and THREAD (RFC 5256 4) on the real
//! services, with a raw client: the orders and thread shapes each
//! algorithm gives for messages with replies, blobs and references; ESORT
//! (RFC 5267 3) with SEARCHRES's SAVE.

use crate::support::{Env, raw_script, shown};

fn msg(from: &str, subject: &str, day: u32, id: &str, refs: &str) -> Vec<u8> {
    let refs = if refs.is_empty() { String::new() } else { format!("References: {refs}\r\nIn-Reply-To: {refs}\r\n") };
    format!(
        "From: {from}\r\nTo: bob@contoso.com\r\nSubject: {subject}\r\nDate: {day} Nov 2026 10:00:00 +0000\r\nMessage-ID: {id}\r\n{refs}\r\nbody\r\n"
    )
    .into_bytes()
}

/// Six messages with replies, list tags and dates out of arrival order.
fn six_messages() -> Env {
    let mut env = Env::imap(false);
    for m in [
        msg("Zoe <zoe@x.org>", "Budget", 3, "<a@x>", ""),
        msg("adam@x.org", "Re: Budget", 1, "<b@x>", "<a@x>"),
        msg("Mike <mike@x.org>", "Lunch", 2, "<c@x>", ""),
        msg("bob@x.org", "Re: Re: budget", 4, "<d@x>", "<a@x> <b@x>"),
        msg("carl@x.org", "[list] lunch", 5, "<e@x>", ""),
        msg("dan@x.org", "Other", 6, "<f@x>", ""),
    ] {
        env.deliver(&m);
    }
    env.start_imap();
    env
}

#[test]
fn sort_and_thread_orders() {
    let env = six_messages();
    let out = raw_script(
        &env,
        r#"a = Raw(); a.login(); a.cmd('SELECT INBOX')
show('subject', a.cmd('SORT (SUBJECT) UTF-8 ALL'))
show('date', a.cmd('SORT (DATE) US-ASCII ALL'))
show('from', a.cmd('SORT (REVERSE FROM) UTF-8 ALL'))
show('display', a.cmd('UID SORT (DISPLAYFROM) UTF-8 ALL'))
show('some', a.cmd('SORT (SUBJECT DATE) UTF-8 OR FROM mike FROM carl'))
show('charset', a.cmd('SORT (SUBJECT) ISO-8859-1 ALL'))
show('ordered', a.cmd('THREAD ORDEREDSUBJECT UTF-8 ALL'))
show('references', a.cmd('THREAD REFERENCES UTF-8 ALL'))
show('uidthread', a.cmd('UID THREAD REFERENCES UTF-8 NOT FROM zoe'))
show('unknown', a.cmd('THREAD SIDEWAYS UTF-8 ALL'))
"#,
    );
    let one = |name: &str| shown(&out, name).first().map(|l| l.to_string()).unwrap_or_default();
    assert_eq!(one("subject"), "* SORT 1 2 4 3 5 6", "base subjects, ties by number: {out}");
    assert_eq!(one("date"), "* SORT 2 3 1 4 5 6", "{out}");
    assert_eq!(one("from"), "* SORT 1 3 6 5 4 2", "{out}");
    assert_eq!(one("display"), "* SORT 2 4 5 6 3 1", "names, else addresses (RFC 5957): {out}");
    assert_eq!(one("some"), "* SORT 3 5", "{out}");
    assert_eq!(shown(&out, "charset"), ["TAG NO [BADCHARSET (US-ASCII UTF-8)] The charset is not supported."], "{out}");
    assert_eq!(one("ordered"), "* THREAD (2 (1)(4))(3 5)(6)", "{out}");
    assert_eq!(
        one("references"),
        "* THREAD ((3)(5))(1 2 4)(6)",
        "a chain by References; two non-replies with one base subject under a dummy: {out}"
    );
    assert_eq!(one("uidthread"), "* THREAD (2 4)((3)(5))(6)", "the missing parent is pruned, 2 (1 Nov) leads: {out}");
    assert_eq!(shown(&out, "unknown"), ["TAG BAD Command Argument Error. 11"], "{out}");
}

/// RFC 5267 3: SORT RETURN answers ESEARCH "in the requested sort order":
/// MIN and MAX are the ends of that order, ALL keeps it, with ranges only
/// where it ascends (3.2; 3.3: `23765,23764,23763`, not `23765:23763`).
/// SAVE keeps the result for `$` (RFC 5182 1), as RFC 9051 Table 4 says.
#[test]
fn esort_answers_in_sort_order() {
    let env = six_messages();
    let out = raw_script(
        &env,
        r#"a = Raw(); a.login(); a.cmd('SELECT INBOX')
show('all', a.cmd('SORT RETURN (ALL) (SUBJECT) UTF-8 ALL'))
show('ends', a.cmd('SORT RETURN (MIN MAX COUNT) (REVERSE FROM) UTF-8 ALL'))
show('empty', a.cmd('UID SORT RETURN () (DATE) UTF-8 ALL'))
show('none', a.cmd('SORT RETURN (MIN MAX ALL COUNT) (SUBJECT) UTF-8 SUBJECT nothing'))
show('save', a.cmd('SORT RETURN (SAVE MAX) (DATE) UTF-8 NOT FROM dan'))
show('dollar', a.cmd('FETCH $ (UID)'))
show('alone', a.cmd('SORT RETURN (SAVE) (REVERSE FROM) UTF-8 FROM mike'))
show('dollar2', a.cmd('SEARCH $'))
show('partial', a.cmd('SORT RETURN (PARTIAL 1:5) (DATE) UTF-8 ALL'))
show('charset', a.cmd('SORT RETURN (SAVE) (DATE) ISO-8859-1 ALL'))
show('emptied', a.cmd('SEARCH $'))
show('plain', a.cmd('SORT (DATE) UTF-8 ALL'))
show('caps', [l for l in a.cmd('CAPABILITY') if ' ESORT ' in l])
"#,
    );
    assert_eq!(shown(&out, "all"), ["* ESEARCH (TAG \"t3\") ALL 1:2,4,3,5:6", "TAG OK SORT completed."], "{out}");
    assert_eq!(
        shown(&out, "ends"),
        ["* ESEARCH (TAG \"t4\") MIN 1 MAX 2 COUNT 6", "TAG OK SORT completed."],
        "first and last of REVERSE FROM (1 3 6 5 4 2): {out}"
    );
    assert_eq!(
        shown(&out, "empty"),
        ["* ESEARCH (TAG \"t5\") UID ALL 2:3,1,4:6", "TAG OK UID SORT completed."],
        "{out}"
    );
    assert_eq!(shown(&out, "none"), ["* ESEARCH (TAG \"t6\") COUNT 0", "TAG OK SORT completed."], "{out}");
    assert_eq!(shown(&out, "save"), ["* ESEARCH (TAG \"t7\") MAX 5", "TAG OK SORT completed."], "{out}");
    assert_eq!(shown(&out, "dollar"), ["* 5 FETCH (UID 5)", "TAG OK FETCH completed."], "MAX alone saves MAX: {out}");
    assert_eq!(shown(&out, "alone"), ["TAG OK SORT completed."], "SAVE alone sends no ESEARCH: {out}");
    assert_eq!(shown(&out, "dollar2"), ["* SEARCH 3", "TAG OK SEARCH completed."], "{out}");
    assert_eq!(shown(&out, "partial"), ["TAG BAD Command Argument Error. 11"], "CONTEXT=SORT is not offered: {out}");
    assert_eq!(shown(&out, "charset"), ["TAG NO [BADCHARSET (US-ASCII UTF-8)] The charset is not supported."], "{out}");
    assert_eq!(
        shown(&out, "emptied"),
        ["* SEARCH", "TAG OK SEARCH completed."],
        "a SAVE that ends NO empties $: {out}"
    );
    assert_eq!(shown(&out, "plain"), ["* SORT 2 3 1 4 5 6", "TAG OK SORT completed."], "{out}");
    assert_eq!(shown(&out, "caps").len(), 1, "{out}");
}
