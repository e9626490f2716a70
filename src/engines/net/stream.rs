//! A server-side connection that is plain TCP or TLS, and can become TLS
//! mid-session (STARTTLS, STLS).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

pub enum ServerStream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl ServerStream {
    pub fn is_tls(&self) -> bool {
        matches!(self, ServerStream::Tls(_))
    }

    /// The TLS handshake on a plain connection (implicit TLS at accept, or
    /// after STARTTLS/STLS was answered). Already-TLS streams are refused.
    pub async fn into_tls(self, acceptor: &TlsAcceptor) -> io::Result<ServerStream> {
        match self {
            ServerStream::Plain(tcp) => Ok(ServerStream::Tls(Box::new(acceptor.accept(tcp).await?))),
            ServerStream::Tls(_) => Err(io::Error::other("the connection is already encrypted")),
        }
    }

    /// The TLS session's exported keying material for `label` (RFC 5705),
    /// what a proof between servers is bound to; None in plain text.
    pub fn exported<const N: usize>(&self, label: &[u8]) -> Option<[u8; N]> {
        match self {
            ServerStream::Plain(_) => None,
            ServerStream::Tls(t) => t.get_ref().1.export_keying_material([0u8; N], label, None).ok(),
        }
    }

    pub fn peer_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.tcp().peer_addr()
    }

    pub fn local_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.tcp().local_addr()
    }

    fn tcp(&self) -> &TcpStream {
        match self {
            ServerStream::Plain(t) => t,
            ServerStream::Tls(t) => t.get_ref().0,
        }
    }
}

impl AsyncRead for ServerStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ServerStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            ServerStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for ServerStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            ServerStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            ServerStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ServerStream::Plain(s) => Pin::new(s).poll_flush(cx),
            ServerStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ServerStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            ServerStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
