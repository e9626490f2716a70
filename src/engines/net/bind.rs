//! Listening sockets from Exchange binding strings (`0.0.0.0:110`,
//! `[::]:110`). `[::]` is bound IPv6-only so that it and `0.0.0.0` on the
//! same port coexist on a dual-stack system, as they do on Windows.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use socket2::{Domain, Protocol, Socket, Type};

use super::NetError;

/// Parses `address:port`, `[v6]:port`, or `*:port` (every IPv4 address).
pub fn parse_binding(text: &str) -> Result<SocketAddr, NetError> {
    let text = text.trim();
    let bad = || NetError::BadBinding(text.to_string());
    if let Some(port) = text.strip_prefix("*:") {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port.parse().map_err(|_| bad())?));
    }
    text.parse::<SocketAddr>().map_err(|_| bad())
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
pub fn loopback(port: u16) -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exchange_bindings() {
        assert_eq!(parse_binding("0.0.0.0:110").ok(), Some("0.0.0.0:110".parse().expect("addr")));
        assert_eq!(parse_binding("[::]:995").ok(), Some("[::]:995".parse().expect("addr")));
        assert!(parse_binding("nonsense").is_err());
        assert!(parse_binding("1.2.3.4:99999").is_err());
    }

    #[test]
    fn v6_and_v4_wildcards_share_a_port_and_a_second_listener_is_refused() {
        let probe = bind_one("127.0.0.1:0".parse().expect("addr")).expect("an ephemeral port");
        let port = probe.local_addr().expect("bound").port();
        drop(probe);
        let bindings = vec![format!("[::]:{port}"), format!("0.0.0.0:{port}")];
        let first = bind_all(&bindings).expect("both wildcards bind side by side");
        assert!(!first.is_empty());
        let again = bind_all(&[format!("0.0.0.0:{port}")]).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(again.starts_with("Only one usage of each socket address"), "{again}");
        assert!(again.ends_with(&format!("(0.0.0.0:{port})")), "{again}");
    }
}
