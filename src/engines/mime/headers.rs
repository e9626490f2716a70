//! Raw header fields: where the header ends, a field's unfolded value,
//! `HEADER.FIELDS` selection, and Content-Type parsing.

/// Offset of the body: just after the first empty line, or `end`.
pub fn header_end(raw: &[u8], start: usize, end: usize) -> usize {
    let region = &raw[start..end];
    if region.starts_with(b"\r\n") {
        return start + 2;
    }
    if region.starts_with(b"\n") {
        return start + 1;
    }
    let mut i = 0;
    while i < region.len() {
        if region[i] == b'\n' {
            let rest = &region[i + 1..];
            if rest.starts_with(b"\r\n") {
                return start + i + 3;
            }
            if rest.starts_with(b"\n") {
                return start + i + 2;
            }
        }
        i += 1;
    }
    end
}

/// Every field of a header block: (name, the whole field with its folded
/// lines and line end).
pub fn fields(header: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < header.len() {
        let mut end = pos;
        loop {
            let line_end = header[end..].iter().position(|b| *b == b'\n').map(|i| end + i + 1).unwrap_or(header.len());
            end = line_end;
            if end >= header.len() || !matches!(header[end], b' ' | b'\t') {
                break;
            }
        }
        let field = &header[pos..end];
        if let Some(colon) = field.iter().position(|b| *b == b':') {
            let name = trim(&field[..colon]);
            if !name.is_empty() && !name.iter().any(|b| b.is_ascii_whitespace()) {
                out.push((name, field));
            }
        }
        pos = end;
    }
    out
}

fn trim(b: &[u8]) -> &[u8] {
    let s = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let e = b.iter().rposition(|c| !c.is_ascii_whitespace()).map(|i| i + 1).unwrap_or(s);
    &b[s..e.max(s)]
}

/// The first field called `name`, unfolded and trimmed, as (lossy) text.
pub fn field_value(header: &[u8], name: &str) -> Option<String> {
    fields(header).into_iter().find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes())).map(|(_, f)| unfold(f))
}

/// Every field called `name`, in message order, unfolded and trimmed: a
/// field may occur more than once (Received, X- fields, a repeated To).
pub fn field_values(header: &[u8], name: &str) -> Vec<String> {
    fields(header)
        .into_iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
        .map(|(_, f)| unfold(f))
        .collect()
}

fn unfold(field: &[u8]) -> String {
    let colon = field.iter().position(|b| *b == b':').unwrap_or(0);
    let value: Vec<u8> = field[colon + 1..].iter().copied().filter(|b| *b != b'\r' && *b != b'\n').collect();
    String::from_utf8_lossy(trim(&value)).into_owned()
}

/// The fields named in `names` (or all but them, with `not`), in message
/// order, followed by the blank line, as `BODY[HEADER.FIELDS (...)]` wants.
pub fn select(header: &[u8], names: &[&[u8]], not: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, field) in fields(header) {
        let listed = names.iter().any(|n| n.eq_ignore_ascii_case(name));
        if listed != not {
            out.extend_from_slice(field);
            if !field.ends_with(b"\n") {
                out.extend_from_slice(b"\r\n");
            }
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// `type/subtype; a=b; c="d"` into lower-case type and subtype and the
/// parameters (values unquoted).
pub fn content_type(value: &str) -> (String, String, Vec<(String, String)>) {
    let mut pieces = split_params(value);
    let head = if pieces.is_empty() { String::new() } else { pieces.remove(0) };
    let (t, s) = head.split_once('/').unwrap_or((&head, ""));
    let (t, s) = (t.trim().to_ascii_lowercase(), s.trim().to_ascii_lowercase());
    let (t, s) = if t.is_empty() || s.is_empty() { ("text".to_string(), "plain".to_string()) } else { (t, s) };
    (t, s, params(pieces))
}

/// `attachment; filename="a.txt"`: the value and its parameters.
pub fn disposition(value: &str) -> (String, Vec<(String, String)>) {
    let mut pieces = split_params(value);
    let head = if pieces.is_empty() { String::new() } else { pieces.remove(0) };
    (head.trim().to_string(), params(pieces))
}

fn params(pieces: Vec<String>) -> Vec<(String, String)> {
    pieces
        .into_iter()
        .filter_map(|p| {
            let (n, v) = p.split_once('=')?;
            let v = v.trim();
            let v =
                v.strip_prefix('"').and_then(|x| x.strip_suffix('"')).map(unescape).unwrap_or_else(|| v.to_string());
            Some((n.trim().to_string(), v))
        })
        .filter(|(n, _)| !n.is_empty())
        .collect()
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut esc = false;
    for c in s.chars() {
        if esc || c != '\\' {
            out.push(c);
            esc = false;
        } else {
            esc = true;
        }
    }
    out
}

/// Splits on `;` outside quotes and comments.
fn split_params(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut esc, mut comment) = (false, false, 0u32);
    for c in value.chars() {
        if esc {
            cur.push(c);
            esc = false;
            continue;
        }
        match c {
            '\\' if quoted => {
                cur.push(c);
                esc = true;
            }
            '"' if comment == 0 => {
                quoted = !quoted;
                cur.push(c);
            }
            '(' if !quoted => comment += 1,
            ')' if !quoted && comment > 0 => comment -= 1,
            ';' if !quoted && comment == 0 => out.push(std::mem::take(&mut cur)),
            _ if comment > 0 => {}
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_header_fields_in_message_order() {
        let h = b"Subject: hi\r\nFrom: a@b\r\nX-Long: one\r\n two\r\n\r\n";
        assert_eq!(select(h, &[b"from", b"x-long"], false), b"From: a@b\r\nX-Long: one\r\n two\r\n\r\n");
        assert_eq!(select(h, &[b"from", b"x-long"], true), b"Subject: hi\r\n\r\n");
        assert_eq!(field_value(h, "x-long").as_deref(), Some("one two"));
    }

    #[test]
    fn every_occurrence_of_a_field_is_found() {
        let h = b"X-Extra: one\r\nSubject: s\r\nx-extra: two\r\n  folded\r\n\r\n";
        assert_eq!(field_values(h, "X-Extra"), vec!["one".to_string(), "two  folded".to_string()]);
        assert!(field_values(h, "To").is_empty());
    }

    #[test]
    fn parses_content_type_parameters() {
        let (t, s, p) = content_type("Multipart/Mixed; boundary=\"a;b\" (comment); charset=utf-8");
        assert_eq!((t.as_str(), s.as_str()), ("multipart", "mixed"));
        assert_eq!(p, vec![("boundary".to_string(), "a;b".to_string()), ("charset".to_string(), "utf-8".to_string())]);
    }
}
