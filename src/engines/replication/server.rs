//! One connection to the Mailbox Replication service: requests in turn,
//! each database's work on the blocking pool.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::watch;

use super::protocol::{MAX_LINE, Reply, Request, receive_file, send_file};
use crate::engines::net::ServerStream;
use crate::engines::net::listener::{Connection, SessionHandler};
use crate::engines::net::proxy_auth::Prover;
use crate::store::Store;
use crate::store::databases::MailboxDatabase;
use crate::store::mail::{Copied, InTransit, MailDb, export_mailbox};

/// How long the service waits for a request, or for the next bytes of a
/// file: a shell that went silent frees its connection.
const IDLE: Duration = Duration::from_secs(120);

pub struct Replication {
    store_path: PathBuf,
    /// Where files in transit are kept: `MoveRequests/` in this server's
    /// folder, private as the databases are.
    transit: PathBuf,
    shutdown: watch::Receiver<bool>,
}

impl Replication {
    pub fn new(store_path: PathBuf, state_dir: PathBuf, shutdown: watch::Receiver<bool>) -> Replication {
        Replication { store_path, transit: state_dir.join("MoveRequests"), shutdown }
    }
}

impl SessionHandler for Replication {
    const REFUSAL: &'static [u8] = b"ERR Too many connections.\r\n";
    const BUSY: &'static [u8] = b"ERR Too many connections.\r\n";
    const STRANGER: &'static [u8] = b"ERR This port takes only the organization's mailbox moves.\r\n";

    async fn serve(self: Arc<Self>, connection: Connection) {
        let mut peer = BufReader::new(connection.stream);
        if connection.prover != Some(Prover::Replication) {
            // A front end or a Transport proved the key, but has no business
            // here.
            let _ = peer.get_mut().write_all(Self::STRANGER).await;
            return;
        }
        let mut stop = self.shutdown.clone();
        loop {
            let line = tokio::select! {
                line = read_line(&mut peer) => line,
                _ = stop.changed() => return,
            };
            let Some(line) = line else { return };
            let reply = match Request::parse(&line) {
                None => Reply::Err("The request is not one this service takes.".into()),
                Some(request) => match self.answer(request, &mut peer).await {
                    Ok(Some(reply)) => reply,
                    // Answered with the file.
                    Ok(None) => continue,
                    // The connection failed mid-file: nothing to answer on.
                    Err(Gone) => return,
                },
            };
            if peer.get_mut().write_all(reply.line().as_bytes()).await.is_err() {
                return;
            }
        }
    }
}

/// The connection failed; whatever was in transit is dropped.
struct Gone;

impl Replication {
    /// The answer to send; None when it went already (with a file).
    async fn answer(&self, request: Request, peer: &mut BufReader<ServerStream>) -> Result<Option<Reply>, Gone> {
        match request {
            Request::Export { database, mailbox } => self.export(database, mailbox, peer).await,
            Request::Import { database, mailbox, length } => {
                self.import(database, mailbox, length, peer).await.map(Some)
            }
            Request::Remove { database, mailbox } => {
                let store_path = self.store_path.clone();
                Ok(Some(
                    blocking(move || {
                        let (_, file) = database_here(&store_path, &database)?;
                        if file.exists() {
                            MailDb::open(&file)
                                .and_then(|mut db| db.delete_mailbox(&mailbox))
                                .map_err(|e| e.to_string())?;
                        }
                        Ok(Copied::default())
                    })
                    .await,
                ))
            }
        }
    }

