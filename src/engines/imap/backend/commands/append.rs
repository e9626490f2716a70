//! APPEND (RFC 3501 6.3.11) with UIDPLUS's APPENDUID. The message is on
//! disk (synchronous=FULL) before OK is sent; concurrent APPENDs share
//! commits (`MailPool::append`).

use imap_codec::imap_types::datetime::DateTime;
use imap_codec::imap_types::extensions::binary::LiteralOrLiteral8;
use imap_codec::imap_types::flag::Flag;
use imap_codec::imap_types::mailbox::Mailbox;

use super::store::to_flags;
use super::{Done, find_folder, quota};
use crate::engines::imap::backend::sequence::compress;
use crate::engines::imap::backend::session::ImapSession;
use crate::engines::imap::texts;
use crate::engines::imap::wire::ext::AppendMessage;
use crate::store::mail::NewMessage;

pub async fn run(
    s: &mut ImapSession,
    mailbox: Mailbox<'static>,
    flags: Vec<Flag<'static>>,
    date: Option<DateTime>,
    message: LiteralOrLiteral8<'static>,
) -> Done {
    let folder = match find_folder(s, &mailbox).await {
        Ok(Some(f)) => f,
        Ok(None) => return Done::no("[TRYCREATE] The specified folder could not be found in the store."),
        Err(e) => return Done::failed(&e),
    };
    let bytes: Vec<u8> = match message {
        LiteralOrLiteral8::Literal(l) => l.into_inner().into_owned(),
        LiteralOrLiteral8::Literal8(l) => l.data.into_owned(),
    };
    if bytes.is_empty() {
        return Done::bad(texts::ARGUMENT_ERROR);
    }
    if let Some(refused) = over_quota(s, bytes.len() as u64).await {
        return refused;
    }
    let flags = to_flags(&flags);
    let when = date.map(|d| d.as_ref().timestamp()).unwrap_or_else(crate::store::now_unix);
    let message = NewMessage { folder_id: folder.id, flags, internal_date: when, raw: bytes, info: None };
    match s.home.pool.append(message).await {
        Ok(r) => {
            s.home.changed.notify();
            quota::warning(s).await;
            Done::ok(format!("[APPENDUID {} {}] APPEND completed.", r.uidvalidity, r.uid))
        }
        Err(e) => Done::failed(&e),
    }
}

/// MULTIAPPEND (RFC 3502): several messages in one command, all stored in
/// one transaction or none; APPENDUID names them all (RFC 4315). Also
/// APPEND with `UTF8 (literal8)` data (RFC 6855 4) or CATENATE (RFC 4469),
/// one message or several.
pub async fn run_many(s: &mut ImapSession, mailbox: Vec<u8>, messages: Vec<AppendMessage>) -> Done {
    let Ok(mailbox) = Mailbox::try_from(mailbox) else { return Done::bad(texts::ARGUMENT_ERROR) };
    let folder = match find_folder(s, &mailbox).await {
        Ok(Some(f)) => f,
        Ok(None) => return Done::no("[TRYCREATE] The specified folder could not be found in the store."),
        Err(e) => return Done::failed(&e),
    };
    let mut batch = Vec::with_capacity(messages.len());
    for mut m in messages {
        if let Some(parts) = m.catenate.take() {
            m.data = match super::catenate::assemble(s, parts).await {
                Ok(data) => data,
                Err(refused) => return refused,
            };
        }
        if m.data.is_empty() {
            return Done::bad(texts::ARGUMENT_ERROR);
        }
        let when = match &m.date {
            Some(d) => match chrono::DateTime::parse_from_str(d, "%d-%b-%Y %H:%M:%S %z") {
                Ok(t) => t.timestamp(),
                Err(_) => return Done::bad(texts::ARGUMENT_ERROR),
            },
            None => crate::store::now_unix(),
        };
        let mut flags = crate::store::mail::Flags::default();
        for f in &m.flags {
            match Flag::try_from(f.as_str()) {
                Ok(flag) => flags = flags.apply(crate::store::mail::FlagOp::Add, &to_flags(&[flag])),
                Err(_) => return Done::bad(texts::ARGUMENT_ERROR),
            }
        }
        batch.push(NewMessage { folder_id: folder.id, flags, internal_date: when, raw: m.data, info: None });
    }
    let total: u64 = batch.iter().map(|m| m.raw.len() as u64).sum();
    if let Some(refused) = over_quota(s, total).await {
        return refused;
    }
    match s.home.pool.run(move |db| db.append_atomic(batch)).await {
        Ok(results) => {
            s.home.changed.notify();
            quota::warning(s).await;
            let uids: Vec<u32> = results.iter().map(|r| r.uid).collect();
            let validity = results.first().map(|r| r.uidvalidity).unwrap_or(folder.uidvalidity);
            Done::ok(format!("[APPENDUID {validity} {}] APPEND completed.", compress(&uids)))
        }
        Err(e) => Done::failed(&e),
    }
}

/// `NO [OVERQUOTA]` when `more` octets would take the mailbox past
/// ProhibitSendReceiveQuota (the usage is read only when there is one).
async fn over_quota(s: &ImapSession, more: u64) -> Option<Done> {
    let q = s.user.as_ref()?.quotas;
    q.prohibit_send_receive?;
    match quota::usage(s).await {
        Ok(u) if !quota::fits(&q, u.bytes, more) => Some(Done::no(quota::OVER_QUOTA)),
        Ok(_) => None,
        Err(e) => Some(Done::failed(&e)),
    }
}
