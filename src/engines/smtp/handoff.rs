//! The Frontend Transport's hand-off: the message goes to a Transport
//! service over SMTP, and the client hears the Transport's final answer
//! (its `250` means "committed to the queue"). On a server with the
//! Mailbox role that is its own Transport, found in the address file it
//! writes at start; with the directory on PostgreSQL, the Transport of the
//! server holding the first recipient's mailbox database comes first, then
//! any other server's that runs (each publishes where it takes hand-offs,
//! `transports`), as Exchange 2013's Client Access servers proxy to a
//! Mailbox server. Every hand-off is proven with the organization's proxy
//! key both ways before any SMTP byte (`proxy_auth`), over TLS between
//! servers, so the Transport counts it as its own front end, not as one
//! more anonymous client, and the message goes to nobody else. A Transport
//! that cannot be reached or proven is tried after the next; none at all
//! is a temporary failure for the client to retry; nothing is kept here.
//!
//! The same SMTP exchange (`transfer`) carries a Transport's relay of mail
//! to another server's Transport (`intra_org`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

use super::session::Envelope;
use super::texts;
use super::transports::{self, Hop};
use crate::engines::net::auth::Authenticator;
use crate::engines::net::back_end_link::{self, BackEndStream, BackEndTarget};
use crate::engines::net::mail_databases::MailDatabases;
use crate::engines::net::proxy_auth::{Prover, ProxyKey};
use crate::store::queue::{MessageDsn, RecipientDsn};

/// A queue commit is an fsync; a reply later than this means trouble.
const REPLY: Duration = Duration::from_secs(120);

/// Connections kept for the next hand-off, at most.
const KEEP: usize = 16;
/// How long a kept connection is used again (the Transport ends an idle
/// session after 300 s).
const KEEP_FOR: Duration = Duration::from_secs(60);

/// How the Frontend Transport reaches a Transport.
pub struct Handoff {
    /// This server's Transport's address file (a server with the Mailbox
    /// role).
    pub own: Option<PathBuf>,
    /// This server has an address: its Transport takes hand-offs there,
    /// over TLS.
    pub own_tls: bool,
    /// The directory on PostgreSQL: other servers' Transports are found
    /// there.
    pub organization: bool,
    pub key: Arc<ProxyKey>,
    /// Proven and greeted connections whose last message went through,
    /// kept for the next one: a hand-off then costs one round trip for
    /// the envelope and one for the text, not a connection, the key's
    /// proof and EHLO besides.
    kept: Mutex<Vec<Kept>>,
}

struct Kept {
    target: BackEndTarget,
    helo: String,
    peer: BufReader<BackEndStream>,
    since: Instant,
}

/// What one attempt on a connection came to.
enum Attempt {
    Answered(String),
    /// It failed before the text was sent: nothing can have been queued.
    FailedBeforeText,
    Failed,
}

impl Handoff {
    pub fn new(own: Option<PathBuf>, own_tls: bool, organization: bool, key: Arc<ProxyKey>) -> Handoff {
        Handoff { own, own_tls, organization, key, kept: Mutex::new(Vec::new()) }
    }

    fn take(&self, target: &BackEndTarget, helo: &str) -> Option<BufReader<BackEndStream>> {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|k| k.since.elapsed() < KEEP_FOR);
        let at = kept.iter().rposition(|k| k.target == *target && k.helo == helo)?;
        Some(kept.swap_remove(at).peer)
    }

    fn keep(&self, target: &BackEndTarget, helo: &str, peer: BufReader<BackEndStream>) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() < KEEP {
            kept.push(Kept { target: target.clone(), helo: helo.to_string(), peer, since: Instant::now() });
        }
    }
}

