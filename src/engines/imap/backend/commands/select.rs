//! SELECT and EXAMINE (RFC 3501 6.3.1-2, RFC 7162 3.1.2 and 3.2.5). The
//! folder, its messages and its recent ones are read in one transaction.
//! EXAMINE changes nothing, \Recent included, but reports the recent
//! messages as SELECT and STATUS would. Every answer carries HIGHESTMODSEQ
//! (modseqs are kept for every folder). With QRESYNC and a UIDVALIDITY the
//! client knows, the changes since its modseq follow: VANISHED (EARLIER) for
//! what was expunged (limited to the UIDs it says it knows) and FETCH for
//! what changed, read in the same transaction as the view.

use imap_codec::imap_types::command::SelectParameter;
use imap_codec::imap_types::mailbox::Mailbox;

use super::fetch::flags_list;
use super::{Done, find_folder};
use crate::engines::imap::backend::selected::Selected;
use crate::engines::imap::backend::sequence;
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::texts;

pub async fn run(
    s: &mut ImapSession,
    mailbox: Mailbox<'static>,
    read_only: bool,
    parameters: Vec<SelectParameter>,
) -> Done {
    // A failed SELECT leaves no folder selected; a selected one is closed
    // first, which RFC 7162 3.2.11 (and RFC 9051) have the server say.
    if s.selected.take().is_some() {
        s.untagged("OK [CLOSED] Previous mailbox is now closed.");
    }
    let name = if read_only { "EXAMINE" } else { "SELECT" };
    let mut resync = None;
    for p in parameters {
        match p {
            SelectParameter::CondStore => s.enabled.condstore = true,
            // RFC 7162 3.2.5: QRESYNC must be enabled first.
            SelectParameter::QResync { .. } if !s.enabled.qresync => return Done::bad(texts::ARGUMENT_ERROR),
            SelectParameter::QResync { uid_validity, mod_sequence_value, known_uids, .. } => {
                resync = Some((uid_validity.get(), mod_sequence_value.get(), known_uids));
            }
        }
    }
    let folder = match find_folder(s, &mailbox).await {
        Ok(Some(f)) => f,
        Ok(None) => return Done::no("The specified folder could not be found in the store."),
        Err(e) => return Done::failed(&e),
    };
    // The client's cache is of this folder only if UIDVALIDITY is the same.
    let resync = resync.filter(|(validity, _, _)| *validity == folder.uidvalidity);
    let since = resync.as_ref().map(|(_, m, _)| *m);
    let rev2 = s.enabled.rev2;
    let opened = s.home.pool.run(move |db| Selected::open(db, folder.id, read_only, since, rev2)).await;
    let (mut selected, opened) = match opened {
        Ok(x) => x,
        Err(e) => return Done::failed(&e),
    };
    s.untagged(&format!("{} EXISTS", selected.uids.len()));
    if rev2 {
        // RFC 9051 6.3.2: a LIST response, no RECENT, no [UNSEEN].
        selected.recent.clear();
        match super::rev2::select_list(s, &selected.folder).await {
            Ok(line) => s.out.extend_from_slice(&line),
            Err(e) => return Done::failed(&e),
        }
    } else {
        s.untagged(&format!("{} RECENT", selected.recent_count()));
    }
    s.untagged(&format!("FLAGS {}", selected.flags()));
    s.untagged(&format!("OK [PERMANENTFLAGS {}] Permanent flags", selected.permanent_flags()));
    if let (Some(i), false) = (opened.first_unseen, rev2) {
        s.untagged(&format!("OK [UNSEEN {}] Is the first unseen message", i + 1));
    }
    s.untagged(&format!("OK [UIDVALIDITY {}] UIDVALIDITY value", selected.folder.uidvalidity));
    s.untagged(&format!("OK [UIDNEXT {}] The next unique identifier value", selected.folder.uidnext));
    s.untagged(&format!("OK [HIGHESTMODSEQ {}] Highest", selected.folder.highest_modseq));
    if let Some((_, _, known)) = resync {
        let star = selected.folder.uidnext.saturating_sub(1);
        let vanished = match &known {
            Some(set) => sequence::ranges_in_set(&opened.vanished, set, star),
            None => opened.vanished,
        };
        if !vanished.is_empty() {
            s.untagged(&format!("VANISHED (EARLIER) {}", sequence::compress_ranges(&vanished)));
        }
        for m in &opened.changed {
            let Some(seq) = selected.seq_of(m.uid) else { continue };
            let flags = flags_list(&m.flags, selected.is_recent(m.uid));
            s.untagged(&format!("{seq} FETCH (UID {} FLAGS {flags} MODSEQ ({}))", m.uid, m.modseq));
        }
    }
    s.selected = Some(selected);
    Done::ok(format!("[{}] {name} completed.", if read_only { "READ-ONLY" } else { "READ-WRITE" }))
}
