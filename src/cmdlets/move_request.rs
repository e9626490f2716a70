//! New-MoveRequest, Get-MoveRequest, Get-MoveRequestStatistics,
//! Remove-MoveRequest: a mailbox moved to another mailbox database, online.
//!
//! Exchange hands the move to the Mailbox Replication service and
//! New-MoveRequest returns at once; mailsh's shell makes the move itself
//! and returns when it is done (the request then reads Completed, or
//! Failed with why). The steps:
//!
//! 1. The request is recorded InProgress: the services stop serving the
//!    mailbox (its open sessions close within a second or two, its users
//!    are told they are not connected, mail for it waits in the queue).
//! 2. After `SETTLE` (time for every service to have noticed), the mailbox
//!    is copied whole into the target database's file
//!    (`MailDb::copy_mailbox_from`: UIDs, flags, modseqs kept), and copied
//!    again if the source changed meanwhile. A database of another server
//!    is read or written by that server's Mailbox Replication service
//!    (`engines::replication`): the source's exports the mailbox into a
//!    file of its own, which crosses this computer to the target's.
//! 3. The switch: in one transaction of the directory the mailbox is in the
//!    target database and the request Completed; the services serve it
//!    there, and the queue delivers what waited.
//! 4. The source's copy is deleted.
//!
//! Another server's database whose Mailbox Replication service does not
//! run is refused by name before anything is recorded.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::common::{audit, canonical_name, object};
use super::identity::{identity_text, resolve_mailbox, store_err};
use crate::engines::net::back_end_link::BackEndTarget;
use crate::engines::net::proxy_auth::ProxyKey;
use crate::engines::replication::client::{self, ReplicationClient, ReplicationError};
use crate::format::views::{MOVE_REQUEST, MOVE_REQUEST_STATISTICS};
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{ConfirmImpact, Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::store::databases::MailboxDatabase;
use crate::store::mail::{Copied, InTransit, MailDb, copy_while_still, export_mailbox};
use crate::store::move_requests::MoveRequest;
use crate::store::{Mailbox, Store};

/// How long a move waits after it is recorded before it reads the source:
/// the services look at the directory every second.
const SETTLE: Duration = Duration::from_secs(3);

pub fn definitions() -> Vec<CmdletDef> {
    let identity = || {
        Param::new("Identity", T::Identity("MailboxOrMailUserIdParameter"))
            .position(0)
            .pipeline()
            .by_property()
            .help("The mailbox.")
    };
    let new = Signature::build("New-MoveRequest")
        .synopsis("Moves a mailbox to another mailbox database, online; returns when the move is done.")
        .should_process(ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::NEW_MOVE_REQUEST)
        .param(identity().mandatory())
        .param(Param::new("TargetDatabase", T::Identity("DatabaseIdParameter")).mandatory())
        .examples_not_self_contained()
        .example("Move John to DB02", "New-MoveRequest -Identity jsmith -TargetDatabase DB02", "");
    let get = Signature::build("Get-MoveRequest")
        .synopsis("Lists move requests, or shows one.")
        .param(identity())
        .example("Every move request", "Get-MoveRequest", "");
    let stats = Signature::build("Get-MoveRequestStatistics")
        .synopsis("Shows how far a move went: its state, what it carried.")
        .param(identity().mandatory())
        .examples_not_self_contained()
        .example("John's move", "Get-MoveRequestStatistics jsmith", "");
    let remove = Signature::build("Remove-MoveRequest")
        .synopsis("Clears a completed or failed move request (a mailbox takes one request at a time).")
        .should_process(ConfirmImpact::High)
        .confirm_message(super::confirm_texts::REMOVE_MOVE_REQUEST)
        .param(identity().mandatory())
        .examples_not_self_contained()
        .example("Clear John's", "Remove-MoveRequest jsmith -Confirm:$false", "");
    vec![
        CmdletDef::run(new, new_move),
        CmdletDef::run(get, get_move),
        CmdletDef::run(stats, get_statistics),
        CmdletDef::run(remove, remove_move),
    ]
}

fn fail(text: String, id: &str, category: Category) -> ErrorRecord {
    ErrorRecord::new(text, category, id, "RecipientTaskException")
}

fn new_move(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let identity = args.get("Identity").cloned().unwrap_or(Value::Null);
    let mailbox = resolve_mailbox(cx, &identity)?;
    let store = cx.store()?;
    let server = store.server().clone();
    let shown = canonical_name(&server.domain, &mailbox.name);
    let target_name = args.get("TargetDatabase").map(identity_text).unwrap_or_default();
    let Some(target) = store.mailbox_database(&target_name).map_err(store_err)? else {
        return Err(ErrorRecord::object_not_found(&target_name, &server.fqdn).into());
    };
    let source = match mailbox.database.as_deref().map(|g| store.mailbox_database(g)).transpose().map_err(store_err)? {
        Some(Some(d)) => d,
        _ => {
            return Err(fail(
                format!("The mailbox '{shown}' is in no mailbox database."),
                "NoSourceDatabase",
                Category::InvalidOperation,
            )
            .into());
        }
    };
    if source.guid == target.guid {
        return Err(fail(
            format!("The mailbox '{shown}' is already in the database '{}'.", target.name),
            "AlreadyInTargetDatabase",
            Category::InvalidArgument,
        )
        .into());
    }
    if store.move_request(&mailbox.guid).map_err(store_err)?.is_some() {
        return Err(fail(
            format!("User '{shown}' already has a move request associated with it."),
            "ManagementObjectAlreadyExists",
            Category::InvalidArgument,
        )
        .into());
    }
    for d in [&source, &target] {
        if !d.mounted {
            return Err(fail(
                format!("The database '{}' is not mounted.", d.name),
                "DatabaseNotMounted",
                Category::InvalidOperation,
            )
            .into());
        }
    }
    // Each database is reached where it is: this server's through its file,
    // another server's through that server's Mailbox Replication service.
    let (from, to) = (side_of(store, &source)?, side_of(store, &target)?);
    let key = match (&from, &to) {
        (Side::Here(_), Side::Here(_)) => None,
        _ => {
            let state_dir = store.state_dir();
            Some(ProxyKey::for_store(store, &state_dir).map_err(|e| {
                fail(format!("The organization's key could not be read: {e}"), "NoKey", Category::ResourceUnavailable)
            })?)
        }
    };
    if !cx.should_process(args, &shown)? {
        return Ok(());
    }
    let request = MoveRequest {
        mailbox_guid: mailbox.guid.clone(),
        source_database: source.guid.clone(),
        target_database: target.guid.clone(),
        status: "InProgress".into(),
        items: 0,
        bytes: 0,
        created: crate::store::now_unix(),
        completed: None,
        message: None,
    };
    let user = cx.user.clone();
    cx.store()?
        .write(|tx| {
            Store::begin_move(tx, &request)?;
            audit(tx, &user, args, &shown, vec![])
        })
        .map_err(store_err)?;
    let transit = cx.store()?.state_dir().join("MoveRequests").join(format!("{}.db", mailbox.guid));
    let mut carrier = Carrier { key: key.as_ref(), mailbox: &mailbox.guid, transit: &transit, links: Vec::new() };
    let moved = carrier.carry(&from, &source, &to, &target);
    let store = cx.store()?;
    match moved {
        Ok(copied) => {
            store
                .write(|tx| Store::complete_move(tx, &mailbox.guid, &target.guid, copied.items, copied.bytes))
                .map_err(store_err)?;
            // The mailbox is served from its target now; its old copy goes.
            if let Err(e) = carrier.remove(&from, &source) {
                cx.warn(&format!("The mailbox was moved, but its copy in '{}' could not be deleted: {e}", source.name));
            }
        }
        Err(why) => {
            store.write(|tx| Store::fail_move(tx, &mailbox.guid, &why)).map_err(store_err)?;
            return Err(fail(
                format!("The move of '{shown}' failed: {why} The mailbox stays in '{}'.", source.name),
                "MoveFailed",
                Category::InvalidOperation,
            )
            .into());
        }
    }
    let store = cx.store()?;
    let done = store.move_request(&mailbox.guid).map_err(store_err)?;
    let databases = super::mailbox::databases_by_guid(store)?;
    if let Some(r) = done {
        out.emit(cx, request_object(&r, &mailbox, &databases, &server.domain))?;
    }
    Ok(())
}

/// Where a move reads or writes a database.
enum Side {
    /// This server's: its file.
    Here(PathBuf),
    /// Another server's: its Mailbox Replication service.
    There { server: String, at: BackEndTarget },
}

/// How `d` is reached from this server's shell; another server's whose
/// Mailbox Replication service does not run is refused by name, before
/// anything is recorded.
fn side_of(store: &Store, d: &MailboxDatabase) -> Result<Side> {
    if d.server_guid == store.server().guid {
        return Ok(Side::Here(store.database_file(d)));
    }
    match client::endpoint_of(store, &d.server_guid).map_err(store_err)? {
        Some(at) => Ok(Side::There { server: d.server.clone(), at }),
        None => Err(fail(
            ReplicationError::NotRunning(d.server.clone()).to_string(),
            "MailboxReplicationServiceNotRunning",
            Category::ResourceUnavailable,
        )
        .into()),
    }
}

/// Carries one mailbox from its source to its target.
struct Carrier<'a> {
    key: Option<&'a ProxyKey>,
    mailbox: &'a str,
    /// The file a mailbox crosses this computer in, when either side is
    /// another server's.
    transit: &'a Path,
    /// One connection per server, kept for the whole move.
    links: Vec<(String, ReplicationClient)>,
}

