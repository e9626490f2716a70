//! How one value prints inside a table cell or after a list label.

use crate::runtime::value::Value;

/// `$FormatEnumerationLimit`: collections show this many items, then `...`.
pub const ENUMERATION_LIMIT: usize = 4;

pub fn cell_text(v: &Value) -> String {
    match v {
        Value::Array(items) => {
            let shown: Vec<String> = items.iter().take(ENUMERATION_LIMIT).map(|i| i.to_text()).collect();
            let more = if items.len() > ENUMERATION_LIMIT { "..." } else { "" };
            format!("{{{}{more}}}", shown.join(", "))
        }
        Value::Hashtable(entries) => {
            let shown: Vec<String> =
                entries.iter().take(ENUMERATION_LIMIT).map(|(k, v)| format!("[{k}, {}]", v.to_text())).collect();
            let more = if entries.len() > ENUMERATION_LIMIT { "..." } else { "" };
            format!("{{{}{more}}}", shown.join(", "))
        }
        Value::ScriptBlock(b) => b.text.trim().to_string(),
        other => other.to_text(),
    }
}

/// Numbers are right-aligned in tables.
pub fn is_numeric(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Double(_))
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
        assert_eq!(cell_text(&Value::Array(vec![])), "{}");
        assert_eq!(cell_text(&Value::Bool(true)), "True");
        assert_eq!(cell_text(&Value::Null), "");
    }
}
