//! ENVELOPE (RFC 3501 7.4.2): date, subject, from, sender, reply-to, to,
//! cc, bcc, in-reply-to, message-id. Strings are the raw header values;
//! addresses come from [`crate::engines::mime::address`], names as written (encoded words
//! are the client's to decode), groups as start and end markers.

use crate::engines::imap::wire::out;
use crate::engines::mime::address::{self, Item};
use crate::engines::mime::headers::field_value;

pub fn write(o: &mut Vec<u8>, header: &[u8]) {
    let text = |o: &mut Vec<u8>, name: &str| {
        let v = field_value(header, name);
        out::nstring(o, v.as_deref().map(str::as_bytes));
    };
    let list = |name: &str| field_value(header, name).map(|v| address::parse_list(v.as_bytes())).unwrap_or_default();
    let from = list("from");
    // Sender and Reply-To, absent or empty, are From (RFC 3501).
    let or_from = |l: Vec<Item>| if l.is_empty() { from.clone() } else { l };
    o.push(b'(');
    text(o, "date");
    o.push(b' ');
    text(o, "subject");
    o.push(b' ');
    addresses(o, &from);
    o.push(b' ');
    addresses(o, &or_from(list("sender")));
    o.push(b' ');
    addresses(o, &or_from(list("reply-to")));
    for name in ["to", "cc", "bcc"] {
        o.push(b' ');
        addresses(o, &list(name));
    }
    o.push(b' ');
    text(o, "in-reply-to");
    o.push(b' ');
    text(o, "message-id");
    o.push(b')');
}

/// `((name adl mailbox host) ...)` or NIL. A group is `(NIL NIL name NIL)`,
/// its members, then `(NIL NIL NIL NIL)`; a mailbox without a domain gets an
/// empty host, since a NIL host means a group marker.
fn addresses(o: &mut Vec<u8>, list: &[Item]) {
    if list.is_empty() {
        o.extend_from_slice(b"NIL");
        return;
    }
    o.push(b'(');
    for item in list {
        match item {
            Item::Mailbox(m) => {
                o.push(b'(');
                out::nstring(o, m.name.as_deref().map(str::as_bytes));
                o.push(b' ');
                out::nstring(o, m.route.as_deref().map(str::as_bytes));
                o.push(b' ');
                out::string(o, m.local.as_bytes());
                o.push(b' ');
                out::string(o, m.domain.as_deref().unwrap_or("").as_bytes());
                o.push(b')');
            }
            Item::GroupStart(name) => {
                o.extend_from_slice(b"(NIL NIL ");
                out::string(o, name.as_bytes());
                o.extend_from_slice(b" NIL)");
            }
            Item::GroupEnd => o.extend_from_slice(b"(NIL NIL NIL NIL)"),
        }
    }
    o.push(b')');
}

#[cfg(test)]
mod tests {
    fn envelope(h: &[u8]) -> String {
        let mut o = Vec::new();
        super::write(&mut o, h);
        String::from_utf8(o).unwrap()
    }

    #[test]
    fn groups_are_markers_and_comments_are_not_addresses() {
        let e = envelope(b"From: <user-from (comment)@ (comment) domain.org>\r\nCc: group:;, group2: (foo) ;\r\n\r\n");
        assert_eq!(
            e,
            "(NIL NIL ((NIL NIL \"user-from\" \"domain.org\")) ((NIL NIL \"user-from\" \"domain.org\")) ((NIL NIL \"user-from\" \"domain.org\")) NIL ((NIL NIL \"group\" NIL)(NIL NIL NIL NIL)(NIL NIL \"group2\" NIL)(NIL NIL NIL NIL)) NIL NIL NIL)"
        );
    }

    #[test]
    fn encoded_names_are_sent_as_written() {
        let e = envelope(b"From: =?utf-8?q?Andr=C3=A9?= <andre@example.org>\r\nSender:\r\n\r\n");
        assert!(
            e.starts_with("(NIL NIL ((\"=?utf-8?q?Andr=C3=A9?=\" NIL \"andre\" \"example.org\")) ((\"=?utf-8"),
            "{e}"
        );
    }

    #[test]
    fn envelope_exact_bytes() {
        let h = b"Date: Mon, 7 Feb 1994 21:52:25 -0800\r\nFrom: Fred Foobar <foobar@Blurdybloop.COM>\r\nSubject: afternoon meeting\r\nTo: mooch@owatagu.siam.edu\r\nMessage-Id: <B27397-0100000@Blurdybloop.COM>\r\n\r\n";
        let mut o = Vec::new();
        super::write(&mut o, h);
        assert_eq!(
            String::from_utf8(o).unwrap(),
            "(\"Mon, 7 Feb 1994 21:52:25 -0800\" \"afternoon meeting\" ((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.COM\")) ((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.COM\")) ((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.COM\")) ((NIL NIL \"mooch\" \"owatagu.siam.edu\")) NIL NIL NIL \"<B27397-0100000@Blurdybloop.COM>\")"
        );
    }
}
