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
use crate::store::mail::{MailDb, Usage, mail_db_path};
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
    cx.refuse_on_postgres("Mailbox databases (Get-MailboxStatistics)")?;
    let identity = args.get("Identity").cloned().unwrap_or(Value::Null);
    let found = resolve_many(cx, &identity, 10_000)?;
    let path = mail_db_path(&cx.store_path);
    let database = super::mailbox::database_name(cx.store()?.server());
    let server = cx.store()?.server().name.clone();
    for m in found {
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
            ("Database", Value::str(database.clone())),
            ("ServerName", Value::str(server.to_lowercase())),
            ("MailboxGuid", Value::str(m.guid.clone())),
            ("Identity", Value::str(m.guid.clone())),
        ];
        out.emit(cx, object(MAILBOX_STATISTICS, props))?;
    }
    Ok(())
}
