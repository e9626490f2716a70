use super::super::response::{err, ok, push_block};
use super::super::texts;
use super::super::transaction::Transaction;

/// RETR n: the whole message, dot-stuffed.
pub async fn retr(t: &Transaction, number: u32) -> Vec<u8> {
    serve(t, number, None).await
}

/// Shared by RETR and TOP: fetch the bytes, render them for this user,
/// send all or the header and `lines` body lines.
pub async fn serve(t: &Transaction, number: u32, lines: Option<u32>) -> Vec<u8> {
    let item = match t.drop.get(number) {
        Ok(item) => item,
        Err(m) => return super::missing(m),
    };
    let folder = t.drop.folder_id;
    let uid = item.uid;
    let raw = match t.pool.run(move |db| db.message_raw(folder, uid)).await {
        Ok(Some(raw)) => raw,
        // Expunged meanwhile by an IMAP session.
        Ok(None) => return err(texts::NO_SUCH_MESSAGE),
        Err(e) => {
            eprintln!("mailsh: POP3 RETR: {e}");
            return err(texts::SERVER_UNAVAILABLE);
        }
    };
    let served = t.presenter.render(&raw);
    let body = match lines {
        Some(n) => super::super::response::top_of(&served, n),
        None => &served[..],
    };
    let mut out = ok("");
    push_block(&mut out, body);
    out
}
