//! Outlook Web App virtual directories: where IntranetUrl and InternetUrl
//! calendar links point.

use rusqlite::params;

use super::{Store, StoreResult, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwaVirtualDirectory {
    pub name: String,
    pub internal_url: Option<String>,
    pub external_url: Option<String>,
    pub changed: i64,
}

impl Store {
    pub fn owa_virtual_directories(&self) -> StoreResult<Vec<OwaVirtualDirectory>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT name, internal_url, external_url, changed FROM owa_virtual_directory ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OwaVirtualDirectory {
                name: r.get(0)?,
                internal_url: r.get(1)?,
                external_url: r.get(2)?,
                changed: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn save_owa_virtual_directory(tx: &Tx<'_>, dir: &OwaVirtualDirectory) -> StoreResult<()> {
        let tx = tx.sql();
        tx.execute(
            "UPDATE owa_virtual_directory SET internal_url = ?2, external_url = ?3, changed = ?4 WHERE name = ?1",
            params![dir.name, dir.internal_url, dir.external_url, dir.changed],
        )?;
        Ok(())
    }
}
