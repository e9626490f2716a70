//! IMAP4rev2 (RFC 9051) alongside IMAP4rev1 (Appendix A): both are
//! advertised, a session speaks IMAP4rev1 until the client sends `ENABLE
//! IMAP4rev2`, then these differences (Appendix E) apply:
//! - mailbox names and quoted strings are UTF-8, not modified UTF-7 (item
//!   16, RFC 9051 5.1; the same switch as UTF8=ACCEPT);
//! - SEARCH answers ESEARCH, as `RETURN (ALL)` (item 4, 6.4.4);
//! - SELECT and EXAMINE send a LIST response for the folder with its
//!   attributes (item 10, 6.3.2) and neither RECENT nor `OK [UNSEEN]`
//!   (items 11, 12); no RECENT after new arrivals either, and `\Recent`
//!   is never shown (the session keeps no recent set);
//! - unsolicited FETCH responses carry the UID (item 21, 7.5.2).
//!
//! What IMAP4rev2 folds in was already there for IMAP4rev1 clients:
//! NAMESPACE, UNSELECT, UIDPLUS, ESEARCH, SEARCHRES, ENABLE, IDLE, SASL-IR,
//! LIST-EXTENDED, LIST-STATUS, MOVE, LITERAL+, BINARY's FETCH, SPECIAL-USE,
//! STATUS SIZE and DELETED, [CLOSED]. Commands IMAP4rev2 removed (CHECK,
//! LSUB, RFC822.* items) are still served: a rev1 client may share the
//! connection's history, and RFC 9051 A allows it.

use super::list::attributes;
use crate::engines::imap::backend::mailbox_names::MailboxNames;
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::wire::out;
use crate::store::mail::{Folder, MailResult};

/// `* LIST (attributes) "/" name` for the folder being selected (RFC 9051
/// 6.3.2: the attributes must be accurate, as LIST gives them).
pub async fn select_list(s: &ImapSession, folder: &Folder) -> MailResult<Vec<u8>> {
    folder_list(s, folder, None).await
}

/// The LIST response for a folder, with an OLDNAME extended data item
/// (RFC 9051 7.3.1) when `old_name` is given. That one follows a CREATE or
/// RENAME, which subscribe the name: it says `\Subscribed` when the name
/// is (6.3.4, 6.3.6: "MUST include the \Subscribed attribute").
pub async fn folder_list(s: &ImapSession, folder: &Folder, old_name: Option<&str>) -> MailResult<Vec<u8>> {
    let names = MailboxNames::load(s).await?;
    let visible: Vec<&Folder> = names.folders().iter().collect();
    let mut attrs = attributes(folder, &visible);
    if old_name.is_some() && names.is_subscribed(&folder.name) {
        attrs.push("\\Subscribed");
    }
    Ok(list_line(&attrs.join(" "), &super::display_name(folder, s.enabled.utf8), old_name, s.enabled.utf8))
}

/// `* LIST (attrs) "/" name` and, with `old_name`, ` ("OLDNAME" (old))`.
pub fn list_line(attrs: &str, name: &str, old_name: Option<&str>, utf8: bool) -> Vec<u8> {
    let mut line = format!("* LIST ({attrs}) \"/\" ").into_bytes();
    out::mailbox(&mut line, name, utf8);
    if let Some(old) = old_name {
        line.extend_from_slice(b" (\"OLDNAME\" (");
        out::mailbox(&mut line, old, utf8);
        line.extend_from_slice(b"))");
    }
    line.extend_from_slice(b"\r\n");
    line
}
