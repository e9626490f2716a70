//! Get-TransportService and Set-TransportService: the Transport service's
//! own settings on this server (MessageExpirationTimeout,
//! MessageRetryInterval, DelayNotificationTimeout,
//! MaxConcurrentMailboxDeliveries, the logs). The service
//! reads them when it starts.

use super::common::{change_in_one_write, object};
use super::identity::store_err;
use crate::format::views::TRANSPORT_SERVICE;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{ConfirmImpact, Param, ParamType as T, Signature};
use crate::runtime::value::{TICKS_PER_SECOND, Value, format_timespan, now_unix};
use crate::store::Store;
use crate::store::transport::{LogSize, LogSizes, TransportService};

const DAY: i64 = 86_400;

pub fn definitions() -> Vec<CmdletDef> {
    let identity = || Param::new("Identity", T::Identity("TransportServerIdParameter")).position(0);
    let get = Signature::build("Get-TransportService")
        .synopsis(
            "Shows the Transport service's settings on this server: message expiration, retry, deliveries at once.",
        )
        .param(identity())
        .example(
            "How long a message may wait",
            "Get-TransportService | Format-List Name,MessageExpirationTimeout,MessageRetryInterval",
            "",
        );
    let set = Signature::build("Set-TransportService")
        .synopsis(
            "Changes the Transport service's settings; restart MSExchangeTransport and MSExchangeDelivery to apply them.",
        )
        .should_process(ConfirmImpact::Medium)
        .confirm_message(super::confirm_texts::SET_TRANSPORT_SERVICE)
        .param(identity())
        .param(
            Param::new("MessageExpirationTimeout", T::TimeSpan { min: 5, max: 90 * DAY })
                .help("How long a message may wait in a queue; then it expires and the sender gets a report (4.4.7)."),
        )
        .param(
            Param::new("MessageRetryInterval", T::TimeSpan { min: 1, max: DAY })
                .help("How long delivery waits after a failed attempt (the mailbox database unavailable)."),
        )
        .param(
            Param::new("DelayNotificationTimeout", T::TimeSpan { min: 1, max: 30 * DAY }).help(
                "How long a message may wait before its sender is told, once, that it is delayed (unless the sender's NOTIFY refused it).",
            ),
        )
        .param(
            Param::new("MaxConcurrentMailboxDeliveries", T::Int { min: 1, max: 256 })
                .help("How many mailboxes delivery stores into at once, in one transaction."),
        )
        .param(
            Param::new("MessageTrackingLogEnabled", T::Bool)
                .help("Whether the Transport writes message tracking logs (Get-MessageTrackingLog)."),
        )
        .param(
            Param::new("MessageTrackingLogMaxAge", T::TimeSpan { min: 0, max: LOG_AGE_MAX })
                .help("Message tracking logs older than this are deleted; 00:00:00 keeps them."),
        )
        .param(
            Param::new("ReceiveProtocolLogMaxAge", T::TimeSpan { min: 0, max: LOG_AGE_MAX })
                .help("SMTP receive logs (both transport services) older than this are deleted; 00:00:00 keeps them."),
        )
        .param(
            Param::new("SendProtocolLogMaxAge", T::TimeSpan { min: 0, max: LOG_AGE_MAX })
                .help("SMTP send logs older than this are deleted; 00:00:00 keeps them."),
        )
        .param(Param::new("ExternalDNSAdapterEnabled", T::Bool).help(
            "$true (the default): the system's resolvers answer the DNS queries of send connectors that route by DNS; $false: ExternalDNSServers do.",
        ))
        .param(Param::new("ExternalDNSServers", T::Strings).help(
            "The DNS servers asked when ExternalDNSAdapterEnabled is $false: IP addresses (mailsh also takes address:port).",
        ))
        .example("Expire messages after a day", "Set-TransportService CAS01 -MessageExpirationTimeout 1.00:00:00", "")
        .example(
            "Keep at most 2 GB of message tracking logs",
            "Set-TransportService CAS01 -MessageTrackingLogMaxDirectorySize 2GB -MessageTrackingLogMaxFileSize 20MB",
            "",
        );
    let set = LOG_SIZES.iter().fold(set, |set, (param, _, directory)| {
        let what = if *directory {
            "Unlimited or a size: past it, the folder's oldest log files are deleted."
        } else {
            "A size: past it, the day's next file (-2.LOG, ...) is started."
        };
        set.param(Param::new(param, T::String).help(what))
    });
    vec![CmdletDef::run(get, get_service), CmdletDef::run(set, set_service)]
}

