//! Mailboxes on PostgreSQL: the same reads and writes as
//! `store::mailboxes`, in PostgreSQL's SQL (`$N` placeholders, `lower()`
//! where SQLite's columns are `COLLATE NOCASE`, `ILIKE` for SQLite's
//! case-insensitive `LIKE`, `RETURNING` for the new row's id).

use rusqlite::types::Value as SqlValue;

use super::super::cas_columns::CAS_COLUMNS;
use super::super::mailbox_columns::MAILBOX_COLUMNS;
use super::super::mailboxes::{HEAD_COUNT, columns, setting_columns, setting_values};
use super::super::{CasSettings, Mailbox, StoreError, StoreResult};
use super::{Pg, placeholders};

/// A mailbox from a row of `columns()`.
fn from_values(row: Vec<SqlValue>) -> StoreResult<Mailbox> {
    let damaged = |what: String| StoreError::Corrupt(what);
    let mut m = Mailbox::blank();
    let mut it = row.into_iter();
    let mut next = || it.next().unwrap_or(SqlValue::Null);
    let int = |v: SqlValue, what: &str| match v {
        SqlValue::Integer(n) => Ok(n),
        _ => Err(damaged(format!("the mailbox column {what}"))),
    };
    let opt_text = |v: SqlValue| match v {
        SqlValue::Text(t) => Some(t),
        _ => None,
    };
    m.id = int(next(), "id")?;
    m.guid = opt_text(next()).ok_or_else(|| damaged("the mailbox column guid".into()))?;
    m.first_name = opt_text(next());
    m.last_name = opt_text(next());
    m.created = int(next(), "created")?;
    m.changed = int(next(), "changed")?;
    m.database = opt_text(next());
    for column in MAILBOX_COLUMNS {
        column.read_value(&mut m, next()).map_err(damaged)?;
    }
    for column in CAS_COLUMNS {
        column.read(&mut m.cas, next());
    }
    Ok(m)
}

pub(in crate::store) fn query(pg: &Pg, sql_where: &str, params: &[SqlValue]) -> StoreResult<Vec<Mailbox>> {
    let sql = format!("SELECT {} FROM mailbox {sql_where}", columns());
    pg.query(&sql, params)?.into_iter().map(from_values).collect()
}

/// `resolve_mailboxes`' three lookups: a wildcard pattern (already a LIKE
/// pattern), an exact key (lower-case), a secondary address. The limit
/// (a number of the code's, never the user's) is in the text: with text
/// parameters only, a statement's first run is one round trip
/// (`Pg::query`), and a shell often runs it once.
pub(in crate::store) fn by_pattern(pg: &Pg, pattern: &str, limit: usize) -> StoreResult<Vec<Mailbox>> {
    query(
        pg,
        &format!(
            "WHERE name ILIKE $1 ESCAPE '\\' OR alias ILIKE $1 ESCAPE '\\' OR display_name ILIKE $1 ESCAPE '\\' \
             OR primary_smtp ILIKE $1 ESCAPE '\\' ORDER BY lower(name) LIMIT {limit}"
        ),
        &[pattern.to_string().into()],
    )
}

pub(in crate::store) fn by_key(pg: &Pg, key: &str, limit: usize) -> StoreResult<Vec<Mailbox>> {
    query(
        pg,
        &format!(
            "WHERE guid = $1 OR lower(name) = $1 OR lower(alias) = $1 OR lower(upn) = $1 OR lower(primary_smtp) = $1 \
             OR lower(display_name) = $1 ORDER BY lower(name) LIMIT {limit}"
        ),
        &[key.to_string().into()],
    )
}

pub(in crate::store) fn by_secondary(pg: &Pg, needle: &str, limit: usize) -> StoreResult<Vec<Mailbox>> {
    query(
        pg,
        &format!("WHERE lower(email_addresses) LIKE $1 ORDER BY lower(name) LIMIT {limit}"),
        &[needle.to_string().into()],
    )
}

