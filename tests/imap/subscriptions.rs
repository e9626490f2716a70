//! Subscriptions are names, not folders (RFC 3501 6.3.6-7, RFC 9051
//! 6.3.6-6.3.8): a name may be subscribed with no folder, stays subscribed
//! when its folder is deleted or renamed, and LSUB and LIST (SUBSCRIBED)
//! show such a name as `\Noselect` and `\NonExistent` (RFC 5258 3.1, RFC
//! 9051 7.3.1). The LIST-EXTENDED cases are RFC 9051 6.3.9.8's examples 7,
//! 8, 9 and 11 on the same hierarchy, with the lines mailsh writes (it
//! always says `\HasChildren` or `\HasNoChildren`, and lists in name order).

use crate::support::{Env, raw_script, shown};

/// The start of each script: a session with none of Exchange's folders
/// subscribed, so the lists hold only what the test subscribes.
const NOTHING_SUBSCRIBED: &str = r#"a = Raw(); a.login()
for n in ['INBOX', 'Drafts', '"Sent Items"', '"Deleted Items"', '"Junk Email"', 'Outbox']:
    a.cmd('UNSUBSCRIBE ' + n)
"#;

#[test]
fn a_subscribed_name_outlives_its_folder() {
    let mut env = Env::imap(false);
    env.start_imap();
    let out = raw_script(
        &env,
        &format!(
            "{NOTHING_SUBSCRIBED}{}",
            r##"
show('news', a.cmd('SUBSCRIBE #news.comp.mail.mime'))
show('lsub-news', a.cmd('LSUB "" "#*"'))
a.cmd('CREATE system-alerts')
show('delete', a.cmd('DELETE system-alerts'))
show('lsub-deleted', a.cmd('LSUB "" "sys*"'))
show('list-deleted', a.cmd('LIST (SUBSCRIBED) "" "sys*"'))
show('list-plain', a.cmd('LIST "" "sys*" RETURN (SUBSCRIBED)'))
a.cmd('CREATE system-alerts')
show('lsub-again', a.cmd('LSUB "" "sys*"'))
a.cmd('CREATE X')
show('rename', a.cmd('RENAME X Y'))
show('renamed', a.cmd('LIST (SUBSCRIBED) "" ("X" "Y")'))
a.cmd('SUBSCRIBE Y'); a.cmd('UNSUBSCRIBE X')
show('in-sync', a.cmd('LIST (SUBSCRIBED) "" ("X" "Y")'))
show('unsub-none', a.cmd('UNSUBSCRIBE never-subscribed'))
show('bad', a.cmd('SUBSCRIBE "a//b"'))
a.cmd('CREATE Fruit/Banana'); a.cmd('CREATE Fruit/Peach'); a.cmd('DELETE Fruit/Peach')
show('fruit', a.cmd('LIST (SUBSCRIBED) "" "Fruit/*"'))
show('fruit-lsub', a.cmd('LSUB "" "Fruit/*"'))
b = Raw(); b.login()
show('other-session', b.cmd('LSUB "" "Fruit/*"'))
"##
        ),
    );
    // RFC 9051 6.3.7's example: a name that is not a folder.
    assert_eq!(shown(&out, "news"), ["TAG OK SUBSCRIBE completed."], "{out}");
    assert_eq!(
        shown(&out, "lsub-news"),
        ["* LSUB (\\Noselect \\HasNoChildren) \"/\" \"#news.comp.mail.mime\"", "TAG OK LSUB completed."],
        "{out}"
    );
    // RFC 3501 6.3.6's note: "system-alerts", removed and made again.
    assert_eq!(shown(&out, "delete"), ["TAG OK DELETE completed."], "{out}");
    assert_eq!(
        shown(&out, "lsub-deleted"),
        ["* LSUB (\\Noselect \\HasNoChildren) \"/\" \"system-alerts\"", "TAG OK LSUB completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "list-deleted"),
        ["* LIST (\\HasNoChildren \\Subscribed \\NonExistent) \"/\" \"system-alerts\"", "TAG OK LIST completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "list-plain"),
        ["TAG OK LIST completed."],
        "LIST without the SUBSCRIBED selection lists folders only (RFC 9051 example 6): {out}"
    );
    assert_eq!(
        shown(&out, "lsub-again"),
        ["* LSUB (\\HasNoChildren) \"/\" \"system-alerts\"", "TAG OK LSUB completed."],
        "{out}"
    );
    // RFC 9051 6.3.6: RENAME leaves the old name subscribed; the client
    // keeps them in sync with SUBSCRIBE Y, UNSUBSCRIBE X.
    assert_eq!(shown(&out, "rename"), ["TAG OK RENAME completed."], "{out}");
    assert_eq!(
        shown(&out, "renamed"),
        [
            "* LIST (\\HasNoChildren \\Subscribed \\NonExistent) \"/\" \"X\"",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"Y\"",
            "TAG OK LIST completed."
        ],
        "{out}"
    );
    assert_eq!(
        shown(&out, "in-sync"),
        ["* LIST (\\HasNoChildren \\Subscribed) \"/\" \"Y\"", "TAG OK LIST completed."],
        "{out}"
    );
    assert_eq!(shown(&out, "unsub-none"), ["TAG OK UNSUBSCRIBE completed."], "RFC 9051 6.3.8: {out}");
    assert_eq!(shown(&out, "bad"), ["TAG BAD Command Argument Error. 11"], "no folder could have it: {out}");
    // RFC 9051 6.3.9.8 example 2: "Fruit/Peach" subscribed, deleted.
    assert_eq!(
        shown(&out, "fruit"),
        [
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"Fruit/Banana\"",
            "* LIST (\\HasNoChildren \\Subscribed \\NonExistent) \"/\" \"Fruit/Peach\"",
            "TAG OK LIST completed."
        ],
        "{out}"
    );
    let lsub = [
        "* LSUB (\\HasNoChildren) \"/\" \"Fruit/Banana\"",
        "* LSUB (\\Noselect \\HasNoChildren) \"/\" \"Fruit/Peach\"",
        "TAG OK LSUB completed.",
    ];
    assert_eq!(shown(&out, "fruit-lsub"), lsub, "{out}");
    assert_eq!(shown(&out, "other-session"), lsub, "kept in the mailbox database, not the session: {out}");
}

/// RFC 9051 6.3.9.8 examples 7 (A2), 8, 9 and 11 (A02).
#[test]
fn list_extended_examples_with_names_that_have_no_folder() {
    let mut env = Env::imap(false);
    env.start_imap();
    let out = raw_script(
        &env,
        &format!(
            "{NOTHING_SUBSCRIBED}{}",
            r#"
for n in ['foo2/bar1', 'foo2/bar2', 'baz2/bar2', 'baz2/bar22', 'baz2/bar222', 'eps2/mamba', 'qux2/bar2']:
    a.cmd('CREATE ' + n)
a.cmd('SUBSCRIBE eps2')
show('d02', a.cmd('LIST (SUBSCRIBED) "" "*"'))
show('d03', a.cmd('LIST (RECURSIVEMATCH SUBSCRIBED) "" "*2"'))
a.cmd('SUBSCRIBE INBOX')
show('a02', a.cmd('LIST (SUBSCRIBED RECURSIVEMATCH) "" % RETURN (STATUS (MESSAGES))'))
a.cmd('CREATE foo'); a.cmd('UNSUBSCRIBE foo'); a.cmd('SUBSCRIBE foo/bar')
show('a2', a.cmd('LIST (SUBSCRIBED) "" "foo/*"'))
show('a3', a.cmd('LIST (SUBSCRIBED RECURSIVEMATCH) "" foo RETURN (CHILDREN)'))
a.cmd('SUBSCRIBE Moo/Baz')
show('c04', a.cmd('LIST (SUBSCRIBED RECURSIVEMATCH) "" "M%"'))
show('lsub', a.cmd('LSUB "" "M%"'))
show('lsub-star', a.cmd('LSUB "" "M*"'))
"#
        ),
    );
    assert_eq!(
        shown(&out, "d02"),
        [
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"baz2/bar2\"",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"baz2/bar22\"",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"baz2/bar222\"",
            "* LIST (\\HasChildren \\Subscribed) \"/\" \"eps2\"",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"eps2/mamba\"",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"foo2/bar1\"",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"foo2/bar2\"",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"qux2/bar2\"",
            "TAG OK LIST completed."
        ],
        "{out}"
    );
    // Example 8's first answer: CHILDINFO where a subscribed child does not
    // match "*2" (foo2/bar1, eps2/mamba), none for baz2 and qux2, whose
    // subscribed children are all listed (6.3.9.6: redundant CHILDINFO is
    // suppressed).
    assert_eq!(
        shown(&out, "d03"),
        [
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"baz2/bar2\"",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"baz2/bar22\"",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"baz2/bar222\"",
            "* LIST (\\HasChildren \\Subscribed) \"/\" \"eps2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
            "* LIST (\\HasChildren) \"/\" \"foo2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"foo2/bar2\"",
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"qux2/bar2\"",
            "TAG OK LIST completed."
        ],
        "{out}"
    );
    // Example 11: no STATUS for a name listed only for its children.
    assert_eq!(
        shown(&out, "a02"),
        [
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"INBOX\"",
            "* STATUS \"INBOX\" (MESSAGES 0)",
            "* LIST (\\HasChildren) \"/\" \"baz2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
            "* LIST (\\HasChildren \\Subscribed) \"/\" \"eps2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
            "* STATUS \"eps2\" (MESSAGES 0)",
            "* LIST (\\HasChildren) \"/\" \"foo2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
            "* LIST (\\HasChildren) \"/\" \"qux2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
            "TAG OK LIST completed."
        ],
        "{out}"
    );
    // Example 9: "foo" exists, "foo/bar" is subscribed and does not.
    assert_eq!(
        shown(&out, "a2"),
        ["* LIST (\\HasNoChildren \\Subscribed \\NonExistent) \"/\" \"foo/bar\"", "TAG OK LIST completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "a3"),
        ["* LIST (\\HasNoChildren) \"/\" \"foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))", "TAG OK LIST completed."],
        "CHILDINFO does not imply \\HasChildren: {out}"
    );
    // Example 7, A2: "Moo" is not part of the hierarchy at all.
    assert_eq!(
        shown(&out, "c04"),
        [
            "* LIST (\\HasNoChildren \\NonExistent) \"/\" \"Moo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
            "TAG OK LIST completed."
        ],
        "{out}"
    );
    // RFC 3501 6.3.9: `%` gives the unsubscribed parent, \Noselect.
    assert_eq!(
        shown(&out, "lsub"),
        ["* LSUB (\\Noselect \\HasNoChildren) \"/\" \"Moo\"", "TAG OK LSUB completed."],
        "{out}"
    );
    assert_eq!(
        shown(&out, "lsub-star"),
        ["* LSUB (\\Noselect \\HasNoChildren) \"/\" \"Moo/Baz\"", "TAG OK LSUB completed."],
        "{out}"
    );
}
