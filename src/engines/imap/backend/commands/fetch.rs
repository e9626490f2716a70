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

use super::{Done, EXPUNGE_ISSUED};
use crate::engines::imap::backend::sequence;
use crate::engines::imap::backend::session::{ImapSession, Io};
use crate::engines::imap::fetch_items::section::{Want, bytes as section_bytes};
use crate::engines::imap::fetch_items::{envelope, structure};
use crate::engines::imap::texts;
use crate::engines::imap::wire::out;
use crate::engines::mime;
use crate::engines::render::Renderer;
use crate::store::mail::{Flags, MailDb, MailResult, flag};

/// Messages per batch, and the response bytes after which a batch ends
/// early (bodies can be large: a batch is held in memory until sent).
const BATCH: usize = 200;
const BATCH_BYTES: usize = 4 * 1024 * 1024;

/// A fetch item, owned so that it can go to the blocking pool.
#[derive(Debug, Clone)]
enum Item {
    Uid,
    Flags,
    InternalDate,
    Size,
    Envelope,
    Structure { extended: bool },
    Section { path: Vec<u32>, want: Want, partial: Option<(u32, u32)>, peek: bool, label: String },
    Rfc822,
    Rfc822Header,
    Rfc822Text,
}

impl Item {
    fn needs_raw(&self, renderer: &Renderer) -> bool {
        match self {
            Item::Uid | Item::Flags | Item::InternalDate => false,
            Item::Size => renderer.options.exact_size,
            _ => true,
        }
    }
    fn sets_seen(&self) -> bool {
        matches!(self, Item::Section { peek: false, .. } | Item::Rfc822 | Item::Rfc822Text)
    }
}

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
            MessageDataItemName::BodyExt { section, partial, peek } => {
                let (path, want, spec) = section_spec(section.as_ref());
                let label = match partial {
                    Some((origin, _)) => format!("BODY[{spec}]<{origin}>"),
                    None => format!("BODY[{spec}]"),
                };
                Item::Section { path, want, partial: partial.map(|(o, l)| (o, l.get())), peek, label }
            }
            _ => return None,
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
) -> std::io::Result<Done> {
    let Some(mut wanted) = items(names) else {
        return Ok(Done::bad(texts::ARGUMENT_ERROR));
    };
    if uid && !wanted.iter().any(|i| matches!(i, Item::Uid)) {
        wanted.insert(0, Item::Uid);
    }
    let (Some(sel), Some(user)) = (&s.selected, &s.user) else { return Ok(Done::completed("FETCH")) };
    let resolved = sequence::resolve(&set, &sel.uids, uid);
    let targets: Vec<(u32, u32)> = resolved.iter().copied().filter(|(_, u)| !sel.pending_expunge.contains(u)).collect();
    let mut missing = resolved.len() - targets.len();
    let mark_seen = !sel.read_only && wanted.iter().any(Item::sets_seen);
    let folder = sel.folder.id;
    let renderer = user.renderer.clone();
    let recent_all = sel.recent.clone();
    // \Seen set by this command, so each response says so once its
    // message is sent (a batch may end before its last message).
    let mut seen_here: HashSet<u32> = HashSet::new();
    let mut rest: &[(u32, u32)] = &targets;
    while !rest.is_empty() {
        let chunk = rest[..rest.len().min(BATCH)].to_vec();
        let already: Vec<u32> = chunk.iter().map(|(_, u)| *u).filter(|u| seen_here.contains(u)).collect();
        let wanted = wanted.clone();
        let renderer = renderer.clone();
        let recent = recent_all.clone();
        let result = s
            .shared
            .db
            .run(move |db| {
                let uids: Vec<u32> = chunk.iter().map(|(_, u)| *u).collect();
                let seen = if mark_seen { db.mark_seen(folder, &uids)? } else { Default::default() };
                let mut flagged: HashSet<u32> = already.into_iter().collect();
                flagged.extend(seen.changed.iter().copied());
                let batch = db.snapshot(|db| fetch_batch(db, folder, &chunk, &wanted, &renderer, &flagged, &recent))?;
                Ok((seen, batch))
            })
            .await;
        let (seen, batch) = match result {
            Ok(x) => x,
            Err(e) => return Ok(Done::failed(&e)),
        };
        seen_here.extend(seen.changed);
        if let Some(m) = seen.modseq {
            s.shared.notify_change();
            if let Some(sel) = s.selected.as_mut() {
                sel.own_modseqs.insert(m);
            }
        }
        if let Some(sel) = s.selected.as_mut() {
            sel.announce_keywords(batch.keywords.iter().map(String::as_str), &mut s.out);
        }
        missing += batch.missing;
        s.out.extend_from_slice(&batch.bytes);
        s.flush(io).await?;
        rest = &rest[batch.consumed.max(1).min(rest.len())..];
    }
    if missing > 0 && !uid {
        return Ok(Done::no(EXPUNGE_ISSUED));
    }
    Ok(Done::completed("FETCH"))
}

