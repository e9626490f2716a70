//! EHLO and HELO: the greeting back, and for EHLO the extensions this
//! connector offers.

use super::super::session::{Next, Session};

pub fn ehlo(s: &mut Session, host: String) -> Next {
    s.helo = Some(host);
    s.envelope = None;
    let mut lines = vec![format!("{} Hello [{}]", s.connector.fqdn, s.peer.ip())];
    lines.push(format!("SIZE {}", s.connector.max_message_size));
    lines.push("PIPELINING".into());
    lines.push("DSN".into());
    lines.push("ENHANCEDSTATUSCODES".into());
    if !s.is_tls() && s.connector.has_auth("Tls") {
        lines.push("STARTTLS".into());
    }
    if let Some(mechanisms) = super::auth::offered(s) {
        lines.push(format!("AUTH {mechanisms}"));
    }
    lines.push("8BITMIME".into());
    lines.push("SMTPUTF8".into());
    lines.push("CHUNKING".into());
    let last = lines.len() - 1;
    for (i, line) in lines.iter().enumerate() {
        let sep = if i == last { ' ' } else { '-' };
        s.reply(&format!("250{sep}{line}"));
    }
    Next::Continue
}

pub fn helo(s: &mut Session, host: String) -> Next {
    s.helo = Some(host);
    s.envelope = None;
    let line = format!("250 {} Hello [{}]", s.connector.fqdn, s.peer.ip());
    s.reply(&line);
    Next::Continue
}
