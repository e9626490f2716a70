//! TOP n lines: the header, the blank line, and the first `lines` lines of
//! the body (`TOP n 0` is the header and the blank line), streamed as RETR.

use super::super::conn::Pop3Conn;
use super::super::transaction::Transaction;

pub async fn top(t: &mut Transaction, conn: &mut Pop3Conn, number: u32, lines: u32) -> std::io::Result<()> {
    super::retr::serve(t, conn, number, Some(lines)).await
}
