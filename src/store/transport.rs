//! Mail flow configuration: receive connectors and accepted domains, and
//! the recipient lookup the transport services make at RCPT, on both
//! backends (PostgreSQL's own SQL for accepted domains and the transport
//! settings is in `pg::transport`). A store on SQLite is one server, so its
//! receive connectors are that server's; on PostgreSQL each connector
//! belongs to a server (`server_guid`), as in Exchange.

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, Row, params};

use super::cells::Cells;
use super::enums::{AcceptedDomainType, ProtocolLoggingLevel, TransportRole};
use super::pg::transport as pg;
use super::servers::Roles;
use super::{ServerInfo, Sql, Store, StoreError, StoreResult, Tx};

/// Exchange 2013's default MaxMessageSize of a receive connector: 36 MB.
pub const DEFAULT_MAX_MESSAGE_SIZE: u64 = 36 * 1024 * 1024;

/// The flags AuthMechanism may hold (Exchange's AuthMechanisms).
pub const AUTH_MECHANISMS: &[&str] =
    &["None", "Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer", "ExternalAuthoritative"];

/// The flags PermissionGroups may hold (Exchange's PermissionGroups).
pub const PERMISSION_GROUPS: &[&str] =
    &["None", "AnonymousUsers", "ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers", "Partners", "Custom"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiveConnector {
    /// The server it belongs to, by name.
    pub server: String,
    pub name: String,
    pub guid: String,
    pub transport_role: TransportRole,
    /// IPBindings, `0.0.0.0:25`, `[::]:25`.
    pub bindings: Vec<String>,
    pub remote_ip_ranges: Vec<String>,
    /// AuthMechanism flags, by name.
    pub auth_mechanism: Vec<String>,
    /// PermissionGroups flags, by name.
    pub permission_groups: Vec<String>,
    /// Octets.
    pub max_message_size: u64,
    pub max_recipients_per_message: u32,
    pub banner: Option<String>,
    pub fqdn: String,
    pub protocol_logging_level: ProtocolLoggingLevel,
    pub enabled: bool,
    pub created: i64,
    pub changed: i64,
}

impl ReceiveConnector {
    pub fn has_permission(&self, group: &str) -> bool {
        self.permission_groups.iter().any(|g| g.eq_ignore_ascii_case(group))
    }

    pub fn has_auth(&self, mechanism: &str) -> bool {
        self.auth_mechanism.iter().any(|m| m.eq_ignore_ascii_case(mechanism))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedDomain {
    pub name: String,
    pub guid: String,
    pub domain_name: String,
    pub domain_type: AcceptedDomainType,
    pub default: bool,
    pub created: i64,
    pub changed: i64,
}

/// The organization's transport settings (Get-TransportConfig). Sizes in
/// octets; None is Unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransportConfig {
    /// The largest message the organization's recipients receive.
    pub max_receive_size: Option<u64>,
    /// The largest message its users send.
    pub max_send_size: Option<u64>,
    pub changed: i64,
}

/// The Transport service's settings (Get-TransportService). Times in
/// seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportService {
    /// How long a message may wait in a queue before it expires and its
    /// sender is told (550 4.4.7).
    pub message_expiration_timeout: i64,
    /// How long delivery waits after a failed attempt before the next.
    pub message_retry_interval: i64,
    /// How many mailboxes delivery stores into at once (one transaction).
    pub max_concurrent_mailbox_deliveries: i64,
    /// MessageTrackingLogEnabled: the Transport writes MSGTRK logs.
    pub message_tracking_log_enabled: bool,
    /// MessageTrackingLogMaxAge, ReceiveProtocolLogMaxAge,
    /// SendProtocolLogMaxAge: older log files are deleted (seconds; 0
    /// keeps them).
    pub message_tracking_log_max_age: i64,
    pub receive_protocol_log_max_age: i64,
    pub send_protocol_log_max_age: i64,
    /// DelayNotificationTimeout: a sender who did not refuse it (NOTIFY)
    /// is told once that a message still waits after this long.
    pub delay_notification_timeout: i64,
    /// The logs' size limits, octets: each folder's in all (None is
    /// Unlimited; the oldest files go first) and each file's (the next
    /// part, `-2.LOG`, starts past it).
    pub logs: LogSizes,
    /// ExternalDNSAdapterEnabled: the system's resolvers answer the
    /// Transport's DNS queries; else ExternalDNSServers do.
    pub external_dns_adapter_enabled: bool,
    /// ExternalDNSServers: IP addresses (`address:port` for a resolver on
    /// another port than 53).
    pub external_dns_servers: Vec<String>,
    pub changed: i64,
}

/// MessageTrackingLog*, ReceiveProtocolLog* and SendProtocolLog*
/// MaxDirectorySize and MaxFileSize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogSizes {
    pub tracking: LogSize,
    pub receive: LogSize,
    pub send: LogSize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogSize {
    pub directory: Option<u64>,
    pub file: u64,
}

/// A mailbox's forwarding, as the Transport applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forwarding {
    /// The address mail goes on to.
    pub to: String,
    /// The mailbox keeps a copy (-DeliverToMailboxAndForward).
    pub and_deliver: bool,
    /// By ForwardingAddress (a mailbox of the directory): Exchange's
    /// REDIRECT; else ForwardingSmtpAddress.
    pub redirect: bool,
}

