//! The organization's Exchange servers and their roles, as Active
//! Directory lists them for Exchange (Get-ExchangeServer). A SQLite store
//! is one server with both roles; a directory on PostgreSQL holds every
//! server that `mailsh -Setup` added, and each shell says which one it is
//! (-ServerName, $MAILSH_SERVER).

use rusqlite::types::Value as SqlValue;

use super::{Sql, Store, StoreError, StoreResult, Tx};

/// The roles of an Exchange 2013 server (Edge Transport is not built).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roles {
    pub mailbox: bool,
    pub client_access: bool,
}

impl Roles {
    pub const BOTH: Roles = Roles { mailbox: true, client_access: true };

    /// As Get-ExchangeServer's ServerRole shows them: `Mailbox, ClientAccess`.
    pub fn text(self) -> String {
        let mut names = Vec::new();
        if self.mailbox {
            names.push("Mailbox");
        }
        if self.client_access {
            names.push("ClientAccess");
        }
        names.join(", ")
    }

    /// The stored text back (what `text` wrote).
    fn from_text(text: &str) -> Roles {
        let has = |name: &str| text.split(',').any(|r| r.trim().eq_ignore_ascii_case(name));
        Roles { mailbox: has("Mailbox"), client_access: has("ClientAccess") }
    }
}

/// One server of the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeServer {
    pub name: String,
    pub fqdn: String,
    pub roles: Roles,
    pub guid: String,
    pub created: i64,
    /// Where other servers reach its back ends (Setup's -Address: an IP
    /// address or a host name); None: loopback only, one server alone.
    pub address: Option<String>,
}

const COLUMNS: &str = "name, fqdn, roles, guid, created, address";

impl Store {
    /// Every server, by name.
    pub fn exchange_servers(&self) -> StoreResult<Vec<ExchangeServer>> {
        rows(self.any(), &format!("SELECT {COLUMNS} FROM exchange_server ORDER BY lower(name)"), vec![])
    }

    /// The server named `identity` (its name or its FQDN, in any case).
    pub fn exchange_server(&self, identity: &str) -> StoreResult<Option<ExchangeServer>> {
        find(self.any(), identity)
    }

    /// Adds a server (Setup's install) with Exchange's default IMAP4 and
    /// POP3 settings; a name or FQDN already taken is refused.
    pub fn add_exchange_server(tx: &Tx<'_>, server: &ExchangeServer) -> StoreResult<()> {
        if find(tx.any(), &server.name)?.is_some() || find(tx.any(), &server.fqdn)?.is_some() {
            return Err(StoreError::Conflict(format!(
                "A server named {} ({}) is already a member of the organization.",
                server.name, server.fqdn
            )));
        }
        insert(tx.any(), server)?;
        let log_root = super::server_log_root(&server.name);
        super::owa::add_defaults(tx.any(), &server.guid, &server.fqdn, server.created)?;
        if server.roles.mailbox {
            super::databases::make_first_database(tx, &server.guid)?;
        }
        if let Sql::Pg(_) = tx.any() {
            let (name, fqdn, guid) = (&server.name, &server.fqdn, &server.guid);
            super::transport::add_default_connectors(tx, name, fqdn, guid, server.roles, server.created)?;
        }
        super::default_protocol_settings(tx.any(), &server.guid, &server.fqdn, &log_root, server.created)
    }

    /// Removes a server and its settings (Setup's uninstall); false when
    /// there was none.
    pub fn remove_exchange_server(tx: &Tx<'_>, server: &ExchangeServer) -> StoreResult<bool> {
        // Exchange's Setup will not remove a server that still has
        // mailbox databases: their mailboxes would be lost.
        let held = super::databases::on_server(tx.any(), &server.guid)?;
        if !held.is_empty() {
            return Err(StoreError::Conflict(format!(
                "{} still has mailbox databases ({}): remove them with Remove-MailboxDatabase first.",
                server.name,
                held.join(", ")
            )));
        }
        let mut removed = 0;
        // SQLite's services and virtual directories are its one server's, and a SQLite store
        // takes no other server (Setup refuses it).
        let services = match tx.any() {
            Sql::Lite(_) => None,
            Sql::Pg(_) => Some(vec![
                "DELETE FROM service WHERE server_guid = $1",
                "DELETE FROM service_state WHERE server_guid = $1",
                "DELETE FROM owa_virtual_directory WHERE server_guid = $1",
                "DELETE FROM ecp_virtual_directory WHERE server_guid = $1",
                "DELETE FROM receive_connector WHERE server_guid = $1",
                "DELETE FROM web_site WHERE server_guid = $1",
            ]),
        };
        for sql in services.into_iter().flatten().chain([
            "DELETE FROM protocol_settings WHERE server_guid = $1",
            "DELETE FROM exchange_server WHERE guid = $1",
        ]) {
            removed = tx.any().run(sql, vec![server.guid.clone().into()])?;
        }
        Ok(removed > 0)
    }
}

