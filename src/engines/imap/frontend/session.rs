//! One client of the front end, from the greeting until it is relayed to
//! the back end (or leaves).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use imap_codec::imap_types::auth::{AuthMechanism, AuthenticateData};
use imap_codec::imap_types::command::CommandBody;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use super::backend_link::{BackendLink, LinkError};
use crate::engines::imap::backend::commands::authenticate::parse_plain;
use crate::engines::imap::wire::{CommandReader, Incoming, Limits, reader::is_done};
use crate::engines::imap::{capability, texts};
use crate::engines::net::protolog::Event;
use crate::engines::net::{EngineContext, LoginOutcome, ServerStream, UserSlot};
use crate::store::LoginType;

static NEXT_SESSION: AtomicU64 = AtomicU64::new(1);

/// Failed logins on one connection before it is closed.
const MAX_FAILURES: u32 = 4;

struct Front {
    ctx: Arc<EngineContext>,
    peer: SocketAddr,
    id: u64,
    failures: u32,
    /// Credentials were accepted but the back end could not be reached.
    orphaned: bool,
}

enum Step {
    Continue,
    Close,
    StartTls,
    Relay { link: BackendLink, slot: UserSlot },
}

pub async fn run(tcp: TcpStream, peer: SocketAddr, implicit_tls: bool, ctx: Arc<EngineContext>) -> std::io::Result<()> {
    let slot = match ctx.limits.admit(peer.ip()) {
        Ok(s) => s,
        Err(_) => {
            let mut tcp = tcp;
            let _ = tcp.write_all(b"* BYE Connection is closed. 14\r\n").await;
            return Ok(());
        }
    };
    let pre_auth = Duration::from_secs(ctx.settings.preauthenticated_connection_timeout.clamp(1, 3600) as u64);
    let mut stream = ServerStream::Plain(tcp);
    if implicit_tls {
        let Some(acceptor) = ctx.tls.clone() else { return Ok(()) };
        stream = match tokio::time::timeout(pre_auth, stream.into_tls(&acceptor)).await {
            Ok(Ok(s)) => s,
            _ => return Ok(()),
        };
    }
    let mut f = Front {
        ctx: ctx.clone(),
        peer,
        id: NEXT_SESSION.fetch_add(1, Ordering::Relaxed),
        failures: 0,
        orphaned: false,
    };
    f.log(Event::Connect, "");
    // RFC 3501 7.1: the capabilities in the greeting spare the client a
    // CAPABILITY round trip.
    let caps = capability::pre_auth(!stream.is_tls() && ctx.tls.is_some(), f.login_disabled(&stream));
    let banner = format!("* OK [CAPABILITY {caps}] {}\r\n", ctx.settings.banner);
    f.send(&mut stream, banner.as_bytes()).await?;
    let max_line = ctx.settings.max_command_size.clamp(1024, 65_536) as usize;
    let limits = Limits { max_line, max_literal: max_line as u32 };
    let mut reader = CommandReader::new(limits).tracking_leftover();
    let mut shutdown = ctx.shutdown.clone();
    loop {
        let waited = tokio::select! {
            r = tokio::time::timeout(pre_auth, reader.next_split(&mut stream)) => Some(r),
            Ok(()) = shutdown.changed() => None,
        };
        let incoming = match waited {
            Some(Ok(r)) => r?,
            Some(Err(_)) => {
                f.send(&mut stream, format!("{}\r\n", texts::IDLE_TIMEOUT_BYE).as_bytes()).await?;
                break;
            }
            None => {
                f.send(&mut stream, format!("{}\r\n", texts::SHUTDOWN_BYE).as_bytes()).await?;
                break;
            }
        };
        let step = f.handle(&mut stream, &mut reader, incoming).await?;
        match step {
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
            Step::Relay { link, slot: user_slot } => {
                let leftover = reader.leftover();
                // The reader's buffers are not needed while relaying.
                drop(reader);
                let backend = link.stream;
                let buffered = backend.buffer().to_vec();
                let backend = backend.into_inner();
                f.log(Event::Info, "relaying to the back end");
                let bye = format!("{}\r\n", texts::SHUTDOWN_BYE);
                let farewell =
                    crate::engines::net::relay::Farewell { shutdown: ctx.shutdown.clone(), message: bye.as_bytes() };
                let _ = crate::engines::net::relay::relay(stream, &leftover, backend, &buffered, Some(farewell)).await;
                drop(user_slot);
                f.log(Event::Disconnect, "");
                drop(slot);
                return Ok(());
            }
        }
    }
    f.log(Event::Disconnect, "");
    drop(slot);
    Ok(())
}

