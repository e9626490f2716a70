//! SEARCH and UID SEARCH (RFC 3501 6.4.4), evaluated on the blocking pool
//! over the session's view of the folder, in one snapshot of the database
//! (`backend::search_eval`). HEADER, SUBJECT, BODY and TEXT compare without
//! case on the stored bytes, every occurrence of a header field counting;
//! FROM, TO, CC and BCC also match the addresses as parsed (comments and
//! groups removed), so `user@domain` finds `<user (comment)@ (comment)
//! domain>`. A message the session still numbers but another session
//! expunged matches nothing (RFC 2180 4.3), and SEARCH by sequence numbers
//! then ends `OK [EXPUNGEISSUED]` (RFC 9051 7.1) so the client knows to NOOP.
//! With MODSEQ among the criteria (CONDSTORE), the response ends with the
//! highest modseq of the hits (RFC 7162 3.1.5).

use imap_codec::imap_types::search::SearchKey;

use super::Done;
use crate::engines::imap::backend::search_eval::{Hit, Scope, evaluate, uses_modseq};
use crate::engines::imap::backend::session::ImapSession;
use crate::store::mail::MailResult;

/// Runs the criteria for the selected folder: the hits, and whether some
/// messages of the view were expunged by another session.
pub async fn hits(
    s: &mut ImapSession,
    criteria: Vec<SearchKey<'static>>,
    with_header: bool,
) -> MailResult<(Vec<Hit>, bool)> {
    let Some(sel) = &s.selected else { return Ok((vec![], false)) };
    if criteria.iter().any(uses_modseq) {
        s.enabled.condstore = true;
    }
    let folder = sel.folder.id;
    let view = sel.uids.clone();
    let recent = sel.recent.clone();
    s.home
        .pool
        .run(move |db| {
            let scope = Scope { folder, view: &view, recent: &recent, now: crate::store::now_unix(), with_header };
            evaluate(db, &scope, &criteria)
        })
        .await
}

pub async fn run(s: &mut ImapSession, criteria: Vec<SearchKey<'static>>, uid: bool) -> Done {
    let modseq = criteria.iter().any(uses_modseq);
    match hits(s, criteria, false).await {
        Ok((hits, expunged_elsewhere)) => {
            let mut line = String::from("SEARCH");
            for h in &hits {
                line.push(' ');
                line.push_str(&(if uid { h.meta.uid } else { h.seq }).to_string());
            }
            if let Some(top) = hits.iter().map(|h| h.meta.modseq).max().filter(|_| modseq) {
                line.push_str(&format!(" (MODSEQ {top})"));
            }
            s.untagged(&line);
            if expunged_elsewhere && !uid {
                return Done::ok("[EXPUNGEISSUED] SEARCH completed.");
            }
            Done::completed("SEARCH")
        }
        Err(e) => Done::failed(&e),
    }
}
