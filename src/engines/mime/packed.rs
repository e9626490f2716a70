//! A part tree's offsets in a few bytes, stored with each message
//! (`message_info.parts`), so that `BODY[1.2]`, `[2.HEADER]` or
//! `[1.MIME]` find their bytes without parsing the message again. Only
//! what section resolution needs is kept: offsets, and whether a part is
//! a multipart (with its children) or an encapsulated message.

use super::Part;

const LEAF: u8 = 0;
const MULTIPART: u8 = 1;
const MESSAGE: u8 = 2;
/// start, body start, end (u32 each), kind (u8), children (u16).
const NODE: usize = 15;

impl Part {
    /// The tree in pre-order, fixed-size nodes.
    pub fn pack(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(NODE * 2);
        pack_into(self, &mut out);
        out
    }

    /// The tree [`Part::pack`] wrote; types, subtypes and parameters are
    /// not kept (a multipart reads as `multipart/mixed`). None when the
    /// bytes are not such a tree.
    pub fn unpack(bytes: &[u8]) -> Option<Part> {
        let mut pos = 0;
        let part = unpack_from(bytes, &mut pos, 0)?;
        (pos == bytes.len()).then_some(part)
    }
}

fn pack_into(p: &Part, out: &mut Vec<u8>) {
    let (kind, children): (u8, &[Part]) = if p.is_multipart() && !p.children.is_empty() {
        (MULTIPART, &p.children)
    } else if p.message.is_some() {
        (MESSAGE, &[])
    } else {
        (LEAF, &[])
    };
    for n in [p.start, p.body_start, p.end] {
        out.extend_from_slice(&(n.min(u32::MAX as usize) as u32).to_le_bytes());
    }
    out.push(kind);
    out.extend_from_slice(&(children.len().min(u16::MAX as usize) as u16).to_le_bytes());
    for c in children.iter().take(u16::MAX as usize) {
        pack_into(c, out);
    }
    if let Some(m) = &p.message {
        pack_into(m, out);
    }
}

fn unpack_from(b: &[u8], pos: &mut usize, depth: usize) -> Option<Part> {
    if depth > 64 {
        return None;
    }
    let node = b.get(*pos..*pos + NODE)?;
    *pos += NODE;
    let n = |i: usize| -> Option<usize> { Some(u32::from_le_bytes(node.get(i..i + 4)?.try_into().ok()?) as usize) };
    let (start, body_start, end) = (n(0)?, n(4)?, n(8)?);
    let kind = node[12];
    let count = u16::from_le_bytes([node[13], node[14]]) as usize;
    let mut part = Part {
        start,
        body_start,
        end,
        ctype: if kind == MULTIPART { "multipart".into() } else { String::new() },
        subtype: String::new(),
        params: vec![],
        children: vec![],
        message: None,
    };
    match kind {
        MULTIPART => {
            for _ in 0..count {
                part.children.push(unpack_from(b, pos, depth + 1)?);
            }
        }
        MESSAGE => part.message = Some(Box::new(unpack_from(b, pos, depth + 1)?)),
        LEAF => {}
        _ => return None,
    }
    Some(part)
}

#[cfg(test)]
mod tests {
    use super::super::{parse, tests::MULTI};
    use super::*;
    use crate::engines::imap::fetch_items::section::{Want, bytes};

    #[test]
    fn sections_resolve_the_same_from_the_packed_tree() {
        let full = parse(MULTI);
        let packed = Part::unpack(&full.pack()).expect("unpacks");
        for path in [&[][..], &[1], &[2], &[2, 1], &[3]] {
            for want in [Want::All, Want::Header, Want::Text, Want::Mime] {
                assert_eq!(bytes(MULTI, &full, path, &want), bytes(MULTI, &packed, path, &want), "{path:?} {want:?}");
            }
        }
        assert!(Part::unpack(&[1, 2, 3]).is_none());
        assert!(Part::unpack(&[]).is_none());
    }
}
