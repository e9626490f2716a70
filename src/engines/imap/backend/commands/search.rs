//! SEARCH and UID SEARCH (RFC 3501 6.4.4), evaluated on the blocking pool
//! over the session's view of the folder, in one snapshot of the database.
//! HEADER, SUBJECT, BODY and TEXT compare without case on the stored bytes,
//! every occurrence of a header field counting; FROM, TO, CC and BCC also
//! match the addresses as parsed (comments and groups removed), so
//! `user@domain` finds `<user (comment)@ (comment) domain>`. A message the
//! session still numbers but another session expunged matches nothing
//! (RFC 2180 4.3), and SEARCH by sequence numbers then ends
//! `OK [EXPUNGEISSUED]` (RFC 9051 7.1) so the client knows to NOOP.

use chrono::Datelike;
use imap_codec::imap_types::search::SearchKey;
use imap_codec::imap_types::sequence::{SeqOrUid, Sequence, SequenceSet};

use super::Done;
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::mime::address;
use crate::engines::mime::headers::{field_values, header_end};
use crate::store::mail::{MessageMeta, flag};

struct Msg<'a> {
    seq: u32,
    meta: &'a MessageMeta,
    raw: Option<&'a [u8]>,
    count: u32,
    max_uid: u32,
    recent: bool,
}

pub async fn run(s: &mut ImapSession, criteria: Vec<SearchKey<'static>>, uid: bool) -> Done {
    let Some(sel) = &s.selected else { return Done::completed("SEARCH") };
    let folder = sel.folder.id;
    let view = sel.uids.clone();
    let recent = sel.recent.clone();
    let needs_raw = criteria.iter().any(needs_raw);
    let result = s
        .shared
        .db
        .run(move |db| {
            let count = view.len() as u32;
            let max_uid = view.last().copied().unwrap_or(0);
            let mut hits = Vec::new();
            let mut present = 0;
            db.snapshot(|db| {
                db.each_message(folder, needs_raw, |stored| {
                    let Ok(i) = view.binary_search(&stored.meta.uid) else { return Ok(()) };
                    present += 1;
                    let meta = &stored.meta;
                    let is_recent = recent.binary_search(&meta.uid).is_ok();
                    let m =
                        Msg { seq: i as u32 + 1, meta, raw: stored.raw.as_deref(), count, max_uid, recent: is_recent };
                    if criteria.iter().all(|k| matches(k, &m)) {
                        hits.push(if uid { meta.uid } else { m.seq });
                    }
                    Ok(())
                })
            })?;
            Ok((hits, present < view.len()))
        })
        .await;
    match result {
        Ok((hits, expunged_elsewhere)) => {
            let mut line = String::from("* SEARCH");
            for h in hits {
                line.push(' ');
                line.push_str(&h.to_string());
            }
            s.untagged(line.trim_start_matches("* "));
            if expunged_elsewhere && !uid {
                return Done::ok("[EXPUNGEISSUED] SEARCH completed.");
            }
            Done::completed("SEARCH")
        }
        Err(e) => Done::failed(&e),
    }
}

fn needs_raw(k: &SearchKey) -> bool {
    use SearchKey::*;
    match k {
        And(keys) => keys.as_ref().iter().any(needs_raw),
        Not(k) => needs_raw(k),
        Or(a, b) => needs_raw(a) || needs_raw(b),
        Bcc(_) | Body(_) | Cc(_) | From(_) | Header(..) | Subject(_) | Text(_) | To(_) | SentBefore(_) | SentOn(_)
        | SentSince(_) => true,
        _ => false,
    }
}

