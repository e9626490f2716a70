//! The admin audit log: every successful cmdlet that changes something
//! (New-, Set-, Remove-, and the queue cmdlets: Suspend-, Resume-, Retry-).

use rusqlite::params;
use rusqlite::types::Value as SqlValue;

use super::{Sql, Store, StoreError, StoreResult, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub run_date: i64,
    pub caller: String,
    pub cmdlet: String,
    pub object_id: String,
    /// `(name, value)` as the administrator typed them.
    pub parameters: Vec<(String, String)>,
    /// `(property, old, new)`.
    pub modified: Vec<(String, String, String)>,
    pub succeeded: bool,
}

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub cmdlets: Vec<String>,
    pub object_ids: Vec<String>,
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub limit: usize,
}

impl Store {
    pub fn append_audit(tx: &Tx<'_>, e: &AuditEntry) -> StoreResult<()> {
        let tx = match tx.any() {
            Sql::Lite(conn) => conn,
            Sql::Pg(pg) => return super::pg::audit::append(pg, e),
        };
        let parameters = serde_json::to_string(&e.parameters).unwrap_or_default();
        let modified = serde_json::to_string(&e.modified).unwrap_or_default();
        let mut stmt = tx.prepare_cached(
            "INSERT INTO audit_log (run_date, caller, cmdlet, object_id, parameters, modified, succeeded) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        stmt.execute(params![e.run_date, e.caller, e.cmdlet, e.object_id, parameters, modified, e.succeeded])?;
        Ok(())
    }

    /// Newest first, as Search-AdminAuditLog returns them.
    pub fn search_audit(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
        let (start, end) = (q.start.unwrap_or(i64::MIN), q.end.unwrap_or(i64::MAX));
        let entries: Vec<AuditEntry> = match self.any() {
            Sql::Lite(conn) => {
                let mut stmt = conn.prepare_cached(
                    "SELECT run_date, caller, cmdlet, object_id, parameters, modified, succeeded FROM audit_log \
                     WHERE run_date >= ?1 AND run_date <= ?2 ORDER BY run_date DESC, id DESC",
                )?;
                let rows = stmt.query_map(params![start, end], |r| {
                    Ok(entry(
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        &r.get::<_, String>(4)?,
                        &r.get::<_, String>(5)?,
                        r.get(6)?,
                    ))
                })?;
                rows.collect::<Result<_, _>>()?
            }
            Sql::Pg(pg) => {
                super::pg::audit::between(pg, start, end)?.into_iter().map(entry_of).collect::<Result<_, _>>()?
            }
        };
        let mut out = Vec::new();
        for e in entries {
            let cmdlet_ok = q.cmdlets.is_empty() || q.cmdlets.iter().any(|c| c.eq_ignore_ascii_case(&e.cmdlet));
            let object_ok =
                q.object_ids.is_empty() || q.object_ids.iter().any(|o| o.eq_ignore_ascii_case(&e.object_id));
            if cmdlet_ok && object_ok {
                out.push(e);
                if q.limit > 0 && out.len() >= q.limit {
                    break;
                }
            }
        }
        Ok(out)
    }
}

fn entry(
    run_date: i64,
    caller: String,
    cmdlet: String,
    object_id: String,
    parameters: &str,
    modified: &str,
    succeeded: bool,
) -> AuditEntry {
    AuditEntry {
        run_date,
        caller,
        cmdlet,
        object_id,
        parameters: serde_json::from_str(parameters).unwrap_or_default(),
        modified: serde_json::from_str(modified).unwrap_or_default(),
        succeeded,
    }
}

/// An entry from a PostgreSQL row of the store's values.
fn entry_of(row: Vec<SqlValue>) -> StoreResult<AuditEntry> {
    use SqlValue::{Integer, Text};
    match <[SqlValue; 7]>::try_from(row) {
        Ok(
            [
                Integer(run_date),
                Text(caller),
                Text(cmdlet),
                Text(object_id),
                Text(parameters),
                Text(modified),
                Integer(ok),
            ],
        ) => Ok(entry(run_date, caller, cmdlet, object_id, &parameters, &modified, ok != 0)),
        _ => Err(StoreError::Corrupt("an audit log entry".into())),
    }
}