pub(in crate::store) fn page(pg: &Pg, after_name: Option<&str>, limit: usize) -> StoreResult<Vec<Mailbox>> {
    match after_name {
        Some(name) => query(
            pg,
            "WHERE lower(name) > lower($1) ORDER BY lower(name) LIMIT $2",
            &[name.to_string().into(), (limit as i64).into()],
        ),
        None => query(pg, "ORDER BY lower(name) LIMIT $1", &[(limit as i64).into()]),
    }
}

pub(in crate::store) fn count(pg: &Pg) -> StoreResult<u64> {
    match super::super::one(pg.query("SELECT count(*) FROM mailbox", &[])?) {
        Some(SqlValue::Integer(n)) => Ok(n as u64),
        _ => Err(StoreError::Corrupt("the mailbox count".into())),
    }
}

pub(in crate::store) fn login(pg: &Pg, login: &str) -> StoreResult<Option<Mailbox>> {
    Ok(query(
        pg,
        "WHERE lower(upn) = $1 OR lower(primary_smtp) = $1 OR lower(alias) = $1 LIMIT 1",
        &[login.to_string().into()],
    )?
    .pop())
}

/// Inserts `m` (every setting as the caller filled it) and returns its id.
pub(in crate::store) fn insert(pg: &Pg, m: &Mailbox) -> StoreResult<i64> {
    let names = setting_columns();
    let sql = format!(
        "INSERT INTO mailbox (guid, first_name, last_name, created, changed, database_guid, {}) \
         VALUES ($1, $2, $3, $4, $5, $6, {}) RETURNING id",
        names.join(", "),
        placeholders(names.len(), 7).join(", ")
    );
    let mut values: Vec<SqlValue> = vec![
        m.guid.clone().into(),
        m.first_name.clone().into(),
        m.last_name.clone().into(),
        m.created.into(),
        m.changed.into(),
        m.database.clone().into(),
    ];
    values.extend(setting_values(m));
    match super::super::one(pg.query(&sql, &values)?) {
        Some(SqlValue::Integer(id)) => Ok(id),
        _ => Err(StoreError::Corrupt("a new mailbox vanished".into())),
    }
}

