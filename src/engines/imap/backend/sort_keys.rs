//! The keys SORT and THREAD order messages by (RFC 5256, RFC 5957), read
//! from the header block stored at delivery: the base subject (2.1), the
//! sent date (2.2), the first address of From/To/Cc, display names, and
//! the Message-ID, References and In-Reply-To THREAD=REFERENCES links.

use crate::engines::mime::address;
use crate::engines::mime::headers::field_value;

/// What SORT and THREAD need of one message.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    pub seq: u32,
    pub uid: u32,
    pub size: u64,
    /// Unix seconds.
    pub arrival: i64,
    /// The Date header in UTC, or the arrival when it has none (2.2).
    pub sent: i64,
    /// Upper-cased base subject.
    pub subject: String,
    /// Whether the subject had Re:/Fwd: or (fwd) to strip (a reply, for
    /// THREAD's subject grouping).
    pub is_reply: bool,
    /// Upper-cased local part of the first address (SORT FROM, TO, CC).
    pub from: String,
    pub to: String,
    pub cc: String,
    /// Upper-cased display name of the first address, or its address when
    /// it has none (RFC 5957).
    pub display_from: String,
    pub display_to: String,
    pub message_id: Option<String>,
    /// Referenced ids, oldest first (References, else In-Reply-To's first).
    pub references: Vec<String>,
}

pub fn keys(seq: u32, uid: u32, size: u64, arrival: i64, header: &[u8]) -> Keys {
    let parsed = mail_parser::MessageParser::new().parse(header);
    let sent = parsed
        .as_ref()
        .and_then(|m| m.date())
        .map(|d| d.to_timestamp())
        .filter(|t| field_value(header, "date").is_some() && *t != 0)
        .unwrap_or(arrival);
    let raw_subject = parsed.as_ref().and_then(|m| m.subject()).map(str::to_string).unwrap_or_default();
    let (subject, is_reply) = base_subject(&raw_subject);
    let first = |name: &str| -> Option<address::Mailbox> {
        let v = field_value(header, name)?;
        address::parse_list(v.as_bytes()).into_iter().find_map(|i| i.mailbox().cloned())
    };
    let local = |m: &Option<address::Mailbox>| m.as_ref().map(|m| m.local.to_uppercase()).unwrap_or_default();
    let display = |m: &Option<address::Mailbox>| {
        m.as_ref()
            .map(|m| match &m.name {
                Some(n) if !n.trim().is_empty() => decode_words(n).to_uppercase(),
                _ => m.addr_spec().to_uppercase(),
            })
            .unwrap_or_default()
    };
    let (from, to, cc) = (first("from"), first("to"), first("cc"));
    let ids = |name: &str| -> Vec<String> { field_value(header, name).map(|v| message_ids(&v)).unwrap_or_default() };
    let mut references = ids("references");
    if references.is_empty() {
        references = ids("in-reply-to").into_iter().take(1).collect();
    }
    Keys {
        seq,
        uid,
        size,
        arrival,
        sent,
        subject,
        is_reply,
        from: local(&from),
        to: local(&to),
        cc: local(&cc),
        display_from: display(&from),
        display_to: display(&to),
        message_id: ids("message-id").into_iter().next(),
        references,
    }
}

/// `<a@b>` ids in order.
fn message_ids(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = v;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else { break };
        let id = rest[start..start + len + 1].replace(char::is_whitespace, "");
        if id.len() > 2 {
            out.push(id);
        }
        rest = &rest[start + len + 1..];
    }
    out
}

/// Encoded words (RFC 2047) decoded, through mail-parser.
fn decode_words(text: &str) -> String {
    let header = format!("Subject: {text}\r\n\r\n");
    mail_parser::MessageParser::new()
        .parse(header.as_bytes())
        .and_then(|m| m.subject().map(str::to_string))
        .unwrap_or_else(|| text.to_string())
}

