//! One SMTP session: reads commands (pipelined: every complete command in
//! the input is answered before the replies are flushed together), runs
//! each through its module in `commands/`, reads DATA, and says goodbye
//! (`421`) when the service stops.

use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::Arc;

use smtp_proto::request::receiver::{DataReceiver, RequestReceiver};
use smtp_proto::{Error as ParseError, Request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::commands;
use super::context::Shared;
use super::texts;
use crate::engines::net::listener::{Connection, PreAuth, SessionHandler, stopped};
use crate::engines::net::protolog::{Event, SessionLog};
use crate::engines::net::proxy_auth::Prover;
use crate::engines::net::{ListenerKind, ServerStream};
use crate::store::queue::{MessageDsn, RecipientDsn};
use crate::store::transport::ReceiveConnector;
use crate::store::{Mailbox, ProtocolLoggingLevel};

pub struct Smtp {
    pub shared: Arc<Shared>,
}

impl SessionHandler for Smtp {
    const REFUSAL: &'static [u8] = texts::TOO_MANY_CONNECTIONS;
    const BUSY: &'static [u8] = texts::BUSY_GREETING;
    const STRANGER: &'static [u8] = texts::STRANGER;

    async fn serve(self: Arc<Self>, connection: Connection) {
        // A connection on the hand-off listener has proven the proxy key
        // (the session manager saw to it): the Frontend Transport.
        let connector = match connection.kind {
            ListenerKind::Backend | ListenerKind::BackendTls => self.shared.handoff_connector.clone(),
            _ => self.shared.connector_for(connection.local, connection.peer),
        };
        let Some(connector) = connector else { return };
        let log = if connector.protocol_logging_level == ProtocolLoggingLevel::Verbose {
            SessionLog::new(self.shared.log.clone(), &connection)
        } else {
            SessionLog::off(&connection)
        };
        log.note(Event::Connect, "");
        log.note(Event::Info, &connector.name);
        let mut session = Session::new(self.shared.clone(), connector, connection, log);
        session.run().await;
        session.log.note(Event::Disconnect, "");
    }
}

/// A recipient accepted at RCPT.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub address: String,
    /// Empty for a recipient outside the organization.
    pub mailbox_guid: String,
    /// The send connector that carries it out (its row number); 0 for a
    /// mailbox.
    pub connector: i64,
    /// NOTIFY and ORCPT.
    pub dsn: RecipientDsn,
}

/// MAIL FROM to the end of DATA.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    pub sender: String,
    pub recipients: Vec<Accepted>,
    /// Who submitted it, when the client logged on: the Frontend Transport
    /// passes it on at the hand-off (MAIL FROM's AUTH=, RFC 4954).
    pub submitter: Option<String>,
    /// RET and ENVID.
    pub dsn: MessageDsn,
    /// (recipient, the mailbox it was redirected to) by ForwardingAddress.
    pub redirects: Vec<(String, String)>,
    /// (recipient as the sender named it, the mailbox's primary address)
    /// where the two differ: the Transport's categorizer delivers to the
    /// primary address and tracks RESOLVE.
    pub resolved: Vec<(String, String)>,
    /// The distribution groups the Transport's categorizer expanded, each
    /// with the members it added (tracked EXPAND).
    pub expanded: Vec<crate::store::groups::Expanded>,
    /// MAIL FROM's SMTPUTF8 (RFC 6531): addresses and header fields may be
    /// UTF-8.
    pub smtputf8: bool,
    /// The text received so far by BDAT (CHUNKING, RFC 3030); None until
    /// the first chunk. Emptied, and `chunks_too_big` set, once it passes
    /// the connector's MaxMessageSize.
    pub chunks: Option<Vec<u8>>,
    pub chunks_too_big: bool,
    /// MAIL FROM's TRANSID (RFC 1845), taken on a hand-off only: the
    /// Mailbox Transport Submission service's name for the transaction, so
    /// that a message it submits again is queued once (`QueueDb::enqueue_once`).
    pub transid: Option<String>,
}

impl Envelope {
    /// Some recipient was accepted: a mailbox or address, or a group
    /// (an empty group takes the message and delivers no copy).
    pub fn accepted_any(&self) -> bool {
        !self.recipients.is_empty() || !self.expanded.is_empty()
    }
}

/// What a command asks the session loop to do next.
pub enum Next {
    Continue,
    /// `354` was sent: the message text follows.
    Data,
    /// `220` was sent: the TLS handshake follows.
    StartTls,
    /// BDAT: `size` octets of message text follow at once; `keep` says
    /// whether they are kept (else read and dropped).
    Chunk {
        size: usize,
        last: bool,
        keep: bool,
    },
    /// A continuation was sent: the next line is the client's answer.
    AuthLine(commands::auth::Pending),
    Quit,
}

