//! `BODY[section]` contents: which bytes a section names.

use crate::engines::mime::{Part, headers};

/// What a section asks for, independent of imap-codec's types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Want {
    /// The whole part (`[]`, `[1.2]`).
    All,
    Header,
    HeaderFields {
        names: Vec<Vec<u8>>,
        not: bool,
    },
    Text,
    Mime,
}

/// The part a path of part numbers names, RFC 3501 6.4.5.
pub fn resolve<'a>(root: &'a Part, path: &[u32]) -> Option<&'a Part> {
    let mut cur = root;
    for (i, n) in path.iter().enumerate() {
        if i > 0
            && let Some(inner) = &cur.message
        {
            cur = inner;
        }
        if cur.is_multipart() && !cur.children.is_empty() {
            cur = cur.children.get((*n as usize).checked_sub(1)?)?;
        } else if *n != 1 {
            return None;
        }
    }
    Some(cur)
}

/// The bytes of a section; None when the part does not exist (the client
/// then gets an empty string, as RFC 3501 allows).
pub fn bytes(raw: &[u8], root: &Part, path: &[u32], want: &Want) -> Option<Vec<u8>> {
    let part = resolve(root, path)?;
    // For HEADER/TEXT of a numbered part, the part must be a message; its
    // encapsulated message is what is meant.
    let message = if path.is_empty() { Some(part) } else { part.message.as_deref() };
    Some(match want {
        All if path.is_empty() => raw.to_vec(),
        All => part.body(raw).to_vec(),
        Want::Mime => {
            if path.is_empty() {
                return None;
            }
            part.header(raw).to_vec()
        }
        Want::Header => message?.header(raw).to_vec(),
        Want::Text => message?.body(raw).to_vec(),
        Want::HeaderFields { names, not } => {
            let names: Vec<&[u8]> = names.iter().map(Vec::as_slice).collect();
            headers::select(message?.header(raw), &names, *not)
        }
    })
}

use Want::All;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::mime::{parse, tests::MULTI};

    #[test]
    fn sections_of_a_multipart_message() {
        let root = parse(MULTI);
        assert_eq!(bytes(MULTI, &root, &[1], &Want::All).unwrap(), b"hello");
        assert_eq!(bytes(MULTI, &root, &[1], &Want::Mime).unwrap(), b"Content-Type: text/plain\r\n\r\n");
        assert_eq!(bytes(MULTI, &root, &[2, 1], &Want::All).unwrap(), b"inner body");
        assert_eq!(bytes(MULTI, &root, &[2], &Want::Header).unwrap(), b"Subject: inner\r\n\r\n");
        assert_eq!(bytes(MULTI, &root, &[2], &Want::Text).unwrap(), b"inner body");
        assert_eq!(
            bytes(MULTI, &root, &[], &Want::HeaderFields { names: vec![b"FROM".to_vec()], not: false }).unwrap(),
            b"From: a@b.c\r\n\r\n"
        );
        assert!(bytes(MULTI, &root, &[3], &Want::All).is_none());
        assert!(bytes(MULTI, &root, &[1], &Want::Header).is_none(), "a text part has no HEADER");
    }

    #[test]
    fn part_one_of_a_single_part_message_is_its_body() {
        let raw = b"Subject: x\r\n\r\nbody\r\n";
        let root = parse(raw);
        assert_eq!(bytes(raw, &root, &[1], &Want::All).unwrap(), b"body\r\n");
    }
}
