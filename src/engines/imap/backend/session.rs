//! One client connection to the back end: the read loop, timeouts, access
//! revocation, shutdown, and the output buffer every command writes into.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf, ReadHalf, WriteHalf};

use super::BackEnd;
use super::selected::Selected;
use crate::engines::imap::texts;
use crate::engines::imap::wire::deflate::{DeflateWriter, InflateReader};
use crate::engines::imap::wire::{CommandReader, Incoming, Limits, out};
use crate::engines::net::ServerStream;
use crate::engines::net::listener::Connection;
use crate::engines::net::mail_databases::Home;
use crate::engines::net::protolog::{Event, SessionLog};
use crate::engines::render::Renderer;
use crate::store::mail::{MailError, MailboxId};

/// Exchange's limit on a message (MaxReceiveSize's default), for APPEND.
pub const MAX_MESSAGE: u32 = 35 * 1024 * 1024;

/// The output buffer's capacity kept from one flush to the next within a
/// command (a FETCH answers in batches).
const OUT_KEEP: usize = 64 * 1024;

/// The output buffer's capacity kept between commands.
const OUT_IDLE: usize = 4 * 1024;

pub struct User {
    pub guid: String,
    pub login: String,
    pub mailbox: MailboxId,
    pub renderer: Renderer,
    /// Set-Mailbox's quotas, read at login and again whenever the config
    /// store changes.
    pub quotas: crate::store::Quotas,
}

pub struct Io {
    pub reader: CommandReader,
    pub rd: BackRead,
    pub wr: BackWrite,
}

/// The client's bytes, inflated once COMPRESS=DEFLATE is on.
pub enum BackRead {
    Plain(ReadHalf<ServerStream>),
    Deflate(InflateReader<ReadHalf<ServerStream>>),
    Gone,
}

/// What goes to the client, deflated once COMPRESS=DEFLATE is on.
pub enum BackWrite {
    Plain(WriteHalf<ServerStream>),
    Deflate(DeflateWriter<WriteHalf<ServerStream>>),
    Gone,
}

impl Io {
    /// COMPRESS DEFLATE: everything after the tagged OK is deflated.
    pub fn start_deflate(&mut self) {
        self.rd = match std::mem::replace(&mut self.rd, BackRead::Gone) {
            BackRead::Plain(r) => BackRead::Deflate(InflateReader::new(r)),
            other => other,
        };
        self.wr = match std::mem::replace(&mut self.wr, BackWrite::Gone) {
            BackWrite::Plain(w) => BackWrite::Deflate(DeflateWriter::new(w)),
            other => other,
        };
    }

    pub fn compressed(&self) -> bool {
        matches!(self.wr, BackWrite::Deflate(_))
    }
}

impl AsyncRead for BackRead {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            BackRead::Plain(r) => Pin::new(r).poll_read(cx, buf),
            BackRead::Deflate(r) => Pin::new(r).poll_read(cx, buf),
            BackRead::Gone => Poll::Ready(Ok(())),
        }
    }
}

impl AsyncWrite for BackWrite {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            BackWrite::Plain(w) => Pin::new(w).poll_write(cx, data),
            BackWrite::Deflate(w) => Pin::new(w).poll_write(cx, data),
            BackWrite::Gone => Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into())),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            BackWrite::Plain(w) => Pin::new(w).poll_flush(cx),
            BackWrite::Deflate(w) => Pin::new(w).poll_flush(cx),
            BackWrite::Gone => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            BackWrite::Plain(w) => Pin::new(w).poll_shutdown(cx),
            BackWrite::Deflate(w) => Pin::new(w).poll_shutdown(cx),
            BackWrite::Gone => Poll::Ready(Ok(())),
        }
    }
}

/// Extensions the client turned on (ENABLE, or a command that implies it).
#[derive(Debug, Clone, Copy, Default)]
pub struct Enabled {
    /// RFC 7162: MODSEQ in FETCH responses that show flags.
    pub condstore: bool,
    /// RFC 7162: VANISHED instead of EXPUNGE.
    pub qresync: bool,
    /// RFC 6855 (UTF8=ACCEPT), or IMAP4rev2: UTF-8 in quoted strings and
    /// mailbox names.
    pub utf8: bool,
    /// ENABLE UTF8=ACCEPT itself: SEARCH with CHARSET is then refused (RFC
    /// 6855 3; IMAP4rev2 alone keeps it).
    pub utf8_accept: bool,
    /// RFC 9051: IMAP4rev2's responses (`commands::rev2`).
    pub rev2: bool,
}

pub struct ImapSession {
    pub shared: Arc<BackEnd>,
    /// The user's mailbox database (its pool and its changes signal: IDLE
    /// waits on it, this session's writes bump it); nowhere until logon.
    pub home: Home,
    pub enabled: Enabled,
    pub out: Vec<u8>,
    pub user: Option<User>,
    pub selected: Option<Selected>,
    pub peer: SocketAddr,
    pub log: SessionLog,
}

/// What a command leaves the session to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterCommand {
    Continue,
    Close,
}

enum Wake {
    Input(std::io::Result<Incoming>),
    AccessChanged,
    Shutdown,
    Timeout,
}

impl ImapSession {
    pub fn tagged(&mut self, tag: &str, status: &str, text: &str) {
        out::tagged(&mut self.out, tag, status, text);
    }

    pub fn untagged(&mut self, text: &str) {
        out::line(&mut self.out, &format!("* {text}"));
    }

    pub fn show_hidden(&self) -> bool {
        self.shared.ctx.settings.show_hidden_folders_enabled
    }