fn in_set(set: &SequenceSet, value: u32, star: u32) -> bool {
    set.0.as_ref().iter().any(|s| {
        let v = |x: &SeqOrUid| match x {
            SeqOrUid::Value(n) => n.get(),
            SeqOrUid::Asterisk => star,
        };
        match s {
            Sequence::Single(x) => v(x) == value,
            Sequence::Range(a, b) => {
                let (lo, hi) = (v(a).min(v(b)), v(a).max(v(b)));
                (lo..=hi).contains(&value)
            }
        }
    })
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether any field called `name` contains `needle` (an empty needle: any
/// field of that name at all, RFC 3501 6.4.4).
fn header_has(m: &Msg, name: &str, needle: &[u8]) -> bool {
    let Some(raw) = m.raw else { return false };
    let header = &raw[..header_end(raw, 0, raw.len())];
    field_values(header, name).iter().any(|v| contains(v.as_bytes(), needle))
}

/// An address field: its text, or one of its addresses written plainly
/// (`Name <user@domain>`, `user@domain`), contains `needle`.
fn address_has(m: &Msg, name: &str, needle: &[u8]) -> bool {
    if header_has(m, name, needle) {
        return true;
    }
    let Some(raw) = m.raw else { return false };
    let header = &raw[..header_end(raw, 0, raw.len())];
    field_values(header, name).iter().any(|v| {
        address::parse_list(v.as_bytes())
            .iter()
            .filter_map(address::Item::mailbox)
            .any(|a| contains(a.plain().as_bytes(), needle))
    })
}

fn day_of_unix(unix: i64) -> i32 {
    chrono::DateTime::from_timestamp(unix, 0).map(|d| d.date_naive().num_days_from_ce()).unwrap_or(0)
}

fn sent_day(m: &Msg) -> Option<i32> {
    let raw = m.raw?;
    let header = &raw[..header_end(raw, 0, raw.len())];
    let parsed = mail_parser::MessageParser::new().parse(header)?;
    let d = parsed.date()?;
    chrono::NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32).map(|n| n.num_days_from_ce())
}

fn matches(k: &SearchKey, m: &Msg) -> bool {
    use SearchKey::*;
    let f = &m.meta.flags;
    let day =
        |d: &imap_codec::imap_types::datetime::NaiveDate| AsRef::<chrono::NaiveDate>::as_ref(d).num_days_from_ce();
    match k {
        And(keys) => keys.as_ref().iter().all(|k| matches(k, m)),
        SequenceSet(set) => in_set(set, m.seq, m.count),
        Uid(set) => in_set(set, m.meta.uid, m.max_uid),
        All => true,
        Answered => f.has(flag::ANSWERED),
        Unanswered => !f.has(flag::ANSWERED),
        Deleted => f.has(flag::DELETED),
        Undeleted => !f.has(flag::DELETED),
        Draft => f.has(flag::DRAFT),
        Undraft => !f.has(flag::DRAFT),
        Flagged => f.has(flag::FLAGGED),
        Unflagged => !f.has(flag::FLAGGED),
        Seen => f.has(flag::SEEN),
        Unseen => !f.has(flag::SEEN),
        Keyword(a) => f.has_keyword(a.inner()),
        Unkeyword(a) => !f.has_keyword(a.inner()),
        Recent => m.recent,
        New => m.recent && !f.has(flag::SEEN),
        Old => !m.recent,
        Larger(n) => m.meta.size > *n as u64,
        Smaller(n) => m.meta.size < *n as u64,
        Before(d) => day_of_unix(m.meta.internal_date) < day(d),
        On(d) => day_of_unix(m.meta.internal_date) == day(d),
        Since(d) => day_of_unix(m.meta.internal_date) >= day(d),
        SentBefore(d) => sent_day(m).is_some_and(|s| s < day(d)),
        SentOn(d) => sent_day(m).is_some_and(|s| s == day(d)),
        SentSince(d) => sent_day(m).is_some_and(|s| s >= day(d)),
        Bcc(v) => address_has(m, "bcc", v.as_ref()),
        Cc(v) => address_has(m, "cc", v.as_ref()),
        From(v) => address_has(m, "from", v.as_ref()),
        To(v) => address_has(m, "to", v.as_ref()),
        Subject(v) => header_has(m, "subject", v.as_ref()),
        Header(name, v) => header_has(m, &String::from_utf8_lossy(name.as_ref()), v.as_ref()),
        Body(v) => m.raw.is_some_and(|raw| contains(&raw[header_end(raw, 0, raw.len())..], v.as_ref())),
        Text(v) => m.raw.is_some_and(|raw| contains(raw, v.as_ref())),
        Not(k) => !matches(k, m),
        Or(a, b) => matches(a, m) || matches(b, m),
    }
}
