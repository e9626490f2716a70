//! FETCH and UID FETCH (RFC 3501 6.4.5): flags, dates, sizes, ENVELOPE,
//! BODY/BODYSTRUCTURE, BODY[section]<partial> and the RFC822 items. Work
//! runs on the blocking pool in batches, and each batch is sent as soon as
//! it is ready, so a FETCH 1:* of a large folder streams.
//!
//! Each batch reads in one snapshot, and a message's metadata and bytes in
//! one statement: every item of a response describes the same message. A
//! message the session still numbers but another session expunged gets no
//! response at all (never an empty one), and FETCH by sequence numbers then
//! ends `NO [EXPUNGEISSUED]` (RFC 2180 4.1.2, RFC 5530); UID FETCH ends OK,
//! its EXPUNGE responses telling the client why.

use imap_codec::imap_types::core::AString;
use imap_codec::imap_types::fetch::{Macro, MacroOrMessageDataItemNames, MessageDataItemName, Part, Section};
use imap_codec::imap_types::sequence::SequenceSet;

use std::collections::HashSet;

use imap_codec::imap_types::command::FetchModifier;

use super::{Done, EXPUNGE_ISSUED};
use crate::engines::imap::backend::fetch_batch::{Item, Plan, fetch_batch};
use crate::engines::imap::backend::sequence;
use crate::engines::imap::backend::session::{ImapSession, Io};
use crate::engines::imap::fetch_items::section::Want;
use crate::engines::imap::texts;
use crate::engines::imap::wire::out;
use crate::store::mail::{Flags, flag};

/// Messages per batch, and the response bytes after which a batch ends
/// early: a batch is held in memory until sent, so this bounds what one
/// FETCH holds whatever the folder's size (a single larger message is
/// still sent whole).
const BATCH: usize = 200;
const BATCH_BYTES: usize = 256 * 1024;

/// `(\Seen \Flagged $Forwarded)`; `\Recent` when the message is recent
/// in this session.
pub fn flags_list(f: &Flags, recent: bool) -> String {
    let mut names: Vec<&str> = Vec::new();
    if recent {
        names.push("\\Recent");
    }
    for (bit, name) in [
        (flag::SEEN, "\\Seen"),
        (flag::ANSWERED, "\\Answered"),
        (flag::FLAGGED, "\\Flagged"),
        (flag::DELETED, "\\Deleted"),
        (flag::DRAFT, "\\Draft"),
    ] {
        if f.has(bit) {
            names.push(name);
        }
    }
    names.extend(f.keywords.iter().map(String::as_str));
    format!("({})", names.join(" "))
}

/// `17-Jul-1996 02:44:25 +0000`.
pub fn internal_date(unix: i64) -> String {
    match chrono::DateTime::from_timestamp(unix, 0) {
        Some(d) => d.format("%d-%b-%Y %H:%M:%S +0000").to_string(),
        None => "01-Jan-1970 00:00:00 +0000".to_string(),
    }
}

fn items(names: MacroOrMessageDataItemNames<'static>) -> Option<Vec<Item>> {
    let names: Vec<MessageDataItemName> = match names {
        MacroOrMessageDataItemNames::Macro(m) => {
            let mut v =
                vec![MessageDataItemName::Flags, MessageDataItemName::InternalDate, MessageDataItemName::Rfc822Size];
            if matches!(m, Macro::All | Macro::Full) {
                v.push(MessageDataItemName::Envelope);
            }
            if matches!(m, Macro::Full) {
                v.push(MessageDataItemName::Body);
            }
            v
        }
        MacroOrMessageDataItemNames::MessageDataItemNames(v) => v,
    };
    let mut out = Vec::new();
    for n in names {
        out.push(match n {
            MessageDataItemName::Uid => Item::Uid,
            MessageDataItemName::Flags => Item::Flags,
            MessageDataItemName::InternalDate => Item::InternalDate,
            MessageDataItemName::Rfc822Size => Item::Size,
            MessageDataItemName::Envelope => Item::Envelope,
            MessageDataItemName::Body => Item::Structure { extended: false },
            MessageDataItemName::BodyStructure => Item::Structure { extended: true },
            MessageDataItemName::Rfc822 => Item::Rfc822,
            MessageDataItemName::Rfc822Header => Item::Rfc822Header,
            MessageDataItemName::Rfc822Text => Item::Rfc822Text,
            MessageDataItemName::ModSeq => Item::ModSeq,
            MessageDataItemName::Binary { section, partial, peek } => {
                let path: Vec<u32> = section.iter().map(|n| n.get()).collect();
                let label = match partial {
                    Some((origin, _)) => format!("BINARY[{}]<{origin}>", dotted(&path)),
                    None => format!("BINARY[{}]", dotted(&path)),
                };
                Item::Binary { path, partial: partial.map(|(o, l)| (o, l.get())), peek, label }
            }
            MessageDataItemName::BinarySize { section } => {
                let path: Vec<u32> = section.iter().map(|n| n.get()).collect();
                let label = format!("BINARY.SIZE[{}]", dotted(&path));
                Item::BinarySize { path, label }
            }
            MessageDataItemName::BodyExt { section, partial, peek } => {
                let (path, want, spec) = section_spec(section.as_ref());
                let label = match partial {
                    Some((origin, _)) => format!("BODY[{spec}]<{origin}>"),
                    None => format!("BODY[{spec}]"),
                };
                Item::Section { path, want, partial: partial.map(|(o, l)| (o, l.get())), peek, label }
            }
        });
    }
    Some(out)
}

