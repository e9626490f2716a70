use super::super::transaction::Transaction;

/// TOP n lines: the header, the blank line, and the first `lines` lines of
/// the body (`TOP n 0` is the header and the blank line).
pub async fn top(t: &Transaction, number: u32, lines: u32) -> Vec<u8> {
    super::retr::serve(t, number, Some(lines)).await
}
