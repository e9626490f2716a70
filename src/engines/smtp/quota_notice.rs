//! The quota messages Exchange puts in a mailbox that has grown past its
//! limits (Set-Mailbox -IssueWarningQuota, -ProhibitSendQuota): after the
//! delivery task stored copies in a mailbox, it weighs the mailbox and,
//! past IssueWarningQuota, stores "Your mailbox is almost full." in its
//! Inbox; past ProhibitSendQuota, "Your mailbox is full." (its user can no
//! longer send: Client Frontend refuses their submissions). At most one of
//! each a day: the notice is a delivery keyed by its kind and the UTC day
//! (`MailDb::deliver_all`'s exactly-once record), so a retried batch or a
//! second delivery that day stores nothing more. Past
//! ProhibitSendReceiveQuota nothing is delivered at all (552 5.2.2 at RCPT).

use super::dsn::{EXCHANGE_RECIPIENT, EXCHANGE_RECIPIENT_NAME, rfc5322_date};
use super::texts;
use crate::engines::net::auth::StoreHandle;
use crate::engines::net::mail_databases::Home;
use crate::store::mail::{Delivery, MailError};
use crate::store::{Mailbox, ServerInfo, storage_limit_status};

/// The notices this process stored or found stored: (mailbox, key).
static NOTICED: std::sync::Mutex<std::collections::BTreeSet<(String, String)>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// Which notice a mailbox of `used` octets gets, if any.
fn notice_for(m: &Mailbox, used: u64) -> Option<(&'static str, &'static str, &'static str)> {
    match storage_limit_status(&m.quotas, used) {
        "IssueWarning" => Some(("IssueWarning", texts::QUOTA_WARNING_SUBJECT, texts::QUOTA_WARNING_BODY)),
        "ProhibitSend" => Some(("ProhibitSend", texts::QUOTA_SEND_SUBJECT, texts::QUOTA_SEND_BODY)),
        _ => None,
    }
}

/// `9.77 MB (10,240,000 bytes)`, as Exchange writes a size.
fn size(bytes: u64) -> String {
    let units = [("GB", 1u64 << 30), ("MB", 1 << 20), ("KB", 1 << 10)];
    let head = match units.iter().find(|(_, unit)| bytes >= *unit) {
        Some((name, unit)) => {
            let hundredths = (u128::from(bytes) * 100 + u128::from(*unit) / 2) / u128::from(*unit);
            let shown = format!("{}.{:02}", hundredths / 100, hundredths % 100);
            format!("{} {name}", shown.trim_end_matches('0').trim_end_matches('.'))
        }
        None => format!("{bytes} B"),
    };
    let digits = bytes.to_string();
    let grouped: Vec<&str> = (0..digits.len())
        .rev()
        .step_by(3)
        .map(|end| &digits[end.saturating_sub(2)..=end])
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{head} ({} bytes)", grouped.join(","))
}

/// The notice's text for mailbox `m` of `used` octets.
fn message(server: &ServerInfo, m: &Mailbox, used: u64, limit: u64, subject: &str, body: &str, now: i64) -> Vec<u8> {
    let id = crate::store::new_guid();
    let body = body.replace("{size}", &size(used)).replace("{limit}", &size(limit));
    format!(
        "From: {EXCHANGE_RECIPIENT_NAME} <{EXCHANGE_RECIPIENT}@{domain}>\r\n\
         To: {name} <{to}>\r\n\
         Date: {date}\r\n\
         Subject: {subject}\r\n\
         Message-ID: <{id}@{fqdn}>\r\n\
         Importance: high\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=\"utf-8\"\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         {body}\r\n",
        domain = server.domain,
        name = m.display_name,
        to = m.primary_smtp,
        date = rfc5322_date(now),
        fqdn = server.fqdn,
        body = body.replace('\n', "\r\n"),
    )
    .into_bytes()
}

/// Weighs each mailbox of `guids` (copies were just stored there, in
/// `home`) and stores the notice its size calls for, once a day.
pub async fn after_delivery(directory: &StoreHandle, server: &ServerInfo, home: &Home, guids: Vec<String>) {
    for guid in guids {
        if let Err(e) = notice(directory, server, home, &guid).await {
            eprintln!("mailsh: delivery: the quota notice for {guid} could not be stored: {e}");
        }
    }
}

async fn notice(directory: &StoreHandle, server: &ServerInfo, home: &Home, guid: &str) -> Result<(), MailError> {
    let wanted = guid.to_string();
    let found = directory.clone();
    let mailbox = tokio::task::spawn_blocking(move || found.with(|s| s.mailbox_by_guid(&wanted)))
        .await
        .map_err(|e| MailError::Task(e.to_string()))?
        .map_err(|e| MailError::Task(format!("the directory could not be read: {e}")))?;
    let Some(m) = mailbox else { return Ok(()) };
    if m.quotas.issue_warning.is_none() && m.quotas.prohibit_send.is_none() {
        return Ok(());
    }
    let weighed = guid.to_string();
    let used = home.pool.run(move |db| db.mailbox_usage(&weighed)).await?.bytes;
    let Some((kind, subject, body)) = notice_for(&m, used) else { return Ok(()) };
    let limit = if kind == "ProhibitSend" { m.quotas.prohibit_send } else { m.quotas.issue_warning };
    let now = crate::store::clock::now_unix();
    let delivery = Delivery {
        guid: guid.to_string(),
        key: format!("quota-notice/{kind}/{}", now.div_euclid(86_400)),
        internal_date: now,
        raw: message(server, &m, used, limit.unwrap_or_default(), subject, body, now),
    };
    // Once stored (or found stored) today, later deliveries need not open
    // a write transaction to learn it again.
    let noticed = (guid.to_string(), delivery.key.clone());
    if NOTICED.lock().unwrap_or_else(|p| p.into_inner()).contains(&noticed) {
        return Ok(());
    }
    let stored = home
        .pool
        .run(move |db| {
            db.deliver_all(std::slice::from_ref(&delivery), &mut |_| Ok(crate::store::mail::Listing::Receives(None)))
        })
        .await?;
    let mut seen = NOTICED.lock().unwrap_or_else(|p| p.into_inner());
    // Keyed by the day: yesterday's are of no use.
    seen.retain(|(_, key)| key.ends_with(&format!("/{}", now.div_euclid(86_400))));
    seen.insert(noticed);
    drop(seen);
    if stored.iter().any(|d| matches!(d, crate::store::mail::Delivered::Now(_))) {
        home.changed.notify();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_written_as_exchange_writes_them() {
        assert_eq!(size(512), "512 B (512 bytes)");
        assert_eq!(size(10_240_000), "9.77 MB (10,240,000 bytes)");
        assert_eq!(size(1 << 20), "1 MB (1,048,576 bytes)");
        assert_eq!(size(1_536), "1.5 KB (1,536 bytes)");
    }
}