fn service_object(name: &str, s: &TransportService) -> Value {
    object(
        TRANSPORT_SERVICE,
        vec![
            ("Name", Value::str(name)),
            ("MessageExpirationTimeout", Value::timespan_secs(s.message_expiration_timeout)),
            ("MessageRetryInterval", Value::timespan_secs(s.message_retry_interval)),
            ("DelayNotificationTimeout", Value::timespan_secs(s.delay_notification_timeout)),
            ("MaxConcurrentMailboxDeliveries", Value::Int(s.max_concurrent_mailbox_deliveries as i32)),
            ("MessageTrackingLogEnabled", Value::Bool(s.message_tracking_log_enabled)),
            ("MessageTrackingLogMaxAge", Value::timespan_secs(s.message_tracking_log_max_age)),
            ("ReceiveProtocolLogMaxAge", Value::timespan_secs(s.receive_protocol_log_max_age)),
            ("SendProtocolLogMaxAge", Value::timespan_secs(s.send_protocol_log_max_age)),
            ("MessageTrackingLogMaxDirectorySize", size_value(s.logs.tracking.directory)),
            ("MessageTrackingLogMaxFileSize", Value::Bytes(s.logs.tracking.file)),
            ("ReceiveProtocolLogMaxDirectorySize", size_value(s.logs.receive.directory)),
            ("ReceiveProtocolLogMaxFileSize", Value::Bytes(s.logs.receive.file)),
            ("SendProtocolLogMaxDirectorySize", size_value(s.logs.send.directory)),
            ("SendProtocolLogMaxFileSize", Value::Bytes(s.logs.send.file)),
            ("ExternalDNSAdapterEnabled", Value::Bool(s.external_dns_adapter_enabled)),
            (
                "ExternalDNSServers",
                Value::array(s.external_dns_servers.iter().map(|a| Value::str(a.clone())).collect()),
            ),
            ("Identity", Value::str(name)),
            ("WhenChanged", Value::date_unix(s.changed)),
        ],
    )
}

/// The server the call names (this one, the only one).
fn server(args: &Args, cx: &mut Session) -> Result<String> {
    let server = cx.store()?.server().clone();
    match args.string("Identity") {
        Some(w) if !w.eq_ignore_ascii_case(&server.name) && !w.eq_ignore_ascii_case(&server.fqdn) => {
            Err(ErrorRecord::object_not_found(&w, &server.fqdn).into())
        }
        _ => Ok(server.name),
    }
}

fn get_service(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let name = server(args, cx)?;
    let s = cx.store()?.transport_service().map_err(store_err)?;
    out.emit(cx, service_object(&name, &s))
}

/// The logs' size parameters: (name, which log, directory or file).
const LOG_SIZES: [(&str, Log, bool); 6] = [
    ("MessageTrackingLogMaxDirectorySize", Log::Tracking, true),
    ("MessageTrackingLogMaxFileSize", Log::Tracking, false),
    ("ReceiveProtocolLogMaxDirectorySize", Log::Receive, true),
    ("ReceiveProtocolLogMaxFileSize", Log::Receive, false),
    ("SendProtocolLogMaxDirectorySize", Log::Send, true),
    ("SendProtocolLogMaxFileSize", Log::Send, false),
];

#[derive(Clone, Copy)]
enum Log {
    Tracking,
    Receive,
    Send,
}

fn log_size(logs: &mut LogSizes, log: Log) -> &mut LogSize {
    match log {
        Log::Tracking => &mut logs.tracking,
        Log::Receive => &mut logs.receive,
        Log::Send => &mut logs.send,
    }
}

fn size_value(v: Option<u64>) -> Value {
    v.map(Value::Bytes).unwrap_or_else(|| Value::str("Unlimited"))
}

fn size_text(v: Option<u64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_else(|| "Unlimited".into())
}

/// The size parameters given, checked before anything is read: a file's
/// size is never Unlimited.
/// The smallest log file size taken: smaller, a day's parts would run out
/// (and 0 would mean no limit to the protocol logs).
const MIN_FILE_SIZE: u64 = 1024;

