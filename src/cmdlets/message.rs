//! Get-Message, Suspend-Message, Resume-Message, Remove-Message: the
//! messages in the Transport service's queues (`Server\Queue\InternalId`,
//! the InternalId its `250` named). A message with recipients in two
//! queues (some waiting, some failed) is shown once in each, as Exchange
//! shows a bifurcated message. Each cmdlet's changes are one transaction
//! of the queue database; the service acts on them at once.

use super::common::object;
use super::confirm_texts::{REMOVE_MESSAGES_FILTER, RESUME_MESSAGES_FILTER, SUSPEND_MESSAGES_FILTER, fill};
use super::opath_filter;
use super::queue::{audited, names_queue, not_found, open_queue, queue_err, queue_file};
use crate::engines::smtp::dsn::{self, Action, Original, Reported};
use crate::engines::smtp::texts;
use crate::format::views::QUEUED_MESSAGE;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{ConfirmImpact, Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::store::mail::MailError;
use crate::store::queue::{QueueDb, QueuedMessage};

const PROPERTIES: &[&str] = &[
    "Identity",
    "FromAddress",
    "Status",
    "Size",
    "SCL",
    "Queue",
    "Subject",
    "DateReceived",
    "InternetMessageId",
    "LastError",
    "Recipients",
];

fn identity_param() -> Param {
    Param::new("Identity", T::Identity("MessageIdentity"))
        .position(0)
        .pipeline()
        .by_property()
        .help("Server\\Queue\\InternalId (the InternalId of the 250 reply); the queue may be *.")
}

fn filter_param() -> Param {
    Param::new("Filter", T::String)
        .help("An OPATH filter on the message's properties: \"FromAddress -like '*@contoso.com'\".")
}

pub fn definitions() -> Vec<CmdletDef> {
    let get = Signature::build("Get-Message")
        .synopsis("Shows the messages in the Transport service's queues.")
        .param(identity_param())
        .param(Param::new("Queue", T::Identity("QueueIdentity")).help("Only the messages of this queue."))
        .param(filter_param())
        .param(Param::new("Server", T::Identity("ServerIdParameter")))
        .param(Param::new("IncludeRecipientInfo", T::Switch).help("Accepted; Recipients is always filled in."))
        .example("Every queued message", "Get-Message", "")
        .example("What the suspended Submission queue holds", "Get-Message -Queue CAS01\\Submission", "");
    let suspend = Signature::build("Suspend-Message")
        .synopsis("Holds messages in their queue: not delivered until Resume-Message.")
        .should_process(ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::SUSPEND_MESSAGE)
        .param(identity_param())
        .param(filter_param())
        .example("Hold the messages about invoices", "Suspend-Message -Filter \"Subject -like '*invoice*'\"", "");
    let resume = Signature::build("Resume-Message")
        .synopsis("Releases suspended messages: they are delivered.")
        .should_process(ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::RESUME_MESSAGE)
        .param(identity_param())
        .param(filter_param())
        .example("Release every suspended message", "Resume-Message -Filter \"Status -eq 'Suspended'\"", "");
    let remove = Signature::build("Remove-Message")
        .synopsis("Deletes messages from their queue, with a non-delivery report to the sender unless -WithNDR $false.")
        .should_process(ConfirmImpact::High)
        .confirm_message(super::confirm_texts::REMOVE_MESSAGE)
        .param(identity_param())
        .param(filter_param())
        .param(
            Param::new("WithNDR", T::Bool)
                .help("$true (the default): the sender, if a mailbox here, gets a report (550 4.3.2 QUEUE.Admin)."),
        )
        .example(
            "Delete what came from fabrikam.com without telling the senders",
            "Remove-Message -Filter \"FromAddress -like '*@fabrikam.com'\" -WithNDR $false -Confirm:$false",
            "",
        );
    vec![
        CmdletDef::run(get, get_message),
        CmdletDef::run(suspend, suspend_message),
        CmdletDef::run(resume, resume_message),
        CmdletDef::run(remove, remove_message),
    ]
}

fn identity_of(server: &str, m: &QueuedMessage) -> String {
    format!("{server}\\{}\\{}", m.queue.name(), m.id)
}

fn message_object(server: &str, m: &QueuedMessage) -> Value {
    object(
        QUEUED_MESSAGE,
        vec![
            ("Identity", Value::str(identity_of(server, m))),
            ("FromAddress", Value::str(&m.sender)),
            ("Status", Value::str(&m.status)),
            ("Size", Value::Bytes(m.size)),
            ("SCL", Value::Int(0)),
            ("Queue", Value::str(format!("{server}\\{}", m.queue.name()))),
            ("Subject", Value::str(&m.subject)),
            ("DateReceived", Value::date_unix(m.received)),
            ("InternetMessageId", Value::str(&m.internet_message_id)),
            ("LastError", m.last_error.as_deref().map(Value::str).unwrap_or(Value::Null)),
            ("Recipients", Value::array(m.recipients.iter().map(|(a, _, _)| Value::str(a)).collect())),
        ],
    )
}

/// Does `wanted` (`Server\Queue\Id`, `Queue\Id`; the queue may be `*`)
/// name the message?
fn names_message(wanted: &str, server: &str, m: &QueuedMessage) -> bool {
    let wanted = wanted.trim();
    let Some((queue, id)) = wanted.rsplit_once('\\') else { return false };
    if id.trim().parse::<i64>().ok() != Some(m.id) {
        return false;
    }
    let queue = queue.trim();
    queue == "*"
        || names_queue(queue, server, m.queue, false)
        || queue.rsplit_once('\\').is_some_and(|(s, q)| s.eq_ignore_ascii_case(server) && q == "*")
}

/// The messages the call names (-Identity, -Queue, -Filter), with their
/// objects. An -Identity that names none is Exchange's not-found error.
fn selected(args: &Args, cx: &mut Session, db: Option<&QueueDb>) -> Result<Vec<(QueuedMessage, Value)>> {
    let server = cx.store()?.server().name.clone();
    let filter = match args.string("Filter") {
        Some(f) => Some(opath_filter::compile(&f, PROPERTIES, &[])?),
        None => None,
    };
    let messages = match db {
        Some(db) => db.messages().map_err(queue_err)?,
        None => Vec::new(),
    };
    let wanted = args.string("Identity");
    let queue = args.string("Queue");
    let mut out = Vec::new();
    for m in messages {
        if wanted.as_deref().is_some_and(|w| !names_message(w, &server, &m)) {
            continue;
        }
        if queue.as_deref().is_some_and(|q| {
            !names_queue(q, &server, m.queue, false)
                && !wildcard_match(q, &format!("{server}\\{}", m.queue.name()), false)
        }) {
            continue;
        }
        let o = message_object(&server, &m);
        if let (Some(f), Value::Object(obj)) = (&filter, &o)
            && !opath_filter::matches(f, obj)
        {
            continue;
        }
        out.push((m, o));
    }
    let named = wanted.as_ref().or(queue.as_ref());
    if let Some(w) = named
        && out.is_empty()
        && !w.contains('*')
        && (wanted.is_some() || !queue_exists(w, &server))
    {
        return Err(not_found(w).into());
    }
    Ok(out)
}

/// An empty Submission queue exists; the others only while they hold
/// messages.
fn queue_exists(wanted: &str, server: &str) -> bool {
    names_queue(wanted, server, crate::store::queue::QueueName::Submission, false)
}

fn get_message(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let db = if queue_file(cx)?.exists() { Some(open_queue(cx)?) } else { None };
    for (_, o) in selected(args, cx, db.as_ref())? {
        out.emit(cx, o)?;
    }
    Ok(())
}

/// Suspend-, Resume- and Remove-Message act on -Identity or -Filter, one
/// of them, and ask as Exchange asks: once per message named by identity,
/// once for all the messages a filter matches (`filter_text`, with the
/// filter as typed). The messages confirmed.
fn confirmed(args: &Args, cx: &mut Session, db: &QueueDb, filter_text: &str) -> Result<Vec<QueuedMessage>> {
    if args.has("Identity") == args.has("Filter") {
        return Err(ErrorRecord::new(
            "You must specify either an identity or a filter for this operation.",
            Category::InvalidArgument,
            "QueueViewerException",
            "QueueViewerException",
        )
        .into());
    }
    let server = cx.store()?.server().name.clone();
    let found: Vec<QueuedMessage> = selected(args, cx, Some(db))?.into_iter().map(|(m, _)| m).collect();
    if let Some(filter) = args.string("Filter") {
        let text = fill(filter_text, &[("target", &filter)]);
        return Ok(if cx.should_process_text(args, &text)? { found } else { Vec::new() });
    }
    let mut out = Vec::new();
    for m in found {
        if cx.should_process(args, &identity_of(&server, &m))? {
            out.push(m);
        }
    }
    Ok(out)
}

fn suspend_message(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let mut db = open_queue(cx)?;
    let messages = confirmed(args, cx, &db, SUSPEND_MESSAGES_FILTER)?;
    set_status(cx, args, &mut db, &messages, "Suspended")
}

fn resume_message(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let mut db = open_queue(cx)?;
    let server = cx.store()?.server().name.clone();
    let messages = confirmed(args, cx, &db, RESUME_MESSAGES_FILTER)?;
    // Exchange resumes only what was suspended, and says so.
    if let Some(m) = messages.iter().find(|m| m.status != "Suspended") {
        return Err(ErrorRecord::new(
            format!(
                "The operation wasn't performed on the message with identity {}. You must suspend the message first.",
                identity_of(&server, m)
            ),
            Category::InvalidOperation,
            "QueueViewerException",
            "QueueViewerException",
        )
        .into());
    }
    set_status(cx, args, &mut db, &messages, "Ready")
}

/// The messages' status, in one transaction, audited; a message gone
/// meanwhile changes nothing (and records nothing).
fn set_status(cx: &mut Session, args: &Args, db: &mut QueueDb, messages: &[QueuedMessage], status: &str) -> Result<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let server = cx.store()?.server().name.clone();
    let ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
    let objects: Vec<String> = messages.iter().map(|m| identity_of(&server, m)).collect();
    let mut gone = false;
    audited(cx, args, &objects, || {
        gone = !db.set_message_status(&ids, status)?;
        if gone { Err(MailError::Task(GONE.into())) } else { Ok(()) }
    })
    .map_err(|e| if gone { left_the_queue() } else { e })
}

