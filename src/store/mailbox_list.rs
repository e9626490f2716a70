//! The Exchange admin center's mailbox list: one page of (display name,
//! address) rows in the order asked, with a prefix search, read by index so
//! that a page costs the same at 100,000 mailboxes as at ten.

use rusqlite::params;

use super::{Store, StoreResult};

/// What the refusal names on PostgreSQL (not ported yet).
const WHAT: &str = "The Exchange admin center's mailbox lists";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListSort {
    #[default]
    DisplayName,
    Email,
}

#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Matched at the start of the display name, the alias or the address,
    /// case-insensitive (as the EAC's search box); empty lists everything.
    pub search: String,
    pub sort: ListSort,
    pub descending: bool,
    pub offset: u64,
    pub limit: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub guid: String,
    pub display_name: String,
    pub primary_smtp: String,
}

/// `LIKE` with the search as a literal prefix.
fn prefix_pattern(search: &str) -> String {
    let escaped = search.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("{escaped}%")
}

impl Store {
    /// One page and the number of rows matching in all.
    pub fn mailbox_list(&self, q: &ListQuery) -> StoreResult<(Vec<ListRow>, u64)> {
        let order = match (q.sort, q.descending) {
            (ListSort::DisplayName, false) => "display_name ASC, id ASC",
            (ListSort::DisplayName, true) => "display_name DESC, id DESC",
            (ListSort::Email, false) => "primary_smtp ASC",
            (ListSort::Email, true) => "primary_smtp DESC",
        };
        let filter = if q.search.trim().is_empty() {
            ""
        } else {
            "WHERE display_name LIKE ?3 ESCAPE '\\' OR alias LIKE ?3 ESCAPE '\\' OR primary_smtp LIKE ?3 ESCAPE '\\'"
        };
        let pattern = prefix_pattern(&q.search);
        let sql = format!(
            "SELECT guid, display_name, primary_smtp FROM mailbox {filter} ORDER BY {order} LIMIT ?1 OFFSET ?2"
        );
        let mut stmt = self.conn(WHAT)?.prepare_cached(&sql)?;
        let map =
            |r: &rusqlite::Row<'_>| Ok(ListRow { guid: r.get(0)?, display_name: r.get(1)?, primary_smtp: r.get(2)? });
        let (limit, offset) = (q.limit.min(i64::MAX as u64) as i64, q.offset.min(i64::MAX as u64) as i64);
        let rows = if filter.is_empty() {
            stmt.query_map(params![limit, offset], map)?.collect::<Result<Vec<_>, _>>()?
        } else {
            stmt.query_map(params![limit, offset, pattern], map)?.collect::<Result<Vec<_>, _>>()?
        };
        let total = if filter.is_empty() {
            self.mailbox_count()?
        } else {
            let mut count = self.conn(WHAT)?.prepare_cached(
                "SELECT count(*) FROM mailbox WHERE display_name LIKE ?1 ESCAPE '\\' OR alias LIKE ?1 ESCAPE '\\' \
                 OR primary_smtp LIKE ?1 ESCAPE '\\'",
            )?;
            count.query_row([pattern], |r| r.get::<_, i64>(0))? as u64
        };
        Ok((rows, total))
    }
}

#[cfg(test)]
mod tests {
    use super::prefix_pattern;

    #[test]
    fn a_search_is_a_literal_prefix() {
        assert_eq!(prefix_pattern(" john "), "john%");
        assert_eq!(prefix_pattern("50%_x\\"), "50\\%\\_x\\\\%");
    }
}
