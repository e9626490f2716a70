//! Folders: Exchange's default set, user folders with `/` as the hierarchy
//! separator, UIDVALIDITY and UIDNEXT bookkeeping.

use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior, params};

use super::{MailDb, MailError, MailResult, MailboxId};

/// The Inbox's stored name; IMAP shows it as `INBOX`.
pub const INBOX: &str = "Inbox";

/// Exchange 2013's folders, created with every mailbox: (name, SPECIAL-USE
/// attribute, hidden from IMAP unless ShowHiddenFoldersEnabled).
pub const DEFAULT_FOLDERS: &[(&str, Option<&str>, bool)] = &[
    (INBOX, None, false),
    ("Drafts", Some("\\Drafts"), false),
    ("Sent Items", Some("\\Sent"), false),
    ("Deleted Items", Some("\\Trash"), false),
    ("Junk Email", Some("\\Junk"), false),
    // What a user leaves here is sent by MSExchangeSubmission.
    (super::outbox::OUTBOX, None, false),
    ("Calendar", None, true),
    ("Contacts", None, true),
    ("Tasks", None, true),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    pub id: i64,
    /// Full name, levels separated by `/` (`Inbox/Receipts`).
    pub name: String,
    pub special_use: Option<String>,
    pub hidden: bool,
    pub uidvalidity: u32,
    pub uidnext: u32,
    pub highest_modseq: u64,
}

impl Folder {
    /// One of Exchange's default folders, which cannot be deleted or renamed.
    pub fn is_default(&self) -> bool {
        DEFAULT_FOLDERS.iter().any(|(n, _, _)| *n == self.name)
    }
}

/// The cheap part of a folder that tells whether anything changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderState {
    pub uidvalidity: u32,
    pub uidnext: u32,
    pub highest_modseq: u64,
    pub messages: u32,
}

pub(super) const COLUMNS: &str = "id, name, special_use, hidden, uidvalidity, uidnext, highest_modseq";

pub(super) fn from_row(r: &Row) -> rusqlite::Result<Folder> {
    Ok(Folder {
        id: r.get(0)?,
        name: r.get(1)?,
        special_use: r.get(2)?,
        hidden: r.get(3)?,
        uidvalidity: r.get(4)?,
        uidnext: r.get(5)?,
        highest_modseq: r.get::<_, i64>(6)? as u64,
    })
}

/// `INBOX` in any case (and as the first level of a path) means the Inbox.
pub fn canonical_name(name: &str) -> String {
    let (first, rest) = match name.split_once('/') {
        Some((f, r)) => (f, Some(r)),
        None => (name, None),
    };
    let first = if first.eq_ignore_ascii_case("INBOX") { INBOX } else { first };
    match rest {
        Some(r) => format!("{first}/{r}"),
        None => first.to_string(),
    }
}

pub(super) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 1024
        && !name.split('/').any(|level| level.is_empty() || level.trim() != level)
        && !name.chars().any(|c| c.is_control() || c == '*' || c == '%')
}

/// A UIDVALIDITY that no folder of this mailbox ever had, deleted ones
/// included: clients resync when it changes, and a folder re-created under
/// the same name must never look like the old one (the same name,
/// UIDVALIDITY and UID would name two messages). The mailbox keeps the last
/// value given; the next is the clock's second when that is higher (values
/// stay readable as creation times), else the last plus one.
fn next_uidvalidity(tx: &Transaction, mailbox: i64) -> MailResult<u32> {
    // Below 2^31: some clients keep UIDVALIDITY in a signed 32-bit integer.
    let now = super::now_unix().clamp(1, i32::MAX as i64);
    let next: i64 = tx
        .query_row(
            "UPDATE mailbox SET last_uidvalidity = max(last_uidvalidity + 1, ?2) WHERE id = ?1
             RETURNING last_uidvalidity",
            params![mailbox, now],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(MailError::NoSuchFolder)?;
    u32::try_from(next).map_err(|_| MailError::UidValidityExhausted)
}

/// Folders the client (or Exchange) made are subscribed (their names are
/// added to the subscriptions); the parent levels CREATE or RENAME had to
/// add on the way are not, so LSUB shows them only as `\Noselect` parents
/// of what is subscribed (RFC 3501 6.3.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Made {
    Asked,
    OnTheWay,
}

pub(super) fn insert_folder(
    tx: &Transaction,
    mailbox: i64,
    name: &str,
    special_use: Option<&str>,
    hidden: bool,
    made: Made,
) -> MailResult<i64> {
    let uidvalidity = next_uidvalidity(tx, mailbox)?;
    tx.execute(
        "INSERT INTO folder (mailbox_id, name, special_use, hidden, uidvalidity) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![mailbox, name, special_use, hidden, uidvalidity],
    )?;
    let id = tx.last_insert_rowid();
    if made == Made::Asked {
        super::subscriptions::add(tx, mailbox, name)?;
    }
    Ok(id)
}

