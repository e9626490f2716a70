//! How one user's messages are served: calendar items, body format and
//! exact sizes, from the server's POP3 settings or the mailbox's own
//! (PopUseProtocolDefaults $false). The rendering itself is shared with
//! IMAP4 (src/engines/render); this is POP3's door to it.

use std::borrow::Cow;

use crate::engines::render::{CalendarMode, RenderOptions, Renderer};
use crate::store::owa::OwaVirtualDirectory;
use crate::store::{Mailbox, MimeTextFormat, ProtocolSettings};

pub struct Presenter {
    renderer: Renderer,
}

impl Presenter {
    pub fn for_user(settings: &ProtocolSettings, owa: &[OwaVirtualDirectory], mailbox: &Mailbox) -> Presenter {
        Presenter { renderer: Renderer::new(RenderOptions::resolve(settings, owa, &mailbox.cas.pop)) }
    }

    /// The bytes a client is served for a stored message.
    pub fn render<'a>(&self, raw: &'a [u8]) -> Cow<'a, [u8]> {
        self.renderer.render(raw)
    }

    /// True when LIST/STAT sizes must be counted on the served bytes rather
    /// than taken from the stored size (EnableExactRFC822Size).
    pub fn exact_sizes(&self) -> bool {
        self.renderer.options.exact_size
    }

    /// The renderer (sizes of rewritten messages are cached per its
    /// setting values).
    pub fn renderer(&self) -> &Renderer {
        &self.renderer
    }

    /// Can serving change a message at all? If not, stored sizes are exact
    /// and nothing needs counting.
    pub fn rewrites(&self) -> bool {
        let o = &self.renderer.options;
        !matches!(o.calendar, CalendarMode::ICalendar)
            || matches!(o.mime_format, MimeTextFormat::TextOnly | MimeTextFormat::HtmlOnly)
    }
}
