//! Loopback ports for services under test. They come from below the
//! kernel's ephemeral range (32768 and up), so no client socket of a test
//! running alongside can be holding one. Each test process takes a block of
//! its own, held by a lock file for as long as it runs, so two test runs on
//! one machine (two checkouts, two CI jobs) never hand out the same port;
//! within its block a process hands ports out in turn, each checked free.

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU16, Ordering};

const FIRST: u16 = 20_000;
/// One run of the suite takes about 500 ports (six for each service test).
const BLOCK: u16 = 1_000;
const BLOCKS: u16 = 12;

static NEXT: AtomicU16 = AtomicU16::new(0);

pub fn free_port() -> u16 {
    let start = block_start();
    loop {
        let port = start + NEXT.fetch_add(1, Ordering::Relaxed) % BLOCK;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// The first port of this process's block.
fn block_start() -> u16 {
    static START: OnceLock<u16> = OnceLock::new();
    *START.get_or_init(|| {
        let first = (std::process::id() % BLOCKS as u32) as u16;
        let taken = (0..BLOCKS).map(|i| (first + i) % BLOCKS).find(|&b| lock_block(b));
        // Without a lock (a folder that cannot be written) the process's id
        // still spreads concurrent runs, as well as it can.
        FIRST + taken.unwrap_or(first) * BLOCK
    })
}

/// Takes block `b` for this process: an exclusive lock on its file, kept
/// until the process ends (the kernel drops it then, even after a crash).
/// The descriptor is close-on-exec, so services started by the tests do
/// not keep the block after the run.
fn lock_block(b: u16) -> bool {
    let dir = std::env::temp_dir().join("mailsh-test-ports");
    let _ = std::fs::create_dir_all(&dir);
    let Ok(file) = OpenOptions::new().create(true).truncate(false).write(true).open(dir.join(format!("{b}.lock")))
    else {
        return false;
    };
    // SAFETY: flock(2) on a descriptor this function owns.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        return false;
    }
    static HELD: OnceLock<File> = OnceLock::new();
    HELD.set(file).is_ok()
}
