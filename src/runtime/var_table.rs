//! The variables of one scope. A function's scope holds a handful (its
//! parameters and a few locals), read and written on every statement, and
//! is emptied at every call's end: for so few, a scan of a short list beats
//! hashing the name, and emptying it is one length reset. A scope that
//! grows past `SCAN_LIMIT` names (the global one) adds a hash index.
//!
//! Names from the parser share one allocation per name (`VarRef::new`), so
//! most comparisons end on the pointer; any other name is compared by text.

use std::rc::Rc;

use super::scope::{NameMap, Variable};

/// Up to this many variables a scope is searched in order.
const SCAN_LIMIT: usize = 8;

#[derive(Debug, Clone, Default)]
pub struct VarTable {
    entries: Vec<(Rc<str>, Variable)>,
    /// Name to position in `entries`, once there are more than `SCAN_LIMIT`.
    index: Option<NameMap<usize>>,
}

/// Two lower-case names are one: the same allocation, or the same text
/// (compared here byte by byte: names are short, and most differ early).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a.bytes().zip(b.bytes()).all(|(x, y)| x == y))
}

impl VarTable {
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| same(k, key)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Variable> {
        self.position(key).map(|i| &self.entries[i].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Variable> {
        self.position(key).map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key` to `var`, replacing the variable of that name if any.
    pub fn insert(&mut self, key: Rc<str>, var: Variable) {
        if let Some(i) = self.position(&key) {
            self.entries[i].1 = var;
            return;
        }
        let at = self.entries.len();
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), at);
        }
        self.entries.push((key, var));
        if self.index.is_none() && self.entries.len() > SCAN_LIMIT {
            self.index = Some(self.entries.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect());
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Variable> {
        let i = self.position(key)?;
        let (_, var) = self.entries.swap_remove(i);
        if let Some(index) = &mut self.index {
            index.remove(key);
            // The last entry moved into the hole.
            if let Some((moved, _)) = self.entries.get(i) {
                index.insert(moved.clone(), i);
            }
        }
        Some(var)
    }

    pub fn keys(&self) -> impl Iterator<Item = &Rc<str>> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Empties the table, keeping the list's room for the next call.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.index = None;
    }

    pub fn capacity(&self) -> usize {
        self.entries.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::value::Value;

    fn table(n: usize) -> VarTable {
        let mut t = VarTable::default();
        for i in 0..n {
            t.insert(Rc::from(format!("v{i}")), Variable::new(Value::Int(i as i32)));
        }
        t
    }

    fn int(t: &VarTable, key: &str) -> Option<i64> {
        t.get(key).and_then(|v| v.value().as_i64())
    }

    #[test]
    fn names_are_found_by_text_below_and_above_the_scan_limit() {
        for n in [1, SCAN_LIMIT, SCAN_LIMIT + 1, 40] {
            let mut t = table(n);
            for i in 0..n {
                assert_eq!(int(&t, &format!("v{i}")), Some(i as i64), "{n} names");
            }
            assert!(t.get("absent").is_none());
            t.insert(Rc::from("v0"), Variable::new(Value::Int(100)));
            assert_eq!((t.len(), int(&t, "v0")), (n, Some(100)), "a second insert replaces");
        }
    }

    #[test]
    fn removing_keeps_every_other_name_reachable() {
        for n in [3, SCAN_LIMIT + 4] {
            let mut t = table(n);
            assert_eq!(t.remove("v1").and_then(|v| v.value().as_i64()), Some(1));
            assert!(t.remove("v1").is_none());
            for i in (0..n).filter(|i| *i != 1) {
                assert_eq!(int(&t, &format!("v{i}")), Some(i as i64), "{n} names, v{i}");
            }
            assert_eq!(t.len(), n - 1);
        }
    }

    #[test]
    fn a_cleared_table_is_empty_and_can_grow_again() {
        let mut t = table(SCAN_LIMIT + 3);
        t.clear();
        assert!(t.is_empty() && t.get("v0").is_none());
        let t2 = {
            t.insert(Rc::from("x"), Variable::new(Value::Int(7)));
            t
        };
        assert_eq!(int(&t2, "x"), Some(7));
    }
}
