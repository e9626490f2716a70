//! The render settings that apply to one user: the server's
//! (Set-ImapSettings / Set-PopSettings) unless the mailbox says
//! UseProtocolDefaults $false, then its own overrides (Set-CASMailbox).

use crate::store::owa::OwaVirtualDirectory;
use crate::store::{CalendarItemRetrievalOption, MimeTextFormat, ProtocolOverrides, ProtocolSettings};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarMode {
    /// text/calendar parts served as they are.
    ICalendar,
    /// text/calendar parts replaced by a link under this OWA URL.
    Link { base_url: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    pub calendar: CalendarMode,
    pub mime_format: MimeTextFormat,
    pub exact_size: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            calendar: CalendarMode::ICalendar,
            mime_format: MimeTextFormat::BestBodyFormat,
            exact_size: false,
        }
    }
}

impl RenderOptions {
    pub fn resolve(
        settings: &ProtocolSettings,
        owa: &[OwaVirtualDirectory],
        user: &ProtocolOverrides,
    ) -> RenderOptions {
        let own = !user.use_protocol_defaults;
        let calendar = if own && user.force_ical {
            CalendarMode::ICalendar
        } else {
            let url = match settings.calendar_item_retrieval_option {
                CalendarItemRetrievalOption::ICalendar => None,
                CalendarItemRetrievalOption::IntranetUrl => owa.iter().find_map(|d| d.internal_url.clone()),
                CalendarItemRetrievalOption::InternetUrl => owa.iter().find_map(|d| d.external_url.clone()),
                CalendarItemRetrievalOption::Custom => settings.owa_server_url.clone(),
            };
            match url.filter(|u| !u.trim().is_empty()) {
                Some(u) => CalendarMode::Link { base_url: u.trim_end_matches('/').to_string() },
                None => {
                    if settings.calendar_item_retrieval_option != CalendarItemRetrievalOption::ICalendar {
                        // Exchange logs an event and falls back on iCalendar.
                        eprintln!(
                            "mailsh: CalendarItemRetrievalOption {} has no URL to link to; serving iCalendar",
                            settings.calendar_item_retrieval_option.name()
                        );
                    }
                    CalendarMode::ICalendar
                }
            }
        };
        RenderOptions {
            calendar,
            mime_format: if own { user.mime_format } else { settings.message_retrieval_mime_format },
            exact_size: if own { user.exact_size } else { settings.enable_exact_rfc822_size },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Protocol;

    fn owa() -> Vec<OwaVirtualDirectory> {
        vec![OwaVirtualDirectory {
            name: "owa (Default Web Site)".into(),
            internal_url: Some("https://cas01.contoso.com/owa".into()),
            external_url: None,
            changed: 0,
        }]
    }

    #[test]
    fn settings_then_user_overrides() {
        let mut s = ProtocolSettings::defaults(Protocol::Imap4, "cas01.contoso.com", "/tmp");
        let user = ProtocolOverrides::default();
        assert_eq!(RenderOptions::resolve(&s, &owa(), &user).calendar, CalendarMode::ICalendar);
        s.calendar_item_retrieval_option = CalendarItemRetrievalOption::IntranetUrl;
        assert_eq!(
            RenderOptions::resolve(&s, &owa(), &user).calendar,
            CalendarMode::Link { base_url: "https://cas01.contoso.com/owa".into() }
        );
        s.calendar_item_retrieval_option = CalendarItemRetrievalOption::InternetUrl;
        assert_eq!(RenderOptions::resolve(&s, &owa(), &user).calendar, CalendarMode::ICalendar, "no ExternalUrl");
        s.calendar_item_retrieval_option = CalendarItemRetrievalOption::IntranetUrl;
        let forced = ProtocolOverrides {
            use_protocol_defaults: false,
            force_ical: true,
            exact_size: true,
            ..Default::default()
        };
        let o = RenderOptions::resolve(&s, &owa(), &forced);
        assert_eq!((o.calendar, o.exact_size), (CalendarMode::ICalendar, true));
        let ignored = ProtocolOverrides { use_protocol_defaults: true, force_ical: true, ..Default::default() };
        assert!(matches!(RenderOptions::resolve(&s, &owa(), &ignored).calendar, CalendarMode::Link { .. }));
    }
}
