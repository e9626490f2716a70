//! Get-MailboxDatabase, New-MailboxDatabase, Remove-MailboxDatabase,
//! Mount-Database, Dismount-Database: the organization's mailbox databases,
//! each on one Mailbox server (`store::databases`). The IMAP4 and POP3 back
//! ends serve a mailbox only from its database, on its server, while it is
//! mounted.

use std::path::Path;

use super::common::{audit, object};
use super::identity::{identity_text, server_named, store_err};
use crate::format::views::MAILBOX_DATABASE;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{ConfirmImpact, Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::store::Store;
use crate::store::databases::{MailboxDatabase, NewDatabase, default_file};

/// What Exchange 2013 CU23 reports as its version.
const VERSION: &str = "Version 15.0 (Build 1497.2)";

pub fn definitions() -> Vec<CmdletDef> {
    let identity = || {
        Param::new("Identity", T::Identity("DatabaseIdParameter"))
            .position(0)
            .pipeline()
            .by_property()
            .help("The database's name or GUID.")
    };
    let get = Signature::build("Get-MailboxDatabase")
        .synopsis("Lists the organization's mailbox databases, or shows one.")
        .param(identity().help("The database's name or GUID; without it, every database."))
        .param(Param::new("Server", T::Identity("ServerIdParameter")).help("Only this server's databases."))
        .param(Param::new("Status", T::Switch).help("Fills in Mounted (empty without it, as in Exchange)."))
        .example(
            "Every database, with its state",
            "Get-MailboxDatabase -Status | Format-Table Name,Server,Mounted",
            "",
        );
    let new = Signature::build("New-MailboxDatabase")
        .synopsis("Adds a mailbox database to a Mailbox server; it starts dismounted (Mount-Database).")
        .should_process(ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::NEW_MAILBOX_DATABASE)
        .param(Param::new("Name", T::String).position(0).mandatory())
        .param(Param::new("Server", T::Identity("ServerIdParameter")).mandatory().help("A server with the Mailbox role."))
        .param(Param::new("EdbFilePath", T::String).help(
            "The database's file: an absolute path on that server, or a path in its local folder (default Mailbox/<Name>/<Name>.db).",
        ))
        .param(Param::new("LogFolderPath", T::String).help(
            "Not implemented: a database's log (SQLite's write-ahead log) stays beside its file.",
        ))
        .examples_not_self_contained()
        .example("A second database on CAS01", "New-MailboxDatabase -Name DB02 -Server CAS01", "");
    let remove = Signature::build("Remove-MailboxDatabase")
        .synopsis("Removes an empty mailbox database from the directory; its file stays on its server.")
        .should_process(ConfirmImpact::High)
        .confirm_message(super::confirm_texts::REMOVE_MAILBOX_DATABASE)
        .param(identity().mandatory())
        .examples_not_self_contained()
        .example("Remove DB02", "Remove-MailboxDatabase DB02 -Confirm:$false", "");
    let mount = Signature::build("Mount-Database")
        .synopsis("Mounts a mailbox database: its server's services serve its mailboxes again.")
        .should_process(ConfirmImpact::Low)
        .confirm_message(super::confirm_texts::MOUNT_DATABASE)
        .param(identity().mandatory())
        .examples_not_self_contained()
        .example("Mount DB02", "Mount-Database DB02", "");
    let dismount = Signature::build("Dismount-Database")
        .synopsis("Dismounts a mailbox database: its users are told they are not connected, and mail for them waits in the queue.")
        .should_process(ConfirmImpact::High)
        .confirm_message(super::confirm_texts::DISMOUNT_DATABASE)
        .param(identity().mandatory())
        .examples_not_self_contained()
        .example("Dismount DB02", "Dismount-Database DB02 -Confirm:$false", "");
    vec![
        CmdletDef::run(get, get_database),
        CmdletDef::run(new, new_database),
        CmdletDef::run(remove, remove_database),
        CmdletDef::run(mount, |a, i, cx, o| mount_database(a, i, cx, o, true)),
        CmdletDef::run(dismount, |a, i, cx, o| mount_database(a, i, cx, o, false)),
    ]
}

/// The database as Get-MailboxDatabase shows it; `status`: -Status given.
fn database_object(store: &Store, d: &MailboxDatabase, status: bool) -> Value {
    let file = store.database_file(d);
    let folder = file.parent().map(|p| p.display().to_string()).unwrap_or_default();
    object(
        MAILBOX_DATABASE,
        vec![
            ("Name", Value::str(d.name.clone())),
            ("Server", Value::str(d.server.clone())),
            ("MasterServerOrAvailabilityGroup", Value::str(d.server.clone())),
            ("Recovery", Value::Bool(false)),
            ("ReplicationType", Value::str("None")),
            ("EdbFilePath", Value::str(file.display().to_string())),
            ("LogFolderPath", Value::str(folder)),
            ("Mounted", if status { Value::Bool(d.mounted) } else { Value::Null }),
            ("MountAtStartup", Value::Bool(true)),
            ("IsExcludedFromProvisioning", Value::Bool(false)),
            ("AdminDisplayVersion", Value::str(VERSION)),
            ("WhenCreated", Value::date_unix(d.created)),
            ("Guid", Value::str(d.guid.clone())),
            ("Identity", Value::str(d.name.clone())),
        ],
    )
}

/// The database `args` names, or Exchange's "couldn't be found".
fn named(cx: &mut Session, args: &Args) -> Result<MailboxDatabase> {
    let text = args.get("Identity").map(identity_text).unwrap_or_default();
    let store = cx.store()?;
    match store.mailbox_database(&text).map_err(store_err)? {
        Some(d) => Ok(d),
        None => Err(ErrorRecord::object_not_found(&text, &store.server().fqdn).into()),
    }
}

fn get_database(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let found = match args.get("Identity") {
        Some(_) => vec![named(cx, args)?],
        None => cx.store()?.mailbox_databases().map_err(store_err)?,
    };
    let server = match args.get("Server") {
        Some(_) => Some(server_named(cx, args)?.guid),
        None => None,
    };
    let status = args.switch("Status");
    for d in found.into_iter().filter(|d| server.as_ref().is_none_or(|g| *g == d.server_guid)) {
        let v = database_object(cx.store()?, &d, status);
        out.emit(cx, v)?;
    }
    Ok(())
}

fn refusal(text: String, id: &str) -> ErrorRecord {
    ErrorRecord::new(text, Category::InvalidArgument, id, "ArgumentException")
}

fn new_database(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    if args.has("LogFolderPath") {
        return Err(ErrorRecord::new(
            "New-MailboxDatabase -LogFolderPath is not implemented by mailsh: a database's log (SQLite's write-ahead log) stays beside its file (-EdbFilePath).",
            Category::NotImplemented,
            "NotImplemented",
            "PSNotSupportedException",
        )
        .into());
    }
    let name = args.string("Name").unwrap_or_default().trim().to_string();
    if name.is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control() || "\\/:*?\"<>|".contains(c)) {
        return Err(refusal(
            format!("\"{name}\" isn't a valid database name: use 1 to 64 characters, none of \\ / : * ? \" < > |."),
            "InvalidDatabaseName",
        )
        .into());
    }
    let server = server_named(cx, args)?;
    if !server.roles.mailbox {
        return Err(refusal(
            format!(
                "The server {} doesn't have the Mailbox role installed: a mailbox database needs a Mailbox server.",
                server.name
            ),
            "ServerNotMailbox",
        )
        .into());
    }
    let edb_file_path = match args.string("EdbFilePath") {
        None => default_file(&name),
        Some(p) if Path::new(&p).is_absolute() && !p.contains('\0') => p,
        Some(p) => {
            return Err(refusal(
                format!("EdbFilePath \"{p}\" isn't an absolute path on {}: give one such as /srv/mailsh/DB02/DB02.db, or leave it out.", server.name),
                "InvalidEdbFilePath",
            )
            .into());
        }
    };
    if !cx.should_process(args, &name)? {
        return Ok(());
    }
    let new = NewDatabase { name: name.clone(), server_guid: server.guid.clone(), edb_file_path, mounted: false };
    let user = cx.user.clone();
    let made = cx
        .store()?
        .write(|tx| {
            let d = Store::add_mailbox_database(tx, &new)?;
            audit(tx, &user, args, &name, vec![])?;
            Ok(d)
        })
        .map_err(|e| match e {
            crate::store::StoreError::Conflict(msg) => ErrorRecord::task(msg, "ADObjectAlreadyExistsException"),
            other => store_err(other),
        })?;
    let v = database_object(cx.store()?, &made, false);
    out.emit(cx, v)
}