/// What a recipient address resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// A mailbox has this address (primary or proxy).
    Mailbox {
        guid: String,
        primary_smtp: String,
        quotas: super::Quotas,
        /// Where its mail is forwarded (Set-Mailbox -ForwardingAddress,
        /// else -ForwardingSmtpAddress).
        forward: Option<Forwarding>,
    },
    /// A distribution group has this address (primary or proxy): the
    /// Transport's categorizer expands it (`Store::expand_group`).
    Group(super::groups::GroupRecipient),
    /// An authoritative accepted domain, but no recipient has the address.
    NotFound,
    /// No recipient has the address, and its domain is accepted as a relay
    /// domain (InternalRelay, ExternalRelay): mail to it leaves through a
    /// send connector, whoever sends it.
    Relay,
    /// The domain is not an authoritative accepted domain of this
    /// organization.
    NotAccepted,
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

const CONNECTOR_COLUMNS: &str = "c.name, c.guid, c.transport_role, c.bindings, c.remote_ip_ranges, c.auth_mechanism, \
    c.permission_groups, c.max_message_size, c.max_recipients_per_message, c.banner, c.fqdn, \
    c.protocol_logging_level, c.enabled, c.created, c.changed";

/// A row of CONNECTOR_COLUMNS followed by its server's name.
fn connector(row: Vec<SqlValue>) -> StoreResult<ReceiveConnector> {
    let mut c = Cells::new(row, "receive connector");
    let name = c.text()?;
    let guid = c.text()?;
    let role = c.text()?;
    let bindings = c.list()?;
    let remote_ip_ranges = c.list()?;
    let auth_mechanism = c.list()?;
    let permission_groups = c.list()?;
    let max_message_size = c.int()?.max(0) as u64;
    let max_recipients_per_message = c.int()?.clamp(0, u32::MAX as i64) as u32;
    let banner = c.opt_text()?;
    let fqdn = c.text()?;
    let level = c.text()?;
    let (enabled, created, changed) = (c.flag()?, c.int()?, c.int()?);
    Ok(ReceiveConnector {
        server: c.text()?,
        name,
        guid,
        transport_role: TransportRole::from_name(&role).unwrap_or(TransportRole::HubTransport),
        bindings,
        remote_ip_ranges,
        auth_mechanism,
        permission_groups,
        max_message_size,
        max_recipients_per_message,
        banner,
        fqdn,
        protocol_logging_level: ProtocolLoggingLevel::from_name(&level).unwrap_or(ProtocolLoggingLevel::None),
        enabled,
        created,
        changed,
    })
}

const DOMAIN_COLUMNS: &str = "name, guid, domain_name, domain_type, is_default, created, changed";

fn domain_row(r: &Row) -> rusqlite::Result<AcceptedDomain> {
    let kind: String = r.get(3)?;
    Ok(AcceptedDomain {
        name: r.get(0)?,
        guid: r.get(1)?,
        domain_name: r.get(2)?,
        domain_type: AcceptedDomainType::from_name(&kind).unwrap_or(AcceptedDomainType::Authoritative),
        default: r.get(4)?,
        created: r.get(5)?,
        changed: r.get(6)?,
    })
}

/// The five receive connectors Exchange 2013 Setup creates on a server with
/// both roles, and the accepted domain of the organization's own domain.
/// What New-ReceiveConnector's -Usage sets when PermissionGroups and
/// AuthMechanism are not given (Exchange's templates).
pub fn usage_defaults(usage: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match usage.to_ascii_lowercase().as_str() {
        "custom" => (&[], &["Tls"]),
        "internet" => (&["AnonymousUsers"], &["Tls"]),
        "internal" => (&["ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers"], &["Tls", "ExchangeServer"]),
        "client" => (&["ExchangeUsers"], &["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS"]),
        "partner" => (&["Partners"], &["Tls"]),
        _ => return None,
    })
}

