//! The front end's half of a proxied session: once the back end accepted
//! the login, bytes flow both ways untouched until either side closes.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a front end waits for its back end to accept the connection.
pub const BACKEND_CONNECT: Duration = Duration::from_secs(5);

/// Why a front end could not hand a logged-on client to its back end.
#[derive(Debug, thiserror::Error)]
pub enum BackEndError {
    /// Nothing listens, or it does not answer as a back end: the client is
    /// told it is authenticated but not connected.
    #[error("{0}")]
    Unreachable(String),
    /// The back end refused the credentials (the access changed meanwhile):
    /// a failed logon.
    #[error("the back end refused the credentials")]
    Refused,
}

impl From<io::Error> for BackEndError {
    fn from(e: io::Error) -> BackEndError {
        BackEndError::Unreachable(e.to_string())
    }
}

/// Connects to the back end on 127.0.0.1:ProxyTargetPort. Each protocol
/// then logs on there its own way, with the client's credentials.
pub async fn connect_back_end(proxy_target_port: i64) -> io::Result<TcpStream> {
    let port = u16::try_from(proxy_target_port)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "ProxyTargetPort is not a port"))?;
    let tcp = tokio::time::timeout(BACKEND_CONNECT, TcpStream::connect(super::bind::loopback(port)))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "connect timed out"))??;
    let _ = tcp.set_nodelay(true);
    Ok(tcp)
}

/// What the client is told when the front end stops mid-session (IMAP4's
/// `* BYE`; POP3 has no unsolicited answer and just closes).
pub struct Farewell<'a> {
    pub shutdown: tokio::sync::watch::Receiver<bool>,
    pub message: &'a [u8],
}

/// Relays `client` <-> `backend`. `to_backend` and `to_client` are bytes
/// already read ahead from one side (pipelined commands, buffered replies)
/// that must reach the other side first. When the service stops, the
/// client gets the farewell, if any, and the session ends.
///
/// The session ends when the back end closes: its last answer (to LOGOUT,
/// QUIT, or its own BYE) is passed on and the client's connection closed
/// at once, so what the session holds (its MaxConnectionsPerUser slot) is
/// given back then, not whenever the client gets round to closing its side.
/// A client that closes first has its end passed on, and the back end's
/// last answers still reach it.
pub async fn relay<C, B>(
    mut client: C,
    to_backend: &[u8],
    mut backend: B,
    to_client: &[u8],
    farewell: Option<Farewell<'_>>,
) -> io::Result<()>
where
    C: AsyncRead + AsyncWrite + Unpin,
    B: AsyncRead + AsyncWrite + Unpin,
{
    if !to_client.is_empty() {
        client.write_all(to_client).await?;
        client.flush().await?;
    }
    if !to_backend.is_empty() {
        backend.write_all(to_backend).await?;
        backend.flush().await?;
    }
    let (mut client_rd, mut client_wr) = tokio::io::split(client);
    let (mut backend_rd, mut backend_wr) = tokio::io::split(backend);
    let session = async {
        let mut up = std::pin::pin!(async {
            tokio::io::copy(&mut client_rd, &mut backend_wr).await?;
            backend_wr.shutdown().await
        });
        let mut down = std::pin::pin!(async {
            tokio::io::copy(&mut backend_rd, &mut client_wr).await?;
            client_wr.shutdown().await
        });
        let mut client_done = false;
        loop {
            tokio::select! {
                ended = &mut up, if !client_done => {
                    ended?;
                    client_done = true;
                }
                ended = &mut down => return ended,
            }
        }
    };
    let Some(Farewell { mut shutdown, message }) = farewell else {
        return session.await;
    };
    let stopped = async {
        while !*shutdown.borrow() {
            if shutdown.changed().await.is_err() {
                return;
            }
        }
    };
    tokio::select! {
        ended = session => ended,
        () = stopped => {
            let mut client = client_rd.unsplit(client_wr);
            client.write_all(message).await?;
            client.flush().await?;
            let _ = client.shutdown().await;
            Ok(())
        }
    }
}
