//! Move requests (New-MoveRequest, Get-MoveRequest, Remove-MoveRequest):
//! a mailbox moving from one mailbox database to another. While a request
//! is InProgress the services treat the mailbox as not served anywhere
//! (its users are not connected, mail for it waits in the queue), so the
//! copy reads a mailbox nobody writes; Completed, the mailbox is in its
//! target database. A completed request stays until Remove-MoveRequest,
//! as in Exchange.

use rusqlite::types::Value as SqlValue;

use super::{Sql, Store, StoreError, StoreResult, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveRequest {
    pub mailbox_guid: String,
    pub source_database: String,
    pub target_database: String,
    /// `InProgress`, `Completed` or `Failed`.
    pub status: String,
    pub items: i64,
    pub bytes: i64,
    pub created: i64,
    pub completed: Option<i64>,
    /// Why it failed.
    pub message: Option<String>,
}

const COLUMNS: &str =
    "mailbox_guid, source_database, target_database, status, items, bytes, created, completed, message";

impl Store {
    /// Every request, oldest first.
    pub fn move_requests(&self) -> StoreResult<Vec<MoveRequest>> {
        rows(self.any(), &format!("SELECT {COLUMNS} FROM move_request ORDER BY created, mailbox_guid"), vec![])
    }

    /// The request of the mailbox `guid`, if any.
    pub fn move_request(&self, mailbox_guid: &str) -> StoreResult<Option<MoveRequest>> {
        find(self.any(), mailbox_guid)
    }

    /// The mailboxes being moved now (not served anywhere meanwhile).
    pub fn mailboxes_moving(&self) -> StoreResult<Vec<String>> {
        let rows = self.any().rows("SELECT mailbox_guid FROM move_request WHERE status = 'InProgress'", vec![])?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match r.into_iter().next() {
                Some(SqlValue::Text(t)) => Some(t),
                _ => None,
            })
            .collect())
    }

    /// Starts a move; a mailbox with a request already is refused.
    pub fn begin_move(tx: &Tx<'_>, request: &MoveRequest) -> StoreResult<()> {
        if find(tx.any(), &request.mailbox_guid)?.is_some() {
            return Err(StoreError::Conflict("already has a move request".into()));
        }
        tx.any().run(
            &format!("INSERT INTO move_request ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
            vec![
                request.mailbox_guid.clone().into(),
                request.source_database.clone().into(),
                request.target_database.clone().into(),
                request.status.clone().into(),
                request.items.into(),
                request.bytes.into(),
                request.created.into(),
                request.completed.into(),
                request.message.clone().into(),
            ],
        )?;
        Ok(())
    }

    /// The switch: the mailbox is in its target database from this commit
    /// on, and its request Completed.
    pub fn complete_move(tx: &Tx<'_>, mailbox_guid: &str, target: &str, items: i64, bytes: i64) -> StoreResult<()> {
        let now = super::now_unix();
        tx.any().run(
            "UPDATE mailbox SET database_guid = $2, changed = $3 WHERE guid = $1",
            vec![mailbox_guid.to_string().into(), target.to_string().into(), now.into()],
        )?;
        tx.any().run(
            "UPDATE move_request SET status = 'Completed', items = $2, bytes = $3, completed = $4 WHERE mailbox_guid = $1",
            vec![mailbox_guid.to_string().into(), items.into(), bytes.into(), now.into()],
        )?;
        Ok(())
    }

    /// A move that could not be made: the mailbox stays where it was, and
    /// is served there again.
    pub fn fail_move(tx: &Tx<'_>, mailbox_guid: &str, why: &str) -> StoreResult<()> {
        tx.any().run(
            "UPDATE move_request SET status = 'Failed', message = $2, completed = $3 WHERE mailbox_guid = $1",
            vec![mailbox_guid.to_string().into(), why.to_string().into(), super::now_unix().into()],
        )?;
        Ok(())
    }

    /// Remove-MoveRequest; false when there was none.
    pub fn remove_move_request(tx: &Tx<'_>, mailbox_guid: &str) -> StoreResult<bool> {
        Ok(tx.any().run("DELETE FROM move_request WHERE mailbox_guid = $1", vec![mailbox_guid.to_string().into()])? > 0)
    }
}

fn find(db: Sql<'_>, mailbox_guid: &str) -> StoreResult<Option<MoveRequest>> {
    let sql = format!("SELECT {COLUMNS} FROM move_request WHERE mailbox_guid = $1");
    Ok(rows(db, &sql, vec![mailbox_guid.to_string().into()])?.into_iter().next())
}

fn rows(db: Sql<'_>, sql: &str, params: Vec<SqlValue>) -> StoreResult<Vec<MoveRequest>> {
    db.rows(sql, params)?.into_iter().map(request).collect()
}

fn request(row: Vec<SqlValue>) -> StoreResult<MoveRequest> {
    let corrupt = || StoreError::Corrupt("a move request".into());
    let mut it = row.into_iter();
    let mut text = || match it.next() {
        Some(SqlValue::Text(t)) => Ok(Some(t)),
        Some(SqlValue::Null) => Ok(None),
        _ => Err(corrupt()),
    };
    let (mailbox_guid, source, target, status) = (text()?, text()?, text()?, text()?);
    let mut int = || match it.next() {
        Some(SqlValue::Integer(n)) => Ok(Some(n)),
        Some(SqlValue::Null) => Ok(None),
        _ => Err(corrupt()),
    };
    let (items, bytes, created, completed) = (int()?, int()?, int()?, int()?);
    let message = match it.next() {
        Some(SqlValue::Text(t)) => Some(t),
        _ => None,
    };
    let need = |v: Option<String>| v.ok_or_else(corrupt);
    Ok(MoveRequest {
        mailbox_guid: need(mailbox_guid)?,
        source_database: need(source)?,
        target_database: need(target)?,
        status: need(status)?,
        items: items.unwrap_or(0),
        bytes: bytes.unwrap_or(0),
        created: created.ok_or_else(corrupt)?,
        completed,
        message,
    })
}
