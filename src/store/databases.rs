//! Mailbox databases, as Active Directory lists them for Exchange
//! (Get-MailboxDatabase): each belongs to one Mailbox server and holds
//! mailboxes; its mail is a file on that server (`edb_file_path`, relative
//! to the server's local folder unless given whole). Every Mailbox server
//! gets one when it is made ("Mailbox Database 0123456789", its file the
//! server's `mail.db`); New-MailboxDatabase adds more.

use std::path::{Path, PathBuf};

use rusqlite::types::Value as SqlValue;

use super::{Sql, Store, StoreError, StoreResult, Tx};

/// One mailbox database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxDatabase {
    pub guid: String,
    pub name: String,
    pub server_guid: String,
    /// Its server's name (from the server's record).
    pub server: String,
    /// As stored: relative to the server's local folder, or absolute.
    pub edb_file_path: String,
    /// Mount-Database / Dismount-Database: whether the services serve it.
    pub mounted: bool,
    pub created: i64,
}

/// What New-MailboxDatabase gives.
#[derive(Debug, Clone)]
pub struct NewDatabase {
    pub name: String,
    pub server_guid: String,
    pub edb_file_path: String,
    pub mounted: bool,
}

/// The file of a server's first database: the mailbox database the
/// services have always used (`store::mail::mail_db_path`).
pub const DEFAULT_FILE: &str = "mail.db";

const COLUMNS: &str = "d.guid, d.name, d.server_guid, s.name, d.edb_file_path, d.mounted, d.created";
const FROM: &str = "FROM mailbox_database d JOIN exchange_server s ON s.guid = d.server_guid";

/// "Mailbox Database 0311695863", as Exchange names a server's first
/// database: ten digits, here from the database's GUID.
pub fn default_name(guid: &str) -> String {
    let hex: String = guid.chars().filter(char::is_ascii_hexdigit).take(8).collect();
    format!("Mailbox Database {:010}", u32::from_str_radix(&hex, 16).unwrap_or(0))
}

/// A new database's file when New-MailboxDatabase names none, relative to
/// its server's folder (Exchange's `Mailbox\<name>\<name>.edb`).
pub fn default_file(name: &str) -> String {
    let safe: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_ ".contains(c) { c } else { '_' }).collect();
    format!("Mailbox/{safe}/{safe}.db")
}

impl MailboxDatabase {
    /// Its file, given its server's local folder.
    pub fn file_in(&self, server_folder: &Path) -> PathBuf {
        let path = Path::new(&self.edb_file_path);
        if path.is_absolute() { path.to_path_buf() } else { server_folder.join(path) }
    }
}

impl Store {
    /// Every database of the organization, by name.
    pub fn mailbox_databases(&self) -> StoreResult<Vec<MailboxDatabase>> {
        rows(self.any(), &format!("SELECT {COLUMNS} {FROM} ORDER BY lower(d.name)"), vec![])
    }

    /// The database named `identity` (its name or GUID, in any case).
    pub fn mailbox_database(&self, identity: &str) -> StoreResult<Option<MailboxDatabase>> {
        find(self.any(), identity)
    }

    /// The local folder of the server named `server` (this server's is
    /// `state_dir`): where its databases' relative paths start.
    pub fn server_folder(&self, server: &str) -> PathBuf {
        if self.is_postgres() { PathBuf::from(super::server_log_root(server)) } else { self.state_dir() }
    }

    /// The file of `db`, as a whole path (what EdbFilePath shows).
    pub fn database_file(&self, db: &MailboxDatabase) -> PathBuf {
        let file = db.file_in(&self.server_folder(&db.server));
        std::path::absolute(&file).unwrap_or(file)
    }

    /// The database of the mailbox `mailbox` (None: no such mailbox;
    /// Some(None): a mailbox in no database), without reading the rest of
    /// its record: what the Transport asks for every recipient.
    pub fn mailbox_database_of(&self, mailbox: &str) -> StoreResult<Option<Option<String>>> {
        let rows =
            self.any().rows("SELECT database_guid FROM mailbox WHERE guid = $1", vec![mailbox.to_string().into()])?;
        Ok(rows.into_iter().next().map(|r| match r.into_iter().next() {
            Some(SqlValue::Text(t)) => Some(t),
            _ => None,
        }))
    }