/// `col = $N` for each column, numbered from `first`.
fn assignments(columns: &[&str], first: usize) -> String {
    columns
        .iter()
        .zip(placeholders(columns.len(), first))
        .map(|(c, p)| format!("{c} = {p}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(in crate::store) fn update(pg: &Pg, m: &Mailbox) -> StoreResult<u64> {
    let sql = format!(
        "UPDATE mailbox SET first_name = $2, last_name = $3, changed = $4, {} WHERE id = $1",
        assignments(&setting_columns(), 5)
    );
    let mut values: Vec<SqlValue> =
        vec![m.id.into(), m.first_name.clone().into(), m.last_name.clone().into(), m.changed.into()];
    values.extend(setting_values(m));
    pg.execute(&sql, &values)
}

pub(in crate::store) fn update_cas(pg: &Pg, id: i64, c: &CasSettings, changed: i64) -> StoreResult<u64> {
    let cas: Vec<&str> = CAS_COLUMNS.iter().map(|col| col.column).collect();
    let sql = format!("UPDATE mailbox SET changed = $2, {} WHERE id = $1", assignments(&cas, 3));
    let mut values: Vec<SqlValue> = vec![id.into(), changed.into()];
    values.extend(CAS_COLUMNS.iter().map(|col| col.sql(c)));
    pg.execute(&sql, &values)
}

/// `Store::set_cas_flags_everywhere` inside its transaction: the audit rows
/// are made here from each mailbox that differs (SQLite makes them with its
/// JSON functions in one statement), then one UPDATE. The columns come from
/// the cmdlet's static table, never from input.
pub(in crate::store) fn set_flags_everywhere(
    pg: &Pg,
    changes: &[(&str, &str, bool)],
    caller: &str,
    domain: &str,
    now: i64,
) -> StoreResult<Vec<String>> {
    // Set-based, as on SQLite: the audit rows are made by one INSERT ...
    // SELECT (their JSON built by the server, read back by serde), so a
    // million mailboxes cost three statements, not a million round trips.
    let text = |v: bool| if v { "True" } else { "False" };
    let differs: Vec<String> = changes.iter().map(|(c, _, v)| format!("{c} IS DISTINCT FROM {v}")).collect();
    let differs = format!("({})", differs.join(" OR "));
    let params: Vec<String> =
        changes.iter().map(|(_, p, v)| format!("jsonb_build_array('{p}', '{}')", text(*v))).collect();
    let modified: Vec<String> = changes
        .iter()
        .map(|(c, p, v)| {
            format!(
                "CASE WHEN {c} IS DISTINCT FROM {v} THEN jsonb_build_array('{p}', CASE WHEN {c} THEN 'True' ELSE 'False' END, '{}') END",
                text(*v)
            )
        })
        .collect();
    let unchanged = pg
        .query(&format!("SELECT name FROM mailbox WHERE NOT {differs} ORDER BY lower(name)"), &[])?
        .into_iter()
        .map(|row| match row.into_iter().next() {
            Some(SqlValue::Text(name)) => Ok(name),
            _ => Err(StoreError::Corrupt("a mailbox name".into())),
        })
        .collect::<StoreResult<Vec<_>>>()?;
    pg.execute(
        &format!(
            "INSERT INTO audit_log (run_date, caller, cmdlet, object_id, parameters, modified, succeeded) \
             SELECT $1, $2, 'Set-CASMailbox', $3::text || '/Users/' || name, \
             jsonb_build_array(jsonb_build_array('Identity', $3::text || '/Users/' || name), {})::text, \
             to_jsonb(array_remove(ARRAY[{}], NULL))::text, true \
             FROM mailbox WHERE {differs} ORDER BY lower(name)",
            params.join(", "),
            modified.join(", ")
        ),
        &[now.into(), caller.to_string().into(), domain.to_string().into()],
    )?;
    let sets: Vec<String> = changes.iter().map(|(c, _, v)| format!("{c} = {v}")).collect();
    pg.execute(&format!("UPDATE mailbox SET {}, changed = $1 WHERE {differs}", sets.join(", ")), &[now.into()])?;
    Ok(unchanged)
}

pub(in crate::store) fn delete(pg: &Pg, id: i64) -> StoreResult<bool> {
    pg.execute(
        "UPDATE mailbox SET forwarding_address = NULL WHERE forwarding_address = (SELECT guid FROM mailbox WHERE id = $1)",
        &[id.into()],
    )?;
    Ok(pg.execute("DELETE FROM mailbox WHERE id = $1", &[id.into()])? > 0)
}

pub(in crate::store) fn recipient_exists(pg: &Pg, value: &str) -> StoreResult<bool> {
    let rows = pg.query(
        "SELECT 1 FROM mailbox WHERE lower(name) = lower($1) OR lower(alias) = lower($1) OR lower(upn) = lower($1) \
         OR lower(primary_smtp) = lower($1) LIMIT 1",
        &[value.to_string().into()],
    )?;
    Ok(!rows.is_empty())
}

/// Whether `column` (a unique one, named by the store) holds `value`.
pub(in crate::store) fn value_taken(pg: &Pg, column: &str, value: &str) -> StoreResult<bool> {
    let sql = format!("SELECT 1 FROM mailbox WHERE lower({column}) = lower($1) LIMIT 1");
    Ok(!pg.query(&sql, &[value.to_string().into()])?.is_empty())
}

/// Which of the mailbox's unique values a unique index refused.
pub(in crate::store) fn refused_column(constraint: &str) -> &'static str {
    match constraint {
        "mailbox_name_key" => "name",
        "mailbox_alias_key" => "alias",
        "mailbox_upn_key" => "upn",
        _ => "primary_smtp",
    }
}

// HEAD_COUNT is the position of the first setting in `columns()`.
const _: () = assert!(HEAD_COUNT == 7);
