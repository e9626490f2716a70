//! One client of the front end, from the greeting until it is relayed to
//! the back end (or leaves): the read loop, the pre-auth timeout, the stop
//! signal, STARTTLS, and the hand-over to the relay. Each command is in
//! `commands/`.

use std::net::SocketAddr;
use std::sync::Arc;

use imap_codec::imap_types::command::CommandBody;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::FrontEnd;
use super::backend_link::BackendLink;
use super::commands;
use crate::engines::imap::wire::{CommandReader, Incoming, Limits};
use crate::engines::imap::{capability, texts};
use crate::engines::net::listener::{Connection, stopped};
use crate::engines::net::protolog::{Event, SessionLog};
use crate::engines::net::relay::{self, Farewell};
use crate::engines::net::{EngineContext, ServerStream, UserSlot};
use crate::store::LoginType;

/// One client before it is relayed.
pub struct PreAuthSession {
    pub front: Arc<FrontEnd>,
    pub log: SessionLog,
    pub peer: SocketAddr,
    /// Failed logins on this connection.
    pub failures: u32,
    /// Credentials were accepted but the back end could not be reached.
    pub orphaned: bool,
    /// The last command was AUTHENTICATE: whatever it was answered, the
    /// next line may be a SASL response (credentials), so nothing of it
    /// reaches the protocol log.
    after_authenticate: bool,
    /// Hidden in the log lines of this command's answers (the "tag" of a
    /// line that followed AUTHENTICATE is whatever the client sent).
    hide: Option<String>,
}

/// What a command leaves the session to do.
pub enum Step {
    Continue,
    Close,
    StartTls,
    Relay { link: BackendLink, slot: UserSlot },
}

pub async fn run(connection: Connection, front: Arc<FrontEnd>) -> std::io::Result<()> {
    let log = SessionLog::new(front.ctx.log.clone(), &connection);
    let pre_auth = front.ctx.preauth_timeout();
    let mut budget = connection.pre_auth;
    let mut stream = connection.stream;
    let mut s = PreAuthSession {
        front: front.clone(),
        log,
        peer: connection.peer,
        failures: 0,
        orphaned: false,
        after_authenticate: false,
        hide: None,
    };
    let ctx = &front.ctx;
    s.log.note(Event::Connect, "");
    // RFC 3501 7.1: the capabilities in the greeting spare the client a
    // CAPABILITY round trip.
    let banner = format!("* OK [CAPABILITY {}] {}\r\n", s.capabilities(&stream), ctx.settings.banner);
    s.send(&mut stream, banner.as_bytes()).await?;
    let max_line = ctx.settings.max_command_size.clamp(1024, 65_536) as usize;
    let limits = Limits { max_line, max_literal: max_line as u32 };
    let mut reader = CommandReader::new(limits).tracking_leftover();
    let mut shutdown = ctx.shutdown.clone();
    loop {
        let waited = tokio::select! {
            r = tokio::time::timeout(pre_auth, reader.next_split(&mut stream)) => Some(r),
            () = stopped(&mut shutdown) => None,
        };
        let incoming = match waited {
            Some(Ok(r)) => r?,
            Some(Err(_)) => {
                s.send(&mut stream, format!("{}\r\n", texts::IDLE_TIMEOUT_BYE).as_bytes()).await?;
                break;
            }
            None => {
                s.send(&mut stream, format!("{}\r\n", texts::SHUTDOWN_BYE).as_bytes()).await?;
                break;
            }
        };
        match s.handle(&mut stream, &mut reader, incoming).await? {
            Step::Continue => {}
            Step::Close => break,
            Step::StartTls => {
                let Some(acceptor) = ctx.tls.clone() else { break };
                stream = match tokio::time::timeout(pre_auth, stream.into_tls(&acceptor)).await {
                    Ok(Ok(s)) => s,
                    _ => break,
                };
                // Anything sent before the handshake is discarded (no
                // command injection across STARTTLS).
                reader = CommandReader::new(limits).tracking_leftover();
            }
            Step::Relay { link, slot: _user_slot } => {
                budget.logged_on();
                let leftover = reader.leftover();
                // The reader's buffers are not needed while relaying.
                drop(reader);
                let backend = link.stream;
                let buffered = backend.buffer().to_vec();
                let backend = backend.into_inner();
                s.log.note(Event::Info, "relaying to the back end");
                let bye = format!("{}\r\n", texts::SHUTDOWN_BYE);
                let farewell = Farewell { shutdown: ctx.shutdown.clone(), message: bye.as_bytes() };
                let _ = relay::relay(stream, &leftover, backend, &buffered, Some(farewell)).await;
                break;
            }
        }
    }
    s.log.note(Event::Disconnect, "");
    Ok(())
}