/// The client's answer: the first Transport reached decides it.
pub async fn submit(
    to: &Handoff,
    directory: &Authenticator,
    mail: &MailDatabases,
    helo: &str,
    envelope: &Envelope,
    message: &[u8],
) -> String {
    let outgoing = Outgoing {
        sender: &envelope.sender,
        dsn: &envelope.dsn,
        smtputf8: envelope.smtputf8,
        submitter: envelope.submitter.as_deref(),
        transid: None,
        recipients: envelope.recipients.iter().map(|r| (r.address.as_str(), &r.dsn)).collect(),
    };
    for target in targets(to, directory, mail, envelope).await {
        // A kept connection first. One the Transport closed meanwhile
        // (it restarted, or ended the idle session) fails before the text
        // is sent, so nothing was queued and a new connection is tried.
        if let Some(peer) = to.take(&target, helo) {
            match attempt(to, peer, &target, helo, &outgoing, message).await {
                Attempt::Answered(reply) => return reply,
                Attempt::FailedBeforeText => {}
                Attempt::Failed => return texts::TRY_LATER.to_string(),
            }
        }
        let connected = async {
            let stream =
                back_end_link::connect_as(&target, &to.key, Prover::FrontEnd).await.map_err(std::io::Error::other)?;
            greeted(stream, helo).await
        };
        let Ok(Ok(peer)) = tokio::time::timeout(REPLY, connected).await else {
            eprintln!("mailsh: the Transport service at {} could not be reached", target.shown());
            continue;
        };
        return match attempt(to, peer, &target, helo, &outgoing, message).await {
            Attempt::Answered(reply) => reply,
            Attempt::FailedBeforeText | Attempt::Failed => texts::TRY_LATER.to_string(),
        };
    }
    texts::TRY_LATER.to_string()
}

/// One message on `peer`; the connection is kept when its transaction
/// went through.
async fn attempt(
    to: &Handoff,
    mut peer: BufReader<BackEndStream>,
    target: &BackEndTarget,
    helo: &str,
    outgoing: &Outgoing<'_>,
    message: &[u8],
) -> Attempt {
    match tokio::time::timeout(REPLY, transfer(&mut peer, outgoing, message, true)).await {
        Ok(Ok(done)) => {
            if done.data.is_some() {
                to.keep(target, helo, peer);
            } else if done.data_refused.as_ref().is_none_or(|(code, _)| *code != 354) {
                // After a 354 not followed by the text, only dropping the
                // connection abandons the message.
                let _ = peer.get_mut().write_all(b"QUIT\r\n").await;
            }
            Attempt::Answered(done.answer())
        }
        Ok(Err(e)) if !e.text_sent => Attempt::FailedBeforeText,
        _ => Attempt::Failed,
    }
}

/// The Transports to try, in order (`transports::ordered_for`); on a
/// SQLite store, this server's own only.
async fn targets(
    to: &Handoff,
    directory: &Authenticator,
    mail: &MailDatabases,
    envelope: &Envelope,
) -> Vec<BackEndTarget> {
    let own = to.own.as_deref().and_then(|file| transports::own(file, to.own_tls));
    if !to.organization {
        return own.into_iter().collect();
    }
    let (mail, guids) = (mail.clone(), envelope.recipients.iter().map(|r| r.mailbox_guid.clone()).collect::<Vec<_>>());
    let hops = match directory.with_store(move |s| transports::ordered_for(s, &mail, &guids)).await {
        Ok(hops) => hops,
        Err(e) => {
            eprintln!("mailsh: the organization's Transport services could not be read: {e}");
            vec![Hop::Own]
        }
    };
    hops.into_iter()
        .filter_map(|hop| match hop {
            Hop::Own => own.clone(),
            Hop::At(target) => Some(target),
        })
        .collect()
}

/// An envelope as it goes to another Transport.
pub(super) struct Outgoing<'a> {
    pub sender: &'a str,
    pub dsn: &'a MessageDsn,
    pub smtputf8: bool,
    /// Who submitted it (MAIL FROM's AUTH=, RFC 4954).
    pub submitter: Option<&'a str>,
    /// The submitter's name for the transaction (TRANSID, RFC 1845), so
    /// that the Transport queues a message submitted twice once.
    pub transid: Option<&'a str>,
    pub recipients: Vec<(&'a str, &'a RecipientDsn)>,
}

