//! The Frontend Transport's hand-off: the message goes to the Transport
//! service over SMTP, and the client hears the Transport's final answer
//! (its `250` means "committed to the queue"). The Transport's hand-off
//! listener is found in its address file and proven with the store's
//! proxy key both ways before any SMTP byte (`proxy_auth`), so the
//! Transport counts the hand-off as its own front end, not as one more
//! anonymous client of 127.0.0.1, and the message goes to nobody else. A
//! Transport that cannot be reached or proven is a temporary failure for
//! the client to retry; nothing is kept here.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::context::Handoff;
use super::session::Envelope;
use super::texts;
use crate::engines::net::proxy_auth;
use crate::store::queue::{MessageDsn, RecipientDsn};

const CONNECT: Duration = Duration::from_secs(10);
/// A queue commit is an fsync; a reply later than this means trouble.
const REPLY: Duration = Duration::from_secs(120);

pub async fn submit(to: &Handoff, helo: &str, envelope: &Envelope, message: &[u8]) -> String {
    match tokio::time::timeout(REPLY, exchange(to, helo, envelope, message)).await {
        Ok(Ok(reply)) => reply,
        _ => texts::TRY_LATER.to_string(),
    }
}

/// Where the Transport takes hand-offs now (it writes the file at start).
fn target(to: &Handoff) -> std::io::Result<SocketAddr> {
    // A line of a few bytes in the store's folder: read in place.
    let text = std::fs::read_to_string(&to.address_file)?;
    text.trim().parse().map_err(std::io::Error::other)
}

async fn exchange(to: &Handoff, helo: &str, envelope: &Envelope, message: &[u8]) -> std::io::Result<String> {
    let target = target(to)?;
    let mut tcp = tokio::time::timeout(CONNECT, TcpStream::connect(target)).await.map_err(std::io::Error::other)??;
    tcp.set_nodelay(true)?;
    tokio::time::timeout(CONNECT, proxy_auth::prove(&mut tcp, &to.key, b""))
        .await
        .map_err(std::io::Error::other)?
        .map_err(std::io::Error::other)?;
    let mut peer = BufReader::new(tcp);
    expect(&mut peer, 220).await?;
    peer.get_mut().write_all(format!("EHLO {helo}\r\n").as_bytes()).await?;
    expect(&mut peer, 250).await?;
    // The envelope in one write (the Transport offers PIPELINING), the
    // answers read in order; the first refusal is the client's answer.
    // The DSN parameters go on as the client gave them.
    let mut commands = format!("MAIL FROM:<{}>{}", envelope.sender, mail_dsn_parameters(&envelope.dsn));
    if envelope.smtputf8 {
        commands.push_str(" SMTPUTF8");
    }
    if let Some(user) = &envelope.submitter {
        commands.push_str(&format!(" AUTH={}", xtext(user)));
    }
    commands.push_str("\r\n");
    for r in &envelope.recipients {
        commands.push_str(&format!("RCPT TO:<{}>{}\r\n", r.address, rcpt_dsn_parameters(&r.dsn)));
    }
    commands.push_str("DATA\r\n");
    peer.get_mut().write_all(commands.as_bytes()).await?;
    let mut refusal = None;
    for _ in 0..=envelope.recipients.len() {
        let (code, text) = read_reply(&mut peer).await?;
        if code != 250 && refusal.is_none() {
            refusal = Some(text);
        }
    }
    let (code, text) = read_reply(&mut peer).await?;
    if let Some(refused) = refusal {
        if code == 354 {
            // Some recipient was accepted after all: end the data at once.
            peer.get_mut().write_all(b".\r\n").await?;
            read_reply(&mut peer).await?;
        }
        return Ok(refused);
    }
    if code != 354 {
        return Ok(text);
    }
    peer.get_mut().write_all(&dot_stuffed(message)).await?;
    let (_, final_reply) = read_reply(&mut peer).await?;
    let _ = peer.get_mut().write_all(b"QUIT\r\n").await;
    Ok(final_reply)
}

async fn expect(peer: &mut BufReader<TcpStream>, code: u16) -> std::io::Result<()> {
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
