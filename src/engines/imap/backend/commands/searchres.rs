//! SEARCHRES (RFC 5182, as folded into RFC 9051 6.4.4.1): `SEARCH RETURN
//! (SAVE ...)` keeps its result in the session's search result variable,
//! and `$` in a later command stands for it. What is kept follows RFC 9051
//! Table 4: with MIN and/or MAX but neither ALL nor COUNT, only those
//! messages; otherwise every hit. The variable is held as UIDs
//! (`Selected::saved`), so an expunged message drops out and `$` reads as
//! message numbers or UIDs as the command needs; the dispatcher puts the
//! set in (`dispatch::with_saved_result`, `wire::ext::put_dollar`). A SEARCH
//! with SAVE that fails with NO empties it; BAD leaves it as it was.

/// The result variable's new value: `uids` are the hits, in the order MIN
/// and MAX read (ascending for SEARCH, the sort order for SORT);
/// `returns` the RETURN options (upper case, SAVE among them).
pub fn saved_value(uids: &[u32], returns: &[&str]) -> Vec<u32> {
    let has = |o: &str| returns.contains(&o);
    if has("ALL") || has("COUNT") || !(has("MIN") || has("MAX")) {
        return uids.to_vec();
    }
    let mut kept = Vec::new();
    if let (true, Some(first)) = (has("MIN"), uids.first()) {
        kept.push(*first);
    }
    if let (true, Some(last)) = (has("MAX"), uids.last())
        && kept.last() != Some(last)
    {
        kept.push(*last);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::saved_value;

    #[test]
    fn what_save_keeps_follows_table_4() {
        let hits = [2, 10, 11, 21];
        assert_eq!(saved_value(&hits, &["SAVE"]), hits);
        assert_eq!(saved_value(&hits, &["SAVE", "MIN"]), [2]);
        assert_eq!(saved_value(&hits, &["MAX", "SAVE"]), [21]);
        assert_eq!(saved_value(&hits, &["MAX", "SAVE", "MIN"]), [2, 21]);
        assert_eq!(saved_value(&hits, &["MAX", "SAVE", "MIN", "COUNT"]), hits);
        assert_eq!(saved_value(&hits, &["ALL", "SAVE", "MIN"]), hits);
        assert_eq!(saved_value(&[5], &["SAVE", "MIN", "MAX"]), [5]);
        assert!(saved_value(&[], &["SAVE", "MIN"]).is_empty());
    }
}
