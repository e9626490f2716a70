//! Reading CRLF-terminated command lines with a size cap (MaxCommandSize),
//! from any stream. An over-long line is consumed and reported, never kept
//! in memory whole.

use std::io;

use tokio::io::AsyncRead;

#[derive(Debug, thiserror::Error)]
pub enum LineError {
    #[error("the line is longer than the limit")]
    TooLong,
    #[error("the connection was closed")]
    Closed,
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Room the line buffer keeps between lines.
const KEEP: usize = 4096;

/// An emptied input buffer gives back what a burst made it take (more
/// than [`KEEP`]), so a quiet session holds none of it.
pub fn give_back_room(buffer: &mut Vec<u8>) {
    if buffer.is_empty() && buffer.capacity() > KEEP {
        *buffer = Vec::new();
    }
}

pub struct LineReader<S> {
    stream: S,
    buf: Vec<u8>,
}

impl<S: AsyncRead + Unpin> LineReader<S> {
    pub fn new(stream: S) -> LineReader<S> {
        LineReader { stream, buf: Vec::new() }
    }

    /// The next line without its CRLF (or bare LF).
    pub async fn read_line(&mut self, max: usize) -> Result<Vec<u8>, LineError> {
        let mut scanned = 0;
        let mut discarding = false;
        loop {
            if let Some(pos) = self.buf[scanned..].iter().position(|&b| b == b'\n') {
                let end = scanned + pos;
                let mut line: Vec<u8> = self.buf.drain(..=end).collect();
                // A burst of pipelined input does not keep its room.
                give_back_room(&mut self.buf);
                if discarding {
                    return Err(LineError::TooLong);
                }
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if line.len() > max {
                    return Err(LineError::TooLong);
                }
                return Ok(line);
            }
            if self.buf.len() > max + 2 {
                discarding = true;
                self.buf.clear();
            }
            scanned = self.buf.len();
            self.fill().await?;
        }
    }

    /// Exactly `n` bytes (an IMAP literal, a relayed block).
    pub async fn read_bytes(&mut self, n: usize) -> Result<Vec<u8>, LineError> {
        while self.buf.len() < n {
            self.fill().await?;
        }
        Ok(self.buf.drain(..n).collect())
    }

    /// Reads through the thread's buffer (`scratch`): no read buffer in
    /// the session's own state.
    async fn fill(&mut self) -> Result<(), LineError> {
        let buf = &mut self.buf;
        let got = super::scratch::read_with(&mut self.stream, |bytes| {
            buf.extend_from_slice(bytes);
            bytes.len()
        })
        .await?;
        if got == 0 {
            return Err(LineError::Closed);
        }
        Ok(())
    }

    pub fn get_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// Bytes received but not yet read as lines.
    pub fn buffered(&self) -> &[u8] {
        &self.buf
    }

    /// The stream and what was read ahead of the caller.
    pub fn into_parts(self) -> (S, Vec<u8>) {
        (self.stream, self.buf)
    }

    /// The stream for a TLS upgrade. Whatever the client pipelined after
    /// STARTTLS/STLS in plain text is thrown away, so it can never be taken
    /// for a command sent under TLS (the CVE-2011-0411 class of injection).
    pub fn into_stream_discarding_buffer(self) -> S {
        self.stream
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_lines_and_skips_overlong_ones() {
        let data: &[u8] = b"USER bob\r\nNOOP\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\nQUIT\r\n";
        let mut r = LineReader::new(data);
        assert_eq!(r.read_line(10).await.ok(), Some(b"USER bob".to_vec()));
        assert_eq!(r.read_line(10).await.ok(), Some(b"NOOP".to_vec()));
        assert!(matches!(r.read_line(10).await, Err(LineError::TooLong)));
        assert_eq!(r.read_line(10).await.ok(), Some(b"QUIT".to_vec()));
        assert!(matches!(r.read_line(10).await, Err(LineError::Closed)));
    }
}