pub struct Session {
    pub shared: Arc<Shared>,
    pub connector: Arc<ReceiveConnector>,
    pub stream: Option<ServerStream>,
    pub peer: SocketAddr,
    /// A Frontend Transport or another server's Transport of the
    /// organization, proven by the proxy key.
    pub handoff: bool,
    /// Another server's Transport relaying mail it categorized already:
    /// its recipients are mailboxes of this server, named by their primary
    /// addresses, and forwarded where the message was first queued.
    pub categorized: bool,
    /// Replies not yet flushed.
    pub out: Vec<u8>,
    input: Vec<u8>,
    receiver: RequestReceiver,
    /// The EHLO/HELO name, once given.
    pub helo: Option<String>,
    pub user: Option<Box<Mailbox>>,
    /// The place in the budget of connections not logged on, given back at
    /// a successful AUTH.
    pub pre_auth: PreAuth,
    pub envelope: Option<Envelope>,
    /// The connector's SMTP receive log (Verbose), or nothing.
    pub log: SessionLog,
}

impl Session {
    fn new(shared: Arc<Shared>, connector: Arc<ReceiveConnector>, connection: Connection, log: SessionLog) -> Session {
        Session {
            shared,
            connector,
            peer: connection.peer,
            handoff: matches!(connection.kind, ListenerKind::Backend | ListenerKind::BackendTls),
            categorized: connection.prover == Some(Prover::Transport),
            stream: Some(connection.stream),
            out: Vec::with_capacity(512),
            input: Vec::with_capacity(4096),
            receiver: RequestReceiver::default(),
            helo: None,
            user: None,
            pre_auth: connection.pre_auth,
            envelope: None,
            log,
        }
    }

    pub fn reply(&mut self, line: &str) {
        self.log.note(Event::Sent, line);
        self.out.extend_from_slice(line.as_bytes());
        self.out.extend_from_slice(b"\r\n");
    }

    pub fn is_tls(&self) -> bool {
        self.stream.as_ref().is_some_and(|s| s.is_tls())
    }

    /// May this session submit mail without logging on? AnonymousUsers, or
    /// ExchangeServers for this store's Frontend Transport, which proved
    /// the proxy key on the hand-off listener (being on this machine proves
    /// nothing: every local account is).
    pub fn anonymous_allowed(&self) -> bool {
        self.connector.has_permission("AnonymousUsers")
            || (self.connector.has_permission("ExchangeServers") && self.handoff)
    }

    async fn flush(&mut self) -> bool {
        if self.out.is_empty() {
            return true;
        }
        let Some(stream) = self.stream.as_mut() else { return false };
        let ok = stream.write_all(&self.out).await.is_ok() && stream.flush().await.is_ok();
        self.out.clear();
        ok
    }

    /// Reads more input; false when the client is gone, timed out, or the
    /// service stops (then it was told so).
    async fn fill(&mut self) -> bool {
        if !self.flush().await {
            return false;
        }
        let mut stop = self.shared.shutdown.clone();
        let inactivity = self.shared.inactivity;
        let Some(stream) = self.stream.as_mut() else { return false };
        let mut chunk = [0u8; 16 * 1024];
        let read = tokio::select! {
            r = tokio::time::timeout(inactivity, stream.read(&mut chunk)) => r,
            () = stopped(&mut stop) => {
                self.reply(texts::SHUTTING_DOWN);
                self.flush().await;
                return false;
            }
        };
        match read {
            Ok(Ok(0)) | Ok(Err(_)) => false,
            Ok(Ok(n)) => {
                self.input.extend_from_slice(&chunk[..n]);
                true
            }
            Err(_) => {
                self.reply(texts::TIMEOUT);
                self.flush().await;
                false
            }
        }
    }