impl Carrier<'_> {
    /// Waits for the services to let go of the mailbox, then copies it
    /// whole, while still (`copy_while_still`).
    fn carry(
        &mut self,
        from: &Side,
        source: &MailboxDatabase,
        to: &Side,
        target: &MailboxDatabase,
    ) -> std::result::Result<Copied, String> {
        std::thread::sleep(SETTLE);
        if let (Side::Here(from), Side::Here(to)) = (from, to) {
            return copy_while_still(from, to, self.mailbox).map_err(|e| e.to_string());
        }
        let transit = InTransit(self.transit.to_path_buf());
        if let Some(parent) = transit.0.parent() {
            crate::store::private::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        match from {
            Side::Here(file) => {
                export_mailbox(file, self.mailbox, &transit.0).map(|_| ()).map_err(|e| e.to_string())?
            }
            Side::There { .. } => {
                let mailbox = self.mailbox;
                self.link(from)?.export(&source.guid, mailbox, &transit.0).map(|_| ()).map_err(|e| e.to_string())?
            }
        }
        match to {
            Side::Here(file) => {
                if let Some(parent) = file.parent() {
                    crate::store::private::create_dir_all(parent).map_err(|e| e.to_string())?;
                }
                MailDb::open(file)
                    .and_then(|mut db| db.copy_mailbox_from(&transit.0, self.mailbox))
                    .map_err(|e| e.to_string())
            }
            Side::There { .. } => {
                let mailbox = self.mailbox;
                self.link(to)?.import(&target.guid, mailbox, &transit.0).map_err(|e| e.to_string())
            }
        }
    }

    /// Deletes the source's copy, after the switch.
    fn remove(&mut self, from: &Side, source: &MailboxDatabase) -> std::result::Result<(), String> {
        match from {
            Side::Here(file) if !file.exists() => Ok(()),
            Side::Here(file) => MailDb::open(file)
                .and_then(|mut db| db.delete_mailbox(self.mailbox))
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Side::There { server, .. } => {
                // A new connection: the one the export used may have been
                // idle past the service's limit while the target imported.
                self.links.retain(|(s, _)| s != server);
                let mailbox = self.mailbox;
                self.link(from)?.remove(&source.guid, mailbox).map_err(|e| e.to_string())
            }
        }
    }

    fn link(&mut self, side: &Side) -> std::result::Result<&mut ReplicationClient, String> {
        let Side::There { server, at } = side else {
            return Err("this server's database needs no service".into());
        };
        let key = self.key.ok_or("the organization's key was not read")?;
        let at_index = match self.links.iter().position(|(s, _)| s == server) {
            Some(i) => i,
            None => {
                let link = ReplicationClient::connect(at, key, server).map_err(|e| e.to_string())?;
                self.links.push((server.clone(), link));
                self.links.len() - 1
            }
        };
        Ok(&mut self.links[at_index].1)
    }
}

