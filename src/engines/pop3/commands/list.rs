use super::super::maildrop::Maildrop;
use super::super::response::{ok, ok_lines};

/// LIST [n]: one scan line, or every live message's number and size.
pub fn list(drop: &Maildrop, number: Option<u32>) -> Vec<u8> {
    match number {
        Some(n) => match drop.get(n) {
            Ok(item) => ok(&format!("{n} {}", item.size)),
            Err(m) => super::missing(m),
        },
        None => {
            let (count, octets) = drop.stat();
            let lines: Vec<String> = drop.live().map(|(n, item)| format!("{n} {}", item.size)).collect();
            ok_lines(&format!("{count} {octets}"), &lines)
        }
    }
}
