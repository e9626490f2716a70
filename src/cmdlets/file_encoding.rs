//! `-Encoding` of the content cmdlets (FileSystemCmdletProviderEncoding):
//! how text becomes bytes in a file and back.
//!
//! Windows PowerShell 5.1 writes `Default` (and `String`, `Unknown`, `Oem`)
//! in the ANSI code page; mailsh writes UTF-8 without a byte-order mark
//! there, the text encoding of a Unix server. `UTF8` writes a byte-order
//! mark, as 5.1 does; `Unicode`, `BigEndianUnicode`, `UTF32` and
//! `BigEndianUTF32` write UTF-16 or UTF-32 with theirs; `Ascii` turns what
//! it cannot hold into `?`. `UTF7` is refused by name. Reading honours a
//! byte-order mark, else the given encoding, else UTF-8 (and, for bytes
//! that are not UTF-8, Latin-1, so nothing is lost).

use crate::runtime::errors::{Category, ErrorRecord};
use crate::runtime::value::{EnumDef, Value};

pub static ENCODING: EnumDef = EnumDef {
    type_name: "Microsoft.PowerShell.Commands.FileSystemCmdletProviderEncoding",
    members: &[
        "Unknown",
        "String",
        "Unicode",
        "Byte",
        "BigEndianUnicode",
        "UTF8",
        "UTF7",
        "UTF32",
        "Ascii",
        "Default",
        "Oem",
        "BigEndianUTF32",
    ],
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark (Default, String, Unknown, Oem).
    Plain,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
    Ascii,
    /// `-Encoding Byte`: values are bytes, not text.
    Byte,
}

impl Encoding {
    /// The encoding an `-Encoding` argument names; `None` when not given.
    pub fn from_arg(v: Option<&Value>) -> crate::runtime::errors::Result<Encoding> {
        let Some(v) = v else { return Ok(Encoding::Plain) };
        Ok(match v.to_text().to_ascii_lowercase().as_str() {
            "unicode" => Encoding::Utf16Le,
            "bigendianunicode" => Encoding::Utf16Be,
            "utf8" => Encoding::Utf8Bom,
            "utf32" => Encoding::Utf32Le,
            "bigendianutf32" => Encoding::Utf32Be,
            "ascii" => Encoding::Ascii,
            "byte" => Encoding::Byte,
            "utf7" => {
                return Err(ErrorRecord::new(
                    "mailsh does not write or read UTF-7; use -Encoding UTF8.",
                    Category::NotImplemented,
                    "EncodingNotSupported",
                    "PSNotSupportedException",
                )
                .into());
            }
            _ => Encoding::Plain,
        })
    }

    /// The byte-order mark written at the start of a new file.
    pub fn preamble(self) -> &'static [u8] {
        match self {
            Encoding::Utf8Bom => &[0xEF, 0xBB, 0xBF],
            Encoding::Utf16Le => &[0xFF, 0xFE],
            Encoding::Utf16Be => &[0xFE, 0xFF],
            Encoding::Utf32Le => &[0xFF, 0xFE, 0, 0],
            Encoding::Utf32Be => &[0, 0, 0xFE, 0xFF],
            _ => &[],
        }
    }

    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Plain | Encoding::Utf8Bom | Encoding::Byte => text.as_bytes().to_vec(),
            Encoding::Ascii => text.chars().map(|c| if c.is_ascii() { c as u8 } else { b'?' }).collect(),
            Encoding::Utf16Le => text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
            Encoding::Utf16Be => text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect(),
            Encoding::Utf32Le => text.chars().flat_map(|c| (c as u32).to_le_bytes()).collect(),
            Encoding::Utf32Be => text.chars().flat_map(|c| (c as u32).to_be_bytes()).collect(),
        }
    }

    /// The text of a file's bytes: a byte-order mark decides, else this
    /// encoding.
    pub fn decode(self, bytes: &[u8]) -> String {
        let (enc, body) = match bytes {
            [0xEF, 0xBB, 0xBF, rest @ ..] => (Encoding::Plain, rest),
            [0xFF, 0xFE, 0, 0, rest @ ..] => (Encoding::Utf32Le, rest),
            [0, 0, 0xFE, 0xFF, rest @ ..] => (Encoding::Utf32Be, rest),
            [0xFF, 0xFE, rest @ ..] => (Encoding::Utf16Le, rest),
            [0xFE, 0xFF, rest @ ..] => (Encoding::Utf16Be, rest),
            _ => (self, bytes),
        };
        match enc {
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let units: Vec<u16> = body
                    .chunks(2)
                    .map(|c| {
                        let pair = [c[0], c.get(1).copied().unwrap_or(0)];
                        if enc == Encoding::Utf16Le { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
                    })
                    .collect();
                String::from_utf16_lossy(&units)
            }
            Encoding::Utf32Le | Encoding::Utf32Be => body
                .chunks(4)
                .map(|c| {
                    let mut q = [0u8; 4];
                    q[..c.len()].copy_from_slice(c);
                    let n = if enc == Encoding::Utf32Le { u32::from_le_bytes(q) } else { u32::from_be_bytes(q) };
                    char::from_u32(n).unwrap_or('\u{FFFD}')
                })
                .collect(),
            _ => match std::str::from_utf8(body) {
                Ok(s) => s.to_string(),
                Err(_) => body.iter().map(|b| *b as char).collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_marks_decide_how_a_file_reads() {
        let mut utf16 = Encoding::Utf16Le.preamble().to_vec();
        utf16.extend(Encoding::Utf16Le.encode("héllo"));
        assert_eq!(Encoding::Plain.decode(&utf16), "héllo");
        let mut utf8 = Encoding::Utf8Bom.preamble().to_vec();
        utf8.extend(Encoding::Utf8Bom.encode("x"));
        assert_eq!(Encoding::Plain.decode(&utf8), "x");
        assert_eq!(Encoding::Utf32Be.decode(&[0, 0, 0xFE, 0xFF, 0, 0, 0, b'a']), "a");
    }

    #[test]
    fn bytes_that_are_not_utf8_read_as_latin1() {
        assert_eq!(Encoding::Plain.decode(&[b'a', 0xE9]), "aé");
        assert_eq!(Encoding::Ascii.encode("é!"), b"?!".to_vec());
    }
}
