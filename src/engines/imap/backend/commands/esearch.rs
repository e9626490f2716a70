//! ESEARCH (RFC 4731): SEARCH and UID SEARCH with RETURN (MIN MAX ALL
//! COUNT), answered by one `* ESEARCH (TAG "t") [UID] ...` response;
//! `RETURN ()` is ALL. The hits are SEARCH's (one snapshot). SAVE keeps
//! the result for `$` (`searchres`); alone, it suppresses the ESEARCH
//! response (RFC 9051 6.4.4). Under IMAP4rev2 a plain SEARCH is answered
//! here too, as RETURN (ALL) (RFC 9051 6.4.4, Appendix E item 4).

use imap_codec::imap_types::search::SearchKey;

use super::Done;
use crate::engines::imap::backend::search_eval::uses_modseq;
use crate::engines::imap::backend::sequence::compress;
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::texts;

pub async fn run(
    s: &mut ImapSession,
    tag: &str,
    criteria: Vec<SearchKey<'static>>,
    uid: bool,
    returns: &[String],
    charset_known: bool,
) -> Done {
    let Some(mut wanted) = return_options(returns) else { return Done::bad(texts::ARGUMENT_ERROR) };
    let save = wanted.contains(&"SAVE");
    if wanted.is_empty() {
        wanted.push("ALL");
    }
    let modseq = criteria.iter().any(uses_modseq);
    let found = if charset_known { super::search::hits(s, criteria, false).await.map_err(Some) } else { Err(None) };
    let (hits, expunged_elsewhere) = match found {
        Ok(x) => x,
        Err(e) => {
            // A SEARCH with SAVE that fails with NO empties `$`.
            if let (true, Some(sel)) = (save, s.selected.as_mut()) {
                sel.saved.clear();
            }
            return e.map_or_else(|| Done::no(super::sort::BAD_CHARSET), |e| Done::failed(&e));
        }
    };
    if let (true, Some(sel)) = (save, s.selected.as_mut()) {
        let uids: Vec<u32> = hits.iter().map(|h| h.meta.uid).collect();
        sel.saved = super::searchres::saved_value(&uids, &wanted);
        if wanted.len() == 1 {
            return finished(uid, expunged_elsewhere);
        }
    }
    let numbers: Vec<u32> = hits.iter().map(|h| if uid { h.meta.uid } else { h.seq }).collect();
    let mut line = format!("ESEARCH (TAG \"{tag}\")");
    if uid {
        line.push_str(" UID");
    }
    for w in ["MIN", "MAX", "ALL", "COUNT"] {
        if !wanted.contains(&w) {
            continue;
        }
        match w {
            "MIN" => {
                if let Some(n) = numbers.first() {
                    line.push_str(&format!(" MIN {n}"));
                }
            }
            "MAX" => {
                if let Some(n) = numbers.last() {
                    line.push_str(&format!(" MAX {n}"));
                }
            }
            "ALL" => {
                if !numbers.is_empty() {
                    line.push_str(&format!(" ALL {}", compress(&numbers)));
                }
            }
            _ => line.push_str(&format!(" COUNT {}", numbers.len())),
        }
    }
    if let Some(top) = hits.iter().map(|h| h.meta.modseq).max().filter(|_| modseq) {
        line.push_str(&format!(" MODSEQ {top}"));
    }
    s.untagged(&line);
    finished(uid, expunged_elsewhere)
}

/// The RETURN options of SEARCH (RFC 4731 3.1, RFC 9051 6.4.4) and SORT
/// (RFC 5267 3.1); None when one is not served.
pub fn return_options(returns: &[String]) -> Option<Vec<&str>> {
    returns
        .iter()
        .map(|r| matches!(r.as_str(), "MIN" | "MAX" | "ALL" | "COUNT" | "SAVE").then_some(r.as_str()))
        .collect()
}

fn finished(uid: bool, expunged_elsewhere: bool) -> Done {
    if expunged_elsewhere && !uid {
        return Done::ok("[EXPUNGEISSUED] SEARCH completed.");
    }
    Done::completed("SEARCH")
}
