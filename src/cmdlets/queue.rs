//! Get-Queue, Suspend-Queue, Resume-Queue, Retry-Queue: the Transport
//! service's queues, read from and changed in its queue database
//! (`<store>.d/Queue/mail.que`; the service sees a change at once).
//! Messages are categorized as they arrive, so Submission holds messages
//! only while it is suspended (Suspend-Queue CAS01\Submission holds all
//! delivery); a delivery queue to the mailbox database (`1`) exists while
//! messages wait for delivery, and Unreachable while a recipient failed
//! whose sender could not be told.

use super::common::object;
use super::opath_filter;
use crate::format::views::QUEUE;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{ConfirmImpact, Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::store::StoreError;
use crate::store::mail::{MailError, MailResult};
use crate::store::queue::{QueueDb, QueueName, QueueRetry, QueuedMessage, QueuedRecipient, UNROUTED, queue_path};
use crate::store::send_connectors::SendConnector;
use crate::store::transport::Recipient;

const PROPERTIES: &[&str] = &[
    "Identity",
    "DeliveryType",
    "Status",
    "MessageCount",
    "Velocity",
    "RiskLevel",
    "OutboundIPPool",
    "NextHopDomain",
    "LastError",
    "LastRetryTime",
    "NextRetryTime",
];

fn identity_param() -> Param {
    Param::new("Identity", T::Identity("QueueIdentity"))
        .position(0)
        .pipeline()
        .by_property()
        .help("Server\\Queue (Submission, 1, Unreachable); wildcards accepted by Get-Queue.")
}

pub fn definitions() -> Vec<CmdletDef> {
    let get = Signature::build("Get-Queue")
        .synopsis("Shows the Transport service's queues: Submission, delivery to the mailbox database, Unreachable.")
        .param(identity_param())
        .param(
            Param::new("Filter", T::String).help("An OPATH filter on the queue's properties: \"MessageCount -gt 0\"."),
        )
        .param(Param::new("Server", T::Identity("ServerIdParameter")))
        .example("The queues and what they hold", "Get-Queue", "")
        .example("Queues that hold messages", "Get-Queue -Filter \"MessageCount -gt 0\"", "");
    let suspend = Signature::build("Suspend-Queue")
        .synopsis("Holds a queue until Resume-Queue: Submission holds every message, the mailbox delivery queue (1) or a send connector's queue its own; messages keep arriving.")
        .should_process(ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::SUSPEND_QUEUE)
        .param(identity_param().mandatory())
        .example("Hold all delivery", "Suspend-Queue -Identity CAS01\\Submission -Confirm:$false", "");
    let resume = Signature::build("Resume-Queue")
        .synopsis("Releases a suspended queue: its messages are delivered.")
        .should_process(ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::RESUME_QUEUE)
        .param(identity_param().mandatory())
        .example("Deliver again", "Resume-Queue -Identity CAS01\\Submission", "");
    let retry = Signature::build("Retry-Queue")
        .synopsis("Tries a queue's messages again; -Resubmit $true resolves their recipients again first.")
        .should_process(ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::RETRY_QUEUE)
        .param(identity_param().mandatory())
        .param(
            Param::new("Resubmit", T::Bool)
                .help("$true: each recipient is looked up again by address (a mailbox created since receives)."),
        )
        .example(
            "Categorize again what waits (after an address moved to another mailbox)",
            "Retry-Queue CAS01\\Submission -Resubmit $true",
            "",
        );
    vec![
        CmdletDef::run(get, get_queue),
        CmdletDef::run(suspend, suspend_queue),
        CmdletDef::run(resume, resume_queue),
        CmdletDef::run(retry, retry_queue),
    ]
}

/// A queue database error as the Shell shows it.
pub fn queue_err(e: MailError) -> ErrorRecord {
    ErrorRecord::new(e.to_string(), Category::ReadError, "QueueViewerException", "QueueViewerException")
}

/// This server's queue database: beside its store file, or in its own
/// folder with the directory on PostgreSQL.
pub fn queue_file(cx: &Session) -> Result<std::path::PathBuf> {
    Ok(queue_path(&cx.store_path))
}

/// A queue cmdlet's change with its admin audit records (one per object
/// changed, as every other changing cmdlet writes them). The change goes to
/// the queue database and the records to the config store: two files, so
/// the records' store transaction is opened first and commits only after
/// the queue's own commit. A change refused or failed leaves no record; only
/// a store that fails at its own commit, after the queue's, leaves a change
/// unrecorded. Inside a -File batch the records commit with the batch.
pub fn audited(
    cx: &mut Session,
    args: &Args,
    objects: &[String],
    change: impl FnOnce() -> MailResult<()>,
) -> Result<()> {
    let user = cx.user.clone();
    let mut failed = None;
    let written = cx.store()?.write(|tx| {
        for object in objects {
            super::common::audit(tx, &user, args, object, vec![])?;
        }
        change().map_err(|e| {
            let text = e.to_string();
            failed = Some(e);
            StoreError::Conflict(text)
        })
    });
    if let Some(e) = failed {
        return Err(queue_err(e).into());
    }
    written.map_err(super::identity::store_err)?;
    Ok(())
}

/// The send connectors, which name the queues of mail leaving the
/// organization.
fn send_connectors(cx: &mut Session) -> Result<Vec<SendConnector>> {
    Ok(cx.store()?.send_connectors().map_err(super::identity::store_err)?)
}

/// The queue database, opened (and created) for a cmdlet.
pub fn open_queue(cx: &Session) -> Result<QueueDb> {
    Ok(QueueDb::open(&queue_file(cx)?).map_err(queue_err)?)
}

struct QueueRow {
    queue: QueueName,
    delivery_type: &'static str,
    status: &'static str,
    count: u64,
    next_hop: String,
    /// The failed attempt of a queue in Retry.
    retry: Option<QueueRetry>,
    /// A send connector's queue: the last temporary failure's reply.
    last_error: Option<String>,
}

fn queue_object(server: &str, q: &QueueRow) -> Value {
    object(
        QUEUE,
        vec![
            ("Identity", Value::str(format!("{server}\\{}", q.queue.name()))),
            ("DeliveryType", Value::str(q.delivery_type)),
            ("Status", Value::str(q.status)),
            ("MessageCount", Value::Int(q.count.min(i32::MAX as u64) as i32)),
            ("Velocity", Value::Int(0)),
            ("RiskLevel", Value::str("Normal")),
            ("OutboundIPPool", Value::Int(0)),
            ("NextHopDomain", Value::str(&q.next_hop)),
            (
                "LastError",
                q.retry
                    .as_ref()
                    .map(|r| &r.last_error)
                    .or(q.last_error.as_ref())
                    .map(Value::str)
                    .unwrap_or(Value::Null),
            ),
            ("LastRetryTime", q.retry.as_ref().map(|r| Value::date_unix(r.last_retry)).unwrap_or(Value::Null)),
            ("NextRetryTime", q.retry.as_ref().map(|r| Value::date_unix(r.next_retry)).unwrap_or(Value::Null)),
        ],
    )
}

/// The queues as they stand: Submission always, the others while they
/// hold messages. A send connector's queue is in Retry while a recipient
/// in it waits after a temporary failure (its reply is LastError).
fn queues(db: &QueueDb, connectors: &[SendConnector]) -> Result<Vec<QueueRow>> {
    let suspended = db.suspended_queues().map_err(queue_err)?;
    let is_suspended = |q: QueueName| suspended.contains(&q.name());
    let held = is_suspended(QueueName::Submission);
    let messages = db.messages().map_err(queue_err)?;
    let count = |q: QueueName| messages.iter().filter(|m| m.queue == q).count() as u64;
    let mut out = vec![QueueRow {
        queue: QueueName::Submission,
        delivery_type: "Undefined",
        status: if held { "Suspended" } else { "Ready" },
        count: count(QueueName::Submission),
        next_hop: "Submission".into(),
        retry: None,
        last_error: None,
    }];
    let waiting = count(QueueName::Delivery);
    if waiting > 0 {
        let retry = db.delivery_retry().map_err(queue_err)?;
        out.push(QueueRow {
            queue: QueueName::Delivery,
            delivery_type: "SmtpDeliveryToMailbox",
            status: match (is_suspended(QueueName::Delivery), &retry) {
                (true, _) => "Suspended",
                (false, Some(_)) => "Retry",
                (false, None) => "Ready",
            },
            count: waiting,
            next_hop: "mailbox database".into(),
            retry,
            last_error: None,
        });
    }
    let mut remote: Vec<i64> =
        messages.iter().filter_map(|m| if let QueueName::Remote(c) = m.queue { Some(c) } else { None }).collect();
    remote.sort_unstable();
    remote.dedup();
    for c in remote {
        let queue = QueueName::Remote(c);
        let waiting: Vec<&QueuedMessage> = messages.iter().filter(|m| m.queue == queue).collect();
        let last_error = waiting.iter().find_map(|m| m.last_error.clone());
        let connector = connectors.iter().find(|x| x.id == c);
        out.push(QueueRow {
            queue,
            delivery_type: "SmartHostConnectorDelivery",
            status: match (is_suspended(queue), &last_error) {
                (true, _) => "Suspended",
                (false, Some(_)) => "Retry",
                (false, None) => "Ready",
            },
            count: waiting.len() as u64,
            next_hop: connector.map(|x| x.smart_hosts_string()).unwrap_or_else(|| "Unreachable Domain".into()),
            retry: None,
            last_error: None,
        });
        if let Some(row) = out.last_mut() {
            row.last_error = last_error;
        }
    }
    let failed = count(QueueName::Unreachable);
    if failed > 0 {
        out.push(QueueRow {
            queue: QueueName::Unreachable,
            delivery_type: "Unreachable",
            status: "Ready",
            count: failed,
            next_hop: "Unreachable Domain".into(),
            retry: None,
            last_error: None,
        });
    }
    Ok(out)
}

/// Does `wanted` (`Server\Queue` or `Queue`, wildcards when `wild`) name
/// the queue?
pub fn names_queue(wanted: &str, server: &str, queue: QueueName, wild: bool) -> bool {
    let wanted = wanted.trim();
    let identity = format!("{server}\\{}", queue.name());
    identity.eq_ignore_ascii_case(wanted)
        || queue.name().eq_ignore_ascii_case(wanted)
        || (wild && wildcard_match(wanted, &identity, false))
}

fn get_queue(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let server = cx.store()?.server().name.clone();
    let filter = match args.string("Filter") {
        Some(f) => Some(opath_filter::compile(&f, PROPERTIES, &[])?),
        None => None,
    };
    let rows = if queue_file(cx)?.exists() {
        let connectors = send_connectors(cx)?;
        queues(&open_queue(cx)?, &connectors)?
    } else {
        vec![QueueRow {
            queue: QueueName::Submission,
            delivery_type: "Undefined",
            status: "Ready",
            count: 0,
            next_hop: "Submission".into(),
            retry: None,
            last_error: None,
        }]
    };
    let wanted = args.string("Identity");
    let mut any = false;
    for q in &rows {
        if wanted.as_deref().is_some_and(|w| !names_queue(w, &server, q.queue, true)) {
            continue;
        }
        let o = queue_object(&server, q);
        if let (Some(f), Value::Object(obj)) = (&filter, &o)
            && !opath_filter::matches(f, obj)
        {
            continue;
        }
        any = true;
        out.emit(cx, o)?;
    }
    if let Some(w) = wanted
        && !any
        && !w.contains(['*', '?'])
    {
        return Err(not_found(&w).into());
    }
    Ok(())
}

/// An identity that names no queue or message (the Queue Viewer's
/// `ObjectNotFound`).
pub fn not_found(identity: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!("The object with identity {identity} wasn't found."),
        Category::ObjectNotFound,
        "QueueViewerException",
        "QueueViewerException",
    )
}

