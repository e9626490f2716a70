//! SORT and UID SORT (RFC 5256 3, with RFC 5957's DISPLAYFROM and
//! DISPLAYTO): SEARCH's hits (`backend::search_eval`, one snapshot) ordered
//! by the keys read from each message's stored header block; ties go by
//! sequence number. Charsets: US-ASCII and UTF-8 (what the keys are in);
//! any other is refused with BADCHARSET. With RETURN options (ESORT, RFC
//! 5267 3), the answer is an ESEARCH response.

use std::cmp::Ordering;

use imap_codec::imap_types::core::Charset;
use imap_codec::imap_types::extensions::sort::{SortCriterion, SortKey};
use imap_codec::imap_types::search::SearchKey;

use super::Done;
use crate::engines::imap::backend::sequence::compress;
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::backend::sort_keys::{Keys, keys};
use crate::engines::imap::texts;

/// US-ASCII or UTF-8 (RFC 5256: both MUST be supported).
pub fn known_charset(charset: &Charset) -> bool {
    let name = AsRef::<str>::as_ref(charset).to_ascii_uppercase();
    name == "UTF-8" || name == "US-ASCII"
}

pub const BAD_CHARSET: &str = "[BADCHARSET (US-ASCII UTF-8)] The charset is not supported.";

/// The keys of every hit of `criteria`, in sequence order.
pub async fn keyed_hits(s: &mut ImapSession, criteria: Vec<SearchKey<'static>>) -> Result<(Vec<Keys>, bool), Done> {
    let (hits, expunged) = super::search::hits(s, criteria, true).await.map_err(|e| Done::failed(&e))?;
    let keyed =
        hits.into_iter().map(|h| keys(h.seq, h.meta.uid, h.meta.size, h.meta.internal_date, &h.header)).collect();
    Ok((keyed, expunged))
}

pub async fn run(
    s: &mut ImapSession,
    criteria: &[SortCriterion],
    charset: &Charset<'_>,
    search: Vec<SearchKey<'static>>,
    uid: bool,
) -> Done {
    let hits = match sorted_hits(s, criteria, charset, search).await {
        Ok(hits) => hits,
        Err(done) => return done,
    };
    let mut line = String::from("SORT");
    for h in &hits {
        line.push(' ');
        line.push_str(&(if uid { h.uid } else { h.seq }).to_string());
    }
    s.untagged(&line);
    Done::completed(if uid { "UID SORT" } else { "SORT" })
}

/// ESORT (RFC 5267 3): SORT with RETURN options, answered by ESEARCH
/// "in the requested sort order": MIN and MAX are the first and last
/// messages of that order, ALL lists them in it (a range only where the
/// order ascends, 3.2: `5,4,3`, not `5:3`), COUNT as ESEARCH's; `RETURN
/// ()` is ALL. SAVE keeps the result for `$` (RFC 5182 1: "any command
/// based on SEARCH, e.g., SORT"), as a set: with MIN and/or MAX alone,
/// only those messages (RFC 9051 Table 4).
pub async fn run_returning(
    s: &mut ImapSession,
    tag: &str,
    criteria: &[SortCriterion],
    charset: &Charset<'_>,
    search: Vec<SearchKey<'static>>,
    uid: bool,
    returns: &[String],
) -> Done {
    let Some(mut wanted) = super::esearch::return_options(returns) else { return Done::bad(texts::ARGUMENT_ERROR) };
    let save = wanted.contains(&"SAVE");
    if wanted.iter().all(|w| *w == "SAVE") {
        wanted.push("ALL");
    }
    let hits = match sorted_hits(s, criteria, charset, search).await {
        Ok(hits) => hits,
        Err(done) => {
            // A SORT with SAVE that fails with NO empties `$`.
            if let (true, Some(sel)) = (save, s.selected.as_mut()) {
                sel.saved.clear();
            }
            return done;
        }
    };
    let name = if uid { "UID SORT" } else { "SORT" };
    if let (true, Some(sel)) = (save, s.selected.as_mut()) {
        // Table 4 on the sort order (MIN and MAX its ends), kept as a set.
        let sorted: Vec<u32> = hits.iter().map(|h| h.uid).collect();
        let mut kept = super::searchres::saved_value(&sorted, &wanted);
        kept.sort_unstable();
        kept.dedup();
        sel.saved = kept;
        if returns.len() == 1 {
            return Done::completed(name);
        }
    }
    let numbers: Vec<u32> = hits.iter().map(|h| if uid { h.uid } else { h.seq }).collect();
    let mut line = format!("ESEARCH (TAG \"{tag}\")");
    if uid {
        line.push_str(" UID");
    }
    if let (true, Some(n)) = (wanted.contains(&"MIN"), numbers.first()) {
        line.push_str(&format!(" MIN {n}"));
    }
    if let (true, Some(n)) = (wanted.contains(&"MAX"), numbers.last()) {
        line.push_str(&format!(" MAX {n}"));
    }
    if wanted.contains(&"ALL") && !numbers.is_empty() {
        line.push_str(&format!(" ALL {}", compress(&numbers)));
    }
    if wanted.contains(&"COUNT") {
        line.push_str(&format!(" COUNT {}", numbers.len()));
    }
    s.untagged(&line);
    Done::completed(name)
}

/// The hits of `search` in the order of `criteria` (ties by sequence
/// number).
async fn sorted_hits(
    s: &mut ImapSession,
    criteria: &[SortCriterion],
    charset: &Charset<'_>,
    search: Vec<SearchKey<'static>>,
) -> Result<Vec<Keys>, Done> {
    if !known_charset(charset) {
        return Err(Done::no(BAD_CHARSET));
    }
    let (mut hits, _) = keyed_hits(s, search).await?;
    hits.sort_by(|a, b| {
        for c in criteria {
            let o = compare(&c.key, a, b);
            let o = if c.reverse { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.seq.cmp(&b.seq)
    });
    Ok(hits)
}

fn compare(key: &SortKey, a: &Keys, b: &Keys) -> Ordering {
    match key {
        SortKey::Arrival => a.arrival.cmp(&b.arrival),
        SortKey::Cc => a.cc.cmp(&b.cc),
        SortKey::Date => a.sent.cmp(&b.sent),
        SortKey::From => a.from.cmp(&b.from),
        SortKey::Size => a.size.cmp(&b.size),
        SortKey::Subject => a.subject.cmp(&b.subject),
        SortKey::To => a.to.cmp(&b.to),
        SortKey::DisplayFrom => a.display_from.cmp(&b.display_from),
        SortKey::DisplayTo => a.display_to.cmp(&b.display_to),
    }
}