/// A size parameter given: its name, its log, whether it is the folder's,
/// and the size (None: Unlimited).
type SizeGiven = (&'static str, Log, bool, Option<u64>);

fn sizes_given(args: &Args) -> Result<Vec<SizeGiven>> {
    let mut out = Vec::new();
    for (param, log, directory) in LOG_SIZES {
        let Some(v) = args.get(param) else { continue };
        let size = super::mailbox::quota_arg(param, v)?;
        if !directory && size.is_some_and(|n| n < MIN_FILE_SIZE) {
            return Err(ErrorRecord::argument_validation(
                param,
                "A log file's size must be at least 1 KB (1,024 bytes).",
            )
            .into());
        }
        if !directory && size.is_none() {
            return Err(ErrorRecord::argument_transformation(
                param,
                "Cannot convert value \"Unlimited\" to type \"Microsoft.Exchange.Data.ByteQuantifiedSize\".",
            )
            .into());
        }
        out.push((param, log, directory, size));
    }
    Ok(out)
}

/// A log's file larger than its folder may hold is refused, as Exchange
/// refuses it (its words unconfirmed).
fn check_log_sizes(s: &TransportService) -> std::result::Result<(), String> {
    for (name, size) in [
        ("MessageTrackingLog", s.logs.tracking),
        ("ReceiveProtocolLog", s.logs.receive),
        ("SendProtocolLog", s.logs.send),
    ] {
        if size.directory.is_some_and(|d| size.file > d) {
            return Err(format!(
                "The value of {name}MaxFileSize must be less than or equal to the value of {name}MaxDirectorySize."
            ));
        }
    }
    Ok(())
}

/// Exchange's bound for the log ages: TimeSpan 24855.03:14:07.
const LOG_AGE_MAX: i64 = i32::MAX as i64;

fn bool_text(b: bool) -> String {
    (if b { "True" } else { "False" }).to_string()
}

fn secs(v: &Value) -> i64 {
    match v {
        Value::TimeSpan(t) => *t / TICKS_PER_SECOND,
        _ => 0,
    }
}

/// ExternalDNSServers as given: IP addresses, or `address:port`; anything
/// else refused as Exchange refuses a value that is no IPAddress.
fn dns_servers_given(args: &Args) -> Result<Option<Vec<String>>> {
    let Some(v) = args.get("ExternalDNSServers") else { return Ok(None) };
    let mut out = Vec::new();
    for item in v.clone().into_items().iter().filter(|i| !matches!(i, Value::Null)) {
        let text = item.to_text().trim().to_string();
        let ok = text.parse::<std::net::IpAddr>().is_ok() || text.parse::<std::net::SocketAddr>().is_ok();
        if !ok {
            return Err(ErrorRecord::argument_transformation(
                "ExternalDNSServers",
                &format!("Cannot convert value \"{text}\" to type \"System.Net.IPAddress\". Error: \"An invalid IP address was specified.\""),
            )
            .into());
        }
        out.push(text);
    }
    Ok(Some(out))
}

fn set_service(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let name = server(args, cx)?;
    let sizes = sizes_given(args)?;
    let dns_servers = dns_servers_given(args)?;
    // The sizes as they will be, checked against each other before any write.
    let mut after = cx.store()?.transport_service().map_err(store_err)?;
    for (_, log, directory, size) in &sizes {
        let slot = log_size(&mut after.logs, *log);
        match directory {
            true => slot.directory = *size,
            false => slot.file = size.unwrap_or(slot.file),
        }
    }
    if let Err(refusal) = check_log_sizes(&after) {
        return Err(ErrorRecord::new(refusal, Category::InvalidArgument, "InvalidLogSize", "ArgumentException").into());
    }
    if !cx.should_process(args, &name)? {
        return Ok(());
    }
    let change = |s: &mut TransportService| {
        let mut changed = Vec::new();
        for (param, log, directory, size) in &sizes {
            let slot = log_size(&mut s.logs, *log);
            let (before, now) = match directory {
                true => (slot.directory, *size),
                false => (Some(slot.file), *size),
            };
            if before != now {
                changed.push((param.to_string(), size_text(before), size_text(now)));
                match directory {
                    true => slot.directory = now,
                    false => slot.file = now.unwrap_or(slot.file),
                }
            }
        }
        for (param, slot) in [
            ("MessageExpirationTimeout", &mut s.message_expiration_timeout),
            ("MessageRetryInterval", &mut s.message_retry_interval),
            ("DelayNotificationTimeout", &mut s.delay_notification_timeout),
            ("MessageTrackingLogMaxAge", &mut s.message_tracking_log_max_age),
            ("ReceiveProtocolLogMaxAge", &mut s.receive_protocol_log_max_age),
            ("SendProtocolLogMaxAge", &mut s.send_protocol_log_max_age),
        ] {
            if let Some(v) = args.get(param) {
                let next = secs(v);
                if next != *slot {
                    changed.push((param.to_string(), format_timespan(*slot), format_timespan(next)));
                    *slot = next;
                }
            }
        }
        if let Some(n) = args.int("MaxConcurrentMailboxDeliveries")
            && n != s.max_concurrent_mailbox_deliveries
        {
            changed.push((
                "MaxConcurrentMailboxDeliveries".into(),
                s.max_concurrent_mailbox_deliveries.to_string(),
                n.to_string(),
            ));
            s.max_concurrent_mailbox_deliveries = n;
        }
        for (param, slot) in [
            ("MessageTrackingLogEnabled", &mut s.message_tracking_log_enabled),
            ("ExternalDNSAdapterEnabled", &mut s.external_dns_adapter_enabled),
        ] {
            if let Some(on) = args.bool(param)
                && on != *slot
            {
                changed.push((param.to_string(), bool_text(*slot), bool_text(on)));
                *slot = on;
            }
        }
        if let Some(servers) = &dns_servers
            && *servers != s.external_dns_servers
        {
            changed.push(("ExternalDNSServers".into(), s.external_dns_servers.join(","), servers.join(",")));
            s.external_dns_servers = servers.clone();
        }
        s.changed = now_unix();
        Ok(changed)
    };
    change_in_one_write(cx, args, &name, Store::transport_service_for_update, change, |tx, s| {
        Store::save_transport_service(tx, s)
    })
}