/// A reply: its code and its last line.
pub(super) type Reply = (u16, String);

/// What a Transport answered to one message.
pub(super) struct Transfer {
    pub sender: Reply,
    pub recipients: Vec<Reply>,
    /// DATA's final answer; None when the text was not sent (no recipient
    /// taken, or one refused in an all-or-nothing transfer).
    pub data: Option<Reply>,
    /// DATA's answer when it was refused before the text.
    pub data_refused: Option<Reply>,
}

impl Transfer {
    /// The answer for the client of an all-or-nothing transfer: the first
    /// refusal, else DATA's answer.
    fn answer(self) -> String {
        if self.sender.0 != 250 {
            return self.sender.1;
        }
        if let Some((_, text)) = self.recipients.into_iter().find(|(code, _)| *code != 250) {
            return text;
        }
        self.data.or(self.data_refused).map(|(_, text)| text).unwrap_or_else(|| texts::TRY_LATER.to_string())
    }
}

/// The greeting read and EHLO said: the connection is ready for `transfer`.
pub(super) async fn greeted<S: AsyncRead + AsyncWrite + Unpin>(stream: S, helo: &str) -> std::io::Result<BufReader<S>> {
    let mut peer = BufReader::new(stream);
    expect(&mut peer, 220).await?;
    peer.get_mut().write_all(format!("EHLO {helo}\r\n").as_bytes()).await?;
    peer.get_mut().flush().await?;
    expect(&mut peer, 250).await?;
    Ok(peer)
}

/// Why a transfer failed, and whether the message's text had gone out
/// (before it, the other side cannot have taken the message).
pub(super) struct TransferError {
    pub error: std::io::Error,
    pub text_sent: bool,
}

impl From<TransferError> for std::io::Error {
    fn from(e: TransferError) -> std::io::Error {
        e.error
    }
}

/// One message: the envelope and DATA in one write (the Transport offers
/// PIPELINING), the answers read in order, then the text if DATA was
/// taken. `all_or_nothing`: a refused recipient stops the message (the
/// connection must then be dropped, never completed: a `354` was given
/// and only an end of data, which would deliver, could follow). Otherwise
/// the text goes to the recipients taken. The DSN parameters go on as
/// the sender gave them.
pub(super) async fn transfer<S: AsyncRead + AsyncWrite + Unpin>(
    peer: &mut BufReader<S>,
    envelope: &Outgoing<'_>,
    message: &[u8],
    all_or_nothing: bool,
) -> Result<Transfer, TransferError> {
    let before_text = |error: std::io::Error| TransferError { error, text_sent: false };
    let envelope_sent = async {
        send_envelope(peer, envelope).await?;
        let sender = read_reply(peer).await?;
        let mut recipients = Vec::with_capacity(envelope.recipients.len());
        for _ in &envelope.recipients {
            recipients.push(read_reply(peer).await?);
        }
        let data = read_reply(peer).await?;
        Ok::<_, std::io::Error>((sender, recipients, data))
    };
    let (sender, recipients, data) = envelope_sent.await.map_err(before_text)?;
    let refused = sender.0 != 250 || recipients.iter().any(|(code, _)| *code != 250);
    if data.0 != 354 || (all_or_nothing && refused) {
        return Ok(Transfer { sender, recipients, data: None, data_refused: Some(data) });
    }
    let after_text = |error: std::io::Error| TransferError { error, text_sent: true };
    peer.get_mut().write_all(&dot_stuffed(message)).await.map_err(after_text)?;
    peer.get_mut().flush().await.map_err(after_text)?;
    let data = read_reply(peer).await.map_err(after_text)?;
    Ok(Transfer { sender, recipients, data: Some(data), data_refused: None })
}

