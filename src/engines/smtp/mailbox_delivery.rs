//! MSExchangeDelivery, Exchange 2013's Mailbox Transport Delivery service:
//! a process of its own on a Mailbox server that takes the mailbox
//! delivery queue of the Transport's queue (`store::queue`) and stores
//! each recipient's copy in its Inbox (`delivery`). The Transport keeps
//! receiving and queueing while it is stopped: the messages wait in the
//! queue (Get-Queue) and are delivered when it starts. It writes its own
//! message tracking files (`MSGTRKMD*`, as Exchange's does).

use std::future::Future;
use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, watch};

use super::context::Queue;
use super::{delivery, wake};
use crate::engines::net::NetError;
use crate::engines::net::auth::StoreHandle;
use crate::store::queue::{QueueDb, queue_path};
use crate::store::tracking::{DELIVERY_PREFIX, TrackingLog, tracking_dir};
use crate::store::{Store, state_dir_for};

/// What the Delivery service reads and binds before it says it runs.
pub struct DeliveryContext {
    parts: delivery::Parts,
    cues: UnixDatagram,
    /// Where `cues` is bound: removed when the service stops.
    cue_path: std::path::PathBuf,
    shutdown: watch::Receiver<bool>,
}

pub fn prepare(store_path: &Path, shutdown: watch::Receiver<bool>) -> Result<DeliveryContext, NetError> {
    let mut store = Store::open_existing(store_path)?;
    let server = store.server().clone();
    let service = store.transport_service()?;
    // Mail for a database of another server goes on to that server's
    // Transport, proving the organization's key as the Transport does.
    let (mail, key) = super::context::mailbox_service_parts(&mut store, store_path)?;
    let state_dir = state_dir_for(store_path);
    let db = QueueDb::open(&queue_path(store_path)).map_err(|e| NetError::Bind(e.to_string()))?;
    let cues = wake::listen(&state_dir)
        .map_err(|e| NetError::Bind(format!("{}: {e}", wake::cue_path(&state_dir).display())))?;
    let queue = Queue {
        db: Arc::new(Mutex::new(db)),
        wake: Arc::new(Notify::new()),
        send: Arc::new(Notify::new()),
        cue: None,
        tracking: Arc::new(TrackingLog::with_prefix(
            tracking_dir(store_path),
            DELIVERY_PREFIX,
            service.message_tracking_log_enabled,
            service.logs.tracking.file,
        )),
    };
    let parts = delivery::Parts { queue, mail, directory: StoreHandle::new(store_path.to_path_buf()), server, key };
    Ok(DeliveryContext { parts, cues, cue_path: wake::cue_path(&state_dir), shutdown })
}

/// Delivers until the service stops (inside the runtime).
pub fn serve(ctx: DeliveryContext) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    let DeliveryContext { parts, cues, cue_path, shutdown } = ctx;
    Box::pin(async move {
        let relaying = tokio::spawn(wake::relay_cues(cues, parts.queue.wake.clone(), shutdown.clone()));
        delivery::start(parts, shutdown).await;
        let _ = relaying.await;
        let _ = std::fs::remove_file(cue_path);
    })
}
