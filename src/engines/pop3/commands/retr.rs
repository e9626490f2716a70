//! RETR and TOP. A message served as stored is streamed: read from the
//! mailbox database in pieces and dot-stuffed in one pass on its way to the
//! client, never whole in memory. One that this user's settings rewrite
//! (calendar links, MIME format) is rendered first, then sent.

use super::super::conn::Pop3Conn;
use super::super::response::{DotStuffer, err, ok};
use super::super::texts;
use super::super::transaction::Transaction;

/// Octets read from the database per piece.
const PIECE: usize = 64 * 1024;

/// RETR n: the whole message. TOP n lines: the header, the blank line and
/// the first `lines` lines of the body.
pub async fn serve(t: &Transaction, conn: &mut Pop3Conn, number: u32, lines: Option<u32>) -> std::io::Result<()> {
    let item = match t.drop.get(number) {
        Ok(item) => item,
        Err(m) => return conn.send(&super::missing(m)).await,
    };
    let (folder, uid) = (t.drop.folder_id, item.uid);
    let info = match t.pool.run(move |db| db.stream_info(folder, uid)).await {
        Ok(Some(i)) => i,
        // Expunged meanwhile by an IMAP session.
        Ok(None) => return conn.send(&err(texts::NO_SUCH_MESSAGE)).await,
        Err(e) => return unavailable(conn, &e).await,
    };
    let streams = match (info.renders, info.header_len) {
        (Some(r), Some(h)) if !t.presenter.changes(r) => Some(h),
        _ => None,
    };
    let Some(header_len) = streams else { return rendered(t, conn, folder, uid, lines).await };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let reading = t.pool.run(move |db| {
        db.snapshot(|db| db.raw_chunks(folder, uid, PIECE, |piece| tx.blocking_send(piece.to_vec()).is_ok()))
    });
    let sending = async {
        let mut stuffer = DotStuffer::new(header_len, lines);
        let mut out = Vec::with_capacity(PIECE + PIECE / 16);
        let mut started = false;
        while let Some(piece) = rx.recv().await {
            if !started {
                out.extend_from_slice(&ok(""));
                started = true;
            }
            let more = stuffer.push(&piece, &mut out);
            conn.write_part(&out).await?;
            out.clear();
            if !more {
                break;
            }
        }
        // The reader stops at its next piece once this side is gone.
        drop(rx);
        if started {
            stuffer.finish(&mut out);
            conn.write_part(&out).await?;
        }
        Ok::<bool, std::io::Error>(started)
    };
    let (read, sent) = tokio::join!(reading, sending);
    let started = sent?;
    match read {
        _ if started => conn.flush().await,
        Ok(false) => conn.send(&err(texts::NO_SUCH_MESSAGE)).await,
        // An empty message: nothing was read, so nothing was sent.
        Ok(true) => conn.send(b"+OK\r\n.\r\n").await,
        Err(e) => unavailable(conn, &e).await,
    }
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

async fn unavailable(conn: &mut Pop3Conn, e: &crate::store::mail::MailError) -> std::io::Result<()> {
    eprintln!("mailsh: POP3 RETR: {e}");
    conn.send(&err(texts::SERVER_UNAVAILABLE)).await
}