/// The one queue `Identity` names, among those that exist now.
fn one_queue(args: &Args, cx: &mut Session, db: &QueueDb) -> Result<(QueueName, String)> {
    let wanted = args.string("Identity").unwrap_or_default();
    let server = cx.store()?.server().name.clone();
    let connectors = send_connectors(cx)?;
    let found = queues(db, &connectors)?.into_iter().find(|q| names_queue(&wanted, &server, q.queue, false));
    match found {
        Some(q) => Ok((q.queue, format!("{server}\\{}", q.queue.name()))),
        None => Err(not_found(&wanted).into()),
    }
}

fn suspend_queue(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    set_suspended(args, cx, true)
}

fn resume_queue(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    set_suspended(args, cx, false)
}

fn set_suspended(args: &Args, cx: &mut Session, suspended: bool) -> Result<()> {
    let mut db = open_queue(cx)?;
    let (queue, identity) = one_queue(args, cx, &db)?;
    if queue == QueueName::Unreachable {
        let verb = if suspended { "Suspend-Queue" } else { "Resume-Queue" };
        return Err(ErrorRecord::new(
            format!(
                "{verb} of '{identity}' is not implemented by mailsh: the Unreachable queue delivers nothing to \
                 hold (Retry-Queue -Resubmit sends its messages on)."
            ),
            Category::NotImplemented,
            "NotImplemented",
            "NotImplemented",
        )
        .into());
    }
    if !cx.should_process(args, &identity)? {
        return Ok(());
    }
    audited(cx, args, &[identity], || db.set_suspended(&queue.name(), suspended))
}

