//! What the POP3 back end needs: a snapshot of the Inbox at login, the
//! message bytes, and deletion of a set of UIDs at QUIT (via
//! [`MailDb::delete_messages`], one transaction).

use super::{INBOX, MailDb, MailError, MailResult, MailboxId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PopMessage {
    pub uid: u32,
    /// Octets of the stored CRLF form.
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopSnapshot {
    pub mailbox: MailboxId,
    pub folder_id: i64,
    /// With the UID, makes a UIDL that is never reused.
    pub uidvalidity: u32,
    /// In UID order (oldest first).
    pub messages: Vec<PopMessage>,
}

impl PopSnapshot {
    /// `UIDVALIDITY.UID`: unique, stable across sessions, never reused.
    pub fn uidl(&self, uid: u32) -> String {
        format!("{}.{}", self.uidvalidity, uid)
    }
}

impl MailDb {
    /// The Inbox of the mailbox `guid` as it is now (created on first use).
    pub fn inbox_snapshot(&mut self, guid: &str) -> MailResult<PopSnapshot> {
        let mailbox = self.ensure_mailbox(guid)?;
        // The folder and its messages of one instant.
        self.snapshot(|db| {
            let inbox = db.folder(mailbox, INBOX)?.ok_or(MailError::NoSuchFolder)?;
            let messages =
                db.messages(inbox.id)?.into_iter().map(|m| PopMessage { uid: m.uid, size: m.size }).collect();
            Ok(PopSnapshot { mailbox, folder_id: inbox.id, uidvalidity: inbox.uidvalidity, messages })
        })
    }

    /// Delivers a message to the Inbox of `guid` (tests, benchmarks, and
    /// whatever later plays the part of transport).
    pub fn deliver(&mut self, guid: &str, raw: &[u8]) -> MailResult<u32> {
        let mailbox = self.ensure_mailbox(guid)?;
        let inbox = self.folder(mailbox, INBOX)?.ok_or(MailError::NoSuchFolder)?;
        Ok(self.append(inbox.id, &Default::default(), super::now_unix(), raw)?.uid)
    }

    /// Delivers many messages to the Inbox of `guid` in one transaction
    /// (seeding benchmarks and test mailboxes: one fsync, not thousands).
    pub fn deliver_many(&mut self, guid: &str, messages: &[&[u8]]) -> MailResult<Vec<u32>> {
        let mailbox = self.ensure_mailbox(guid)?;
        let inbox = self.folder(mailbox, INBOX)?.ok_or(MailError::NoSuchFolder)?;
        self.append_many(inbox.id, super::now_unix(), messages)
    }
}
