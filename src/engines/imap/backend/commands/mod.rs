//! One module per IMAP command. Each handler gets the session (already in
//! the right state: the dispatcher checked) and returns how the command
//! ended; the dispatcher sends pending untagged updates and the tagged line.

pub mod append;
pub mod authenticate;
pub mod capability;
pub mod catenate;
pub mod close;
pub mod compress;
pub mod copy;
pub mod create;
pub mod delete;
pub mod enable;
pub mod esearch;
pub mod expunge;
pub mod fetch;
pub mod id;
pub mod idle;
pub mod list;
pub mod list_extended;
pub mod logout;
pub mod namespace;
pub mod noop;
pub mod oldname;
pub mod quota;
pub mod rename;
pub mod rev2;
pub mod search;
pub mod searchres;
pub mod select;
pub mod sort;
pub mod status;
pub mod store;
pub mod subscribe;
pub mod thread;

use imap_codec::imap_types::command::CommandBody;
use imap_codec::imap_types::mailbox::Mailbox;
use unicode_normalization::UnicodeNormalization;

use super::session::{AfterCommand, ImapSession, Io};
use crate::engines::imap::texts;
use crate::engines::imap::wire::ext::{ExtCommand, StatusItem};
use crate::engines::imap::wire::utf7;
use crate::store::mail::{Folder, MailError};

/// The answer to a command naming messages another session expunged
/// (RFC 5530); the client learns which at its next NOOP.
pub const EXPUNGE_ISSUED: &str = "[EXPUNGEISSUED] Some of the requested messages no longer exist.";

/// How a command ended: the tagged status and text, and whether the
/// connection stays.
pub struct Done {
    pub status: &'static str,
    pub text: String,
    pub then: AfterCommand,
    /// The command wrote its tagged line itself (COMPRESS: before the
    /// stream changes).
    pub answered: bool,
}

impl Done {
    pub fn ok(text: impl Into<String>) -> Done {
        Done { status: "OK", text: text.into(), then: AfterCommand::Continue, answered: false }
    }
    pub fn no(text: impl Into<String>) -> Done {
        Done { status: "NO", text: text.into(), then: AfterCommand::Continue, answered: false }
    }
    pub fn bad(text: impl Into<String>) -> Done {
        Done { status: "BAD", text: text.into(), then: AfterCommand::Continue, answered: false }
    }
    pub fn completed(name: &str) -> Done {
        Done::ok(format!("{name} completed."))
    }
    pub fn closing(mut self) -> Done {
        self.then = AfterCommand::Close;
        self
    }
    /// A mailbox database failure.
    pub fn failed(e: &MailError) -> Done {
        match e {
            MailError::NoSuchFolder => Done::no("The specified folder could not be found in the store."),
            MailError::FolderExists => Done::no("A folder with the specified name already exists."),
            MailError::ProtectedFolder => Done::no("This folder cannot be deleted or renamed."),
            MailError::HasChildren => Done::no("The folder has subfolders."),
            MailError::BadFolderName => Done::bad(texts::ARGUMENT_ERROR),
            MailError::Expunged => Done::no(EXPUNGE_ISSUED),
            MailError::OverQuota => Done::no(quota::OVER_QUOTA),
            other => {
                eprintln!("mailsh: IMAP4 back end: mailbox database error: {other}");
                Done::no(texts::SERVER_UNAVAILABLE)
            }
        }
    }
}