/// The request as Get-MoveRequest shows it.
fn request_object(
    r: &MoveRequest,
    m: &Mailbox,
    databases: &std::collections::HashMap<String, MailboxDatabase>,
    domain: &str,
) -> Value {
    let name = |guid: &str| databases.get(guid).map_or(Value::str(guid), |d| Value::str(d.name.clone()));
    object(
        MOVE_REQUEST,
        vec![
            ("DisplayName", Value::str(m.display_name.clone())),
            ("Alias", Value::str(m.alias.clone())),
            ("Status", Value::str(r.status.clone())),
            ("SourceDatabase", name(&r.source_database)),
            ("TargetDatabase", name(&r.target_database)),
            ("RequestStyle", Value::str("IntraOrg")),
            ("Identity", Value::str(canonical_name(domain, &m.name))),
        ],
    )
}

/// The requests `args` names (one mailbox's), or every one.
fn requests(cx: &mut Session, args: &Args) -> Result<Vec<(MoveRequest, Mailbox)>> {
    let mut out = Vec::new();
    if let Some(identity) = args.get("Identity").cloned() {
        let m = resolve_mailbox(cx, &identity)?;
        let store = cx.store()?;
        match store.move_request(&m.guid).map_err(store_err)? {
            Some(r) => out.push((r, m)),
            None => {
                let shown = canonical_name(&store.server().domain, &m.name);
                return Err(ErrorRecord::object_not_found(&shown, &store.server().fqdn).into());
            }
        }
        return Ok(out);
    }
    let store = cx.store()?;
    for r in store.move_requests().map_err(store_err)? {
        if let Some(m) = store.mailbox_by_guid(&r.mailbox_guid).map_err(store_err)? {
            out.push((r, m));
        }
    }
    Ok(out)
}

