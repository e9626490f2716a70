//! ENVELOPE (RFC 3501 7.4.2): date, subject, from, sender, reply-to, to,
//! cc, bcc, in-reply-to, message-id. Strings are the raw header values;
//! addresses come from mail-parser's parse of the header block.

use mail_parser::{Addr, Address, MessageParser};

use crate::engines::imap::wire::out;
use crate::engines::mime::headers::field_value;

pub fn write(o: &mut Vec<u8>, header: &[u8]) {
    let parsed = MessageParser::new().parse(header);
    let text = |o: &mut Vec<u8>, name: &str| {
        let v = field_value(header, name);
        out::nstring(o, v.as_deref().map(str::as_bytes));
    };
    let from = parsed.as_ref().and_then(|m| m.from());
    o.push(b'(');
    text(o, "date");
    o.push(b' ');
    text(o, "subject");
    o.push(b' ');
    addresses(o, from);
    o.push(b' ');
    // Sender and Reply-To default to From (RFC 3501).
    addresses(o, parsed.as_ref().and_then(|m| m.sender()).or(from));
    o.push(b' ');
    addresses(o, parsed.as_ref().and_then(|m| m.reply_to()).or(from));
    o.push(b' ');
    addresses(o, parsed.as_ref().and_then(|m| m.to()));
    o.push(b' ');
    addresses(o, parsed.as_ref().and_then(|m| m.cc()));
    o.push(b' ');
    addresses(o, parsed.as_ref().and_then(|m| m.bcc()));
    o.push(b' ');
    text(o, "in-reply-to");
    o.push(b' ');
    text(o, "message-id");
    o.push(b')');
}

fn addresses(o: &mut Vec<u8>, list: Option<&Address>) {
    let empty = match list {
        None => true,
        Some(Address::List(l)) => l.is_empty(),
        Some(Address::Group(g)) => g.is_empty(),
    };
    if empty {
        o.extend_from_slice(b"NIL");
        return;
    }
    o.push(b'(');
    match list {
        Some(Address::List(list)) => list.iter().for_each(|a| addr(o, a)),
        Some(Address::Group(groups)) => {
            for g in groups {
                match &g.name {
                    // A named group: start marker, members, end marker.
                    Some(name) => {
                        o.extend_from_slice(b"(NIL NIL ");
                        out::string(o, name.as_bytes());
                        o.extend_from_slice(b" NIL)");
                        g.addresses.iter().for_each(|a| addr(o, a));
                        o.extend_from_slice(b"(NIL NIL NIL NIL)");
                    }
                    None => g.addresses.iter().for_each(|a| addr(o, a)),
                }
            }
        }
        None => {}
    }
    o.push(b')');
}

fn addr(o: &mut Vec<u8>, a: &Addr) {
    let address = a.address.as_deref().unwrap_or("");
    let (mailbox, host) = match address.rsplit_once('@') {
        Some((m, h)) => (Some(m), Some(h)),
        None if address.is_empty() => (None, None),
        None => (Some(address), None),
    };
    o.push(b'(');
    out::nstring(o, a.name.as_deref().map(str::as_bytes));
    o.extend_from_slice(b" NIL ");
    out::nstring(o, mailbox.map(str::as_bytes));
    o.push(b' ');
    out::nstring(o, host.map(str::as_bytes));
    o.push(b')');
}

#[cfg(test)]
mod tests {
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
