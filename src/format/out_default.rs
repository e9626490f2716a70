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

/// A view's computed cell, if the column has one.
type Cell = Option<fn(&Object) -> String>;

enum Block {
    None,
    Table {
        family: String,
        columns: Vec<Column>,
        properties: Vec<String>,
        /// Computed cells of the view, by column.
        cells: Vec<Cell>,
        /// Columns whose alignment the view fixes.
        fixed_align: Vec<Option<bool>>,
        rows: Vec<Vec<String>>,
        widths: Option<Vec<usize>>,
        /// The grouping property and the value this table is under.
        group: Option<(&'static str, Value)>,
    },
    List {
        family: String,
    },
    Lines {
        family: String,
        text: fn(&Object) -> String,
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
        let family = views::view_family(&type_name).to_string();
        let same = match &self.block {
            Block::Table { family: f, group, .. } => {
                *f == family && group.as_ref().is_none_or(|(p, current)| o.get(p).unwrap_or(Value::Null) == *current)
            }
            Block::List { family: f } | Block::Lines { family: f, .. } => *f == family,
            Block::None => false,
        };
        if !same {
            let regroup = matches!(&self.block, Block::Table { family: f, group: Some(_), .. } if *f == family);
            self.finish_to(out, width);
            self.block = new_block(&o);
            match &self.block {
                Block::Table { group: Some((p, _)), .. } => {
                    if let View::Grouped(_, g) = default_view(&o) {
                        out.push_str(&(g.heading)(&o.get(p).unwrap_or(Value::Null), !regroup));
                    }
                }
                _ => out.push('\n'),
            }
        }
        match &mut self.block {
            Block::Table { columns, properties, cells, fixed_align, rows, widths, .. } => {
                let row: Vec<String> = properties
                    .iter()
                    .zip(cells.iter())
                    .map(|(p, cell)| match cell {
                        Some(f) => f(&o),
                        None => cell_text(&o.get(p).unwrap_or(Value::Null)),
                    })
                    .collect();
                if rows.is_empty() && widths.is_none() {
                    for ((c, p), fixed) in columns.iter_mut().zip(properties.iter()).zip(fixed_align.iter()) {
                        c.right_align = match fixed {
                            Some(right) => *right,
                            None => o.get(p).is_some_and(|v| is_numeric(&v)),
                        };
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
            Block::Lines { text, .. } => {
                out.push_str(&text(&o));
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
            Block::List { .. } | Block::Lines { .. } => out.push('\n'),
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
        Value::TimeSpan(_) => (views::TIMESPAN, views::TIMESPAN_LIST.iter().map(|n| (*n, v.property(n))).collect()),
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
    let family = views::view_family(&o.type_name()).to_string();
    let table = |specs: &'static [views::ColumnSpec], group: Option<&'static str>| Block::Table {
        family: family.clone(),
        columns: specs
            .iter()
            .map(|s| Column { label: s.label.to_string(), width: s.width, right_align: s.align == Some(true) })
            .collect(),
        properties: specs.iter().map(|s| s.property.to_string()).collect(),
        cells: specs.iter().map(|s| s.cell).collect(),
        fixed_align: specs.iter().map(|s| s.align).collect(),
        rows: vec![],
        widths: None,
        group: group.map(|p| (p, o.get(p).unwrap_or(Value::Null))),
    };
    match default_view(o) {
        View::Table(specs) => table(specs, None),
        View::Grouped(specs, g) => table(specs, Some(g.property)),
        View::List(_) => Block::List { family },
        View::Lines(text) => Block::Lines { family, text },
        View::Auto if o.names().len() <= 4 => Block::Table {
            family,
            columns: o.names().iter().map(|n| Column { label: n.clone(), width: None, right_align: false }).collect(),
            properties: o.names(),
            cells: vec![None; o.names().len()],
            fixed_align: vec![None; o.names().len()],
            rows: vec![],
            widths: None,
            group: None,
        },
        View::Auto => Block::List { family },
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
