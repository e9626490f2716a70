//! The four mail services (Get-/Start-/Stop-Service) as real background
//! processes. Start-Service spawns this very binary with a hidden argument:
//!
//! ```text
//! mailsh --mailsh-service MSExchangePOP3 --store PATH --store-id ID   the supervisor (detached)
//!   └─ mailsh --mailsh-engine MSExchangePOP3 --store PATH --store-id ID   the engine it runs and restarts
//! ```
//!
//! The supervisor's pid and the service status live in the store's state
//! folder (`<store>.d/services/<Name>.state`), so a later shell sees them.
//! The store id (`store::instance_id`) on both command lines is what makes
//! a process this store's service: it is checked before any signal, so a
//! copy of the store, or a stale state file naming a reused pid, never
//! reaches another store's service; and a lost state file is rebuilt from
//! the processes that carry the id.

use std::ffi::OsString;

mod control;
mod engine_process;
mod error;
mod procs;
pub mod publish;
mod state;
mod supervisor;

/// What the W3SVC engine needs from above: a host that runs a command line.
pub use crate::engines::web::{CommandOutcome, CommandRunner};
pub use control::{Restarting, ServiceControl};
pub use error::ServiceError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Imap4,
    Imap4Backend,
    Pop3,
    Pop3Backend,
    /// The Client Access role's SMTP front door (Default Frontend on 25,
    /// Client Frontend on 587): it keeps nothing and hands each message
    /// to the Transport service.
    FrontEndTransport,
    /// The Mailbox role's transport: queues durably, and sends what leaves
    /// the organization.
    Transport,
    /// The Mailbox role's Mailbox Transport Delivery: from the Transport's
    /// queue into the mailbox database.
    Delivery,
    /// The Mailbox role's Mailbox Transport Submission: from the mailboxes'
    /// Outboxes to the Transport.
    Submission,
    /// The Mailbox role's Mailbox Replication service: it carries a mailbox
    /// out of and into this server's databases for a move request made on
    /// another server's shell.
    MailboxReplication,
    /// IIS, as Exchange 2013 runs the Exchange admin center (`/ecp`) in it:
    /// HTTPS where Get-EcpVirtualDirectory says, HTTP redirected to it.
    W3svc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceStatus {
    Stopped,
    StartPending,
    StopPending,
    Running,
}

impl ServiceStatus {
    pub fn name(self) -> &'static str {
        match self {
            ServiceStatus::Stopped => "Stopped",
            ServiceStatus::StartPending => "StartPending",
            ServiceStatus::StopPending => "StopPending",
            ServiceStatus::Running => "Running",
        }
    }
}

impl Service {
    pub const ALL: [Service; 10] = [
        Service::Imap4,
        Service::Imap4Backend,
        Service::Pop3,
        Service::Pop3Backend,
        Service::FrontEndTransport,
        Service::Transport,
        Service::Delivery,
        Service::Submission,
        Service::MailboxReplication,
        Service::W3svc,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Service::Imap4 => "MSExchangeIMAP4",
            Service::Imap4Backend => "MSExchangeIMAP4BE",
            Service::Pop3 => "MSExchangePOP3",
            Service::Pop3Backend => "MSExchangePOP3BE",
            Service::FrontEndTransport => "MSExchangeFrontEndTransport",
            Service::Transport => "MSExchangeTransport",
            Service::Delivery => "MSExchangeDelivery",
            Service::Submission => "MSExchangeSubmission",
            Service::MailboxReplication => "MSExchangeMailboxReplication",
            Service::W3svc => "W3SVC",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Service::Imap4 => "Microsoft Exchange IMAP4",
            Service::Imap4Backend => "Microsoft Exchange IMAP4 Backend",
            Service::Pop3 => "Microsoft Exchange POP3",
            Service::Pop3Backend => "Microsoft Exchange POP3 Backend",
            Service::FrontEndTransport => "Microsoft Exchange Frontend Transport",
            Service::Transport => "Microsoft Exchange Transport",
            Service::Delivery => "Microsoft Exchange Mailbox Transport Delivery",
            Service::Submission => "Microsoft Exchange Mailbox Transport Submission",
            Service::MailboxReplication => "Microsoft Exchange Mailbox Replication",
            Service::W3svc => "World Wide Web Publishing Service",
        }
    }

    /// Case-insensitive.
    pub fn from_name(name: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The client-access protocol an IMAP4 or POP3 service serves; None
    /// for the others (the transport services read receive connectors
    /// instead).
    pub fn protocol(self) -> Option<crate::store::Protocol> {
        match self {
            Service::Imap4 | Service::Imap4Backend => Some(crate::store::Protocol::Imap4),
            Service::Pop3 | Service::Pop3Backend => Some(crate::store::Protocol::Pop3),
            Service::FrontEndTransport
            | Service::Transport
            | Service::Delivery
            | Service::Submission
            | Service::MailboxReplication
            | Service::W3svc => None,
        }
    }

    /// The services a server of `roles` has, as Windows lists the services
    /// installed: the front ends for Client Access, the back ends and the
    /// Transport for Mailbox.
    pub fn of_roles(roles: crate::store::servers::Roles) -> Vec<Service> {
        Service::ALL
            .into_iter()
            .filter(|s| match s.role() {
                crate::engines::net::EngineRole::FrontEnd => roles.client_access,
                crate::engines::net::EngineRole::BackEnd => roles.mailbox,
            })
            .collect()
    }

    pub fn role(self) -> crate::engines::net::EngineRole {
        match self {
            Service::Imap4 | Service::Pop3 | Service::FrontEndTransport | Service::W3svc => {
                crate::engines::net::EngineRole::FrontEnd
            }
            Service::Imap4Backend
            | Service::Pop3Backend
            | Service::Transport
            | Service::Delivery
            | Service::Submission
            | Service::MailboxReplication => crate::engines::net::EngineRole::BackEnd,
        }
    }
}

