//! One batch of FETCH responses, read in one snapshot of the mailbox
//! database. Metadata items (ENVELOPE, BODY, BODYSTRUCTURE, RFC822.SIZE,
//! the top-level header and its fields) come from the metadata stored at
//! delivery (`store::mail::info`); only items that name body bytes read the
//! text, and only then is the part tree (stored packed) needed. A message
//! whose metadata is missing, or that this user's settings rewrite (calendar
//! links, MIME format), is parsed as served; the rewritten size and
//! structure are then kept per setting value, so each is computed once.

use std::collections::HashSet;

use super::commands::fetch::{flags_list, internal_date};
use crate::engines::imap::fetch_items::section::{Want, bytes as section_bytes};
use crate::engines::imap::fetch_items::{binary, summary};
use crate::engines::imap::fetch_items::{envelope, structure};
use crate::engines::imap::wire::out;
use crate::engines::mime::{self, Part};
use crate::engines::render::Renderer;
use crate::store::mail::{MailDb, MailResult, MessageInfo, MessageRow, Rendition, column};

/// A fetch item, owned so that it can go to the blocking pool.
#[derive(Debug, Clone)]
pub enum Item {
    Uid,
    Flags,
    InternalDate,
    Size,
    Envelope,
    Structure {
        extended: bool,
    },
    Section {
        path: Vec<u32>,
        want: Want,
        partial: Option<(u32, u32)>,
        peek: bool,
        label: String,
    },
    Rfc822,
    Rfc822Header,
    Rfc822Text,
    ModSeq,
    /// BINARY[path]<partial> (RFC 3516).
    Binary {
        path: Vec<u32>,
        partial: Option<(u32, u32)>,
        peek: bool,
        label: String,
    },
    BinarySize {
        path: Vec<u32>,
        label: String,
    },
}

impl Item {
    pub fn sets_seen(&self) -> bool {
        matches!(
            self,
            Item::Section { peek: false, .. } | Item::Binary { peek: false, .. } | Item::Rfc822 | Item::Rfc822Text
        )
    }

    /// Served from the stored header block (no text read).
    fn served_from_header(&self) -> bool {
        match self {
            Item::Rfc822Header => true,
            Item::Section { path, want, .. } => {
                path.is_empty() && matches!(want, Want::Header | Want::HeaderFields { .. })
            }
            _ => false,
        }
    }

    /// Needs the message text.
    fn needs_text(&self) -> bool {
        matches!(
            self,
            Item::Section { .. } | Item::Binary { .. } | Item::BinarySize { .. } | Item::Rfc822 | Item::Rfc822Text
        ) && !self.served_from_header()
    }

    fn columns(&self) -> u32 {
        match self {
            Item::Envelope => column::ENVELOPE,
            Item::Structure { extended: false } => column::BODY,
            Item::Structure { extended: true } => column::BODYSTRUCTURE,
            i if i.served_from_header() => column::HEADER,
            i if i.needs_text() => column::RAW | column::PARTS,
            _ => 0,
        }
    }
}

/// What a FETCH asks of every batch.
#[derive(Debug, Clone)]
pub struct Plan {
    pub folder: i64,
    pub items: Vec<Item>,
    pub renderer: Renderer,
    /// Messages \Recent in this session, ascending.
    pub recent: Vec<u32>,
    /// CONDSTORE is on in the session: FLAGS come with MODSEQ.
    pub condstore: bool,
    /// CHANGEDSINCE: only messages whose modseq is above it.
    pub changed_since: Option<u64>,
}

/// One batch's FETCH responses.
#[derive(Debug, Default)]
pub struct Batch {
    pub bytes: Vec<u8>,
    /// How many targets it answered for (it ends early past the byte limit).
    pub consumed: usize,
    /// Targets that no longer exist (expunged by another session).
    pub missing: usize,
    /// Keywords in the flags it shows.
    pub keywords: Vec<String>,
    /// Metadata computed because it was missing: to store.
    pub infos: Vec<(u32, MessageInfo)>,
    /// Renditions computed for this user's settings: to store.
    pub renditions: Vec<(u32, Rendition)>,
    /// A BINARY item named a part whose encoding mailsh cannot undo.
    pub unknown_cte: bool,
}

