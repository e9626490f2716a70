//! Protocol logs (ProtocolLogEnabled): one CSV line per command, response
//! status, connect and disconnect, under LogFileLocation, rolled over as
//! LogFileRollOverSettings says. Callers mask secrets before logging
//! (`mask_after`); message bodies are never logged, only status lines.

use std::fs::{self, File};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::store::{LogFileRollOver, ProtocolSettings, private};

const MAX_DATA: usize = 400;

#[derive(Debug, Clone, Copy)]
pub enum Event {
    Connect,
    Disconnect,
    Received,
    Sent,
    Info,
}

impl Event {
    fn mark(self) -> &'static str {
        match self {
            Event::Connect => "+",
            Event::Disconnect => "-",
            Event::Received => "<",
            Event::Sent => ">",
            Event::Info => "*",
        }
    }
}

pub struct ProtocolLog {
    dir: Option<PathBuf>,
    prefix: String,
    roll: LogFileRollOver,
    /// LogPerFileSizeQuota in bytes; 0 is unlimited.
    quota: u64,
    open: Mutex<Option<OpenLog>>,
}

struct OpenLog {
    period: String,
    part: u32,
    file: File,
    size: u64,
}

impl ProtocolLog {
    pub fn disabled() -> ProtocolLog {
        ProtocolLog { dir: None, prefix: String::new(), roll: LogFileRollOver::Daily, quota: 0, open: Mutex::new(None) }
    }

    /// `prefix` names the service's files: `POP3`, `POP3BE`, `IMAP4`, `IMAP4BE`.
    pub fn from_settings(settings: &ProtocolSettings, prefix: &str) -> ProtocolLog {
        if !settings.protocol_log_enabled || settings.log_file_location.trim().is_empty() {
            return ProtocolLog::disabled();
        }
        ProtocolLog {
            dir: Some(PathBuf::from(settings.log_file_location.trim())),
            prefix: prefix.to_string(),
            roll: settings.log_file_roll_over_settings,
            quota: settings.log_per_file_size_quota,
            open: Mutex::new(None),
        }
    }

    /// A log in `dir` with files `<prefix><yyyymmdd>-<n>.LOG`, a day a
    /// file and at most `quota` bytes each (the transport's SMTP receive
    /// logs, whose switch is each connector's ProtocolLoggingLevel).
    pub fn daily(dir: PathBuf, prefix: &str, quota: u64) -> ProtocolLog {
        ProtocolLog {
            dir: Some(dir),
            prefix: prefix.to_string(),
            roll: LogFileRollOver::Daily,
            quota,
            open: Mutex::new(None),
        }
    }

    pub fn enabled(&self) -> bool {
        self.dir.is_some()
    }

    pub fn log(&self, session: u64, local: Option<SocketAddr>, remote: Option<SocketAddr>, event: Event, data: &str) {
        let Some(dir) = &self.dir else { return };
        let stamp = super::time::iso_now();
        let local = local.map(|a| a.to_string()).unwrap_or_default();
        let remote = remote.map(|a| a.to_string()).unwrap_or_default();
        let line = format!("{stamp},{session},{local},{remote},{},{}\r\n", event.mark(), csv_field(data));
        let period = self.period();
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let fits = |o: &OpenLog| self.quota == 0 || o.size + line.len() as u64 <= self.quota;
        let stale = match open.as_ref() {
            None => Some(1),
            Some(o) if o.period != period => Some(1),
            // LogPerFileSizeQuota: the next part, -2.LOG, -3.LOG, ...
            Some(o) if !fits(o) => Some(o.part + 1),
            Some(_) => None,
        };
        if let Some(part) = stale {
            *open = self.open_part(dir, &period, part);
        }
        if let Some(o) = open.as_mut()
            && o.file.write_all(line.as_bytes()).is_ok()
        {
            o.size += line.len() as u64;
        }
    }

    /// The first file of this period from `part` on with room left (a log
    /// that cannot be written must not stop the service: None then).
    fn open_part(&self, dir: &std::path::Path, period: &str, mut part: u32) -> Option<OpenLog> {
        // The logs name users and their addresses: the owner's only.
        let _ = private::create_dir_all(dir);
        while part < 10_000 {
            let path = dir.join(format!("{}{}-{}.LOG", self.prefix, period, part));
            let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            if self.quota > 0 && size >= self.quota {
                part += 1;
                continue;
            }
            let mut file = private::options().create(true).append(true).open(&path).ok()?;
            let mut size = size;
            if size == 0 {
                let header = b"#Fields: date-time,session-id,local-endpoint,remote-endpoint,event,data\r\n";
                if file.write_all(header).is_ok() {
                    size = header.len() as u64;
                }
            }
            return Some(OpenLog { period: period.to_string(), part, file, size });
        }
        None
    }

