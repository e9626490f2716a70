//! ENABLE (RFC 5161): CONDSTORE and QRESYNC (RFC 7162 3.1, 3.2.3; QRESYNC
//! implies CONDSTORE). The answer lists what this command turned on that
//! was not on before; anything else asked for is left alone, as RFC 5161
//! says.

use imap_codec::imap_types::extensions::enable::CapabilityEnable;

use super::Done;
use crate::engines::imap::backend::session::ImapSession;

pub fn run(s: &mut ImapSession, capabilities: &[CapabilityEnable]) -> Done {
    let mut now = Vec::new();
    for c in capabilities {
        let name = c.to_string().to_ascii_uppercase();
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