    pub async fn flush(&mut self, io: &mut Io) -> std::io::Result<()> {
        if !self.out.is_empty() {
            if self.log.enabled() {
                let text = String::from_utf8_lossy(&self.out[..self.out.len().min(512)]).into_owned();
                self.log.note(Event::Sent, text.trim_end());
            }
            io.wr.write_all(&self.out).await?;
            self.out.clear();
            // A large response (a FETCH batch, a big body) does not keep
            // its buffer for the rest of the session.
            if self.out.capacity() > OUT_KEEP {
                self.out = Vec::with_capacity(OUT_KEEP / 4);
            }
        }
        io.wr.flush().await
    }

    /// A database failure during a command: Exchange's answer.
    pub fn store_failed(&mut self, tag: &str, e: &MailError) {
        eprintln!("mailsh: IMAP4 back end: mailbox database error: {e}");
        self.tagged(tag, "NO", texts::SERVER_UNAVAILABLE);
    }

    /// Runs the selected folder's sync on the pool and appends its output.
    pub async fn sync(&mut self, allow_expunge: bool) -> Result<(), MailError> {
        let Some(mut sel) = self.selected.take() else {
            return Ok(());
        };
        let enabled = self.enabled;
        let result = self
            .home
            .pool
            .run(move |db| {
                let mut out = Vec::new();
                let r = sel.sync(db, allow_expunge, enabled, &mut out);
                Ok((sel, out, r))
            })
            .await;
        match result {
            Ok((sel, bytes, r)) => {
                self.selected = Some(sel);
                self.out.extend_from_slice(&bytes);
                r
            }
            Err(e) => Err(e),
        }
    }

    fn timeout(&self) -> Duration {
        if self.user.is_some() { self.shared.ctx.auth_timeout() } else { self.shared.ctx.preauth_timeout() }
    }

    /// Re-reads the user's quotas (Set-Mailbox may have changed them).
    pub async fn refresh_quotas(&mut self) {
        let Some(guid) = self.user.as_ref().map(|u| u.guid.clone()) else { return };
        let found = self.shared.ctx.auth.with_store(move |st| st.mailbox_by_guid(&guid)).await;
        if let (Ok(Some(m)), Some(u)) = (found, self.user.as_mut()) {
            u.quotas = m.quotas;
        }
    }

    /// Whether the logged-on user may still use IMAP (checked when the
    /// config store changed).
    pub async fn still_allowed(&self) -> bool {
        match &self.user {
            Some(u) => {
                let ctx = &self.shared.ctx;
                ctx.auth.still_allowed(&u.guid, &ctx.mail, self.home.pool.path()).await.unwrap_or(true)
            }
            None => true,
        }
    }
}

pub async fn run(connection: Connection, shared: Arc<BackEnd>) -> std::io::Result<()> {
    let log = SessionLog::new(shared.ctx.log.clone(), &connection);
    let peer = connection.peer;
    let (rd, wr) = tokio::io::split(connection.stream);
    let max_line = shared.ctx.settings.max_command_size.clamp(1024, 65_536) as usize;
    let mut io = Io {
        reader: CommandReader::new(Limits { max_line, max_literal: max_line as u32 }),
        rd: BackRead::Plain(rd),
        wr: BackWrite::Plain(wr),
    };
    let home = shared.ctx.mail.nowhere();
    let mut s = ImapSession {
        shared,
        home,
        enabled: Enabled::default(),
        out: Vec::new(),
        user: None,
        selected: None,
        peer,
        log,
    };
    let banner = s.shared.ctx.settings.banner.clone();
    s.untagged(&format!("OK [CAPABILITY {}] {banner}", crate::engines::imap::capability::pre_auth(false, false)));
    s.flush(&mut io).await?;
    let mut access = s.shared.ctx.access.subscribe();
    let mut shutdown = s.shared.ctx.shutdown.clone();
    loop {
        let timeout = s.timeout();
        let wake = tokio::select! {
            r = io.reader.next(&mut io.rd, &mut io.wr) => Wake::Input(r),
            Ok(()) = access.changed() => Wake::AccessChanged,
            Ok(()) = shutdown.changed() => Wake::Shutdown,
            _ = tokio::time::sleep(timeout) => Wake::Timeout,
        };
        match wake {
            Wake::Input(Ok(incoming)) => {
                if super::dispatch::incoming(&mut s, &mut io, incoming).await? == AfterCommand::Close {
                    s.flush(&mut io).await?;
                    return Ok(());
                }
            }
            Wake::Input(Err(e)) => return Err(e),
            Wake::AccessChanged => {
                s.refresh_quotas().await;
                if !s.still_allowed().await {
                    out::line(&mut s.out, texts::ACCESS_REVOKED_BYE);
                    s.flush(&mut io).await?;
                    return Ok(());
                }
                continue;
            }
            Wake::Shutdown => {
                out::line(&mut s.out, texts::SHUTDOWN_BYE);
                s.flush(&mut io).await?;
                return Ok(());
            }
            Wake::Timeout => {
                out::line(&mut s.out, texts::IDLE_TIMEOUT_BYE);
                s.flush(&mut io).await?;
                return Ok(());
            }
        }
        s.flush(&mut io).await?;
        // Between commands a session keeps no room for responses: most
        // wait (IDLE) far longer than they answer.
        if s.out.capacity() > OUT_IDLE {
            s.out = Vec::new();
        }
        // After login, literals may carry whole messages (APPEND).
        if s.user.is_some() {
            io.reader.limits.max_literal = MAX_MESSAGE;
            io.reader.extensions = true;
        }
        io.reader.utf8 = s.enabled.utf8;
    }
}