fn get_move(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let found = requests(cx, args)?;
    let store = cx.store()?;
    let domain = store.server().domain.clone();
    let databases = super::mailbox::databases_by_guid(store)?;
    for (r, m) in found {
        out.emit(cx, request_object(&r, &m, &databases, &domain))?;
    }
    Ok(())
}

fn get_statistics(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let found = requests(cx, args)?;
    let store = cx.store()?;
    let domain = store.server().domain.clone();
    let databases = super::mailbox::databases_by_guid(store)?;
    let name = |guid: &str| databases.get(guid).map_or(Value::str(guid), |d| Value::str(d.name.clone()));
    for (r, m) in found {
        let done = r.status == "Completed";
        let v = object(
            MOVE_REQUEST_STATISTICS,
            vec![
                ("DisplayName", Value::str(m.display_name.clone())),
                ("StatusDetail", Value::str(r.status.clone())),
                ("TotalMailboxSize", Value::Bytes(r.bytes.max(0) as u64)),
                ("TotalArchiveSize", Value::Null),
                ("PercentComplete", Value::int(if done { 100 } else { 0 })),
                ("TotalMailboxItemCount", Value::int(r.items)),
                ("SourceDatabase", name(&r.source_database)),
                ("TargetDatabase", name(&r.target_database)),
                ("QueuedTimestamp", Value::date_unix(r.created)),
                ("CompletionTimestamp", r.completed.map(Value::date_unix).unwrap_or(Value::Null)),
                ("Message", r.message.clone().map(Value::str).unwrap_or(Value::Null)),
                ("Identity", Value::str(canonical_name(&domain, &m.name))),
            ],
        );
        out.emit(cx, v)?;
    }
    Ok(())
}

fn remove_move(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    for (r, m) in requests(cx, args)? {
        let shown = canonical_name(&cx.store()?.server().domain.clone(), &m.name);
        if r.status == "InProgress" {
            return Err(fail(
                format!("The move request of '{shown}' is in progress; it can be removed once it completed or failed."),
                "MoveInProgress",
                Category::InvalidOperation,
            )
            .into());
        }
        if !cx.should_process(args, &shown)? {
            continue;
        }
        let user = cx.user.clone();
        cx.store()?
            .write(|tx| {
                Store::remove_move_request(tx, &m.guid)?;
                audit(tx, &user, args, &shown, vec![])
            })
            .map_err(store_err)?;
    }
    Ok(())
}
