//! How one value prints inside a table cell or after a list label.

use crate::runtime::value::Value;

/// `$FormatEnumerationLimit`: collections show this many items, then `...`.
pub const ENUMERATION_LIMIT: usize = 4;

pub fn cell_text(v: &Value) -> String {
    match v {
        Value::Array(a) => {
            let items = a.items();
            let shown: Vec<String> = items.iter().take(ENUMERATION_LIMIT).map(cell_item).collect();
            let more = if items.len() > ENUMERATION_LIMIT { "..." } else { "" };
            format!("{{{}{more}}}", shown.join(", "))
        }
        Value::Hashtable(t) => {
            let entries = t.entries();
            let shown: Vec<String> = entries
                .iter()
                .take(ENUMERATION_LIMIT)
                .map(|(k, v)| format!("[{}, {}]", k.to_text(), v.to_text()))
                .collect();
            let more = if entries.len() > ENUMERATION_LIMIT { "..." } else { "" };
            format!("{{{}{more}}}", shown.join(", "))
        }
        Value::ScriptBlock(b) => b.text.trim().to_string(),
        Value::DateTime(d) => d.display_text(),
        other => other.to_text(),
    }
}

/// An item inside a collection cell.
fn cell_item(v: &Value) -> String {
    match v {
        Value::DateTime(d) => d.display_text(),
        other => other.to_text(),
    }
}

/// Numbers are right-aligned in tables.
pub fn is_numeric(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Long(_) | Value::Double(_) | Value::Decimal(_) | Value::Byte(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collections_show_four_items_then_dots() {
        let v: Value = vec!["a", "b", "c", "d", "e"]
            .into_iter()
            .map(Value::str)
            .collect::<Vec<_>>()
            .into_iter()
            .collect::<Vec<Value>>()
            .into();
        assert_eq!(cell_text(&v), "{a, b, c, d...}");
        assert_eq!(cell_text(&Value::array(vec![])), "{}");
        assert_eq!(cell_text(&Value::Bool(true)), "True");
        assert_eq!(cell_text(&Value::Null), "");
    }
}
