use super::super::maildrop::Maildrop;
use super::super::response::ok;

/// STAT: `+OK count octets` of the messages not marked deleted.
pub fn stat(drop: &Maildrop) -> Vec<u8> {
    let (n, octets) = drop.stat();
    ok(&format!("{n} {octets}"))
}
