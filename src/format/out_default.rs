//! Out-Default: what the console shows for a statement's objects. Objects of
//! one type share a table or list; fixed-width tables stream row by row,
//! others wait for their rows to size the columns.

use super::as_format_text;
use super::cell::{cell_text, is_numeric};
use super::list::render_list_object;
use super::table::{Column, column_widths, render_rows};
use super::views::{self, View, default_view};
use crate::runtime::session::Session;
use crate::runtime::value::{Object, Value};

enum Block {
    None,
    Table {
        type_name: String,
        columns: Vec<Column>,
        /// Columns the view keeps left-aligned whatever their values.
        fixed_left: Vec<bool>,
        properties: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Option<Vec<usize>>,
    },
    List {
        type_name: String,
    },
}

pub struct OutDefault {
    block: Block,
}

impl Default for OutDefault {
    fn default() -> Self {
        Self::new()
    }
}

impl OutDefault {
    pub fn new() -> OutDefault {
        OutDefault { block: Block::None }
    }

    pub fn push(&mut self, cx: &mut Session, value: Value) {
        let width = cx.host.width();
        let mut text = String::new();
        self.push_to(&mut text, value, width);
        if !text.is_empty() {
            cx.print(&text);
        }
    }

    pub fn finish(&mut self, cx: &mut Session) {
        let mut text = String::new();
        self.finish_to(&mut text, cx.host.width());
        if !text.is_empty() {
            cx.print(&text);
        }
    }

    /// Renders into `out`, for Out-String and for the console alike.
    pub fn push_to(&mut self, out: &mut String, value: Value, width: usize) {
        if let Some(t) = as_format_text(&value) {
            self.finish_to(out, width);
            out.push_str(&t);
            return;
        }
        let o = match value {
            Value::Object(o) => o,
            Value::Array(a) => {
                // The formatter enumerates a collection it is given.
                for item in a.snapshot() {
                    self.push_to(out, item, width);
                }
                return;
            }
            Value::Hashtable(t) => {
                // A hashtable shows as a table of its entries.
                for (k, v) in t.entries() {
                    self.push_to(out, dictionary_entry(k, v), width);
                }
                return;
            }
            Value::DateTime(d) => {
                self.finish_to(out, width);
                out.push('\n');
                out.push_str(&crate::runtime::ops::format::format_value(&Value::DateTime(d), Some("F")));
                out.push_str("\n\n\n");
                return;
            }
            Value::ErrorRecord(r) => {
                self.finish_to(out, width);
                out.push_str(&super::error_record::render_error(&r));
                return;
            }
            Value::Type(_) | Value::TimeSpan(_) | Value::Guid(_) => match shaped(&value) {
                Some(o) => o,
                None => return,
            },
            other => {
                self.finish_to(out, width);
                out.push_str(&other.to_text());
                out.push('\n');
                return;
            }
        };
        let type_name = o.type_name();
        let prefix = match type_name.as_str() {
            crate::runtime::streams::WARNING_RECORD => Some("WARNING: "),
            crate::runtime::streams::VERBOSE_RECORD => Some("VERBOSE: "),
            crate::runtime::streams::DEBUG_RECORD => Some("DEBUG: "),
            crate::runtime::streams::INFORMATION_RECORD => Some(""),
            _ => None,
        };
        if let Some(prefix) = prefix {
            self.finish_to(out, width);
            out.push_str(prefix);
            out.push_str(&o.get("Message").map(|m| m.to_text()).unwrap_or_default());
            out.push('\n');
            return;
        }
        let same = match &self.block {
            Block::Table { type_name: t, .. } | Block::List { type_name: t } => *t == type_name,
            Block::None => false,
        };
        if !same {
            self.finish_to(out, width);
            self.block = new_block(&o);
            out.push('\n');
        }
        match &mut self.block {
            Block::Table { columns, properties, rows, widths, fixed_left, .. } => {
                let row: Vec<String> = properties.iter().map(|p| cell_text(&o.get(p).unwrap_or(Value::Null))).collect();
                if rows.is_empty() && widths.is_none() {
                    for ((c, p), left) in columns.iter_mut().zip(properties.iter()).zip(fixed_left.iter()) {
                        c.right_align = !left && o.get(p).is_some_and(|v| is_numeric(&v));
                    }
                }
                match widths {
                    Some(w) => out.push_str(&render_rows(columns, &[row], w, false)),
                    None if columns.iter().all(|c| c.width.is_some()) => {
                        let w = column_widths(columns, &[], width);
                        out.push_str(&render_rows(columns, &[row], &w, true));
                        *widths = Some(w);
                    }
                    None => rows.push(row),
                }
            }
            Block::List { .. } => {
                out.push_str(&render_list_object(&list_props(&o, None), width));
                out.push('\n');
            }
            Block::None => {}
        }
    }

