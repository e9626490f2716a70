//! Objects with named properties: what cmdlets emit (one shared `Class`
//! per type, properties in display order) and PSCustomObjects scripts make.
//! Properties can be set; adding one gives the object a class of its own.

use std::cell::RefCell;
use std::rc::Rc;

use super::Value;

/// The shape of an object: its type name (which picks the default view) and
/// its property names in display order. Shared by every object of a kind.
#[derive(Debug, PartialEq, Eq)]
pub struct Class {
    pub type_name: String,
    pub names: Vec<String>,
}

impl Class {
    pub fn new(type_name: &str, names: &[&str]) -> Rc<Class> {
        Rc::new(Class { type_name: type_name.to_string(), names: names.iter().map(|s| s.to_string()).collect() })
    }
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.eq_ignore_ascii_case(name))
    }
}

#[derive(Debug)]
pub struct Object {
    class: RefCell<Rc<Class>>,
    values: RefCell<Vec<Value>>,
    /// State a .NET object keeps outside its properties: the characters of
    /// a System.Text.StringBuilder.
    text: RefCell<Option<String>>,
}

impl PartialEq for Object {
    fn eq(&self, other: &Object) -> bool {
        *self.class.borrow() == *other.class.borrow() && *self.values.borrow() == *other.values.borrow()
    }
}

impl Object {
    pub fn new(class: Rc<Class>, values: Vec<Value>) -> Object {
        Object { class: RefCell::new(class), values: RefCell::new(values), text: RefCell::new(None) }
    }

    /// The object's own text (a StringBuilder's characters), if it has one.
    pub fn own_text(&self) -> Option<String> {
        self.text.borrow().clone()
    }

    pub fn set_own_text(&self, text: String) {
        *self.text.borrow_mut() = Some(text);
    }

    pub fn class(&self) -> Rc<Class> {
        self.class.borrow().clone()
    }

    pub fn get(&self, name: &str) -> Option<Value> {
        let i = self.class.borrow().index_of(name)?;
        self.values.borrow().get(i).cloned()
    }

    pub fn has(&self, name: &str) -> bool {
        self.class.borrow().index_of(name).is_some()
    }

    /// Sets an existing property; false when there is none of that name.
    pub fn set(&self, name: &str, value: Value) -> bool {
        let Some(i) = self.class.borrow().index_of(name) else { return false };
        if let Some(slot) = self.values.borrow_mut().get_mut(i) {
            *slot = value;
            return true;
        }
        false
    }

    /// Adds a property (Add-Member); the class is copied, never changed in
    /// place, since other objects share it.
    pub fn add(&self, name: &str, value: Value) {
        let mut class = self.class.borrow_mut();
        let mut names = class.names.clone();
        names.push(name.to_string());
        *class = Rc::new(Class { type_name: class.type_name.clone(), names });
        self.values.borrow_mut().push(value);
    }

    /// Renames the object's type (Select-Object makes `Selected.X` objects).
    pub fn set_type_name(&self, type_name: &str) {
        let mut class = self.class.borrow_mut();
        *class = Rc::new(Class { type_name: type_name.to_string(), names: class.names.clone() });
    }

    pub fn type_name(&self) -> String {
        self.class.borrow().type_name.clone()
    }

    pub fn is_type(&self, type_name: &str) -> bool {
        self.class.borrow().type_name == type_name
    }

    /// The properties in display order (copied out).
    pub fn properties(&self) -> Vec<(String, Value)> {
        let class = self.class.borrow();
        class.names.iter().cloned().zip(self.values.borrow().iter().cloned()).collect()
    }

    pub fn names(&self) -> Vec<String> {
        self.class.borrow().names.clone()
    }

    pub fn values(&self) -> Vec<Value> {
        self.values.borrow().clone()
    }

    pub fn first_value(&self) -> Option<Value> {
        self.values.borrow().first().cloned()
    }
}