    /// How many mailboxes `guid` holds.
    pub fn mailboxes_in_database(&self, guid: &str) -> StoreResult<i64> {
        count(self.any(), guid)
    }

    /// `mailboxes_in_database` inside a write.
    pub fn mailboxes_in_database_tx(tx: &Tx<'_>, guid: &str) -> StoreResult<i64> {
        count(tx.any(), guid)
    }

    /// Adds a database; a name already taken is refused.
    pub fn add_mailbox_database(tx: &Tx<'_>, new: &NewDatabase) -> StoreResult<MailboxDatabase> {
        if find(tx.any(), &new.name)?.is_some() {
            return Err(StoreError::Conflict(format!("A mailbox database named {} already exists.", new.name)));
        }
        let same_file = tx.any().rows(
            "SELECT name FROM mailbox_database WHERE server_guid = $1 AND edb_file_path = $2",
            vec![new.server_guid.clone().into(), new.edb_file_path.clone().into()],
        )?;
        if let Some(SqlValue::Text(other)) = same_file.into_iter().next().and_then(|r| r.into_iter().next()) {
            return Err(StoreError::Conflict(format!(
                "The file {} is already the database {other}'s: give this one another -EdbFilePath or name.",
                new.edb_file_path
            )));
        }
        let guid = super::new_guid();
        insert(tx.any(), &guid, new, super::now_unix())?;
        find(tx.any(), &guid)?.ok_or_else(|| StoreError::Corrupt("a new mailbox database vanished".into()))
    }

    /// Mount-Database / Dismount-Database.
    pub fn set_database_mounted(tx: &Tx<'_>, guid: &str, mounted: bool) -> StoreResult<()> {
        tx.any()
            .run(
                "UPDATE mailbox_database SET mounted = $2 WHERE guid = $1",
                vec![guid.to_string().into(), i64::from(mounted).into()],
            )
            .map(|_| ())
    }

    /// Removes a database record (its file stays, as Exchange leaves it).
    pub fn remove_mailbox_database(tx: &Tx<'_>, guid: &str) -> StoreResult<bool> {
        Ok(tx.any().run("DELETE FROM mailbox_database WHERE guid = $1", vec![guid.to_string().into()])? > 0)
    }

    /// The database a new mailbox goes to when New-Mailbox names none
    /// (Exchange's automatic mailbox distribution): among the mounted
    /// databases, this server's when it has any, else the organization's,
    /// the one holding the fewest mailboxes (then by name). None when there
    /// is none.
    pub fn database_for_new_mailbox(&self, this_server: &str) -> StoreResult<Option<String>> {
        pick(self.any(), this_server)
    }

    /// Makes this server's first database when it has the Mailbox role and
    /// never had one (a new store, a new server, or one made before
    /// databases existed), and places every mailbox without a database in
    /// it. Once only: a database an administrator removes stays removed.
    pub(crate) fn ensure_first_database(&mut self) -> StoreResult<()> {
        let server_guid = self.server().guid.clone();
        if !needs_first_database(self.any(), &server_guid)? {
            return Ok(());
        }
        self.write(|tx| {
            // Another shell may have made it while we waited for the lock.
            if needs_first_database(tx.any(), &server_guid)? {
                make_first_database(tx, &server_guid)?;
            }
            Ok(())
        })
    }
}

/// Whether `server_guid` is a Mailbox server whose first database was not
/// made yet.
fn needs_first_database(db: Sql<'_>, server_guid: &str) -> StoreResult<bool> {
    let sql = "SELECT roles FROM exchange_server WHERE guid = $1 AND first_database_made = $2";
    let found = db.rows(sql, vec![server_guid.to_string().into(), SqlValue::Integer(0)])?;
    Ok(found.into_iter().next().and_then(|r| r.into_iter().next()).is_some_and(|roles| match roles {
        SqlValue::Text(t) => t.split(',').any(|r| r.trim().eq_ignore_ascii_case("Mailbox")),
        _ => false,
    }))
}

/// A Mailbox server's first database (Setup's, or a store's first open),
/// with every mailbox that has none.
pub(in crate::store) fn make_first_database(tx: &Tx<'_>, server_guid: &str) -> StoreResult<()> {
    let guid = super::new_guid();
    let new = NewDatabase {
        name: default_name(&guid),
        server_guid: server_guid.to_string(),
        edb_file_path: DEFAULT_FILE.to_string(),
        mounted: true,
    };
    insert(tx.any(), &guid, &new, super::now_unix())?;
    tx.any().run("UPDATE mailbox SET database_guid = $1 WHERE database_guid IS NULL", vec![guid.clone().into()])?;
    tx.any().run(
        "UPDATE exchange_server SET first_database_made = $2 WHERE guid = $1",
        vec![server_guid.to_string().into(), SqlValue::Integer(1)],
    )?;
    Ok(())
}

