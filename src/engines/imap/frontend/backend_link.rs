//! The front end's log-on to the back end: on a connection to
//! 127.0.0.1:ProxyTargetPort proven both ways (made ahead: `spare_link`),
//! read the greeting, AUTHENTICATE PLAIN with
//! the client's credentials (SASL-IR), and hand over the connection.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::engines::net::back_end_link::{self, BackEndStream, BackEndTarget};
use crate::engines::net::proxy_auth::ProxyKey;
use crate::engines::net::relay::BackEndError;
use crate::engines::net::sasl;
use crate::engines::net::spare_link::SpareLink;

/// How long the back end may take to greet and to answer the log-on.
const BACKEND_REPLY: Duration = Duration::from_secs(30);

pub struct BackendLink {
    pub stream: BufReader<BackEndStream>,
}

impl BackendLink {
    /// Logs on to this server's back end with the client's credentials, on
    /// the connection made ahead (`spare_link`) or a fresh one.
    pub async fn open(back_end: &Arc<SpareLink>, user: &str, password: &str) -> Result<BackendLink, BackEndError> {
        back_end.log_on(|tcp| BackendLink::log_on(tcp, user, password)).await
    }

    /// Logs on to another server's back end, on a connection made now.
    pub async fn open_at(
        target: &BackEndTarget,
        key: &ProxyKey,
        user: &str,
        password: &str,
    ) -> Result<BackendLink, BackEndError> {
        BackendLink::log_on(back_end_link::connect(target, key).await?, user, password).await
    }

    async fn log_on(tcp: BackEndStream, user: &str, password: &str) -> Result<BackendLink, BackEndError> {
        let mut stream = BufReader::new(tcp);
        let greeting = read_line(&mut stream).await?;
        if !greeting.starts_with("* OK") {
            return Err(BackEndError::Unreachable(format!("greeting: {}", greeting.trim_end())));
        }
        let cmd = format!("FE1 AUTHENTICATE PLAIN {}\r\n", sasl::encode_plain(user, password));
        stream.get_mut().write_all(cmd.as_bytes()).await?;
        loop {
            let line = read_line(&mut stream).await?;
            if let Some(rest) = line.strip_prefix("FE1 ") {
                return if rest.starts_with("OK") {
                    Ok(BackendLink { stream })
                } else if rest.starts_with("NO [UNAVAILABLE]") {
                    // Good credentials, but the mailbox's database is not
                    // served there.
                    Err(BackEndError::Unreachable(rest.trim_end().to_string()))
                } else {
                    Err(BackEndError::Refused)
                };
            }
        }
    }
}

async fn read_line(stream: &mut BufReader<BackEndStream>) -> Result<String, BackEndError> {
    let mut line = String::new();
    match tokio::time::timeout(BACKEND_REPLY, stream.read_line(&mut line)).await {
        Ok(Ok(n)) if n > 0 => Ok(line),
        Ok(Ok(_)) => Err(BackEndError::Unreachable("the back end closed the connection".into())),
        Ok(Err(e)) => Err(e.into()),
        Err(_) => Err(BackEndError::Unreachable("no answer".into())),
    }
}
