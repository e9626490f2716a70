//! Waiting on a condition with a deadline, never for a fixed time.

use std::time::{Duration, Instant};

/// How long any wait of the tests may last before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Checks `done` until it holds; fails the test, naming `what`, when the
/// deadline passes first.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let began = Instant::now();
    while !done() {
        assert!(began.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}
