//! ENABLE (RFC 5161): CONDSTORE and QRESYNC (RFC 7162 3.1, 3.2.3; QRESYNC
//! implies CONDSTORE), UTF8=ACCEPT (RFC 6855 3) and IMAP4rev2 (RFC 9051
//! A; it brings UTF-8 mailbox names and strings too, `rev2`). The answer lists what this command turned on that
//! was not on before; anything else asked for is left alone, as RFC 5161
//! says.

use imap_codec::imap_types::extensions::enable::CapabilityEnable;

use super::Done;
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::capability;

pub fn run(s: &mut ImapSession, capabilities: &[CapabilityEnable]) -> Done {
    let mut now = Vec::new();
    let utf8_before = s.enabled.utf8;
    // UTF8=ACCEPT and IMAP4rev2 change how the session answers: under
    // Exchange 2013's list they are not advertised, so not enabled (RFC
    // 5161 3: a server ignores what it does not know). CONDSTORE and
    // QRESYNC still work there, as their commands do.
    let set = s.shared.ctx.settings.advertised_capabilities;
    for c in capabilities {
        let name = c.to_string().to_ascii_uppercase();
        if matches!(name.as_str(), "UTF8=ACCEPT" | "IMAP4REV2") && !capability::advertised(set, &name) {
            continue;
        }
        match name.as_str() {
            "CONDSTORE" if !s.enabled.condstore => {
                s.enabled.condstore = true;
                now.push("CONDSTORE");
            }
            "QRESYNC" if !s.enabled.qresync => {
                s.enabled.qresync = true;
                s.enabled.condstore = true;
                now.push("QRESYNC");
            }
            // Listed when UTF-8 was off before this command (IMAP4rev2
            // named first turns it on too).
            "UTF8=ACCEPT" if !utf8_before && !s.enabled.utf8_accept => {
                s.enabled.utf8 = true;
                s.enabled.utf8_accept = true;
                now.push("UTF8=ACCEPT");
            }
            "IMAP4REV2" if !s.enabled.rev2 => {
                s.enabled.rev2 = true;
                s.enabled.utf8 = true;
                now.push("IMAP4rev2");
            }
            _ => {}
        }
    }
    let mut line = String::from("ENABLED");
    for n in now {
        line.push(' ');
        line.push_str(n);
    }
    s.untagged(&line);
    Done::completed("ENABLE")
}
