//! Format-List: `Label : value`, labels padded to the longest of the object,
//! long values wrapped under the value column.

/// One object's lines (no blank lines around them).
pub fn render_list_object(props: &[(String, String)], width: usize) -> String {
    let label_width = props.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let value_width = width.saturating_sub(label_width + 3).max(10);
    let indent = " ".repeat(label_width + 3);
    let mut out = String::new();
    for (label, value) in props {
        let pad = label_width - label.chars().count();
        out.push_str(label);
        out.push_str(&" ".repeat(pad));
        out.push_str(" :");
        let mut first = true;
        for line in wrap(value, value_width) {
            if first {
                if !line.is_empty() {
                    out.push(' ');
                    out.push_str(&line);
                }
                first = false;
            } else {
                out.push('\n');
                out.push_str(&indent);
                out.push_str(&line);
            }
        }
        if first {
            // an empty value still ends its line after ` :`
        }
        out.push('\n');
    }
    out
}

/// Splits on newlines, then cuts lines longer than `width` characters.
fn wrap(value: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in value.split('\n') {
        let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
        if chars.is_empty() {
            out.push(String::new());
            continue;
        }
        for chunk in chars.chunks(width.max(1)) {
            out.push(chunk.iter().collect());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_align_on_the_longest() {
        let props = vec![
            ("Name".to_string(), "John Smith".to_string()),
            ("ImapEnabled".to_string(), "True".to_string()),
            ("Empty".to_string(), String::new()),
        ];
        assert_eq!(render_list_object(&props, 120), "Name        : John Smith\nImapEnabled : True\nEmpty       :\n");
    }

    #[test]
    fn long_values_wrap_under_the_value_column() {
        let props = vec![("Banner".to_string(), "abcdefghijklmnop".to_string())];
        assert_eq!(render_list_object(&props, 19), "Banner : abcdefghij\n         klmnop\n");
    }
}
