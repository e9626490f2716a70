//! The message tracking log (Get-MessageTrackingLog): what the Transport
//! service did with each message, one CSV line per event, in
//! `<store>.d/TransportRoles/Logs/MessageTracking/MSGTRK<yyyymmdd>-1.LOG`
//! as Exchange 2013 writes its own (`#Fields:` names the columns; the
//! reader goes by those names, so files with other columns still read).
//! One writer, the Transport process; the Shell reads the files. Lines are
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
    /// RECEIVE, DELIVER, SEND, FAIL, DSN.
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
    /// MessageTrackingLogEnabled.
    enabled: bool,
    open: Mutex<Option<(String, fs::File)>>,
}

impl TrackingLog {
    pub fn new(dir: PathBuf, enabled: bool) -> TrackingLog {
        TrackingLog { dir, enabled, open: Mutex::new(None) }
    }

    /// Appends the event to today's file (UTC). A log that cannot be
    /// written must not stop mail: the error is reported and dropped.
    pub fn write(&self, e: &TrackingEvent) {
        if !self.enabled {
            return;
        }
        let day = date(e.timestamp).map(|d| d.format("%Y%m%d").to_string()).unwrap_or_default();
        let line = line(e);
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if open.as_ref().is_none_or(|(d, _)| *d != day) {
            *open = self.open_day(&day).map(|f| (day.clone(), f));
        }
        if let Some((_, file)) = open.as_mut()
            && let Err(err) = file.write_all(line.as_bytes())
        {
            eprintln!("mailsh: transport: the message tracking log could not be written: {err}");
        }
    }

    fn open_day(&self, day: &str) -> Option<fs::File> {
        // The log names senders, recipients and subjects: the owner's only.
        let _ = private::create_dir_all(&self.dir);
        let path = self.dir.join(format!("MSGTRK{day}-1.LOG"));
        let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
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
            let _ = file.write_all(header.as_bytes());
        }
        Some(file)
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
        e.recipients.join(";"),
        e.recipient_status.join(";"),
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
        let text = fs::read_to_string(&path)?;
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
    let list =
        |name: &str| -> Vec<String> { get(name).split(';').filter(|s| !s.is_empty()).map(str::to_string).collect() };
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
    use super::*;

    #[test]
    fn a_disabled_log_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let log = TrackingLog::new(dir.path().join("MessageTracking"), false);
        log.write(&TrackingEvent { timestamp: 1_796_000_000, event_id: "RECEIVE".into(), ..TrackingEvent::default() });
        assert!(!dir.path().join("MessageTracking").exists());
    }

    #[test]
    fn an_event_written_reads_back_the_same_quotes_commas_and_all() {
        let dir = tempfile::tempdir().unwrap();
        let log = TrackingLog::new(dir.path().join("MessageTracking"), true);
        let e = TrackingEvent {
            timestamp: 1_796_000_000,
            source: "SMTP".into(),
            event_id: "RECEIVE".into(),
            internal_message_id: 7,
            message_id: "<a@b>".into(),
            recipients: vec!["x@contoso.com".into(), "y@fabrikam.com".into()],
            recipient_status: vec!["250 2.1.5 Recipient OK".into(), "550 5.1.1 \"no\", sorry".into()],
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
