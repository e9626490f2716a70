//! The Exchange admin center's mailbox list: one page of (display name,
//! address) rows in the order asked, with a prefix search, read by index so
//! that a page costs the same at 100,000 mailboxes as at ten.

use rusqlite::types::Value as SqlValue;

use super::cells::Cells;
use super::{Sql, Store, StoreResult};

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
    /// One page and the number of rows matching in all. SQLite's columns
    /// compare without case (NOCASE); PostgreSQL's by `lower()`, which its
    /// indexes cover.
    pub fn mailbox_list(&self, q: &ListQuery) -> StoreResult<(Vec<ListRow>, u64)> {
        let pg = matches!(self.any(), Sql::Pg(_));
        let order = match (q.sort, q.descending, pg) {
            (ListSort::DisplayName, false, false) => "display_name ASC, id ASC",
            (ListSort::DisplayName, true, false) => "display_name DESC, id DESC",
            (ListSort::Email, false, false) => "primary_smtp ASC",
            (ListSort::Email, true, false) => "primary_smtp DESC",
            (ListSort::DisplayName, false, true) => "lower(display_name) ASC, id ASC",
            (ListSort::DisplayName, true, true) => "lower(display_name) DESC, id DESC",
            (ListSort::Email, false, true) => "lower(primary_smtp) ASC",
            (ListSort::Email, true, true) => "lower(primary_smtp) DESC",
        };
        let matches = if pg {
            // Folded as the columns are ("C": ASCII only, as SQLite's
            // NOCASE), not by the database's own collation.
            "lower(display_name) LIKE lower($3 COLLATE \"C\") ESCAPE '\\' \
             OR lower(alias) LIKE lower($3 COLLATE \"C\") ESCAPE '\\' \
             OR lower(primary_smtp) LIKE lower($3 COLLATE \"C\") ESCAPE '\\'"
        } else {
            "display_name LIKE $3 ESCAPE '\\' OR alias LIKE $3 ESCAPE '\\' OR primary_smtp LIKE $3 ESCAPE '\\'"
        };
        let searching = !q.search.trim().is_empty();
        let filter = if searching { format!("WHERE {matches}") } else { String::new() };
        let pattern = prefix_pattern(&q.search);
        let sql = format!(
            "SELECT guid, display_name, primary_smtp FROM mailbox {filter} ORDER BY {order} LIMIT $1 OFFSET $2"
        );
        let (limit, offset) = (q.limit.min(i64::MAX as u64) as i64, q.offset.min(i64::MAX as u64) as i64);
        let mut params: Vec<SqlValue> = vec![limit.into(), offset.into()];
        if searching {
            params.push(pattern.clone().into());
        }
        let rows = self
            .any()
            .rows(&sql, params)?
            .into_iter()
            .map(|row| {
                let mut c = Cells::new(row, "mailbox");
                Ok(ListRow { guid: c.text()?, display_name: c.text()?, primary_smtp: c.text()? })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let total = if searching {
            let count = format!("SELECT count(*) FROM mailbox WHERE {}", matches.replace("$3", "$1"));
            match super::one(self.any().rows(&count, vec![pattern.into()])?) {
                Some(SqlValue::Integer(n)) => n.max(0) as u64,
                _ => 0,
            }
        } else {
            self.mailbox_count()?
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
