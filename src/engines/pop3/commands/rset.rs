use super::super::maildrop::Maildrop;
use super::super::response::ok;

/// RSET: unmarks every message marked deleted.
pub fn rset(drop: &mut Maildrop) -> Vec<u8> {
    drop.reset();
    ok("")
}
