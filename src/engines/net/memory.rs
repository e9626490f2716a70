//! Giving freed memory back to the system. An engine's load comes in waves
//! (a morning's logons, thousands of IDLE sessions that end together), and
//! glibc's allocator keeps what a wave freed: measured on the benchmark, the
//! four engines went from 239 MB after load to 310 MB once 2,000 idle
//! sessions had closed, and stayed there. So an engine process:
//!
//! - serves blocks of 128 KiB and more (argon2's memory, large responses)
//!   from their own mappings, given back the moment they are freed: glibc
//!   otherwise raises that threshold to the largest block freed so far, and
//!   keeps such blocks afterwards;
//! - uses two allocation arenas rather than one per thread that ever
//!   allocated (up to 16 on two cores), which hold free memory apart;
//! - has a thread that looks every two seconds at how much the allocator
//!   holds free and, when that grew by 8 MiB since it last looked, hands
//!   the free pages back (`malloc_trim`).
//!
//! jemalloc returned the memory by itself as well (its decay, with a
//! background thread); glibc with these settings did as well as it on the
//! same benchmark, without a dependency built from C. The figures are in
//! docs/performance.md. Other C libraries: nothing to do here.

use std::time::Duration;

/// How often the trimming thread looks.
const LOOK_EVERY: Duration = Duration::from_secs(2);

/// Free memory the allocator may gain before it is handed back.
const SLACK: usize = 8 * 1024 * 1024;

/// Sets the allocator up for a long-running engine and starts the thread
/// that gives freed memory back. Call once, early, before other threads.
pub fn manage() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::manage();
}

/// Whether the trimming thread trims, given the free memory now and the
/// free memory just after it last trimmed (`floor`).
fn should_trim(free: usize, floor: &mut usize) -> bool {
    if free < *floor {
        // Free memory was reused: the floor follows it down.
        *floor = free;
        return false;
    }
    free - *floor > SLACK
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use super::{LOOK_EVERY, should_trim};

    pub fn manage() {
        // SAFETY: mallopt only sets allocator parameters; called before
        // the engine's other threads exist.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
        let spawned = std::thread::Builder::new().name("memory-trim".into()).spawn(trim_loop);
        if let Err(e) = spawned {
            eprintln!("mailsh: the memory trimming thread could not start: {e}");
        }
    }

    fn free_bytes() -> usize {
        // SAFETY: mallinfo2 only reads the allocator's statistics.
        unsafe { libc::mallinfo2() }.fordblks
    }

    fn trim_loop() {
        let mut floor = free_bytes();
        loop {
            std::thread::sleep(LOOK_EVERY);
            if should_trim(free_bytes(), &mut floor) {
                // SAFETY: malloc_trim hands free pages back; it frees nothing in use.
                unsafe { libc::malloc_trim(0) };
                floor = free_bytes();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_when_free_memory_grew_by_the_slack_and_follows_reuse_down() {
        let mut floor = 10 * SLACK;
        assert!(!should_trim(10 * SLACK + SLACK, &mut floor), "exactly the slack: not yet");
        assert!(should_trim(10 * SLACK + SLACK + 1, &mut floor));
        assert!(!should_trim(2 * SLACK, &mut floor), "reused");
        assert_eq!(floor, 2 * SLACK);
        assert!(should_trim(3 * SLACK + 1, &mut floor), "measured from the new floor");
    }
}
