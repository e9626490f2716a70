//! Exchange's virtual directories: Outlook Web App's (where IntranetUrl and
//! InternetUrl calendar links point) and the Exchange admin center's (where
//! the W3SVC service serves it). Both are rows of name and URLs.

use rusqlite::params;

use super::{Store, StoreResult, Tx};

/// What the refusal names on PostgreSQL (not ported yet).
const WHAT: &str = "Virtual directories";

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
    pub fn virtual_directories(&self, kind: VirtualDirectoryKind) -> StoreResult<Vec<VirtualDirectory>> {
        let sql = format!("SELECT name, internal_url, external_url, changed FROM {} ORDER BY name", kind.table());
        let mut stmt = self.conn(WHAT)?.prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(VirtualDirectory {
                name: r.get(0)?,
                internal_url: r.get(1)?,
                external_url: r.get(2)?,
                changed: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn save_virtual_directory(tx: &Tx<'_>, kind: VirtualDirectoryKind, dir: &VirtualDirectory) -> StoreResult<()> {
        let sql =
            format!("UPDATE {} SET internal_url = ?2, external_url = ?3, changed = ?4 WHERE name = ?1", kind.table());
        tx.sql(WHAT)?.execute(&sql, params![dir.name, dir.internal_url, dir.external_url, dir.changed])?;
        Ok(())
    }

    pub fn owa_virtual_directories(&self) -> StoreResult<Vec<OwaVirtualDirectory>> {
        self.virtual_directories(VirtualDirectoryKind::Owa)
    }
}
