//! One client connection as both POP3 ends see it: reading command lines
//! under a time limit, writing responses, and logging both (never secrets,
//! never message bodies).

use std::net::IpAddr;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use super::command::Command;
use super::response::ok;
use crate::engines::net::listener::{Connection, PreAuth};
use crate::engines::net::protolog::{Event, SessionLog, mask_after};
use crate::engines::net::{EngineContext, LineError, LineReader, ServerStream};

pub enum Input {
    Line(Vec<u8>),
    TooLong,
    Closed,
    TimedOut,
}

pub struct Pop3Conn {
    pub reader: LineReader<ServerStream>,
    pub ip: IpAddr,
    pub log: SessionLog,
    pub max_line: usize,
    /// Held until the client has logged on.
    pub pre_auth: PreAuth,
    /// The last line was an AUTH command: whatever it was answered, the
    /// next line may be a SASL response (credentials) and is not logged.
    after_auth: bool,
}

impl Pop3Conn {
    /// A new session's connection: its protocol log opened with the
    /// Connect line, and the greeting (Banner) sent. None if the client
    /// already left.
    pub async fn greet(connection: Connection, ctx: &EngineContext) -> Option<Pop3Conn> {
        let log = SessionLog::new(ctx.log.clone(), &connection);
        let max_line = ctx.settings.max_command_size.max(40) as usize;
        let ip = connection.ip();
        let mut conn = Pop3Conn {
            ip,
            reader: LineReader::new(connection.stream),
            log,
            max_line,
            pre_auth: connection.pre_auth,
            after_auth: false,
        };
        conn.note(Event::Connect, "");
        conn.send(&ok(&ctx.settings.banner)).await.ok()?;
        Some(conn)
    }

    pub fn note(&self, event: Event, data: &str) {
        self.log.note(event, data);
    }

    pub async fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if self.log.enabled() {
            let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
            self.note(Event::Sent, String::from_utf8_lossy(first).trim_end());
        }
        let stream = self.reader.get_mut();
        stream.write_all(bytes).await?;
        stream.flush().await
    }

    /// Part of a long response (a streamed message): written, not flushed,
    /// not logged (message bodies never are).
    pub async fn write_part(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.reader.get_mut().write_all(bytes).await
    }

    pub async fn flush(&mut self) -> std::io::Result<()> {
        self.reader.get_mut().flush().await
    }

    /// A command line; `secret` lines (SASL responses), and any line that
    /// follows an AUTH command, are logged masked.
    pub async fn read(&mut self, limit: Duration, secret: bool) -> Input {
        let got = tokio::time::timeout(limit, self.reader.read_line(self.max_line)).await;
        let input = match got {
            Err(_) => Input::TimedOut,
            Ok(Ok(line)) => Input::Line(line),
            Ok(Err(LineError::TooLong)) => Input::TooLong,
            Ok(Err(_)) => Input::Closed,
        };
        let secret = secret || std::mem::take(&mut self.after_auth);
        if let Input::Line(l) = &input {
            self.after_auth = l.len() >= 4 && l[..4].eq_ignore_ascii_case(b"AUTH");
        }
        if self.log.enabled() {
            match &input {
                Input::Line(_) if secret => self.note(Event::Received, "****"),
                Input::Line(l) => {
                    let text = String::from_utf8_lossy(l);
                    self.note(Event::Received, &mask_after(&text, Command::loggable_words(l)));
                }
                Input::TooLong => self.note(Event::Info, "command too long"),
                Input::Closed => self.note(Event::Disconnect, "closed by client"),
                Input::TimedOut => self.note(Event::Disconnect, "timed out"),
            }
        }
        input
    }

    pub fn is_tls(&self) -> bool {
        self.reader.get_ref().is_tls()
    }

    /// STLS: the TLS handshake on this connection. Anything the client sent
    /// after STLS in plain text is dropped, never read as a command.
    pub async fn into_tls(self, acceptor: &tokio_rustls::TlsAcceptor) -> std::io::Result<Pop3Conn> {
        let Pop3Conn { reader, ip, log, max_line, pre_auth, after_auth: _ } = self;
        let stream = reader.into_stream_discarding_buffer().into_tls(acceptor).await?;
        Ok(Pop3Conn { reader: LineReader::new(stream), ip, log, max_line, pre_auth, after_auth: false })
    }

    pub async fn close(mut self) {
        let _ = self.reader.get_mut().shutdown().await;
    }
}
