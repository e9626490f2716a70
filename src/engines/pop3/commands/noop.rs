use super::super::response::ok;

/// NOOP: `+OK`, and the idle timer starts again.
pub fn noop() -> Vec<u8> {
    ok("")
}
