//! Accepted domains and the organization's transport settings on
//! PostgreSQL: the same reads and writes as `store::transport`, in
//! PostgreSQL's SQL (`lower()` where SQLite's columns are `COLLATE NOCASE`).

use rusqlite::types::Value as SqlValue;

use super::super::cells::Cells;
use super::super::enums::AcceptedDomainType;
use super::super::transport::{AcceptedDomain, TransportConfig, size_from_column};
use super::super::{StoreError, StoreResult};
use super::Pg;

const DOMAIN_COLUMNS: &str = "name, guid, domain_name, domain_type, is_default, created, changed";

/// The unique indexes of `accepted_domain` (schema step 2), as a refused
/// insert names them.
pub(in crate::store) const DOMAIN_NAME_INDEX: &str = "accepted_domain_by_domain";

fn domain(row: Vec<SqlValue>) -> StoreResult<AcceptedDomain> {
    let mut c = Cells::new(row, "accepted domain");
    Ok(AcceptedDomain {
        name: c.text()?,
        guid: c.text()?,
        domain_name: c.text()?,
        domain_type: AcceptedDomainType::from_name(&c.text()?).unwrap_or(AcceptedDomainType::Authoritative),
        default: c.flag()?,
        created: c.int()?,
        changed: c.int()?,
    })
}

/// Every accepted domain, in SQLite's order (`name` is `COLLATE "C"`).
pub(in crate::store) fn accepted_domains(pg: &Pg) -> StoreResult<Vec<AcceptedDomain>> {
    let sql = format!("SELECT {DOMAIN_COLUMNS} FROM accepted_domain ORDER BY lower(name)");
    pg.query(&sql, &[])?.into_iter().map(domain).collect()
}

pub(in crate::store) fn accepted_domain(pg: &Pg, guid: &str) -> StoreResult<Option<AcceptedDomain>> {
    let sql = format!("SELECT {DOMAIN_COLUMNS} FROM accepted_domain WHERE guid = $1");
    pg.query(&sql, &[guid.to_string().into()])?.into_iter().next().map(domain).transpose()
}

/// Whether another domain than `guid` has this name (`column` is `name` or
/// `domain_name`), compared as SQLite's NOCASE compares.
pub(in crate::store) fn domain_taken(pg: &Pg, column: &str, value: &str, guid: &str) -> StoreResult<bool> {
    let sql = format!("SELECT 1 FROM accepted_domain WHERE lower({column}) = lower($1) AND guid <> $2 LIMIT 1");
    Ok(!pg.query(&sql, &[value.to_string().into(), guid.to_string().into()])?.is_empty())
}

/// Takes the default from every domain but `guid`.
pub(in crate::store) fn clear_default(pg: &Pg, guid: &str) -> StoreResult<()> {
    pg.execute("UPDATE accepted_domain SET is_default = false WHERE guid <> $1", &[guid.to_string().into()])?;
    Ok(())
}

pub(in crate::store) fn insert_domain(pg: &Pg, d: &AcceptedDomain) -> StoreResult<()> {
    pg.execute(
        "INSERT INTO accepted_domain (name, guid, domain_name, domain_type, is_default, created, changed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            d.name.clone().into(),
            d.guid.clone().into(),
            d.domain_name.clone().into(),
            d.domain_type.name().to_string().into(),
            (d.default as i64).into(),
            d.created.into(),
            d.changed.into(),
        ],
    )?;
    Ok(())
}

pub(in crate::store) fn save_domain(pg: &Pg, d: &AcceptedDomain) -> StoreResult<u64> {
    pg.execute(
        "UPDATE accepted_domain SET name = $2, domain_type = $3, is_default = $4, changed = $5 WHERE guid = $1",
        &[
            d.guid.clone().into(),
            d.name.clone().into(),
            d.domain_type.name().to_string().into(),
            (d.default as i64).into(),
            d.changed.into(),
        ],
    )
}

pub(in crate::store) fn transport_config(pg: &Pg) -> StoreResult<TransportConfig> {
    let sql = "SELECT max_receive_size, max_send_size, changed FROM transport_config WHERE id = 1";
    let row = pg.query(sql, &[])?.into_iter().next();
    let mut c = Cells::new(
        row.ok_or_else(|| StoreError::Corrupt("a transport configuration record".into()))?,
        "transport configuration",
    );
    Ok(TransportConfig {
        max_receive_size: size_from_column(c.int()?),
        max_send_size: size_from_column(c.int()?),
        changed: c.int()?,
    })
}

pub(in crate::store) fn save_transport_config(pg: &Pg, receive: i64, send: i64, changed: i64) -> StoreResult<()> {
    pg.execute(
        "UPDATE transport_config SET max_receive_size = $1, max_send_size = $2, changed = $3 WHERE id = 1",
        &[receive.into(), send.into(), changed.into()],
    )?;
    Ok(())
}
