//! SORT and UID SORT (RFC 5256 3, with RFC 5957's DISPLAYFROM and
//! DISPLAYTO): SEARCH's hits (`backend::search_eval`, one snapshot) ordered
//! by the keys read from each message's stored header block; ties go by
//! sequence number. Charsets: US-ASCII and UTF-8 (what the keys are in);
//! any other is refused with BADCHARSET.

use std::cmp::Ordering;

use imap_codec::imap_types::core::Charset;
use imap_codec::imap_types::extensions::sort::{SortCriterion, SortKey};
use imap_codec::imap_types::search::SearchKey;

use super::Done;
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::backend::sort_keys::{Keys, keys};

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
    if !known_charset(charset) {
        return Done::no(BAD_CHARSET);
    }
    let (mut hits, _) = match keyed_hits(s, search).await {
        Ok(x) => x,
        Err(done) => return done,
    };
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
    let mut line = String::from("SORT");
    for h in &hits {
        line.push(' ');
        line.push_str(&(if uid { h.uid } else { h.seq }).to_string());
    }
    s.untagged(&line);
    Done::completed(if uid { "UID SORT" } else { "SORT" })
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
