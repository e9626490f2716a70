//! STATUS (RFC 3501 6.3.10).

use imap_codec::imap_types::mailbox::Mailbox;
use imap_codec::imap_types::status::StatusDataItemName;

use super::{Done, display_name, find_folder};
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::wire::out;
use crate::store::mail::flag;

pub async fn run(s: &mut ImapSession, mailbox: Mailbox<'static>, items: &[StatusDataItemName]) -> Done {
    let folder = match find_folder(s, &mailbox).await {
        Ok(Some(f)) => f,
        Ok(None) => return Done::no("The specified folder could not be found in the store."),
        Err(e) => return Done::failed(&e),
    };
    let id = folder.id;
    let (messages, recent) = match s.shared.db.run(move |db| Ok((db.messages(id)?, db.recent_count(id)?))).await {
        Ok(m) => m,
        Err(e) => return Done::failed(&e),
    };
    let mut parts = Vec::new();
    for item in items {
        parts.push(match item {
            StatusDataItemName::Messages => format!("MESSAGES {}", messages.len()),
            StatusDataItemName::Recent => format!("RECENT {recent}"),
            StatusDataItemName::UidNext => format!("UIDNEXT {}", folder.uidnext),
            StatusDataItemName::UidValidity => format!("UIDVALIDITY {}", folder.uidvalidity),
            StatusDataItemName::Unseen => {
                format!("UNSEEN {}", messages.iter().filter(|m| !m.flags.has(flag::SEEN)).count())
            }
            StatusDataItemName::Deleted => {
                format!("DELETED {}", messages.iter().filter(|m| m.flags.has(flag::DELETED)).count())
            }
            _ => continue,
        });
    }
    let mut line = b"* STATUS ".to_vec();
    out::mailbox(&mut line, &display_name(&folder));
    line.extend_from_slice(format!(" ({})\r\n", parts.join(" ")).as_bytes());
    s.out.extend_from_slice(&line);
    Done::completed("STATUS")
}