    pub fn finish_to(&mut self, out: &mut String, width: usize) {
        match std::mem::replace(&mut self.block, Block::None) {
            Block::None => {}
            Block::Table { columns, rows, widths, .. } => {
                if widths.is_none() {
                    let w = column_widths(&columns, &rows, width);
                    out.push_str(&render_rows(&columns, &rows, &w, true));
                }
                out.push('\n');
            }
            Block::List { .. } => out.push('\n'),
        }
    }
}

/// `Name`/`Value` of one hashtable entry (System.Collections.DictionaryEntry).
fn dictionary_entry(k: Value, v: Value) -> Value {
    let obj =
        crate::runtime::value::custom_object(vec![("Name".into(), k.clone()), ("Key".into(), k), ("Value".into(), v)]);
    if let Value::Object(o) = &obj {
        o.set_type_name(views::DICTIONARY_ENTRY);
    }
    obj
}

/// Types, timespans and GUIDs show through their .NET views.
fn shaped(v: &Value) -> Option<std::rc::Rc<Object>> {
    let (type_name, props): (&str, Vec<(&str, Value)>) = match v {
        Value::Type(t) => (
            views::RUNTIME_TYPE,
            vec![
                ("IsPublic", Value::Bool(true)),
                ("IsSerial", Value::Bool(true)),
                ("Name", v.property("Name")),
                ("BaseType", Value::str(crate::runtime::members::base_type_name(t))),
            ],
        ),
        Value::TimeSpan(_) => (
            views::TIMESPAN,
            [
                "Days",
                "Hours",
                "Minutes",
                "Seconds",
                "Milliseconds",
                "Ticks",
                "TotalDays",
                "TotalHours",
                "TotalMinutes",
                "TotalSeconds",
                "TotalMilliseconds",
            ]
            .iter()
            .map(|n| (*n, v.property(n)))
            .collect(),
        ),
        Value::Guid(_) => (views::GUID, vec![("Guid", Value::str(v.to_text()))]),
        _ => return None,
    };
    let obj = crate::runtime::value::custom_object(props.into_iter().map(|(n, v)| (n.to_string(), v)).collect());
    match obj {
        Value::Object(o) => {
            o.set_type_name(type_name);
            Some(o)
        }
        _ => None,
    }
}

fn new_block(o: &Object) -> Block {
    let type_name = o.type_name();
    match default_view(o) {
        View::Table(specs) => Block::Table {
            type_name,
            columns: specs
                .iter()
                .map(|s| Column { label: s.label.to_string(), width: s.width, right_align: false })
                .collect(),
            fixed_left: specs.iter().map(|s| s.left).collect(),
            properties: specs.iter().map(|s| s.property.to_string()).collect(),
            rows: vec![],
            widths: None,
        },
        View::List(_) => Block::List { type_name },
        View::Auto if o.names().len() <= 4 => Block::Table {
            type_name,
            columns: o.names().iter().map(|n| Column { label: n.clone(), width: None, right_align: false }).collect(),
            fixed_left: vec![false; o.names().len()],
            properties: o.names(),
            rows: vec![],
            widths: None,
        },
        View::Auto => Block::List { type_name },
    }
}

/// The properties a list shows: the view's, or all of them.
pub fn list_props(o: &Object, only: Option<&[String]>) -> Vec<(String, String)> {
    let class = o.class();
    let names: Vec<String> = match (only, default_view(o)) {
        (Some(names), _) => names.to_vec(),
        (None, View::List(props)) => props.iter().map(|s| s.to_string()).collect(),
        (None, _) => class.names.clone(),
    };
    names
        .iter()
        .map(|n| {
            let label = class.index_of(n).map(|i| class.names[i].clone()).unwrap_or_else(|| n.clone());
            (label, cell_text(&o.get(n).unwrap_or(Value::Null)))
        })
        .collect()
}

/// Out-String's rendering of a whole set of objects.
pub fn render_all(values: Vec<Value>, width: usize) -> String {
    let mut od = OutDefault::new();
    let mut out = String::new();
    for v in values {
        od.push_to(&mut out, v, width);
    }
    od.finish_to(&mut out, width);
    out
}