/// The FETCH responses for `targets` (sequence number, UID), read from the
/// caller's snapshot, until `max_bytes` of responses. `flagged`: messages
/// whose \Seen this command set, whose responses must show their flags.
pub fn fetch_batch(
    db: &MailDb,
    plan: &Plan,
    targets: &[(u32, u32)],
    flagged: &HashSet<u32>,
    max_bytes: usize,
) -> MailResult<Batch> {
    let mut batch = Batch::default();
    let columns = plan.items.iter().fold(0, |c, i| c | i.columns());
    let uids: Vec<u32> = targets.iter().map(|(_, u)| *u).collect();
    let rows = db.message_rows(plan.folder, &uids, columns)?;
    let mut rows = rows.into_iter().peekable();
    let variant = plan.renderer.variant();
    for (seq, uid) in targets {
        if batch.bytes.len() >= max_bytes {
            break;
        }
        batch.consumed += 1;
        let Some(row) = rows.next_if(|r| r.meta.uid == *uid) else {
            batch.missing += 1;
            continue;
        };
        if plan.changed_since.is_some_and(|since| row.meta.modseq <= since) {
            continue;
        }
        respond(db, plan, &variant, *seq, row, flagged.contains(uid), &mut batch)?;
    }
    Ok(batch)
}

/// What a message is served as, when it must be parsed: the bytes and
/// their tree.
struct Parsed {
    raw: Vec<u8>,
    tree: Part,
}

