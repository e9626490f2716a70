//! The front end's log-on to the back end: connect to
//! 127.0.0.1:ProxyTargetPort, read the greeting, AUTHENTICATE PLAIN with
//! the client's credentials (SASL-IR), and hand over the connection.

use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub struct BackendLink {
    pub stream: BufReader<TcpStream>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing listens, or it does not answer as an IMAP back end.
    Unreachable,
    /// The back end refused the credentials (access changed meanwhile).
    Refused,
}

impl BackendLink {
    pub async fn open(port: u16, user: &str, password: &str) -> Result<BackendLink, LinkError> {
        let connect = TcpStream::connect(("127.0.0.1", port));
        let tcp = match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
            Ok(Ok(t)) => t,
            _ => return Err(LinkError::Unreachable),
        };
        let _ = tcp.set_nodelay(true);
        let mut stream = BufReader::new(tcp);
        let greeting = read_line(&mut stream).await.ok_or(LinkError::Unreachable)?;
        if !greeting.starts_with("* OK") {
            return Err(LinkError::Unreachable);
        }
        let token = base64::engine::general_purpose::STANDARD.encode(format!("\0{user}\0{password}"));
        let cmd = format!("FE1 AUTHENTICATE PLAIN {token}\r\n");
        if stream.get_mut().write_all(cmd.as_bytes()).await.is_err() {
            return Err(LinkError::Unreachable);
        }
        loop {
            let line = read_line(&mut stream).await.ok_or(LinkError::Unreachable)?;
            if let Some(rest) = line.strip_prefix("FE1 ") {
                return if rest.starts_with("OK") { Ok(BackendLink { stream }) } else { Err(LinkError::Refused) };
            }
        }
    }
}

async fn read_line(stream: &mut BufReader<TcpStream>) -> Option<String> {
    let mut line = String::new();
    match tokio::time::timeout(CONNECT_TIMEOUT * 6, stream.read_line(&mut line)).await {
        Ok(Ok(n)) if n > 0 => Some(line),
        _ => None,
    }
}
