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
use crate::store::mail::MailError;
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

async fn deliver_batch(queue: &Queue, mail: &MailPool) -> Result<usize, MailError> {
    let pending: Vec<PendingDelivery> = blocking(queue, |db| db.pending(BATCH)).await?;
    for d in &pending {
        let id = d.message_id;
        let Some(raw) = blocking(queue, move |db| db.message_raw(id)).await? else { continue };
        let key = format!("{}/{}", d.message_guid, d.recipient.address.to_lowercase());
        let guid = d.recipient.mailbox_guid.clone();
        let received = d.received;
        mail.run(move |db| db.deliver_once(&guid, &key, received, &raw)).await?;
        let address = d.recipient.address.clone();
        blocking(queue, move |db| db.delivered(id, &address)).await?;
    }
    Ok(pending.len())
}
