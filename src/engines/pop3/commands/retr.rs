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
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Piece>(4);
    let renderer = t.presenter.renderer().clone();
    // One call on the pool: how the message can be served, then its bytes
    // piece by piece, in one snapshot.
    let reading = t.pool.run(move |db| {
        db.snapshot(|db| {
            let Some(info) = db.stream_info(folder, uid)? else { return Ok(Read::Gone) };
            let header_len = match (info.renders, info.header_len) {
                (Some(r), Some(h)) if !renderer.changes(r) => h,
                _ => return Ok(Read::Render),
            };
            if tx.blocking_send(Piece::Start(header_len)).is_err() {
                return Ok(Read::Streamed);
            }
            db.raw_chunks(folder, uid, PIECE, |piece| tx.blocking_send(Piece::Bytes(piece.to_vec())).is_ok())?;
            Ok(Read::Streamed)
        })
    });
    let sending = async {
        let mut stuffer: Option<DotStuffer> = None;
        let mut out = Vec::with_capacity(PIECE + PIECE / 16);
        while let Some(piece) = rx.recv().await {
            match piece {
                Piece::Start(header_len) => {
                    stuffer = Some(DotStuffer::new(header_len, lines));
                    out.extend_from_slice(&ok(""));
                }
                Piece::Bytes(bytes) => {
                    let Some(st) = stuffer.as_mut() else { continue };
                    let more = st.push(&bytes, &mut out);
                    conn.write_part(&out).await?;
                    out.clear();
                    if !more {
                        break;
                    }
                }
            }
        }
        // The reader stops at its next piece once this side is gone.
        drop(rx);
        if let Some(st) = stuffer.as_mut() {
            st.finish(&mut out);
            conn.write_part(&out).await?;
            return Ok::<bool, std::io::Error>(true);
        }
        Ok(false)
    };
    let (read, sent) = tokio::join!(reading, sending);
    if sent? {
        return conn.flush().await;
    }
    match read {
        Ok(Read::Render) => rendered(t, conn, folder, uid, lines).await,
        // Expunged meanwhile by an IMAP session.
        Ok(_) => conn.send(&err(texts::NO_SUCH_MESSAGE)).await,
        Err(e) => unavailable(conn, &e).await,
    }
}

/// What the database side sends: the header length once, then the bytes.
enum Piece {
    Start(u64),
    Bytes(Vec<u8>),
}

/// How the database side ended.
enum Read {
    Streamed,
    Render,
    Gone,
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
