//! Writing POP3 responses: status lines and multi-line blocks with
//! dot-stuffing (RFC 1939 §3).

pub fn ok(text: &str) -> Vec<u8> {
    status("+OK", text)
}

pub fn err(text: &str) -> Vec<u8> {
    status("-ERR", text)
}

fn status(mark: &str, text: &str) -> Vec<u8> {
    if text.is_empty() { format!("{mark}\r\n").into_bytes() } else { format!("{mark} {text}\r\n").into_bytes() }
}

/// `+OK first` then `lines`, each CRLF-ended, then the terminating dot.
pub fn ok_lines(first: &str, lines: &[String]) -> Vec<u8> {
    let mut out = ok(first);
    for line in lines {
        stuff_line(&mut out, line.as_bytes());
    }
    out.extend_from_slice(b".\r\n");
    out
}

/// Appends `data` (a message, CRLF or LF lines) as a dot-stuffed block and
/// the terminating `.` line. A final line without an end gets CRLF.
pub fn push_block(out: &mut Vec<u8>, data: &[u8]) {
    let mut stuffer = DotStuffer::new(0, None);
    stuffer.push(data, out);
    stuffer.finish(out);
}

/// One listing line (no line end of its own), dot-stuffed.
fn stuff_line(out: &mut Vec<u8>, line: &[u8]) {
    if line.first() == Some(&b'.') {
        out.push(b'.');
    }
    out.extend_from_slice(line);
    out.extend_from_slice(b"\r\n");
}

/// Dot-stuffs a message handed over in pieces, in one pass (RFC 1939 3):
/// the same bytes as [`push_block`] gives for the whole, without the whole
/// ever being in memory. TOP's limit counts body lines once `header_len`
/// octets have gone by.
#[derive(Debug)]
pub struct DotStuffer {
    at_line_start: bool,
    prev_cr: bool,
    /// Octets of the header block still to come, then body lines allowed.
    header_left: u64,
    lines_left: Option<u32>,
}

impl DotStuffer {
    /// RETR: `lines` None. TOP: the header block's size and the lines.
    pub fn new(header_len: u64, lines: Option<u32>) -> DotStuffer {
        DotStuffer { at_line_start: true, prev_cr: false, header_left: header_len, lines_left: lines }
    }

    /// Appends the stuffed form of `data` to `out`; false once TOP's lines
    /// are all out (the rest is not wanted). Works a run at a time (up to
    /// and including the next LF, or to where the header block ends), so
    /// the bytes are copied once, in bulk.
    pub fn push(&mut self, data: &[u8], out: &mut Vec<u8>) -> bool {
        out.reserve(data.len() + data.len() / 32 + 2);
        let mut rest = data;
        while let Some(&first) = rest.first() {
            if self.all_sent() {
                return false;
            }
            if self.at_line_start && first == b'.' {
                out.push(b'.');
            }
            let mut end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
            if self.header_left > 0 {
                end = end.min(usize::try_from(self.header_left).unwrap_or(usize::MAX));
            }
            let run = &rest[..end];
            rest = &rest[end..];
            let ends_line = run.last() == Some(&b'\n');
            if ends_line {
                let text = &run[..run.len() - 1];
                out.extend_from_slice(text);
                // A bare LF becomes CRLF; the CR may have ended the last run.
                if !text.last().map_or(self.prev_cr, |&b| b == b'\r') {
                    out.push(b'\r');
                }
                out.push(b'\n');
            } else {
                out.extend_from_slice(run);
            }
            self.at_line_start = ends_line;
            self.prev_cr = run.last() == Some(&b'\r');
            if self.header_left > 0 {
                self.header_left -= run.len() as u64;
            } else if ends_line && let Some(n) = self.lines_left.as_mut() {
                *n = n.saturating_sub(1);
            }
        }
        !self.all_sent()
    }

    /// TOP: the header and the lines asked for are out.
    fn all_sent(&self) -> bool {
        self.header_left == 0 && self.lines_left == Some(0)
    }

    /// Ends the last line if it had no line end, and the terminating dot.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if !self.at_line_start {
            if self.prev_cr {
                out.push(b'\n');
            } else {
                out.extend_from_slice(b"\r\n");
            }
        }
        out.extend_from_slice(b".\r\n");
    }
}

