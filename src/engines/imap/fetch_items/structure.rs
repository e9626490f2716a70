//! BODY and BODYSTRUCTURE (RFC 3501 7.4.2): sizes in octets of the encoded
//! body, line counts for text parts, envelope + body + lines for
//! message/rfc822, and (BODYSTRUCTURE only) the extension data.

use super::envelope;
use crate::engines::imap::wire::out;
use crate::engines::mime::Part;
use crate::engines::mime::headers::{disposition, field_value};

/// `extended`: BODYSTRUCTURE (with extension data) rather than BODY.
pub fn write(o: &mut Vec<u8>, raw: &[u8], part: &Part, extended: bool) {
    o.push(b'(');
    if part.is_multipart() && !part.children.is_empty() {
        for child in &part.children {
            write(o, raw, child, extended);
        }
        o.push(b' ');
        out::string(o, part.subtype.to_ascii_uppercase().as_bytes());
        if extended {
            o.push(b' ');
            params(o, &part.params);
            extension_tail(o, part.header(raw));
        }
    } else {
        single(o, raw, part, extended);
    }
    o.push(b')');
}

fn single(o: &mut Vec<u8>, raw: &[u8], part: &Part, extended: bool) {
    let header = part.header(raw);
    let body = part.body(raw);
    // A multipart without boundary is served as an opaque part of its type.
    out::string(o, part.ctype.to_ascii_uppercase().as_bytes());
    o.push(b' ');
    out::string(o, part.subtype.to_ascii_uppercase().as_bytes());
    o.push(b' ');
    params(o, &part.params);
    for name in ["content-id", "content-description"] {
        o.push(b' ');
        out::nstring(o, field_value(header, name).as_deref().map(str::as_bytes));
    }
    o.push(b' ');
    let encoding = field_value(header, "content-transfer-encoding").unwrap_or_else(|| "7BIT".to_string());
    out::string(o, encoding.to_ascii_uppercase().as_bytes());
    o.extend_from_slice(format!(" {}", body.len()).as_bytes());
    if let Some(inner) = &part.message {
        o.push(b' ');
        envelope::write(o, inner.header(raw));
        o.push(b' ');
        write(o, raw, inner, extended);
        o.extend_from_slice(format!(" {}", lines(body)).as_bytes());
    } else if part.ctype == "text" {
        o.extend_from_slice(format!(" {}", lines(body)).as_bytes());
    }
    if extended {
        o.push(b' ');
        out::nstring(o, field_value(header, "content-md5").as_deref().map(str::as_bytes));
        extension_tail(o, header);
    }
}

/// Disposition, language, location.
fn extension_tail(o: &mut Vec<u8>, header: &[u8]) {
    o.push(b' ');
    match field_value(header, "content-disposition") {
        Some(v) => {
            let (kind, ps) = disposition(&v);
            o.push(b'(');
            out::string(o, kind.as_bytes());
            o.push(b' ');
            params(o, &ps);
            o.push(b')');
        }
        None => o.extend_from_slice(b"NIL"),
    }
    o.push(b' ');
    match field_value(header, "content-language") {
        Some(v) => {
            let langs: Vec<&str> = v.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
            if langs.len() == 1 {
                out::string(o, langs[0].as_bytes());
            } else {
                o.push(b'(');
                for (i, l) in langs.iter().enumerate() {
                    if i > 0 {
                        o.push(b' ');
                    }
                    out::string(o, l.as_bytes());
                }
                o.push(b')');
            }
        }
        None => o.extend_from_slice(b"NIL"),
    }
    o.push(b' ');
    out::nstring(o, field_value(header, "content-location").as_deref().map(str::as_bytes));
}

fn params(o: &mut Vec<u8>, params: &[(String, String)]) {
    if params.is_empty() {
        o.extend_from_slice(b"NIL");
        return;
    }
    o.push(b'(');
    for (i, (n, v)) in params.iter().enumerate() {
        if i > 0 {
            o.push(b' ');
        }
        out::string(o, n.to_ascii_uppercase().as_bytes());
        o.push(b' ');
        out::string(o, v.as_bytes());
    }
    o.push(b')');
}

/// Lines as Dovecot counts them: line ends, plus a last line without one.
pub fn lines(body: &[u8]) -> usize {
    let n = body.iter().filter(|b| **b == b'\n').count();
    if body.last().is_some_and(|b| *b != b'\n') { n + 1 } else { n }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::mime::parse;

    fn bs(raw: &[u8], extended: bool) -> String {
        let mut o = Vec::new();
        write(&mut o, raw, &parse(raw), extended);
        String::from_utf8(o).unwrap()
    }

    #[test]
    fn a_plain_text_message() {
        let raw = b"Subject: x\r\n\r\nline one\r\nline two\r\n";
        assert_eq!(bs(raw, false), "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 20 2)");
        assert_eq!(
            bs(raw, true),
            "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 20 2 NIL NIL NIL NIL)"
        );
    }

    #[test]
    fn multipart_with_an_attached_message() {
        let raw = crate::engines::mime::tests::MULTI;
        assert_eq!(
            bs(raw, false),
            "((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 1)(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 28 (NIL \"inner\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 1) 3) \"MIXED\")"
        );
        assert!(bs(raw, true).ends_with(" \"MIXED\" (\"BOUNDARY\" \"xx\") NIL NIL NIL)"));
    }
}
