//! The message tracking log (Get-MessageTrackingLog): what the Transport
//! service did with each message, one CSV line per event, in
//! `<store>.d/TransportRoles/Logs/MessageTracking/MSGTRK<yyyymmdd>-1.LOG`
//! as Exchange 2013 writes its own (`#Fields:` names the columns; the
//! reader goes by those names, so files with other columns still read).
//! Each file has one writer: the Transport process writes `MSGTRK*` files,
//! the Mailbox Transport Delivery process `MSGTRKMD*` files (as Exchange
//! 2013's services do); the Shell reads them all. Lines are
//! appended without fsync: the log reports, the queue is what must not
//! lose anything.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::private;

/// The columns written, in Exchange 2013's order (a subset of its own).
const FIELDS: &[&str] = &[
    "date-time",
    "client-ip",
    "client-hostname",
    "server-ip",
    "server-hostname",
    "source-context",
    "connector-id",
    "source",
    "event-id",
    "internal-message-id",
    "message-id",
    "recipient-address",
    "recipient-status",
    "total-bytes",
    "recipient-count",
    "related-recipient-address",
    "reference",
    "message-subject",
    "sender-address",
    "return-path",
];

/// The Transport service's files: `MSGTRK<yyyymmdd>-<part>.LOG`.
pub const TRANSPORT_PREFIX: &str = "MSGTRK";
/// The Mailbox Transport Delivery service's: `MSGTRKMD<yyyymmdd>-<part>.LOG`.
pub const DELIVERY_PREFIX: &str = "MSGTRKMD";
/// The Mailbox Transport Submission service's: `MSGTRKMS<yyyymmdd>-<part>.LOG`.
pub const SUBMISSION_PREFIX: &str = "MSGTRKMS";

/// The tracking log folder of the store at `store_path`.
pub fn tracking_dir(store_path: &Path) -> PathBuf {
    super::state_dir_for(store_path).join("TransportRoles").join("Logs").join("MessageTracking")
}

/// One event, as Get-MessageTrackingLog shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackingEvent {
    /// Unix seconds.
    pub timestamp: i64,
    pub client_ip: String,
    pub client_hostname: String,
    pub server_ip: String,
    pub server_hostname: String,
    pub source_context: String,
    pub connector_id: String,
    /// SMTP, STOREDRIVER, DSN, ROUTING, QUEUE.
    pub source: String,
    /// RECEIVE, RESOLVE, EXPAND, REDIRECT, DELIVER, SEND, FAIL, DSN.
    pub event_id: String,
    /// The queue's number for the message (its InternalId).
    pub internal_message_id: i64,
    /// The Message-ID field's value.
    pub message_id: String,
    pub recipients: Vec<String>,
    /// One status per recipient (`250 2.1.5 Recipient OK`, the failure's
    /// reply), or none.
    pub recipient_status: Vec<String>,
    pub total_bytes: u64,
    pub related_recipient_address: String,
    pub reference: String,
    pub subject: String,
    pub sender: String,
    pub return_path: String,
}

/// The Transport's writer.
pub struct TrackingLog {
    dir: PathBuf,
    /// The files' names begin with it: `MSGTRK` for the Transport service,
    /// `MSGTRKMD` for the Mailbox Transport Delivery service (Exchange's
    /// names), so each process appends to files of its own.
    prefix: &'static str,
    /// MessageTrackingLogEnabled.
    enabled: bool,
    /// MessageTrackingLogMaxFileSize: past it, the day's next part
    /// (`MSGTRK<day>-2.LOG`, ...) is started.
    max_file: u64,
    open: Mutex<Option<OpenPart>>,
}

struct OpenPart {
    day: String,
    part: u32,
    file: fs::File,
    size: u64,
    /// It holds an event already: a file holds at least its header and
    /// one event, however small the limit.
    lines: bool,
}