/// MAIL, RCPT and DATA in one write.
async fn send_envelope<S: AsyncRead + AsyncWrite + Unpin>(
    peer: &mut BufReader<S>,
    envelope: &Outgoing<'_>,
) -> std::io::Result<()> {
    let mut commands = format!("MAIL FROM:<{}>{}", envelope.sender, mail_dsn_parameters(envelope.dsn));
    if envelope.smtputf8 {
        commands.push_str(" SMTPUTF8");
    }
    if let Some(user) = envelope.submitter {
        commands.push_str(&format!(" AUTH={}", xtext(user)));
    }
    if let Some(transid) = envelope.transid {
        commands.push_str(&format!(" TRANSID=<{transid}>"));
    }
    commands.push_str("\r\n");
    for (address, dsn) in &envelope.recipients {
        commands.push_str(&format!("RCPT TO:<{address}>{}\r\n", rcpt_dsn_parameters(dsn)));
    }
    commands.push_str("DATA\r\n");
    peer.get_mut().write_all(commands.as_bytes()).await?;
    peer.get_mut().flush().await
}

async fn expect<R: AsyncBufRead + Unpin>(peer: &mut R, code: u16) -> std::io::Result<()> {
    let (got, text) = read_reply(peer).await?;
    if got == code { Ok(()) } else { Err(std::io::Error::other(text)) }
}

/// One (possibly multi-line) reply: its code and its last line.
pub(super) async fn read_reply<R: AsyncBufRead + Unpin>(peer: &mut R) -> std::io::Result<(u16, String)> {
    let (code, mut lines) = read_reply_lines(peer).await?;
    Ok((code, lines.pop().unwrap_or_default()))
}

/// One (possibly multi-line) reply: its code and every line (an EHLO
/// reply's extensions).
pub(super) async fn read_reply_lines<R: AsyncBufRead + Unpin>(peer: &mut R) -> std::io::Result<(u16, Vec<String>)> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if peer.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let line = line.trim_end().to_string();
        let code =
            line.get(..3).and_then(|c| c.parse::<u16>().ok()).ok_or_else(|| std::io::Error::other("bad reply"))?;
        let last = line.as_bytes().get(3) != Some(&b'-');
        lines.push(line);
        if last {
            return Ok((code, lines));
        }
    }
}

/// ` RET=... ENVID=...` as MAIL FROM carries them (empty when the sender
/// gave neither).
pub(super) fn mail_dsn_parameters(dsn: &MessageDsn) -> String {
    let mut out = String::new();
    if !dsn.ret.is_empty() {
        out.push_str(&format!(" RET={}", dsn.ret));
    }
    if !dsn.envid.is_empty() {
        out.push_str(&format!(" ENVID={}", xtext(&dsn.envid)));
    }
    out
}

/// ` NOTIFY=... ORCPT=rfc822;...` as RCPT TO carries them.
pub(super) fn rcpt_dsn_parameters(dsn: &RecipientDsn) -> String {
    let mut out = String::new();
    if let Some(words) = dsn.notify_keywords() {
        out.push_str(&format!(" NOTIFY={words}"));
    }
    if !dsn.orcpt.is_empty() {
        out.push_str(&format!(" ORCPT=rfc822;{}", xtext(&dsn.orcpt)));
    }
    out
}

/// RFC 3461's xtext, as AUTH=, ENVID= and ORCPT= carry text: `+`, `=`
/// and what is not printable ASCII as `+HH`.
fn xtext(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if (33..=126).contains(&b) && b != b'+' && b != b'=' {
                (b as char).to_string()
            } else {
                format!("+{b:02X}")
            }
        })
        .collect()
}

/// The message as DATA sends it: lines starting with a dot get another,
/// CRLF at the end, then the lone dot.
pub(crate) fn dot_stuffed(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 64);
    let mut at_line_start = true;
    for &b in message {
        if at_line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        at_line_start = b == b'\n';
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::dot_stuffed;

    #[test]
    fn leading_dots_are_doubled_and_the_end_marked() {
        assert_eq!(dot_stuffed(b"a\r\n.b\r\n"), b"a\r\n..b\r\n.\r\n");
        assert_eq!(dot_stuffed(b".x"), b"..x\r\n.\r\n");
    }
}
