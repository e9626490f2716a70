//! Routing by DNS, for a send connector with DNSRoutingEnabled (Exchange's
//! default for a connector without smart hosts): the recipient domain's
//! mail exchangers (RFC 5321 5.1), each looked up to its addresses, tried
//! in order of preference (those of equal preference in a random order, so
//! that senders spread over them). A domain without MX records is its own
//! mail exchanger (the implicit MX); a domain that does not exist fails its
//! recipients for good, as does one that says it takes no mail (RFC 7505's
//! null MX); a DNS server that does not answer defers them.
//!
//! The Transport asks the system's resolvers (`/etc/resolv.conf`), or the
//! servers of Set-TransportService -ExternalDNSServers when
//! -ExternalDNSAdapterEnabled is $false. hickory-resolver does the asking:
//! the protocol, UDP with TCP after a truncated answer, retries, a cache.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;

use crate::store::transport::TransportService;

/// How long one query waits for an answer, and how many tries.
const TIMEOUT: Duration = Duration::from_secs(5);
const ATTEMPTS: usize = 2;
/// Mail exchangers tried at most, and addresses of each (as Postfix's
/// smtp_mx_address_limit does): a domain that lists dozens of hosts that
/// never answer must not hold the queue for an hour each attempt.
const MAX_EXCHANGERS: usize = 5;
const MAX_ADDRESSES: usize = 2;

/// Exchange's words for a domain that does not exist.
pub const NO_SUCH_DOMAIN: &str = "554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain";
/// A domain whose null MX says it takes no mail (RFC 7505's code).
pub const NULL_MX: &str = "556 5.1.10 SMTPSEND.DNS.NullMx; the recipient's domain accepts no mail (null MX)";

/// Where a domain's mail goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The mail exchangers in the order to try them: each host's name (what
    /// a certificate is checked against) and its addresses.
    Exchangers(Vec<(String, Vec<IpAddr>)>),
    /// Failed for good: the reply the recipients are failed with.
    Refused(&'static str),
    /// Not known now (DNS did not answer): why, for the queue.
    Unknown(String),
}

pub struct Dns {
    resolver: TokioResolver,
}

impl Dns {
    /// The resolver Set-TransportService says: the system's, or the servers
    /// listed (IP addresses, or `address:port`).
    pub fn new(settings: &TransportService) -> Result<Dns, String> {
        let mut builder = if settings.external_dns_adapter_enabled || settings.external_dns_servers.is_empty() {
            TokioResolver::builder_tokio().map_err(|e| format!("the system's DNS settings could not be read: {e}"))?
        } else {
            let servers = settings
                .external_dns_servers
                .iter()
                .filter_map(|s| server_at(s))
                .map(|at| {
                    let mut udp = ConnectionConfig::udp();
                    udp.port = at.port();
                    let mut tcp = ConnectionConfig::tcp();
                    tcp.port = at.port();
                    NameServerConfig::new(at.ip(), true, vec![udp, tcp])
                })
                .collect();
            TokioResolver::builder_with_config(
                ResolverConfig::from_parts(None, Vec::new(), servers),
                TokioRuntimeProvider::default(),
            )
        };
        let options = builder.options_mut();
        options.timeout = TIMEOUT;
        options.attempts = ATTEMPTS;
        let resolver = builder.build().map_err(|e| format!("the DNS resolver could not be made: {e}"))?;
        Ok(Dns { resolver })
    }

