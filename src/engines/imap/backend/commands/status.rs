//! STATUS (RFC 3501 6.3.10) with SIZE (RFC 8438) and HIGHESTMODSEQ (RFC
//! 7162 3.1.6): every figure from one snapshot of the folder.

use imap_codec::imap_types::mailbox::Mailbox;
use imap_codec::imap_types::status::StatusDataItemName;

use super::{Done, display_name, find_folder};
use crate::engines::imap::backend::session::{ImapSession, MAX_MESSAGE};
use crate::engines::imap::texts;
use crate::engines::imap::wire::ext::StatusItem;
use crate::engines::imap::wire::out;

pub async fn run(s: &mut ImapSession, mailbox: Mailbox<'static>, items: &[StatusItem]) -> Done {
    let folder = match find_folder(s, &mailbox).await {
        Ok(Some(f)) => f,
        Ok(None) => return Done::no("The specified folder could not be found in the store."),
        Err(e) => return Done::failed(&e),
    };
    if items.contains(&StatusItem::Codec(StatusDataItemName::HighestModSeq)) {
        s.enabled.condstore = true;
    }
    let id = folder.id;
    let status = match s.home.pool.run(move |db| db.folder_status(id)).await {
        Ok(st) => st,
        Err(e) => return Done::failed(&e),
    };
    let mut parts = Vec::new();
    for item in items {
        match status_item(item, &status) {
            Some(part) => parts.push(part),
            // Not advertised (RFC 9208 QUOTA=RES-STORAGE's item): refused
            // rather than left out.
            None => return Done::bad(texts::ARGUMENT_ERROR),
        }
    }
    let mut line = b"* STATUS ".to_vec();
    out::mailbox(&mut line, &display_name(&folder, s.enabled.utf8), s.enabled.utf8);
    line.extend_from_slice(format!(" ({})\r\n", parts.join(" ")).as_bytes());
    s.out.extend_from_slice(&line);
    Done::completed("STATUS")
}

/// One STATUS data item of a folder, as STATUS and LIST-STATUS answer it;
/// `None` for an item mailsh does not serve (DELETED-STORAGE).
pub(super) fn status_item(item: &StatusItem, status: &crate::store::mail::FolderStatus) -> Option<String> {
    let item = match item {
        // RFC 7889 3.1: the same limit for every folder (the APPENDLIMIT=
        // capability says it too).
        StatusItem::AppendLimit => return Some(format!("APPENDLIMIT {MAX_MESSAGE}")),
        StatusItem::Codec(item) => item,
    };
    Some(match item {
        StatusDataItemName::Messages => format!("MESSAGES {}", status.messages),
        StatusDataItemName::Recent => format!("RECENT {}", status.recent),
        StatusDataItemName::UidNext => format!("UIDNEXT {}", status.uidnext),
        StatusDataItemName::UidValidity => format!("UIDVALIDITY {}", status.uidvalidity),
        StatusDataItemName::Unseen => format!("UNSEEN {}", status.unseen),
        StatusDataItemName::Deleted => format!("DELETED {}", status.deleted),
        StatusDataItemName::Size => format!("SIZE {}", status.size),
        StatusDataItemName::HighestModSeq => format!("HIGHESTMODSEQ {}", status.highest_modseq),
        StatusDataItemName::DeletedStorage => return None,
    })
}
