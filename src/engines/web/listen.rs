//! Where the EAC listens and how a connection is served: HTTPS on the host
//! and port of the ECP virtual directory's InternalUrl and ExternalUrl,
//! each connection's TLS handshake bounded in time, HTTP/1.1 by hyper; the
//! plain HTTP binding answers every request with a redirect to HTTPS.

use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower_service::Service;

use super::{Serve, WebContext};
use crate::engines::net::NetError;
use crate::store::owa::VirtualDirectory;

/// How long a client may take over its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The HTTPS bindings the ECP virtual directory's URLs ask for: the URL's
/// port (443 when it names none) on its address when the host is one, on
/// every IPv4 address when it is a name (as IIS's "All Unassigned").
pub fn https_bindings(dirs: &[VirtualDirectory]) -> Result<Vec<String>, NetError> {
    let mut out: Vec<String> = Vec::new();
    let urls = dirs.iter().flat_map(|d| [d.internal_url.as_deref(), d.external_url.as_deref()]).flatten();
    for url in urls {
        let binding = binding_of(url)?;
        let port = binding.rsplit_once(':').map(|(_, p)| p.to_string()).unwrap_or_default();
        let every = format!("0.0.0.0:{port}");
        // One listener on every address takes the port for all of them.
        if out.contains(&every) {
            continue;
        }
        if binding == every {
            out.retain(|b| !b.ends_with(&format!(":{port}")) || b.starts_with('['));
        }
        if !out.contains(&binding) {
            out.push(binding);
        }
    }
    if out.is_empty() {
        return Err(NetError::Bind(
            "The ECP virtual directory has no InternalUrl or ExternalUrl to serve the Exchange admin center at."
                .to_string(),
        ));
    }
    Ok(out)
}

/// `https://host[:port]/path` → `address:port`.
fn binding_of(url: &str) -> Result<String, NetError> {
    let refuse = |why: &str| NetError::Bind(format!("The ECP virtual directory's URL '{url}' {why}."));
    let lower = url.trim().to_ascii_lowercase();
    let rest = match lower.strip_prefix("https://") {
        Some(rest) => rest,
        None if lower.starts_with("http://") => {
            return Err(refuse("is not HTTPS: the Exchange admin center is served over HTTPS only"));
        }
        None => return Err(refuse("is not an https:// URL")),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (addr, after) = v6.split_once(']').ok_or_else(|| refuse("has an unclosed IPv6 address"))?;
            (format!("[{addr}]"), after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (authority.to_string(), None),
        },
    };
    let port: u16 = match port {
        None => 443,
        Some(p) => p.parse().map_err(|_| refuse("names no valid port"))?,
    };
    if host.is_empty() {
        return Err(refuse("names no host"));
    }
    let address =
        if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() { host } else { "0.0.0.0".to_string() };
    let binding = format!("{address}:{port}");
    crate::engines::net::bind::parse_binding(&binding).map(|a| a.to_string())
}

/// Spawns the accept loops; the returned future ends when the service is
/// told to stop (connections in progress finish on their own tasks).
pub(super) fn serve(ctx: WebContext, app: Router) -> std::io::Result<Serve> {
    let acceptor = TlsAcceptor::from(ctx.tls.clone());
    let mut https = Vec::new();
    for (_, l) in ctx.https {
        https.push(TcpListener::from_std(l)?);
    }
    let http = match ctx.http {
        Some((_, l)) => Some(TcpListener::from_std(l)?),
        None => None,
    };
    let https_port = ctx.https_port;
    let mut stop = ctx.stop;
    Ok(Box::pin(async move {
        let mut loops = tokio::task::JoinSet::new();
        for listener in https {
            loops.spawn(accept_https(listener, acceptor.clone(), app.clone()));
        }
        if let Some(listener) = http {
            loops.spawn(accept_http(listener, https_port));
        }
        let _ = stop.wait_for(|s| *s).await;
        loops.abort_all();
    }))
}

async fn accept_https(listener: TcpListener, acceptor: TlsAcceptor, app: Router) {
    loop {
        let Ok((tcp, peer)) = listener.accept().await else { continue };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let Ok(Ok(tls)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await else { return };
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                let mut app = app.clone();
                async move { app.call(req).await }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HANDSHAKE_TIMEOUT)
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
}

/// Every plain HTTP request is sent to the same host and path over HTTPS.
async fn accept_http(listener: TcpListener, https_port: u16) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else { continue };
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| async move {
                Ok::<_, std::convert::Infallible>(redirect(&req, https_port))
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HANDSHAKE_TIMEOUT)
                .serve_connection(TokioIo::new(tcp), service)
                .await;
        });
    }
}

fn redirect(req: &hyper::Request<Incoming>, https_port: u16) -> hyper::Response<String> {
    let host = req.headers().get(hyper::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let name = match host.strip_prefix('[') {
        Some(v6) => format!("[{}]", v6.split(']').next().unwrap_or_default()),
        None => host.split(':').next().unwrap_or_default().to_string(),
    };
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || "-.[]:".contains(*c)).collect();
    let port = if https_port == 443 { String::new() } else { format!(":{https_port}") };
    let path = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let location = format!("https://{name}{port}{path}");
    let mut response = hyper::Response::new(String::new());
    *response.status_mut() = hyper::StatusCode::MOVED_PERMANENTLY;
    if let Ok(value) = hyper::header::HeaderValue::from_str(&location) {
        response.headers_mut().insert(hyper::header::LOCATION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(internal: &str, external: Option<&str>) -> VirtualDirectory {
        VirtualDirectory {
            name: "ecp (Default Web Site)".into(),
            internal_url: Some(internal.into()),
            external_url: external.map(str::to_string),
            changed: 0,
        }
    }

    #[test]
    fn the_urls_give_the_bindings() {
        assert_eq!(https_bindings(&[dir("https://cas01.contoso.com/ecp", None)]).unwrap(), ["0.0.0.0:443"]);
        assert_eq!(https_bindings(&[dir("https://127.0.0.1:8443/ecp", None)]).unwrap(), ["127.0.0.1:8443"]);
        assert_eq!(
            https_bindings(&[dir("https://127.0.0.1:8443/ecp", Some("https://mail.contoso.com:8443/ecp"))]).unwrap(),
            ["0.0.0.0:8443"]
        );
        assert_eq!(
            https_bindings(&[dir("https://[::1]:9443/ecp", Some("https://mail.contoso.com/ecp"))]).unwrap(),
            ["[::1]:9443", "0.0.0.0:443"]
        );
    }

    #[test]
    fn a_url_that_is_not_https_is_refused_by_name() {
        let e = https_bindings(&[dir("http://cas01.contoso.com/ecp", None)]).unwrap_err().to_string();
        assert!(e.contains("'http://cas01.contoso.com/ecp' is not HTTPS"), "{e}");
        assert!(https_bindings(&[dir("https://cas01:99999/ecp", None)]).is_err());
    }
}
