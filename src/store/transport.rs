//! Mail flow configuration: receive connectors and accepted domains, and
//! the recipient lookup the transport services make at RCPT. Accepted
//! domains and the transport settings are on both backends (PostgreSQL's
//! SQL in `pg::transport`); receive connectors and the recipient lookup
//! (the transport services') are on SQLite only.

use rusqlite::{OptionalExtension, Row, params};

use super::enums::{AcceptedDomainType, ProtocolLoggingLevel, TransportRole};
use super::pg::transport as pg;
use super::{ServerInfo, Sql, Store, StoreError, StoreResult, Tx};

/// What the refusal names on PostgreSQL (not ported yet).
const WHAT: &str = "Receive connectors";

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    pub changed: i64,
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

fn list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

const CONNECTOR_COLUMNS: &str = "name, guid, transport_role, bindings, remote_ip_ranges, auth_mechanism, \
    permission_groups, max_message_size, max_recipients_per_message, banner, fqdn, protocol_logging_level, enabled, \
    created, changed";

fn connector_row(r: &Row) -> rusqlite::Result<ReceiveConnector> {
    let role: String = r.get(2)?;
    let level: String = r.get(11)?;
    Ok(ReceiveConnector {
        name: r.get(0)?,
        guid: r.get(1)?,
        transport_role: TransportRole::from_name(&role).unwrap_or(TransportRole::HubTransport),
        bindings: list(r.get(3)?),
        remote_ip_ranges: list(r.get(4)?),
        auth_mechanism: list(r.get(5)?),
        permission_groups: list(r.get(6)?),
        max_message_size: r.get::<_, i64>(7)?.max(0) as u64,
        max_recipients_per_message: r.get::<_, i64>(8)?.clamp(0, u32::MAX as i64) as u32,
        banner: r.get(9)?,
        fqdn: r.get(10)?,
        protocol_logging_level: ProtocolLoggingLevel::from_name(&level).unwrap_or(ProtocolLoggingLevel::None),
        enabled: r.get(12)?,
        created: r.get(13)?,
        changed: r.get(14)?,
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

fn default_connectors(server: &ServerInfo, now: i64) -> Vec<ReceiveConnector> {
    let all = |port: u16| vec![format!("[::]:{port}"), format!("0.0.0.0:{port}")];
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let everyone = strings(&["::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "0.0.0.0-255.255.255.255"]);
    let exchange_auth = strings(&["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"]);
    let client_auth = strings(&["Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS"]);
    let make = |name: String, role, port, auth: &Vec<String>, groups: &[&str], max_rcpt, level| ReceiveConnector {
        name,
        guid: super::new_guid(),
        transport_role: role,
        bindings: all(port),
        remote_ip_ranges: everyone.clone(),
        auth_mechanism: auth.clone(),
        permission_groups: strings(groups),
        max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
        max_recipients_per_message: max_rcpt,
        banner: None,
        fqdn: server.fqdn.clone(),
        protocol_logging_level: level,
        enabled: true,
        created: now,
        changed: now,
    };
    use ProtocolLoggingLevel as L;
    use TransportRole::{FrontendTransport as Fe, HubTransport as Hub};
    let n = &server.name;
    vec![
        make(
            format!("Default {n}"),
            Hub,
            2525,
            &exchange_auth,
            &["ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers"],
            5000,
            L::None,
        ),
        make(
            format!("Client Proxy {n}"),
            Hub,
            465,
            &exchange_auth,
            &["ExchangeUsers", "ExchangeServers"],
            200,
            L::None,
        ),
        make(
            format!("Default Frontend {n}"),
            Fe,
            25,
            &exchange_auth,
            &["AnonymousUsers", "ExchangeServers", "ExchangeLegacyServers"],
            200,
            L::Verbose,
        ),
        make(format!("Outbound Proxy Frontend {n}"), Fe, 717, &exchange_auth, &["ExchangeServers"], 200, L::None),
        make(format!("Client Frontend {n}"), Fe, 587, &client_auth, &["ExchangeUsers"], 200, L::None),
    ]
}

impl Store {
    /// Writes Exchange's default receive connectors and accepted domain the
    /// first time a store is opened by a mailsh that knows mail flow (a new
    /// store, or one made before). Never again: what an administrator
    /// removes stays removed.
    pub(crate) fn ensure_transport_defaults(&mut self) -> StoreResult<()> {
        let done: Option<i64> =
            self.conn(WHAT)?.query_row("SELECT written FROM transport_defaults", [], |r| r.get(0)).optional()?;
        if done.is_some() {
            return Ok(());
        }
        let server = self.server().clone();
        let now = super::clock::now_unix();
        self.write(|tx| {
            // Another shell may have written them while we waited.
            if tx.sql(WHAT)?.query_row("SELECT 1 FROM transport_defaults", [], |_| Ok(())).optional()?.is_some() {
                return Ok(());
            }
            for c in default_connectors(&server, now) {
                insert_connector(tx, &c)?;
            }
            insert_domain(tx, &organization_domain(&server, now))?;
            tx.sql(WHAT)?.execute("INSERT INTO transport_defaults (id, written) VALUES (1, ?1)", [now])?;
            Ok(())
        })
    }

    pub fn receive_connectors(&self) -> StoreResult<Vec<ReceiveConnector>> {
        let sql =
            format!("SELECT {CONNECTOR_COLUMNS} FROM receive_connector ORDER BY transport_role DESC, created, name");
        let mut stmt = self.conn(WHAT)?.prepare_cached(&sql)?;
        let rows = stmt.query_map([], connector_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn save_receive_connector(tx: &Tx, c: &ReceiveConnector) -> StoreResult<bool> {
        let n = tx.sql(WHAT)?.execute(
            "UPDATE receive_connector SET transport_role = ?2, bindings = ?3, remote_ip_ranges = ?4, \
             auth_mechanism = ?5, permission_groups = ?6, max_message_size = ?7, max_recipients_per_message = ?8, \
             banner = ?9, fqdn = ?10, protocol_logging_level = ?11, enabled = ?12, changed = ?13 WHERE guid = ?1",
            params![
                c.guid,
                c.transport_role.name(),
                json(&c.bindings),
                json(&c.remote_ip_ranges),
                json(&c.auth_mechanism),
                json(&c.permission_groups),
                c.max_message_size as i64,
                c.max_recipients_per_message as i64,
                c.banner,
                c.fqdn,
                c.protocol_logging_level.name(),
                c.enabled,
                c.changed
            ],
        )?;
        Ok(n > 0)
    }

    /// A new connector (New-ReceiveConnector); its name must be unique.
    pub fn insert_receive_connector(tx: &Tx, c: &ReceiveConnector) -> StoreResult<()> {
        insert_connector(tx, c).map_err(|e| match e {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                StoreError::Conflict(format!("A receive connector named \"{}\" already exists.", c.name))
            }
            other => other,
        })
    }

    pub fn delete_receive_connector(tx: &Tx, guid: &str) -> StoreResult<bool> {
        Ok(tx.sql(WHAT)?.execute("DELETE FROM receive_connector WHERE guid = ?1", [guid])? > 0)
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
        let conn = match tx.any() {
            Sql::Lite(conn) => conn,
            Sql::Pg(p) => return pg::save_transport_service(p, s),
        };
        conn.execute(
            "UPDATE transport_service SET message_expiration_timeout = ?1, message_retry_interval = ?2, \
             max_concurrent_mailbox_deliveries = ?3, changed = ?4, message_tracking_log_enabled = ?5, \
             message_tracking_log_max_age = ?6, receive_protocol_log_max_age = ?7, send_protocol_log_max_age = ?8, \
             delay_notification_timeout = ?9 WHERE id = 1",
            params![
                s.message_expiration_timeout,
                s.message_retry_interval,
                s.max_concurrent_mailbox_deliveries,
                s.changed,
                s.message_tracking_log_enabled,
                s.message_tracking_log_max_age,
                s.receive_protocol_log_max_age,
                s.send_protocol_log_max_age,
                s.delay_notification_timeout
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
    /// address among its proxy addresses, else whether its domain is one
    /// this organization is authoritative for.
    pub fn resolve_recipient(&self, address: &str) -> StoreResult<Recipient> {
        let address = address.trim();
        let Some((_, domain)) = address.rsplit_once('@') else { return Ok(Recipient::NotAccepted) };
        let found = self
            .conn(WHAT)?
            .query_row(
                "SELECT guid, primary_smtp, issue_warning_quota, prohibit_send_quota, prohibit_send_receive_quota, \
                 forwarding_smtp_address, deliver_to_mailbox_and_forward, \
                 (SELECT f.primary_smtp FROM mailbox f WHERE f.guid = mailbox.forwarding_address) \
                 FROM mailbox WHERE primary_smtp = ?1 COLLATE NOCASE \
                 OR EXISTS (SELECT 1 FROM json_each(mailbox.email_addresses) \
                            WHERE lower(substr(value, instr(value, ':') + 1)) = lower(?1)) LIMIT 1",
                [address],
                |r| {
                    let quota = |i: usize| r.get::<_, Option<i64>>(i).map(|q| q.map(|v| v.max(0) as u64));
                    Ok(Recipient::Mailbox {
                        guid: r.get(0)?,
                        primary_smtp: r.get(1)?,
                        quotas: super::Quotas {
                            issue_warning: quota(2)?,
                            prohibit_send: quota(3)?,
                            prohibit_send_receive: quota(4)?,
                        },
                        forward: {
                            let and_deliver = r.get(6).unwrap_or(false);
                            // ForwardingAddress wins over ForwardingSmtpAddress, as in Exchange.
                            match (r.get::<_, Option<String>>(7)?, r.get::<_, Option<String>>(5)?) {
                                (Some(to), _) => Some(Forwarding { to, and_deliver, redirect: true }),
                                (None, Some(to)) => Some(Forwarding { to, and_deliver, redirect: false }),
                                (None, None) => None,
                            }
                        },
                    })
                },
            )
            .optional()?;
        if let Some(found) = found {
            return Ok(found);
        }
        let domain_type: Option<String> = self
            .conn(WHAT)?
            .query_row("SELECT domain_type FROM accepted_domain WHERE domain_name = ?1 COLLATE NOCASE", [domain], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(match domain_type.as_deref() {
            Some("Authoritative") => Recipient::NotFound,
            Some(_) => Recipient::Relay,
            None => Recipient::NotAccepted,
        })
    }
}

/// A new connector: its row, then every setting as Set-ReceiveConnector
/// saves them (one list of columns to keep right).
fn insert_connector(tx: &Tx, c: &ReceiveConnector) -> StoreResult<()> {
    tx.sql(WHAT)?.execute(
        "INSERT INTO receive_connector (name, guid, transport_role, bindings, remote_ip_ranges, auth_mechanism, \
         permission_groups, max_message_size, max_recipients_per_message, fqdn, protocol_logging_level, enabled, \
         created, changed) VALUES (?1, ?2, '', '[]', '[]', '[]', '[]', 0, 0, '', 'None', 0, ?3, ?3)",
        params![c.name, c.guid, c.created],
    )?;
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
    match db {
        Sql::Lite(conn) => Ok(conn.query_row(
            "SELECT message_expiration_timeout, message_retry_interval, max_concurrent_mailbox_deliveries, changed, \
             message_tracking_log_enabled, message_tracking_log_max_age, receive_protocol_log_max_age, \
             send_protocol_log_max_age, delay_notification_timeout FROM transport_service WHERE id = 1",
            [],
            |r| {
                Ok(TransportService {
                    message_expiration_timeout: r.get(0)?,
                    message_retry_interval: r.get(1)?,
                    max_concurrent_mailbox_deliveries: r.get(2)?,
                    changed: r.get(3)?,
                    message_tracking_log_enabled: r.get(4)?,
                    message_tracking_log_max_age: r.get(5)?,
                    receive_protocol_log_max_age: r.get(6)?,
                    send_protocol_log_max_age: r.get(7)?,
                    delay_notification_timeout: r.get(8)?,
                })
            },
        )?),
        Sql::Pg(p) => pg::transport_service(p),
    }
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
