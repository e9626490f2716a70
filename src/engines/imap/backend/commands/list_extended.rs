//! LIST-EXTENDED (RFC 5258) and LIST-STATUS (RFC 5819): selection options
//! SUBSCRIBED, RECURSIVEMATCH, SPECIAL-USE (RFC 6154) and REMOTE (nothing is
//! remote), several patterns, and return options SUBSCRIBED, CHILDREN,
//! SPECIAL-USE and STATUS (a STATUS response after each selectable
//! folder's LIST response, every figure from one snapshot of the folder).
//! With SUBSCRIBED, a subscribed name without a folder is listed
//! `\NonExistent` (RFC 5258 3.1, RFC 9051 7.3.1), and with RECURSIVEMATCH
//! so is a level above one that has no folder (RFC 9051 6.3.9.6, table 3).

use super::list::{name_matches, pattern_text};
use super::{Done, display_path};
use crate::engines::imap::backend::mailbox_names::{Entry, MailboxNames, below};
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::texts;
use crate::engines::imap::wire::ext::ListReturns;
use crate::engines::imap::wire::out;

pub async fn run(
    s: &mut ImapSession,
    selection: &[String],
    reference: Vec<u8>,
    patterns: Vec<Vec<u8>>,
    returns: ListReturns,
) -> Done {
    for opt in selection {
        if !matches!(opt.as_str(), "SUBSCRIBED" | "REMOTE" | "RECURSIVEMATCH" | "SPECIAL-USE") {
            return Done::bad(texts::ARGUMENT_ERROR);
        }
    }
    let has = |o: &str| selection.iter().any(|s| s == o);
    let (subscribed_only, special_only, recursive) = (has("SUBSCRIBED"), has("SPECIAL-USE"), has("RECURSIVEMATCH"));
    // RFC 5258 3: RECURSIVEMATCH needs another selection option.
    if recursive && !subscribed_only && !special_only {
        return Done::bad(texts::ARGUMENT_ERROR);
    }
    let names = match MailboxNames::load(s).await {
        Ok(n) => n,
        Err(e) => return Done::failed(&e),
    };
    let utf8 = s.enabled.utf8;
    let reference = pattern_text(&reference, utf8);
    let full: Vec<String> = patterns.iter().map(|p| format!("{reference}{}", pattern_text(p, utf8))).collect();
    if full.iter().all(String::is_empty) {
        s.untagged("LIST (\\Noselect) \"/\" \"\"");
        return Done::completed("LIST");
    }
    // Names without a folder are listed only when subscriptions are what
    // is listed (RFC 5258 3.1: LIST itself lists existing mailboxes).
    let entries: Vec<Entry> = names
        .entries(subscribed_only && recursive)
        .into_iter()
        .filter(|e| subscribed_only || e.folder.is_some())
        .collect();
    // Each name is put in NFC once, not once per name above it.
    let matched: Vec<bool> = entries.iter().map(|e| full.iter().any(|p| name_matches(p, e.name))).collect();
    let selected = |e: &Entry| {
        (!subscribed_only || e.subscribed) && (!special_only || e.folder.is_some_and(|f| f.special_use.is_some()))
    };
    for (e, _) in entries.iter().zip(&matched).filter(|(_, m)| **m) {
        let selected_itself = selected(e);
        // RECURSIVEMATCH (RFC 5258 3.5, 4 rule 2B): a name with a selected
        // name below that the patterns do not match carries CHILDINFO, and is
        // listed for it even when not selected itself; CHILDINFO that says
        // only what the other lines show is left out.
        let childinfo = recursive && below(&entries, e.name).any(|(i, c)| selected(c) && !matched[i]);
        if !selected_itself && !childinfo {
            continue;
        }
        let mut attrs = vec![if names.has_children(e.name) { "\\HasChildren" } else { "\\HasNoChildren" }];
        if (subscribed_only || returns.subscribed) && e.subscribed {
            attrs.push("\\Subscribed");
        }
        if let Some(special) = e.folder.and_then(|f| f.special_use.as_deref()) {
            attrs.push(special);
        }
        if e.folder.is_none() {
            attrs.push("\\NonExistent");
        }
        let shown = display_path(e.name, utf8);
        let mut line = format!("* LIST ({}) \"/\" ", attrs.join(" ")).into_bytes();
        out::mailbox(&mut line, &shown, utf8);
        if childinfo {
            let why: Vec<&str> = [("SUBSCRIBED", subscribed_only), ("SPECIAL-USE", special_only)]
                .iter()
                .filter(|w| w.1)
                .map(|w| w.0)
                .collect();
            let quoted: Vec<String> = why.iter().map(|w| format!("\"{w}\"")).collect();
            line.extend_from_slice(format!(" (\"CHILDINFO\" ({}))", quoted.join(" ")).as_bytes());
        }
        line.extend_from_slice(b"\r\n");
        s.out.extend_from_slice(&line);
        // STATUS only for a selectable name that meets the selection
        // itself (RFC 5819 / RFC 9051 6.3.9.2, example 11).
        let Some(f) = e.folder.filter(|_| selected_itself) else { continue };
        if let Some(items) = &returns.status {
            let id = f.id;
            let status = match s.home.pool.run(move |db| db.folder_status(id)).await {
                Ok(st) => st,
                Err(e) => return Done::failed(&e),
            };
            // An item LIST-STATUS cannot serve is left out of the line.
            let parts: Vec<String> = items.iter().filter_map(|i| super::status::status_item(i, &status)).collect();
            let mut line = b"* STATUS ".to_vec();
            out::mailbox(&mut line, &shown, s.enabled.utf8);
            line.extend_from_slice(format!(" ({})\r\n", parts.join(" ")).as_bytes());
            s.out.extend_from_slice(&line);
        }
    }
    Done::completed("LIST")
}
