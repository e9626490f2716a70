//! The front end's half of a proxied session: once the back end accepted
//! the login, bytes flow both ways untouched until either side closes.
//! The relay keeps no buffers while both sides are quiet (most relayed
//! sessions are, most of the time): a read lands in the polling thread's
//! buffer (`scratch`) and is written on at once; only what the other side
//! cannot take yet is kept, until it can.

use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use super::scratch;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

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
        let (up, down) = copy_both_ways(&mut client, &mut backend).await?;
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
        copied = copy_both_ways(&mut client, &mut backend) => {
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

/// Copies `a` to `b` and `b` to `a` until both have ended (each end is
/// passed on as a shutdown of the other's write side); returns the octets
/// copied each way.
async fn copy_both_ways<A, B>(a: &mut A, b: &mut B) -> io::Result<(u64, u64)>
where
    A: AsyncRead + AsyncWrite + Unpin,
    B: AsyncRead + AsyncWrite + Unpin,
{
    let (mut there, mut back) = (Flow::default(), Flow::default());
    poll_fn(|cx| {
        let there_done = there.poll(cx, &mut *a, &mut *b)?.is_ready();
        let back_done = back.poll(cx, &mut *b, &mut *a)?.is_ready();
        if there_done && back_done { Poll::Ready(Ok((there.octets, back.octets))) } else { Poll::Pending }
    })
    .await
}

/// One direction of the relay.
#[derive(Default)]
struct Flow {
    /// Read but not yet taken by the writer; empty (and unallocated) while
    /// the writer keeps up.
    pending: Vec<u8>,
    written: usize,
    /// Written since the last flush.
    unflushed: bool,
    ended: bool,
    shut: bool,
    octets: u64,
}

impl Flow {
    fn poll<R, W>(&mut self, cx: &mut Context<'_>, from: &mut R, to: &mut W) -> Poll<io::Result<()>>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin,
    {
        loop {
            while self.written < self.pending.len() {
                let n = ready!(Pin::new(&mut *to).poll_write(cx, &self.pending[self.written..]))?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                self.written += n;
                self.unflushed = true;
            }
            if self.written > 0 {
                self.pending = Vec::new();
                self.written = 0;
            }
            if self.ended {
                if !self.shut {
                    ready!(Pin::new(&mut *to).poll_flush(cx))?;
                    ready!(Pin::new(&mut *to).poll_shutdown(cx))?;
                    self.shut = true;
                }
                return Poll::Ready(Ok(()));
            }
            // The writer is polled from inside the read's hand-over, with
            // the same waker.
            let waker = cx.waker().clone();
            let read = scratch::poll_read_with(from, cx, |bytes| {
                let mut cx = Context::from_waker(&waker);
                let mut sent = 0;
                while sent < bytes.len() {
                    match Pin::new(&mut *to).poll_write(&mut cx, &bytes[sent..]) {
                        Poll::Ready(Ok(0)) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
                        Poll::Ready(Ok(n)) => sent += n,
                        Poll::Ready(Err(e)) => return Err(e),
                        Poll::Pending => break,
                    }
                }
                self.pending.extend_from_slice(&bytes[sent..]);
                Ok(bytes.len())
            });
            match read {
                Poll::Pending => {
                    if self.unflushed {
                        ready!(Pin::new(&mut *to).poll_flush(cx))?;
                        self.unflushed = false;
                    }
                    return Poll::Pending;
                }
                Poll::Ready(result) => match result? {
                    Ok(0) => self.ended = true,
                    Ok(n) => {
                        self.octets += n as u64;
                        self.unflushed = true;
                    }
                    Err(e) => return Poll::Ready(Err(e)),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn copies_both_ways_through_a_slow_reader_and_passes_the_ends_on() {
        // Small pipes: the writer side fills up and the relay must keep
        // what it read until it can go on.
        let (client, client_end) = tokio::io::duplex(512);
        let (backend_end, backend) = tokio::io::duplex(512);
        let relay = tokio::spawn(async move {
            let (mut c, mut b) = (client_end, backend_end);
            copy_both_ways(&mut c, &mut b).await
        });
        let up: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let down: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        // Each end writes everything, then ends its side, while reading
        // what comes (in small reads at the back end).
        async fn talk<S: AsyncRead + AsyncWrite>(end: S, send: Vec<u8>, read_size: usize) -> io::Result<Vec<u8>> {
            let (mut r, mut w) = tokio::io::split(end);
            let writing = async {
                w.write_all(&send).await?;
                w.shutdown().await
            };
            let reading = async {
                let mut got = Vec::new();
                let mut b = vec![0u8; read_size];
                loop {
                    let n = r.read(&mut b).await?;
                    if n == 0 {
                        return Ok::<_, io::Error>(got);
                    }
                    got.extend_from_slice(&b[..n]);
                }
            };
            let (w, r) = tokio::join!(writing, reading);
            w?;
            r
        }
        let (at_client, at_backend) = tokio::join!(talk(client, up.clone(), 64 * 1024), talk(backend, down.clone(), 7));
        assert!(at_client.expect("the client talks") == down, "the back end's bytes reach the client whole");
        assert!(at_backend.expect("the back end talks") == up, "the client's bytes reach the back end whole");
        let counts = relay.await.expect("join").expect("the relay ends cleanly");
        assert_eq!(counts, (up.len() as u64, down.len() as u64));
    }
}
