//! The session's view of the Inbox, taken at login (RFC 1939: the maildrop
//! is fixed for the session). Message numbers index this snapshot in the
//! configured order; DELE only marks, RSET unmarks, QUIT hands the marked
//! UIDs to the mailbox database.

use crate::store::SortOrder;
use crate::store::mail::PopSnapshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub uid: u32,
    pub size: u64,
    pub deleted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    NoSuchMessage,
    Deleted,
}

#[derive(Debug, Clone)]
pub struct Maildrop {
    pub folder_id: i64,
    pub uidvalidity: u32,
    items: Vec<Item>,
}

impl Maildrop {
    /// MessageRetrievalSortOrder: Ascending numbers the oldest message 1,
    /// Descending the newest.
    pub fn new(snapshot: &PopSnapshot, order: SortOrder) -> Maildrop {
        let mut items: Vec<Item> =
            snapshot.messages.iter().map(|m| Item { uid: m.uid, size: m.size, deleted: false }).collect();
        if order == SortOrder::Descending {
            items.reverse();
        }
        Maildrop { folder_id: snapshot.folder_id, uidvalidity: snapshot.uidvalidity, items }
    }

    pub fn get(&self, number: u32) -> Result<Item, Missing> {
        let item =
            number.checked_sub(1).and_then(|i| self.items.get(i as usize)).copied().ok_or(Missing::NoSuchMessage)?;
        if item.deleted { Err(Missing::Deleted) } else { Ok(item) }
    }

    /// (messages, octets) not marked deleted.
    pub fn stat(&self) -> (usize, u64) {
        self.live().fold((0, 0), |(n, o), (_, item)| (n + 1, o + item.size))
    }

    /// (number, item) for every message not marked deleted.
    pub fn live(&self) -> impl Iterator<Item = (u32, Item)> + '_ {
        self.items.iter().enumerate().filter(|(_, i)| !i.deleted).map(|(n, i)| (n as u32 + 1, *i))
    }

    /// Unique, stable across sessions, never reused: UIDVALIDITY.UID.
    pub fn unique_id(&self, item: &Item) -> String {
        format!("{}.{}", self.uidvalidity, item.uid)
    }

    pub fn delete(&mut self, number: u32) -> Result<(), Missing> {
        self.get(number)?;
        if let Some(item) = self.items.get_mut(number as usize - 1) {
            item.deleted = true;
        }
        Ok(())
    }

    pub fn reset(&mut self) {
        for item in &mut self.items {
            item.deleted = false;
        }
    }

    pub fn deleted_uids(&self) -> Vec<u32> {
        self.items.iter().filter(|i| i.deleted).map(|i| i.uid).collect()
    }

    pub fn set_size(&mut self, number: u32, size: u64) {
        if let Some(item) = number.checked_sub(1).and_then(|i| self.items.get_mut(i as usize)) {
            item.size = size;
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::mail::{MailboxId, PopMessage};

    fn snapshot() -> PopSnapshot {
        PopSnapshot {
            mailbox: MailboxId(1),
            folder_id: 9,
            uidvalidity: 1700,
            messages: vec![PopMessage { uid: 3, size: 100 }, PopMessage { uid: 7, size: 50 }],
        }
    }

    #[test]
    fn numbers_deletes_and_resets() {
        let mut d = Maildrop::new(&snapshot(), SortOrder::Ascending);
        assert_eq!(d.stat(), (2, 150));
        assert_eq!(d.get(1).map(|i| i.uid), Ok(3));
        assert_eq!(d.get(3), Err(Missing::NoSuchMessage));
        assert_eq!(d.get(0), Err(Missing::NoSuchMessage));
        d.delete(1).expect("message 1 exists");
        assert_eq!(d.get(1), Err(Missing::Deleted));
        assert_eq!(d.delete(1), Err(Missing::Deleted));
        assert_eq!(d.stat(), (1, 50));
        assert_eq!(d.deleted_uids(), vec![3]);
        d.reset();
        assert_eq!(d.stat(), (2, 150));
        assert_eq!(d.unique_id(&d.get(2).expect("two")), "1700.7");
    }

    #[test]
    fn descending_numbers_the_newest_first() {
        let d = Maildrop::new(&snapshot(), SortOrder::Descending);
        assert_eq!(d.get(1).map(|i| i.uid), Ok(7));
    }
}