    fn period(&self) -> String {
        let (y, mo, d, h, ..) = super::time::utc_now();
        match self.roll {
            LogFileRollOver::Hourly => format!("{y:04}{mo:02}{d:02}{h:02}"),
            LogFileRollOver::Daily => format!("{y:04}{mo:02}{d:02}"),
            LogFileRollOver::Weekly => {
                let days = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|t| t.as_secs() as i64 / 86_400)
                    .unwrap_or(0);
                // 1970-01-01 was a Thursday: step back to the week's Monday.
                let monday = days - (days + 3).rem_euclid(7);
                let (y, mo, d) = super::time::civil_from_days(monday);
                format!("{y:04}{mo:02}{d:02}")
            }
            LogFileRollOver::Monthly => format!("{y:04}{mo:02}"),
        }
    }
}

/// One session's lines in its service's protocol log.
#[derive(Clone)]
pub struct SessionLog {
    log: Arc<ProtocolLog>,
    id: u64,
    local: Option<SocketAddr>,
    peer: Option<SocketAddr>,
}

impl SessionLog {
    pub fn new(log: Arc<ProtocolLog>, connection: &super::listener::Connection) -> SessionLog {
        SessionLog { log, id: connection.id, local: connection.local, peer: Some(connection.peer) }
    }

    /// The lines of a connection this service made (the Transport's to a
    /// smart host), numbered `id` in the log.
    pub fn outgoing(log: Arc<ProtocolLog>, id: u64, local: Option<SocketAddr>, peer: Option<SocketAddr>) -> SessionLog {
        SessionLog { log, id, local, peer }
    }

    /// A session whose lines are not written (an SMTP connector whose
    /// ProtocolLoggingLevel is None).
    pub fn off(connection: &super::listener::Connection) -> SessionLog {
        SessionLog { log: Arc::new(ProtocolLog::disabled()), id: connection.id, local: connection.local, peer: None }
    }

    /// Whether lines are written at all (callers skip formatting when not).
    pub fn enabled(&self) -> bool {
        self.log.enabled()
    }

    pub fn note(&self, event: Event, data: &str) {
        if self.log.enabled() {
            self.log.log(self.id, self.local, self.peer, event, data);
        }
    }
}

fn csv_field(data: &str) -> String {
    let mut text: String = data.chars().take(MAX_DATA).collect();
    text = text.replace(['\r', '\n'], " ");
    if text.contains([',', '"']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// Keeps the first `keep` words of a command line and masks the rest:
/// `mask_after("PASS secret", 1)` is `PASS ****`.
pub fn mask_after(line: &str, keep: usize) -> String {
    let mut words = line.split_whitespace();
    let kept: Vec<&str> = words.by_ref().take(keep).collect();
    let mut out = kept.join(" ");
    if words.next().is_some() {
        out.push_str(" ****");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secrets() {
        assert_eq!(mask_after("PASS hunter2", 1), "PASS ****");
        assert_eq!(mask_after("AUTH PLAIN AGJvYgBwdw==", 2), "AUTH PLAIN ****");
        assert_eq!(mask_after("a1 LOGIN bob pw", 3), "a1 LOGIN bob ****");
        assert_eq!(mask_after("USER bob", 2), "USER bob");
    }

    #[test]
    fn writes_csv_lines_when_enabled() {
        let dir = tempfile::tempdir().expect("temp");
        let mut s = ProtocolSettings::defaults(crate::store::Protocol::Pop3, "cas01.contoso.com", "/x");
        s.protocol_log_enabled = true;
        s.log_file_location = dir.path().display().to_string();
        let log = ProtocolLog::from_settings(&s, "POP3");
        log.log(7, None, None, Event::Received, "USER a,b");
        let files: Vec<_> = fs::read_dir(dir.path()).expect("dir").filter_map(|e| e.ok()).collect();
        assert_eq!(files.len(), 1);
        let text = fs::read_to_string(files[0].path()).expect("log");
        assert!(text.contains(",7,,,<,\"USER a,b\"\r\n"), "{text}");
    }

    #[test]
    fn a_full_file_rolls_over_to_the_next_part() {
        let dir = tempfile::tempdir().expect("temp");
        let mut s = ProtocolSettings::defaults(crate::store::Protocol::Pop3, "cas01.contoso.com", "/x");
        s.protocol_log_enabled = true;
        s.log_file_location = dir.path().display().to_string();
        s.log_per_file_size_quota = 400;
        let log = ProtocolLog::from_settings(&s, "POP3BE");
        for i in 0..12 {
            log.log(i, None, None, Event::Sent, "+OK a line of about fifty bytes");
        }
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert!(names.len() >= 2, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("POP3BE") && n.ends_with(".LOG")), "{names:?}");
        assert!(names.iter().any(|n| n.ends_with("-2.LOG")), "{names:?}");
        for n in &names {
            assert!(fs::metadata(dir.path().join(n)).expect("file").len() <= 400, "{n}");
        }
    }
}
