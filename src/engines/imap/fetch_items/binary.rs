//! BINARY[section] and BINARY.SIZE[section] (RFC 3516): a part's content
//! with its Content-Transfer-Encoding undone (base64, quoted-printable; 7bit,
//! 8bit and binary as they are). An encoding mailsh does not know is the
//! client's to hear about (`NO [UNKNOWN-CTE]`).

use base64::Engine;

use super::section::resolve;
use crate::engines::mime::Part;
use crate::engines::mime::headers::field_value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    Bytes(Vec<u8>),
    /// No such part: an empty string, as for BODY[section].
    Missing,
    UnknownEncoding,
}

/// The decoded content of the part `path` names (`[]`: the whole message,
/// which has no encoding of its own to undo when it is a multipart).
pub fn decoded(raw: &[u8], root: &Part, path: &[u32]) -> Decoded {
    let Some(part) = resolve(root, path) else { return Decoded::Missing };
    if path.is_empty() {
        return Decoded::Bytes(raw.to_vec());
    }
    if part.is_multipart() || part.is_message() {
        return Decoded::Bytes(part.body(raw).to_vec());
    }
    let body = part.body(raw);
    let encoding = field_value(part.header(raw), "content-transfer-encoding").unwrap_or_default().to_ascii_lowercase();
    match encoding.trim() {
        "" | "7bit" | "8bit" | "binary" => Decoded::Bytes(body.to_vec()),
        "base64" => {
            let clean: Vec<u8> = body.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
            let engine = base64::engine::GeneralPurpose::new(
                &base64::alphabet::STANDARD,
                base64::engine::GeneralPurposeConfig::new()
                    .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
                    .with_decode_allow_trailing_bits(true),
            );
            match engine.decode(&clean) {
                Ok(b) => Decoded::Bytes(b),
                // Damaged base64: served as it is rather than refused.
                Err(_) => Decoded::Bytes(body.to_vec()),
            }
        }
        "quoted-printable" => Decoded::Bytes(quoted_printable(body)),
        _ => Decoded::UnknownEncoding,
    }
}

/// RFC 2045 6.7: `=XX` octets, soft line breaks (`=` at a line end)
/// removed, trailing white space of lines dropped.
fn quoted_printable(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut joined = true;
    for line in body.split(|b| *b == b'\n') {
        if !joined {
            out.extend_from_slice(b"\r\n");
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut end = line.len();
        while end > 0 && matches!(line[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        let line = &line[..end];
        joined = false;
        let mut i = 0;
        while i < line.len() {
            if line[i] == b'=' {
                if i + 1 == line.len() {
                    // A soft line break: the next line continues this one.
                    joined = true;
                    break;
                }
                let hex = line.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    out.push(v);
                    i += 3;
                    continue;
                }
            }
            out.push(line[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::mime::parse;

    const MSG: &[u8] = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC/w==\r\n--b\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 =\r\nsoft\r\nhard  \r\n--b\r\nContent-Transfer-Encoding: x-uue\r\n\r\nbegin\r\n--b--\r\n";

    #[test]
    fn parts_are_decoded() {
        let root = parse(MSG);
        assert_eq!(decoded(MSG, &root, &[1]), Decoded::Bytes(vec![0, 1, 2, 255]));
        assert_eq!(decoded(MSG, &root, &[2]), Decoded::Bytes("café soft\r\nhard".as_bytes().to_vec()));
        assert_eq!(decoded(MSG, &root, &[3]), Decoded::UnknownEncoding);
        assert_eq!(decoded(MSG, &root, &[4]), Decoded::Missing);
        assert_eq!(quoted_printable(b"a=3Db=\r\nc\r\nd=\r\n"), b"a=bc\r\nd");
    }
}