/// The receive connectors Exchange 2013 Setup creates on a server: the
/// Transport service's for the Mailbox role, the Frontend Transport's for
/// Client Access.
fn default_connectors(name: &str, fqdn: &str, roles: Roles, now: i64) -> Vec<ReceiveConnector> {
    let all = |port: u16| vec![format!("[::]:{port}"), format!("0.0.0.0:{port}")];
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let everyone = strings(&["::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "0.0.0.0-255.255.255.255"]);
    let exchange_auth = strings(&["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"]);
    let client_auth = strings(&["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS"]);
    let make = |connector: String, role, port, auth: &Vec<String>, groups: &[&str], max_rcpt, level| ReceiveConnector {
        server: name.to_string(),
        name: connector,
        guid: super::new_guid(),
        transport_role: role,
        bindings: all(port),
        remote_ip_ranges: everyone.clone(),
        auth_mechanism: auth.clone(),
        permission_groups: strings(groups),
        max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
        max_recipients_per_message: max_rcpt,
        banner: None,
        fqdn: fqdn.to_string(),
        protocol_logging_level: level,
        enabled: true,
        created: now,
        changed: now,
    };
    use ProtocolLoggingLevel as L;
    use TransportRole::{FrontendTransport as Fe, HubTransport as Hub};
    let n = name;
    let mut out = Vec::new();
    if roles.mailbox {
        out.push(make(
            format!("Default {n}"),
            Hub,
            2525,
            &exchange_auth,
            &["ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers"],
            5000,
            L::None,
        ));
        out.push(make(
            format!("Client Proxy {n}"),
            Hub,
            465,
            &exchange_auth,
            &["ExchangeUsers", "ExchangeServers"],
            200,
            L::None,
        ));
    }
    if roles.client_access {
        out.push(make(
            format!("Default Frontend {n}"),
            Fe,
            25,
            &exchange_auth,
            &["AnonymousUsers", "ExchangeServers", "ExchangeLegacyServers"],
            200,
            L::Verbose,
        ));
        out.push(make(
            format!("Outbound Proxy Frontend {n}"),
            Fe,
            717,
            &exchange_auth,
            &["ExchangeServers"],
            200,
            L::None,
        ));
        out.push(make(format!("Client Frontend {n}"), Fe, 587, &client_auth, &["ExchangeUsers"], 200, L::None));
    }
    out
}

/// A server's default receive connectors, made once: with Setup's install
/// on PostgreSQL, and on the first open of a directory made before them.
pub(in crate::store) fn add_default_connectors(
    tx: &Tx,
    name: &str,
    fqdn: &str,
    server_guid: &str,
    roles: Roles,
    now: i64,
) -> StoreResult<()> {
    for c in default_connectors(name, fqdn, roles, now) {
        insert_connector(tx, server_guid, &c)?;
    }
    tx.any().run(
        "UPDATE exchange_server SET transport_defaults_made = $2 WHERE guid = $1",
        vec![server_guid.to_string().into(), SqlValue::Integer(1)],
    )?;
    Ok(())
}

/// This server's record on PostgreSQL when its connectors are not made yet.
fn needs_connectors(db: Sql<'_>, server_guid: &str) -> StoreResult<Option<super::servers::ExchangeServer>> {
    let found = db.rows(
        "SELECT name FROM exchange_server WHERE guid = $1 AND transport_defaults_made = $2",
        vec![server_guid.to_string().into(), SqlValue::Integer(0)],
    )?;
    match super::one(found) {
        Some(SqlValue::Text(name)) => super::servers::find(db, &name),
        _ => Ok(None),
    }
}

impl Store {
    /// Writes Exchange's default receive connectors and accepted domain the
    /// first time a store is opened by a mailsh that knows mail flow (a new
    /// store, or one made before); on PostgreSQL, this server's connectors
    /// (the organization's domain is the directory's from the start). Never
    /// again: what an administrator removes stays removed.
    pub(crate) fn ensure_transport_defaults(&mut self) -> StoreResult<()> {
        let server = self.server().clone();
        let now = super::clock::now_unix();
        if let Sql::Pg(_) = self.any() {
            if needs_connectors(self.any(), &server.guid)?.is_none() {
                return Ok(());
            }
            return self.write(|tx| {
                // Another shell may have made them while we waited.
                match needs_connectors(tx.any(), &server.guid)? {
                    Some(s) => add_default_connectors(tx, &s.name, &s.fqdn, &s.guid, s.roles, now),
                    None => Ok(()),
                }
            });
        }
        let Sql::Lite(conn) = self.any() else { return Ok(()) };
        let done: Option<i64> =
            conn.query_row("SELECT written FROM transport_defaults", [], |r| r.get(0)).optional()?;
        if done.is_some() {
            return Ok(());
        }
        self.write(|tx| {
            let Sql::Lite(conn) = tx.any() else { return Ok(()) };
            // Another shell may have written them while we waited.
            if conn.query_row("SELECT 1 FROM transport_defaults", [], |_| Ok(())).optional()?.is_some() {
                return Ok(());
            }
            for c in default_connectors(&server.name, &server.fqdn, Roles::BOTH, now) {
                insert_connector(tx, &server.guid, &c)?;
            }
            insert_domain(tx, &organization_domain(&server, now))?;
            conn.execute("INSERT INTO transport_defaults (id, written) VALUES (1, ?1)", [now])?;
            Ok(())
        })
    }

    /// Every receive connector: this server's on SQLite; every server's on
    /// PostgreSQL, by server.
    pub fn receive_connectors(&self) -> StoreResult<Vec<ReceiveConnector>> {
        let (sql, params) = match self.any() {
            Sql::Lite(_) => (
                format!(
                    "SELECT {CONNECTOR_COLUMNS}, $1 FROM receive_connector c \
                     ORDER BY c.transport_role DESC, c.created, c.name"
                ),
                vec![SqlValue::Text(self.server().name.clone())],
            ),
            Sql::Pg(_) => (
                format!(
                    "SELECT {CONNECTOR_COLUMNS}, s.name FROM receive_connector c \
                     JOIN exchange_server s ON s.guid = c.server_guid \
                     ORDER BY lower(s.name), c.transport_role DESC, c.created, c.name"
                ),
                Vec::new(),
            ),
        };
        self.any().rows(&sql, params)?.into_iter().map(connector).collect()
    }

    /// This server's receive connectors, the ones its services bind.
    pub fn own_receive_connectors(&self) -> StoreResult<Vec<ReceiveConnector>> {
        let name = &self.server().name;
        Ok(self.receive_connectors()?.into_iter().filter(|c| c.server.eq_ignore_ascii_case(name)).collect())
    }

    /// The connector as the write transaction sees it, to change and save
    /// (Set-ReceiveConnector): what another shell committed since it was
    /// listed is kept. `server` is its server's name, as listed.
    pub fn receive_connector_for_update(tx: &Tx, guid: &str, server: &str) -> StoreResult<Option<ReceiveConnector>> {
        let sql = format!("SELECT {CONNECTOR_COLUMNS}, c.name FROM receive_connector c WHERE c.guid = $1");
        let Some(row) = tx.any().rows(&sql, vec![guid.to_string().into()])?.into_iter().next() else {
            return Ok(None);
        };
        let mut c = connector(row)?;
        c.server = server.to_string();
        Ok(Some(c))
    }

    pub fn save_receive_connector(tx: &Tx, c: &ReceiveConnector) -> StoreResult<bool> {
        let n = tx.any().run(
            "UPDATE receive_connector SET transport_role = $2, bindings = $3, remote_ip_ranges = $4, \
             auth_mechanism = $5, permission_groups = $6, max_message_size = $7, max_recipients_per_message = $8, \
             banner = $9, fqdn = $10, protocol_logging_level = $11, enabled = $12, changed = $13 WHERE guid = $1",
            vec![
                c.guid.clone().into(),
                c.transport_role.name().to_string().into(),
                json(&c.bindings).into(),
                json(&c.remote_ip_ranges).into(),
                json(&c.auth_mechanism).into(),
                json(&c.permission_groups).into(),
                (c.max_message_size.min(i64::MAX as u64) as i64).into(),
                i64::from(c.max_recipients_per_message).into(),
                c.banner.clone().into(),
                c.fqdn.clone().into(),
                c.protocol_logging_level.name().to_string().into(),
                i64::from(c.enabled).into(),
                c.changed.into(),
            ],
        )?;
        Ok(n > 0)
    }

    /// A new connector (New-ReceiveConnector) on the server `server_guid`;
    /// its name must be unique on that server.
    pub fn insert_receive_connector(tx: &Tx, server_guid: &str, c: &ReceiveConnector) -> StoreResult<()> {
        insert_connector(tx, server_guid, c).map_err(|e| match e {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                connector_taken(c)
            }
            StoreError::Unique(_) => connector_taken(c),
            other => other,
        })
    }

    pub fn delete_receive_connector(tx: &Tx, guid: &str) -> StoreResult<bool> {
        Ok(tx.any().run("DELETE FROM receive_connector WHERE guid = $1", vec![guid.to_string().into()])? > 0)
    }

    pub fn transport_config(&self) -> StoreResult<TransportConfig> {
        read_transport_config(self.any())
    }

    /// The settings as the transaction sees them, to change and save.
    pub fn transport_config_for_update(tx: &Tx) -> StoreResult<TransportConfig> {
        read_transport_config(tx.any())
    }

    pub fn transport_service(&self) -> StoreResult<TransportService> {
        read_transport_service(self.any())
    }

    /// The settings as the transaction sees them, to change and save.
    pub fn transport_service_for_update(tx: &Tx) -> StoreResult<TransportService> {
        read_transport_service(tx.any())
    }

    pub fn save_transport_service(tx: &Tx, s: &TransportService) -> StoreResult<()> {
        let l = &s.logs;
        let size = |v: u64| SqlValue::Integer(v.min(i64::MAX as u64) as i64);
        tx.any().run(
            "UPDATE transport_service SET message_expiration_timeout = $1, message_retry_interval = $2, \
             max_concurrent_mailbox_deliveries = $3, changed = $4, message_tracking_log_enabled = $5, \
             message_tracking_log_max_age = $6, receive_protocol_log_max_age = $7, send_protocol_log_max_age = $8, \
             delay_notification_timeout = $9, message_tracking_log_max_directory_size = $10, \
             message_tracking_log_max_file_size = $11, receive_protocol_log_max_directory_size = $12, \
             receive_protocol_log_max_file_size = $13, send_protocol_log_max_directory_size = $14, \
             send_protocol_log_max_file_size = $15, external_dns_adapter_enabled = $16, external_dns_servers = $17 \
             WHERE id = 1",
            vec![
                s.message_expiration_timeout.into(),
                s.message_retry_interval.into(),
                s.max_concurrent_mailbox_deliveries.into(),
                s.changed.into(),
                i64::from(s.message_tracking_log_enabled).into(),
                s.message_tracking_log_max_age.into(),
                s.receive_protocol_log_max_age.into(),
                s.send_protocol_log_max_age.into(),
                s.delay_notification_timeout.into(),
                size_to_column(l.tracking.directory).into(),
                size(l.tracking.file),
                size_to_column(l.receive.directory).into(),
                size(l.receive.file),
                size_to_column(l.send.directory).into(),
                size(l.send.file),
                i64::from(s.external_dns_adapter_enabled).into(),
                serde_json::to_string(&s.external_dns_servers).unwrap_or_else(|_| "[]".into()).into(),
            ],
        )?;
        Ok(())
    }

    /// Unlimited is stored as -1.
    pub fn save_transport_config(tx: &Tx, c: &TransportConfig) -> StoreResult<()> {
        let (receive, send) = (size_to_column(c.max_receive_size), size_to_column(c.max_send_size));
        match tx.any() {
            Sql::Lite(conn) => {
                conn.execute(
                    "UPDATE transport_config SET max_receive_size = ?1, max_send_size = ?2, changed = ?3 WHERE id = 1",
                    params![receive, send, c.changed],
                )?;
                Ok(())
            }
            Sql::Pg(p) => pg::save_transport_config(p, receive, send, c.changed),
        }
    }

    pub fn accepted_domains(&self) -> StoreResult<Vec<AcceptedDomain>> {
        let conn = match self.any() {
            Sql::Lite(conn) => conn,
            Sql::Pg(p) => return pg::accepted_domains(p),
        };
        let sql = format!("SELECT {DOMAIN_COLUMNS} FROM accepted_domain ORDER BY name");
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], domain_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The organization's default accepted domain (its recipients'
    /// addresses, the sender of its reports): the one marked default, else
    /// the first.
    pub fn default_domain_name(&self) -> StoreResult<Option<String>> {
        let domains = self.accepted_domains()?;
        Ok(domains.iter().find(|d| d.default).or(domains.first()).map(|d| d.domain_name.clone()))
    }

    /// The accepted domain as the transaction sees it, to change and save.
    pub fn accepted_domain_for_update(tx: &Tx, guid: &str) -> StoreResult<Option<AcceptedDomain>> {
        match tx.any() {
            Sql::Lite(conn) => Ok(conn
                .query_row(&format!("SELECT {DOMAIN_COLUMNS} FROM accepted_domain WHERE guid = ?1"), [guid], domain_row)
                .optional()?),
            Sql::Pg(p) => pg::accepted_domain(p, guid),
        }
    }

    /// A new accepted domain (New-AcceptedDomain); its name and its domain
    /// must be unique.
    pub fn insert_accepted_domain(tx: &Tx, d: &AcceptedDomain) -> StoreResult<()> {
        insert_domain(tx, d)
    }

    /// Saves a changed accepted domain; one made the default takes that
    /// from the others in the same transaction. A name another domain has
    /// is refused.
    pub fn save_accepted_domain(tx: &Tx, d: &AcceptedDomain) -> StoreResult<bool> {
        if domain_taken(tx.any(), "name", &d.name, &d.guid)? {
            return Err(name_taken(d));
        }
        if d.default {
            clear_default(tx.any(), &d.guid)?;
        }
        let conn = match tx.any() {
            Sql::Lite(conn) => conn,
            Sql::Pg(p) => return Ok(pg::save_domain(p, d)? > 0),
        };
        let n = conn.execute(
            "UPDATE accepted_domain SET name = ?2, domain_type = ?3, is_default = ?4, changed = ?5 WHERE guid = ?1",
            params![d.guid, d.name, d.domain_type.name(), d.default, d.changed],
        )?;
        Ok(n > 0)
    }

    /// Resolves an SMTP address as the categorizer does: a mailbox with the
    /// address among its proxy addresses, else a distribution group with
    /// it, else whether its domain is one this organization is
    /// authoritative for.
    pub fn resolve_recipient(&self, address: &str) -> StoreResult<Recipient> {
        let address = address.trim();
        let Some((_, domain)) = address.rsplit_once('@') else { return Ok(Recipient::NotAccepted) };
        // Any SMTP address of the mailbox: SQLite reads the list; PostgreSQL
        // probes its index of them (schema step 13).
        let has_address = match self.any() {
            Sql::Lite(_) => {
                "primary_smtp = $1 COLLATE NOCASE OR EXISTS (SELECT 1 FROM json_each(mailbox.email_addresses) \
                 WHERE lower(value) LIKE 'smtp:%' AND lower(substr(value, instr(value, ':') + 1)) = lower($1))"
            }
            Sql::Pg(_) => {
                "lower(primary_smtp) = lower($1) \
                 OR mailsh_smtp_addresses(email_addresses) @> ARRAY[lower($1)]"
            }
        };
        let sql = format!(
            "SELECT guid, primary_smtp, issue_warning_quota, prohibit_send_quota, prohibit_send_receive_quota, \
             forwarding_smtp_address, deliver_to_mailbox_and_forward, \
             (SELECT f.primary_smtp FROM mailbox f WHERE f.guid = mailbox.forwarding_address) \
             FROM mailbox WHERE {has_address} LIMIT 1"
        );
        if let Some(row) = self.any().rows(&sql, vec![address.to_string().into()])?.into_iter().next() {
            let mut c = Cells::new(row, "mailbox");
            let (guid, primary_smtp) = (c.text()?, c.text()?);
            let mut quota = || c.opt_int().map(|q| q.map(|v| v.max(0) as u64));
            let quotas =
                super::Quotas { issue_warning: quota()?, prohibit_send: quota()?, prohibit_send_receive: quota()? };
            let (smtp_to, and_deliver, address_to) = (c.opt_text()?, c.flag()?, c.opt_text()?);
            // ForwardingAddress wins over ForwardingSmtpAddress, as in Exchange.
            let forward = match (address_to, smtp_to) {
                (Some(to), _) => Some(Forwarding { to, and_deliver, redirect: true }),
                (None, Some(to)) => Some(Forwarding { to, and_deliver, redirect: false }),
                (None, None) => None,
            };
            return Ok(Recipient::Mailbox { guid, primary_smtp, quotas, forward });
        }
        if let Some(group) = self.group_with_address(address)? {
            return Ok(Recipient::Group(group));
        }
        let found = self.any().rows(
            "SELECT domain_type FROM accepted_domain WHERE lower(domain_name) = lower($1)",
            vec![domain.to_string().into()],
        )?;
        Ok(match super::one(found) {
            Some(SqlValue::Text(t)) if t == "Authoritative" => Recipient::NotFound,
            Some(_) => Recipient::Relay,
            None => Recipient::NotAccepted,
        })
    }
}

fn connector_taken(c: &ReceiveConnector) -> StoreError {
    StoreError::Conflict(format!("A receive connector named \"{}\" already exists.", c.name))
}

/// A new connector: its row, then every setting as Set-ReceiveConnector
/// saves them (one list of columns to keep right). SQLite's store has no
/// server column: it is its one server's.
fn insert_connector(tx: &Tx, server_guid: &str, c: &ReceiveConnector) -> StoreResult<()> {
    let (sql, mut values) = match tx.any() {
        Sql::Lite(_) => (
            "INSERT INTO receive_connector (name, guid, transport_role, bindings, remote_ip_ranges, \
             auth_mechanism, permission_groups, max_message_size, max_recipients_per_message, fqdn, \
             protocol_logging_level, enabled, created, changed) \
             VALUES ($1, $2, '', '[]', '[]', '[]', '[]', 0, 0, '', 'None', 0, $3, $3)",
            Vec::new(),
        ),
        Sql::Pg(_) => (
            "INSERT INTO receive_connector (name, guid, transport_role, bindings, remote_ip_ranges, \
             auth_mechanism, permission_groups, max_message_size, max_recipients_per_message, fqdn, \
             protocol_logging_level, enabled, created, changed, server_guid) \
             VALUES ($1, $2, '', '[]', '[]', '[]', '[]', 0, 0, '', 'None', false, $3, $3, $4)",
            vec![SqlValue::Text(server_guid.to_string())],
        ),
    };
    let mut params: Vec<SqlValue> = vec![c.name.clone().into(), c.guid.clone().into(), c.created.into()];
    params.append(&mut values);
    tx.any().run(sql, params)?;
    Store::save_receive_connector(tx, c)?;
    Ok(())
}

/// The organization's own domain, the default accepted domain Setup makes.
pub(in crate::store) fn organization_domain(server: &ServerInfo, now: i64) -> AcceptedDomain {
    AcceptedDomain {
        name: server.domain.clone(),
        guid: super::new_guid(),
        domain_name: server.domain.clone(),
        domain_type: AcceptedDomainType::Authoritative,
        default: true,
        created: now,
        changed: now,
    }
}

/// A new accepted domain. Its name, then its domain, is checked first, in
/// that order on both backends, so the message names the same conflict;
/// the unique indexes stay the last word.
pub(in crate::store) fn insert_domain(tx: &Tx, d: &AcceptedDomain) -> StoreResult<()> {
    if domain_taken(tx.any(), "name", &d.name, &d.guid)? {
        return Err(name_taken(d));
    }
    if domain_taken(tx.any(), "domain_name", &d.domain_name, &d.guid)? {
        return Err(domain_name_taken(d));
    }
    if d.default {
        clear_default(tx.any(), &d.guid)?;
    }
    let conn = match tx.any() {
        Sql::Lite(conn) => conn,
        Sql::Pg(p) => {
            return pg::insert_domain(p, d).map_err(|e| match e {
                StoreError::Unique(index) if index == pg::DOMAIN_NAME_INDEX => domain_name_taken(d),
                StoreError::Unique(_) => name_taken(d),
                other => other,
            });
        }
    };
    conn.execute(
        "INSERT INTO accepted_domain (name, guid, domain_name, domain_type, is_default, created, changed) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![d.name, d.guid, d.domain_name, d.domain_type.name(), d.default, d.created, d.changed],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, Some(msg)) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            if msg.contains("domain_name") { domain_name_taken(d) } else { name_taken(d) }
        }
        other => StoreError::Sqlite(other),
    })?;
    Ok(())
}

