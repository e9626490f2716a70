//! A smart host's connection as the Transport's sending task speaks on it:
//! commands and replies written to the send log (never the message text),
//! EHLO's extensions, and STARTTLS. As Exchange's send connectors do by
//! default, TLS is opportunistic: taken whenever the smart host offers
//! STARTTLS, its certificate not checked (it encrypts against a passive
//! listener; it does not prove who the smart host is), and the session
//! goes on in plain text when TLS is not offered. A connector with
//! RequireTLS sends only over TLS, and with TlsAuthLevel
//! CertificateValidation only to a certificate the system's roots trust,
//! DomainValidation also naming TlsDomain.

use std::sync::{Arc, OnceLock};

use rustls::ClientConfig;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

use super::handoff::{dot_stuffed, read_reply, read_reply_lines};
use crate::engines::net::protolog::{Event, SessionLog};
use crate::store::tls_client::CertCheck;

/// A byte stream the session runs on: TCP, or TLS over it.
pub trait Wire: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Wire for T {}

/// A smart host's connection, with the send log of what is said on it.
pub struct Peer {
    stream: BufReader<Box<dyn Wire>>,
    pub log: SessionLog,
    /// The smart host as the connector names it (TLS's server name).
    host: String,
    tls: bool,
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

    /// Whether AUTH lists `mechanism`.
    pub fn offers_auth(&self, mechanism: &str) -> bool {
        self.0.iter().any(|l| {
            let mut words = l.get(4..).unwrap_or_default().split_ascii_whitespace();
            words.next().is_some_and(|w| w.eq_ignore_ascii_case("AUTH"))
                && words.any(|m| m.eq_ignore_ascii_case(mechanism))
        })
    }
}

impl Peer {
    pub fn new(stream: Box<dyn Wire>, log: SessionLog, host: &str) -> Peer {
        Peer { stream: BufReader::new(stream), log, host: host.to_string(), tls: false }
    }

    /// One command line (the message text is written by [`Peer::data`]).
    pub async fn say(&mut self, line: &str) -> std::io::Result<()> {
        self.log.note(Event::Sent, line);
        self.stream.get_mut().write_all(format!("{line}\r\n").as_bytes()).await
    }

    /// A line with a secret (AUTH's): the log shows `shown` instead.
    pub async fn say_secret(&mut self, line: &str, shown: &str) -> std::io::Result<()> {
        self.log.note(Event::Sent, shown);
        self.stream.get_mut().write_all(format!("{line}\r\n").as_bytes()).await
    }

    /// BasicAuth: AUTH PLAIN (else LOGIN) with the connector's account;
    /// None when logged on, else the reply that says why not (the mail
    /// waits).
    pub async fn log_on(
        &mut self,
        offered: &Extensions,
        user: &str,
        password: &str,
    ) -> std::io::Result<Option<String>> {
        use base64::Engine as _;
        let b64 = |s: &[u8]| base64::engine::general_purpose::STANDARD.encode(s);
        let (code, reply) = if offered.offers_auth("PLAIN") {
            let token = b64(format!("\0{user}\0{password}").as_bytes());
            self.say_secret(&format!("AUTH PLAIN {token}"), "AUTH PLAIN ****").await?;
            self.hear().await?
        } else if offered.offers_auth("LOGIN") {
            self.say("AUTH LOGIN").await?;
            let (code, reply) = self.hear().await?;
            if code != 334 {
                return Ok(Some(reply));
            }
            self.say_secret(&b64(user.as_bytes()), "****").await?;
            let (code, reply) = self.hear().await?;
            if code != 334 {
                return Ok(Some(reply));
            }
            self.say_secret(&b64(password.as_bytes()), "****").await?;
            self.hear().await?
        } else {
            return Ok(Some(super::texts::SMART_HOST_NO_BASIC_AUTH.to_string()));
        };
        Ok(if code == 235 { None } else { Some(reply) })
    }

