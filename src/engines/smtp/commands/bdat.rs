//! BDAT (CHUNKING, RFC 3030): the message text in chunks of a stated
//! size, no dot-stuffing. Each chunk is read whatever the answer will be,
//! so the session stays in step; the answer comes once it is read:
//! `250 2.6.0 CHUNK received OK, N octets` (Exchange's), and after the
//! LAST chunk the answer DATA would get (queued, or the hand-off's).

use super::super::session::{DataOutcome, Next, Session};
use super::super::texts;
use super::data;

/// Whether the chunk that follows is kept: a transaction with recipients,
/// not past MaxMessageSize.
pub fn start(s: &mut Session, size: usize, last: bool) -> Next {
    let limit = s.connector.max_message_size as usize;
    let keep = match &mut s.envelope {
        Some(e) if e.accepted_any() => {
            let so_far = e.chunks.as_ref().map_or(0, Vec::len);
            if e.chunks_too_big || so_far.saturating_add(size) > limit {
                e.chunks_too_big = true;
                e.chunks = Some(Vec::new());
                false
            } else {
                true
            }
        }
        _ => false,
    };
    Next::Chunk { size, last, keep }
}

/// The chunk has been read: the answer.
pub async fn received(s: &mut Session, chunk: Vec<u8>, size: usize, last: bool) {
    let Some(e) = s.envelope.as_mut() else {
        s.reply(texts::NEED_MAIL);
        return;
    };
    if !e.accepted_any() {
        s.reply(texts::NEED_RCPT);
        return;
    }
    let text = e.chunks.get_or_insert_with(Vec::new);
    text.extend_from_slice(&chunk);
    if !last {
        s.reply(&format!("250 2.6.0 CHUNK received OK, {size} octets"));
        return;
    }
    let outcome =
        if e.chunks_too_big { DataOutcome::TooBig } else { DataOutcome::Message(e.chunks.take().unwrap_or_default()) };
    data::finish(s, outcome).await;
}