/// Takes the default from every accepted domain but `guid`.
fn clear_default(db: Sql<'_>, guid: &str) -> StoreResult<()> {
    match db {
        Sql::Lite(conn) => {
            conn.execute("UPDATE accepted_domain SET is_default = 0 WHERE guid <> ?1", [guid])?;
            Ok(())
        }
        Sql::Pg(p) => pg::clear_default(p, guid),
    }
}

fn name_taken(d: &AcceptedDomain) -> StoreError {
    StoreError::Conflict(format!("An accepted domain named \"{}\" already exists.", d.name))
}

fn domain_name_taken(d: &AcceptedDomain) -> StoreError {
    StoreError::Conflict(format!(
        "The accepted domain \"{}\" already exists. Specify a different domain name.",
        d.domain_name
    ))
}

/// Whether an accepted domain other than `guid` has `value` as its `name`
/// or `domain_name`, compared case-insensitively (NOCASE / lower()).
fn domain_taken(db: Sql<'_>, column: &str, value: &str, guid: &str) -> StoreResult<bool> {
    match db {
        Sql::Lite(conn) => Ok(conn
            .prepare_cached(&format!("SELECT 1 FROM accepted_domain WHERE {column} = ?1 AND guid <> ?2 LIMIT 1"))?
            .query_row([value, guid], |_| Ok(()))
            .optional()?
            .is_some()),
        Sql::Pg(p) => pg::domain_taken(p, column, value, guid),
    }
}

