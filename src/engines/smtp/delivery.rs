//! The Transport service's delivery task (Exchange's Mailbox Transport
//! Delivery, in the same process for now): takes what is Ready in the
//! queue, stores each recipient's copy in its Inbox exactly once, then
//! lets the queue forget it. Woken by every enqueue; at start it delivers
//! whatever an earlier run left (a crash after the `250`).

use std::time::Duration;

use tokio::sync::watch;

use super::context::Queue;
use crate::engines::net::listener::stopped;
use crate::engines::net::mail_pool::MailPool;
use crate::store::mail::{Delivery, MailError};
use crate::store::queue::PendingDelivery;

const BATCH: usize = 64;
/// After a failure that may pass (the mailbox database busy), try again.
const RETRY: Duration = Duration::from_secs(5);

pub async fn run(queue: Queue, mail: MailPool, shutdown: watch::Receiver<bool>) {
    let mut stop = shutdown.clone();
    loop {
        let worked = match deliver_batch(&queue, &mail).await {
            Ok(n) => n > 0,
            Err(e) => {
                eprintln!("mailsh: delivery: {e}");
                tokio::select! {
                    () = tokio::time::sleep(RETRY) => {}
                    () = stopped(&mut stop) => return,
                }
                continue;
            }
        };
        if worked {
            if *stop.borrow() {
                return;
            }
            continue;
        }
        tokio::select! {
            () = queue.wake.notified() => {}
            () = tokio::time::sleep(RETRY) => {}
            () = stopped(&mut stop) => return,
        }
    }
}

async fn blocking<T: Send + 'static>(
    queue: &Queue,
    f: impl FnOnce(&mut crate::store::queue::QueueDb) -> Result<T, MailError> + Send + 'static,
) -> Result<T, MailError> {
    let db = queue.db.clone();
    tokio::task::spawn_blocking(move || f(&mut db.lock().unwrap_or_else(|p| p.into_inner())))
        .await
        .unwrap_or_else(|e| Err(MailError::Task(e.to_string())))
}

/// One batch of the queue: read, stored in the mailboxes in one
/// transaction, then forgotten by the queue in one transaction.
async fn deliver_batch(queue: &Queue, mail: &MailPool) -> Result<usize, MailError> {
    let batch: Vec<(PendingDelivery, Vec<u8>)> = blocking(queue, |db| {
        let pending = db.pending(BATCH)?;
        let mut out = Vec::with_capacity(pending.len());
        for d in pending {
            // A message removed meanwhile has nothing left to deliver.
            if let Some(raw) = db.message_raw(d.message_id)? {
                out.push((d, raw));
            }
        }
        Ok(out)
    })
    .await?;
    if batch.is_empty() {
        return Ok(0);
    }
    let done: Vec<(i64, String)> = batch.iter().map(|(d, _)| (d.message_id, d.recipient.address.clone())).collect();
    let deliveries: Vec<Delivery> = batch
        .into_iter()
        .map(|(d, raw)| Delivery {
            key: format!("{}/{}", d.message_guid, d.recipient.address.to_lowercase()),
            guid: d.recipient.mailbox_guid,
            internal_date: d.received,
            raw,
        })
        .collect();
    mail.run(move |db| db.deliver_all(&deliveries)).await?;
    let n = done.len();
    blocking(queue, move |db| db.delivered_all(&done)).await?;
    Ok(n)
}
