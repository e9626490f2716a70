//! Send connectors (New-/Get-/Set-/Remove-SendConnector): how the Transport
//! service carries mail to domains outside the organization, the
//! organization's on both backends. One row each; address spaces and smart
//! hosts as JSON lists.

use std::cmp::Reverse;

use rusqlite::types::Value as SqlValue;

use super::cells::Cells;
use super::enums::ProtocolLoggingLevel;
use super::{Store, StoreError, StoreResult, Tx};

/// Exchange 2013's default MaxMessageSize of a new send connector: 35 MB
/// (Unlimited for -Usage Internal).
pub const DEFAULT_MAX_MESSAGE_SIZE: u64 = 35 * 1024 * 1024;

/// One entry of AddressSpaces: the domains it covers and its cost
/// (`SMTP:*.contoso.com;1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressSpace {
    /// `*`, `contoso.com` or `*.contoso.com`, lower-cased.
    pub domain: String,
    /// 1 to 100: among connectors that cover a domain equally narrowly, the
    /// lowest cost carries it.
    pub cost: u8,
}

impl AddressSpace {
    /// `SMTP:contoso.com;1`, as Exchange shows an address space.
    pub fn shown(&self) -> String {
        format!("SMTP:{};{}", self.domain, self.cost)
    }

    /// Parses `contoso.com`, `*.contoso.com`, `*` or `SMTP:contoso.com;5`
    /// (type and cost optional). The error is the reason, for the message.
    pub fn parse(text: &str) -> Result<AddressSpace, String> {
        let text = text.trim();
        let (kind, rest) = match text.split_once(':') {
            Some((kind, rest)) => (kind, rest),
            None => ("SMTP", text),
        };
        if !kind.eq_ignore_ascii_case("SMTP") {
            return Err(format!(
                "The address space '{text}' isn't an SMTP address space. Non-SMTP address spaces aren't allowed on Send connectors."
            ));
        }
        let (domain, cost) = match rest.rsplit_once(';') {
            Some((domain, cost)) => {
                let cost = cost.trim().parse::<u8>().ok().filter(|c| (1..=100).contains(c)).ok_or_else(|| {
                    format!("The address space '{text}' has a cost that isn't a number from 1 to 100.")
                })?;
                (domain, cost)
            }
            None => (rest, 1),
        };
        let domain = domain.trim().to_ascii_lowercase();
        let bare = domain.strip_prefix("*.").unwrap_or(&domain);
        let valid = domain == "*"
            || (!bare.is_empty()
                && bare.split('.').all(|label| {
                    !label.is_empty()
                        && label.len() <= 63
                        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                }));
        if !valid {
            return Err(format!("The address space '{text}' isn't a valid SMTP domain."));
        }
        Ok(AddressSpace { domain, cost })
    }

    /// How narrowly this address space covers `domain` (lower-case): None
    /// when it does not; otherwise a larger number for a narrower match
    /// (an exact domain before `*.parent`, before `*`).
    pub fn covers(&self, domain: &str) -> Option<usize> {
        if self.domain == "*" {
            return Some(0);
        }
        if let Some(parent) = self.domain.strip_prefix("*.") {
            let sub = domain.strip_suffix(parent).is_some_and(|head| head.ends_with('.'));
            return sub.then_some(parent.len() * 2);
        }
        (self.domain == domain).then_some(self.domain.len() * 2 + 1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendConnector {
    /// The row's number: the connector's delivery queue is `Server\<id + 1>`
    /// (the mailbox delivery queue is `1`).
    pub id: i64,
    pub name: String,
    pub guid: String,
    pub address_spaces: Vec<AddressSpace>,
    /// Host names or IP addresses, tried in order.
    pub smart_hosts: Vec<String>,
    pub port: u16,
    pub dns_routing_enabled: bool,
    /// Octets; None is Unlimited.
    pub max_message_size: Option<u64>,
    /// The name said in EHLO; the server's FQDN when None.
    pub fqdn: Option<String>,
    pub protocol_logging_level: ProtocolLoggingLevel,
    pub comment: String,
    pub enabled: bool,
    pub created: i64,
    pub changed: i64,
    /// RequireTLS: no STARTTLS, no sending.
    pub require_tls: bool,
    /// TlsAuthLevel (with RequireTLS): EncryptionOnly, CertificateValidation
    /// or DomainValidation; None is Exchange's empty value.
    pub tls_auth_level: Option<String>,
    /// TlsDomain (with DomainValidation): the name the certificate must
    /// carry.
    pub tls_domain: Option<String>,
    /// SmartHostAuthMechanism: None, BasicAuth or BasicAuthRequireTLS.
    pub smart_host_auth: String,
    /// AuthenticationCredential (BasicAuth): the account and its password,
    /// kept in the store (its files are the owner's only) since the
    /// Transport must say it to the smart host.
    pub auth_credential: Option<(String, String)>,
}

impl SendConnector {
    /// The smart hosts as Exchange lists them (SmartHostsString): an IP
    /// address in brackets, names as they are, commas between.
    pub fn smart_hosts_string(&self) -> String {
        self.smart_hosts.iter().map(|h| shown_host(h)).collect::<Vec<_>>().join(",")
    }

    /// How narrowly the connector covers `domain`, if it does.
    /// Its best address space for `domain`: the narrowest, then the
    /// cheapest.
    pub fn covers(&self, domain: &str) -> Option<(usize, u8)> {
        self.address_spaces
            .iter()
            .filter_map(|a| a.covers(domain).map(|n| (n, a.cost)))
            .min_by_key(|(n, cost)| (Reverse(*n), *cost))
    }
}

/// The enabled connector that carries mail for `domain` (any case): the one
/// whose address space covers it most narrowly, then the cheapest, then the
/// first made.
pub fn route<'a>(connectors: &'a [SendConnector], domain: &str) -> Option<&'a SendConnector> {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    // min_by_key keeps the first of equals: the first made.
    connectors
        .iter()
        .filter(|c| c.enabled)
        .filter_map(|c| c.covers(&domain).map(|(n, cost)| (c, n, cost)))
        .min_by_key(|(_, n, cost)| (Reverse(*n), *cost))
        .map(|(c, _, _)| c)
}

/// A smart host as Exchange shows it: an IP address in brackets.
pub fn shown_host(host: &str) -> String {
    if host.parse::<std::net::IpAddr>().is_ok() { format!("[{host}]") } else { host.to_string() }
}

/// A unique name already taken is Exchange's message; anything else is the
/// store's error.
fn taken(e: StoreError, name: &str) -> StoreError {
    match e {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Conflict(format!("A Send connector named \"{name}\" already exists."))
        }
        StoreError::Unique(_) => StoreError::Conflict(format!("A Send connector named \"{name}\" already exists.")),
        other => other,
    }
}

