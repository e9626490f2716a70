//! Send-MailMessage's SMTP client (System.Net.Mail.SmtpClient's dialogue):
//! EHLO, STARTTLS with -UseSsl, AUTH LOGIN with -Credential when the server
//! offers it, MAIL FROM, a RCPT TO per recipient (with NOTIFY when asked
//! and the server offers DSN), DATA. A small blocking
//! client: the cmdlet calls it directly, as Test-ImapConnectivity calls
//! `probe`. The message itself is built by the cmdlet.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;

use super::probe::Conn;
use super::smtp::dot_stuffed;

/// Where and how to send.
pub struct Submission {
    pub host: String,
    pub port: u16,
    /// -UseSsl: STARTTLS before anything else.
    pub use_ssl: bool,
    /// PEM certificates trusted besides the system's (the services' own).
    pub extra_roots: Vec<PathBuf>,
    pub credential: Option<(String, String)>,
    /// The name given at EHLO (the machine's).
    pub client_name: String,
    pub timeout: Duration,
    /// -DeliveryNotificationOption as NOTIFY's keywords, sent on each RCPT
    /// TO when the server offers DSN (as System.Net.Mail does).
    pub notify: Option<String>,
}

/// One SMTP reply: its code and the text after it (.NET's ServerResponse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// No connection (refused, unreachable, timed out).
    Connect(String),
    /// The server does not offer STARTTLS (-UseSsl).
    NoStartTls,
    /// The TLS handshake failed (the certificate is not trusted).
    Tls(String),
    /// The server refused the session or the message.
    Refused(Reply),
    /// The connection broke mid-dialogue.
    Lost(String),
}

/// What became of each recipient when the message was sent (or when all
/// were refused, and nothing was).
#[derive(Debug, Default)]
pub struct Sent {
    /// (recipient, reply) for each refused at RCPT.
    pub refused: Vec<(String, Reply)>,
    /// False when every recipient was refused: no data was sent.
    pub data_sent: bool,
}

/// Sends `message` (its header and body, CRLF lines) from `from` to
/// `recipients`.
pub fn send(s: &Submission, from: &str, recipients: &[String], message: &[u8]) -> Result<Sent, SendError> {
    let addr = (s.host.as_str(), s.port)
        .to_socket_addrs()
        .map_err(|e| SendError::Connect(e.to_string()))?
        .next()
        .ok_or_else(|| SendError::Connect(format!("{}: no address", s.host)))?;
    let tcp = TcpStream::connect_timeout(&addr, s.timeout).map_err(|e| SendError::Connect(e.to_string()))?;
    let _ = tcp.set_read_timeout(Some(s.timeout));
    let _ = tcp.set_write_timeout(Some(s.timeout));
    let mut conn = Conn::Plain(tcp);
    expect(&mut conn, 220)?;
    let mut offered = hello(&mut conn, &s.client_name)?;
    if s.use_ssl {
        if !offered.iter().any(|e| e.eq_ignore_ascii_case("STARTTLS")) {
            return Err(SendError::NoStartTls);
        }
        conn.send("STARTTLS").map_err(SendError::Lost)?;
        expect(&mut conn, 220)?;
        conn.upgrade_to(&s.host, false, &s.extra_roots).map_err(SendError::Tls)?;
        offered = hello(&mut conn, &s.client_name)?;
    }
    if let Some((user, password)) = &s.credential
        && offers_auth_login(&offered)
    {
        // As System.Net.Mail does, a refused logon is not an error of its
        // own: the server's refusal of MAIL FROM says what it wants.
        log_in(&mut conn, user, password)?;
    }
    conn.send(&format!("MAIL FROM:<{from}>")).map_err(SendError::Lost)?;
    expect(&mut conn, 250)?;
    let notify = match &s.notify {
        Some(words) if offered.iter().any(|e| e.eq_ignore_ascii_case("DSN")) => format!(" NOTIFY={words}"),
        _ => String::new(),
    };
    let mut sent = Sent::default();
    for rcpt in recipients {
        conn.send(&format!("RCPT TO:<{rcpt}>{notify}")).map_err(SendError::Lost)?;
        let reply = reply(&mut conn)?;
        if !matches!(reply.code, 250 | 251) {
            sent.refused.push((rcpt.clone(), reply));
        }
    }
    if sent.refused.len() == recipients.len() {
        let _ = conn.send("QUIT");
        return Ok(sent);
    }
    conn.send("DATA").map_err(SendError::Lost)?;
    expect(&mut conn, 354)?;
    conn.write_all(&dot_stuffed(message)).map_err(SendError::Lost)?;
    expect(&mut conn, 250)?;
    sent.data_sent = true;
    let _ = conn.send("QUIT");
    Ok(sent)
}

/// EHLO (HELO when refused); the extensions offered.
fn hello(conn: &mut Conn, name: &str) -> Result<Vec<String>, SendError> {
    conn.send(&format!("EHLO {name}")).map_err(SendError::Lost)?;
    let (code, lines) = reply_lines(conn)?;
    if code == 250 {
        return Ok(lines.into_iter().skip(1).collect());
    }
    conn.send(&format!("HELO {name}")).map_err(SendError::Lost)?;
    expect(conn, 250)?;
    Ok(Vec::new())
}

fn offers_auth_login(offered: &[String]) -> bool {
    offered.iter().any(|e| {
        let mut words = e.split_ascii_whitespace();
        words.next().is_some_and(|w| w.eq_ignore_ascii_case("AUTH")) && words.any(|m| m.eq_ignore_ascii_case("LOGIN"))
    })
}

fn log_in(conn: &mut Conn, user: &str, password: &str) -> Result<(), SendError> {
    let b64 = |t: &str| base64::engine::general_purpose::STANDARD.encode(t.as_bytes());
    conn.send("AUTH LOGIN").map_err(SendError::Lost)?;
    if reply(conn)?.code != 334 {
        return Ok(());
    }
    conn.send_secret(&b64(user)).map_err(SendError::Lost)?;
    if reply(conn)?.code != 334 {
        return Ok(());
    }
    conn.send_secret(&b64(password)).map_err(SendError::Lost)?;
    reply(conn)?;
    Ok(())
}

fn expect(conn: &mut Conn, code: u16) -> Result<Reply, SendError> {
    let r = reply(conn)?;
    if r.code == code { Ok(r) } else { Err(SendError::Refused(r)) }
}

/// The reply's code and its last line's text.
fn reply(conn: &mut Conn) -> Result<Reply, SendError> {
    let (code, lines) = reply_lines(conn)?;
    Ok(Reply { code, text: lines.last().cloned().unwrap_or_default() })
}

/// A reply of one or more lines (`250-...`, then `250 ...`): its code and
/// the text of each line.
fn reply_lines(conn: &mut Conn) -> Result<(u16, Vec<String>), SendError> {
    let mut lines = Vec::new();
    loop {
        let line = conn.line().map_err(SendError::Lost)?;
        let code = line.get(..3).and_then(|c| c.parse::<u16>().ok());
        let Some(code) = code else {
            return Err(SendError::Lost(format!("The server's answer is not SMTP: {line}")));
        };
        let last = line.as_bytes().get(3) != Some(&b'-');
        lines.push(line.get(4..).unwrap_or("").to_string());
        if last {
            return Ok((code, lines));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_login_is_found_among_the_extensions() {
        let offered = ["PIPELINING".to_string(), "AUTH NTLM LOGIN".to_string()];
        assert!(offers_auth_login(&offered));
        assert!(!offers_auth_login(&["AUTH PLAIN".to_string()]));
    }
}
