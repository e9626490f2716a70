//! The admin audit log: every successful New-, Set- and Remove-.

use rusqlite::params;

use super::{Store, StoreResult, Tx};

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
        let tx = tx.sql();
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
        let mut stmt = self.conn().prepare_cached(
            "SELECT run_date, caller, cmdlet, object_id, parameters, modified, succeeded FROM audit_log \
             WHERE run_date >= ?1 AND run_date <= ?2 ORDER BY run_date DESC, id DESC",
        )?;
        let rows = stmt.query_map(params![q.start.unwrap_or(i64::MIN), q.end.unwrap_or(i64::MAX)], |r| {
            Ok(AuditEntry {
                run_date: r.get(0)?,
                caller: r.get(1)?,
                cmdlet: r.get(2)?,
                object_id: r.get(3)?,
                parameters: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
                modified: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
                succeeded: r.get(6)?,
            })
        })?;
        let mut out = Vec::new();
        for row in rows {
            let e = row?;
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
