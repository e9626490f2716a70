//! Format-Table through tabled: no borders, one space between columns,
//! dashes as long as each header label, numbers right-aligned, values too
//! long for their column cut with `...`, no trailing spaces.

use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Padding, Style};

#[derive(Debug, Clone)]
pub struct Column {
    pub label: String,
    /// A fixed width from the view; `None` sizes to the content.
    pub width: Option<usize>,
    pub right_align: bool,
}

/// Column widths: fixed ones as declared, others as wide as their widest
/// cell; the last column takes what is left of the screen.
pub fn column_widths(columns: &[Column], rows: &[Vec<String>], screen: usize) -> Vec<usize> {
    let mut widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.width.unwrap_or_else(|| {
                rows.iter()
                    .map(|r| r.get(i).map(|s| s.chars().count()).unwrap_or(0))
                    .chain(std::iter::once(c.label.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
        })
        .collect();
    let total: usize = widths.iter().sum::<usize>() + widths.len().saturating_sub(1);
    if total > screen {
        // Shrink the widest columns until the table fits, never below the label.
        let mut excess = total - screen;
        while excess > 0 {
            let Some((i, w)) = widths.iter().copied().enumerate().max_by_key(|(_, w)| *w) else {
                break;
            };
            let floor = columns[i].label.chars().count().max(4);
            if w <= floor {
                break;
            }
            widths[i] -= 1;
            excess -= 1;
        }
    }
    widths
}

pub fn truncate(text: &str, width: usize) -> String {
    let first_line = text.lines().next().unwrap_or("");
    let count = first_line.chars().count();
    if count <= width && !text.contains('\n') {
        return text.to_string();
    }
    if width <= 3 {
        return first_line.chars().take(width).collect();
    }
    let kept: String = first_line.chars().take(width - 3).collect();
    format!("{kept}...")
}

/// Header, dashes and rows, without the blank lines around the table.
pub fn render_rows(columns: &[Column], rows: &[Vec<String>], widths: &[usize], with_header: bool) -> String {
    if columns.is_empty() {
        return String::new();
    }
    let last = columns.len() - 1;
    let pad = |text: String, i: usize| -> String {
        if i == last {
            return text;
        }
        let n = text.chars().count();
        if n < widths[i] {
            if columns[i].right_align {
                format!("{}{}", " ".repeat(widths[i] - n), text)
            } else {
                format!("{}{}", text, " ".repeat(widths[i] - n))
            }
        } else {
            text
        }
    };
    let mut builder = Builder::default();
    if with_header {
        builder.push_record(columns.iter().enumerate().map(|(i, c)| pad(truncate(&c.label, widths[i]), i)));
        builder.push_record(columns.iter().enumerate().map(|(i, c)| {
            let dashes = "-".repeat(c.label.chars().count().min(widths[i]));
            pad(dashes, i)
        }));
    }
    for row in rows {
        builder.push_record(
            (0..columns.len()).map(|i| pad(truncate(row.get(i).map(|s| s.as_str()).unwrap_or(""), widths[i]), i)),
        );
    }
    let mut table = builder.build();
    table.with(Style::empty()).with(Padding::zero());
    if last > 0 {
        table.modify(Columns::new(..last), Padding::new(0, 1, 0, 0));
    }
    for (i, c) in columns.iter().enumerate() {
        if c.right_align {
            table.modify(Columns::one(i), Alignment::right());
        }
    }
    let text = table.to_string();
    let mut out = String::with_capacity(text.len() + 1);
    for line in text.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(label: &str, width: Option<usize>) -> Column {
        Column { label: label.into(), width, right_align: false }
    }

    #[test]
    fn service_table_matches_powershell() {
        let columns = vec![col("Status", Some(8)), col("Name", Some(18)), col("DisplayName", Some(38))];
        let rows = vec![vec!["Stopped".into(), "MSExchangeIMAP4".into(), "Microsoft Exchange IMAP4".into()]];
        let widths = column_widths(&columns, &rows, 120);
        let text = render_rows(&columns, &rows, &widths, true);
        assert_eq!(
            text,
            "Status   Name               DisplayName\n------   ----               -----------\nStopped  MSExchangeIMAP4    Microsoft Exchange IMAP4\n"
        );
    }

    #[test]
    fn long_values_end_in_dots() {
        assert_eq!(truncate("Microsoft Exchange IMAP4 Backend", 10), "Microso...");
        assert_eq!(truncate("short", 10), "short");
    }

    #[test]
    fn numbers_align_right() {
        let columns = vec![col("Name", None), Column { label: "Count".into(), width: None, right_align: true }];
        let rows = vec![vec!["a".into(), "5".into()], vec!["bb".into(), "100".into()]];
        let widths = column_widths(&columns, &rows, 120);
        assert_eq!(render_rows(&columns, &rows, &widths, true), "Name Count\n---- -----\na        5\nbb     100\n");
    }
}