/// The header, the blank line and the first `n` lines of the body (TOP).
pub fn top_of(message: &[u8], n: u32) -> &[u8] {
    let header_end = find(message, b"\r\n\r\n").map(|i| i + 4).or_else(|| find(message, b"\n\n").map(|i| i + 2));
    let Some(mut end) = header_end else { return message };
    for _ in 0..n {
        match message[end..].iter().position(|&b| b == b'\n') {
            Some(i) => end += i + 1,
            None => return message,
        }
    }
    &message[..end]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        assert_eq!(ok("User successfully logged on."), b"+OK User successfully logged on.\r\n");
        assert_eq!(ok(""), b"+OK\r\n");
        assert_eq!(err("x"), b"-ERR x\r\n");
    }

    #[test]
    fn dot_stuffing_and_terminator() {
        let mut out = Vec::new();
        push_block(&mut out, b"Subject: a\r\n\r\n.hidden\r\n..two\r\nlast");
        assert_eq!(out, b"Subject: a\r\n\r\n..hidden\r\n...two\r\nlast\r\n.\r\n");
        let mut out = Vec::new();
        push_block(&mut out, b"a\nb\n");
        assert_eq!(out, b"a\r\nb\r\n.\r\n");
        let mut empty = Vec::new();
        push_block(&mut empty, b"");
        assert_eq!(empty, b".\r\n");
    }

    /// The plain reading of RFC 1939 3, a line at a time over the whole
    /// message: what the one-pass stuffer must give for any pieces.
    fn by_lines(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut rest = data;
        while !rest.is_empty() {
            let (line, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            stuff_line(&mut out, line.strip_suffix(b"\r").unwrap_or(line));
            rest = next;
        }
        out.extend_from_slice(b".\r\n");
        out
    }

    fn stuffed_in_pieces(data: &[u8], size: usize, header_len: u64, lines: Option<u32>) -> Vec<u8> {
        let mut s = DotStuffer::new(header_len, lines);
        let mut out = Vec::new();
        for piece in data.chunks(size) {
            if !s.push(piece, &mut out) {
                break;
            }
        }
        s.finish(&mut out);
        out
    }

    #[test]
    fn streamed_stuffing_is_the_same_in_any_pieces() {
        let m: &[u8] = b"Subject: a\r\n\r\n.hidden\r\n..two\nbare\r\n.\r\n.\n\r\nlone\rcr\r\n\r\r\nlast.";
        let want = by_lines(m);
        let mut whole = Vec::new();
        push_block(&mut whole, m);
        assert_eq!(String::from_utf8_lossy(&whole), String::from_utf8_lossy(&want));
        for size in 1..=m.len() {
            let out = stuffed_in_pieces(m, size, 0, None);
            assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&want), "pieces of {size}");
        }
        for ending in [&b"x\r"[..], b"x\r\n", b"x\n", b"", b"."] {
            assert_eq!(stuffed_in_pieces(ending, 1, 0, None), by_lines(ending), "{ending:?}");
        }
    }

    #[test]
    fn top_sends_the_header_and_n_lines_in_any_pieces() {
        let full: &[u8] = b"A: 1\r\n.B: 2\r\n\r\nline1\r\n.line2\nline3\r\n..line4";
        let header_len = 15;
        for n in 0..6 {
            let want = by_lines(top_of(full, n));
            for size in 1..=full.len() {
                let out = stuffed_in_pieces(full, size, header_len, Some(n));
                assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&want), "TOP {n}, pieces of {size}");
            }
        }
    }

    #[test]
    fn dots_at_the_edges_of_large_pieces_are_stuffed() {
        // Lines of every length around the 64 KiB pieces RETR reads, many
        // starting with a dot, so that piece edges fall just before, on and
        // just after a line's first dot and its CR LF.
        let mut m = b"Subject: dots\r\n\r\n".to_vec();
        let mut k = 0usize;
        while m.len() < 3 * 64 * 1024 {
            m.extend(std::iter::repeat_n(b'.', 1 + k % 3));
            m.extend(std::iter::repeat_n(b'x', k % 97));
            m.extend_from_slice(if k.is_multiple_of(5) { b"\n" } else { b"\r\n" });
            k += 1;
        }
        let want = by_lines(&m);
        for size in [64 * 1024, 64 * 1024 - 1, 64 * 1024 + 1, 4096, 7] {
            assert!(stuffed_in_pieces(&m, size, 0, None) == want, "pieces of {size}");
        }
        let lines = std::str::from_utf8(&want).unwrap_or_default().split("\r\n").filter(|l| l.starts_with('.'));
        assert!(lines.clone().all(|l| l.starts_with("..") || l == "."), "every dot line is stuffed");
    }

    #[test]
    fn top_keeps_headers_and_blank_line() {
        let m = b"A: 1\r\nB: 2\r\n\r\nline1\r\nline2\r\n";
        assert_eq!(top_of(m, 0), b"A: 1\r\nB: 2\r\n\r\n");
        assert_eq!(top_of(m, 1), b"A: 1\r\nB: 2\r\n\r\nline1\r\n");
        assert_eq!(top_of(m, 9), &m[..]);
        assert_eq!(top_of(b"no body", 0), b"no body");
    }

    #[test]
    fn listing_block() {
        assert_eq!(ok_lines("2 30", &["1 10".into(), "2 20".into()]), b"+OK 2 30\r\n1 10\r\n2 20\r\n.\r\n");
    }
}
