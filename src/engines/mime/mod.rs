//! A message's MIME structure with exact byte offsets, as IMAP needs it:
//! BODYSTRUCTURE sizes and line counts, `BODY[1.2.MIME]`, `[n.HEADER]`,
//! `[n.TEXT]`, `HEADER.FIELDS`. The part tree is split here, on the raw
//! bytes, so every offset is exactly what the client will be sent; typed
//! header values (encoded words, RFC 2231 parameters, dates) come from
//! mail-parser, which parses each header block; address lists from
//! [`address`].

pub mod address;
pub mod headers;
pub mod packed;

/// Deeper nesting than this is served as an opaque leaf.
const MAX_DEPTH: usize = 24;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Where the part's header starts.
    pub start: usize,
    /// Where its body starts (after the blank line).
    pub body_start: usize,
    /// Where its body ends (exclusive).
    pub end: usize,
    /// Lower case; `text`/`plain` when absent.
    pub ctype: String,
    pub subtype: String,
    /// Content-Type parameters, in order, names as written.
    pub params: Vec<(String, String)>,
    pub children: Vec<Part>,
    /// The encapsulated message of a message/rfc822 part.
    pub message: Option<Box<Part>>,
}

impl Part {
    pub fn header<'a>(&self, raw: &'a [u8]) -> &'a [u8] {
        &raw[self.start..self.body_start]
    }

    pub fn body<'a>(&self, raw: &'a [u8]) -> &'a [u8] {
        &raw[self.body_start..self.end]
    }

    pub fn is_multipart(&self) -> bool {
        self.ctype == "multipart"
    }

    pub fn is_message(&self) -> bool {
        self.message.is_some()
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// The part tree of a whole message.
pub fn parse(raw: &[u8]) -> Part {
    parse_part(raw, 0, raw.len(), false, 0)
}

fn parse_part(raw: &[u8], start: usize, end: usize, digest: bool, depth: usize) -> Part {
    let body_start = headers::header_end(raw, start, end);
    let header = &raw[start..body_start];
    let (ctype, subtype, params) = match headers::field_value(header, "content-type") {
        Some(v) => headers::content_type(&v),
        None if digest => ("message".into(), "rfc822".into(), vec![]),
        None => ("text".into(), "plain".into(), vec![("charset".into(), "us-ascii".into())]),
    };
    let mut part = Part { start, body_start, end, ctype, subtype, params, children: vec![], message: None };
    if depth >= MAX_DEPTH {
        return part;
    }
    if part.ctype == "multipart" {
        if let Some(boundary) = part.param("boundary").map(str::to_string) {
            let in_digest = part.subtype == "digest";
            part.children = split_multipart(raw, body_start, end, boundary.as_bytes())
                .into_iter()
                .map(|(s, e)| parse_part(raw, s, e, in_digest, depth + 1))
                .collect();
        }
    } else if part.ctype == "message" && (part.subtype == "rfc822" || part.subtype == "global") {
        part.message = Some(Box::new(parse_part(raw, body_start, end, false, depth + 1)));
    }
    part
}

/// Ranges of the body parts between `--boundary` lines. The CRLF before a
/// delimiter belongs to the delimiter, not to the part.
fn split_multipart(raw: &[u8], start: usize, end: usize, boundary: &[u8]) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let mut current: Option<usize> = None;
    let mut pos = start;
    while pos < end {
        let line_end = raw[pos..end].iter().position(|b| *b == b'\n').map(|i| pos + i + 1).unwrap_or(end);
        let line = &raw[pos..line_end];
        if line.len() >= 2 + boundary.len() && line.starts_with(b"--") && line[2..].starts_with(boundary) {
            let rest = &line[2 + boundary.len()..];
            let closing = rest.starts_with(b"--");
            let only_space = rest.iter().skip(if closing { 2 } else { 0 }).all(|b| b.is_ascii_whitespace());
            if only_space {
                if let Some(s) = current.take() {
                    let mut e = pos;
                    if e > s && raw[e - 1] == b'\n' {
                        e -= 1;
                        if e > s && raw[e - 1] == b'\r' {
                            e -= 1;
                        }
                    }
                    parts.push((s, e.max(s)));
                }
                if closing {
                    return parts;
                }
                current = Some(line_end);
            }
        }
        pos = line_end;
    }
    if let Some(s) = current {
        parts.push((s, end));
    }
    parts
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub const MULTI: &[u8] = b"From: a@b.c\r\nContent-Type: multipart/mixed; boundary=\"xx\"\r\n\r\npreamble\r\n--xx\r\nContent-Type: text/plain\r\n\r\nhello\r\n--xx\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\ninner body\r\n--xx--\r\n";

    #[test]
    fn splits_parts_with_exact_offsets() {
        let root = parse(MULTI);
        assert_eq!(root.children.len(), 2);
        assert_eq!(root.children[0].body(MULTI), b"hello");
        let inner = root.children[1].message.as_ref().expect("message/rfc822 is parsed");
        assert_eq!(inner.header(MULTI), b"Subject: inner\r\n\r\n");
        assert_eq!(inner.body(MULTI), b"inner body");
    }

    #[test]
    fn a_message_without_content_type_is_text_plain() {
        let raw = b"Subject: x\r\n\r\nbody\r\n";
        let p = parse(raw);
        assert_eq!((p.ctype.as_str(), p.subtype.as_str()), ("text", "plain"));
        assert_eq!(p.body(raw), b"body\r\n");
    }
}