    /// Whether the session runs over TLS now.
    pub fn is_tls(&self) -> bool {
        self.tls
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
    /// the session goes on with. Opportunistic: a smart host that does not
    /// offer STARTTLS, or refuses it, is spoken to in plain text. Required:
    /// None then (the mail waits). A handshake that fails (a certificate
    /// the policy refuses) is an error: the next smart host is tried.
    pub async fn start_tls(
        &mut self,
        helo: &str,
        offered: Extensions,
        policy: &TlsPolicy,
    ) -> std::io::Result<Option<(u16, Extensions)>> {
        let config = match policy {
            TlsPolicy::Opportunistic => opportunistic(),
            TlsPolicy::Plain => None,
            TlsPolicy::Required { validation, .. } => validating(*validation),
        };
        let Some(config) = config.filter(|_| offered.offers("STARTTLS")) else {
            return Ok(if policy.required() { None } else { Some((250, offered)) });
        };
        self.say("STARTTLS").await?;
        let (code, _) = self.hear().await?;
        if code != 220 {
            return Ok(if policy.required() { None } else { Some((250, offered)) });
        }
        // DomainValidation checks the certificate against TlsDomain.
        let name_text = match policy {
            TlsPolicy::Required { domain: Some(d), .. } => d.clone(),
            _ => self.host.clone(),
        };
        let name =
            ServerName::try_from(name_text.clone()).map_err(|e| std::io::Error::other(format!("{name_text}: {e}")))?;
        let placeholder: Box<dyn Wire> = Box::new(tokio::io::duplex(1).0);
        let plain = std::mem::replace(&mut self.stream, BufReader::new(placeholder)).into_inner();
        let tls = tokio_rustls::TlsConnector::from(config)
            .connect(name, plain)
            .await
            .map_err(|e| std::io::Error::other(HostTrouble::TlsHandshake(e.to_string())))?;
        self.stream = BufReader::new(Box::new(tls));
        self.tls = true;
        self.log.note(Event::Info, "TLS negotiated");
        self.ehlo(helo).await.map(Some)
    }
}

/// How a connector takes TLS (RequireTLS, TlsAuthLevel, TlsDomain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsPolicy {
    Opportunistic,
    /// Opportunistic TLS whose handshake failed with this smart host: the
    /// next attempt goes without it, as Exchange falls back.
    Plain,
    Required {
        validation: Validation,
        domain: Option<String>,
    },
}

/// Why a smart host did not take the message, when the sending task does
/// something about it (tries again without TLS, or fails the message
/// only when no smart host offers SMTPUTF8).
#[derive(Debug, thiserror::Error)]
pub enum HostTrouble {
    #[error("TLS negotiation failed: {0}")]
    TlsHandshake(String),
    #[error("the smart host does not offer SMTPUTF8")]
    NoSmtpUtf8,
}

impl HostTrouble {
    /// The trouble an error of a session carries, if any.
    pub fn of(e: &std::io::Error) -> Option<&HostTrouble> {
        e.get_ref().and_then(|inner| inner.downcast_ref::<HostTrouble>())
    }
}

/// What of the smart host's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validation {
    /// EncryptionOnly (or no TlsAuthLevel): nothing.
    None,
    /// CertificateValidation: a chain to the system's roots.
    Chain,
    /// DomainValidation: that, and the name TlsDomain.
    Domain,
}

impl TlsPolicy {
    pub fn of(c: &crate::store::send_connectors::SendConnector) -> TlsPolicy {
        if !c.require_tls {
            return TlsPolicy::Opportunistic;
        }
        let validation = match c.tls_auth_level.as_deref() {
            Some("CertificateValidation") => Validation::Chain,
            Some("DomainValidation") => Validation::Domain,
            _ => Validation::None,
        };
        let domain = c.tls_domain.clone().filter(|_| validation == Validation::Domain);
        TlsPolicy::Required { validation, domain }
    }

    pub fn required(&self) -> bool {
        matches!(self, TlsPolicy::Required { .. })
    }
}

/// The TLS client of a required TLS's validation level; None if rustls
/// cannot be set up (then a required TLS is not available: the mail
/// waits).
fn validating(validation: Validation) -> Option<Arc<ClientConfig>> {
    // Made once per level: the system's roots are read from disk.
    static CHAIN: OnceLock<Option<Arc<ClientConfig>>> = OnceLock::new();
    static DOMAIN: OnceLock<Option<Arc<ClientConfig>>> = OnceLock::new();
    match validation {
        Validation::None => opportunistic(),
        Validation::Chain => CHAIN.get_or_init(|| build_validating(validation)).clone(),
        Validation::Domain => DOMAIN.get_or_init(|| build_validating(validation)).clone(),
    }
}

fn build_validating(validation: Validation) -> Option<Arc<ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = crate::store::tls_client::roots(&[]);
    let verifier: Arc<dyn ServerCertVerifier> = if validation == Validation::Chain {
        Arc::new(CertCheck::chain_only(&provider, roots)?)
    } else {
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build().ok()?
    };
    ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map(|b| Arc::new(b.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth()))
        .ok()
}

/// The TLS client of opportunistic TLS: any certificate accepted, the
/// handshake's signatures checked. None if rustls cannot be set up (then
/// the session stays in plain text, as with a smart host without TLS).
fn opportunistic() -> Option<Arc<ClientConfig>> {
    crate::store::tls_client::client_accepting_any()
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