pub async fn run(s: &mut ImapSession, io: &mut Io, tag: &str, body: CommandBody<'static>) -> std::io::Result<Done> {
    use CommandBody::*;
    Ok(match body {
        Capability => capability::run(s),
        Noop => noop::run("NOOP"),
        Check => noop::run("CHECK"),
        Logout => logout::run(s),
        Id { .. } => id::run(s),
        Authenticate { mechanism, initial_response } => {
            authenticate::authenticate(s, io, mechanism, initial_response).await?
        }
        Login { username, password } => authenticate::login(s, username, password).await,
        StartTLS => Done::bad(texts::COMMAND_ERROR),
        Enable { capabilities } => enable::run(s, capabilities.as_ref()),
        Namespace => namespace::run(s),
        Select { mailbox, parameters } => select::run(s, mailbox, false, parameters).await,
        Examine { mailbox, parameters } => select::run(s, mailbox, true, parameters).await,
        Create { mailbox } => create::run(s, mailbox).await,
        Delete { mailbox } => delete::run(s, mailbox).await,
        Rename { from, to } => rename::run(s, from, to).await,
        Subscribe { mailbox } => subscribe::run(s, mailbox, true).await,
        Unsubscribe { mailbox } => subscribe::run(s, mailbox, false).await,
        List { reference, mailbox_wildcard } => list::run(s, reference, mailbox_wildcard, false).await,
        Lsub { reference, mailbox_wildcard } => list::run(s, reference, mailbox_wildcard, true).await,
        Status { mailbox, item_names } => {
            let items: Vec<StatusItem> = item_names.iter().cloned().map(StatusItem::Codec).collect();
            status::run(s, mailbox, &items).await
        }
        Append { mailbox, flags, date, message } => append::run(s, mailbox, flags, date, message).await,
        Close => close::run(s, true).await,
        Unselect => close::run(s, false).await,
        Expunge => expunge::run(s, None).await,
        ExpungeUid { sequence_set } => expunge::run(s, Some(sequence_set)).await,
        // RFC 6855 3: no CHARSET once UTF8=ACCEPT is on.
        Search { charset: Some(_), .. } if s.enabled.utf8_accept => Done::bad(texts::ARGUMENT_ERROR),
        Search { charset: Some(c), .. } if !sort::known_charset(&c) => Done::no(sort::BAD_CHARSET),
        // IMAP4rev2: SEARCH answers ESEARCH (RFC 9051 6.4.4).
        Search { criteria, uid, .. } if s.enabled.rev2 => {
            esearch::run(s, tag, criteria.into_inner(), uid, &[], true).await
        }
        Search { criteria, uid, .. } => search::run(s, criteria.into_inner(), uid).await,
        Sort { sort_criteria, charset, search_criteria, uid } => {
            sort::run(s, sort_criteria.as_ref(), &charset, search_criteria.into_inner(), uid).await
        }
        Thread { algorithm, charset, search_criteria, uid } => {
            thread::run(s, &algorithm, &charset, search_criteria.into_inner(), uid).await
        }
        Fetch { sequence_set, macro_or_item_names, uid, modifiers } => {
            fetch::run(s, io, sequence_set, macro_or_item_names, uid, modifiers).await?
        }
        Store { sequence_set, kind, response, flags, uid, modifiers } => {
            store::run(s, sequence_set, kind, response, flags, uid, modifiers).await
        }
        Copy { sequence_set, mailbox, uid } => copy::run(s, sequence_set, mailbox, uid, false).await,
        Move { sequence_set, mailbox, uid } => copy::run(s, sequence_set, mailbox, uid, true).await,
        Idle => idle::run(s, io, tag).await?,
        Compress { .. } => compress::run(s, io, tag).await?,
        GetQuotaRoot { mailbox } => quota::get_quota_root(s, mailbox).await,
        GetQuota { root } => quota::get_quota(s, root).await,
        SetQuota { .. } => quota::set_quota(),
    })
}

/// A command in extension syntax (`wire::ext`).
pub async fn run_extended(s: &mut ImapSession, tag: &str, ext: ExtCommand) -> Done {
    match ext {
        ExtCommand::Search { search, returns } => match search.body {
            CommandBody::Search { charset: Some(_), .. } if s.enabled.utf8_accept => Done::bad(texts::ARGUMENT_ERROR),
            CommandBody::Search { charset, criteria, uid } => {
                let charset_known = charset.as_ref().is_none_or(sort::known_charset);
                esearch::run(s, tag, criteria.into_inner(), uid, &returns, charset_known).await
            }
            CommandBody::Sort { sort_criteria, charset, search_criteria, uid } => {
                sort::run_returning(
                    s,
                    tag,
                    sort_criteria.as_ref(),
                    &charset,
                    search_criteria.into_inner(),
                    uid,
                    &returns,
                )
                .await
            }
            _ => Done::bad(texts::COMMAND_ERROR),
        },
        ExtCommand::Create { mailbox, special_use } => create::run_special_use(s, mailbox, special_use).await,
        ExtCommand::List { selection, reference, patterns, returns } => {
            list_extended::run(s, &selection, reference, patterns, returns).await
        }
        ExtCommand::MultiAppend { mailbox, messages } => append::run_many(s, mailbox, messages).await,
        ExtCommand::Status { mailbox, items } => match Mailbox::try_from(mailbox) {
            Ok(mailbox) => status::run(s, mailbox, &items).await,
            Err(_) => Done::bad(texts::ARGUMENT_ERROR),
        },
        // Put in by the dispatcher before a command runs.
        ExtCommand::Dollar { .. } => Done::bad(texts::ARGUMENT_ERROR),
    }
}