    /// Where mail for `domain` goes now.
    pub async fn route(&self, domain: &str) -> Route {
        // An address literal (`user@[192.0.2.1]`, `[IPv6:2001:db8::1]`):
        // that host, no DNS. (The receive connectors refuse such a
        // recipient at RCPT; a message queued otherwise still goes right.)
        if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
            let text = literal.strip_prefix("IPv6:").or_else(|| literal.strip_prefix("ipv6:")).unwrap_or(literal);
            return match text.parse::<IpAddr>() {
                Ok(ip) => Route::Exchangers(vec![(ip.to_string(), vec![ip])]),
                Err(_) => Route::Refused(NO_SUCH_DOMAIN),
            };
        }
        // Fully qualified: no search domain is tried.
        let name = format!("{}.", domain.trim_end_matches('.'));
        let exchangers = match self.resolver.mx_lookup(name.as_str()).await {
            Ok(found) => {
                let mut mx: Vec<(u16, String)> = found
                    .answers()
                    .iter()
                    .filter_map(|r| match &r.data {
                        RData::MX(mx) => Some((mx.preference, mx.exchange.to_ascii())),
                        _ => None,
                    })
                    .collect();
                if mx.is_empty() {
                    vec![domain.to_string()]
                } else if mx.len() == 1 && mx[0].1.trim_end_matches('.').is_empty() {
                    return Route::Refused(NULL_MX);
                } else {
                    ordered(&mut mx)
                }
            }
            Err(e) if e.is_nx_domain() => return Route::Refused(NO_SUCH_DOMAIN),
            // The domain exists and has no MX record: it is its own.
            Err(e) if e.is_no_records_found() => vec![domain.to_string()],
            Err(e) => return Route::Unknown(format!("DNS query failed. The error was: {e}")),
        };
        let mut out: Vec<(String, Vec<IpAddr>)> = Vec::new();
        let mut seen: Vec<IpAddr> = Vec::new();
        let mut trouble = None;
        for host in exchangers.into_iter().take(MAX_EXCHANGERS) {
            let host = host.trim_end_matches('.').to_string();
            let ips: Vec<IpAddr> = match host.parse::<IpAddr>() {
                Ok(ip) => vec![ip],
                Err(_) => match self.resolver.lookup_ip(format!("{host}.").as_str()).await {
                    Ok(ips) => ips.iter().collect(),
                    Err(e) => {
                        trouble = Some(format!("DNS query for {host} failed. The error was: {e}"));
                        continue;
                    }
                },
            };
            // Each address once, however many hosts name it.
            let fresh: Vec<IpAddr> = ips.into_iter().filter(|ip| !seen.contains(ip)).take(MAX_ADDRESSES).collect();
            seen.extend(&fresh);
            if !fresh.is_empty() {
                out.push((host, fresh));
            }
        }
        match (out.is_empty(), trouble) {
            (true, Some(why)) => Route::Unknown(why),
            (true, None) => Route::Unknown("DNS query failed. The error was: no address for any mail exchanger".into()),
            _ => Route::Exchangers(out),
        }
    }
}

/// A DNS server as ExternalDNSServers holds it: `address` (port 53) or
/// `address:port`.
fn server_at(text: &str) -> Option<SocketAddr> {
    let text = text.trim();
    text.parse::<SocketAddr>().ok().or_else(|| text.parse::<IpAddr>().ok().map(|ip| SocketAddr::new(ip, 53)))
}

/// By preference, lowest first; those of one preference in a random order.
fn ordered(mx: &mut [(u16, String)]) -> Vec<String> {
    let mut keyed: Vec<(u16, u64, String)> = mx
        .iter()
        .map(|(preference, host)| {
            let mut draw = [0u8; 8];
            crate::store::fill_random(&mut draw);
            (*preference, u64::from_le_bytes(draw), host.clone())
        })
        .collect();
    keyed.sort_by_key(|(preference, draw, _)| (*preference, *draw));
    keyed.into_iter().map(|(_, _, host)| host).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchangers_go_by_preference_and_dns_servers_take_a_port() {
        let mut mx = vec![(20, "b.".to_string()), (10, "a1.".into()), (30, "c.".into()), (10, "a2.".into())];
        for _ in 0..20 {
            let order = ordered(&mut mx);
            assert_eq!(order.len(), 4);
            assert!(order[..2].contains(&"a1.".to_string()) && order[..2].contains(&"a2.".to_string()), "{order:?}");
            assert_eq!(&order[2..], ["b.", "c."]);
        }
        assert_eq!(server_at("192.0.2.53"), Some("192.0.2.53:53".parse().expect("addr")));
        assert_eq!(server_at("127.0.0.1:5353"), Some("127.0.0.1:5353".parse().expect("addr")));
        assert_eq!(server_at("[::1]:5353"), Some("[::1]:5353".parse().expect("addr")));
        assert_eq!(server_at("dns.contoso.com"), None);
    }
}