/// Whether the database `guid` exists.
pub(in crate::store) fn exists(db: Sql<'_>, guid: &str) -> StoreResult<bool> {
    Ok(!db.rows("SELECT 1 FROM mailbox_database WHERE guid = $1", vec![guid.to_string().into()])?.is_empty())
}

/// The names of the databases on `server_guid`.
pub(in crate::store) fn on_server(db: Sql<'_>, server_guid: &str) -> StoreResult<Vec<String>> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE d.server_guid = $1 ORDER BY lower(d.name)");
    Ok(rows(db, &sql, vec![server_guid.to_string().into()])?.into_iter().map(|d| d.name).collect())
}

/// `Store::database_for_new_mailbox`, inside a write.
pub(in crate::store) fn pick(db: Sql<'_>, this_server: &str) -> StoreResult<Option<String>> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE d.mounted = $1 ORDER BY CASE WHEN d.server_guid = $2 THEN 0 ELSE 1 END, \
         (SELECT count(*) FROM mailbox m WHERE m.database_guid = d.guid), lower(d.name) LIMIT 1"
    );
    let params = vec![SqlValue::Integer(1), this_server.to_string().into()];
    Ok(rows(db, &sql, params)?.into_iter().next().map(|d| d.guid))
}

fn find(db: Sql<'_>, identity: &str) -> StoreResult<Option<MailboxDatabase>> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE lower(d.name) = lower($1) OR lower(d.guid) = lower($1)");
    Ok(rows(db, &sql, vec![identity.trim().to_string().into()])?.into_iter().next())
}

fn count(db: Sql<'_>, guid: &str) -> StoreResult<i64> {
    let found = db.rows("SELECT count(*) FROM mailbox WHERE database_guid = $1", vec![guid.to_string().into()])?;
    match found.into_iter().next().and_then(|r| r.into_iter().next()) {
        Some(SqlValue::Integer(n)) => Ok(n),
        _ => Err(StoreError::Corrupt("a count of mailboxes".into())),
    }
}

fn insert(db: Sql<'_>, guid: &str, new: &NewDatabase, created: i64) -> StoreResult<()> {
    db.run(
        "INSERT INTO mailbox_database (guid, name, server_guid, edb_file_path, mounted, created) VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            guid.to_string().into(),
            new.name.clone().into(),
            new.server_guid.clone().into(),
            new.edb_file_path.clone().into(),
            i64::from(new.mounted).into(),
            created.into(),
        ],
    )
    .map(|_| ())
}

fn rows(db: Sql<'_>, sql: &str, params: Vec<SqlValue>) -> StoreResult<Vec<MailboxDatabase>> {
    db.rows(sql, params)?.into_iter().map(database).collect()
}

fn database(row: Vec<SqlValue>) -> StoreResult<MailboxDatabase> {
    let corrupt = || StoreError::Corrupt("a mailbox database record".into());
    let mut it = row.into_iter();
    let mut text = || match it.next() {
        Some(SqlValue::Text(t)) => Ok(t),
        _ => Err(corrupt()),
    };
    let (guid, name, server_guid, server, edb_file_path) = (text()?, text()?, text()?, text()?, text()?);
    let mut int = || match it.next() {
        Some(SqlValue::Integer(n)) => Ok(n),
        _ => Err(corrupt()),
    };
    let (mounted, created) = (int()? != 0, int()?);
    Ok(MailboxDatabase { guid, name, server_guid, server, edb_file_path, mounted, created })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_database_is_named_as_exchange_names_it() {
        assert_eq!(default_name("0000002a-0000-4000-8000-000000000000"), "Mailbox Database 0000000042");
        assert_eq!(default_name("ffffffff-0000-4000-8000-000000000000"), "Mailbox Database 4294967295");
        assert_eq!(default_file("DB02"), "Mailbox/DB02/DB02.db");
        assert_eq!(default_file("../x"), "Mailbox/___x/___x.db");
    }
}