fn path_of(p: &Part) -> Vec<u32> {
    p.0.as_ref().iter().map(|n| n.get()).collect()
}

fn dotted(path: &[u32]) -> String {
    path.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
}

fn with_prefix(path: &[u32], what: &str) -> String {
    if path.is_empty() { what.to_string() } else { format!("{}.{what}", dotted(path)) }
}

fn astring_text(a: &AString) -> String {
    let bytes: &[u8] = a.as_ref();
    let text = String::from_utf8_lossy(bytes).into_owned();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_graphic() && !b"(){%*\"\\]".contains(&b)) {
        text
    } else {
        let mut o = Vec::new();
        out::string(&mut o, bytes);
        String::from_utf8_lossy(&o).into_owned()
    }
}

/// The part path, what is wanted, and the section text to echo.
fn section_spec(section: Option<&Section>) -> (Vec<u32>, Want, String) {
    match section {
        None => (vec![], Want::All, String::new()),
        Some(Section::Part(p)) => (path_of(p), Want::All, dotted(&path_of(p))),
        Some(Section::Header(p)) => {
            let path = p.as_ref().map(path_of).unwrap_or_default();
            let spec = with_prefix(&path, "HEADER");
            (path, Want::Header, spec)
        }
        Some(Section::Text(p)) => {
            let path = p.as_ref().map(path_of).unwrap_or_default();
            let spec = with_prefix(&path, "TEXT");
            (path, Want::Text, spec)
        }
        Some(Section::Mime(p)) => (path_of(p), Want::Mime, with_prefix(&path_of(p), "MIME")),
        Some(Section::HeaderFields(p, names)) | Some(Section::HeaderFieldsNot(p, names)) => {
            let not = matches!(section, Some(Section::HeaderFieldsNot(..)));
            let path = p.as_ref().map(path_of).unwrap_or_default();
            let list: Vec<String> = names.as_ref().iter().map(astring_text).collect();
            let what = if not { "HEADER.FIELDS.NOT" } else { "HEADER.FIELDS" };
            let spec = format!("{} ({})", with_prefix(&path, what), list.join(" "));
            let names = names.as_ref().iter().map(|n| AsRef::<[u8]>::as_ref(n).to_vec()).collect();
            (path, Want::HeaderFields { names, not }, spec)
        }
    }
}

