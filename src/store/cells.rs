//! A row of `Sql::rows` read in column order, the same on both backends
//! (PostgreSQL's booleans arrive as 0/1, as SQLite keeps them): a value of
//! the wrong type is a damaged record, named by what the row holds.

use rusqlite::types::Value as SqlValue;

use super::{StoreError, StoreResult};

pub(in crate::store) struct Cells {
    values: std::vec::IntoIter<SqlValue>,
    what: &'static str,
}

impl Cells {
    pub(in crate::store) fn new(row: Vec<SqlValue>, what: &'static str) -> Cells {
        Cells { values: row.into_iter(), what }
    }

    fn damaged(&self) -> StoreError {
        StoreError::Corrupt(format!("a {} record", self.what))
    }

    pub(in crate::store) fn text(&mut self) -> StoreResult<String> {
        self.opt_text()?.ok_or_else(|| self.damaged())
    }

    pub(in crate::store) fn opt_text(&mut self) -> StoreResult<Option<String>> {
        match self.values.next() {
            Some(SqlValue::Text(t)) => Ok(Some(t)),
            Some(SqlValue::Null) => Ok(None),
            _ => Err(self.damaged()),
        }
    }

    pub(in crate::store) fn int(&mut self) -> StoreResult<i64> {
        self.opt_int()?.ok_or_else(|| self.damaged())
    }

    pub(in crate::store) fn opt_int(&mut self) -> StoreResult<Option<i64>> {
        match self.values.next() {
            Some(SqlValue::Integer(n)) => Ok(Some(n)),
            Some(SqlValue::Null) => Ok(None),
            _ => Err(self.damaged()),
        }
    }

    pub(in crate::store) fn flag(&mut self) -> StoreResult<bool> {
        Ok(self.int()? != 0)
    }

    /// A JSON list of strings; an unreadable list is empty, as before.
    pub(in crate::store) fn list(&mut self) -> StoreResult<Vec<String>> {
        Ok(serde_json::from_str(&self.text()?).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_in_order_and_name_a_damaged_record() {
        let row =
            vec![SqlValue::Text("a".into()), SqlValue::Null, SqlValue::Integer(1), SqlValue::Text("[\"x\"]".into())];
        let mut c = Cells::new(row, "thing");
        assert_eq!(c.text().unwrap(), "a");
        assert_eq!(c.opt_int().unwrap(), None);
        assert!(c.flag().unwrap());
        assert_eq!(c.list().unwrap(), vec!["x".to_string()]);
        let err = Cells::new(vec![SqlValue::Integer(3)], "thing").text().unwrap_err();
        assert_eq!(err.to_string(), StoreError::Corrupt("a thing record".into()).to_string());
    }
}