/// Sizes are kept in octets, Unlimited as -1.
pub(in crate::store) fn size_from_column(v: i64) -> Option<u64> {
    (v >= 0).then_some(v as u64)
}

fn size_to_column(v: Option<u64>) -> i64 {
    v.map(|n| n.min(i64::MAX as u64) as i64).unwrap_or(-1)
}

fn read_transport_config(db: Sql<'_>) -> StoreResult<TransportConfig> {
    match db {
        Sql::Lite(conn) => Ok(conn.query_row(
            "SELECT max_receive_size, max_send_size, changed FROM transport_config WHERE id = 1",
            [],
            |r| {
                Ok(TransportConfig {
                    max_receive_size: size_from_column(r.get(0)?),
                    max_send_size: size_from_column(r.get(1)?),
                    changed: r.get(2)?,
                })
            },
        )?),
        Sql::Pg(p) => pg::transport_config(p),
    }
}

fn read_transport_service(db: Sql<'_>) -> StoreResult<TransportService> {
    let row = db
        .rows(
            "SELECT message_expiration_timeout, message_retry_interval, max_concurrent_mailbox_deliveries, changed, \
             message_tracking_log_enabled, message_tracking_log_max_age, receive_protocol_log_max_age, \
             send_protocol_log_max_age, delay_notification_timeout, message_tracking_log_max_directory_size, \
             message_tracking_log_max_file_size, receive_protocol_log_max_directory_size, \
             receive_protocol_log_max_file_size, send_protocol_log_max_directory_size, \
             send_protocol_log_max_file_size, external_dns_adapter_enabled, external_dns_servers \
             FROM transport_service WHERE id = 1",
            Vec::new(),
        )?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Corrupt("the transport service record".into()))?;
    let mut c = Cells::new(row, "transport service");
    let (message_expiration_timeout, message_retry_interval, max_concurrent_mailbox_deliveries) =
        (c.int()?, c.int()?, c.int()?);
    let (changed, message_tracking_log_enabled) = (c.int()?, c.flag()?);
    let (message_tracking_log_max_age, receive_protocol_log_max_age, send_protocol_log_max_age) =
        (c.int()?, c.int()?, c.int()?);
    let delay_notification_timeout = c.int()?;
    let mut size = || -> StoreResult<LogSize> {
        Ok(LogSize { directory: size_from_column(c.int()?), file: c.int()?.max(0) as u64 })
    };
    let logs = LogSizes { tracking: size()?, receive: size()?, send: size()? };
    let (external_dns_adapter_enabled, external_dns_servers) = (c.flag()?, c.list()?);
    Ok(TransportService {
        external_dns_adapter_enabled,
        external_dns_servers,
        message_expiration_timeout,
        message_retry_interval,
        max_concurrent_mailbox_deliveries,
        message_tracking_log_enabled,
        message_tracking_log_max_age,
        receive_protocol_log_max_age,
        send_protocol_log_max_age,
        delay_notification_timeout,
        logs,
        changed,
    })
}

