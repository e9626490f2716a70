//! Evaluating SEARCH criteria over a session's view of a folder, in one
//! snapshot of the mailbox database: the engine SEARCH, ESEARCH, SORT and
//! THREAD share. Header criteria read the header block stored at delivery
//! (`store::mail::info`); only BODY and TEXT read message text.

use chrono::Datelike;
use imap_codec::imap_types::extensions::condstore_qresync::AttributeFlag;
use imap_codec::imap_types::search::SearchKey;
use imap_codec::imap_types::sequence::SequenceSet;

use crate::engines::mime::address;
use crate::engines::mime::headers::{field_values, header_end};
use std::collections::HashMap;

use crate::store::mail::{FlagModseqs, MailDb, MailResult, MessageMeta, column, flag};

/// A message that matched.
#[derive(Debug, Clone)]
pub struct Hit {
    pub seq: u32,
    pub meta: MessageMeta,
    /// The header block, when [`Scope::with_header`] asked for it.
    pub header: Vec<u8>,
}

/// What the criteria are evaluated over.
pub struct Scope<'a> {
    pub folder: i64,
    /// The session's UIDs, ascending (index + 1 is the sequence number).
    pub view: &'a [u32],
    /// \Recent in the session, ascending.
    pub recent: &'a [u32],
    /// Unix seconds now (WITHIN's OLDER and YOUNGER).
    pub now: i64,
    /// Keep each hit's header block (SORT, THREAD).
    pub with_header: bool,
}

/// The hits in UID order, and whether some messages of the view were
/// expunged by another session (they match nothing).
pub fn evaluate(db: &MailDb, scope: &Scope, criteria: &[SearchKey]) -> MailResult<(Vec<Hit>, bool)> {
    let text = criteria.iter().any(needs_text);
    let header = scope.with_header || criteria.iter().any(needs_header);
    let columns = if text { column::RAW } else { 0 } | if header { column::HEADER } else { 0 };
    let count = scope.view.len() as u32;
    let max_uid = scope.view.last().copied().unwrap_or(0);
    let mut hits = Vec::new();
    let mut present = 0;
    let mut entries = Vec::new();
    for k in criteria {
        flag_entries(k, &mut entries);
    }
    db.snapshot(|db| {
        let mut flag_modseqs = HashMap::new();
        for name in entries {
            let of_flag = db.flag_modseqs(scope.folder, &name)?;
            flag_modseqs.insert(name, of_flag);
        }
        db.each_row(scope.folder, columns, |row| {
            let Ok(i) = scope.view.binary_search(&row.meta.uid) else { return Ok(()) };
            present += 1;
            let raw = match (&row.raw, header && row.info.is_none()) {
                // No stored header yet: the text has it.
                (None, true) => db.message_rows(scope.folder, &[row.meta.uid], column::RAW)?.pop().and_then(|r| r.raw),
                _ => None,
            };
            let raw = row.raw.as_deref().or(raw.as_deref());
            let header_bytes: &[u8] = match (&row.info, raw) {
                (Some(info), _) if header => &info.header,
                (_, Some(raw)) => &raw[..header_end(raw, 0, raw.len())],
                _ => &[],
            };
            let m = Msg {
                seq: i as u32 + 1,
                meta: &row.meta,
                raw,
                header: header_bytes,
                count,
                max_uid,
                recent: scope.recent.binary_search(&row.meta.uid).is_ok(),
                now: scope.now,
                flag_modseqs: &flag_modseqs,
            };
            if criteria.iter().all(|k| matches(k, &m)) {
                let kept = if scope.with_header { header_bytes.to_vec() } else { vec![] };
                hits.push(Hit { seq: m.seq, meta: row.meta.clone(), header: kept });
            }
            Ok(())
        })
    })?;
    Ok((hits, present < scope.view.len()))
}

/// Whether the criteria name MODSEQ (the SEARCH response then carries the
/// highest modseq of the hits, RFC 7162 3.1.5).
pub fn uses_modseq(k: &SearchKey) -> bool {
    use SearchKey::*;
    match k {
        And(keys) => keys.as_ref().iter().any(uses_modseq),
        Not(k) => uses_modseq(k),
        Or(a, b) => uses_modseq(a) || uses_modseq(b),
        ModSequence { .. } => true,
        _ => false,
    }
}

struct Msg<'a> {
    seq: u32,
    meta: &'a MessageMeta,
    raw: Option<&'a [u8]>,
    header: &'a [u8],
    count: u32,
    max_uid: u32,
    recent: bool,
    now: i64,
    /// Per-flag modseqs for the flags MODSEQ criteria name (lower case).
    flag_modseqs: &'a HashMap<String, FlagModseqs>,
}