/// RFC 5256 2.1: the subject without Re:, Fwd:, [blobs], (fwd) and
/// [fwd: ...], white space collapsed, upper-cased (i;ascii-casemap); and
/// whether anything of a reply or forward was removed.
pub fn base_subject(subject: &str) -> (String, bool) {
    let mut s: String = subject.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut reply = false;
    loop {
        // (3) trailing "(fwd)".
        loop {
            let t = s.trim_end();
            if t.len() >= 5 && t[t.len() - 5..].eq_ignore_ascii_case("(fwd)") {
                s = t[..t.len() - 5].trim_end().to_string();
                reply = true;
            } else {
                s = t.to_string();
                break;
            }
        }
        // (4) leading re:/fw:/fwd: with blobs, and leading blobs.
        loop {
            let before = s.clone();
            let t = s.trim_start();
            if let Some(rest) = strip_refwd(t) {
                s = rest.to_string();
                reply = true;
            } else if let Some(rest) = strip_blob(t).filter(|r| !r.trim().is_empty()) {
                s = rest.to_string();
            } else {
                s = t.to_string();
            }
            if s == before {
                break;
            }
        }
        // (5) [fwd: ...].
        let t = s.trim();
        if t.len() > 6 && t[..5].eq_ignore_ascii_case("[fwd:") && t.ends_with(']') {
            s = t[5..t.len() - 1].to_string();
            reply = true;
            continue;
        }
        break;
    }
    (s.trim().to_ascii_uppercase(), reply)
}

/// `re`, `fw` or `fwd`, blobs, then `:`.
fn strip_refwd(t: &str) -> Option<&str> {
    let lower = t.get(..3).map(str::to_ascii_lowercase).unwrap_or_default();
    let n = if lower.starts_with("re") {
        2
    } else if lower == "fwd" {
        3
    } else if lower.starts_with("fw") {
        2
    } else {
        return None;
    };
    let mut rest = t[n..].trim_start();
    while let Some(r) = strip_blob(rest) {
        rest = r;
    }
    rest.strip_prefix(':')
}

/// `[...]` and the white space after it.
fn strip_blob(t: &str) -> Option<&str> {
    let inner = t.strip_prefix('[')?;
    let end = inner.find([']', '['])?;
    if inner.as_bytes()[end] != b']' {
        return None;
    }
    Some(inner[end + 1..].trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_subjects_as_rfc_5256_extracts_them() {
        assert_eq!(base_subject("Re: [list] Fwd: hello   world (fwd)"), ("HELLO WORLD".into(), true));
        assert_eq!(base_subject("[Fwd: Re: x]"), ("X".into(), true));
        assert_eq!(base_subject("RE [2]: Budget"), ("BUDGET".into(), true));
        assert_eq!(base_subject("[only a blob]"), ("[ONLY A BLOB]".into(), false));
        assert_eq!(base_subject("Quarterly review"), ("QUARTERLY REVIEW".into(), false));
        assert_eq!(base_subject(""), (String::new(), false));
        assert_eq!(base_subject("Re: Re: ré"), ("Ré".to_ascii_uppercase(), true));
    }

    #[test]
    fn keys_from_a_header() {
        let h = b"From: \"Zed\" <alice@x.org>\r\nTo: bob@y.org\r\nSubject: =?utf-8?q?Re=3A_caf=C3=A9?=\r\nDate: Mon, 2 Nov 2026 10:00:00 +0100\r\nMessage-ID: <m1@x>\r\nIn-Reply-To: <m0@x> <other@x>\r\n\r\n";
        let k = keys(1, 7, 100, 5, h);
        assert_eq!((k.from.as_str(), k.to.as_str(), k.cc.as_str()), ("ALICE", "BOB", ""));
        assert_eq!((k.display_from.as_str(), k.display_to.as_str()), ("ZED", "BOB@Y.ORG"));
        assert_eq!(k.subject, "CAFé");
        assert!(k.is_reply);
        assert_eq!(k.sent, 1_793_610_000, "in UTC");
        assert_eq!(k.message_id.as_deref(), Some("<m1@x>"));
        assert_eq!(k.references, vec!["<m0@x>"]);
        assert_eq!(keys(1, 1, 1, 42, b"Subject: x\r\n\r\n").sent, 42, "no Date: the arrival");
    }
}
