//! Where one POP3 response ends, found in the bytes as they come (RFC 1939
//! section 3): a status line, then, for a positive answer to a command
//! whose answer is multi-line, lines up to a line holding only ".". The
//! front end reads the back end's answers with it, so it can tell one
//! answer from the next without holding any of them whole.

use memchr::memchr;

use super::command::Command;

/// Whether a command's positive answer is multi-line.
pub fn multi_line(command: &Command) -> bool {
    matches!(command, Command::Retr(_) | Command::Top(..) | Command::List(None) | Command::Uidl(None) | Command::Capa)
}

/// The longest status line kept to be read (a back end's are far shorter).
const STATUS_KEPT: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// Inside the status line.
    Status,
    /// Inside a line of the block.
    InLine,
    /// At the start of a line of the block.
    LineStart,
    /// A line that starts with ".".
    Dot,
    /// A line that starts with ".\r".
    DotCr,
}

/// One response being read.
#[derive(Debug)]
pub struct ResponseEnd {
    multi: bool,
    scan: Scan,
    /// The status line as far as it came (at most [`STATUS_KEPT`] octets).
    status: Vec<u8>,
}

impl ResponseEnd {
    /// A response to a command whose positive answer is `multi`-line.
    pub fn new(multi: bool) -> ResponseEnd {
        ResponseEnd { multi, scan: Scan::Status, status: Vec::new() }
    }

    /// Takes the next bytes of the response; returns how many of them
    /// belong to it when it ends within them (the rest is the next one's).
    pub fn feed(&mut self, bytes: &[u8]) -> Option<usize> {
        let mut at = 0;
        while at < bytes.len() {
            match self.scan {
                Scan::Status => {
                    let end = memchr(b'\n', &bytes[at..]).map(|p| at + p + 1);
                    let upto = end.unwrap_or(bytes.len());
                    let room = STATUS_KEPT.saturating_sub(self.status.len());
                    self.status.extend_from_slice(&bytes[at..upto.min(at + room)]);
                    let end = end?;
                    if !(self.multi && self.positive()) {
                        return Some(end);
                    }
                    self.scan = Scan::LineStart;
                    at = end;
                }
                Scan::InLine => match memchr(b'\n', &bytes[at..]) {
                    Some(p) => {
                        at += p + 1;
                        self.scan = Scan::LineStart;
                    }
                    None => return None,
                },
                Scan::LineStart => {
                    self.scan = if bytes[at] == b'.' { Scan::Dot } else { Scan::InLine };
                    // A line that is empty or not a dot is read from its
                    // first octet again: it may be the line's end.
                    if self.scan == Scan::Dot {
                        at += 1;
                    }
                }
                Scan::Dot => {
                    if bytes[at] == b'\r' {
                        self.scan = Scan::DotCr;
                        at += 1;
                    } else {
                        self.scan = Scan::InLine;
                    }
                }
                Scan::DotCr => {
                    if bytes[at] == b'\n' {
                        return Some(at + 1);
                    }
                    self.scan = Scan::InLine;
                }
            }
        }
        None
    }

    /// The status line is `+OK` (as far as it came).
    pub fn positive(&self) -> bool {
        self.status.starts_with(b"+OK")
    }

    /// The status line, without its line end (as far as it came).
    pub fn status_line(&self) -> &[u8] {
        let line = self.status.strip_suffix(b"\n").unwrap_or(&self.status);
        line.strip_suffix(b"\r").unwrap_or(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `bytes` in pieces of `size`; the offset in `bytes` where the
    /// response ended.
    fn end_in_pieces(multi: bool, bytes: &[u8], size: usize) -> Option<usize> {
        let mut end = ResponseEnd::new(multi);
        let mut offset = 0;
        for piece in bytes.chunks(size) {
            if let Some(n) = end.feed(piece) {
                return Some(offset + n);
            }
            offset += piece.len();
        }
        None
    }

    #[test]
    fn a_block_ends_at_its_dot_line_however_the_bytes_are_cut() {
        let block = b"+OK 120 octets\r\nSubject: x\r\n\r\n..stuffed\r\n.\r\r\n.x\r\n\r\n.\r\n+OK next\r\n";
        let end = block.len() - b"+OK next\r\n".len();
        for size in 1..=block.len() {
            assert_eq!(end_in_pieces(true, block, size), Some(end), "pieces of {size}");
        }
    }

    #[test]
    fn a_refusal_or_a_single_line_answer_ends_with_its_status_line() {
        assert_eq!(end_in_pieces(true, b"-ERR The specified message has been deleted.\r\n+OK", 3), Some(46));
        assert_eq!(end_in_pieces(false, b"+OK 3 300\r\n.\r\n", 2), Some(11));
        let mut end = ResponseEnd::new(true);
        assert_eq!(end.feed(b"+OK\r\n.\r\n"), Some(8));
        assert!(end.positive());
        assert_eq!(end.status_line(), b"+OK");
    }

    #[test]
    fn an_unfinished_block_has_no_end() {
        assert_eq!(end_in_pieces(true, b"+OK\r\nline\r\n.", 1), None);
        assert_eq!(end_in_pieces(true, b"+OK\r\n..\r\n", 4), None);
    }

    #[test]
    fn which_answers_are_multi_line() {
        for (line, multi) in [
            (&b"RETR 1"[..], true),
            (b"TOP 1 0", true),
            (b"LIST", true),
            (b"UIDL", true),
            (b"CAPA", true),
            (b"LIST 1", false),
            (b"UIDL 1", false),
            (b"DELE 1", false),
            (b"STAT", false),
            (b"QUIT", false),
        ] {
            let command = super::super::command::parse(line).expect("a command");
            assert_eq!(multi_line(&command), multi, "{}", String::from_utf8_lossy(line));
        }
    }
}
