//! The admin audit log on PostgreSQL.

use rusqlite::types::Value as SqlValue;

use super::super::StoreResult;
use super::super::audit::AuditEntry;
use super::Pg;

pub(in crate::store) fn append(pg: &Pg, e: &AuditEntry) -> StoreResult<()> {
    let parameters = serde_json::to_string(&e.parameters).unwrap_or_default();
    let modified = serde_json::to_string(&e.modified).unwrap_or_default();
    pg.execute(
        "INSERT INTO audit_log (run_date, caller, cmdlet, object_id, parameters, modified, succeeded) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            e.run_date.into(),
            e.caller.clone().into(),
            e.cmdlet.clone().into(),
            e.object_id.clone().into(),
            parameters.into(),
            modified.into(),
            (e.succeeded as i64).into(),
        ],
    )?;
    Ok(())
}

/// Entries between `start` and `end`, newest first, as rows of the store's values.
pub(in crate::store) fn between(pg: &Pg, start: i64, end: i64) -> StoreResult<Vec<Vec<SqlValue>>> {
    pg.query(
        "SELECT run_date, caller, cmdlet, object_id, parameters, modified, succeeded FROM audit_log \
         WHERE run_date >= $1 AND run_date <= $2 ORDER BY run_date DESC, id DESC",
        &[start.into(), end.into()],
    )
}
