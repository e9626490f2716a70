//! Listening sockets from Exchange binding strings (`0.0.0.0:110`,
//! `[::]:110`). `[::]` is bound IPv6-only so that it and `0.0.0.0` on the
//! same port coexist on a dual-stack system, as they do on Windows.
//!
//! [`parse_binding`] is the one reading of a binding: Set-ImapSettings and
//! Set-PopSettings validate and normalise with it, the engines bind what it
//! returns, Test-*Connectivity finds its default port with it.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use socket2::{Domain, Protocol, Socket, Type};

use super::NetError;

/// An Exchange IPBinding (UnencryptedOrTLSBindings, SSLBindings): an IPv4
/// address and a port (`0.0.0.0:143`, `192.168.1.10:993`) or a bracketed
/// IPv6 address and a port (`[::]:143`, `[fe80::1]:993`), the syntax
/// Exchange documents as `IPv4OrIPv6Address:Port`. Every address is spelled
/// out: `0.0.0.0` is every IPv4 address and `[::]` every IPv6 one; there is
/// no `*` wildcard, no host name, no unbracketed IPv6 (its last colon would
/// be ambiguous) and no IPv6 zone. The address's `Display` (`[::1]:143`) is
/// the normal form a store keeps and Get-ImapSettings shows.
pub fn parse_binding(text: &str) -> Result<SocketAddr, NetError> {
    let text = text.trim();
    let bad = || NetError::BadBinding(text.to_string());
    let (ip, port) = match text.strip_prefix('[') {
        Some(rest) => {
            let (addr, port) = rest.split_once("]:").ok_or_else(bad)?;
            (IpAddr::V6(addr.parse::<Ipv6Addr>().map_err(|_| bad())?), port)
        }
        None => {
            let (addr, port) = text.rsplit_once(':').ok_or_else(bad)?;
            (IpAddr::V4(addr.parse::<Ipv4Addr>().map_err(|_| bad())?), port)
        }
    };
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    Ok(SocketAddr::new(ip, port.parse::<u16>().map_err(|_| bad())?))
}

/// Binds every binding, or none: the first failure is the reason the
/// service cannot start. Duplicates are bound once.
pub fn bind_all(bindings: &[String]) -> Result<Vec<(String, std::net::TcpListener)>, NetError> {
    let mut addrs: Vec<(String, SocketAddr)> = Vec::new();
    for b in bindings {
        let addr = parse_binding(b)?;
        if !addrs.iter().any(|(_, a)| *a == addr) {
            addrs.push((b.trim().to_string(), addr));
        }
    }
    let has_v4 = addrs.iter().any(|(_, a)| a.is_ipv4());
    let mut out = Vec::new();
    for (text, addr) in addrs {
        match bind_one(addr) {
            Ok(l) => out.push((text, l)),
            // A machine without IPv6 still serves the IPv4 bindings, as the
            // defaults list both.
            Err(e) if addr.is_ipv6() && has_v4 && ipv6_unavailable(&e) => {
                eprintln!("mailsh: skipping binding {text}: IPv6 is not available ({e})");
            }
            Err(e) => return Err(NetError::Bind(describe_bind_error(&text, &e))),
        }
    }
    if out.is_empty() {
        return Err(NetError::Bind("The service has no binding to listen on.".to_string()));
    }
    Ok(out)
}

pub fn bind_one(addr: SocketAddr) -> io::Result<std::net::TcpListener> {
    let domain = if addr.is_ipv6() { Domain::IPV6 } else { Domain::IPV4 };
    let socket = Socket::new(domain, Type::STREAM, Some(Protocol::TCP))?;
    if addr.is_ipv6() {
        socket.set_only_v6(true)?;
    }
    // Lets a restarted service reclaim its port from TIME_WAIT; on Linux it
    // still refuses a second listener on the same address.
    socket.set_reuse_address(true)?;
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

fn ipv6_unavailable(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EAFNOSUPPORT) | Some(libc::EADDRNOTAVAIL) | Some(libc::EPROTONOSUPPORT))
}

/// The reason as Windows words it for the two common cases, then the binding.
pub fn describe_bind_error(binding: &str, e: &io::Error) -> String {
    let reason = match e.raw_os_error() {
        Some(libc::EADDRINUSE) => {
            "Only one usage of each socket address (protocol/network address/port) is normally permitted.".to_string()
        }
        Some(libc::EACCES) | Some(libc::EPERM) => {
            "An attempt was made to access a socket in a way forbidden by its access permissions.".to_string()
        }
        Some(libc::EADDRNOTAVAIL) => "The requested address is not valid in its context.".to_string(),
        _ => e.to_string(),
    };
    format!("{reason} ({binding})")
}

/// The loopback address a back end listens on and a front end connects to.
/// `address` (an IP address, or a host name resolved now) at `port`: where
/// a back end with an address listens.
pub fn resolve(address: &str, port: u16) -> Result<SocketAddr, NetError> {
    use std::net::ToSocketAddrs;
    (address, port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut found| found.next())
        .ok_or_else(|| NetError::Bind(format!("The server's address {address} could not be resolved.")))
}

pub fn loopback(port: u16) -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(text: &str) -> Option<String> {
        parse_binding(text).ok().map(|a| a.to_string())
    }

    #[test]
    fn parses_exchange_bindings_to_their_normal_form() {
        assert_eq!(normal("0.0.0.0:110").as_deref(), Some("0.0.0.0:110"));
        assert_eq!(normal(" [::]:995 ").as_deref(), Some("[::]:995"));
        assert_eq!(normal("[0:0::1]:143").as_deref(), Some("[::1]:143"));
        assert_eq!(normal("127.0.0.1:0143").as_deref(), Some("127.0.0.1:143"));
        assert_eq!(normal("10.1.2.3:65535").as_deref(), Some("10.1.2.3:65535"));
    }

    #[test]
    fn refuses_what_exchange_ipbinding_refuses() {
        for text in [
            "nonsense",
            "*:143",
            "localhost:143",
            "::1:143",
            "[::1]143",
            "[fe80::1%2]:143",
            "1.2.3.4",
            "1.2.3.4:",
            "1.2.3.4:+1",
            "1.2.3.4:99999",
            "1.2.3:143",
            "[1.2.3.4]:143",
        ] {
            assert!(parse_binding(text).is_err(), "{text} was accepted");
        }
    }

    #[test]
    fn v6_and_v4_wildcards_share_a_port_and_a_second_listener_is_refused() {
        // The port comes from the IPv4 wildcard, so that no socket on any
        // IPv4 address holds it (a busy machine keeps thousands of
        // TIME_WAIT sockets on other loopback addresses, which a port free
        // on 127.0.0.1 alone does not avoid). A client socket can still
        // take it before it is bound again here: take another then (a few
        // times), so only a real refusal fails.
        let mut refused = Vec::new();
        let (port, first) = (0..10)
            .find_map(|_| {
                let probe = bind_one("0.0.0.0:0".parse().expect("addr")).expect("an ephemeral port");
                let port = probe.local_addr().expect("bound").port();
                drop(probe);
                bind_all(&[format!("[::]:{port}"), format!("0.0.0.0:{port}")])
                    .map_err(|e| refused.push(e.to_string()))
                    .ok()
                    .map(|l| (port, l))
            })
            .unwrap_or_else(|| panic!("both wildcards never bound side by side: {refused:?}"));
        assert!(!first.is_empty());
        let again = bind_all(&[format!("0.0.0.0:{port}")]).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(again.starts_with("Only one usage of each socket address"), "{again}");
        assert!(again.ends_with(&format!("(0.0.0.0:{port})")), "{again}");
    }
}
