//! The front end's half of a proxied session: once the back end accepted
//! the login, bytes flow both ways untouched until either side closes.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use super::proxy_auth::{self, HandshakeError, ProxyKey};

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

/// Connects to the back end on 127.0.0.1:ProxyTargetPort and proves to it
/// that this is the store's front end, checking that it is the store's
/// back end (`proxy_auth`) before the client's credentials are sent. Each
/// protocol then logs on there its own way, with those credentials.
pub async fn connect_back_end(proxy_target_port: i64, key: &ProxyKey) -> Result<TcpStream, BackEndError> {
    let port = u16::try_from(proxy_target_port)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "ProxyTargetPort is not a port"))?;
    let handshake = async {
        let mut tcp = TcpStream::connect(super::bind::loopback(port)).await?;
        let _ = tcp.set_nodelay(true);
        proxy_auth::prove(&mut tcp, key).await.map_err(|e| match e {
            HandshakeError::Io(e) => BackEndError::from(e),
            HandshakeError::NotProven => {
                BackEndError::Unreachable(format!("what listens on port {port} is not this store's back end"))
            }
        })?;
        Ok(tcp)
    };
    tokio::time::timeout(BACKEND_CONNECT, handshake)
        .await
        .map_err(|_| BackEndError::Unreachable("the back end did not answer".into()))?
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
/// client gets the farewell, if any, and the session ends. Returns the byte
/// counts (client to back end, back end to client).
pub async fn relay<C, B>(
    mut client: C,
    to_backend: &[u8],
    mut backend: B,
    to_client: &[u8],
    farewell: Option<Farewell<'_>>,
) -> io::Result<(u64, u64)>
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
    let Some(Farewell { mut shutdown, message }) = farewell else {
        let (up, down) = tokio::io::copy_bidirectional(&mut client, &mut backend).await?;
        return Ok((up + to_backend.len() as u64, down + to_client.len() as u64));
    };
    let stopped = async {
        while !*shutdown.borrow() {
            if shutdown.changed().await.is_err() {
                return;
            }
        }
    };
    tokio::select! {
        copied = tokio::io::copy_bidirectional(&mut client, &mut backend) => {
            let (up, down) = copied?;
            Ok((up + to_backend.len() as u64, down + to_client.len() as u64))
        }
        () = stopped => {
            client.write_all(message).await?;
            client.flush().await?;
            let _ = client.shutdown().await;
            Ok((to_backend.len() as u64, to_client.len() as u64))
        }
    }
}
