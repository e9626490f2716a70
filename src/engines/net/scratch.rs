//! Reading without a buffer of one's own. Most connections of a busy
//! engine are idle (IDLE, a mail client left open) and wait for input most
//! of the time; a read buffer per connection would be memory held for
//! nothing. Here a read lands in a buffer of the thread that polls it and
//! is handed on within the same poll, so a connection that waits holds no
//! read buffer at all.

use std::cell::RefCell;
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};

/// Octets one read takes at most.
pub const SCRATCH: usize = 64 * 1024;

thread_local! {
    static BUFFER: RefCell<Box<[u8]>> = RefCell::new(vec![0u8; SCRATCH].into_boxed_slice());
}

/// Polls one read of `r` into the thread's buffer and, when bytes (or the
/// end of the stream: an empty slice) came, gives them to `take`.
pub fn poll_read_with<R, T>(r: &mut R, cx: &mut Context<'_>, take: impl FnOnce(&[u8]) -> T) -> Poll<io::Result<T>>
where
    R: AsyncRead + Unpin + ?Sized,
{
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buffer) => poll_into(r, cx, &mut buffer, take),
        // A reader that itself reads this way (never done, but not a
        // reason to fail): a buffer of its own for this read.
        Err(_) => poll_into(r, cx, &mut vec![0u8; SCRATCH], take),
    })
}

fn poll_into<R, T>(
    r: &mut R,
    cx: &mut Context<'_>,
    buffer: &mut [u8],
    take: impl FnOnce(&[u8]) -> T,
) -> Poll<io::Result<T>>
where
    R: AsyncRead + Unpin + ?Sized,
{
    let mut buf = ReadBuf::new(buffer);
    match Pin::new(r).poll_read(cx, &mut buf) {
        Poll::Ready(Ok(())) => Poll::Ready(Ok(take(buf.filled()))),
        Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
        Poll::Pending => Poll::Pending,
    }
}

/// Waits for bytes from `r` and gives them to `take` (an empty slice at the
/// end of the stream). Cancel-safe: nothing is read until `take` runs.
pub async fn read_with<R, T>(r: &mut R, take: impl FnOnce(&[u8]) -> T) -> io::Result<T>
where
    R: AsyncRead + Unpin + ?Sized,
{
    let mut take = Some(take);
    let got = poll_fn(|cx| poll_read_with(r, cx, |bytes| take.take().map(|f| f(bytes)))).await?;
    got.ok_or_else(|| io::Error::other("a read was handed on twice"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_land_in_the_threads_buffer_and_end_with_an_empty_slice() {
        let (mut a, mut b) = tokio::io::duplex(1024);
        tokio::io::AsyncWriteExt::write_all(&mut a, b"hello").await.expect("write");
        drop(a);
        let got = read_with(&mut b, |bytes| bytes.to_vec()).await.expect("read");
        assert_eq!(got, b"hello");
        let end = read_with(&mut b, <[u8]>::len).await.expect("read at the end");
        assert_eq!(end, 0);
    }
}
