//! Exchange's virtual directories: Outlook Web App's (where IntranetUrl and
//! InternetUrl calendar links point) and the Exchange admin center's (where
//! the W3SVC service serves it). Both are rows of name and URLs: a SQLite
//! store's are its one server's; on PostgreSQL each server has its own
//! (Exchange's `CAS01\owa (Default Web Site)`), made when Setup adds it.

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, params};

use super::{Sql, Store, StoreError, StoreResult, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualDirectory {
    pub name: String,
    pub internal_url: Option<String>,
    pub external_url: Option<String>,
    pub changed: i64,
}

pub type OwaVirtualDirectory = VirtualDirectory;

/// Which virtual directory (each is its own table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VirtualDirectoryKind {
    Owa,
    Ecp,
}

impl VirtualDirectoryKind {
    fn table(self) -> &'static str {
        match self {
            VirtualDirectoryKind::Owa => "owa_virtual_directory",
            VirtualDirectoryKind::Ecp => "ecp_virtual_directory",
        }
    }
}

impl Store {
    /// This server's.
    pub fn virtual_directories(&self, kind: VirtualDirectoryKind) -> StoreResult<Vec<VirtualDirectory>> {
        match self.any() {
            Sql::Lite(conn) => {
                let sql =
                    format!("SELECT name, internal_url, external_url, changed FROM {} ORDER BY name", kind.table());
                let mut stmt = conn.prepare_cached(&sql)?;
                let rows = stmt.query_map([], from_lite)?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            }
            Sql::Pg(pg) => {
                let sql = format!(
                    "SELECT name, internal_url, external_url, changed FROM {} WHERE server_guid = $1 ORDER BY name",
                    kind.table()
                );
                pg.query(&sql, &[self.server().guid.clone().into()])?.into_iter().map(from_pg).collect()
            }
        }
    }

    /// One of the server's as the write transaction sees it, to change and
    /// save (Set-OwaVirtualDirectory, Set-EcpVirtualDirectory).
    pub fn virtual_directory_for_update(
        tx: &Tx<'_>,
        server_guid: &str,
        kind: VirtualDirectoryKind,
        name: &str,
    ) -> StoreResult<Option<VirtualDirectory>> {
        match tx.any() {
            Sql::Lite(conn) => {
                let sql =
                    format!("SELECT name, internal_url, external_url, changed FROM {} WHERE name = ?1", kind.table());
                Ok(conn.query_row(&sql, [name], from_lite).optional()?)
            }
            Sql::Pg(pg) => {
                let sql = format!(
                    "SELECT name, internal_url, external_url, changed FROM {} WHERE server_guid = $1 AND name = $2",
                    kind.table()
                );
                pg.query(&sql, &[server_guid.to_string().into(), name.to_string().into()])?
                    .into_iter()
                    .next()
                    .map(from_pg)
                    .transpose()
            }
        }
    }

    /// Saves one of the server's (`server_guid`: the store's
    /// `server().guid`).
    pub fn save_virtual_directory(
        tx: &Tx<'_>,
        server_guid: &str,
        kind: VirtualDirectoryKind,
        dir: &VirtualDirectory,
    ) -> StoreResult<()> {
        match tx.any() {
            Sql::Lite(conn) => {
                let sql = format!(
                    "UPDATE {} SET internal_url = ?2, external_url = ?3, changed = ?4 WHERE name = ?1",
                    kind.table()
                );
                conn.execute(&sql, params![dir.name, dir.internal_url, dir.external_url, dir.changed])?;
            }
            Sql::Pg(pg) => {
                let sql = format!(
                    "UPDATE {} SET internal_url = $3, external_url = $4, changed = $5 WHERE server_guid = $1 AND name = $2",
                    kind.table()
                );
                pg.execute(
                    &sql,
                    &[
                        server_guid.to_string().into(),
                        dir.name.clone().into(),
                        dir.internal_url.clone().into(),
                        dir.external_url.clone().into(),
                        dir.changed.into(),
                    ],
                )?;
            }
        }
        Ok(())
    }

    pub fn owa_virtual_directories(&self) -> StoreResult<Vec<OwaVirtualDirectory>> {
        self.virtual_directories(VirtualDirectoryKind::Owa)
    }
}

/// A row of `name, internal_url, external_url, changed`.
fn from_lite(r: &rusqlite::Row<'_>) -> rusqlite::Result<VirtualDirectory> {
    Ok(VirtualDirectory { name: r.get(0)?, internal_url: r.get(1)?, external_url: r.get(2)?, changed: r.get(3)? })
}

fn from_pg(row: Vec<SqlValue>) -> StoreResult<VirtualDirectory> {
    let text = |v: SqlValue| match v {
        SqlValue::Text(t) => Ok(Some(t)),
        SqlValue::Null => Ok(None),
        _ => Err(StoreError::Corrupt("a virtual directory".into())),
    };
    let mut it = row.into_iter();
    let mut next = || it.next().ok_or_else(|| StoreError::Corrupt("a virtual directory".into()));
    let name = text(next()?)?.unwrap_or_default();
    let (internal_url, external_url) = (text(next()?)?, text(next()?)?);
    let changed = match next()? {
        SqlValue::Integer(n) => n,
        _ => return Err(StoreError::Corrupt("a virtual directory".into())),
    };
    Ok(VirtualDirectory { name, internal_url, external_url, changed })
}

/// A new server's virtual directories on PostgreSQL, as Setup makes them
/// (a SQLite store's are made with it, `store::seed`).
pub(in crate::store) fn add_defaults(db: Sql<'_>, server_guid: &str, fqdn: &str, created: i64) -> StoreResult<()> {
    let Sql::Pg(pg) = db else { return Ok(()) };
    for (table, name, path) in [
        ("owa_virtual_directory", "owa (Default Web Site)", "owa"),
        ("ecp_virtual_directory", "ecp (Default Web Site)", "ecp"),
    ] {
        pg.execute(
            &format!(
                "INSERT INTO {table} (server_guid, name, internal_url, external_url, changed) VALUES ($1, $2, $3, NULL, $4)"
            ),
            &[server_guid.to_string().into(), name.to_string().into(), format!("https://{fqdn}/{path}").into(), created.into()],
        )?;
    }
    Ok(())
}
