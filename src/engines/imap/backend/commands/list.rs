//! LIST and LSUB (RFC 3501 6.3.8-9) with CHILDREN (RFC 3348) and
//! SPECIAL-USE (RFC 6154) attributes. `/` separates levels. LSUB lists the
//! subscribed folders that match, and with a `%` pattern also an
//! unsubscribed folder that matches when something below it is subscribed,
//! as `\Noselect` (RFC 3501 6.3.9: `foo/bar` subscribed, `foo` not, `%`
//! gives `foo`).

use imap_codec::imap_types::mailbox::{ListMailbox, Mailbox};

use super::{Done, display_name, is_hidden};
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::wire::out;
use crate::store::mail::Folder;

pub async fn run(s: &mut ImapSession, reference: Mailbox<'static>, pattern: ListMailbox<'static>, lsub: bool) -> Done {
    let name = if lsub { "LSUB" } else { "LIST" };
    let pattern: String = match &pattern {
        ListMailbox::Token(t) => String::from_utf8_lossy(t.as_ref()).into_owned(),
        ListMailbox::String(t) => String::from_utf8_lossy(t.as_ref()).into_owned(),
    };
    // The reference as sent (modified UTF-7, like the names it is matched
    // against), trailing separator kept: `par/` and `%` mean `par/%`.
    let reference = match &reference {
        Mailbox::Inbox => "INBOX".to_string(),
        Mailbox::Other(other) => String::from_utf8_lossy(other.as_ref()).into_owned(),
    };
    if pattern.is_empty() && !lsub {
        // The hierarchy delimiter query.
        s.untagged("LIST (\\Noselect) \"/\" \"\"");
        return Done::completed(name);
    }
    let full = format!("{reference}{pattern}");
    let Some(user) = &s.user else { return Done::completed(name) };
    let mbx = user.mailbox;
    let folders = match s.shared.db.run(move |db| db.folders(mbx)).await {
        Ok(f) => f,
        Err(e) => return Done::failed(&e),
    };
    let show_hidden = s.show_hidden();
    let visible: Vec<_> = folders.iter().filter(|f| show_hidden || !is_hidden(f)).collect();
    for f in &visible {
        let shown = display_name(f, s.enabled.utf8);
        if !matches(&full, &shown) {
            continue;
        }
        let prefix = format!("{}/", f.name);
        let subscribed_below = || visible.iter().any(|c| c.subscribed && c.name.starts_with(&prefix));
        let no_select = lsub && !f.subscribed;
        if no_select && !(full.contains('%') && subscribed_below()) {
            continue;
        }
        let attrs = attributes(f, &visible, no_select);
        let mut line = format!("* {name} ({}) \"/\" ", attrs.join(" ")).into_bytes();
        out::mailbox(&mut line, &shown, s.enabled.utf8);
        line.extend_from_slice(b"\r\n");
        s.out.extend_from_slice(&line);
    }
    Done::completed(name)
}

/// A folder's LIST attributes: `\Noselect` (LSUB's parent), children,
/// special use.
pub fn attributes<'a>(f: &'a Folder, visible: &[&Folder], no_select: bool) -> Vec<&'a str> {
    let prefix = format!("{}/", f.name);
    let has_children = visible.iter().any(|c| c.name.starts_with(&prefix));
    let mut attrs = if no_select { vec!["\\Noselect"] } else { vec![] };
    attrs.push(if has_children { "\\HasChildren" } else { "\\HasNoChildren" });
    if let Some(special) = &f.special_use {
        attrs.push(special.as_str());
    }
    attrs
}

/// IMAP wildcards: `*` matches anything, `%` anything but the separator.
/// INBOX matches without regard to case.
pub fn matches(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some((b'*', rest)) => (0..=n.len()).any(|i| go(rest, &n[i..])),
            Some((b'%', rest)) => (0..=n.len()).take_while(|i| *i == 0 || n[i - 1] != b'/').any(|i| go(rest, &n[i..])),
            Some((c, rest)) => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    let norm = |s: &str| -> String {
        let b = s.as_bytes();
        if b.len() >= 5 && b[..5].eq_ignore_ascii_case(b"INBOX") && (b.len() == 5 || b[5] == b'/') {
            // The first five bytes are ASCII, so 5 is a character boundary.
            format!("INBOX{}", s.get(5..).unwrap_or(""))
        } else {
            s.to_string()
        }
    };
    go(norm(pattern).as_bytes(), norm(name).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn wildcards() {
        assert!(matches("*", "Sent Items"));
        assert!(matches("%", "Drafts"));
        assert!(!matches("%", "Work/2026"));
        assert!(matches("Work/%", "Work/2026"));
        assert!(matches("inbox", "INBOX"));
        assert!(matches("INBOX*", "INBOX/Receipts"));
        assert!(!matches("Dr", "Drafts"));
        assert!(!matches("ééé*", "INBOX"), "multi-byte patterns do not panic");
    }
}
