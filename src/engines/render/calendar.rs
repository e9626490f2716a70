//! The text that replaces an iCalendar part when calendar items are served
//! as links to Outlook Web App.

use crate::engines::mime::headers::field_value;

pub fn mentions_calendar(raw: &[u8]) -> bool {
    super::contains_ci(raw, b"text/calendar")
}

/// The iCalendar UID of the item, which names it in the link.
fn ical_uid(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    text.lines().find_map(|l| l.strip_prefix("UID:").map(|u| u.trim().to_string())).filter(|u| !u.is_empty())
}

/// A text/plain part (header and body) linking to the item in OWA.
pub fn link_part(base_url: &str, part_header: &[u8], body: &[u8]) -> Vec<u8> {
    let id = ical_uid(body).unwrap_or_default();
    let method = field_value(part_header, "content-type")
        .and_then(|ct| {
            ct.to_ascii_lowercase().split(';').find_map(|p| p.trim().strip_prefix("method=").map(str::to_string))
        })
        .unwrap_or_default();
    let what =
        if method.trim_matches('"').eq_ignore_ascii_case("request") { "meeting request" } else { "calendar item" };
    let url = format!("{base_url}/?ae=Item&t=IPM.Appointment&id={}", percent(&id));
    format!(
        "Content-Type: text/plain; charset=\"us-ascii\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n\
         This {what} can be opened in Outlook Web App:\r\n{url}\r\n"
    )
    .into_bytes()
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~@".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
