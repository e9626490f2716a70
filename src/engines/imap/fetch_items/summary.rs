//! A message's metadata as it is stored at delivery (`store::mail::info`):
//! parsed once here, then FETCH serves ENVELOPE, BODY, BODYSTRUCTURE and
//! header fields from it without reading the text again.

use super::{envelope, structure};
use crate::engines::mime;
use crate::engines::render::Renderer;
use crate::store::mail::{MessageInfo, Rendition};

/// The [`crate::store::mail::Summarizer`] of the IMAP and POP3 back ends.
pub fn summarize(raw: &[u8]) -> MessageInfo {
    let tree = mime::parse(raw);
    let header = tree.header(raw);
    let mut env = Vec::with_capacity(256);
    envelope::write(&mut env, header);
    let mut body = Vec::with_capacity(128);
    structure::write(&mut body, raw, &tree, false);
    let mut bodystructure = Vec::with_capacity(160);
    structure::write(&mut bodystructure, raw, &tree, true);
    MessageInfo {
        renders: Renderer::renders_of(raw),
        parts: tree.pack(),
        envelope: env,
        body,
        bodystructure,
        header: header.to_vec(),
    }
}

/// Size and structure of `raw` as `renderer` serves it.
pub fn rendition(renderer: &Renderer, raw: &[u8]) -> Rendition {
    let served = renderer.render(raw);
    let tree = mime::parse(&served);
    let mut body = Vec::new();
    structure::write(&mut body, &served, &tree, false);
    let mut bodystructure = Vec::new();
    structure::write(&mut bodystructure, &served, &tree, true);
    Rendition { size: served.len() as u64, body, bodystructure }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::mail::renders;

    #[test]
    fn the_stored_metadata_is_what_parsing_gives() {
        let raw = crate::engines::mime::tests::MULTI;
        let info = summarize(raw);
        let tree = mime::parse(raw);
        let mut bs = Vec::new();
        structure::write(&mut bs, raw, &tree, true);
        assert_eq!(info.bodystructure, bs);
        assert_eq!(info.header, b"From: a@b.c\r\nContent-Type: multipart/mixed; boundary=\"xx\"\r\n\r\n");
        assert!(info.envelope.starts_with(b"(NIL NIL ((NIL NIL \"a\" \"b.c\"))"));
        assert_eq!(info.renders, 0);
        let cal = summarize(b"Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/calendar\r\n\r\nX\r\n--b--\r\n");
        assert_eq!(cal.renders, renders::CALENDAR | renders::ALTERNATIVE);
    }
}