const GONE: &str = "A message left the queue while it was being changed; nothing was changed. Run the command again.";

fn left_the_queue() -> crate::runtime::errors::Flow {
    ErrorRecord::new(GONE, Category::InvalidOperation, "QueueViewerException", "QueueViewerException").into()
}

fn remove_message(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let mut db = open_queue(cx)?;
    let server = cx.store()?.server().clone();
    let with_ndr = args.bool("WithNDR").unwrap_or(true);
    let mut removed = Vec::new();
    let mut reports = Vec::new();
    let mut objects = Vec::new();
    for m in confirmed(args, cx, &db, REMOVE_MESSAGES_FILTER)? {
        if with_ndr && let Some(raw) = db.message_raw(m.id).map_err(queue_err)? {
            // Each recipient's NOTIFY decides whether the sender hears of it.
            let (dsn, requests) = db.dsn_requests(m.id).map_err(queue_err)?;
            let failed: Vec<Reported> = m
                .recipients
                .iter()
                .map(|(a, _, _)| Reported {
                    address: a.clone(),
                    reply: texts::DELETED_BY_ADMIN.into(),
                    dsn: requests.iter().find(|(r, _)| r == a).map(|(_, d)| d.clone()).unwrap_or_default(),
                })
                .collect();
            let store = cx.store()?;
            // The queue's list does not carry the SMTPUTF8 flag: a header
            // that is not ASCII makes the report one.
            let smtputf8 = !crate::store::header::header_block(&raw).is_ascii();
            let original =
                Original { sender: &m.sender, raw: &raw, arrival: m.received, dsn: &dsn, retry_until: None, smtputf8 };
            let report = dsn::for_sender(store, &server.fqdn, Action::Failed, &original, &failed)
                .map_err(super::identity::store_err)?;
            reports.extend(report);
        }
        removed.push((m.id, m.queue));
        objects.push(identity_of(&server.name, &m));
    }
    if removed.is_empty() {
        return Ok(());
    }
    audited(cx, args, &objects, || db.remove(&removed, &reports))
}