    async fn run(&mut self) {
        let greeting = match &self.connector.banner {
            Some(b) if !b.trim().is_empty() => b.clone(),
            _ => format!(
                "220 {} {} {}",
                self.connector.fqdn,
                texts::READY_SUFFIX,
                chrono::Utc::now().format("%a, %-d %b %Y %H:%M:%S %z")
            ),
        };
        self.reply(&greeting);
        loop {
            let next = match self.next_request() {
                Some(Ok(request)) => {
                    if self.log.enabled() {
                        self.log.note(Event::Received, &commands::logged(&request));
                    }
                    commands::dispatch(self, request).await
                }
                Some(Err(line)) => {
                    self.reply(&line);
                    Next::Continue
                }
                None => {
                    if !self.fill().await {
                        return;
                    }
                    continue;
                }
            };
            match next {
                Next::Continue => {}
                Next::Quit => {
                    self.flush().await;
                    return;
                }
                Next::Data => {
                    let Some(body) = self.read_data().await else { return };
                    commands::data::finish(self, body).await;
                }
                Next::StartTls => {
                    if !self.flush().await {
                        return;
                    }
                    // Pipelined bytes after STARTTLS are discarded (RFC 3207).
                    self.input.clear();
                    self.receiver = RequestReceiver::default();
                    let Some(plain) = self.stream.take() else { return };
                    let handshake =
                        tokio::time::timeout(self.shared.handshake_timeout, plain.into_tls(&self.shared.tls));
                    match handshake.await {
                        Ok(Ok(tls)) => self.stream = Some(tls),
                        _ => return,
                    }
                    // The session starts over: a new EHLO is required.
                    self.helo = None;
                    self.envelope = None;
                }
                Next::Chunk { size, last, keep } => {
                    let Some(chunk) = self.read_chunk(size, keep).await else { return };
                    commands::bdat::received(self, chunk, size, last).await;
                }
                Next::AuthLine(pending) => {
                    let Some(line) = self.read_auth_line().await else { return };
                    commands::auth::answer(self, pending, line).await;
                }
            }
        }
    }

    /// The next complete command in the input, or None when more is needed.
    fn next_request(&mut self) -> Option<Result<Request<String>, Cow<'static, str>>> {
        if self.input.is_empty() {
            return None;
        }
        let mut bytes = self.input.iter();
        let parsed = self.receiver.ingest(&mut bytes).map(|r| r.into_owned());
        let left = bytes.as_slice().len();
        let consumed = self.input.len() - left;
        self.input.drain(..consumed);
        match parsed {
            Ok(r) => Some(Ok(r)),
            Err(ParseError::NeedsMoreData { .. }) => None,
            Err(ParseError::UnknownCommand) => Some(Err(texts::UNRECOGNIZED.into())),
            Err(ParseError::InvalidSenderAddress) => Some(Err(texts::INVALID_SENDER.into())),
            Err(ParseError::InvalidRecipientAddress) => Some(Err(texts::INVALID_RECIPIENT.into())),
            Err(ParseError::ResponseTooLong) => Some(Err(texts::LINE_TOO_LONG.into())),
            Err(ParseError::UnsupportedParameter { param }) => Some(Err(texts::unsupported_option(&param).into())),
            Err(_) => Some(Err(texts::INVALID_ARGUMENTS.into())),
        }
    }

    /// One line of input (an AUTH answer), without its CRLF.
    /// The client's answer to an AUTH challenge: logged masked.
    pub async fn read_auth_line(&mut self) -> Option<String> {
        let line = self.read_line().await?;
        self.log.note(Event::Received, "****");
        Some(line)
    }

    async fn read_line(&mut self) -> Option<String> {
        loop {
            if let Some(at) = self.input.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.input.drain(..=at).collect();
                let text = String::from_utf8_lossy(&line).trim_end_matches(['\r', '\n']).to_string();
                return Some(text);
            }
            if self.input.len() > 12 * 1024 || !self.fill().await {
                return None;
            }
        }
    }

    /// The `size` octets of a BDAT chunk (as sent: no dot-stuffing), or
    /// none when they are not kept; None when the client went away.
    async fn read_chunk(&mut self, size: usize, keep: bool) -> Option<Vec<u8>> {
        let mut chunk = Vec::with_capacity(if keep { size.min(1 << 20) } else { 0 });
        let mut left = size;
        loop {
            let take = left.min(self.input.len());
            if keep {
                chunk.extend_from_slice(&self.input[..take]);
            }
            self.input.drain(..take);
            left -= take;
            if left == 0 {
                return Some(chunk);
            }
            if !self.fill().await {
                return None;
            }
        }
    }

    /// The message text up to the lone dot, unstuffed; None when the
    /// client went away. Past the connector's MaxMessageSize the text is
    /// read and dropped, and the answer is `552`.
    async fn read_data(&mut self) -> Option<DataOutcome> {
        let limit = self.connector.max_message_size as usize;
        let mut receiver = DataReceiver::new();
        let mut body = Vec::new();
        let mut too_big = false;
        loop {
            let mut bytes = self.input.iter();
            let done = receiver.ingest(&mut bytes, &mut body);
            let consumed = self.input.len() - bytes.as_slice().len();
            self.input.drain(..consumed);
            if body.len() > limit {
                too_big = true;
                body.clear();
            }
            if done {
                return Some(if too_big { DataOutcome::TooBig } else { DataOutcome::Message(body) });
            }
            if !self.fill().await {
                return None;
            }
        }
    }
}

pub enum DataOutcome {
    Message(Vec<u8>),
    TooBig,
}
