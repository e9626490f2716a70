//! How a stored message is served over IMAP4 and POP3: calendar items as
//! iCalendar or as a link to Outlook Web App (CalendarItemRetrievalOption),
//! the body format (MessageRetrievalMimeFormat) and whether RFC822.SIZE /
//! LIST sizes are exact. Both back ends call [`Renderer::render`]; the
//! options are resolved once per user at login ([`RenderOptions::resolve`]).

mod calendar;
mod options;
mod rewrite;

pub use options::{CalendarMode, RenderOptions};

use std::borrow::Cow;

use crate::store::MimeTextFormat;

/// Renders messages for one user's session.
#[derive(Debug, Clone)]
pub struct Renderer {
    pub options: RenderOptions,
}

impl Renderer {
    pub fn new(options: RenderOptions) -> Renderer {
        Renderer { options }
    }

    /// The bytes a client is served for a stored message. Untouched (and
    /// not copied) unless a setting changes it.
    pub fn render<'a>(&self, raw: &'a [u8]) -> Cow<'a, [u8]> {
        let calendar_link = match &self.options.calendar {
            CalendarMode::Link { base_url } if calendar::mentions_calendar(raw) => Some(base_url.as_str()),
            _ => None,
        };
        let alternative = matches!(self.options.mime_format, MimeTextFormat::TextOnly | MimeTextFormat::HtmlOnly)
            && contains_ci(raw, b"multipart/alternative");
        if calendar_link.is_none() && !alternative {
            return Cow::Borrowed(raw);
        }
        Cow::Owned(rewrite::rewrite(raw, calendar_link, self.options.mime_format))
    }

    /// Which settings may change `raw` (bits of `store::mail::renders`),
    /// stored with the message so that [`Renderer::changes`] can answer
    /// without reading it.
    pub fn renders_of(raw: &[u8]) -> u32 {
        use crate::store::mail::renders;
        let mut bits = 0;
        if calendar::mentions_calendar(raw) {
            bits |= renders::CALENDAR;
        }
        if contains_ci(raw, b"multipart/alternative") {
            bits |= renders::ALTERNATIVE;
        }
        bits
    }

    /// Whether [`Renderer::render`] changes a message whose
    /// [`Renderer::renders_of`] is `renders`.
    pub fn changes(&self, renders: u32) -> bool {
        use crate::store::mail::renders;
        let calendar = matches!(self.options.calendar, CalendarMode::Link { .. }) && renders & renders::CALENDAR != 0;
        let alternative = matches!(self.options.mime_format, MimeTextFormat::TextOnly | MimeTextFormat::HtmlOnly)
            && renders & renders::ALTERNATIVE != 0;
        calendar || alternative
    }

    /// Names the setting values that change messages, as the key of their
    /// cached renditions (`store::mail::Rendition`).
    pub fn variant(&self) -> String {
        let calendar = match &self.options.calendar {
            CalendarMode::Link { base_url } => base_url.as_str(),
            CalendarMode::ICalendar => "",
        };
        let format = match self.options.mime_format {
            MimeTextFormat::TextOnly => "TextOnly",
            MimeTextFormat::HtmlOnly => "HtmlOnly",
            _ => "",
        };
        format!("{format};{calendar}")
    }

    /// The size announced for a message (RFC822.SIZE, POP3 LIST): the
    /// stored octets unless exact sizes are on, then the octets served.
    pub fn size(&self, raw_len: u64, raw: Option<&[u8]>) -> u64 {
        match raw {
            Some(raw) if self.options.exact_size => self.render(raw).len() as u64,
            _ => raw_len,
        }
    }
}

/// Whether `needle` is in `hay`, ASCII case aside. Every message is
/// searched so when it is delivered (`renders_of`): the search jumps with
/// memchr to each place of the needle's first byte that has no case (the
/// `/` of a media type, rare in mail), else of its first byte in either
/// case, and compares only there.
pub(crate) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    let at = |start: usize| hay.get(start..start + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(needle));
    match needle.iter().position(|b| !b.is_ascii_alphabetic()) {
        Some(k) => memchr::memchr_iter(needle[k], hay).any(|i| i >= k && at(i - k)),
        None => {
            let first = needle[0];
            memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay).any(at)
        }
    }
}

#[cfg(test)]
mod search_tests {
    use super::contains_ci;

    #[test]
    fn a_needle_is_found_in_any_case_anywhere_and_nowhere_else() {
        let naive = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle));
        let hays: [&[u8]; 6] = [
            b"Content-Type: Multipart/Alternative; boundary=x",
            b"multipart/alternative",
            b"text/plain / text/calendar",
            b"/alternative multipart/ multipart/alternativ",
            b"TEXT/CALENDAR",
            b"",
        ];
        for hay in hays {
            for needle in [&b"multipart/alternative"[..], b"text/calendar", b"boundary", b"x", b"/"] {
                assert_eq!(contains_ci(hay, needle), naive(hay, needle), "{:?} in {:?}", needle, hay);
            }
        }
        assert!(contains_ci(b"abc", b""));
    }
}