/// One entry of RemoteIPRanges, as Exchange takes them: an address
/// (`192.168.1.10`), a range (`192.168.1.10-192.168.1.20`), or a prefix
/// (`192.168.1.0/24`); IPv4 or IPv6. The first and last address, as numbers
/// of the same family.
pub fn parse_ip_range(text: &str) -> Option<(std::net::IpAddr, std::net::IpAddr)> {
    use std::net::IpAddr;
    let text = text.trim();
    let number = |ip: IpAddr| match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    };
    if let Some((first, last)) = text.split_once('-') {
        let (a, b): (IpAddr, IpAddr) = (first.trim().parse().ok()?, last.trim().parse().ok()?);
        return (a.is_ipv4() == b.is_ipv4() && number(a) <= number(b)).then_some((a, b));
    }
    if let Some((base, bits)) = text.split_once('/') {
        let base: IpAddr = base.trim().parse().ok()?;
        let bits: u32 = bits.trim().parse().ok()?;
        let width = if base.is_ipv4() { 32 } else { 128 };
        if bits > width {
            return None;
        }
        let host_bits = width - bits;
        let mask: u128 = if host_bits == 128 { u128::MAX } else { (1u128 << host_bits) - 1 };
        let first = number(base) & !mask;
        let last = first | mask;
        let back = |n: u128| -> IpAddr {
            if base.is_ipv4() {
                IpAddr::V4(std::net::Ipv4Addr::from(n as u32))
            } else {
                IpAddr::V6(std::net::Ipv6Addr::from(n))
            }
        };
        return Some((back(first), back(last)));
    }
    let ip: IpAddr = text.parse().ok()?;
    Some((ip, ip))
}

