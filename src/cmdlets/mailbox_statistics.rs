//! Get-MailboxStatistics: what a mailbox holds (ItemCount, TotalItemSize)
//! and where it stands against its quotas (StorageLimitStatus), read from
//! the mailbox database the IMAP4 QUOTA responses read too.

use super::common::object;
use super::identity::resolve_many;
use crate::format::views::MAILBOX_STATISTICS;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::store::mail::{MailDb, Usage};
use crate::store::storage_limit_status;

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Get-MailboxStatistics")
        .synopsis("Shows how many items a mailbox holds, their size, and its state against its quotas.")
        .param(
            Param::new("Identity", T::Identity("GeneralMailboxOrMailUserIdParameter"))
                .position(0)
                .mandatory()
                .pipeline()
                .by_property(),
        )
        .example("One mailbox", "Get-MailboxStatistics \"John Smith\" | Format-List", "");
    vec![CmdletDef::run(sig, get_statistics)]
}

fn get_statistics(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let identity = args.get("Identity").cloned().unwrap_or(Value::Null);
    let found = resolve_many(cx, &identity, 10_000)?;
    let databases = super::mailbox::databases_by_guid(cx.store()?)?;
    let this_server = cx.store()?.server().guid.clone();
    for m in found {
        let Some(db) = m.database.as_ref().and_then(|g| databases.get(g)) else {
            return Err(unreadable(&m.display_name, "it is in no mailbox database").into());
        };
        // The mail is on the database's server: another server's shell
        // answers for it.
        if db.server_guid != this_server {
            return Err(unreadable(
                &m.display_name,
                &format!(
                    "its database {} is on {}: run Get-MailboxStatistics on {}'s shell",
                    db.name, db.server, db.server
                ),
            )
            .into());
        }
        if !db.mounted {
            return Err(unreadable(&m.display_name, &format!("its database {} is dismounted", db.name)).into());
        }
        let path = cx.store()?.database_file(db);
        // A mailbox database exists once a service has served mail.
        let usage = if path.exists() {
            MailDb::open(&path).and_then(|db| db.mailbox_usage(&m.guid)).map_err(|e| {
                ErrorRecord::task(format!("The mailbox database could not be read: {e}"), "MailboxDatabaseError")
            })?
        } else {
            Usage::default()
        };
        let props = vec![
            ("DisplayName", Value::str(m.display_name.clone())),
            ("ItemCount", Value::int(usage.items as i64)),
            ("TotalItemSize", Value::Bytes(usage.bytes)),
            ("StorageLimitStatus", Value::str(storage_limit_status(&m.quotas, usage.bytes))),
            ("LastLogonTime", Value::Null),
            ("Database", Value::str(db.name.clone())),
            ("ServerName", Value::str(db.server.to_lowercase())),
            ("MailboxGuid", Value::str(m.guid.clone())),
            ("Identity", Value::str(m.guid.clone())),
        ];
        out.emit(cx, object(MAILBOX_STATISTICS, props))?;
    }
    Ok(())
}

/// Exchange's words when a mailbox's database cannot be read from here.
fn unreadable(mailbox: &str, why: &str) -> ErrorRecord {
    ErrorRecord::task(
        format!("The statistics of mailbox \"{mailbox}\" can't be read from this server: {why}."),
        "MailboxDatabaseUnavailable",
    )
}
