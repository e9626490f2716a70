//! Objects to text: PowerShell's Out-Default, Format-List and Format-Table
//! layouts, the default view of each object type, and error records.

pub mod cell;
pub mod error_record;
pub mod list;
pub mod out_default;
pub mod table;
pub mod views;

use std::rc::Rc;

use crate::runtime::value::{Class, Object, Value};

/// The type of the pre-rendered text that Format-List / Format-Table emit;
/// Out-Default prints it as it is.
pub const FORMAT_TEXT: &str = "mailsh.Format.FormatText";

thread_local! {
    static FORMAT_TEXT_CLASS: Rc<Class> = Class::new(FORMAT_TEXT, &["Text"]);
}

pub fn format_text(text: String) -> Value {
    let class = FORMAT_TEXT_CLASS.with(Rc::clone);
    Value::Object(Rc::new(Object::new(class, vec![Value::str(text)])))
}

/// The text of a FormatText object, if `v` is one.
pub fn as_format_text(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) if o.is_type(FORMAT_TEXT) => o.first_value().map(|t| t.to_text()),
        _ => None,
    }
}

/// The console's rendering of objects and error records, for the runtime
/// (redirected output, `2> file`) and the hosts alike.
pub struct ConsoleFormatter;

pub static CONSOLE: ConsoleFormatter = ConsoleFormatter;

impl crate::runtime::streams::Formatter for ConsoleFormatter {
    fn render(&self, values: Vec<Value>, width: usize) -> String {
        out_default::render_all(values, width)
    }
    fn render_error(&self, rec: &crate::runtime::errors::ErrorRecord) -> String {
        error_record::render_error(rec)
    }
}
