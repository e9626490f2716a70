//! QUOTA (RFC 9208) with the STORAGE resource: the mailbox's one quota
//! root `""` covers every folder; its limit is Set-Mailbox's
//! ProhibitSendReceiveQuota and its usage the octets stored (the figures
//! Get-MailboxStatistics shows). A mailbox without that quota has no quota
//! root. SETQUOTA is the administrator's (Set-Mailbox): refused.
//! Enforcement: APPEND, COPY and MOVE past the limit get `NO [OVERQUOTA]`;
//! past IssueWarningQuota they succeed with an ALERT ([`warning`]).

use imap_codec::imap_types::core::AString;
use imap_codec::imap_types::mailbox::Mailbox;

use super::{Done, find_folder};
use crate::engines::imap::backend::session::ImapSession;
use crate::store::Quotas;
use crate::store::mail::Usage;

pub const OVER_QUOTA: &str = "[OVERQUOTA] The mailbox is full (ProhibitSendReceiveQuota).";

/// KiB, rounded up (RFC 9208 5.1: STORAGE is in units of 1024 octets).
fn kib(bytes: u64) -> u64 {
    bytes.div_ceil(1024)
}

fn quota_line(usage: Usage, limit: u64) -> String {
    format!("QUOTA \"\" (STORAGE {} {})", kib(usage.bytes), kib(limit))
}

/// The session user's usage, read now.
pub async fn usage(s: &ImapSession) -> Result<Usage, crate::store::mail::MailError> {
    let Some(user) = &s.user else { return Ok(Usage::default()) };
    let guid = user.guid.clone();
    s.home.pool.run(move |db| db.mailbox_usage(&guid)).await
}

/// Whether adding `more` octets stays within ProhibitSendReceiveQuota.
pub fn fits(quotas: &Quotas, used: u64, more: u64) -> bool {
    quotas.prohibit_send_receive.is_none_or(|limit| used.saturating_add(more) <= limit)
}

/// After a message was added: an ALERT once the usage is past
/// IssueWarningQuota (RFC 3501 7.1 ALERT).
pub async fn warning(s: &mut ImapSession) {
    let Some(q) = s.user.as_ref().map(|u| u.quotas) else { return };
    let Some(limit) = q.issue_warning else { return };
    if let Ok(u) = usage(s).await
        && u.bytes >= limit
    {
        s.untagged(&format!(
            "OK [ALERT] The mailbox is nearly full: {} KB used, warning at {} KB (IssueWarningQuota).",
            kib(u.bytes),
            kib(limit)
        ));
    }
}

pub async fn get_quota_root(s: &mut ImapSession, mailbox: Mailbox<'static>) -> Done {
    match find_folder(s, &mailbox).await {
        Ok(Some(_)) => {}
        Ok(None) => return Done::no("The specified folder could not be found in the store."),
        Err(e) => return Done::failed(&e),
    }
    let utf8 = s.enabled.utf8;
    let name = super::folder_name(&mailbox, utf8).unwrap_or_default();
    let name = if utf8 { name } else { crate::engines::imap::wire::utf7::encode(&name) };
    let mut line = b"* QUOTAROOT ".to_vec();
    crate::engines::imap::wire::out::mailbox(&mut line, &name, utf8);
    let limit = s.user.as_ref().and_then(|u| u.quotas.prohibit_send_receive);
    if limit.is_some() {
        line.extend_from_slice(b" \"\"");
    }
    line.extend_from_slice(b"\r\n");
    s.out.extend_from_slice(&line);
    if let Some(limit) = limit {
        match usage(s).await {
            Ok(u) => s.untagged(&quota_line(u, limit)),
            Err(e) => return Done::failed(&e),
        }
    }
    Done::completed("GETQUOTAROOT")
}

pub async fn get_quota(s: &mut ImapSession, root: AString<'static>) -> Done {
    let limit = s.user.as_ref().and_then(|u| u.quotas.prohibit_send_receive);
    let bytes: &[u8] = root.as_ref();
    let Some(limit) = limit.filter(|_| bytes.is_empty()) else {
        return Done::no("[NONEXISTENT] There is no such quota root.");
    };
    match usage(s).await {
        Ok(u) => s.untagged(&quota_line(u, limit)),
        Err(e) => return Done::failed(&e),
    }
    Done::completed("GETQUOTA")
}

pub fn set_quota() -> Done {
    Done::no("[NOPERM] Quotas are set by the administrator (Set-Mailbox).")
}