fn remove_database(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let d = named(cx, args)?;
    if !cx.should_process(args, &d.name)? {
        return Ok(());
    }
    if cx.store()?.mailboxes_in_database(&d.guid).map_err(store_err)? > 0 {
        return Err(ErrorRecord::new(
            "This mailbox database contains one or more mailboxes. To get a list of all mailboxes in this database, run the command Get-Mailbox -Database <Database ID>. Before you can remove this mailbox database, you must disable, move, or remove user mailboxes.",
            Category::InvalidOperation,
            "DatabaseHasMailboxes",
            "InvalidOperationException",
        )
        .into());
    }
    let file = cx.store()?.database_file(&d);
    let user = cx.user.clone();
    cx.store()?
        .write(|tx| {
            // Read again under the write lock: a mailbox made meanwhile keeps it.
            if Store::mailboxes_in_database_tx(tx, &d.guid)? > 0 {
                return Err(crate::store::StoreError::Conflict(format!(
                    "A mailbox was added to {} meanwhile; it was not removed.",
                    d.name
                )));
            }
            Store::remove_mailbox_database(tx, &d.guid)?;
            audit(tx, &user, args, &d.name, vec![])
        })
        .map_err(store_err)?;
    cx.warn(&format!(
        "The specified database has been removed. You must remove the database file located in {} from your computer manually if it exists. Specified database: {}",
        file.display(),
        d.name
    ));
    Ok(())
}

fn mount_database(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output, mount: bool) -> Result<()> {
    let d = named(cx, args)?;
    if !cx.should_process(args, &d.name)? || d.mounted == mount {
        return Ok(());
    }
    let user = cx.user.clone();
    let (was, now) = (d.mounted.to_string(), mount.to_string());
    cx.store()?
        .write(|tx| {
            Store::set_database_mounted(tx, &d.guid, mount)?;
            audit(tx, &user, args, &d.name, vec![("Mounted".into(), was, now)])
        })
        .map_err(store_err)?;
    Ok(())
}
