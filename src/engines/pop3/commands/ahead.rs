//! XAHEAD n, the front end's read-ahead (`front_relay`): RETR n when the
//! message is small enough for the front end to hold until the client asks
//! for it; otherwise a refusal, and the client's RETR comes through as
//! usual. Nothing in the maildrop changes either way.

use super::super::conn::Pop3Conn;
use super::super::response::err;
use super::super::texts;
use super::super::transaction::Transaction;

/// The largest message read ahead for the front end (its listed size).
pub const LARGEST: u64 = 128 * 1024;

pub async fn ahead(t: &mut Transaction, conn: &mut Pop3Conn, number: u32) -> std::io::Result<()> {
    match t.drop.get(number) {
        Ok(item) if item.size <= LARGEST => super::retr::serve(t, conn, number, None).await,
        Ok(_) => conn.send(&err(texts::NOT_READ_AHEAD)).await,
        Err(m) => conn.send(&super::missing(m)).await,
    }
}
