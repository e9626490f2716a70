//! Get-Service -ComputerName: another server's services, as its
//! supervisors published them in the directory on PostgreSQL
//! (`services::publish`), as Windows asks a remote computer's service
//! control manager. A server whose published status went stale (it stopped
//! answering), or a name that is no server of the organization, is
//! Windows' "Cannot open Service Control Manager on computer".

use std::collections::HashMap;

use super::identity::store_err;
use super::service::service_value;
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::value::Value;
use crate::services::{Service, ServiceStatus};
use crate::store::StartupType;

/// Another server's services, as published.
pub struct Remote {
    /// The services of its roles.
    pub installed: Vec<Service>,
    status: HashMap<String, ServiceStatus>,
    startup: HashMap<String, StartupType>,
}

impl Remote {
    /// The services of `computer`; None when it names this server (".",
    /// "localhost", its name or FQDN).
    pub fn open(cx: &mut Session, computer: &str) -> Result<Option<Remote>> {
        let store = cx.store()?;
        let this = store.server().clone();
        let name = computer.trim();
        if [".", "localhost", this.name.as_str(), this.fqdn.as_str()].iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return Ok(None);
        }
        let Some(server) = store.exchange_server(name).map_err(store_err)? else {
            return Err(unreachable(name).into());
        };
        let published = store.published_services(&server.guid).map_err(store_err)?;
        let mut status = HashMap::new();
        for p in published {
            let s = match p.status.as_str() {
                "Running" => ServiceStatus::Running,
                "StartPending" => ServiceStatus::StartPending,
                "StopPending" => ServiceStatus::StopPending,
                _ => ServiceStatus::Stopped,
            };
            // A service said to run that has not said so lately: the
            // server no longer answers.
            if s != ServiceStatus::Stopped && p.age > crate::services::publish::STALE_AFTER {
                return Err(unreachable(name).into());
            }
            status.insert(p.name, s);
        }
        let installed = Service::of_roles(server.roles);
        let mut startup = HashMap::new();
        for s in &installed {
            startup.insert(s.name().to_string(), store.startup_type_of(&server.guid, s.name()).map_err(store_err)?);
        }
        Ok(Some(Remote { installed, status, startup }))
    }

    /// The ServiceController of `s` on `computer`.
    pub fn object(&self, s: Service, computer: &str) -> Value {
        let status = self.status.get(s.name()).copied().unwrap_or(ServiceStatus::Stopped);
        let startup = self.startup.get(s.name()).copied().unwrap_or(StartupType::Manual);
        service_value(s, status, startup, computer)
    }
}

/// Windows' words for a computer whose services cannot be asked.
fn unreachable(computer: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!(
            "Cannot open Service Control Manager on computer '{computer}'. This operation might require other privileges."
        ),
        Category::NotSpecified,
        "System.InvalidOperationException",
        "InvalidOperationException",
    )
}