impl MailDb {
    /// Every folder of the mailbox, in name order.
    pub fn folders(&self, mailbox: MailboxId) -> MailResult<Vec<Folder>> {
        let sql = format!("SELECT {COLUMNS} FROM folder WHERE mailbox_id = ?1 ORDER BY name");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([mailbox.0], from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The folder named `name` (`INBOX` in any case is the Inbox).
    pub fn folder(&self, mailbox: MailboxId, name: &str) -> MailResult<Option<Folder>> {
        let sql = format!("SELECT {COLUMNS} FROM folder WHERE mailbox_id = ?1 AND name = ?2");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row(params![mailbox.0, canonical_name(name)], from_row).optional()?)
    }

    pub fn folder_by_id(&self, id: i64) -> MailResult<Option<Folder>> {
        let sql = format!("SELECT {COLUMNS} FROM folder WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row([id], from_row).optional()?)
    }

    pub fn folder_state(&self, folder_id: i64) -> MailResult<Option<FolderState>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT uidvalidity, uidnext, highest_modseq, (SELECT count(*) FROM message WHERE folder_id = ?1)
             FROM folder WHERE id = ?1",
        )?;
        Ok(stmt
            .query_row([folder_id], |r| {
                Ok(FolderState {
                    uidvalidity: r.get(0)?,
                    uidnext: r.get(1)?,
                    highest_modseq: r.get::<_, i64>(2)? as u64,
                    messages: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// Creates `name` and any missing parent levels (IMAP CREATE).
    pub fn create_folder(&mut self, mailbox: MailboxId, name: &str) -> MailResult<Folder> {
        self.create_special_folder(mailbox, name, None)
    }

    /// CREATE with SPECIAL-USE attributes (`\Sent`, or several separated
    /// by spaces) for the folder asked for (RFC 6154 5.2).
    pub fn create_special_folder(
        &mut self,
        mailbox: MailboxId,
        name: &str,
        special_use: Option<&str>,
    ) -> MailResult<Folder> {
        let name = canonical_name(name.trim_end_matches('/'));
        if !valid_name(&name) {
            return Err(MailError::BadFolderName);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if folder_id(&tx, mailbox.0, &name)?.is_some() {
            return Err(MailError::FolderExists);
        }
        let mut path = String::new();
        let mut id = 0;
        let levels = name.split('/').count();
        for (i, level) in name.split('/').enumerate() {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(level);
            let made = if i + 1 == levels { Made::Asked } else { Made::OnTheWay };
            let special = if made == Made::Asked { special_use } else { None };
            id = match folder_id(&tx, mailbox.0, &path)? {
                Some(existing) => existing,
                None => insert_folder(&tx, mailbox.0, &path, special, false, made)?,
            };
        }
        tx.commit()?;
        self.folder_by_id(id)?.ok_or(MailError::NoSuchFolder)
    }

    /// Deletes a user folder and its messages. Default folders and folders
    /// with children stay, and so does the name's subscription (RFC 3501
    /// 6.3.6: a server MUST NOT remove a name from the subscriptions because
    /// its mailbox is gone).
    pub fn delete_folder(&mut self, mailbox: MailboxId, name: &str) -> MailResult<()> {
        let folder = self.folder(mailbox, name)?.ok_or(MailError::NoSuchFolder)?;
        if folder.is_default() {
            return Err(MailError::ProtectedFolder);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let children: i64 = tx.query_row(
            "SELECT count(*) FROM folder WHERE mailbox_id = ?1 AND substr(name, 1, ?2) = ?3",
            // substr counts characters, not bytes.
            params![mailbox.0, folder.name.chars().count() as i64 + 1, format!("{}/", folder.name)],
            |r| r.get(0),
        )?;
        if children > 0 {
            return Err(MailError::HasChildren);
        }
        tx.execute("DELETE FROM folder WHERE id = ?1", [folder.id])?;
        tx.commit()?;
        Ok(())
    }

    /// Renames a user folder and its children. Renaming the Inbox moves its
    /// messages to a new folder and leaves the Inbox empty (RFC 3501 6.3.5).
    pub fn rename_folder(&mut self, mailbox: MailboxId, from: &str, to: &str) -> MailResult<()> {
        let folder = self.folder(mailbox, from)?.ok_or(MailError::NoSuchFolder)?;
        let to = canonical_name(to.trim_end_matches('/'));
        if !valid_name(&to) {
            return Err(MailError::BadFolderName);
        }
        if self.folder(mailbox, &to)?.is_some() {
            return Err(MailError::FolderExists);
        }
        if folder.name == INBOX {
            let target = self.create_folder(mailbox, &to)?;
            let uids: Vec<u32> = self.messages(folder.id)?.iter().map(|m| m.uid).collect();
            // Whatever is there now: a message expunged meanwhile stays gone.
            self.move_some(folder.id, &uids, target.id, false)?;
            return Ok(());
        }
        if folder.is_default() || to.starts_with(&format!("{}/", folder.name)) {
            return Err(MailError::ProtectedFolder);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Parents of the new name must exist.
        if let Some((parent, _)) = to.rsplit_once('/') {
            let mut path = String::new();
            for level in parent.split('/') {
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(level);
                if folder_id(&tx, mailbox.0, &path)?.is_none() {
                    insert_folder(&tx, mailbox.0, &path, None, false, Made::OnTheWay)?;
                }
            }
        }
        let prefix = format!("{}/", folder.name);
        // substr counts characters, not bytes.
        let chars = prefix.chars().count() as i64;
        tx.execute(
            "UPDATE folder SET name = ?3 || substr(name, ?4) WHERE mailbox_id = ?1 AND substr(name, 1, ?2) = ?5",
            params![mailbox.0, chars, format!("{to}/"), chars + 1, prefix],
        )?;
        super::subscriptions::follow_rename(&tx, mailbox.0, &folder.name, &to)?;
        // A renamed folder is a new mailbox to clients: new UIDVALIDITY.
        let uidvalidity = next_uidvalidity(&tx, mailbox.0)?;
        tx.execute("UPDATE folder SET name = ?2, uidvalidity = ?3 WHERE id = ?1", params![folder.id, to, uidvalidity])?;
        tx.commit()?;
        Ok(())
    }
}

fn folder_id(tx: &Transaction, mailbox: i64, name: &str) -> MailResult<Option<i64>> {
    Ok(tx
        .query_row("SELECT id FROM folder WHERE mailbox_id = ?1 AND name = ?2", params![mailbox, name], |r| r.get(0))
        .optional()?)
}