fn respond(
    db: &MailDb,
    plan: &Plan,
    variant: &str,
    seq: u32,
    row: MessageRow,
    flags_changed: bool,
    batch: &mut Batch,
) -> MailResult<()> {
    let meta = &row.meta;
    let uid = meta.uid;
    let shows_flags = plan.items.iter().any(|i| matches!(i, Item::Flags));
    if shows_flags || flags_changed {
        batch.keywords.extend(meta.flags.keywords.iter().cloned());
    }
    // Served otherwise than stored, under this user's settings.
    let rewritten = row.info.as_ref().is_some_and(|i| plan.renderer.changes(i.renders));
    // The text is parsed only when the stored metadata cannot answer.
    let mut parsed: Option<Parsed> = None;
    let mut rendition: Option<Rendition> = None;
    let mut raw_row = row.raw;
    let load = |raw_row: &mut Option<Vec<u8>>| -> MailResult<Vec<u8>> {
        if let Some(r) = raw_row.take() {
            return Ok(r);
        }
        Ok(db.message_rows(plan.folder, &[uid], column::RAW)?.pop().and_then(|r| r.raw).unwrap_or_default())
    };
    let needs_parse = |item: &Item| -> bool {
        if row.info.is_none() {
            let from_row = matches!(item, Item::Uid | Item::Flags | Item::InternalDate | Item::ModSeq);
            let stored_size = matches!(item, Item::Size) && !plan.renderer.options.exact_size;
            return !from_row && !stored_size;
        }
        rewritten && (item.needs_text() || item.served_from_header())
    };
    if plan.items.iter().any(needs_parse) {
        let stored = load(&mut raw_row)?;
        if row.info.is_none() {
            batch.infos.push((uid, summary::summarize(&stored)));
        }
        let served = plan.renderer.render(&stored).into_owned();
        let tree = mime::parse(&served);
        parsed = Some(Parsed { raw: served, tree });
    }
    let needs_rendition = rewritten
        && parsed.is_none()
        && plan.items.iter().any(|i| {
            matches!(i, Item::Structure { .. }) || (matches!(i, Item::Size) && plan.renderer.options.exact_size)
        });
    if needs_rendition {
        rendition = match db.rendition(plan.folder, uid, variant)? {
            Some(r) => Some(r),
            None => {
                let r = summary::rendition(&plan.renderer, &load(&mut raw_row)?);
                batch.renditions.push((uid, r.clone()));
                Some(r)
            }
        };
    }
    let info = row.info.as_ref();
    // Stored text and its packed tree, for sections of messages served as stored.
    let stored_tree = match (&parsed, &raw_row) {
        (None, Some(raw)) => Some(info.and_then(|i| Part::unpack(&i.parts)).unwrap_or_else(|| mime::parse(raw))),
        _ => None,
    };
    let o = &mut batch.bytes;
    o.extend_from_slice(format!("* {seq} FETCH (").as_bytes());
    let mut first = true;
    let mut sep = |o: &mut Vec<u8>| {
        if !first {
            o.push(b' ');
        }
        first = false;
    };
    let recent = plan.recent.binary_search(&uid).is_ok();
    let mut modseq_shown = false;
    for item in &plan.items {
        sep(o);
        match item {
            Item::Uid => o.extend_from_slice(format!("UID {uid}").as_bytes()),
            Item::Flags => o.extend_from_slice(format!("FLAGS {}", flags_list(&meta.flags, recent)).as_bytes()),
            Item::ModSeq => {
                modseq_shown = true;
                o.extend_from_slice(format!("MODSEQ ({})", meta.modseq).as_bytes());
            }
            Item::InternalDate => {
                o.extend_from_slice(format!("INTERNALDATE \"{}\"", internal_date(meta.internal_date)).as_bytes())
            }
            Item::Size => {
                let size = match (&rendition, &parsed) {
                    (Some(r), _) if plan.renderer.options.exact_size => r.size,
                    (None, Some(p)) if plan.renderer.options.exact_size => p.raw.len() as u64,
                    _ => meta.size,
                };
                o.extend_from_slice(format!("RFC822.SIZE {size}").as_bytes());
            }
            Item::Envelope => {
                o.extend_from_slice(b"ENVELOPE ");
                match (info, &parsed) {
                    (Some(i), _) => o.extend_from_slice(&i.envelope),
                    (None, Some(p)) => envelope::write(o, p.tree.header(&p.raw)),
                    (None, None) => o.extend_from_slice(b"NIL"),
                }
            }
            Item::Structure { extended } => {
                o.extend_from_slice(if *extended { b"BODYSTRUCTURE " } else { b"BODY " });
                // The parsed form, when there is one, is what is served.
                match (&rendition, &parsed, info) {
                    (Some(r), _, _) => o.extend_from_slice(if *extended { &r.bodystructure } else { &r.body }),
                    (None, Some(p), _) => structure::write(o, &p.raw, &p.tree, *extended),
                    (None, None, Some(i)) => o.extend_from_slice(if *extended { &i.bodystructure } else { &i.body }),
                    (None, None, None) => o.extend_from_slice(b"NIL"),
                }
            }
            Item::Section { path, want, partial, label, .. } => {
                let data = section(item, path, want, info, &parsed, raw_row.as_deref(), stored_tree.as_ref());
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
                let data: &[u8] = match (&parsed, &raw_row) {
                    (Some(p), _) => &p.raw,
                    (None, Some(r)) => r,
                    (None, None) => &[],
                };
                out::literal(o, data);
            }
            Item::Rfc822Header => {
                o.extend_from_slice(b"RFC822.HEADER ");
                match (&parsed, info) {
                    (Some(p), _) => out::literal(o, p.tree.header(&p.raw)),
                    (None, Some(i)) => out::literal(o, &i.header),
                    (None, None) => out::literal(o, b""),
                }
            }
            Item::Binary { path, label, .. } | Item::BinarySize { path, label } => {
                let partial = match item {
                    Item::Binary { partial, .. } => *partial,
                    _ => None,
                };
                let (r, t): (&[u8], Option<&Part>) = match (&parsed, &raw_row, &stored_tree) {
                    (Some(p), _, _) => (&p.raw, Some(&p.tree)),
                    (None, Some(r), t) => (r, t.as_ref()),
                    _ => (&[], None),
                };
                let data = match t.map(|t| binary::decoded(r, t, path)) {
                    Some(binary::Decoded::Bytes(b)) => b,
                    Some(binary::Decoded::UnknownEncoding) => {
                        batch.unknown_cte = true;
                        vec![]
                    }
                    _ => vec![],
                };
                o.extend_from_slice(label.as_bytes());
                o.push(b' ');
                if matches!(item, Item::BinarySize { .. }) {
                    o.extend_from_slice(data.len().to_string().as_bytes());
                } else {
                    let data: &[u8] = match partial {
                        Some((origin, len)) => {
                            let start = (origin as usize).min(data.len());
                            let end = start.saturating_add(len as usize).min(data.len());
                            &data[start..end]
                        }
                        None => &data,
                    };
                    // RFC 3516 4.2: literal8 only for content with NUL.
                    if data.contains(&0) {
                        o.push(b'~');
                    }
                    out::literal(o, data);
                }
            }
            Item::Rfc822Text => {
                o.extend_from_slice(b"RFC822.TEXT ");
                match (&parsed, &raw_row, &stored_tree) {
                    (Some(p), _, _) => out::literal(o, p.tree.body(&p.raw)),
                    (None, Some(r), Some(t)) => out::literal(o, t.body(r)),
                    _ => out::literal(o, b""),
                }
            }
        }
    }
    let shows_flags_now = shows_flags || flags_changed;
    if flags_changed && !shows_flags {
        sep(o);
        o.extend_from_slice(format!("FLAGS {}", flags_list(&meta.flags, recent)).as_bytes());
    }
    // RFC 7162 3.1.4.1: with CONDSTORE on, a FETCH that shows flags shows
    // the modseq too.
    if plan.condstore && shows_flags_now && !modseq_shown {
        sep(o);
        o.extend_from_slice(format!("MODSEQ ({})", meta.modseq).as_bytes());
    }
    o.extend_from_slice(b")\r\n");
    Ok(())
}

