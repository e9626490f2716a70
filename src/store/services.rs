//! The services' configured startup type (Set-Service -StartupType). Their
//! running state is not configuration: it lives in the state folder.

use rusqlite::{OptionalExtension, params};

use super::enums::StartupType;
use super::{Store, StoreResult, Tx};

/// What the refusal names on PostgreSQL (not ported yet).
const WHAT: &str = "Service startup types";

impl Store {
    /// Manual unless set otherwise, as Exchange installs the IMAP4 and POP3
    /// services (stopped by default, as Exchange 2013 installs them).
    pub fn startup_type(&self, service: &str) -> StoreResult<StartupType> {
        let text: Option<String> = self
            .conn(WHAT)?
            .query_row("SELECT startup_type FROM service WHERE name = ?1", [service], |r| r.get(0))
            .optional()?;
        Ok(text.and_then(|t| StartupType::from_name(&t)).unwrap_or(StartupType::Manual))
    }

    pub fn set_startup_type(tx: &Tx<'_>, service: &str, startup: StartupType) -> StoreResult<()> {
        let tx = tx.sql(WHAT)?;
        tx.execute(
            "INSERT INTO service (name, startup_type) VALUES (?1, ?2)
             ON CONFLICT(name) DO UPDATE SET startup_type = excluded.startup_type",
            params![service, startup.name()],
        )?;
        Ok(())
    }
}
