//! The Transport's logs deleted past their age, and past their folder's
//! size, as Exchange's log managers do: message tracking
//! (MessageTrackingLogMaxAge, MessageTrackingLogMaxDirectorySize), SMTP
//! receive (ReceiveProtocolLog...) and send (SendProtocolLog...) logs, 30
//! days each and 1000 MB, 250 MB and 250 MB unless Set-TransportService
//! says otherwise (00:00:00 and Unlimited keep them); past the size, the
//! oldest files go first, never the newest (being written). At the
//! service's start, then every five minutes. The Transport also ages
//! the Frontend Transport's receive logs, by ReceiveProtocolLogMaxAge
//! (Exchange sets theirs with Set-FrontendTransportService, which mailsh
//! has not).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tokio::sync::watch;

use crate::engines::net::listener::stopped;

const EVERY: Duration = Duration::from_secs(300);

/// Each log folder, the age past which its files go, and the size its
/// files may take in all (None: Unlimited).
#[derive(Debug, Clone, Default)]
pub struct LogAges {
    pub folders: Vec<(PathBuf, Duration, Option<u64>)>,
}

pub async fn run(ages: LogAges, shutdown: watch::Receiver<bool>) {
    let mut stop = shutdown;
    loop {
        let folders = ages.folders.clone();
        let _ = tokio::task::spawn_blocking(move || {
            for (dir, age, size) in &folders {
                if !age.is_zero() {
                    delete_logs_older_than(dir, *age, SystemTime::now());
                }
                if let Some(size) = size {
                    delete_oldest_logs_past(dir, *size);
                }
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

/// A file written this recently may be one a service is writing (a part
/// just started can share its clock tick with the one it follows).
const IN_USE: Duration = Duration::from_secs(60);

/// Deletes the oldest log files (`*.LOG`, by when they were last written)
/// of `dir` until the rest take at most `max_size` octets; the newest, and
/// any written in the last minute, are kept whatever their size (a service
/// is writing one of them). How many went.
pub fn delete_oldest_logs_past(dir: &Path, max_size: u64) -> usize {
    let Ok(entries) = fs::read_dir(dir) else { return 0 };
    let mut logs: Vec<(SystemTime, u64, PathBuf)> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("log")))
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            Some((m.modified().ok()?, m.len(), e.path()))
        })
        .collect();
    logs.sort();
    let mut total: u64 = logs.iter().map(|(_, size, _)| size).sum();
    let mut deleted = 0;
    let newest = logs.len().saturating_sub(1);
    let now = SystemTime::now();
    for (written, size, path) in &logs[..newest] {
        if total <= max_size {
            break;
        }
        if now.duration_since(*written).is_ok_and(|age| age < IN_USE) || now < *written {
            continue;
        }
        if fs::remove_file(path).is_ok() {
            total -= size;
            deleted += 1;
        }
    }
    deleted
}

#[cfg(test)]
mod tests {
    #[test]
    fn past_its_size_a_folder_loses_its_oldest_logs_first_never_the_newest() {
        use std::time::{Duration, SystemTime};
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        for (name, minutes, size) in [
            ("A-1.LOG", 50, 400),
            ("A-2.LOG", 40, 400),
            ("A-3.LOG", 30, 400),
            ("B-1.LOG", 1, 900),
            ("keep.txt", 99, 5000),
        ] {
            fs::write(dir.path().join(name), vec![b'x'; size]).unwrap();
            let f = fs::File::options().append(true).open(dir.path().join(name)).unwrap();
            f.set_modified(now - Duration::from_secs(60 * minutes)).unwrap();
        }
        let names = || {
            let mut v: Vec<String> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        // 2,100 octets of logs, 1,400 allowed: the two oldest go.
        assert_eq!(delete_oldest_logs_past(dir.path(), 1400), 2);
        assert_eq!(names(), ["A-3.LOG", "B-1.LOG", "keep.txt"]);
        // The newest stays even when it alone is past the size.
        assert_eq!(delete_oldest_logs_past(dir.path(), 10), 1);
        assert_eq!(names(), ["B-1.LOG", "keep.txt"]);
        assert_eq!(delete_oldest_logs_past(&dir.path().join("none"), 10), 0);
    }

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