impl CommandReader {
    /// `next` on a stream that is both halves.
    async fn next_split(&mut self, stream: &mut ServerStream) -> std::io::Result<Incoming> {
        let (mut rd, mut wr) = tokio::io::split(stream);
        self.next(&mut rd, &mut wr).await
    }
}

impl Front {
    fn log(&self, event: Event, text: &str) {
        if self.ctx.log.enabled() {
            self.ctx.log.log(self.id, None, Some(self.peer), event, text);
        }
    }

    async fn send<W: AsyncWrite + Unpin>(&self, w: &mut W, bytes: &[u8]) -> std::io::Result<()> {
        self.log(Event::Sent, String::from_utf8_lossy(bytes).trim_end());
        w.write_all(bytes).await?;
        w.flush().await
    }

    async fn reply(&self, stream: &mut ServerStream, tag: &str, status: &str, text: &str) -> std::io::Result<()> {
        self.send(stream, format!("{tag} {status} {text}\r\n").as_bytes()).await
    }

    /// Plain-text credentials are refused on an unencrypted connection
    /// under SecureLogin.
    fn login_disabled(&self, stream: &ServerStream) -> bool {
        !stream.is_tls() && self.ctx.settings.login_type == LoginType::SecureLogin
    }

    async fn handle(
        &mut self,
        stream: &mut ServerStream,
        reader: &mut CommandReader,
        incoming: Incoming,
    ) -> std::io::Result<Step> {
        let cmd = match incoming {
            Incoming::Command(c) => c,
            Incoming::Closed => return Ok(Step::Close),
            Incoming::Invalid { tag, known_command } => {
                let text = if known_command { texts::ARGUMENT_ERROR } else { texts::COMMAND_ERROR };
                self.reply(stream, tag.as_deref().unwrap_or("*"), "BAD", text).await?;
                return Ok(Step::Continue);
            }
            Incoming::LiteralRefused { tag } => {
                self.reply(stream, tag.as_deref().unwrap_or("*"), "NO", texts::LITERAL_TOO_BIG).await?;
                return Ok(Step::Continue);
            }
            Incoming::Abusive { tag } => {
                self.reply(stream, tag.as_deref().unwrap_or("*"), "BAD", texts::COMMAND_ERROR).await?;
                self.send(stream, b"* BYE Connection is closed. 12\r\n").await?;
                return Ok(Step::Close);
            }
        };
        let tag = cmd.tag.inner().to_string();
        self.log(Event::Received, &format!("{tag} {}", cmd.name()));
        if self.orphaned && !matches!(cmd.body, CommandBody::Logout) {
            self.reply(stream, &tag, "BAD", texts::NOT_CONNECTED).await?;
            return Ok(Step::Continue);
        }
        match cmd.body {
            CommandBody::Capability => {
                let starttls = !stream.is_tls() && self.ctx.tls.is_some();
                let caps = capability::pre_auth(starttls, self.login_disabled(stream));
                self.send(stream, format!("* CAPABILITY {caps}\r\n").as_bytes()).await?;
                self.reply(stream, &tag, "OK", "CAPABILITY completed.").await?;
            }
            CommandBody::Noop => self.reply(stream, &tag, "OK", "NOOP completed.").await?,
            CommandBody::Id { .. } => {
                self.send(stream, b"* ID NIL\r\n").await?;
                self.reply(stream, &tag, "OK", "ID completed.").await?;
            }
            CommandBody::Logout => {
                self.send(stream, format!("{}\r\n", texts::LOGOUT_BYE).as_bytes()).await?;
                self.reply(stream, &tag, "OK", "LOGOUT completed.").await?;
                return Ok(Step::Close);
            }
            CommandBody::StartTLS => {
                if stream.is_tls() || self.ctx.tls.is_none() {
                    self.reply(stream, &tag, "BAD", texts::INVALID_STATE).await?;
                } else {
                    self.reply(stream, &tag, "OK", "Begin TLS negotiation now.").await?;
                    return Ok(Step::StartTls);
                }
            }
            CommandBody::Login { username, password } => {
                if self.login_disabled(stream) {
                    self.reply(stream, &tag, "BAD", texts::LOGIN_DISABLED).await?;
                    return Ok(Step::Continue);
                }
                let user = String::from_utf8_lossy(username.as_ref()).into_owned();
                let pass = String::from_utf8_lossy(password.declassify().as_ref()).into_owned();
                return self.log_in(stream, &tag, &user, &pass, "LOGIN", texts::LOGIN_FAILED).await;
            }
            CommandBody::Authenticate { mechanism, initial_response } => {
                if self.login_disabled(stream) {
                    self.reply(stream, &tag, "BAD", texts::LOGIN_DISABLED).await?;
                    return Ok(Step::Continue);
                }
                if mechanism != AuthMechanism::Plain {
                    self.reply(stream, &tag, "NO", texts::AUTHENTICATE_FAILED).await?;
                    return Ok(Step::Continue);
                }
                let data = match initial_response {
                    Some(d) => d.declassify().to_vec(),
                    None => {
                        self.send(stream, b"+ \r\n").await?;
                        let line = {
                            let (mut rd, _) = tokio::io::split(&mut *stream);
                            reader.next_line(&mut rd).await?
                        };
                        let Some(line) = line else { return Ok(Step::Close) };
                        if is_done(&line) {
                            self.reply(stream, &tag, "BAD", texts::ARGUMENT_ERROR).await?;
                            return Ok(Step::Continue);
                        }
                        match CommandReader::decode_auth_line(&line) {
                            Some(AuthenticateData::Continue(d)) => d.declassify().to_vec(),
                            Some(AuthenticateData::Cancel) => {
                                self.reply(stream, &tag, "BAD", "AUTHENTICATE cancelled.").await?;
                                return Ok(Step::Continue);
                            }
                            None => {
                                self.reply(stream, &tag, "BAD", texts::ARGUMENT_ERROR).await?;
                                return Ok(Step::Continue);
                            }
                        }
                    }
                };
                let Some((user, pass)) = parse_plain(&data) else {
                    return self.failed(stream, &tag, texts::AUTHENTICATE_FAILED).await;
                };
                return self.log_in(stream, &tag, &user, &pass, "AUTHENTICATE", texts::AUTHENTICATE_FAILED).await;
            }
            _ => self.reply(stream, &tag, "BAD", texts::INVALID_STATE).await?,
        }
        Ok(Step::Continue)
    }

