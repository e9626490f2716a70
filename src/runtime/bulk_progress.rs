//! Progress of a store writer fed by a pipeline (`Get-Mailbox | Set-CASMailbox
//! -PopEnabled $false` over thousands of mailboxes), so a long bulk change
//! does not look like a hung shell: once the writer has run for a second,
//! the host is told how many records it has done, at most four times a
//! second, and the activity goes when the pipeline ends. A change that
//! ends within the second shows nothing.

use std::time::{Duration, Instant};

use super::progress::ProgressRecord;

/// How long a bulk change runs before its progress is shown.
pub const SHOW_AFTER: Duration = Duration::from_secs(1);
/// How often the count is shown again.
const EVERY: Duration = Duration::from_millis(250);
/// The source the host keys these activities by, apart from any script's
/// Write-Progress (whose -SourceId is 0 unless given).
pub const SOURCE_ID: i64 = -1;

pub struct BulkProgress {
    /// The writer's cmdlet name: the activity.
    activity: &'static str,
    started: Instant,
    done: u64,
    shown_at: Option<Instant>,
}

impl BulkProgress {
    pub fn new(activity: &'static str, started: Instant) -> BulkProgress {
        BulkProgress { activity, started, done: 0, shown_at: None }
    }

    fn record(&self, completed: bool) -> ProgressRecord {
        ProgressRecord {
            activity_id: 0,
            parent_id: -1,
            activity: self.activity.to_string(),
            status: format!("Processed {} {}", self.done, if self.done == 1 { "object" } else { "objects" }),
            current_operation: String::new(),
            percent_complete: -1,
            seconds_remaining: -1,
            completed,
        }
    }

    /// One more record done at `now`: the record to show, when it is time.
    pub fn tick(&mut self, now: Instant) -> Option<ProgressRecord> {
        self.done += 1;
        let due = match self.shown_at {
            None => now.duration_since(self.started) >= SHOW_AFTER,
            Some(at) => now.duration_since(at) >= EVERY,
        };
        if !due {
            return None;
        }
        self.shown_at = Some(now);
        Some(self.record(false))
    }

    /// The record that takes the activity down, if it was shown.
    pub fn finish(self) -> Option<ProgressRecord> {
        self.shown_at.map(|_| self.record(true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_after_a_second_then_four_times_a_second_then_taken_down() {
        let t0 = Instant::now();
        let mut p = BulkProgress::new("Set-CASMailbox", t0);
        assert_eq!(p.tick(t0 + Duration::from_millis(500)), None);
        let first = p.tick(t0 + SHOW_AFTER).expect("shown once a second has gone");
        assert_eq!((first.activity.as_str(), first.status.as_str()), ("Set-CASMailbox", "Processed 2 objects"));
        assert_eq!((first.percent_complete, first.completed), (-1, false));
        assert_eq!(p.tick(t0 + SHOW_AFTER + Duration::from_millis(100)), None);
        let again = p.tick(t0 + SHOW_AFTER + EVERY).expect("shown again");
        assert_eq!(again.status, "Processed 4 objects");
        let last = p.finish().expect("taken down");
        assert!(last.completed);
    }

    #[test]
    fn a_change_within_the_second_shows_nothing() {
        let t0 = Instant::now();
        let mut p = BulkProgress::new("Set-Mailbox", t0);
        for ms in [10, 200, 900] {
            assert_eq!(p.tick(t0 + Duration::from_millis(ms)), None);
        }
        assert_eq!(p.finish(), None);
    }
}
