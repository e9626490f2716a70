//! SASL PLAIN (RFC 4616), the one mechanism both protocols take: what a
//! client sends to log on (IMAP AUTHENTICATE, POP3 AUTH) and what a front
//! end sends its back end with the client's credentials. Each protocol
//! reads the response its own way; the bytes mean the same.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// `authzid NUL authcid NUL password`, already base64-decoded. Acting for
/// another user is not supported, so an authzid must be empty or the same
/// user.
pub fn decode_plain(bytes: &[u8]) -> Option<(String, String)> {
    let mut parts = bytes.split(|&b| b == 0);
    let authz = parts.next()?;
    let user = std::str::from_utf8(parts.next()?).ok()?;
    let password = std::str::from_utf8(parts.next()?).ok()?;
    if parts.next().is_some() || user.is_empty() {
        return None;
    }
    if !authz.is_empty() && !authz.eq_ignore_ascii_case(user.as_bytes()) {
        return None;
    }
    Some((user.to_string(), password.to_string()))
}

/// The base64 initial response a front end logs on to its back end with.
pub fn encode_plain(user: &str, password: &str) -> String {
    let mut raw = Vec::with_capacity(user.len() + password.len() + 2);
    raw.push(0);
    raw.extend_from_slice(user.as_bytes());
    raw.push(0);
    raw.extend_from_slice(password.as_bytes());
    STANDARD.encode(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_round_trips_and_rejects_impersonation() {
        let b64 = encode_plain("bob@contoso.com", "p w");
        let bytes = STANDARD.decode(b64).expect("our own base64");
        assert_eq!(decode_plain(&bytes), Some(("bob@contoso.com".into(), "p w".into())));
        assert_eq!(decode_plain(b"alice\0bob\0pw"), None);
        assert_eq!(decode_plain(b"eve\0bob\0pw"), None);
        assert_eq!(decode_plain(b"bob\0bob\0pw"), Some(("bob".into(), "pw".into())));
        assert_eq!(decode_plain(b"\0\0pw"), None);
        assert_eq!(decode_plain(b"nonul"), None);
        assert_eq!(decode_plain(b"\0bob\0pw\0more"), None);
    }
}
