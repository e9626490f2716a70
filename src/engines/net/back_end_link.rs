//! A front end's connection to a back end: on loopback to its own server's
//! back end (a server without an address), or over TLS to a server's
//! address (`Setup -Address`), its own included; either way proven both
//! ways with the organization's proxy key (`proxy_auth`) before a byte of
//! the protocol, over TLS with the proof bound to the TLS session.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::proxy_auth::{self, BINDING_LEN, EXPORTER_LABEL, HandshakeError, Prover, ProxyKey};
use super::relay::BackEndError;
use crate::store::tls_client::client_accepting_any;

/// How long a front end waits for a back end to accept the connection.
pub const BACKEND_CONNECT: Duration = Duration::from_secs(5);

/// Where a back end listens for front ends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BackEndTarget {
    /// An IP address or host name; `127.0.0.1` on loopback.
    pub host: String,
    pub port: u16,
    /// Between servers: TLS first. On loopback: plain.
    pub tls: bool,
}

impl BackEndTarget {
    /// This server's back end on loopback (a server without an address).
    pub fn loopback(port: u16) -> BackEndTarget {
        BackEndTarget { host: "127.0.0.1".into(), port, tls: false }
    }

    /// A server's back end at its address, over TLS.
    pub fn at(address: &str, port: u16) -> BackEndTarget {
        BackEndTarget { host: address.to_string(), port, tls: true }
    }

    /// Where another server's service said it listens (`host:port`, as
    /// `Store::running_endpoints` gives it): over TLS. None for what is no
    /// socket address.
    pub fn published(endpoint: &str) -> Option<BackEndTarget> {
        let addr: std::net::SocketAddr = endpoint.parse().ok()?;
        Some(BackEndTarget::at(&addr.ip().to_string(), addr.port()))
    }

    /// `host:port`, as the service log names it.
    pub fn shown(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// The proven connection.
pub enum BackEndStream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

/// Connects to `target` and proves `key` both ways (checking the back
/// end's proof before anything of the client's is sent).
pub async fn connect(target: &BackEndTarget, key: &ProxyKey) -> Result<BackEndStream, BackEndError> {
    connect_as(target, key, Prover::FrontEnd).await
}

/// `connect`, proving the key as `prover` (a Transport relays mail to
/// another server's Transport as itself, not as a front end).
pub async fn connect_as(target: &BackEndTarget, key: &ProxyKey, prover: Prover) -> Result<BackEndStream, BackEndError> {
    let shown = target.shown();
    let handshake = async {
        let tcp = TcpStream::connect((target.host.as_str(), target.port)).await?;
        let _ = tcp.set_nodelay(true);
        let (mut stream, binding) = if target.tls {
            // Any certificate (each server's is self-signed): the proof bound
            // to the session is what authenticates the back end.
            let config =
                client_accepting_any().ok_or_else(|| BackEndError::Unreachable("TLS could not be set up".into()))?;
            let name = ServerName::try_from(target.host.clone())
                .map_err(|e| BackEndError::Unreachable(format!("{}: {e}", target.host)))?;
            let tls = TlsConnector::from(config).connect(name, tcp).await?;
            let binding = tls
                .get_ref()
                .1
                .export_keying_material([0u8; BINDING_LEN], EXPORTER_LABEL, None)
                .map_err(|e| BackEndError::Unreachable(format!("TLS keying material: {e}")))?;
            (BackEndStream::Tls(Box::new(tls)), binding.to_vec())
        } else {
            (BackEndStream::Plain(tcp), Vec::new())
        };
        proxy_auth::prove_as(&mut stream, key, &binding, prover).await.map_err(|e| match e {
            HandshakeError::Io(e) => BackEndError::from(e),
            HandshakeError::NotProven => {
                BackEndError::Unreachable(format!("what listens on {shown} is not this organization's back end"))
            }
        })?;
        Ok(stream)
    };
    tokio::time::timeout(BACKEND_CONNECT, handshake)
        .await
        .map_err(|_| BackEndError::Unreachable(format!("the back end at {} did not answer", target.shown())))?
}

impl AsyncRead for BackEndStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            BackEndStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            BackEndStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for BackEndStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            BackEndStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            BackEndStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            BackEndStream::Plain(s) => Pin::new(s).poll_flush(cx),
            BackEndStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            BackEndStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            BackEndStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            BackEndStream::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            BackEndStream::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            BackEndStream::Plain(s) => s.is_write_vectored(),
            BackEndStream::Tls(s) => s.is_write_vectored(),
        }
    }
}
