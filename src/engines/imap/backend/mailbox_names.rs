//! The names LIST, LSUB and LIST-EXTENDED choose from: the folders, the
//! subscribed names (which need not have a folder: RFC 3501 6.3.6, RFC 9051
//! 6.3.7) and, where a selection may list a parent for what is below it,
//! the levels above subscribed names (RFC 3501 6.3.9's `\Noselect` parent,
//! RFC 5258 3.5's CHILDINFO). Folders and subscriptions are read in one
//! snapshot, so a name is never listed as a folder and as missing at once.

use std::collections::{BTreeMap, BTreeSet};

use super::commands::{is_hidden, is_hidden_name};
use super::session::ImapSession;
use crate::store::mail::{Folder, MailResult};

/// One name: its folder if it has one, and whether it is subscribed.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// As stored (`Inbox/Receipts`); `commands::display_path` shows it.
    pub name: &'a str,
    pub folder: Option<&'a Folder>,
    pub subscribed: bool,
}

/// A user's visible folders and subscribed names.
pub struct MailboxNames {
    folders: Vec<Folder>,
    subscribed: BTreeSet<String>,
}

impl MailboxNames {
    /// Reads the folders and subscriptions of the session's mailbox;
    /// hidden folders (and subscriptions of their names) are left out unless
    /// ShowHiddenFoldersEnabled.
    pub async fn load(s: &ImapSession) -> MailResult<MailboxNames> {
        let Some(user) = &s.user else { return Ok(MailboxNames { folders: vec![], subscribed: BTreeSet::new() }) };
        let mbx = user.mailbox;
        let (folders, subscribed) =
            s.home.pool.run(move |db| db.snapshot(|d| Ok((d.folders(mbx)?, d.subscriptions(mbx)?)))).await?;
        let show_hidden = s.show_hidden();
        Ok(MailboxNames {
            folders: folders.into_iter().filter(|f| show_hidden || !is_hidden(f)).collect(),
            subscribed: subscribed.into_iter().filter(|n| show_hidden || !is_hidden_name(n)).collect(),
        })
    }

    pub fn folders(&self) -> &[Folder] {
        &self.folders
    }

    pub fn is_subscribed(&self, name: &str) -> bool {
        self.subscribed.contains(name)
    }

    /// Every name in name order: the folders, the subscribed names and, with
    /// `parents`, every level above a subscribed name.
    pub fn entries(&self, parents: bool) -> Vec<Entry<'_>> {
        let mut all: BTreeMap<&str, Entry<'_>> = BTreeMap::new();
        for f in &self.folders {
            let subscribed = self.is_subscribed(&f.name);
            all.insert(&f.name, Entry { name: &f.name, folder: Some(f), subscribed });
        }
        for name in &self.subscribed {
            all.entry(name).or_insert(Entry { name, folder: None, subscribed: true });
            if parents {
                let mut above = name.as_str();
                while let Some((parent, _)) = above.rsplit_once('/') {
                    all.entry(parent).or_insert(Entry { name: parent, folder: None, subscribed: false });
                    above = parent;
                }
            }
        }
        all.into_values().collect()
    }

    /// Whether a folder exists below `name` (`\HasChildren`).
    pub fn has_children(&self, name: &str) -> bool {
        let prefix = format!("{name}/");
        self.folders.iter().any(|c| c.name.starts_with(&prefix))
    }

    /// Whether a name below `name` is subscribed.
    pub fn subscribed_below(&self, name: &str) -> bool {
        let prefix = format!("{name}/");
        self.subscribed.range(prefix.clone()..).next().is_some_and(|n| n.starts_with(&prefix))
    }
}

/// The entries strictly below `name` among `entries` (in name order, as
/// [`MailboxNames::entries`] gives them), with their index.
pub fn below<'a, 'b>(entries: &'b [Entry<'a>], name: &str) -> impl Iterator<Item = (usize, &'b Entry<'a>)> {
    let prefix = format!("{name}/");
    // Names sharing a prefix are one run in name order.
    let start = entries.partition_point(|e| e.name < prefix.as_str());
    entries[start..]
        .iter()
        .enumerate()
        .take_while(move |(_, e)| e.name.starts_with(&prefix))
        .map(move |(i, e)| (start + i, e))
}