/// How many addresses of RemoteIPRanges' entries cover `peer`, for the
/// narrowest one (Exchange serves a connection on the connector whose
/// range matches it most closely); None if no entry covers it.
pub fn narrowest_match(ranges: &[String], peer: std::net::IpAddr) -> Option<u128> {
    use std::net::IpAddr;
    let peer = match peer {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    };
    let number = |ip: IpAddr| match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    };
    ranges
        .iter()
        .filter_map(|r| parse_ip_range(r))
        .filter(|(a, _)| a.is_ipv4() == peer.is_ipv4())
        .filter(|(a, b)| number(*a) <= number(peer) && number(peer) <= number(*b))
        .map(|(a, b)| number(b) - number(a))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_ip_ranges_are_addresses_ranges_and_prefixes() {
        let ip = |t: &str| t.parse::<std::net::IpAddr>().expect("an address");
        assert_eq!(parse_ip_range("10.0.0.0/8"), Some((ip("10.0.0.0"), ip("10.255.255.255"))));
        assert_eq!(parse_ip_range("0.0.0.0-255.255.255.255"), Some((ip("0.0.0.0"), ip("255.255.255.255"))));
        assert_eq!(parse_ip_range(" 127.0.0.1 "), Some((ip("127.0.0.1"), ip("127.0.0.1"))));
        assert_eq!(parse_ip_range("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").map(|r| r.0), Some(ip("::")));
        assert_eq!(parse_ip_range("10.0.0.9-10.0.0.1"), None);
        assert_eq!(parse_ip_range("10.0.0.0/33"), None);
        assert_eq!(parse_ip_range("nonsense"), None);
        let everyone = vec!["0.0.0.0-255.255.255.255".to_string()];
        let lo = vec!["127.0.0.0/8".to_string(), "192.168.0.1".to_string()];
        assert_eq!(narrowest_match(&lo, ip("127.0.0.1")), Some((1 << 24) - 1));
        assert!(narrowest_match(&lo, ip("127.0.0.1")) < narrowest_match(&everyone, ip("127.0.0.1")));
        assert_eq!(narrowest_match(&lo, ip("10.1.1.1")), None);
        assert_eq!(narrowest_match(&lo, ip("::ffff:192.168.0.1")), Some(0), "an IPv4-mapped peer");
    }
}