    /// The mailbox into a file of its own, sent whole after the answer.
    async fn export(
        &self,
        database: String,
        mailbox: String,
        peer: &mut BufReader<ServerStream>,
    ) -> Result<Option<Reply>, Gone> {
        let file = InTransit(transit_file(&self.transit, &mailbox, "export"));
        let (store_path, into) = (self.store_path.clone(), file.0.clone());
        let made = tokio::task::spawn_blocking(move || -> Result<Copied, String> {
            let (_, from) = database_here(&store_path, &database)?;
            export_mailbox(&from, &mailbox, &into).map_err(|e| e.to_string())
        })
        .await;
        let copied = match made {
            Ok(Ok(c)) => c,
            Ok(Err(why)) => return Ok(Some(Reply::Err(why))),
            Err(e) => return Ok(Some(Reply::Err(format!("The export failed: {e}")))),
        };
        let length = match std::fs::metadata(&file.0) {
            Ok(m) => m.len(),
            Err(e) => return Ok(Some(Reply::Err(format!("The exported file could not be read: {e}")))),
        };
        let head = Reply::Ok { items: copied.items, bytes: copied.bytes, length: Some(length) }.line();
        // The answer goes with the file.
        match send_file(peer.get_mut(), &head, &file.0, length).await {
            Ok(()) => Ok(None),
            Err(_) => Err(Gone),
        }
    }

    /// The file that follows, copied into the database.
    async fn import(
        &self,
        database: String,
        mailbox: String,
        length: u64,
        peer: &mut BufReader<ServerStream>,
    ) -> Result<Reply, Gone> {
        let file = InTransit(transit_file(&self.transit, &mailbox, "import"));
        if receive_file(peer, length, &file.0, IDLE).await.is_err() {
            return Err(Gone);
        }
        let (store_path, from) = (self.store_path.clone(), file.0.clone());
        Ok(blocking(move || {
            let (_, to) = database_here(&store_path, &database)?;
            if let Some(parent) = to.parent() {
                crate::store::private::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            MailDb::open(&to).and_then(|mut db| db.copy_mailbox_from(&from, &mailbox)).map_err(|e| e.to_string())
        })
        .await)
    }
}

/// `work` on the blocking pool, its outcome as the answer.
async fn blocking(work: impl FnOnce() -> Result<Copied, String> + Send + 'static) -> Reply {
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(c)) => Reply::Ok { items: c.items, bytes: c.bytes, length: None },
        Ok(Err(why)) => Reply::Err(why),
        Err(e) => Reply::Err(format!("The request failed: {e}")),
    }
}

/// One request line, or None when the connection ended, went silent for
/// `IDLE`, or sent a line too long to be a request.
async fn read_line(peer: &mut BufReader<ServerStream>) -> Option<String> {
    let mut line = Vec::new();
    let mut limited = (&mut *peer).take(MAX_LINE as u64);
    match tokio::time::timeout(IDLE, limited.read_until(b'\n', &mut line)).await {
        Ok(Ok(n)) if n > 0 && line.ends_with(b"\n") => String::from_utf8(line).ok(),
        _ => None,
    }
}

/// The database `guid` when it is this server's and mounted, with its file.
fn database_here(store_path: &Path, guid: &str) -> Result<(MailboxDatabase, PathBuf), String> {
    let store = Store::open_existing(store_path).map_err(|e| e.to_string())?;
    let db = store
        .mailbox_database(guid)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("The database '{guid}' couldn't be found."))?;
    if db.server_guid != store.server().guid {
        return Err(format!("The database '{}' is on {}, not on {}.", db.name, db.server, store.server().name));
    }
    if !db.mounted {
        return Err(format!("The database '{}' is not mounted.", db.name));
    }
    let file = store.database_file(&db);
    Ok((db, file))
}

/// Removes what an earlier run of the service left in transit (a request
/// cut short by a stop can finish its export after its guard is gone).
/// Only the service's own files: a shell's move on this server keeps its
/// own in the same folder.
pub fn clear_transit(state_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(state_dir.join("MoveRequests")) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.contains(".export.") || name.contains(".import.") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Where a request's file waits: its mailbox, which way, and a nonce.
fn transit_file(folder: &Path, mailbox: &str, way: &str) -> PathBuf {
    let mut nonce = [0u8; 8];
    crate::store::fill_random(&mut nonce);
    let nonce: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
    folder.join(format!("{mailbox}.{way}.{nonce}.db"))
}