impl CommandReader {
    /// `next` on a stream that is both halves.
    async fn next_split(&mut self, stream: &mut ServerStream) -> std::io::Result<Incoming> {
        let (mut rd, mut wr) = tokio::io::split(stream);
        self.next(&mut rd, &mut wr).await
    }
}

impl PreAuthSession {
    pub fn ctx(&self) -> &EngineContext {
        &self.front.ctx
    }

    pub async fn send<W: AsyncWrite + Unpin>(&self, w: &mut W, bytes: &[u8]) -> std::io::Result<()> {
        if self.log.enabled() {
            let text = String::from_utf8_lossy(bytes);
            match self.hide.as_deref().filter(|h| !h.is_empty()) {
                Some(hidden) => self.log.note(Event::Sent, text.replace(hidden, "****").trim_end()),
                None => self.log.note(Event::Sent, text.trim_end()),
            }
        }
        w.write_all(bytes).await?;
        w.flush().await
    }

    pub async fn reply(&self, stream: &mut ServerStream, tag: &str, status: &str, text: &str) -> std::io::Result<()> {
        self.send(stream, format!("{tag} {status} {text}\r\n").as_bytes()).await
    }

    /// Plain-text credentials are refused on an unencrypted connection
    /// under SecureLogin.
    pub fn login_disabled(&self, stream: &ServerStream) -> bool {
        !stream.is_tls() && self.ctx().settings.login_type == LoginType::SecureLogin
    }

    /// What CAPABILITY answers on this connection now (the greeting says it
    /// too): STARTTLS while the connection is plain and TLS is configured;
    /// LOGINDISABLED instead of AUTH=PLAIN where SecureLogin refuses
    /// plain-text credentials.
    pub fn capabilities(&self, stream: &ServerStream) -> String {
        let starttls = !stream.is_tls() && self.ctx().tls.is_some();
        capability::pre_auth(starttls, self.login_disabled(stream))
    }

    async fn handle(
        &mut self,
        stream: &mut ServerStream,
        reader: &mut CommandReader,
        incoming: Incoming,
    ) -> std::io::Result<Step> {
        let secret = std::mem::take(&mut self.after_authenticate);
        if let Some(bad) = incoming.bad_input_reply() {
            if secret {
                self.log.note(Event::Received, "****");
                self.hide = incoming_tag(&incoming);
            }
            let sent = self.send(stream, &bad.bytes).await;
            self.hide = None;
            sent?;
            return Ok(if bad.closes { Step::Close } else { Step::Continue });
        }
        let Incoming::Command(cmd) = incoming else { return Ok(Step::Close) };
        let tag = cmd.tag.inner().to_string();
        if secret {
            self.log.note(Event::Received, "****");
            self.hide = Some(tag.clone());
        } else {
            self.log.note(Event::Received, &format!("{tag} {}", cmd.name()));
        }
        self.after_authenticate = matches!(cmd.body, CommandBody::Authenticate { .. });
        let step = commands::run(self, stream, reader, &tag, cmd.body).await;
        self.hide = None;
        step
    }
}

/// The tag the reader made out of input that is not a command.
fn incoming_tag(incoming: &Incoming) -> Option<String> {
    match incoming {
        Incoming::Invalid { tag, .. } | Incoming::LiteralRefused { tag } | Incoming::Abusive { tag } => tag.clone(),
        Incoming::Extended { tag, .. } => Some(tag.clone()),
        Incoming::Command(_) | Incoming::Closed => None,
    }
}
