//! RETR and TOP. A message served as stored is streamed: read from the
//! mailbox database in pieces and dot-stuffed in one pass on the pool
//! thread that reads it, so what crosses to the connection is the finished
//! response (status line first, terminator last), never the whole message
//! and never a second copy of it. One that this user's settings rewrite
//! (calendar links, MIME format) is rendered first, then sent.
//!
//! Clients fetch in order, waiting for each message before asking for the
//! next; so after a RETR the next message, when small, is read ahead while
//! the client takes this one, and its RETR is answered without a trip to
//! the pool.

use tokio::sync::{mpsc, oneshot};

use super::super::conn::Pop3Conn;
use super::super::response::{DotStuffer, err, ok};
use super::super::texts;
use super::super::transaction::Transaction;
use crate::engines::render::Renderer;
use crate::store::mail::{MailDb, MailError, MailResult};

/// Octets read from the database per piece, and about what one stuffed
/// piece of the response holds.
const PIECE: usize = 64 * 1024;

/// Messages up to this size (as the maildrop lists them) are read ahead.
const AHEAD_MAX: u64 = PIECE as u64;

/// The next message's RETR response, being read (or read) before it was
/// asked for. Dropped unused when the client asks for anything else.
pub struct ReadAhead {
    number: u32,
    uid: u32,
    answer: oneshot::Receiver<MailResult<(Read, Vec<u8>)>>,
}

/// RETR n: the whole message. TOP n lines: the header, the blank line and
/// the first `lines` lines of the body.
pub async fn serve(t: &mut Transaction, conn: &mut Pop3Conn, number: u32, lines: Option<u32>) -> std::io::Result<()> {
    let ahead = t.ahead.take();
    let item = match t.drop.get(number) {
        Ok(item) => item,
        Err(m) => return conn.send(&super::missing(m)).await,
    };
    let (folder, uid) = (t.drop.folder_id, item.uid);
    if let Some(a) = ahead.filter(|a| lines.is_none() && a.number == number && a.uid == uid)
        && let Ok(Ok((Read::Streamed, response))) = a.answer.await
    {
        conn.write_part(&response).await?;
        conn.flush().await?;
        read_ahead(t, number);
        return Ok(());
    }
    // Two pieces in flight: the reader stuffs the next while one is written.
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(2);
    let renderer = t.presenter.renderer().clone();
    // One call on the pool: how the message can be served, then its bytes,
    // stuffed, piece by piece, in one snapshot.
    let reading =
        t.pool.run(move |db| respond(db, folder, uid, lines, &renderer, |piece| tx.blocking_send(piece).is_ok()));
    let sending = async {
        let mut started = false;
        while let Some(bytes) = rx.recv().await {
            started = true;
            if let Err(e) = conn.write_part(&bytes).await {
                // The reader stops at its next piece once this side is gone.
                drop(rx);
                return Err(e);
            }
        }
        Ok(started)
    };
    let (read, started) = tokio::join!(reading, sending);
    let started = started?;
    match read {
        Ok(Read::Streamed) => {
            conn.flush().await?;
            if lines.is_none() {
                read_ahead(t, number);
            }
            Ok(())
        }
        Ok(Read::Render) => rendered(t, conn, folder, uid, lines).await,
        // Expunged meanwhile by an IMAP session.
        Ok(Read::Gone) => conn.send(&err(texts::NO_SUCH_MESSAGE)).await,
        Ok(Read::Abandoned) => Err(std::io::ErrorKind::BrokenPipe.into()),
        // Part of the message is out: the response cannot be finished, and
        // a client would wait for its end for ever. Close.
        Err(e) if started => {
            eprintln!("mailsh: POP3 RETR: {e}");
            Err(std::io::Error::other(e.to_string()))
        }
        Err(e) => unavailable(conn, &e).await,
    }
}

/// How the database side ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// Every piece, the terminator included, was handed over.
    Streamed,
    /// The settings rewrite this message: it is served rendered.
    Render,
    Gone,
    /// The connection side stopped taking pieces.
    Abandoned,
}

/// The response to RETR or TOP of the message `uid`, in one snapshot:
/// `+OK`, the stuffed text, the terminator, handed to `emit` in pieces of
/// about [`PIECE`] octets (false from `emit`: stop).
fn respond(
    db: &MailDb,
    folder: i64,
    uid: u32,
    lines: Option<u32>,
    renderer: &Renderer,
    mut emit: impl FnMut(Vec<u8>) -> bool,
) -> MailResult<Read> {
    db.snapshot(|db| {
        let Some(info) = db.stream_info(folder, uid)? else { return Ok(Read::Gone) };
        let header_len = match (info.renders, info.header_len) {
            (Some(r), Some(h)) if !renderer.changes(r) => h,
            _ => return Ok(Read::Render),
        };
        let mut stuffer = DotStuffer::new(header_len, lines);
        let room = usize::try_from(info.size).unwrap_or(PIECE).min(PIECE) + PIECE / 16;
        let mut out = Vec::with_capacity(room);
        out.extend_from_slice(&ok(""));
        let mut open = true;
        db.raw_chunks(&info, PIECE, |piece| {
            let more = stuffer.push(piece, &mut out);
            if more && out.len() >= PIECE {
                open = emit(std::mem::replace(&mut out, Vec::with_capacity(room)));
                return open;
            }
            more
        })?;
        if !open {
            return Ok(Read::Abandoned);
        }
        stuffer.finish(&mut out);
        // The connection side may have gone meanwhile: nothing to do.
        emit(out);
        Ok(Read::Streamed)
    })
}

/// Starts reading the message after `number` when it is live and small.
fn read_ahead(t: &mut Transaction, number: u32) {
    let next = number.saturating_add(1);
    let Ok(item) = t.drop.get(next) else { return };
    if item.size > AHEAD_MAX {
        return;
    }
    let (folder, uid) = (t.drop.folder_id, item.uid);
    let (reply, answer) = oneshot::channel();
    let (pool, renderer) = (t.pool.clone(), t.presenter.renderer().clone());
    tokio::spawn(async move {
        let read = pool
            .run(move |db| {
                let mut whole = Vec::new();
                let read = respond(db, folder, uid, None, &renderer, |piece| {
                    if whole.is_empty() {
                        whole = piece;
                    } else {
                        whole.extend_from_slice(&piece);
                    }
                    true
                })?;
                Ok((read, whole))
            })
            .await;
        let _ = reply.send(read);
    });
    t.ahead = Some(ReadAhead { number: next, uid, answer });
}

/// A message the settings rewrite: rendered whole, then sent.
async fn rendered(
    t: &Transaction,
    conn: &mut Pop3Conn,
    folder: i64,
    uid: u32,
    lines: Option<u32>,
) -> std::io::Result<()> {
    let raw = match t.pool.run(move |db| db.message_raw(folder, uid)).await {
        Ok(Some(raw)) => raw,
        Ok(None) => return conn.send(&err(texts::NO_SUCH_MESSAGE)).await,
        Err(e) => return unavailable(conn, &e).await,
    };
    let served = t.presenter.render(&raw);
    let body = match lines {
        Some(n) => super::super::response::top_of(&served, n),
        None => &served[..],
    };
    let mut out = ok("");
    super::super::response::push_block(&mut out, body);
    conn.send(&out).await
}

async fn unavailable(conn: &mut Pop3Conn, e: &MailError) -> std::io::Result<()> {
    eprintln!("mailsh: POP3 RETR: {e}");
    conn.send(&err(texts::SERVER_UNAVAILABLE)).await
}
