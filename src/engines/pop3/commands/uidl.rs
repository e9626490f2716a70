use super::super::maildrop::Maildrop;
use super::super::response::{ok, ok_lines};

/// UIDL [n]: UIDVALIDITY.UID, stable across sessions and never reused.
pub fn uidl(drop: &Maildrop, number: Option<u32>) -> Vec<u8> {
    match number {
        Some(n) => match drop.get(n) {
            Ok(item) => ok(&format!("{n} {}", drop.unique_id(&item))),
            Err(m) => super::missing(m),
        },
        None => {
            let lines: Vec<String> = drop.live().map(|(n, item)| format!("{n} {}", drop.unique_id(&item))).collect();
            ok_lines("", &lines)
        }
    }
}
