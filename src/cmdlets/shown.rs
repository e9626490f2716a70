//! How an object's properties are declared when some of them are settings
//! of a store table (`store::CAS_COLUMNS`, `store::MAILBOX_COLUMNS`): the
//! cmdlet lists every property in Exchange's order, marking a setting by
//! name alone, so its type and accessors are declared once, in the table.

/// What an object shows for one property.
pub enum Shown<M> {
    /// A setting of the store's table (its Set- cmdlet sets it).
    Setting,
    /// Made from the record by `M`; read only.
    Made(M),
}

/// A property resolved once: a setting's accessors, or how it is made.
pub enum Resolved<F, M> {
    Setting(F),
    Made(M),
}

/// `properties` with each setting found in its table by `find`. A name
/// missing from the table is a programming error `check_shown` catches in
/// the cmdlet's unit test; it is made by `missing` (a `$null`).
pub fn resolve<F, M: Copy>(
    properties: &'static [(&'static str, Shown<M>)],
    find: impl Fn(&str) -> Option<F>,
    missing: M,
) -> Vec<(&'static str, Resolved<F, M>)> {
    properties
        .iter()
        .map(|(name, shown)| match shown {
            Shown::Setting => (*name, find(name).map_or(Resolved::Made(missing), Resolved::Setting)),
            Shown::Made(f) => (*name, Resolved::Made(*f)),
        })
        .collect()
}

/// Panics unless every property is named once, every setting shown is in
/// `table`, and every name of `table` is shown exactly once but those in
/// `hidden` (never shown).
#[cfg(test)]
pub fn check_shown<M>(properties: &[(&str, Shown<M>)], table: &[&str], hidden: &[&str]) {
    let names: Vec<&str> = properties.iter().map(|(n, _)| *n).collect();
    for (i, n) in names.iter().enumerate() {
        assert!(!names[i + 1..].contains(n), "{n} is shown twice");
    }
    for (name, shown) in properties {
        if matches!(shown, Shown::Setting) {
            assert!(table.contains(name), "{name} is not in the store's table");
        }
    }
    for name in table {
        let shown = properties.iter().filter(|(n, s)| n == name && matches!(s, Shown::Setting)).count();
        let expected = if hidden.contains(name) { 0 } else { 1 };
        assert_eq!(shown, expected, "{name} is shown {shown} times");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Props = &'static [(&'static str, Shown<fn() -> u8>)];

    const PROPS: Props = &[("A", Shown::Setting), ("B", Shown::Made(|| 1))];

    #[test]
    fn a_setting_missing_twice_or_hidden_is_caught() {
        check_shown(PROPS, &["A"], &[]);
        check_shown(PROPS, &["A", "S"], &["S"]);
        let fails = |table: &'static [&'static str], hidden: &'static [&'static str]| {
            std::panic::catch_unwind(|| check_shown(PROPS, table, hidden)).is_err()
        };
        assert!(fails(&[], &[]), "a shown setting the table lacks");
        assert!(fails(&["A", "C"], &[]), "a setting never shown");
        assert!(fails(&["A"], &["A"]), "a hidden setting shown");
        const TWICE: Props = &[("A", Shown::Setting), ("A", Shown::Setting)];
        assert!(std::panic::catch_unwind(|| check_shown(TWICE, &["A"], &[])).is_err(), "a property twice");
        let resolved = resolve(PROPS, |n| (n == "A").then_some(7), || 0);
        assert!(matches!(resolved[0], ("A", Resolved::Setting(7))));
        assert!(matches!(resolved[1], ("B", Resolved::Made(f)) if f() == 1));
    }
}
