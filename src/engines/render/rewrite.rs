//! Rebuilds a message with some parts replaced: text/calendar parts by a
//! link, and (TextOnly / HtmlOnly) one side of multipart/alternative
//! dropped. Everything not replaced is copied byte for byte.

use super::calendar::link_part;
use crate::engines::mime::{self, Part, headers};
use crate::store::MimeTextFormat;

pub fn rewrite(raw: &[u8], calendar_link: Option<&str>, format: MimeTextFormat) -> Vec<u8> {
    let root = mime::parse(raw);
    let mut out = Vec::with_capacity(raw.len());
    if let Some(url) = calendar_link.filter(|_| is_calendar(&root)) {
        // The whole message is the calendar item: keep its other header
        // fields, replace the content.
        let replacement = link_part(url, root.header(raw), root.body(raw));
        for (name, field) in headers::fields(root.header(raw)) {
            if !name.eq_ignore_ascii_case(b"content-type") && !name.eq_ignore_ascii_case(b"content-transfer-encoding") {
                out.extend_from_slice(field);
            }
        }
        out.extend_from_slice(&replacement);
        return out;
    }
    let mut cursor = 0;
    walk(raw, &root, calendar_link, format, &mut cursor, &mut out);
    out.extend_from_slice(&raw[cursor..]);
    out
}

fn is_calendar(p: &Part) -> bool {
    (p.ctype == "text" && p.subtype == "calendar") || (p.ctype == "application" && p.subtype == "ics")
}

/// Copies `raw[cursor..]` up to each replaced part, then the replacement.
fn walk(raw: &[u8], part: &Part, link: Option<&str>, format: MimeTextFormat, cursor: &mut usize, out: &mut Vec<u8>) {
    if part.is_multipart() && part.subtype == "alternative" && part.children.len() > 1 {
        let drop = match format {
            MimeTextFormat::TextOnly => Some("html"),
            MimeTextFormat::HtmlOnly => Some("plain"),
            _ => None,
        };
        if let Some(unwanted) = drop {
            let keeps_something = part.children.iter().any(|c| !(c.ctype == "text" && c.subtype == unwanted));
            if keeps_something {
                for c in part.children.iter().filter(|c| c.ctype == "text" && c.subtype == unwanted) {
                    // Remove the part and its delimiter line before it.
                    let delimiter_start = raw[..c.start]
                        .windows(2)
                        .rposition(|w| w == b"--")
                        .map(|i| raw[..i].iter().rposition(|b| *b == b'\n').map(|n| n + 1).unwrap_or(i))
                        .unwrap_or(c.start);
                    let from = delimiter_start.max(*cursor);
                    out.extend_from_slice(&raw[*cursor..from]);
                    *cursor = c.end.max(from);
                    // Keep the line end that precedes the next delimiter.
                    if raw[*cursor..].starts_with(b"\r\n") {
                        *cursor += 2;
                    }
                }
            }
        }
    }
    for c in &part.children {
        if c.start < *cursor {
            continue;
        }
        if let Some(url) = link.filter(|_| is_calendar(c)) {
            out.extend_from_slice(&raw[*cursor..c.start]);
            out.extend_from_slice(&link_part(url, c.header(raw), c.body(raw)));
            // link_part ends with CRLF; the delimiter's own CRLF follows c.end.
            if out.ends_with(b"\r\n") {
                out.truncate(out.len() - 2);
            }
            *cursor = c.end;
        } else {
            walk(raw, c, link, format, cursor, out);
        }
    }
    if let Some(inner) = &part.message {
        walk(raw, inner, link, format, cursor, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INVITE: &[u8] = b"From: a@b.c\r\nSubject: Meeting\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nCome.\r\n--b\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nUID:abc 1\r\nEND:VCALENDAR\r\n--b--\r\n";

    #[test]
    fn a_calendar_part_becomes_a_link() {
        let out = rewrite(INVITE, Some("https://cas01/owa"), MimeTextFormat::BestBodyFormat);
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("BEGIN:VCALENDAR"), "{text}");
        assert!(text.contains("This meeting request can be opened in Outlook Web App:\r\nhttps://cas01/owa/?ae=Item&t=IPM.Appointment&id=abc%201\r\n--b--\r\n"), "{text}");
        assert!(text.starts_with("From: a@b.c\r\nSubject: Meeting\r\n"));
        let reparsed = mime::parse(text.as_bytes());
        assert_eq!(reparsed.children.len(), 2);
    }

    #[test]
    fn a_message_that_is_a_calendar_item() {
        let raw = b"Subject: x\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nUID:1\r\nEND:VCALENDAR\r\n";
        let text = String::from_utf8(rewrite(raw, Some("https://o/owa"), MimeTextFormat::BestBodyFormat)).unwrap();
        assert_eq!(
            text,
            "Subject: x\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\nThis calendar item can be opened in Outlook Web App:\r\nhttps://o/owa/?ae=Item&t=IPM.Appointment&id=1\r\n"
        );
    }

    #[test]
    fn text_only_drops_the_html_alternative() {
        let raw = b"Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nplain\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--b--\r\n";
        let text = String::from_utf8(rewrite(raw, None, MimeTextFormat::TextOnly)).unwrap();
        assert_eq!(
            text,
            "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nplain\r\n--b--\r\n"
        );
    }
}
