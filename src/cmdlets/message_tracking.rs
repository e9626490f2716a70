//! Get-MessageTrackingLog: what the Transport service did with each
//! message (RECEIVE, DELIVER, SEND, FAIL, DSN), read from the message
//! tracking log files the service writes (`store::tracking`), oldest first.

use super::common::{datetime, object};
use super::mailbox_pages::{result_size, result_size_warning};
use crate::format::views::MESSAGE_TRACKING_EVENT;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::store::tracking::{TrackingEvent, read_events, tracking_dir};

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Get-MessageTrackingLog")
        .synopsis("Searches the message tracking log: each message received, delivered, sent, failed or reported, oldest first.")
        .param(Param::new("Server", T::Identity("ServerIdParameter")).help("This server (the only one)."))
        .param(Param::new("Sender", T::String).help("Only messages from this address."))
        .param(Param::new("Recipients", T::Strings).help("Only events naming one of these addresses."))
        .param(Param::new("EventId", T::String).help("RECEIVE, RESOLVE, EXPAND, REDIRECT, DELIVER, SEND, FAIL or DSN."))
        .param(Param::new("Start", datetime()).help("Only events at or after this time."))
        .param(Param::new("End", datetime()).help("Only events before this time."))
        .param(Param::new("MessageId", T::String).help("The Message-ID field's value, with or without <>."))
        .param(Param::new("MessageSubject", T::String).help("Only messages whose subject contains this text."))
        .param(Param::new("InternalMessageId", T::String).help("The queue's number for the message."))
        .param(Param::new("ResultSize", T::Unlimited).default("1000").help("How many events at most: a number or Unlimited."))
        .example("What became of a message", "Get-MessageTrackingLog -MessageSubject \"Quarterly report\"", "")
        .example(
            "Deliveries to one mailbox since yesterday",
            "Get-MessageTrackingLog -Recipients jsmith@contoso.com -EventId DELIVER -Start (Get-Date).AddDays(-1)",
            "",
        );
    vec![CmdletDef::run(sig, search)]
}

fn when(args: &Args, name: &str) -> Option<i64> {
    match args.get(name) {
        Some(Value::DateTime(t)) => Some(t.unix_secs()),
        _ => None,
    }
}

/// The Message-ID as typed, or the event's, without angle brackets.
fn bare_id(id: &str) -> &str {
    id.trim().trim_start_matches('<').trim_end_matches('>')
}

fn search(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let server = cx.store()?.server().clone();
    if let Some(wanted) = args.string("Server")
        && !wanted.eq_ignore_ascii_case(&server.name)
        && !wanted.eq_ignore_ascii_case(&server.fqdn)
    {
        return Err(ErrorRecord::object_not_found(&wanted, &server.fqdn).into());
    }
    let dir = tracking_dir(&cx.store_path);
    let events = read_events(&dir).map_err(|e| {
        ErrorRecord::new(
            format!("The message tracking log at {} couldn't be read: {e}", dir.display()),
            Category::ReadError,
            "IOException",
            "IOException",
        )
    })?;
    let sender = args.string("Sender");
    let recipients = args.strings("Recipients").unwrap_or_default();
    let event_id = args.string("EventId");
    let (start, end) = (when(args, "Start"), when(args, "End"));
    let message_id = args.string("MessageId");
    let subject = args.string("MessageSubject").map(|s| s.to_lowercase());
    let internal = args.string("InternalMessageId");
    let keep = |e: &TrackingEvent| {
        sender.as_deref().is_none_or(|s| e.sender.eq_ignore_ascii_case(s.trim()))
            && (recipients.is_empty()
                || recipients.iter().any(|r| e.recipients.iter().any(|x| x.eq_ignore_ascii_case(r.trim()))))
            && event_id.as_deref().is_none_or(|id| e.event_id.eq_ignore_ascii_case(id.trim()))
            && start.is_none_or(|s| e.timestamp >= s)
            && end.is_none_or(|t| e.timestamp < t)
            && message_id.as_deref().is_none_or(|m| bare_id(&e.message_id).eq_ignore_ascii_case(bare_id(m)))
            && subject.as_deref().is_none_or(|s| e.subject.to_lowercase().contains(s))
            && internal.as_deref().is_none_or(|i| e.internal_message_id.to_string() == i.trim())
    };
    let limit = result_size(args);
    for (emitted, e) in events.iter().filter(|e| keep(e)).enumerate() {
        if limit.is_some_and(|l| emitted >= l) {
            result_size_warning(cx, args);
            break;
        }
        out.emit(cx, event_object(e, &server.name))?;
    }
    Ok(())
}

fn event_object(e: &TrackingEvent, server: &str) -> Value {
    let strings = |v: &[String]| Value::array(v.iter().map(Value::str).collect());
    object(
        MESSAGE_TRACKING_EVENT,
        vec![
            ("Timestamp", Value::date_unix(e.timestamp)),
            ("ClientIp", Value::str(&e.client_ip)),
            ("ClientHostname", Value::str(&e.client_hostname)),
            ("ServerIp", Value::str(&e.server_ip)),
            ("ServerHostname", Value::str(if e.server_hostname.is_empty() { server } else { &e.server_hostname })),
            ("SourceContext", Value::str(&e.source_context)),
            ("ConnectorId", Value::str(&e.connector_id)),
            ("Source", Value::str(&e.source)),
            ("EventId", Value::str(&e.event_id)),
            ("InternalMessageId", Value::str(e.internal_message_id.to_string())),
            ("MessageId", Value::str(&e.message_id)),
            ("Recipients", strings(&e.recipients)),
            ("RecipientStatus", strings(&e.recipient_status)),
            ("TotalBytes", Value::Int(e.total_bytes.min(i32::MAX as u64) as i32)),
            ("RecipientCount", Value::Int(e.recipients.len() as i32)),
            ("RelatedRecipientAddress", Value::str(&e.related_recipient_address)),
            (
                "Reference",
                if e.reference.is_empty() { Value::Null } else { strings(std::slice::from_ref(&e.reference)) },
            ),
            ("MessageSubject", Value::str(&e.subject)),
            ("Sender", Value::str(&e.sender)),
            ("ReturnPath", Value::str(&e.return_path)),
        ],
    )
}