const COLUMNS: &str = "id, name, guid, address_spaces, smart_hosts, port, dns_routing_enabled, max_message_size, \
    fqdn, protocol_logging_level, comment, enabled, created, changed, require_tls, tls_auth_level, tls_domain, \
    smart_host_auth, auth_user, auth_password";

fn spaces_json(spaces: &[AddressSpace]) -> String {
    serde_json::to_string(&spaces.iter().map(AddressSpace::shown).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

fn connector(row: Vec<SqlValue>) -> StoreResult<SendConnector> {
    let mut c = Cells::new(row, "send connector");
    let (id, name, guid) = (c.int()?, c.text()?, c.text()?);
    let spaces = c.list()?;
    let smart_hosts = c.list()?;
    let port = u16::try_from(c.int()?).unwrap_or(25);
    let dns_routing_enabled = c.flag()?;
    let max_message_size = c.opt_int()?.map(|v| v.max(0) as u64);
    let fqdn = c.opt_text()?;
    let level = c.text()?;
    Ok(SendConnector {
        id,
        name,
        guid,
        address_spaces: spaces.iter().filter_map(|s| AddressSpace::parse(s).ok()).collect(),
        smart_hosts,
        port,
        dns_routing_enabled,
        max_message_size,
        fqdn,
        protocol_logging_level: ProtocolLoggingLevel::from_name(&level).unwrap_or(ProtocolLoggingLevel::None),
        comment: c.text()?,
        enabled: c.flag()?,
        created: c.int()?,
        changed: c.int()?,
        require_tls: c.flag()?,
        tls_auth_level: c.opt_text()?,
        tls_domain: c.opt_text()?,
        smart_host_auth: c.text()?,
        auth_credential: match (c.opt_text()?, c.opt_text()?) {
            (Some(user), Some(password)) => Some((user, password)),
            _ => None,
        },
    })
}

impl Store {
    pub fn send_connectors(&self) -> StoreResult<Vec<SendConnector>> {
        let sql = format!("SELECT {COLUMNS} FROM send_connector ORDER BY created, id");
        self.any().rows(&sql, Vec::new())?.into_iter().map(connector).collect()
    }

    /// The connector as the write transaction sees it, to change and save
    /// (Set-SendConnector).
    pub fn send_connector_for_update(tx: &Tx, guid: &str) -> StoreResult<Option<SendConnector>> {
        let sql = format!("SELECT {COLUMNS} FROM send_connector WHERE guid = $1");
        tx.any().rows(&sql, vec![guid.to_string().into()])?.into_iter().next().map(connector).transpose()
    }

    /// A new connector; its name must be unique. Returns its row number.
    pub fn insert_send_connector(tx: &Tx, c: &SendConnector) -> StoreResult<i64> {
        let sql = "INSERT INTO send_connector (name, guid, address_spaces, smart_hosts, port, dns_routing_enabled, \
             max_message_size, fqdn, protocol_logging_level, comment, enabled, created, changed) \
             VALUES ($1, $2, '[]', '[]', 25, $4, NULL, NULL, 'None', '', $4, $3, $3) RETURNING id";
        let params = vec![c.name.clone().into(), c.guid.clone().into(), c.created.into(), SqlValue::Integer(1)];
        let id = match tx.any().rows(sql, params) {
            Ok(rows) => match super::one(rows) {
                Some(SqlValue::Integer(id)) => id,
                _ => return Err(StoreError::Corrupt("a new send connector's row".into())),
            },
            Err(e) => return Err(taken(e, &c.name)),
        };
        Store::save_send_connector(tx, c)?;
        Ok(id)
    }

    pub fn save_send_connector(tx: &Tx, c: &SendConnector) -> StoreResult<bool> {
        let hosts = serde_json::to_string(&c.smart_hosts).unwrap_or_else(|_| "[]".into());
        let n = tx.any().run(
            "UPDATE send_connector SET name = $2, address_spaces = $3, smart_hosts = $4, port = $5, \
             dns_routing_enabled = $6, max_message_size = $7, fqdn = $8, protocol_logging_level = $9, comment = $10, \
             enabled = $11, changed = $12, require_tls = $13, tls_auth_level = $14, tls_domain = $15, \
             smart_host_auth = $16, auth_user = $17, auth_password = $18 WHERE guid = $1",
            vec![
                c.guid.clone().into(),
                c.name.clone().into(),
                spaces_json(&c.address_spaces).into(),
                hosts.into(),
                i64::from(c.port).into(),
                i64::from(c.dns_routing_enabled).into(),
                c.max_message_size.map(|v| v.min(i64::MAX as u64) as i64).into(),
                c.fqdn.clone().into(),
                c.protocol_logging_level.name().to_string().into(),
                c.comment.clone().into(),
                i64::from(c.enabled).into(),
                c.changed.into(),
                i64::from(c.require_tls).into(),
                c.tls_auth_level.clone().into(),
                c.tls_domain.clone().into(),
                c.smart_host_auth.clone().into(),
                c.auth_credential.as_ref().map(|(u, _)| u.clone()).into(),
                c.auth_credential.as_ref().map(|(_, p)| p.clone()).into(),
            ],
        );
        Ok(n.map_err(|e| taken(e, &c.name))? > 0)
    }

    /// The enabled connector that carries mail to `address` now, by its
    /// domain (`route`): its row number.
    pub fn send_connector_for(&self, address: &str) -> StoreResult<Option<i64>> {
        let domain = address.trim().rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
        Ok(route(&self.send_connectors()?, domain).map(|c| c.id))
    }

    pub fn delete_send_connector(tx: &Tx, guid: &str) -> StoreResult<bool> {
        Ok(tx.any().run("DELETE FROM send_connector WHERE guid = $1", vec![guid.to_string().into()])? > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connector(id: i64, spaces: &[&str]) -> SendConnector {
        SendConnector {
            id,
            name: format!("c{id}"),
            guid: format!("g{id}"),
            address_spaces: spaces.iter().map(|s| AddressSpace::parse(s).unwrap()).collect(),
            smart_hosts: vec!["127.0.0.1".into()],
            port: 25,
            dns_routing_enabled: false,
            max_message_size: Some(DEFAULT_MAX_MESSAGE_SIZE),
            fqdn: None,
            protocol_logging_level: ProtocolLoggingLevel::None,
            comment: String::new(),
            enabled: true,
            created: id,
            changed: id,
            require_tls: false,
            tls_auth_level: None,
            tls_domain: None,
            smart_host_auth: "None".into(),
            auth_credential: None,
        }
    }

    #[test]
    fn address_spaces_parse_as_exchange_writes_them() {
        assert_eq!(AddressSpace::parse("*").unwrap().shown(), "SMTP:*;1");
        assert_eq!(AddressSpace::parse("Fabrikam.COM").unwrap().shown(), "SMTP:fabrikam.com;1");
        assert_eq!(AddressSpace::parse("smtp:*.fabrikam.com;10").unwrap().shown(), "SMTP:*.fabrikam.com;10");
        assert!(AddressSpace::parse("X400:c=US;a=;p=Contoso").unwrap_err().contains("isn't an SMTP address space"));
        assert!(AddressSpace::parse("fabrikam.com;0").is_err());
        assert!(AddressSpace::parse("fab rikam.com").is_err());
    }

    #[test]
    fn the_narrowest_address_space_routes_then_the_lowest_cost() {
        let all = connector(1, &["*;5"]);
        let parent = connector(2, &["*.fabrikam.com"]);
        let exact = connector(3, &["sales.fabrikam.com;50"]);
        let cheap_all = connector(4, &["*;1"]);
        let list = vec![all, parent, exact, cheap_all];
        assert_eq!(route(&list, "sales.fabrikam.com").map(|c| c.id), Some(3));
        assert_eq!(route(&list, "eu.fabrikam.com").map(|c| c.id), Some(2));
        // `*.fabrikam.com` covers subdomains only.
        assert_eq!(route(&list, "fabrikam.com").map(|c| c.id), Some(4));
        assert_eq!(route(&list, "Example.ORG.").map(|c| c.id), Some(4));
        let mut disabled = list.clone();
        disabled[3].enabled = false;
        assert_eq!(route(&disabled, "example.org").map(|c| c.id), Some(1));
        assert!(route(&[], "example.org").is_none());
    }
}