/// The stored folder name a client's mailbox argument means: INBOX in any
/// case is the Inbox; other names are modified UTF-7, or UTF-8 as sent once
/// the client enabled UTF8=ACCEPT or IMAP4rev2 (`utf8`: RFC 6855 3, RFC
/// 9051 5.1; `&` is then itself). Names are Net-Unicode (RFC 5198: NFC), so
/// a name sent in another form (`e` and a combining acute for `é`) means
/// the folder stored in NFC; CREATE and RENAME store that form (RFC 9051
/// 6.3.4: reject or convert) and say so (`oldname`).
pub fn folder_name(mailbox: &Mailbox, utf8: bool) -> Option<String> {
    name_as_sent(mailbox, utf8).map(|n| n.nfc().collect())
}

/// The mailbox argument as the client sent it, when the folder name it
/// means is not the same text (it was put in NFC).
pub fn normalized_from(mailbox: &Mailbox, utf8: bool) -> Option<String> {
    let sent = name_as_sent(mailbox, utf8)?;
    let stored: String = sent.nfc().collect();
    if stored == sent {
        return None;
    }
    match mailbox {
        Mailbox::Inbox => None,
        Mailbox::Other(other) => std::str::from_utf8(other.as_ref()).ok().map(str::to_string),
    }
}

/// The name decoded as the client wrote it (no trailing separator), before
/// it is put in NFC.
pub fn name_as_sent(mailbox: &Mailbox, utf8: bool) -> Option<String> {
    match mailbox {
        Mailbox::Inbox => Some("INBOX".to_string()),
        Mailbox::Other(other) => {
            let bytes: &[u8] = other.as_ref();
            let text = std::str::from_utf8(bytes).ok()?;
            let decoded = if utf8 { text.to_string() } else { utf7::decode(text).unwrap_or_else(|| text.to_string()) };
            Some(decoded.trim_end_matches('/').to_string())
        }
    }
}

/// How a folder is named to the client: modified UTF-7, or UTF-8 (`utf8`,
/// as for [`folder_name`]).
pub fn display_name(folder: &Folder, utf8: bool) -> String {
    display_path(&folder.name, utf8)
}

/// [`display_name`] for a stored name, folder or not (a subscription).
pub fn display_path(name: &str, utf8: bool) -> String {
    if name == crate::store::mail::INBOX {
        return "INBOX".to_string();
    }
    let encode = |name: &str| if utf8 { name.to_string() } else { utf7::encode(name) };
    match name.strip_prefix("Inbox/") {
        Some(rest) => format!("INBOX/{}", encode(rest)),
        None => encode(name),
    }
}

/// Looks a folder up for a client: hidden folders (Calendar, Contacts,
/// Tasks) do not exist unless ShowHiddenFoldersEnabled.
pub async fn find_folder(s: &ImapSession, mailbox: &Mailbox<'_>) -> Result<Option<Folder>, MailError> {
    let Some(name) = folder_name(mailbox, s.enabled.utf8) else { return Ok(None) };
    if let Some(found) = find_folder_named(s, name.clone()).await? {
        return Ok(Some(found));
    }
    // A folder created before names were put in NFC keeps the form it was
    // created with, and is still found by it.
    match name_as_sent(mailbox, s.enabled.utf8) {
        Some(sent) if sent != name => find_folder_named(s, sent).await,
        _ => Ok(None),
    }
}

/// [`find_folder`] for a stored folder name.
pub async fn find_folder_named(s: &ImapSession, name: String) -> Result<Option<Folder>, MailError> {
    let Some(user) = &s.user else { return Ok(None) };
    let mbx = user.mailbox;
    let show_hidden = s.show_hidden();
    let found = s.home.pool.run(move |db| db.folder(mbx, &name)).await?;
    Ok(found.filter(|f| show_hidden || !is_hidden(f)))
}

/// A hidden folder, or one inside it.
pub fn is_hidden(f: &Folder) -> bool {
    f.hidden || crate::store::mail::DEFAULT_FOLDERS.iter().any(|(n, _, h)| *h && f.name.starts_with(&format!("{n}/")))
}

/// A name that is, or is inside, one of Exchange's hidden folders (a
/// subscription listed only when they are shown).
pub fn is_hidden_name(name: &str) -> bool {
    crate::store::mail::DEFAULT_FOLDERS
        .iter()
        .any(|(n, _, h)| *h && (name == *n || name.strip_prefix(n).is_some_and(|rest| rest.starts_with('/'))))
}