impl Store {
    /// The organization's secret `name` in the directory on PostgreSQL,
    /// made with `make` by the first server that asks; None on SQLite (a
    /// store keeps its secrets in files beside it).
    pub fn organization_secret(&mut self, name: &str, make: impl FnOnce() -> String) -> StoreResult<Option<String>> {
        fn read(db: Sql<'_>, name: &str) -> StoreResult<Option<String>> {
            let rows =
                db.rows("SELECT value FROM organization_secret WHERE name = $1", vec![name.to_string().into()])?;
            Ok(rows.into_iter().next().and_then(|r| r.into_iter().next()).and_then(|v| match v {
                SqlValue::Text(t) => Some(t),
                _ => None,
            }))
        }
        if !self.is_postgres() {
            return Ok(None);
        }
        if let Some(v) = read(self.any(), name)? {
            return Ok(Some(v));
        }
        let value = make();
        self.write(|tx| {
            tx.any().run(
                "INSERT INTO organization_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                vec![name.to_string().into(), value.into()],
            )?;
            read(tx.any(), name)
        })
    }
}

/// The server named `identity` (name or FQDN).
pub(in crate::store) fn find(db: Sql<'_>, identity: &str) -> StoreResult<Option<ExchangeServer>> {
    let sql = format!("SELECT {COLUMNS} FROM exchange_server WHERE lower(name) = lower($1) OR lower(fqdn) = lower($1)");
    Ok(rows(db, &sql, vec![identity.to_string().into()])?.into_iter().next())
}

pub(in crate::store) fn insert(db: Sql<'_>, s: &ExchangeServer) -> StoreResult<()> {
    let sql = "INSERT INTO exchange_server (name, fqdn, roles, guid, created, address) VALUES ($1, $2, $3, $4, $5, $6)";
    let values: Vec<SqlValue> = vec![
        s.name.clone().into(),
        s.fqdn.clone().into(),
        s.roles.text().into(),
        s.guid.clone().into(),
        s.created.into(),
        s.address.clone().into(),
    ];
    db.run(sql, values).map(|_| ())
}

fn rows(db: Sql<'_>, sql: &str, params: Vec<SqlValue>) -> StoreResult<Vec<ExchangeServer>> {
    db.rows(sql, params)?.into_iter().map(server).collect()
}

fn server(row: Vec<SqlValue>) -> StoreResult<ExchangeServer> {
    let corrupt = || StoreError::Corrupt("a server record".into());
    let mut it = row.into_iter();
    let mut text = || match it.next() {
        Some(SqlValue::Text(t)) => Ok(t),
        _ => Err(corrupt()),
    };
    let (name, fqdn, roles, guid) = (text()?, text()?, text()?, text()?);
    let created = match it.next() {
        Some(SqlValue::Integer(n)) => n,
        _ => return Err(corrupt()),
    };
    let address = match it.next() {
        Some(SqlValue::Text(t)) => Some(t),
        _ => None,
    };
    Ok(ExchangeServer { name, fqdn, roles: Roles::from_text(&roles), guid, created, address })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_as_written_in_exchanges_order() {
        for roles in
            [Roles::BOTH, Roles { mailbox: true, client_access: false }, Roles { mailbox: false, client_access: true }]
        {
            assert_eq!(Roles::from_text(&roles.text()), roles);
        }
        assert_eq!(Roles::BOTH.text(), "Mailbox, ClientAccess");
    }
}
