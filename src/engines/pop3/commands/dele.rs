use super::super::maildrop::Maildrop;
use super::super::response::ok;

/// DELE n: only marks; the message goes at QUIT (UPDATE state).
pub fn dele(drop: &mut Maildrop, number: u32) -> Vec<u8> {
    match drop.delete(number) {
        Ok(()) => ok(""),
        Err(m) => super::missing(m),
    }
}