/// One batch's FETCH responses.
#[derive(Debug, Default)]
struct Batch {
    bytes: Vec<u8>,
    /// How many targets it answered for (it ends early past BATCH_BYTES).
    consumed: usize,
    /// Targets that no longer exist (expunged by another session).
    missing: usize,
    /// Keywords in the flags it shows.
    keywords: Vec<String>,
}

/// The FETCH responses for `targets` (sequence number, UID), read from the
/// caller's snapshot. `flagged`: messages whose \Seen this command set, whose
/// responses must show their flags.
fn fetch_batch(
    db: &MailDb,
    folder: i64,
    targets: &[(u32, u32)],
    wanted: &[Item],
    renderer: &Renderer,
    flagged: &HashSet<u32>,
    recent: &[u32],
) -> MailResult<Batch> {
    let mut batch = Batch::default();
    let o = &mut batch.bytes;
    let needs_raw = wanted.iter().any(|i| i.needs_raw(renderer));
    let shows_flags = wanted.iter().any(|i| matches!(i, Item::Flags));
    for (seq, uid) in targets {
        if o.len() >= BATCH_BYTES {
            break;
        }
        batch.consumed += 1;
        let Some(stored) = db.message(folder, *uid, needs_raw)? else {
            batch.missing += 1;
            continue;
        };
        let meta = stored.meta;
        let flags_changed = flagged.contains(uid);
        if shows_flags || flags_changed {
            batch.keywords.extend(meta.flags.keywords.iter().cloned());
        }
        let rendered = stored.raw.as_deref().map(|r| renderer.render(r));
        let raw: &[u8] = rendered.as_deref().unwrap_or(&[]);
        let tree = if wanted.iter().any(|i| matches!(i, Item::Envelope | Item::Structure { .. } | Item::Section { .. }))
        {
            Some(mime::parse(raw))
        } else {
            None
        };
        o.extend_from_slice(format!("* {seq} FETCH (").as_bytes());
        let mut first = true;
        let mut sep = |o: &mut Vec<u8>| {
            if !first {
                o.push(b' ');
            }
            first = false;
        };
        for item in wanted {
            sep(o);
            match item {
                Item::Uid => o.extend_from_slice(format!("UID {uid}").as_bytes()),
                Item::Flags => o.extend_from_slice(
                    format!("FLAGS {}", flags_list(&meta.flags, recent.binary_search(uid).is_ok())).as_bytes(),
                ),
                Item::InternalDate => {
                    o.extend_from_slice(format!("INTERNALDATE \"{}\"", internal_date(meta.internal_date)).as_bytes())
                }
                Item::Size => {
                    let size = if renderer.options.exact_size { raw.len() as u64 } else { meta.size };
                    o.extend_from_slice(format!("RFC822.SIZE {size}").as_bytes());
                }
                Item::Envelope => {
                    o.extend_from_slice(b"ENVELOPE ");
                    if let Some(t) = &tree {
                        envelope::write(o, t.header(raw));
                    }
                }
                Item::Structure { extended } => {
                    o.extend_from_slice(if *extended { b"BODYSTRUCTURE " } else { b"BODY " });
                    if let Some(t) = &tree {
                        structure::write(o, raw, t, *extended);
                    }
                }
                Item::Section { path, want, partial, label, .. } => {
                    let data = tree.as_ref().and_then(|t| section_bytes(raw, t, path, want)).unwrap_or_default();
                    let data: &[u8] = match partial {
                        // Past the end: what exists (nothing); the origin is
                        // echoed, the length is not.
                        Some((origin, len)) => {
                            let start = (*origin as usize).min(data.len());
                            let end = start.saturating_add(*len as usize).min(data.len());
                            &data[start..end]
                        }
                        None => &data,
                    };
                    o.extend_from_slice(label.as_bytes());
                    o.push(b' ');
                    out::literal(o, data);
                }
                Item::Rfc822 => {
                    o.extend_from_slice(b"RFC822 ");
                    out::literal(o, raw);
                }
                Item::Rfc822Header | Item::Rfc822Text => {
                    let t = mime::parse(raw);
                    let (name, data) = if matches!(item, Item::Rfc822Header) {
                        ("RFC822.HEADER ", t.header(raw))
                    } else {
                        ("RFC822.TEXT ", t.body(raw))
                    };
                    o.extend_from_slice(name.as_bytes());
                    out::literal(o, data);
                }
            }
        }
        if flags_changed && !shows_flags {
            sep(o);
            o.extend_from_slice(
                format!("FLAGS {}", flags_list(&meta.flags, recent.binary_search(uid).is_ok())).as_bytes(),
            );
        }
        o.extend_from_slice(b")\r\n");
    }
    Ok(batch)
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

    #[test]
    fn a_partial_fetch_past_the_end_sends_what_exists() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = MailDb::open(&dir.path().join("mail.db")).unwrap();
        let uid = db.deliver("g", b"Subject: x\r\n\r\nbody\r\n").unwrap();
        let inbox = db.inbox_snapshot("g").unwrap().folder_id;
        let item = Item::Section {
            path: vec![],
            want: Want::All,
            partial: Some((0, 393_216)),
            peek: true,
            label: "BODY[]<0>".into(),
        };
        let none = HashSet::new();
        let plain = Renderer::new(Default::default());
        let b = fetch_batch(&db, inbox, &[(1, uid)], &[Item::Uid, item], &plain, &none, &[]).unwrap();
        assert_eq!(
            String::from_utf8(b.bytes).unwrap(),
            "* 1 FETCH (UID 1 BODY[]<0> {20}\r\nSubject: x\r\n\r\nbody\r\n)\r\n"
        );
        let item = Item::Section { path: vec![], want: Want::All, partial: None, peek: false, label: "BODY[]".into() };
        let seen = db.mark_seen(inbox, &[uid]).unwrap();
        assert_eq!(seen.changed, vec![uid]);
        let flagged: HashSet<u32> = seen.changed.into_iter().collect();
        let b = fetch_batch(&db, inbox, &[(1, uid)], &[item], &plain, &flagged, &[]).unwrap();
        assert!(String::from_utf8(b.bytes).unwrap().ends_with("\r\nbody\r\n FLAGS (\\Seen))\r\n"));
        assert!(db.mark_seen(inbox, &[uid]).unwrap().modseq.is_none(), "already seen: no change");
    }

    #[test]
    fn an_expunged_message_gets_no_response_rather_than_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = MailDb::open(&dir.path().join("mail.db")).unwrap();
        let uids = db.deliver_many("g", &[b"Subject: a\r\n\r\na\r\n", b"Subject: b\r\n\r\nb\r\n"]).unwrap();
        let inbox = db.inbox_snapshot("g").unwrap().folder_id;
        db.delete_messages(inbox, &[uids[0]]).unwrap();
        let wanted = [Item::Uid, Item::Size, Item::Rfc822];
        let targets = [(1, uids[0]), (2, uids[1])];
        let b = fetch_batch(&db, inbox, &targets, &wanted, &Renderer::new(Default::default()), &HashSet::new(), &[])
            .unwrap();
        assert_eq!(
            String::from_utf8(b.bytes).unwrap(),
            "* 2 FETCH (UID 2 RFC822.SIZE 17 RFC822 {17}\r\nSubject: b\r\n\r\nb\r\n)\r\n"
        );
        assert_eq!((b.consumed, b.missing), (2, 1));
    }

    #[test]
    fn exact_size_is_the_size_served_estimated_is_the_size_stored() {
        use crate::engines::render::{CalendarMode, RenderOptions};
        let dir = tempfile::tempdir().unwrap();
        let mut db = MailDb::open(&dir.path().join("mail.db")).unwrap();
        let raw = b"Subject: x\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nUID:1\r\nEND:VCALENDAR\r\n";
        let uid = db.deliver("g", raw).unwrap();
        let inbox = db.inbox_snapshot("g").unwrap().folder_id;
        let link = CalendarMode::Link { base_url: "https://o/owa".into() };
        let mut options = RenderOptions { calendar: link, ..Default::default() };
        let wanted = [Item::Size, Item::Rfc822];
        let none = HashSet::new();
        let b = fetch_batch(&db, inbox, &[(1, uid)], &wanted, &Renderer::new(options.clone()), &none, &[]).unwrap();
        let text = String::from_utf8(b.bytes).unwrap();
        assert!(text.starts_with(&format!("* 1 FETCH (RFC822.SIZE {} RFC822 {{", raw.len())), "{text}");
        options.exact_size = true;
        let b = fetch_batch(&db, inbox, &[(1, uid)], &wanted, &Renderer::new(options), &none, &[]).unwrap();
        let text = String::from_utf8(b.bytes).unwrap();
        let size: &str = text.split("RFC822.SIZE ").nth(1).and_then(|r| r.split(' ').next()).unwrap();
        assert!(text.contains(&format!("RFC822 {{{size}}}\r\n")), "the size announced is the literal sent: {text}");
    }
}