/// A MODSEQ entry's flag as the store names it (`\seen`, a keyword),
/// lower case. (imap-types' Display writes system flags with the quoted
/// string's escaping, `\\Seen`.)
fn entry_flag(flag: &AttributeFlag) -> String {
    match flag {
        AttributeFlag::Answered => "\\answered".into(),
        AttributeFlag::Deleted => "\\deleted".into(),
        AttributeFlag::Draft => "\\draft".into(),
        AttributeFlag::Flagged => "\\flagged".into(),
        AttributeFlag::Seen => "\\seen".into(),
        other => other.to_string().to_ascii_lowercase(),
    }
}

/// The flags named by MODSEQ criteria with an entry (`"/flags/\\Seen"`),
/// lower case, each once.
fn flag_entries(k: &SearchKey, out: &mut Vec<String>) {
    use SearchKey::*;
    match k {
        And(keys) => keys.as_ref().iter().for_each(|k| flag_entries(k, out)),
        Not(k) => flag_entries(k, out),
        Or(a, b) => {
            flag_entries(a, out);
            flag_entries(b, out);
        }
        ModSequence { entry: Some((flag, _)), .. } => {
            let name = entry_flag(flag);
            if !out.contains(&name) {
                out.push(name);
            }
        }
        _ => {}
    }
}

fn needs_text(k: &SearchKey) -> bool {
    use SearchKey::*;
    match k {
        And(keys) => keys.as_ref().iter().any(needs_text),
        Not(k) => needs_text(k),
        Or(a, b) => needs_text(a) || needs_text(b),
        Body(_) | Text(_) => true,
        _ => false,
    }
}

fn needs_header(k: &SearchKey) -> bool {
    use SearchKey::*;
    match k {
        And(keys) => keys.as_ref().iter().any(needs_header),
        Not(k) => needs_header(k),
        Or(a, b) => needs_header(a) || needs_header(b),
        Bcc(_) | Cc(_) | From(_) | Header(..) | Subject(_) | To(_) | SentBefore(_) | SentOn(_) | SentSince(_) => true,
        _ => false,
    }
}

fn in_set(set: &SequenceSet, value: u32, star: u32) -> bool {
    crate::engines::imap::backend::sequence::contains(set, value, star)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether any field called `name` contains `needle` (an empty needle: any
/// field of that name at all, RFC 3501 6.4.4).
fn header_has(m: &Msg, name: &str, needle: &[u8]) -> bool {
    field_values(m.header, name).iter().any(|v| contains(v.as_bytes(), needle))
}

/// An address field: its text, or one of its addresses written plainly
/// (`Name <user@domain>`, `user@domain`), contains `needle`.
fn address_has(m: &Msg, name: &str, needle: &[u8]) -> bool {
    if header_has(m, name, needle) {
        return true;
    }
    field_values(m.header, name).iter().any(|v| {
        address::parse_list(v.as_bytes())
            .iter()
            .filter_map(address::Item::mailbox)
            .any(|a| contains(a.plain().as_bytes(), needle))
    })
}

fn day_of_unix(unix: i64) -> i32 {
    chrono::DateTime::from_timestamp(unix, 0).map(|d| d.date_naive().num_days_from_ce()).unwrap_or(0)
}

/// The day of the Date header field (SENTBEFORE, SENTON, SENTSINCE).
pub fn sent_day_of(header: &[u8]) -> Option<i32> {
    let parsed = mail_parser::MessageParser::new().parse(header)?;
    let d = parsed.date()?;
    chrono::NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32).map(|n| n.num_days_from_ce())
}

fn sent_day(m: &Msg) -> Option<i32> {
    sent_day_of(m.header)
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
        // RFC 5032: internal date more (OLDER) or fewer (YOUNGER) than n
        // seconds before now.
        Older(n) => m.now - m.meta.internal_date > n.get() as i64,
        Younger(n) => m.now - m.meta.internal_date <= n.get() as i64,
        // RFC 7162 3.1.5: with an entry, that flag's last change (mailsh
        // keeps private flags only: priv, shared and all are the same);
        // without, the message's.
        ModSequence { entry: Some((flag, _)), modseq } => {
            m.flag_modseqs.get(&entry_flag(flag)).map_or(m.meta.modseq, |f| f.of(m.meta.uid)) >= *modseq
        }
        ModSequence { modseq, .. } => m.meta.modseq >= *modseq,
    }
}