pub async fn run(
    s: &mut ImapSession,
    io: &mut Io,
    set: SequenceSet,
    names: MacroOrMessageDataItemNames<'static>,
    uid: bool,
    modifiers: Vec<FetchModifier>,
) -> std::io::Result<Done> {
    let Some(mut wanted) = items(names) else {
        return Ok(Done::bad(texts::ARGUMENT_ERROR));
    };
    let mut changed_since = None;
    let mut vanished = false;
    for m in &modifiers {
        match m {
            FetchModifier::ChangedSince(n) => changed_since = Some(n.get()),
            FetchModifier::Vanished => vanished = true,
        }
    }
    // RFC 7162 3.2.6: VANISHED only with UID FETCH, CHANGEDSINCE, and
    // QRESYNC enabled.
    if vanished && (!uid || changed_since.is_none() || !s.enabled.qresync) {
        return Ok(Done::bad(texts::ARGUMENT_ERROR));
    }
    if changed_since.is_some() || wanted.iter().any(|i| matches!(i, Item::ModSeq)) {
        s.enabled.condstore = true;
    }
    if uid && !wanted.iter().any(|i| matches!(i, Item::Uid)) {
        wanted.insert(0, Item::Uid);
    }
    // RFC 7162 3.1.4.1: CHANGEDSINCE implies MODSEQ.
    if changed_since.is_some() && !wanted.iter().any(|i| matches!(i, Item::ModSeq)) {
        wanted.push(Item::ModSeq);
    }
    let condstore = s.enabled.condstore;
    let Some(sel) = &s.selected else { return Ok(Done::completed("FETCH")) };
    if let (true, Some(since)) = (vanished, changed_since) {
        let folder = sel.folder.id;
        // `*` reaches past the last UID the session sees: an expunged UID
        // above it still vanished.
        let star = u32::MAX;
        let gone = match s.home.pool.run(move |db| db.expunged_since(folder, since)).await {
            Ok(g) => g,
            Err(e) => return Ok(Done::failed(&e)),
        };
        let asked = sequence::ranges_in_set(&gone, &set, star);
        if !asked.is_empty() {
            s.untagged(&format!("VANISHED (EARLIER) {}", sequence::compress_ranges(&asked)));
        }
    }
    let (Some(sel), Some(user)) = (&s.selected, &s.user) else { return Ok(Done::completed("FETCH")) };
    let resolved = sequence::resolve(&set, &sel.uids, uid);
    let targets: Vec<(u32, u32)> = resolved.iter().copied().filter(|(_, u)| !sel.pending_expunge.contains(u)).collect();
    let mut missing = resolved.len() - targets.len();
    let mark_seen = !sel.read_only && wanted.iter().any(Item::sets_seen);
    let plan = Plan {
        folder: sel.folder.id,
        items: wanted,
        renderer: user.renderer.clone(),
        recent: sel.recent.clone(),
        condstore,
        changed_since,
    };
    let plan = std::sync::Arc::new(plan);
    // \Seen set by this command, so each response says so once its
    // message is sent (a batch may end before its last message).
    let mut seen_here: HashSet<u32> = HashSet::new();
    let mut unknown_cte = false;
    let mut rest: &[(u32, u32)] = &targets;
    while !rest.is_empty() {
        let chunk = rest[..rest.len().min(BATCH)].to_vec();
        let already: Vec<u32> = chunk.iter().map(|(_, u)| *u).filter(|u| seen_here.contains(u)).collect();
        let plan = plan.clone();
        let result = s
            .home
            .pool
            .run(move |db| {
                let uids: Vec<u32> = chunk.iter().map(|(_, u)| *u).collect();
                let seen = if mark_seen { db.mark_seen(plan.folder, &uids)? } else { Default::default() };
                let mut flagged: HashSet<u32> = already.into_iter().collect();
                flagged.extend(seen.changed.iter().copied());
                let mut batch = db.snapshot(|db| fetch_batch(db, &plan, &chunk, &flagged, BATCH_BYTES))?;
                // What readers computed is kept, so the next FETCH does not.
                for (uid, info) in std::mem::take(&mut batch.infos) {
                    db.save_info(plan.folder, uid, &info)?;
                }
                let renditions = std::mem::take(&mut batch.renditions);
                db.save_renditions(plan.folder, &plan.renderer.variant(), &renditions)?;
                Ok((seen, batch))
            })
            .await;
        let (seen, batch) = match result {
            Ok(x) => x,
            Err(e) => return Ok(Done::failed(&e)),
        };
        seen_here.extend(seen.changed);
        if let Some(m) = seen.modseq {
            s.home.changed.notify();
            if let Some(sel) = s.selected.as_mut() {
                sel.own_modseqs.insert(m);
            }
        }
        if let Some(sel) = s.selected.as_mut() {
            sel.announce_keywords(batch.keywords.iter().map(String::as_str), &mut s.out);
        }
        missing += batch.missing;
        unknown_cte |= batch.unknown_cte;
        s.out.extend_from_slice(&batch.bytes);
        s.flush(io).await?;
        rest = &rest[batch.consumed.max(1).min(rest.len())..];
    }
    if unknown_cte {
        return Ok(Done::no("[UNKNOWN-CTE] A part's Content-Transfer-Encoding is not one mailsh can decode."));
    }
    if missing > 0 && !uid {
        return Ok(Done::no(EXPUNGE_ISSUED));
    }
    Ok(Done::completed("FETCH"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_flags() {
        assert_eq!(internal_date(0), "01-Jan-1970 00:00:00 +0000");
        assert_eq!(internal_date(837_571_465), "17-Jul-1996 02:44:25 +0000");
        let f = Flags { system: flag::SEEN | flag::DELETED, keywords: vec!["$Forwarded".into()] };
        assert_eq!(flags_list(&f, false), "(\\Seen \\Deleted $Forwarded)");
        assert_eq!(flags_list(&Flags::default(), true), "(\\Recent)");
    }
}
