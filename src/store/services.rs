//! The services' configured startup type (Set-Service -StartupType). Their
//! running state is not configuration: it lives in the state folder.

//!
//! A SQLite store is one server, so its table is keyed by the service's
//! name; the directory on PostgreSQL keys it by server too.

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, params};

use super::enums::StartupType;
use super::{Sql, Store, StoreResult, Tx};

impl Store {
    /// Manual unless set otherwise, as Exchange installs the IMAP4 and POP3
    /// services (stopped by default, as Exchange 2013 installs them).
    pub fn startup_type(&self, service: &str) -> StoreResult<StartupType> {
        let server = self.server().guid.clone();
        self.startup_type_of(&server, service)
    }

    /// Another server's (on PostgreSQL; a SQLite store's one server's).
    pub fn startup_type_of(&self, server_guid: &str, service: &str) -> StoreResult<StartupType> {
        let text: Option<String> = match self.any() {
            Sql::Lite(conn) => conn
                .query_row("SELECT startup_type FROM service WHERE name = ?1", [service], |r| r.get(0))
                .optional()?,
            Sql::Pg(pg) => pg
                .query(
                    "SELECT startup_type FROM service WHERE server_guid = $1 AND name = $2",
                    &[server_guid.to_string().into(), service.to_string().into()],
                )?
                .into_iter()
                .next()
                .and_then(|row| row.into_iter().next())
                .and_then(|v| match v {
                    SqlValue::Text(t) => Some(t),
                    _ => None,
                }),
        };
        Ok(text.and_then(|t| StartupType::from_name(&t)).unwrap_or(StartupType::Manual))
    }

    /// This server's (`server_guid`: the store's `server().guid`).
    pub fn set_startup_type(tx: &Tx<'_>, server_guid: &str, service: &str, startup: StartupType) -> StoreResult<()> {
        match tx.any() {
            Sql::Lite(conn) => {
                conn.execute(
                    "INSERT INTO service (name, startup_type) VALUES (?1, ?2)
                     ON CONFLICT(name) DO UPDATE SET startup_type = excluded.startup_type",
                    params![service, startup.name()],
                )?;
            }
            Sql::Pg(pg) => {
                pg.execute(
                    "INSERT INTO service (server_guid, name, startup_type) VALUES ($1, $2, $3)
                     ON CONFLICT (server_guid, name) DO UPDATE SET startup_type = excluded.startup_type",
                    &[server_guid.to_string().into(), service.to_string().into(), startup.name().to_string().into()],
                )?;
            }
        }
        Ok(())
    }
}

/// How long a published status holds without being said again: after it,
/// the server is taken for one that cannot be reached (its supervisor says
/// it every 20 s).
pub const PUBLISHED_STALE_AFTER: i64 = 75;

/// What a server's supervisors published of one of its services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedService {
    pub name: String,
    pub status: String,
    /// How long ago it was last said, in seconds (by the directory's clock).
    pub age: i64,
}

impl Store {
    /// Publishes this server's `service` status (PostgreSQL only; a SQLite
    /// store's shells read the state files). Not a change the services
    /// notice (`Store::write_quietly`).
    pub fn publish_service_state(&mut self, service: &str, status: &str) -> StoreResult<()> {
        // The directory's clock, not this server's: readers on other
        // servers compare it with the same clock (`published_services`).
        self.publish_for_service(
            "INSERT INTO service_state (server_guid, name, status, seen)
             VALUES ($1, $2, $3, extract(epoch from now())::bigint)
             ON CONFLICT (server_guid, name) DO UPDATE SET status = excluded.status, seen = excluded.seen",
            service,
            status,
        )
    }

    /// Runs `sql` with this server's GUID, `service` and `value` as $1 to
    /// $3, on PostgreSQL only, as a write the services do not notice.
    fn publish_for_service(&mut self, sql: &str, service: &str, value: &str) -> StoreResult<()> {
        if !self.is_postgres() {
            return Ok(());
        }
        let server = self.server().guid.clone();
        self.write_quietly(|tx| {
            tx.any().run(sql, vec![server.into(), service.to_string().into(), value.to_string().into()])
        })
        .map(|_| ())
    }

    /// What the supervisors of `server_guid` published (PostgreSQL only).
    pub fn published_services(&self, server_guid: &str) -> StoreResult<Vec<PublishedService>> {
        if !self.is_postgres() {
            return Ok(Vec::new());
        }
        let rows = self.any().rows(
            "SELECT name, status, extract(epoch from now())::bigint - seen FROM service_state WHERE server_guid = $1",
            vec![server_guid.to_string().into()],
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match r.as_slice() {
                [SqlValue::Text(name), SqlValue::Text(status), SqlValue::Integer(age)] => {
                    Some(PublishedService { name: name.clone(), status: status.clone(), age: *age })
                }
                _ => None,
            })
            .collect())
    }
}

/// Where a running service of a server of the organization takes
/// connections from the other servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEndpoint {
    pub server_guid: String,
    pub server: String,
    /// host:port
    pub endpoint: String,
}

impl Store {
    /// Publishes where this server's `service` takes connections from the
    /// organization's other servers (PostgreSQL only: a SQLite store is one
    /// server). Not a change the services notice.
    pub fn publish_endpoint(&mut self, service: &str, endpoint: &str) -> StoreResult<()> {
        self.publish_for_service(
            "INSERT INTO service_state (server_guid, name, status, seen, endpoint)
             VALUES ($1, $2, 'StartPending', extract(epoch from now())::bigint, $3)
             ON CONFLICT (server_guid, name) DO UPDATE SET endpoint = excluded.endpoint",
            service,
            endpoint,
        )
    }

    /// The endpoints of `service` on the servers whose supervisor said
    /// lately (`PUBLISHED_STALE_AFTER`) that it runs, by server name
    /// (PostgreSQL only).
    pub fn running_endpoints(&self, service: &str) -> StoreResult<Vec<ServiceEndpoint>> {
        if !self.is_postgres() {
            return Ok(Vec::new());
        }
        let rows = self.any().rows(
            "SELECT st.server_guid, s.name, st.endpoint FROM service_state st
             JOIN exchange_server s ON s.guid = st.server_guid
             WHERE st.name = $1 AND st.status = 'Running' AND st.endpoint IS NOT NULL
               AND extract(epoch from now())::bigint - st.seen < $2
             ORDER BY lower(s.name)",
            vec![service.to_string().into(), SqlValue::Integer(PUBLISHED_STALE_AFTER)],
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match r.as_slice() {
                [SqlValue::Text(server_guid), SqlValue::Text(server), SqlValue::Text(endpoint)] => {
                    Some(ServiceEndpoint {
                        server_guid: server_guid.clone(),
                        server: server.clone(),
                        endpoint: endpoint.clone(),
                    })
                }
                _ => None,
            })
            .collect())
    }
}