impl TrackingLog {
    pub fn new(dir: PathBuf, enabled: bool, max_file: u64) -> TrackingLog {
        TrackingLog::with_prefix(dir, TRANSPORT_PREFIX, enabled, max_file)
    }

    /// A log whose files begin with `prefix` (`DELIVERY_PREFIX`).
    pub fn with_prefix(dir: PathBuf, prefix: &'static str, enabled: bool, max_file: u64) -> TrackingLog {
        TrackingLog { dir, prefix, enabled, max_file: max_file.max(1), open: Mutex::new(None) }
    }

    /// Appends the event to today's file (UTC), the day's next part once
    /// this one is full. A log that cannot be written must not stop mail:
    /// the error is reported and dropped.
    pub fn write(&self, e: &TrackingEvent) {
        if !self.enabled {
            return;
        }
        let day = date(e.timestamp).map(|d| d.format("%Y%m%d").to_string()).unwrap_or_default();
        let line = line(e);
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let full = |o: &OpenPart| o.lines && o.size + line.len() as u64 > self.max_file;
        match open.as_ref() {
            Some(o) if o.day == day && !full(o) => {}
            Some(o) if o.day == day => *open = self.open_part(&day, o.part + 1),
            _ => *open = self.open_part(&day, self.last_part(&day)),
        }
        if let Some(o) = open.as_mut() {
            match o.file.write_all(line.as_bytes()) {
                Ok(()) => {
                    o.size += line.len() as u64;
                    o.lines = true;
                }
                Err(err) => eprintln!("mailsh: transport: the message tracking log could not be written: {err}"),
            }
        }
    }

    /// The day's last part on disk (a restarted service goes on writing
    /// it), else 1.
    fn last_part(&self, day: &str) -> u32 {
        let prefix = format!("{}{day}-", self.prefix);
        let parts = fs::read_dir(&self.dir).into_iter().flatten().flatten().filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix(&prefix)?.strip_suffix(".LOG")?.parse::<u32>().ok()
        });
        parts.max().unwrap_or(1)
    }

    fn open_part(&self, day: &str, part: u32) -> Option<OpenPart> {
        // The log names senders, recipients and subjects: the owner's only.
        let _ = private::create_dir_all(&self.dir);
        let path = self.dir.join(format!("{}{day}-{part}.LOG", self.prefix));
        let mut size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let lines = size > 0;
        let mut file = match private::options().create(true).append(true).open(&path) {
            Ok(f) => f,
            Err(err) => {
                eprintln!("mailsh: transport: {}: {err}", path.display());
                return None;
            }
        };
        if size == 0 {
            let header = format!(
                "#Software: mailsh\r\n#Version: 15.0.0.0\r\n#Log-type: Message Tracking Log\r\n#Fields: {}\r\n",
                FIELDS.join(",")
            );
            if file.write_all(header.as_bytes()).is_ok() {
                size = header.len() as u64;
            }
        }
        Some(OpenPart { day: day.to_string(), part, file, size, lines })
    }
}

fn date(secs: i64) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(secs, 0)
}

