//! IMAP4rev2's 63-bit numbers (RFC 9051 E.1: `number64`, "0 <= n <=
//! 9,223,372,036,854,775,807") where imap-codec reads 32 bits: a literal's
//! size, SEARCH LARGER and SMALLER, a FETCH partial `<offset.length>`.
//!
//! - A literal size past 32 bits overflows imap-codec's fragmentizer, which
//!   then reads the line as ending without a literal: the literal's bytes
//!   would be read as commands. [`dropped_announcement`] finds such a line,
//!   and the reader refuses it as any literal over its limit
//!   (`NO [TOOBIG]`).
//! - A number64 argument past 32 bits is clamped to 2^32 - 1 before
//!   imap-codec reads the command again ([`clamp`]): every message is
//!   smaller than that (a message is at most 35 MiB), so `LARGER n` still
//!   matches nothing, `SMALLER n` everything, and a partial offset or
//!   length that far gives what it gave before, the empty or the whole
//!   rest. A number beyond 63 bits is not a number64 and stays a syntax
//!   error.

use imap_codec::imap_types::core::LiteralMode;

use super::ext::{Token, tokens};

const NUMBER64_MAX: u64 = i64::MAX as u64;

/// The mode of a literal announced at the end of `line` (its CRLF
/// included) with a size too large for imap-codec's 32 bits, which its
/// fragmentizer then does not report.
pub fn dropped_announcement(line: &[u8]) -> Option<LiteralMode> {
    let line = line.strip_suffix(b"\n")?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let inside = line.strip_suffix(b"}")?;
    let open = inside.iter().rposition(|b| *b == b'{')?;
    let count = &inside[open + 1..];
    let (digits, mode) = match count.strip_suffix(b"+") {
        Some(d) => (d, LiteralMode::NonSync),
        None => (count, LiteralMode::Sync),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // One that fits was announced by the fragmentizer.
    let fits = std::str::from_utf8(digits).ok()?.parse::<u32>().is_ok();
    (!fits).then_some(mode)
}

/// `message` with each number64 argument past 32 bits clamped to 2^32 - 1;
/// None when there is none.
pub fn clamp(message: &[u8]) -> Option<Vec<u8>> {
    let toks = tokens(message)?;
    // (start, end) of each number to replace.
    let mut edits: Vec<(usize, usize)> = Vec::new();
    let mut after_size_key = false;
    for (start, tok) in &toks {
        let Token::Atom(atom) = tok else {
            after_size_key = false;
            continue;
        };
        if after_size_key && is_wide(atom) {
            edits.push((*start, start + atom.len()));
        }
        after_size_key = atom.eq_ignore_ascii_case(b"LARGER") || atom.eq_ignore_ascii_case(b"SMALLER");
        // A partial at the end of a FETCH item: `BODY[...]<o.l>`.
        if let (Some(open), Some(b'>')) = (atom.iter().rposition(|b| *b == b'<'), atom.last()) {
            let mut at = start + open + 1;
            for number in atom[open + 1..atom.len() - 1].split(|b| *b == b'.') {
                if is_wide(number) {
                    edits.push((at, at + number.len()));
                }
                at += number.len() + 1;
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(message.len());
    let mut from = 0;
    for (start, end) in edits {
        out.extend_from_slice(&message[from..start]);
        out.extend_from_slice(u32::MAX.to_string().as_bytes());
        from = end;
    }
    out.extend_from_slice(&message[from..]);
    Some(out)
}

/// A number64 that does not fit 32 bits.
fn is_wide(digits: &[u8]) -> bool {
    !digits.is_empty()
        && digits.iter().all(u8::is_ascii_digit)
        && std::str::from_utf8(digits)
            .ok()
            .and_then(|d| d.parse::<u64>().ok())
            .is_some_and(|n| n > u64::from(u32::MAX) && n <= NUMBER64_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_size_past_32_bits_is_found_where_the_fragmentizer_drops_it() {
        assert_eq!(dropped_announcement(b"a APPEND INBOX {4294967296}\r\n"), Some(LiteralMode::Sync));
        assert_eq!(dropped_announcement(b"a APPEND INBOX ~{9223372036854775807+}\n"), Some(LiteralMode::NonSync));
        assert_eq!(dropped_announcement(b"a APPEND INBOX {99999999999999999999999}\r\n"), Some(LiteralMode::Sync));
        assert_eq!(dropped_announcement(b"a APPEND INBOX {4294967295}\r\n"), None, "fits: announced");
        assert_eq!(dropped_announcement(b"a LOGIN \"{x}\" {1a}\r\n"), None);
        assert_eq!(dropped_announcement(b"a NOOP\r\n"), None);
        assert_eq!(dropped_announcement(b"a NOOP {}\r\n"), None);
    }

    #[test]
    fn number64_arguments_are_clamped_to_32_bits() {
        let clamped = |m: &[u8]| clamp(m).map(|c| String::from_utf8(c).unwrap());
        assert_eq!(
            clamped(b"a SEARCH LARGER 5000000000 smaller 9223372036854775807\r\n").as_deref(),
            Some("a SEARCH LARGER 4294967295 smaller 4294967295\r\n")
        );
        assert_eq!(
            clamped(b"a FETCH 1 (BODY.PEEK[1]<4294967296.8589934592> BINARY[]<0.5000000000>)\r\n").as_deref(),
            Some("a FETCH 1 (BODY.PEEK[1]<4294967295.4294967295> BINARY[]<0.4294967295>)\r\n")
        );
        assert_eq!(clamp(b"a SEARCH LARGER 4294967295\r\n"), None, "fits");
        assert_eq!(clamp(b"a SEARCH LARGER 9223372036854775808\r\n"), None, "past 63 bits: not a number64");
        assert_eq!(clamp(b"a SEARCH SUBJECT \"LARGER\" 5000000000\r\n"), None, "a quoted word is no key");
        assert_eq!(clamp(b"a SEARCH UID 5000000000\r\n"), None, "UIDs stay 32 bits");
    }
}
