//! FETCH data items computed from a message's MIME part tree
//! (`crate::engines::mime`): ENVELOPE, BODY and BODYSTRUCTURE, and the bytes
//! a `BODY[section]` names. The tree is shared with POP3 and the renderer;
//! these IMAP encodings of it are IMAP's own.

pub mod binary;
pub mod envelope;
pub mod section;
pub mod structure;
pub mod summary;

#[cfg(test)]
mod robustness {
    use super::section::{Want, bytes};
    use super::{envelope, structure};
    use crate::engines::mime::parse;

    /// xorshift: deterministic, no dependency.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    const PIECES: &[&[u8]] = &[
        b"Content-Type: multipart/mixed; boundary=\"b\"\r\n",
        b"Content-Type: multipart/alternative; boundary=b\r\n",
        b"Content-Type: message/rfc822\r\n",
        b"Content-Type: text/calendar\r\n",
        b"Content-Type: multipart/digest; boundary=\"\"\r\n",
        b"Content-Type: ;;;===\"\r\n",
        b"From: \"a\" <b@c>, =?utf-8?q?=C3=A9?= <d@e>\r\n",
        b"Subject: =?utf-8?b?////?=\r\n",
        b"\r\n",
        b"\n",
        b"--b\r\n",
        b"--b--\r\n",
        b"--b",
        b" folded\r\n",
        b"body line\r\n",
        b"\xff\xfe\x00",
        b":",
        b"UID:1\r\n",
    ];

    #[test]
    fn random_messages_never_panic() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..3000 {
            let mut raw = Vec::new();
            for _ in 0..(next(&mut state) % 24) {
                raw.extend_from_slice(PIECES[(next(&mut state) % PIECES.len() as u64) as usize]);
            }
            let root = parse(&raw);
            let mut out = Vec::new();
            structure::write(&mut out, &raw, &root, true);
            envelope::write(&mut out, root.header(&raw));
            for path in [&[][..], &[1], &[1, 1], &[2, 1, 1], &[3]] {
                for want in [Want::All, Want::Header, Want::Text, Want::Mime] {
                    let _ = bytes(&raw, &root, path, &want);
                }
            }
            let renderer = crate::engines::render::Renderer::new(crate::engines::render::RenderOptions {
                calendar: crate::engines::render::CalendarMode::Link { base_url: "https://o/owa".into() },
                mime_format: crate::store::MimeTextFormat::TextOnly,
                exact_size: true,
            });
            let _ = renderer.render(&raw);
        }
    }
}
