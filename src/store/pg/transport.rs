//! Accepted domains and the organization's transport settings on
//! PostgreSQL: the same reads and writes as `store::transport`, in
//! PostgreSQL's SQL (`lower()` where SQLite's columns are `COLLATE NOCASE`).

use rusqlite::types::Value as SqlValue;

use super::super::enums::AcceptedDomainType;
use super::super::transport::{AcceptedDomain, TransportConfig, size_from_column};
use super::super::{StoreError, StoreResult};
use super::Pg;

const DOMAIN_COLUMNS: &str = "name, guid, domain_name, domain_type, is_default, created, changed";

/// The unique indexes of `accepted_domain` (schema step 2), as a refused
/// insert names them.
pub(in crate::store) const DOMAIN_NAME_INDEX: &str = "accepted_domain_by_domain";

fn damaged(what: &str) -> StoreError {
    StoreError::Corrupt(format!("the {what} record"))
}

fn text(v: Option<SqlValue>, what: &str) -> StoreResult<String> {
    match v {
        Some(SqlValue::Text(t)) => Ok(t),
        _ => Err(damaged(what)),
    }
}

fn int(v: Option<SqlValue>, what: &str) -> StoreResult<i64> {
    match v {
        Some(SqlValue::Integer(n)) => Ok(n),
        _ => Err(damaged(what)),
    }
}

fn domain(row: Vec<SqlValue>) -> StoreResult<AcceptedDomain> {
    const WHAT: &str = "accepted domain";
    let mut it = row.into_iter();
    Ok(AcceptedDomain {
        name: text(it.next(), WHAT)?,
        guid: text(it.next(), WHAT)?,
        domain_name: text(it.next(), WHAT)?,
        domain_type: AcceptedDomainType::from_name(&text(it.next(), WHAT)?)
            .unwrap_or(AcceptedDomainType::Authoritative),
        default: int(it.next(), WHAT)? != 0,
        created: int(it.next(), WHAT)?,
        changed: int(it.next(), WHAT)?,
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

fn single(pg: &Pg, sql: &str, what: &str) -> StoreResult<std::vec::IntoIter<SqlValue>> {
    Ok(pg.query(sql, &[])?.into_iter().next().ok_or_else(|| damaged(what))?.into_iter())
}

pub(in crate::store) fn transport_config(pg: &Pg) -> StoreResult<TransportConfig> {
    const WHAT: &str = "transport configuration";
    let mut it =
        single(pg, "SELECT max_receive_size, max_send_size, changed FROM transport_config WHERE id = 1", WHAT)?;
    Ok(TransportConfig {
        max_receive_size: size_from_column(int(it.next(), WHAT)?),
        max_send_size: size_from_column(int(it.next(), WHAT)?),
        changed: int(it.next(), WHAT)?,
    })
}

pub(in crate::store) fn save_transport_config(pg: &Pg, receive: i64, send: i64, changed: i64) -> StoreResult<()> {
    pg.execute(
        "UPDATE transport_config SET max_receive_size = $1, max_send_size = $2, changed = $3 WHERE id = 1",
        &[receive.into(), send.into(), changed.into()],
    )?;
    Ok(())
}
