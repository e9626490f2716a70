//! LIST-EXTENDED (RFC 5258) and LIST-STATUS (RFC 5819): selection options
//! SUBSCRIBED, RECURSIVEMATCH, SPECIAL-USE (RFC 6154) and REMOTE (nothing is
//! remote), several patterns, and return options SUBSCRIBED, CHILDREN,
//! SPECIAL-USE and STATUS (a STATUS response after each selectable
//! folder's LIST response, every figure from one snapshot of the folder).

use super::list::matches;
use super::{Done, display_name, is_hidden};
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
    let Some(user) = &s.user else { return Done::completed("LIST") };
    let mbx = user.mailbox;
    let folders = match s.shared.db.run(move |db| db.folders(mbx)).await {
        Ok(f) => f,
        Err(e) => return Done::failed(&e),
    };
    let show_hidden = s.show_hidden();
    let visible: Vec<_> = folders.into_iter().filter(|f| show_hidden || !is_hidden(f)).collect();
    let reference = String::from_utf8_lossy(&reference).into_owned();
    let full: Vec<String> = patterns.iter().map(|p| format!("{reference}{}", String::from_utf8_lossy(p))).collect();
    if full.iter().all(String::is_empty) {
        s.untagged("LIST (\\Noselect) \"/\" \"\"");
        return Done::completed("LIST");
    }
    for f in &visible {
        let shown = display_name(f, s.enabled.utf8);
        if !full.iter().any(|p| matches(p, &shown)) {
            continue;
        }
        let prefix = format!("{}/", f.name);
        let below = |pick: &dyn Fn(&crate::store::mail::Folder) -> bool| {
            visible.iter().any(|c| c.name.starts_with(&prefix) && pick(c))
        };
        let selected_itself = (!subscribed_only || f.subscribed) && (!special_only || f.special_use.is_some());
        // RECURSIVEMATCH: a parent that is not selected itself but has a
        // selected child is listed with CHILDINFO.
        let childinfo = !selected_itself
            && recursive
            && below(&|c| (!subscribed_only || c.subscribed) && (!special_only || c.special_use.is_some()));
        if !selected_itself && !childinfo {
            continue;
        }
        let mut attrs = vec![if below(&|_| true) { "\\HasChildren" } else { "\\HasNoChildren" }];
        if (subscribed_only || returns.subscribed) && f.subscribed {
            attrs.push("\\Subscribed");
        }
        if let Some(special) = &f.special_use {
            attrs.push(special.as_str());
        }
        let mut line = format!("* LIST ({}) \"/\" ", attrs.join(" ")).into_bytes();
        out::mailbox(&mut line, &shown, s.enabled.utf8);
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
        if let Some(items) = &returns.status {
            let id = f.id;
            let status = match s.shared.db.run(move |db| db.folder_status(id)).await {
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