    async fn failed(&mut self, stream: &mut ServerStream, tag: &str, text: &str) -> std::io::Result<Step> {
        self.failures += 1;
        let delay = self.ctx.delay.on_failure(self.peer.ip());
        tokio::time::sleep(delay).await;
        self.reply(stream, tag, "NO", text).await?;
        if self.failures >= MAX_FAILURES {
            self.send(stream, format!("{}\r\n", texts::TOO_MANY_FAILURES_BYE).as_bytes()).await?;
            return Ok(Step::Close);
        }
        Ok(Step::Continue)
    }

    async fn log_in(
        &mut self,
        stream: &mut ServerStream,
        tag: &str,
        user: &str,
        pass: &str,
        name: &str,
        failed: &str,
    ) -> std::io::Result<Step> {
        let mailbox = match self.ctx.auth.login(user, pass).await {
            LoginOutcome::Accepted(m) => m,
            LoginOutcome::Refused => return self.failed(stream, tag, failed).await,
            LoginOutcome::Unavailable(e) => {
                eprintln!("mailsh: IMAP4: the config store could not be read: {e}");
                self.reply(stream, tag, "NO", failed).await?;
                return Ok(Step::Continue);
            }
        };
        self.ctx.delay.on_success(self.peer.ip());
        let slot = match self.ctx.limits.admit_user(&mailbox.guid) {
            Ok(s) => s,
            Err(_) => {
                self.reply(stream, tag, "NO", failed).await?;
                return Ok(Step::Continue);
            }
        };
        let port = u16::try_from(self.ctx.settings.proxy_target_port).unwrap_or(0);
        match BackendLink::open(port, user, pass).await {
            Ok(link) => {
                // The capabilities change with login (RFC 3501 7.1).
                let text = format!("[CAPABILITY {}] {name} completed.", capability::POST_AUTH);
                self.reply(stream, tag, "OK", &text).await?;
                Ok(Step::Relay { link, slot })
            }
            Err(LinkError::Refused) => {
                self.reply(stream, tag, "NO", failed).await?;
                Ok(Step::Continue)
            }
            Err(LinkError::Unreachable) => {
                self.orphaned = true;
                self.reply(stream, tag, "NO", texts::LOGIN_FAILED).await?;
                Ok(Step::Continue)
            }
        }
    }
}
