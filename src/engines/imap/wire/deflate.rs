//! COMPRESS=DEFLATE (RFC 4978): raw deflate (RFC 1951) both ways once the
//! client asked, flate2 (pure Rust miniz_oxide backend) doing the work.
//! Every flush ends with a sync flush, so each response reaches the client
//! whole without waiting for more.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

const CHUNK: usize = 16 * 1024;

/// Inflates what `inner` gives.
pub struct InflateReader<R> {
    inner: R,
    raw: Box<[u8]>,
    start: usize,
    end: usize,
    z: Decompress,
}

impl<R> InflateReader<R> {
    pub fn new(inner: R) -> InflateReader<R> {
        InflateReader { inner, raw: vec![0; CHUNK].into_boxed_slice(), start: 0, end: 0, z: Decompress::new(false) }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for InflateReader<R> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let me = self.get_mut();
        loop {
            if me.start < me.end && buf.remaining() > 0 {
                let (before_in, before_out) = (me.z.total_in(), me.z.total_out());
                let status =
                    me.z.decompress(&me.raw[me.start..me.end], buf.initialize_unfilled(), FlushDecompress::None)
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                let used = (me.z.total_in() - before_in) as usize;
                let made = (me.z.total_out() - before_out) as usize;
                me.start += used;
                buf.advance(made);
                if made > 0 {
                    return Poll::Ready(Ok(()));
                }
                if status == Status::StreamEnd {
                    return Poll::Ready(Ok(()));
                }
                if used > 0 {
                    continue;
                }
            }
            // More compressed bytes are needed.
            if me.start > 0 {
                me.raw.copy_within(me.start..me.end, 0);
                me.end -= me.start;
                me.start = 0;
            }
            if me.end == me.raw.len() {
                return Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, "deflate stream stalled")));
            }
            let mut rb = ReadBuf::new(&mut me.raw[me.end..]);
            ready!(Pin::new(&mut me.inner).poll_read(cx, &mut rb))?;
            let n = rb.filled().len();
            if n == 0 {
                // End of the stream.
                return Poll::Ready(Ok(()));
            }
            me.end += n;
        }
    }
}

/// Deflates what is written; a flush ends with a sync flush.
pub struct DeflateWriter<W> {
    inner: W,
    pending: Vec<u8>,
    sent: usize,
    z: Compress,
    /// Bytes were written since the last sync flush.
    dirty: bool,
}

impl<W> DeflateWriter<W> {
    pub fn new(inner: W) -> DeflateWriter<W> {
        DeflateWriter {
            inner,
            pending: Vec::with_capacity(CHUNK),
            sent: 0,
            z: Compress::new(Compression::fast(), false),
            dirty: false,
        }
    }

    fn deflate(&mut self, mut data: &[u8], flush: FlushCompress) -> io::Result<()> {
        loop {
            if self.pending.capacity() - self.pending.len() < 64 {
                self.pending.reserve(CHUNK);
            }
            let before_in = self.z.total_in();
            self.z.compress_vec(data, &mut self.pending, flush).map_err(io::Error::other)?;
            data = &data[(self.z.total_in() - before_in) as usize..];
            // Done when all input is taken and (for a flush) the output
            // did not fill the room it had.
            if data.is_empty() && self.pending.capacity() - self.pending.len() >= 64 {
                return Ok(());
            }
        }
    }
}

impl<W: AsyncWrite + Unpin> DeflateWriter<W> {
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        if self.pending.capacity() > 4 * CHUNK {
            self.pending.shrink_to(CHUNK);
        }
        Poll::Ready(Ok(()))
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for DeflateWriter<W> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let me = self.get_mut();
        // Bounded: what was compressed goes out before more is taken.
        if me.pending.len() >= 4 * CHUNK {
            ready!(me.poll_drain(cx))?;
        }
        me.deflate(data, FlushCompress::None)?;
        me.dirty |= !data.is_empty();
        Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let me = self.get_mut();
        // Nothing new: no empty sync block either (a client reading the
        // uncompressed OK with a buffered reader must not swallow it).
        if me.sent == 0 && me.dirty {
            me.deflate(&[], FlushCompress::Sync)?;
            me.dirty = false;
        }
        ready!(me.poll_drain(cx))?;
        Pin::new(&mut me.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.as_mut().poll_flush(cx))?;
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A slow reader (a tiny pipe): writes and flushes meet Pending midway
    /// and the stream must still inflate to exactly what was written.
    #[tokio::test]
    async fn a_slow_peer_gets_every_byte_in_order() {
        let (a, b) = tokio::io::duplex(61);
        let writer = tokio::spawn(async move {
            let mut w = DeflateWriter::new(a);
            let mut all = Vec::new();
            for i in 0..300u32 {
                let chunk: Vec<u8> = format!("* {i} FETCH (BODY[] {{{}}} ", i * 37)
                    .into_bytes()
                    .into_iter()
                    .chain((0..i * 37).map(|k| (k * 7 % 251) as u8))
                    .collect();
                w.write_all(&chunk).await.unwrap();
                all.extend_from_slice(&chunk);
                if i % 3 == 0 {
                    w.flush().await.unwrap();
                }
            }
            w.flush().await.unwrap();
            w.shutdown().await.unwrap();
            all
        });
        let mut r = InflateReader::new(b);
        let mut got = Vec::new();
        r.read_to_end(&mut got).await.unwrap();
        let all = writer.await.unwrap();
        assert_eq!(got.len(), all.len());
        assert!(got == all);
    }

    #[tokio::test]
    async fn what_is_deflated_inflates_back_flush_by_flush() {
        let (a, b) = tokio::io::duplex(1 << 20);
        let mut w = DeflateWriter::new(a);
        let mut r = InflateReader::new(b);
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        for chunk in [&b"* OK first\r\n"[..], &big[..], b"t1 OK done\r\n"] {
            w.write_all(chunk).await.unwrap();
            w.flush().await.unwrap();
            let mut got = vec![0u8; chunk.len()];
            r.read_exact(&mut got).await.unwrap();
            assert_eq!(got, chunk, "each flush is readable at once");
        }
    }
}
