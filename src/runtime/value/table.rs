//! Hashtables: `@{}` (keys compared case-insensitively, as PowerShell's
//! hashtables are) and `[ordered]@{}`. Entries keep their insertion order in
//! both; Windows PowerShell enumerates a plain hashtable in hash order, a
//! difference docs/language.md records.

use std::cell::{Ref, RefCell};

use indexmap::IndexMap;

use super::Value;

/// How a key is looked up: strings by their case-folded text, numbers by
/// value, anything else by its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TableKey {
    Text(String),
    Int(i64),
    Other(String),
}

impl TableKey {
    pub fn of(v: &Value) -> TableKey {
        match v {
            Value::Str(s) => TableKey::Text(s.to_lowercase()),
            Value::Char(c) => TableKey::Text(c.to_lowercase().collect()),
            Value::Int(_) | Value::Long(_) | Value::Byte(_) => TableKey::Int(v.as_i64().unwrap_or(0)),
            Value::Enum(..) => TableKey::Text(v.to_text().to_lowercase()),
            other => TableKey::Other(other.to_text()),
        }
    }
}

#[derive(Debug)]
pub struct Table {
    map: RefCell<IndexMap<TableKey, (Value, Value)>>,
    pub ordered: bool,
}

impl Table {
    pub fn new(ordered: bool) -> Table {
        Table { map: RefCell::new(IndexMap::new()), ordered }
    }

    pub fn type_name(&self) -> &'static str {
        if self.ordered { "System.Collections.Specialized.OrderedDictionary" } else { "System.Collections.Hashtable" }
    }

    pub fn len(&self) -> usize {
        self.map.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, key: &Value) -> Option<Value> {
        self.map.borrow().get(&TableKey::of(key)).map(|(_, v)| v.clone())
    }

    pub fn get_str(&self, key: &str) -> Option<Value> {
        self.map.borrow().get(&TableKey::Text(key.to_lowercase())).map(|(_, v)| v.clone())
    }

    pub fn contains(&self, key: &Value) -> bool {
        self.map.borrow().contains_key(&TableKey::of(key))
    }

    /// Sets a key; an existing key keeps its place and its original spelling.
    pub fn insert(&self, key: Value, value: Value) {
        let mut map = self.map.borrow_mut();
        match map.get_mut(&TableKey::of(&key)) {
            Some(slot) => slot.1 = value,
            None => {
                map.insert(TableKey::of(&key), (key, value));
            }
        }
    }

    pub fn remove(&self, key: &Value) -> Option<Value> {
        self.map.borrow_mut().shift_remove(&TableKey::of(key)).map(|(_, v)| v)
    }

    pub fn clear(&self) {
        self.map.borrow_mut().clear();
    }

    /// The entries in order (copied, so script code may run while iterating).
    pub fn entries(&self) -> Vec<(Value, Value)> {
        self.map.borrow().values().cloned().collect()
    }

    pub fn keys(&self) -> Vec<Value> {
        self.map.borrow().values().map(|(k, _)| k.clone()).collect()
    }

    pub fn values(&self) -> Vec<Value> {
        self.map.borrow().values().map(|(_, v)| v.clone()).collect()
    }

    pub fn borrow_map(&self) -> Ref<'_, IndexMap<TableKey, (Value, Value)>> {
        self.map.borrow()
    }

    pub fn copy(&self) -> Table {
        Table { map: RefCell::new(self.map.borrow().clone()), ordered: self.ordered }
    }
}
