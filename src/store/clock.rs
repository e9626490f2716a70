//! The time the store writes: creation dates, audit entries, internal dates
//! of new messages. One clock, so every layer above reads the same one.

/// Unix seconds now (0 if the system clock is before 1970).
pub fn now_unix() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}
