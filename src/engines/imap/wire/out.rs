//! Response encoding: strings as atoms, quoted strings or literals, and the
//! status lines with Exchange's texts.

/// Appends `bytes` as a quoted string when that is possible, else as a
/// synchronizing literal (8-bit, CR, LF, NUL or long text).
pub fn string(out: &mut Vec<u8>, bytes: &[u8]) {
    let quotable = bytes.len() <= 1024 && bytes.iter().all(|b| (0x01..0x80).contains(b) && *b != b'\r' && *b != b'\n');
    if quotable {
        out.push(b'"');
        for b in bytes {
            if *b == b'"' || *b == b'\\' {
                out.push(b'\\');
            }
            out.push(*b);
        }
        out.push(b'"');
    } else {
        literal(out, bytes);
    }
}

/// Appends `{n}\r\n` and the bytes: clients such as curl want message data
/// as literals whatever it contains.
pub fn literal(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(format!("{{{}}}\r\n", bytes.len()).as_bytes());
    out.extend_from_slice(bytes);
}

/// NIL or a string.
pub fn nstring(out: &mut Vec<u8>, bytes: Option<&[u8]>) {
    match bytes {
        Some(b) => string(out, b),
        None => out.extend_from_slice(b"NIL"),
    }
}

/// A mailbox name (already in modified UTF-7, or UTF-8 for a client that
/// enabled it: `utf8`, then quoted with its 8-bit text as RFC 6855 3
/// allows) as an astring.
pub fn mailbox(out: &mut Vec<u8>, name: &str, utf8: bool) {
    if utf8 && !name.is_ascii() && name.len() <= 1024 && !name.contains(['\r', '\n', '\0']) {
        out.push(b'"');
        for c in name.bytes() {
            if c == b'"' || c == b'\\' {
                out.push(b'\\');
            }
            out.push(c);
        }
        out.push(b'"');
        return;
    }
    string(out, name.as_bytes());
}

pub fn line(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(b"\r\n");
}

pub fn tagged(out: &mut Vec<u8>, tag: &str, status: &str, text: &str) {
    line(out, &format!("{tag} {status} {text}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_or_literal() {
        let mut o = Vec::new();
        string(&mut o, b"a \"b\" \\c");
        assert_eq!(o, b"\"a \\\"b\\\" \\\\c\"");
        let mut o = Vec::new();
        string(&mut o, "é".as_bytes());
        assert_eq!(o, b"{2}\r\n\xc3\xa9");
        let mut o = Vec::new();
        nstring(&mut o, None);
        literal(&mut o, b"x\r\n");
        assert_eq!(o, b"NIL{3}\r\nx\r\n");
    }
}
