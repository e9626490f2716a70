//! The front end's half of a proxied session: once the back end accepted
//! the login, bytes flow both ways untouched until either side closes.

use std::io;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

/// Relays `client` <-> `backend`. `to_backend` and `to_client` are bytes
/// already read ahead from one side (pipelined commands, buffered replies)
/// that must reach the other side first. Returns the byte counts
/// (client to back end, back end to client).
pub async fn relay<C, B>(mut client: C, to_backend: &[u8], mut backend: B, to_client: &[u8]) -> io::Result<(u64, u64)>
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
    let (up, down) = tokio::io::copy_bidirectional(&mut client, &mut backend).await?;
    Ok((up + to_backend.len() as u64, down + to_client.len() as u64))
}
