//! A message's header fields, read the way the transport needs them (the
//! Message-ID it keeps, the Subject Get-Message shows, the header block a
//! non-delivery report quotes): no full MIME parse.

/// The header block: everything before the first empty line, with the
/// line break that ends the last field.
pub fn header_block(message: &[u8]) -> &[u8] {
    match find(message, b"\r\n\r\n") {
        Some(end) => &message[..end + 2],
        None => match find(message, b"\n\n") {
            Some(end) => &message[..end + 1],
            None => message,
        },
    }
}

/// The first value of a header field (unfolded), from the header block.
pub fn header_value(message: &[u8], name: &str) -> Option<String> {
    let header = String::from_utf8_lossy(header_block(message));
    let mut lines = header.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((field, value)) = line.split_once(':') else { continue };
        if field.trim().eq_ignore_ascii_case(name) {
            let mut v = value.trim().to_string();
            while let Some(next) = lines.peek().filter(|l| l.starts_with([' ', '\t'])) {
                v.push(' ');
                v.push_str(next.trim());
                lines.next();
            }
            return Some(v.trim().to_string());
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_are_found_unfolded_and_only_in_the_header() {
        let m = b"Subject: a\r\nMessage-ID:\r\n <x@y>\r\n\r\nMessage-ID: <body@z>\r\n";
        assert_eq!(header_value(m, "message-id").as_deref(), Some("<x@y>"));
        assert_eq!(header_value(b"Subject: a\r\n\r\nMessage-ID: <b@z>\r\n", "Message-ID"), None);
        assert_eq!(header_block(m), b"Subject: a\r\nMessage-ID:\r\n <x@y>\r\n");
    }
}