fn line(e: &TrackingEvent) -> String {
    let stamp = date(e.timestamp).map(|d| d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()).unwrap_or_default();
    let values = [
        stamp,
        e.client_ip.clone(),
        e.client_hostname.clone(),
        e.server_ip.clone(),
        e.server_hostname.clone(),
        e.source_context.clone(),
        e.connector_id.clone(),
        e.source.clone(),
        e.event_id.clone(),
        e.internal_message_id.to_string(),
        e.message_id.clone(),
        list_field(&e.recipients),
        list_field(&e.recipient_status),
        e.total_bytes.to_string(),
        e.recipients.len().to_string(),
        e.related_recipient_address.clone(),
        e.reference.clone(),
        e.subject.clone(),
        e.sender.clone(),
        e.return_path.clone(),
    ];
    let mut out = values.iter().map(|v| field(v)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

/// A list in one field, `;` between its items; a `;` or a backslash
/// inside an item (a reply's text: `554 5.4.4
/// SMTPSEND.DNS.NonExistentDomain; nonexistent domain`) is written after a
/// backslash, so the item reads back whole.
fn list_field(items: &[String]) -> String {
    items.iter().map(|i| i.replace('\\', "\\\\").replace(';', "\\;")).collect::<Vec<_>>().join(";")
}

/// The items of a field `list_field` wrote.
fn list_items(field: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => cur.extend(chars.next()),
            ';' => items.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    items.push(cur);
    items.retain(|i| !i.is_empty());
    items
}

/// A CSV field: quoted when it holds a comma, a quote or a line break
/// (which become spaces: one event, one line).
fn field(v: &str) -> String {
    let v = v.replace(['\r', '\n'], " ");
    if v.contains([',', '"']) { format!("\"{}\"", v.replace('"', "\"\"")) } else { v }
}

/// Splits one CSV line (quotes doubled inside quoted fields).
fn split(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Every event of the log files in `dir`, oldest first. A line that does
/// not parse is skipped (a file cut short by a crash).
pub fn read_events(dir: &Path) -> std::io::Result<Vec<TrackingEvent>> {
    let mut files: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("MSGTRK") && n.ends_with(".LOG"))
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    files.sort();
    let mut events = Vec::new();
    for path in files {
        // A file the size limit deleted since the folder was listed holds
        // nothing any more.
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        let mut names: Vec<String> = Vec::new();
        for raw in text.lines() {
            if let Some(fields) = raw.strip_prefix("#Fields: ") {
                names = fields.split(',').map(|f| f.trim().to_string()).collect();
                continue;
            }
            if raw.starts_with('#') || raw.trim().is_empty() {
                continue;
            }
            if let Some(e) = parse(&names, &split(raw)) {
                events.push(e);
            }
        }
    }
    events.sort_by_key(|e| e.timestamp);
    Ok(events)
}

fn parse(names: &[String], values: &[String]) -> Option<TrackingEvent> {
    let get =
        |name: &str| names.iter().position(|n| n == name).and_then(|i| values.get(i)).cloned().unwrap_or_default();
    let list = |name: &str| list_items(&get(name));
    let timestamp = chrono::DateTime::parse_from_rfc3339(&get("date-time")).ok()?.timestamp();
    Some(TrackingEvent {
        timestamp,
        client_ip: get("client-ip"),
        client_hostname: get("client-hostname"),
        server_ip: get("server-ip"),
        server_hostname: get("server-hostname"),
        source_context: get("source-context"),
        connector_id: get("connector-id"),
        source: get("source"),
        event_id: get("event-id"),
        internal_message_id: get("internal-message-id").parse().unwrap_or(0),
        message_id: get("message-id"),
        recipients: list("recipient-address"),
        recipient_status: list("recipient-status"),
        total_bytes: get("total-bytes").parse().unwrap_or(0),
        related_recipient_address: get("related-recipient-address"),
        reference: get("reference"),
        subject: get("message-subject"),
        sender: get("sender-address"),
        return_path: get("return-path"),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_full_file_goes_on_in_the_days_next_part_and_a_restart_continues_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("MessageTracking");
        let event = |n: i64| TrackingEvent {
            timestamp: 1_796_000_000 + n,
            event_id: "RECEIVE".into(),
            subject: "x".repeat(200),
            ..TrackingEvent::default()
        };
        let log = TrackingLog::new(folder.clone(), true, 1024);
        for n in 0..6 {
            log.write(&event(n));
        }
        let names = |f: &std::path::Path| {
            let mut v: Vec<String> =
                fs::read_dir(f).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
            v.sort();
            v
        };
        let parts = names(&folder);
        assert!(parts.len() >= 3, "{parts:?}");
        assert!(parts.iter().all(|p| p.starts_with("MSGTRK") && p.ends_with(".LOG")), "{parts:?}");
        for p in &parts {
            let size = fs::metadata(folder.join(p)).unwrap().len();
            let text = fs::read_to_string(folder.join(p)).unwrap();
            assert!(text.starts_with("#Software: mailsh"), "{p}: every part has the header");
            assert!(size <= 1024 || text.lines().filter(|l| !l.starts_with('#')).count() == 1, "{p}: {size}");
        }
        // Every event is read back, once.
        assert_eq!(read_events(&folder).unwrap().len(), 6);
        // A restarted service writes on in the last part.
        let last = parts.last().unwrap().clone();
        drop(log);
        TrackingLog::new(folder.clone(), true, 1 << 20).write(&event(7));
        assert_eq!(names(&folder).last().unwrap(), &last);
        // A limit smaller than the header still puts one event in each file.
        let tiny = dir.path().join("Tiny");
        let log = TrackingLog::new(tiny.clone(), true, 10);
        for n in 0..3 {
            log.write(&event(n));
        }
        assert_eq!(names(&tiny).len(), 3);
    }

    use super::*;

    #[test]
    fn a_disabled_log_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let log = TrackingLog::new(dir.path().join("MessageTracking"), false, 10 << 20);
        log.write(&TrackingEvent { timestamp: 1_796_000_000, event_id: "RECEIVE".into(), ..TrackingEvent::default() });
        assert!(!dir.path().join("MessageTracking").exists());
    }

    #[test]
    fn the_transport_and_the_delivery_service_write_files_of_their_own_and_both_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("MessageTracking");
        let event = |t: i64, id: &str| TrackingEvent { timestamp: t, event_id: id.into(), ..TrackingEvent::default() };
        TrackingLog::new(folder.clone(), true, 1 << 20).write(&event(1_796_000_000, "RECEIVE"));
        TrackingLog::with_prefix(folder.clone(), DELIVERY_PREFIX, true, 1 << 20)
            .write(&event(1_796_000_001, "DELIVER"));
        // A restarted Transport goes on with its own part, not the other's.
        TrackingLog::new(folder.clone(), true, 1 << 20).write(&event(1_796_000_002, "SEND"));
        let mut names: Vec<String> =
            fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, ["MSGTRK20261130-1.LOG", "MSGTRKMD20261130-1.LOG"]);
        let ids: Vec<String> = read_events(&folder).unwrap().into_iter().map(|e| e.event_id).collect();
        assert_eq!(ids, ["RECEIVE", "DELIVER", "SEND"]);
    }

    #[test]
    fn an_event_written_reads_back_the_same_quotes_commas_semicolons_and_all() {
        let dir = tempfile::tempdir().unwrap();
        let log = TrackingLog::new(dir.path().join("MessageTracking"), true, 10 << 20);
        let e = TrackingEvent {
            timestamp: 1_796_000_000,
            source: "SMTP".into(),
            event_id: "RECEIVE".into(),
            internal_message_id: 7,
            message_id: "<a@b>".into(),
            recipients: vec!["x@contoso.com".into(), "y@fabrikam.com".into()],
            recipient_status: vec!["250 2.1.5 Recipient OK".into(), "550 5.1.1 \"no\"; sorry \\o/".into()],
            total_bytes: 1234,
            subject: "Lunch, \"today\"\r\nor not".into(),
            sender: "alice@contoso.com".into(),
            ..TrackingEvent::default()
        };
        log.write(&e);
        log.write(&TrackingEvent { timestamp: 1_796_000_001, event_id: "DELIVER".into(), ..e.clone() });
        let back = read_events(&dir.path().join("MessageTracking")).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0], TrackingEvent { subject: "Lunch, \"today\"  or not".into(), ..e });
        assert_eq!(back[1].event_id, "DELIVER");
        assert!(read_events(&dir.path().join("none")).unwrap().is_empty());
    }
}
