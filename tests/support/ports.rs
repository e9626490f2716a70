//! Loopback ports for services under test. They come from below the
//! kernel's ephemeral range (32768 and up), so no client socket of a test
//! running alongside can be holding one; they are unique within the test
//! process, and checked free before use.

use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

pub fn free_port() -> u16 {
    // Test binaries run one after another; spreading them still keeps a
    // binary off ports a previous one's services may be releasing.
    let spread = (std::process::id() % 400) * 25;
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = 20_000 + ((spread + n) % 12_000) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}
