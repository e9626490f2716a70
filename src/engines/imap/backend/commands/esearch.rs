//! ESEARCH (RFC 4731): SEARCH and UID SEARCH with RETURN (MIN MAX ALL
//! COUNT), answered by one `* ESEARCH (TAG "t") [UID] ...` response;
//! `RETURN ()` is ALL. The hits are SEARCH's (one snapshot). SAVE
//! (SEARCHRES) is not implemented and refused.

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
) -> Done {
    let mut wanted: Vec<&str> = Vec::new();
    for r in returns {
        match r.as_str() {
            "MIN" | "MAX" | "ALL" | "COUNT" => wanted.push(r.as_str()),
            _ => return Done::bad(texts::ARGUMENT_ERROR),
        }
    }
    if wanted.is_empty() {
        wanted.push("ALL");
    }
    let modseq = criteria.iter().any(uses_modseq);
    let (hits, expunged_elsewhere) = match super::search::hits(s, criteria, false).await {
        Ok(x) => x,
        Err(e) => return Done::failed(&e),
    };
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
    if expunged_elsewhere && !uid {
        return Done::ok("[EXPUNGEISSUED] SEARCH completed.");
    }
    Done::completed("SEARCH")
}