/// The bytes of a `BODY[section]`: from the parsed (served) message, from
/// the stored header block, or from the stored text and its packed tree.
fn section(
    item: &Item,
    path: &[u32],
    want: &Want,
    info: Option<&MessageInfo>,
    parsed: &Option<Parsed>,
    raw: Option<&[u8]>,
    stored_tree: Option<&Part>,
) -> Vec<u8> {
    if let Some(p) = parsed {
        return section_bytes(&p.raw, &p.tree, path, want).unwrap_or_default();
    }
    if item.served_from_header() {
        let Some(i) = info else { return vec![] };
        let header = &i.header[..];
        // The header block alone: a tree of one part whose body is empty.
        let tree = Part {
            start: 0,
            body_start: header.len(),
            end: header.len(),
            ctype: String::new(),
            subtype: String::new(),
            params: vec![],
            children: vec![],
            message: None,
        };
        return section_bytes(header, &tree, path, want).unwrap_or_default();
    }
    match (raw, stored_tree) {
        (Some(r), Some(t)) => section_bytes(r, t, path, want).unwrap_or_default(),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        db: &MailDb,
        folder: i64,
        targets: &[(u32, u32)],
        items: &[Item],
        renderer: &Renderer,
        flagged: &HashSet<u32>,
    ) -> MailResult<Batch> {
        let plan = Plan {
            folder,
            items: items.to_vec(),
            renderer: renderer.clone(),
            recent: vec![],
            condstore: false,
            changed_since: None,
        };
        fetch_batch(db, &plan, targets, flagged, usize::MAX)
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
        let b = run(&db, inbox, &[(1, uid)], &[Item::Uid, item], &plain, &none).unwrap();
        assert_eq!(
            String::from_utf8(b.bytes).unwrap(),
            "* 1 FETCH (UID 1 BODY[]<0> {20}\r\nSubject: x\r\n\r\nbody\r\n)\r\n"
        );
        let item = Item::Section { path: vec![], want: Want::All, partial: None, peek: false, label: "BODY[]".into() };
        let seen = db.mark_seen(inbox, &[uid]).unwrap();
        assert_eq!(seen.changed, vec![uid]);
        let flagged: HashSet<u32> = seen.changed.into_iter().collect();
        let b = run(&db, inbox, &[(1, uid)], &[item], &plain, &flagged).unwrap();
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
        let b = run(&db, inbox, &targets, &wanted, &Renderer::new(Default::default()), &HashSet::new()).unwrap();
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
        let b = run(&db, inbox, &[(1, uid)], &wanted, &Renderer::new(options.clone()), &none).unwrap();
        let text = String::from_utf8(b.bytes).unwrap();
        assert!(text.starts_with(&format!("* 1 FETCH (RFC822.SIZE {} RFC822 {{", raw.len())), "{text}");
        options.exact_size = true;
        let b = run(&db, inbox, &[(1, uid)], &wanted, &Renderer::new(options), &none).unwrap();
        let text = String::from_utf8(b.bytes).unwrap();
        let size: &str = text.split("RFC822.SIZE ").nth(1).and_then(|r| r.split(' ').next()).unwrap();
        assert!(text.contains(&format!("RFC822 {{{size}}}\r\n")), "the size announced is the literal sent: {text}");
    }

    /// Every item, for every kind of message and every render setting, is
    /// the same whether it comes from the metadata stored at delivery or
    /// from parsing the text; renditions are kept and then served from the
    /// store.
    #[test]
    fn stored_metadata_answers_exactly_as_parsing_does() {
        use crate::engines::imap::fetch_items::summary::summarize;
        use crate::engines::render::{CalendarMode, RenderOptions};
        use crate::store::MimeTextFormat;
        let messages: Vec<&[u8]> = vec![
            crate::engines::mime::tests::MULTI,
            b"Subject: x\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nUID:1\r\nEND:VCALENDAR\r\n",
            b"From: a@b\r\nContent-Type: multipart/alternative; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\nplain\r\n--q\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--q--\r\n",
            b"Subject: no body",
        ];
        let dir = tempfile::tempdir().unwrap();
        let mut parsed_db = MailDb::open(&dir.path().join("parsed.db")).unwrap();
        let mut stored_db = MailDb::open(&dir.path().join("stored.db")).unwrap();
        stored_db.set_summarizer(summarize);
        let a = parsed_db.deliver_many("g", &messages).unwrap();
        let b = stored_db.deliver_many("g", &messages).unwrap();
        assert_eq!(a, b);
        let inbox = parsed_db.inbox_snapshot("g").unwrap().folder_id;
        let section = |path: Vec<u32>, want: Want, label: &str| Item::Section {
            path,
            want,
            partial: None,
            peek: true,
            label: label.into(),
        };
        let items = vec![
            Item::Uid,
            Item::Size,
            Item::Envelope,
            Item::Structure { extended: false },
            Item::Structure { extended: true },
            Item::Rfc822Header,
            Item::Rfc822Text,
            section(vec![], Want::HeaderFields { names: vec![b"SUBJECT".to_vec(), b"FROM".to_vec()], not: false }, "H"),
            section(vec![], Want::HeaderFields { names: vec![b"SUBJECT".to_vec()], not: true }, "N"),
            section(vec![1], Want::All, "P1"),
            section(vec![2], Want::Header, "P2H"),
            section(vec![1], Want::Mime, "P1M"),
            section(vec![], Want::Text, "T"),
            Item::Rfc822,
        ];
        let targets: Vec<(u32, u32)> = a.iter().enumerate().map(|(i, u)| (i as u32 + 1, *u)).collect();
        let link = CalendarMode::Link { base_url: "https://o/owa".into() };
        for options in [
            RenderOptions::default(),
            RenderOptions { calendar: link.clone(), exact_size: true, ..Default::default() },
            RenderOptions { mime_format: MimeTextFormat::TextOnly, exact_size: true, ..Default::default() },
            RenderOptions { mime_format: MimeTextFormat::HtmlOnly, calendar: link, exact_size: false },
        ] {
            let r = Renderer::new(options);
            let none = HashSet::new();
            let want = run(&parsed_db, inbox, &targets, &items, &r, &none).unwrap();
            let got = run(&stored_db, inbox, &targets, &items, &r, &none).unwrap();
            assert_eq!(String::from_utf8_lossy(&got.bytes), String::from_utf8_lossy(&want.bytes), "{:?}", r.options);
            assert_eq!(want.infos.len(), messages.len(), "the parsing side computed what was missing");
            assert!(got.infos.is_empty());
            // Metadata items only: renditions are computed once, then read.
            let meta_items = [Item::Size, Item::Structure { extended: true }, Item::Envelope];
            let first = run(&stored_db, inbox, &targets, &meta_items, &r, &none).unwrap();
            stored_db.save_renditions(inbox, &r.variant(), &first.renditions).unwrap();
            let again = run(&stored_db, inbox, &targets, &meta_items, &r, &none).unwrap();
            assert!(again.renditions.is_empty(), "served from the stored renditions");
            assert_eq!(again.bytes, first.bytes);
            let want = run(&parsed_db, inbox, &targets, &meta_items, &r, &none).unwrap();
            assert_eq!(String::from_utf8_lossy(&again.bytes), String::from_utf8_lossy(&want.bytes));
        }
        // The backfill gives the parsed database the same metadata.
        assert_eq!(parsed_db.backfill_info(summarize).unwrap(), messages.len());
        assert_eq!(parsed_db.backfill_info(summarize).unwrap(), 0);
        let r = Renderer::new(Default::default());
        let after = run(&parsed_db, inbox, &targets, &items, &r, &HashSet::new()).unwrap();
        assert!(after.infos.is_empty());
        let stored = run(&stored_db, inbox, &targets, &items, &r, &HashSet::new()).unwrap();
        assert_eq!(after.bytes, stored.bytes);
    }
}
