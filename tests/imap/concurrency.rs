//! Ten clients on one Inbox at once (APPEND, FETCH of bodies, sections,
//! BODYSTRUCTURE and ENVELOPE, STORE, SEARCH, EXPUNGE): every FETCH
//! response is compared byte for byte with the message appended under its
//! UID, and every client checks its view of sequence numbers against what
//! the server tells it (tests/imap/stress.py).
//!
//! A few seconds here; for the long run (60 s, figures in the notes):
//! `MAILSH_IMAP_STRESS_SECS=60 cargo test --test main imap::concurrency -- --nocapture`

use crate::support::{Env, python};

const SCRIPT: &str = include_str!("stress.py");

#[test]
fn ten_clients_never_see_a_wrong_message() {
    let seconds: f64 = std::env::var("MAILSH_IMAP_STRESS_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(4.0);
    let mut env = Env::imap(false);
    env.start_imap();
    let script = format!("import os\nos.environ['STRESS_SECONDS'] = '{seconds}'\n{SCRIPT}");
    let (ok, out, err) = python(&env, &script);
    println!("{out}");
    assert!(ok, "{out}\n{err}");
    let figures = out.lines().last().unwrap_or_default();
    assert!(figures.contains("\"mismatches\": 0,"), "{figures}\n{err}");
    assert!(figures.contains("\"protocol_errors\": 0,"), "{figures}\n{err}");
    for op in ["appends", "fetch_responses", "expunge", "store_deleted", "search", "uid_fetch"] {
        assert!(figures.contains(&format!("\"{op}\": ")), "no {op} happened: {figures}");
    }
}
