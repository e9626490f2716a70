//! Sequence sets (`1:5,7,*`) against a session's view of a folder: message
//! numbers or UIDs to (sequence number, UID) pairs, without ever walking a
//! range like `1:4294967295` value by value.

use imap_codec::imap_types::sequence::{SeqOrUid, Sequence, SequenceSet};

/// Resolves `set` against `uids` (the session's folder view, ascending).
/// Returns (1-based sequence number, UID) pairs in ascending order, each once.
pub fn resolve(set: &SequenceSet, uids: &[u32], by_uid: bool) -> Vec<(u32, u32)> {
    let mut picked: Vec<usize> = Vec::new();
    if uids.is_empty() {
        return vec![];
    }
    let count = uids.len() as u32;
    let max_uid = *uids.last().unwrap_or(&0);
    for seq in set.0.as_ref() {
        let (a, b) = match seq {
            Sequence::Single(x) => (*x, *x),
            Sequence::Range(a, b) => (*a, *b),
        };
        let value = |x: SeqOrUid| match x {
            SeqOrUid::Value(v) => v.get(),
            SeqOrUid::Asterisk => {
                if by_uid {
                    max_uid
                } else {
                    count
                }
            }
        };
        let (lo, hi) = {
            let (x, y) = (value(a), value(b));
            (x.min(y), x.max(y))
        };
        if by_uid {
            let start = uids.partition_point(|u| *u < lo);
            let end = uids.partition_point(|u| *u <= hi);
            picked.extend(start..end);
        } else {
            let lo = lo.max(1);
            let hi = hi.min(count);
            if lo <= hi {
                picked.extend((lo - 1) as usize..hi as usize);
            }
        }
    }
    picked.sort_unstable();
    picked.dedup();
    picked.into_iter().map(|i| (i as u32 + 1, uids[i])).collect()
}

/// Whether `value` is in `set`, `*` being `star` (SEARCH's sets, VANISHED's
/// UID ranges).
pub fn contains(set: &SequenceSet, value: u32, star: u32) -> bool {
    set.0.as_ref().iter().any(|s| {
        let v = |x: &SeqOrUid| match x {
            SeqOrUid::Value(n) => n.get(),
            SeqOrUid::Asterisk => star,
        };
        match s {
            Sequence::Single(x) => v(x) == value,
            Sequence::Range(a, b) => {
                let (lo, hi) = (v(a).min(v(b)), v(a).max(v(b)));
                (lo..=hi).contains(&value)
            }
        }
    })
}

/// The parts of UID ranges that `set` names, `*` being `star`, ascending
/// and merged (VANISHED limited to what the client asked about).
pub fn ranges_in_set(ranges: &[(u32, u32)], set: &SequenceSet, star: u32) -> Vec<(u32, u32)> {
    let v = |x: &SeqOrUid| match x {
        SeqOrUid::Value(n) => n.get(),
        SeqOrUid::Asterisk => star,
    };
    let mut out: Vec<(u32, u32)> = Vec::new();
    for s in set.0.as_ref() {
        let (a, b) = match s {
            Sequence::Single(x) => (v(x), v(x)),
            Sequence::Range(a, b) => (v(a).min(v(b)), v(a).max(v(b))),
        };
        for &(lo, hi) in ranges {
            let (lo, hi) = (lo.max(a), hi.min(b));
            if lo <= hi {
                out.push((lo, hi));
            }
        }
    }
    merge(out)
}

/// Sorts ranges and joins those that touch or overlap.
pub fn merge(mut ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some((_, last)) if lo <= last.saturating_add(1) => *last = (*last).max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// `1:3,5` from ranges.
pub fn compress_ranges(ranges: &[(u32, u32)]) -> String {
    let parts: Vec<String> =
        ranges.iter().map(|(lo, hi)| if lo == hi { lo.to_string() } else { format!("{lo}:{hi}") }).collect();
    parts.join(",")
}

/// `1:3,5` for COPYUID / APPENDUID.
pub fn compress(uids: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        let mut end = start;
        while i + 1 < uids.len() && uids[i + 1] == end + 1 {
            i += 1;
            end = uids[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string())
        } else {
            out.push_str(&format!("{start}:{end}"))
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use imap_codec::imap_types::sequence::SequenceSet;

    fn set(text: &str) -> SequenceSet {
        SequenceSet::try_from(text).expect("a valid set")
    }

    #[test]
    fn numbers_ranges_and_star() {
        let uids = [3, 5, 9, 10];
        assert_eq!(resolve(&set("5:1"), &uids, false), vec![(1, 3), (2, 5), (3, 9), (4, 10)]);
        assert_eq!(resolve(&set("*"), &uids, false), vec![(4, 10)]);
        assert_eq!(resolve(&set("2,2,9"), &uids, false), vec![(2, 5)]);
        assert_eq!(resolve(&set("4:9"), &uids, true), vec![(2, 5), (3, 9)]);
        assert_eq!(resolve(&set("100:*"), &uids, true), vec![(4, 10)], "n:* includes the last UID");
        assert_eq!(resolve(&set("1:4294967295"), &uids, false).len(), 4);
        assert!(resolve(&set("1:*"), &[], false).is_empty());
    }

    #[test]
    fn ranges_are_cut_to_a_set() {
        let gone = [(1, 4), (7, 7), (10, 20)];
        assert_eq!(ranges_in_set(&gone, &set("3:8,15,18:*"), 19), [(3, 4), (7, 7), (15, 15), (18, 19)]);
        assert_eq!(compress_ranges(&merge(vec![(5, 6), (1, 2), (3, 3)])), "1:3,5:6");
    }

    #[test]
    fn compresses_runs() {
        assert_eq!(compress(&[1, 2, 3, 5, 7, 8]), "1:3,5,7:8");
    }
}
