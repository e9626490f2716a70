//! RETR and TOP. A message served as stored is streamed: read from the
//! mailbox database in pieces and dot-stuffed in one pass on the pool
//! thread that reads it, so what crosses to the connection is the finished
//! response (status line first, terminator last), never the whole message
//! and never a second copy of it. One that this user's settings rewrite
//! (calendar links, MIME format) is rendered first, then sent.
//!
//! Clients fetch in order, waiting for each message before asking for the
//! next; so after a RETR the next small messages are read ahead while the
//! client takes this one (`read_ahead`), and their RETRs are answered
//! without a trip to the pool.

use tokio::sync::mpsc;

use super::super::conn::Pop3Conn;
use super::super::read_ahead;
use super::super::response::{DotStuffer, err, ok};
use super::super::texts;
use super::super::transaction::Transaction;
use crate::engines::render::Renderer;
use crate::store::mail::{MailDb, MailError, MailResult};

/// Octets read from the database per piece, and about what one stuffed
/// piece of the response holds.
pub const PIECE: usize = 64 * 1024;

/// RETR n: the whole message. TOP n lines: the header, the blank line and
/// the first `lines` lines of the body.
pub async fn serve(t: &mut Transaction, conn: &mut Pop3Conn, number: u32, lines: Option<u32>) -> std::io::Result<()> {
    let ahead = t.ahead.take();
    let item = match t.drop.get(number) {
        Ok(item) => item,
        Err(m) => return conn.send(&super::missing(m)).await,
    };
    let (folder, uid) = (t.drop.folder_id, item.uid);
    if lines.is_none()
        && let Some(mut ahead) = ahead
        && let Some(response) = ahead.take(number, uid).await
    {
        conn.write_part(&response).await?;
        conn.flush().await?;
        t.ahead = read_ahead::after(t, number, Some(ahead));
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
                t.ahead = read_ahead::after(t, number, None);
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
    emit: impl FnMut(Vec<u8>) -> bool,
) -> MailResult<Read> {
    db.snapshot(|db| respond_in_snapshot(db, folder, uid, lines, renderer, emit))
}

/// [`respond`] within a snapshot the caller holds.
pub fn respond_in_snapshot(
    db: &MailDb,
    folder: i64,
    uid: u32,
    lines: Option<u32>,
    renderer: &Renderer,
    mut emit: impl FnMut(Vec<u8>) -> bool,
) -> MailResult<Read> {
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