pub(crate) const SERVICE_FLAG: &str = "--mailsh-service";
pub(crate) const ENGINE_FLAG: &str = "--mailsh-engine";
pub(crate) const STORE_FLAG: &str = "--store";
pub(crate) const STORE_ID_FLAG: &str = "--store-id";
/// A directory's URL as the service processes open it: their command lines
/// (which `ps` shows to everyone) name it without its password.
const STORE_URL_ENV: &str = "MAILSH_SERVICE_STORE";

/// The store as a service's command line names it, and what its environment
/// adds: a PostgreSQL URL goes without its password on the command line and
/// whole in the environment (readable by its owner only), with the server
/// the service runs for.
pub(crate) fn store_for_child(store: &std::path::Path) -> (OsString, Vec<(&'static str, String)>) {
    match store.to_str().filter(|s| crate::store::pg::is_url(s)) {
        Some(url) => (
            OsString::from(crate::store::pg::shown_url(url)),
            vec![
                (STORE_URL_ENV, url.to_string()),
                ("MAILSH_SERVER", crate::store::this_server_name()),
                ("XDG_DATA_HOME", crate::store::data_home().display().to_string()),
            ],
        ),
        None => (store.as_os_str().to_os_string(), Vec::new()),
    }
}

/// The store a service process was given: its command line's, or the whole
/// URL from the environment when the command line shows it without its
/// password.
fn store_given(arg: &std::ffi::OsStr) -> std::path::PathBuf {
    let whole = std::env::var(STORE_URL_ENV)
        .ok()
        .filter(|url| crate::store::pg::is_url(url) && arg.to_str() == Some(crate::store::pg::shown_url(url).as_str()));
    whole.map(std::path::PathBuf::from).unwrap_or_else(|| std::path::PathBuf::from(arg))
}

/// Called first thing in main(). `Some(code)`: this process was started as
/// a service supervisor or an engine and has finished; exit with `code`.
/// `args` is `std::env::args_os()` (with or without the program name): the
/// store's path need not be UTF-8. `runner` is how the W3SVC engine runs
/// the Exchange admin center's commands through the shell's runtime (a
/// layer above this one, so main() passes it down).
pub fn run_hidden_entry(args: &[OsString], runner: impl FnOnce() -> std::sync::Arc<dyn CommandRunner>) -> Option<i32> {
    let flag_at = args.iter().take(2).position(|a| a == SERVICE_FLAG || a == ENGINE_FLAG)?;
    let flag = args[flag_at].to_string_lossy().into_owned();
    let rest = &args[flag_at + 1..];
    let value = |name: &str| rest.iter().position(|a| a == name).and_then(|i| rest.get(i + 1));
    let service = rest.first().and_then(|n| n.to_str()).and_then(Service::from_name);
    let store_id = value(STORE_ID_FLAG).and_then(|v| v.to_str());
    let (Some(service), Some(store), Some(store_id)) = (service, value(STORE_FLAG), store_id) else {
        eprintln!("mailsh: usage: {flag} <ServiceName> {STORE_FLAG} <path> {STORE_ID_FLAG} <id>");
        return Some(2);
    };
    let store = store_given(store);
    Some(if flag == SERVICE_FLAG {
        supervisor::run(service, &store, store_id)
    } else {
        engine_process::run(service, &store, store_id, runner())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_case_insensitively() {
        for s in Service::ALL {
            assert_eq!(Service::from_name(&s.name().to_lowercase()), Some(s));
        }
        assert_eq!(Service::from_name("foo"), None);
        assert_eq!(Service::Pop3Backend.display_name(), "Microsoft Exchange POP3 Backend");
    }

    struct NoRunner;
    impl CommandRunner for NoRunner {
        fn run(&self, _: &std::path::Path, _: &str, _: &str) -> CommandOutcome {
            CommandOutcome::default()
        }
    }
    fn no_runner() -> std::sync::Arc<dyn CommandRunner> {
        std::sync::Arc::new(NoRunner)
    }

    #[test]
    fn ordinary_arguments_are_not_a_hidden_entry() {
        let args: Vec<OsString> = ["mailsh", "-Command", "Get-Service"].iter().map(OsString::from).collect();
        assert_eq!(run_hidden_entry(&args, no_runner), None);
        let bad: Vec<OsString> = ["mailsh", "--mailsh-service", "nope"].iter().map(OsString::from).collect();
        assert_eq!(run_hidden_entry(&bad, no_runner), Some(2));
        let no_id: Vec<OsString> =
            ["mailsh", "--mailsh-engine", "MSExchangePOP3", "--store", "/x.db"].iter().map(OsString::from).collect();
        assert_eq!(run_hidden_entry(&no_id, no_runner), Some(2), "a service without its store id is refused");
    }
}
