//! What a process reads when it opens the directory, in one round trip:
//! the organization's record, the server it answers for, and whether that
//! server's defaults were made. A shell's whole life on the directory is
//! often one cmdlet, so each trip at the start is a share of it
//! (docs/performance.md, "The directory on PostgreSQL at a million
//! mailboxes").

use rusqlite::types::Value as SqlValue;

use super::Pg;
use crate::store::cells::Cells;
use crate::store::{ServerInfo, StoreResult};

/// What the start read.
pub struct Start {
    /// The organization's record (its first server's name, and its domain).
    pub organization: ServerInfo,
    /// The server named, or the only one when none was named; None when
    /// there is no such server, or several and none named.
    pub this: Option<ServerInfo>,
    /// How many servers the organization has.
    pub servers: i64,
    /// This server's first mailbox database and its receive connectors
    /// were made.
    pub defaults_made: bool,
}

/// The schema's version (as `Pg::version` reads it), the organization's
/// record and the server named: a shell's start on a current directory in
/// one statement.
const WITH_VERSION: &str = "SELECT v.version, v.here, o.name, o.fqdn, o.domain, o.guid, o.created,
        s.name, s.fqdn, s.guid, s.created, s.first_database_made AND s.transport_defaults_made,
        (SELECT count(*) FROM exchange_server)
    FROM (SELECT max(version) AS version,
                 bool_and(tableoid = to_regclass(quote_ident(current_schema()) || '.mailsh_schema')) AS here
          FROM mailsh_schema) v
    JOIN server o ON o.id = 1
    LEFT JOIN exchange_server s ON $1 = '' OR lower(s.name) = lower($1) OR lower(s.fqdn) = lower($1)
    LIMIT 1";

/// The start of a directory just migrated (its version is this build's);
/// None: it holds no organization yet.
pub fn read(pg: &Pg, named: Option<&str>) -> StoreResult<Option<Start>> {
    let rows = pg.query(WITH_VERSION, &[SqlValue::Text(named.unwrap_or_default().to_string())])?;
    let Some(row) = rows.into_iter().next() else {
        return Ok(None);
    };
    let mut c = Cells::new(row, "the organization's record");
    let _version = (c.opt_int()?, c.opt_int()?);
    start_of(c, named)
}

/// The start of a directory already at schema version `current`, in one
/// round trip; None when it is not (a new directory, one to migrate, one
/// without an organization, or a version this build does not know): the
/// caller then migrates and reads as `read` does.
pub fn read_current(pg: &Pg, named: Option<&str>, current: i64) -> Option<Start> {
    // A directory of another version may lack a table or a column this
    // statement names: it fails, and the slow path says why, if anything.
    let rows = pg.query(WITH_VERSION, &[SqlValue::Text(named.unwrap_or_default().to_string())]).ok()?;
    let mut c = Cells::new(rows.into_iter().next()?, "the organization's record");
    let (version, here) = (c.opt_int().ok()?, c.opt_int().ok()?);
    if version != Some(current) || here != Some(1) {
        return None;
    }
    start_of(c, named).ok().flatten()
}

fn start_of(mut c: Cells, named: Option<&str>) -> StoreResult<Option<Start>> {
    let organization =
        ServerInfo { name: c.text()?, fqdn: c.text()?, domain: c.text()?, guid: c.text()?, created: c.int()? };
    let (name, fqdn, guid, created, made) = (c.opt_text()?, c.opt_text()?, c.opt_text()?, c.opt_int()?, c.opt_int()?);
    let servers = c.int()?;
    let this = match (name, fqdn, guid, created) {
        (Some(name), Some(fqdn), Some(guid), Some(created)) if named.is_some() || servers == 1 => {
            Some(ServerInfo { name, fqdn, domain: organization.domain.clone(), guid, created })
        }
        _ => None,
    };
    Ok(Some(Start { organization, this, servers, defaults_made: made == Some(1) }))
}
