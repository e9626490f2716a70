//! Protocol logs (ProtocolLogEnabled): one CSV line per command, response
//! status, connect and disconnect, under LogFileLocation, rolled over as
//! LogFileRollOverSettings says. Callers mask secrets before logging
//! (`mask_after`); message bodies are never logged, only status lines.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::store::{LogFileRollOver, ProtocolSettings};

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
    open: Mutex<Option<(String, File)>>,
}

impl ProtocolLog {
    pub fn disabled() -> ProtocolLog {
        ProtocolLog { dir: None, prefix: String::new(), roll: LogFileRollOver::Daily, open: Mutex::new(None) }
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
        let name = self.file_name();
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if open.as_ref().is_none_or(|(n, _)| *n != name) {
            // A log that cannot be written must not stop the service.
            let _ = fs::create_dir_all(dir);
            let path = dir.join(&name);
            let fresh = !path.exists();
            *open = OpenOptions::new().create(true).append(true).open(&path).ok().map(|mut f| {
                if fresh {
                    let _ = f.write_all(b"#Fields: date-time,session-id,local-endpoint,remote-endpoint,event,data\r\n");
                }
                (name, f)
            });
        }
        if let Some((_, f)) = open.as_mut() {
            let _ = f.write_all(line.as_bytes());
        }
    }

    fn file_name(&self) -> String {
        let (y, mo, d, h, ..) = super::time::utc_now();
        let period = match self.roll {
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
        };
        format!("{}{}-1.LOG", self.prefix, period)
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
}
