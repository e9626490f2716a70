//! Arrays: PowerShell's object[] (fixed size, elements replaceable),
//! typed arrays (`[int[]]`), and the growable lists scripts build with
//! `[System.Collections.ArrayList]` or `[System.Collections.Generic.List[T]]`.

use std::cell::{Ref, RefCell, RefMut};

use super::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArrayKind {
    /// System.Object[]
    Object,
    /// A typed array, by element type name (`System.Int32` for `[int[]]`).
    Typed(String),
    /// System.Collections.ArrayList
    ArrayList,
    /// System.Collections.Generic.List`1[T], by element type name.
    List(String),
}

#[derive(Debug)]
pub struct Array {
    items: RefCell<Vec<Value>>,
    pub kind: ArrayKind,
}

impl PartialEq for Array {
    fn eq(&self, other: &Array) -> bool {
        self.kind == other.kind && *self.items() == *other.items()
    }
}

impl Array {
    pub fn new(items: Vec<Value>, kind: ArrayKind) -> Array {
        Array { items: RefCell::new(items), kind }
    }

    /// The items, borrowed; never hold this across evaluation of script code.
    pub fn items(&self) -> Ref<'_, Vec<Value>> {
        self.items.borrow()
    }

    pub fn items_mut(&self) -> RefMut<'_, Vec<Value>> {
        self.items.borrow_mut()
    }

    pub fn len(&self) -> usize {
        self.items.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<Value> {
        self.items.borrow().get(i).cloned()
    }

    /// A copy of the items (for iteration that runs script code).
    pub fn snapshot(&self) -> Vec<Value> {
        self.items.borrow().clone()
    }

    /// Whether `.Add()` and friends work (lists do, arrays are fixed size).
    pub fn is_growable(&self) -> bool {
        matches!(self.kind, ArrayKind::ArrayList | ArrayKind::List(_))
    }

    pub fn type_name(&self) -> String {
        match &self.kind {
            ArrayKind::Object => "System.Object[]".into(),
            ArrayKind::Typed(t) => format!("{t}[]"),
            ArrayKind::ArrayList => "System.Collections.ArrayList".into(),
            ArrayKind::List(t) => format!("System.Collections.Generic.List`1[[{t}]]"),
        }
    }
}
