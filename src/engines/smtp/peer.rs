//! A smart host's connection as the Transport's sending task speaks on it:
//! commands and replies written to the send log (never the message text),
//! EHLO's extensions, and STARTTLS. As Exchange's send connectors do by
//! default, TLS is opportunistic: taken whenever the smart host offers
//! STARTTLS, its certificate not checked (it encrypts against a passive
//! listener; it does not prove who the smart host is), and the session
//! goes on in plain text when TLS is not offered.

use std::sync::{Arc, OnceLock};

use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

use super::handoff::{dot_stuffed, read_reply, read_reply_lines};
use crate::engines::net::protolog::{Event, SessionLog};

/// A byte stream the session runs on: TCP, or TLS over it.
pub trait Wire: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Wire for T {}

/// A smart host's connection, with the send log of what is said on it.
pub struct Peer {
    stream: BufReader<Box<dyn Wire>>,
    pub log: SessionLog,
    /// The smart host as the connector names it (TLS's server name).
    host: String,
}

/// What EHLO's reply offers.
pub struct Extensions(Vec<String>);

impl Extensions {
    /// The extensions of a 250 reply; none for another.
    pub fn of(code: u16, lines: Vec<String>) -> Extensions {
        Extensions(if code == 250 { lines.into_iter().skip(1).collect() } else { Vec::new() })
    }

    pub fn offers(&self, name: &str) -> bool {
        self.0.iter().any(|l| {
            l.get(4..).and_then(|e| e.split_ascii_whitespace().next()).is_some_and(|e| e.eq_ignore_ascii_case(name))
        })
    }
}

impl Peer {
    pub fn new(stream: Box<dyn Wire>, log: SessionLog, host: &str) -> Peer {
        Peer { stream: BufReader::new(stream), log, host: host.to_string() }
    }

    /// One command line (the message text is written by [`Peer::data`]).
    pub async fn say(&mut self, line: &str) -> std::io::Result<()> {
        self.log.note(Event::Sent, line);
        self.stream.get_mut().write_all(format!("{line}\r\n").as_bytes()).await
    }

    /// The message text, dot-stuffed: only its size is logged.
    pub async fn data(&mut self, raw: &[u8]) -> std::io::Result<()> {
        self.log.note(Event::Info, &format!("sending {} bytes of message data", raw.len()));
        self.stream.get_mut().write_all(&dot_stuffed(raw)).await
    }

    pub async fn hear(&mut self) -> std::io::Result<(u16, String)> {
        let (code, reply) = read_reply(&mut self.stream).await?;
        self.log.note(Event::Received, &reply);
        Ok((code, reply))
    }

    /// EHLO, and what the reply offers (its code too: not 250, HELO next).
    pub async fn ehlo(&mut self, helo: &str) -> std::io::Result<(u16, Extensions)> {
        self.say(&format!("EHLO {helo}")).await?;
        let (code, lines) = read_reply_lines(&mut self.stream).await?;
        for line in &lines {
            self.log.note(Event::Received, line);
        }
        Ok((code, Extensions::of(code, lines)))
    }

    /// STARTTLS when `offered`, then EHLO again over TLS; the extensions
    /// the session goes on with. A smart host that offers STARTTLS and then
    /// refuses it is spoken to in plain text; one whose handshake fails is
    /// an error (the next smart host is tried).
    pub async fn start_tls(&mut self, helo: &str, offered: Extensions) -> std::io::Result<(u16, Extensions)> {
        let Some(config) = opportunistic().filter(|_| offered.offers("STARTTLS")) else {
            return Ok((250, offered));
        };
        self.say("STARTTLS").await?;
        let (code, _) = self.hear().await?;
        if code != 220 {
            return Ok((250, offered));
        }
        let name = ServerName::try_from(self.host.clone())
            .map_err(|e| std::io::Error::other(format!("{}: {e}", self.host)))?;
        let placeholder: Box<dyn Wire> = Box::new(tokio::io::duplex(1).0);
        let plain = std::mem::replace(&mut self.stream, BufReader::new(placeholder)).into_inner();
        let tls = tokio_rustls::TlsConnector::from(config).connect(name, plain).await?;
        self.stream = BufReader::new(Box::new(tls));
        self.log.note(Event::Info, "TLS negotiated");
        self.ehlo(helo).await
    }
}

/// The TLS client of opportunistic TLS: any certificate accepted, the
/// handshake's signatures checked. None if rustls cannot be set up (then
/// the session stays in plain text, as with a smart host without TLS).
fn opportunistic() -> Option<Arc<ClientConfig>> {
    static CONFIG: OnceLock<Option<Arc<ClientConfig>>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let verifier = Arc::new(crate::engines::probe::TrustAny::new(&provider));
            ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map(|b| Arc::new(b.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth()))
                .ok()
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extension_is_offered_by_its_keyword_whatever_follows_it() {
        let lines = ["250-cas01 Hello", "250-SIZE 1024", "250-STARTTLS", "250 AUTH LOGIN PLAIN"];
        let ext = Extensions::of(250, lines.iter().map(|s| s.to_string()).collect());
        assert!(ext.offers("starttls") && ext.offers("AUTH") && ext.offers("SIZE"));
        assert!(!ext.offers("cas01") && !ext.offers("DSN"));
        assert!(!Extensions::of(502, lines.iter().map(|s| s.to_string()).collect()).offers("STARTTLS"));
    }
}
