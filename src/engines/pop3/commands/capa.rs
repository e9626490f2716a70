//! CAPA (RFC 2449): what the server can do at this point of the session.

use super::super::response::ok_lines;

pub struct CapaState {
    /// USER/PASS and AUTH PLAIN are allowed now (LoginType, TLS).
    pub plain_login: bool,
    /// STLS can be used now.
    pub stls: bool,
    /// The user is logged on (TRANSACTION state).
    pub transaction: bool,
}

pub fn capa(s: &CapaState) -> Vec<u8> {
    let mut lines: Vec<String> = vec!["TOP".into(), "UIDL".into()];
    if !s.transaction && s.plain_login {
        lines.push("SASL PLAIN".into());
        lines.push("USER".into());
    }
    if !s.transaction && s.stls {
        lines.push("STLS".into());
    }
    lines.push("PIPELINING".into());
    ok_lines("", &lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_tls_with_secure_login_only_stls_leads_to_login() {
        let text = capa(&CapaState { plain_login: false, stls: true, transaction: false });
        assert_eq!(text, b"+OK\r\nTOP\r\nUIDL\r\nSTLS\r\nPIPELINING\r\n.\r\n");
        let text = capa(&CapaState { plain_login: true, stls: false, transaction: false });
        assert_eq!(text, b"+OK\r\nTOP\r\nUIDL\r\nSASL PLAIN\r\nUSER\r\nPIPELINING\r\n.\r\n");
    }
}
