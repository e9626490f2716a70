use super::super::response::{err, ok};
use super::super::texts;
use super::super::transaction::Transaction;

/// QUIT in TRANSACTION state enters UPDATE: the marked messages are
/// deleted together, in one transaction, or not at all.
pub async fn quit(t: &Transaction) -> Vec<u8> {
    let uids = t.drop.deleted_uids();
    if uids.is_empty() {
        return ok(texts::SIGNING_OFF);
    }
    let folder = t.drop.folder_id;
    match t.pool.run(move |db| db.delete_messages(folder, &uids)).await {
        Ok(_) => ok(texts::SIGNING_OFF),
        Err(e) => {
            eprintln!("mailsh: POP3 QUIT for {}: {e}", t.guid);
            err(texts::SERVER_UNAVAILABLE)
        }
    }
}