fn retry_queue(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let mut db = open_queue(cx)?;
    let (queue, identity) = one_queue(args, cx, &db)?;
    let resubmit = args.bool("Resubmit").unwrap_or(false);
    if queue == QueueName::Unreachable && !resubmit {
        // The Unreachable queue is only resubmitted.
        return Err(ErrorRecord::new(
            format!("The requested operation can't be performed for the object with identity {identity}."),
            Category::InvalidOperation,
            "QueueViewerException",
            "QueueViewerException",
        )
        .into());
    }
    if !cx.should_process(args, &identity)? {
        return Ok(());
    }
    // A delivery queue in Retry is tried now (its next retry time becomes
    // now); one that is not is already being tried.
    let now = crate::store::clock::now_unix();
    if !resubmit {
        return audited(cx, args, &[identity], || match queue {
            QueueName::Delivery => db.retry_delivery_at(now),
            QueueName::Remote(c) => db.retry_remote_now(c),
            _ => Ok(()),
        });
    }
    let mut again = Vec::new();
    let messages = db.messages().map_err(queue_err)?;
    let store = cx.store()?;
    for m in messages.iter().filter(|m| m.queue == queue) {
        for (address, _, _) in &m.recipients {
            // Categorized again: the mailbox the address names now, or the
            // send connector that carries its domain now. An unknown address
            // of an authoritative domain fails in delivery (RecipNotFound);
            // another domain no connector carries stays Unreachable.
            let (mailbox_guid, connector) =
                match store.resolve_recipient(address).map_err(super::identity::store_err)? {
                    Recipient::Mailbox { guid, .. } => (guid, 0),
                    Recipient::Relay | Recipient::NotAccepted => (
                        String::new(),
                        store.send_connector_for(address).map_err(super::identity::store_err)?.unwrap_or(UNROUTED),
                    ),
                    // A group is expanded where a message is first queued, not again here.
                    Recipient::NotFound | Recipient::Group(_) => (String::new(), 0),
                };
            again.push((
                m.id,
                QueuedRecipient { address: address.clone(), mailbox_guid, connector, ..Default::default() },
            ));
        }
    }
    audited(cx, args, &[identity], || {
        db.resubmit(&again)?;
        if queue == QueueName::Delivery { db.retry_delivery_at(now) } else { Ok(()) }
    })
}
