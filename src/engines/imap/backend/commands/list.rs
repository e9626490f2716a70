//! LIST and LSUB (RFC 3501 6.3.8-9) with CHILDREN (RFC 3348) and
//! SPECIAL-USE (RFC 6154) attributes. `/` separates levels. LSUB lists the
//! subscribed names that match, those without a folder as `\Noselect`, and
//! with a `%` pattern also an unsubscribed name that matches when
//! something below it is subscribed, as `\Noselect` (RFC 3501 6.3.9:
//! `foo/bar` subscribed, `foo` not, `%` gives `foo`).

use imap_codec::imap_types::mailbox::{ListMailbox, Mailbox};
use unicode_normalization::UnicodeNormalization;

use super::{Done, display_name, display_path};
use crate::engines::imap::backend::mailbox_names::MailboxNames;
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::wire::{out, utf7};
use crate::store::mail::Folder;

pub async fn run(s: &mut ImapSession, reference: Mailbox<'static>, pattern: ListMailbox<'static>, lsub: bool) -> Done {
    let name = if lsub { "LSUB" } else { "LIST" };
    let pattern: &[u8] = match &pattern {
        ListMailbox::Token(t) => t.as_ref(),
        ListMailbox::String(t) => t.as_ref(),
    };
    let utf8 = s.enabled.utf8;
    // The reference's trailing separator is kept: `par/` and `%` mean `par/%`.
    let reference = match &reference {
        Mailbox::Inbox => "INBOX".to_string(),
        Mailbox::Other(other) => pattern_text(other.as_ref(), utf8),
    };
    let pattern = pattern_text(pattern, utf8);
    if pattern.is_empty() && !lsub {
        // The hierarchy delimiter query.
        s.untagged("LIST (\\Noselect) \"/\" \"\"");
        return Done::completed(name);
    }
    let full = format!("{reference}{pattern}");
    let names = match MailboxNames::load(s).await {
        Ok(n) => n,
        Err(e) => return Done::failed(&e),
    };
    if lsub {
        lsub_lines(s, &names, &full);
        return Done::completed(name);
    }
    let visible: Vec<&Folder> = names.folders().iter().collect();
    for f in &visible {
        if !name_matches(&full, &f.name) {
            continue;
        }
        let shown = display_name(f, utf8);
        let attrs = attributes(f, &visible);
        let mut line = format!("* LIST ({}) \"/\" ", attrs.join(" ")).into_bytes();
        out::mailbox(&mut line, &shown, utf8);
        line.extend_from_slice(b"\r\n");
        s.out.extend_from_slice(&line);
    }
    Done::completed(name)
}

/// LSUB's lines: each subscribed name that matches, `\Noselect` when no
/// folder has it; with a `%` pattern, an unsubscribed name (folder or not)
/// with something subscribed below it, `\Noselect` (RFC 3501 6.3.9).
fn lsub_lines(s: &mut ImapSession, names: &MailboxNames, full: &str) {
    let utf8 = s.enabled.utf8;
    let parents = full.contains('%');
    for e in names.entries(parents) {
        if !name_matches(full, e.name) {
            continue;
        }
        let shown = display_path(e.name, utf8);
        let listed = e.subscribed || (parents && names.subscribed_below(e.name));
        if !listed {
            continue;
        }
        let mut attrs = vec![];
        if !e.subscribed || e.folder.is_none() {
            attrs.push("\\Noselect");
        }
        attrs.push(if names.has_children(e.name) { "\\HasChildren" } else { "\\HasNoChildren" });
        if let Some(special) = e.folder.and_then(|f| f.special_use.as_deref()) {
            attrs.push(special);
        }
        let mut line = format!("* LSUB ({}) \"/\" ", attrs.join(" ")).into_bytes();
        out::mailbox(&mut line, &shown, utf8);
        line.extend_from_slice(b"\r\n");
        s.out.extend_from_slice(&line);
    }
}

/// A folder's LIST attributes: children, special use.
pub fn attributes<'a>(f: &'a Folder, visible: &[&Folder]) -> Vec<&'a str> {
    let prefix = format!("{}/", f.name);
    let has_children = visible.iter().any(|c| c.name.starts_with(&prefix));
    let mut attrs = vec![if has_children { "\\HasChildren" } else { "\\HasNoChildren" }];
    if let Some(special) = &f.special_use {
        attrs.push(special.as_str());
    }
    attrs
}

/// A LIST or LSUB pattern (or reference) as names are matched against it:
/// decoded from modified UTF-7 (taken as UTF-8 once the session enabled
/// UTF8=ACCEPT or IMAP4rev2) and put in NFC, as mailbox names are (RFC 9051
/// 5.1), so a pattern sent decomposed matches the NFC name. Text that is
/// not modified UTF-7 is matched as sent.
pub fn pattern_text(raw: &[u8], utf8: bool) -> String {
    let text = String::from_utf8_lossy(raw);
    let decoded = if utf8 { text.into_owned() } else { utf7::decode(&text).unwrap_or_else(|| text.into_owned()) };
    decoded.nfc().collect()
}

/// Whether the stored name `name` matches `pattern` (from
/// [`pattern_text`]): both compared as Unicode in NFC, so a folder stored
/// decomposed before names were put in NFC matches too.
pub fn name_matches(pattern: &str, name: &str) -> bool {
    let name: String = display_path(name, true).nfc().collect();
    matches(pattern, &name)
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
