//! The RETR responses of the next small messages, read before they are
//! asked for. A POP3 client downloads in order and waits for each message
//! before asking for the next, so the time it takes one is the time to
//! read the next ones. They are read in one trip to the pool, in one
//! snapshot, for a batch of them: a trip costs two thread wake-ups and a
//! database lock, which cost more than stuffing a small message.
//!
//! What is held is bounded ([`MOST_MESSAGES`], [`MOST_OCTETS`], two
//! batches) and dropped as soon as the client asks for a message out of
//! order.

use std::collections::VecDeque;

use tokio::sync::oneshot;

use super::commands::retr::{PIECE, Read, respond_in_snapshot};
use super::transaction::Transaction;
use crate::store::mail::MailResult;

/// Messages read ahead in one trip at most.
const MOST_MESSAGES: usize = 16;

/// Their octets at most (as the maildrop lists them; one message may be
/// larger, up to [`LARGEST`]). A session holds at most two batches.
const MOST_OCTETS: u64 = 128 * 1024;

/// Messages larger than this are never read ahead: they are streamed.
const LARGEST: u64 = 2 * PIECE as u64;

/// One message's finished response.
struct Ready {
    number: u32,
    uid: u32,
    response: Vec<u8>,
}

type Batch = oneshot::Receiver<MailResult<Vec<Ready>>>;

/// Responses read, and the next batch being read. The next batch is
/// started while one response of this one is left, so the client does not
/// wait for it at the turn.
#[derive(Default)]
pub struct ReadAhead {
    ready: VecDeque<Ready>,
    coming: Option<Batch>,
}

impl ReadAhead {
    /// The response for message `number` (`uid`) if it is the next one
    /// read; None otherwise, and then nothing read ahead is of use.
    pub async fn take(&mut self, number: u32, uid: u32) -> Option<Vec<u8>> {
        if self.ready.is_empty() {
            let batch = self.coming.take()?;
            self.ready = batch.await.ok()?.ok()?.into();
        }
        let next = self.ready.front()?;
        if next.number != number || next.uid != uid {
            *self = ReadAhead::default();
            return None;
        }
        self.ready.pop_front().map(|r| r.response)
    }
}

/// What to hold after message `number` was served, `ahead` being what was
/// held: the next batch started when what is ready runs low. None when
/// nothing follows to read ahead.
pub fn after(t: &Transaction, number: u32, ahead: Option<ReadAhead>) -> Option<ReadAhead> {
    let mut ahead = ahead.unwrap_or_default();
    if ahead.ready.len() <= 1 && ahead.coming.is_none() {
        let last = ahead.ready.back().map_or(number, |r| r.number);
        ahead.coming = start(t, last);
    }
    if ahead.ready.is_empty() && ahead.coming.is_none() { None } else { Some(ahead) }
}

/// Starts reading the messages after `number`: the live ones that follow
/// it, while each is small and the batch within its bounds. None if the
/// next is not one to read ahead.
fn start(t: &Transaction, number: u32) -> Option<Batch> {
    let wanted = batch_after(t, number);
    if wanted.is_empty() {
        return None;
    }
    let folder = t.drop.folder_id;
    let (reply, answer) = oneshot::channel();
    let (pool, renderer) = (t.pool.clone(), t.presenter.renderer().clone());
    tokio::spawn(async move {
        let read = pool
            .run(move |db| {
                db.snapshot(|db| {
                    let mut ready = Vec::with_capacity(wanted.len());
                    for (number, uid) in wanted {
                        let mut response = Vec::new();
                        let read = respond_in_snapshot(db, folder, uid, None, &renderer, |piece| {
                            if response.is_empty() {
                                response = piece;
                            } else {
                                response.extend_from_slice(&piece);
                            }
                            true
                        })?;
                        // One served otherwise (rendered, or gone) ends the
                        // batch: its RETR takes the usual way.
                        if read != Read::Streamed {
                            break;
                        }
                        ready.push(Ready { number, uid, response });
                    }
                    Ok(ready)
                })
            })
            .await;
        let _ = reply.send(read);
    });
    Some(answer)
}

/// (number, uid) of the messages to read after `number`.
fn batch_after(t: &Transaction, number: u32) -> Vec<(u32, u32)> {
    let mut wanted = Vec::new();
    let mut octets = 0;
    let mut next = number;
    while wanted.len() < MOST_MESSAGES {
        next = match next.checked_add(1) {
            Some(n) => n,
            None => break,
        };
        let Ok(item) = t.drop.get(next) else { break };
        if item.size > LARGEST || (octets + item.size > MOST_OCTETS && !wanted.is_empty()) {
            break;
        }
        octets += item.size;
        wanted.push((next, item.uid));
    }
    wanted
}
