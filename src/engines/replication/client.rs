//! The shell's side of a move through another server's Mailbox
//! Replication service: a blocking client (the shell has no async
//! runtime of its own), one proven TLS connection per server.

use std::path::Path;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use super::protocol::{MAX_LINE, Reply, Request, receive_file, send_file};
use crate::engines::net::back_end_link::{self, BackEndStream, BackEndTarget};
use crate::engines::net::proxy_auth::{Prover, ProxyKey};
use crate::store::Store;
use crate::store::mail::Copied;

/// How long an answer may take: an export copies the whole mailbox first.
const ANSWER: Duration = Duration::from_secs(600);

#[derive(Debug, thiserror::Error)]
pub enum ReplicationError {
    #[error(
        "The Microsoft Exchange Mailbox Replication service isn't running on {0}: start it there (Start-Service MSExchangeMailboxReplication on {0}'s shell), or give {0} an address (Setup -Address) if it has none."
    )]
    NotRunning(String),
    #[error("The Microsoft Exchange Mailbox Replication service on {server} couldn't be reached: {why}")]
    Unreachable { server: String, why: String },
    #[error("The Microsoft Exchange Mailbox Replication service on {server} refused: {why}")]
    Refused { server: String, why: String },
    #[error("The connection to the Microsoft Exchange Mailbox Replication service on {server} failed: {why}")]
    Broken { server: String, why: String },
}

/// Where the service of the server `server_guid` takes moves, if it runs
/// and published it.
pub fn endpoint_of(store: &Store, server_guid: &str) -> Result<Option<BackEndTarget>, crate::store::StoreError> {
    Ok(store
        .running_endpoints(super::SERVICE)?
        .into_iter()
        .find(|e| e.server_guid == server_guid)
        .and_then(|e| BackEndTarget::published(&e.endpoint)))
}

pub struct ReplicationClient {
    runtime: tokio::runtime::Runtime,
    peer: BufReader<BackEndStream>,
    server: String,
}

impl ReplicationClient {
    /// Connects to `server`'s service at `target`, proving `key` as a move.
    pub fn connect(
        target: &BackEndTarget,
        key: &ProxyKey,
        server: &str,
    ) -> Result<ReplicationClient, ReplicationError> {
        let unreachable = |why: String| ReplicationError::Unreachable { server: server.to_string(), why };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| unreachable(e.to_string()))?;
        let stream = runtime
            .block_on(back_end_link::connect_as(target, key, Prover::Replication))
            .map_err(|e| unreachable(e.to_string()))?;
        Ok(ReplicationClient { runtime, peer: BufReader::new(stream), server: server.to_string() })
    }

    /// The mailbox of `database` (on that server) into the file `into`.
    pub fn export(&mut self, database: &str, mailbox: &str, into: &Path) -> Result<Copied, ReplicationError> {
        let request = Request::Export { database: database.to_string(), mailbox: mailbox.to_string() };
        let server = self.server.clone();
        let broken = |why: String| ReplicationError::Broken { server: server.clone(), why };
        let peer = &mut self.peer;
        self.runtime.block_on(async {
            let reply = exchange(peer, &request.line()).await.map_err(|e| broken(e.to_string()))?;
            let (copied, length) = accepted(reply, &server)?;
            let length = length.ok_or_else(|| broken("the export came without its file".into()))?;
            receive_file(peer, length, into, ANSWER).await.map_err(|e| broken(e.to_string()))?;
            Ok(copied)
        })
    }

    /// The file `from` (as `export` made it) into `database` on that server,
    /// sent as it is read.
    pub fn import(&mut self, database: &str, mailbox: &str, from: &Path) -> Result<Copied, ReplicationError> {
        let server = self.server.clone();
        let broken = |why: String| ReplicationError::Broken { server: server.clone(), why };
        let peer = &mut self.peer;
        let reply = self.runtime.block_on(async {
            let length = std::fs::metadata(from)?.len();
            let request = Request::Import { database: database.to_string(), mailbox: mailbox.to_string(), length };
            send_file(peer.get_mut(), &request.line(), from, length).await?;
            exchange(peer, "").await
        });
        accepted(reply.map_err(|e| broken(e.to_string()))?, &server).map(|(copied, _)| copied)
    }

    /// The mailbox deleted from `database` on that server.
    pub fn remove(&mut self, database: &str, mailbox: &str) -> Result<(), ReplicationError> {
        let request = Request::Remove { database: database.to_string(), mailbox: mailbox.to_string() };
        let server = self.server.clone();
        let peer = &mut self.peer;
        let reply = self
            .runtime
            .block_on(exchange(peer, &request.line()))
            .map_err(|e| ReplicationError::Broken { server: server.clone(), why: e.to_string() })?;
        accepted(reply, &server).map(|_| ())
    }
}

/// What an answer carried, or the service's refusal.
fn accepted(reply: Reply, server: &str) -> Result<(Copied, Option<u64>), ReplicationError> {
    match reply {
        Reply::Ok { items, bytes, length } => Ok((Copied { items, bytes }, length)),
        Reply::Err(why) => Err(ReplicationError::Refused { server: server.to_string(), why }),
    }
}

/// Sends the request line (empty: it went already), reads the answer line.
async fn exchange(peer: &mut BufReader<BackEndStream>, line: &str) -> std::io::Result<Reply> {
    let out = peer.get_mut();
    out.write_all(line.as_bytes()).await?;
    out.flush().await?;
    let mut answer = Vec::new();
    let mut limited = (&mut *peer).take(MAX_LINE as u64);
    tokio::time::timeout(ANSWER, limited.read_until(b'\n', &mut answer))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer came"))??;
    std::str::from_utf8(&answer)
        .ok()
        .and_then(Reply::parse)
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "the answer was not the service's"))
}
