//! The Transport's logs deleted past their age, as Exchange's log managers
//! do: message tracking (MessageTrackingLogMaxAge), SMTP receive
//! (ReceiveProtocolLogMaxAge) and send (SendProtocolLogMaxAge) logs, 30
//! days each unless Set-TransportService says otherwise (00:00:00 keeps
//! them). At the service's start, then every hour. The Transport also ages
//! the Frontend Transport's receive logs, by ReceiveProtocolLogMaxAge
//! (Exchange sets theirs with Set-FrontendTransportService, which mailsh
//! has not).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

use crate::engines::net::listener::stopped;

const EVERY: Duration = Duration::from_secs(3600);

/// Each log folder and the age past which its files go.
#[derive(Debug, Clone, Default)]
pub struct LogAges {
    pub folders: Vec<(PathBuf, Duration)>,
}

pub async fn run(ages: LogAges, shutdown: watch::Receiver<bool>) {
    let mut stop = shutdown;
    loop {
        let folders = ages.folders.clone();
        let _ = tokio::task::spawn_blocking(move || {
            for (dir, age) in folders.iter().filter(|(_, age)| !age.is_zero()) {
                delete_logs_older_than(dir, *age, SystemTime::now());
            }
        })
        .await;
        tokio::select! {
            () = tokio::time::sleep(EVERY) => {}
            () = stopped(&mut stop) => return,
        }
    }
}

/// Deletes the log files (`*.LOG`) in `dir` last written more than
/// `max_age` before `now` (Exchange's MessageTrackingLogMaxAge and the
/// protocol logs' MaxAge); how many went. A folder that does not exist
/// holds none.
pub fn delete_logs_older_than(dir: &Path, max_age: std::time::Duration, now: std::time::SystemTime) -> usize {
    let Ok(entries) = fs::read_dir(dir) else { return 0 };
    let mut deleted = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let is_log = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("log"));
        let written = entry.metadata().and_then(|m| m.modified());
        let old = written.is_ok_and(|w| now.duration_since(w).is_ok_and(|age| age > max_age));
        if is_log && old && fs::remove_file(&path).is_ok() {
            deleted += 1;
        }
    }
    deleted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_past_their_age_are_deleted_and_nothing_else() {
        use std::time::{Duration, SystemTime};
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        let day = Duration::from_secs(86_400);
        for (name, age) in [("MSGTRK20261001-1.LOG", 40), ("MSGTRK20261120-1.LOG", 10), ("notes.txt", 40)] {
            let f = fs::File::create(dir.path().join(name)).unwrap();
            f.set_modified(now - day * age).unwrap();
        }
        assert_eq!(delete_logs_older_than(dir.path(), day * 30, now), 1);
        let mut left: Vec<String> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, ["MSGTRK20261120-1.LOG", "notes.txt"]);
        assert_eq!(delete_logs_older_than(&dir.path().join("none"), day, now), 0, "no folder, nothing to do");
    }
}
