//! The MIME part tree and header fields (`engines::mime`), and what the
//! back ends build from them for a client: IMAP's BODYSTRUCTURE, ENVELOPE
//! (mail-parser on the header) and BODY[section] bytes, and the renderer
//! that rewrites calendar items and body formats.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsh::engines::imap::fetch_items::section::{self, Want};
use mailsh::engines::imap::fetch_items::{envelope, structure};
use mailsh::engines::mime::{self, Part, headers};
use mailsh::engines::render::{CalendarMode, RenderOptions, Renderer};
use mailsh::store::MimeTextFormat;

fn walk(raw: &[u8], part: &Part, path: &mut Vec<u32>, root: &Part, depth: usize) {
    if depth > 8 {
        return;
    }
    let header = part.header(raw);
    let _ = part.body(raw);
    let _ = part.param("charset");
    for (name, value) in headers::fields(header) {
        let _ = (name, value);
    }
    if let Some(ct) = headers::field_value(header, "content-type") {
        let _ = headers::content_type(&ct);
    }
    if let Some(cd) = headers::field_value(header, "content-disposition") {
        let _ = headers::disposition(&cd);
    }
    let _ = headers::select(header, &[b"subject", b"from"], false);
    for want in
        [Want::All, Want::Header, Want::Text, Want::Mime, Want::HeaderFields { names: vec![b"To".to_vec()], not: true }]
    {
        let _ = section::bytes(raw, root, path, &want);
    }
    for (n, child) in part.children.iter().enumerate() {
        path.push(n as u32 + 1);
        walk(raw, child, path, root, depth + 1);
        path.pop();
    }
    if let Some(inner) = &part.message {
        path.push(1);
        walk(raw, inner, path, root, depth + 1);
        path.pop();
    }
}

fuzz_target!(|raw: &[u8]| {
    let root = mime::parse(raw);
    let mut out = Vec::new();
    structure::write(&mut out, raw, &root, true);
    structure::write(&mut out, raw, &root, false);
    envelope::write(&mut out, root.header(raw));
    walk(raw, &root, &mut Vec::new(), &root, 0);
    for (calendar, mime_format) in [
        (CalendarMode::ICalendar, MimeTextFormat::TextOnly),
        (CalendarMode::Link { base_url: "https://owa.contoso.com/owa".into() }, MimeTextFormat::HtmlOnly),
        (CalendarMode::Link { base_url: "https://owa.contoso.com/owa".into() }, MimeTextFormat::BestBodyFormat),
    ] {
        let renderer = Renderer::new(RenderOptions { calendar, mime_format, exact_size: true });
        let served = renderer.render(raw);
        let _ = renderer.size(raw.len() as u64, Some(raw));
        let _ = mime::parse(&served);
    }
});
