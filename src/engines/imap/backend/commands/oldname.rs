//! OLDNAME (RFC 9051 6.3.4-6.3.6, 7.3.1). Mailbox names are Net-Unicode
//! (RFC 5198: NFC); a name sent in another form is stored, found and
//! deleted in NFC (`folder_name`). An IMAP4rev2 session is then told which
//! name the server used, by an untagged LIST with the OLDNAME extended
//! data item naming what it sent:
//!
//! ```text
//! C: a CREATE "Cafe\u{301}"
//! S: * LIST (\HasNoChildren) "/" "Café" ("OLDNAME" ("Cafe\u{301}"))
//! S: a OK CREATE completed.
//! ```
//!
//! After RENAME it names the new folder and the new name as sent; after
//! DELETE the deleted name, `\NonExistent` (RFC 9051 6.3.5). An IMAP4rev1
//! session, which may not parse LIST-EXTENDED's extended items, is not
//! told (the name is converted all the same, as RFC 9051 6.3.4 allows).
//! Names already in NFC get nothing: mailsh converts nothing else.

use imap_codec::imap_types::mailbox::Mailbox;

use super::{find_folder_named, folder_name, normalized_from, rev2};
use crate::engines::imap::backend::mailbox_names::MailboxNames;
use crate::engines::imap::backend::session::ImapSession;
use crate::store::mail::Folder;

/// After a CREATE or RENAME that stored `mailbox` (the name the client
/// sent): the LIST with OLDNAME when the name was converted. The command
/// has succeeded: should the folder not be read back, the LIST is left out
/// and the command's OK stands.
pub async fn stored(s: &mut ImapSession, mailbox: &Mailbox<'_>) {
    let (Some(old), Some(name)) = (told(s, mailbox), folder_name(mailbox, s.enabled.utf8)) else { return };
    let Ok(Some(folder)) = find_folder_named(s, name).await else { return };
    if let Ok(line) = rev2::folder_list(s, &folder, Some(&old)).await {
        s.out.extend_from_slice(&line);
    }
}

/// After a DELETE of `folder`, named by `mailbox`: the LIST with
/// `\NonExistent` and OLDNAME when the name was converted, and
/// `\Subscribed` when the name still is (DELETE leaves subscriptions).
pub async fn deleted(s: &mut ImapSession, mailbox: &Mailbox<'_>, folder: &Folder) {
    let Some(old) = told(s, mailbox) else { return };
    let subscribed = MailboxNames::load(s).await.is_ok_and(|n| n.is_subscribed(&folder.name));
    let attrs = if subscribed { "\\NonExistent \\Subscribed" } else { "\\NonExistent" };
    let name = super::display_name(folder, s.enabled.utf8);
    let line = rev2::list_line(attrs, &name, Some(&old), s.enabled.utf8);
    s.out.extend_from_slice(&line);
}

/// What the client sent, when the session is told of conversions and this
/// name was converted.
fn told(s: &ImapSession, mailbox: &Mailbox<'_>) -> Option<String> {
    if !s.enabled.rev2 {
        return None;
    }
    normalized_from(mailbox, s.enabled.utf8)
}
