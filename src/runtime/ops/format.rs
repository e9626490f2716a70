//! The -f operator: .NET composite formatting (`{0,-10:N2}`), each argument
//! formatted by its own type's rules (numbers, dates, timespans).

use super::super::errors::{Category, ErrorRecord};
use super::super::value::Value;
use super::super::value::format_double;

fn format_error(detail: &str) -> ErrorRecord {
    ErrorRecord::new(
        format!("Error formatting a string: {detail}"),
        Category::InvalidOperation,
        "FormatError",
        "RuntimeException",
    )
    .unqualified()
}

/// `"{0} is {1}" -f $a, $b`
pub fn format_operator(fmt: &str, args: &[Value]) -> Result<String, ErrorRecord> {
    let bad = || format_error("Input string was not in a correct format..");
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut chars = fmt.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|(_, n)| *n) == Some('{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek().map(|(_, n)| *n) == Some('}') => {
                chars.next();
                out.push('}');
            }
            '}' => return Err(bad()),
            '{' => {
                let mut spec = String::new();
                let mut closed = false;
                for (_, n) in chars.by_ref() {
                    if n == '}' {
                        closed = true;
                        break;
                    }
                    spec.push(n);
                }
                if !closed {
                    return Err(bad());
                }
                let (head, format) = match spec.split_once(':') {
                    Some((h, f)) => (h, Some(f)),
                    None => (spec.as_str(), None),
                };
                let (index, align) = match head.split_once(',') {
                    Some((i, a)) => (i.trim(), Some(a.trim())),
                    None => (head.trim(), None),
                };
                let index: usize = index.parse().map_err(|_| bad())?;
                let arg = args.get(index).ok_or_else(|| {
                    format_error(
                        "Index (zero based) must be greater than or equal to zero and less than the size of the argument list..",
                    )
                })?;
                let text = format_value(arg, format);
                match align.map(|a| a.parse::<i64>()) {
                    Some(Ok(w)) => {
                        let width = w.unsigned_abs() as usize;
                        let len = text.chars().count();
                        let pad = " ".repeat(width.saturating_sub(len));
                        if w < 0 {
                            out.push_str(&text);
                            out.push_str(&pad);
                        } else {
                            out.push_str(&pad);
                            out.push_str(&text);
                        }
                    }
                    Some(Err(_)) => return Err(bad()),
                    None => out.push_str(&text),
                }
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// One value with an optional .NET format string, as `ToString(format)`.
pub fn format_value(v: &Value, format: Option<&str>) -> String {
    let Some(fmt) = format.filter(|f| !f.is_empty()) else {
        return match v {
            Value::DateTime(d) => d.display_text(),
            other => other.to_text(),
        };
    };
    match v {
        Value::Int(_) | Value::Long(_) | Value::Byte(_) => {
            numeric_standard(v.as_i64().unwrap_or(0) as f64, Some(v.as_i64().unwrap_or(0)), fmt)
        }
        Value::Double(f) => numeric_standard(*f, None, fmt),
        Value::Decimal(d) => numeric_standard(d.to_string().parse().unwrap_or(0.0), None, fmt),
        other => other.to_text(),
    }
}

/// Standard numeric formats (en-US): N, F, D, X, P, C, E, G with precision.
fn numeric_standard(f: f64, int: Option<i64>, fmt: &str) -> String {
    let mut chars = fmt.chars();
    let kind = chars.next().unwrap_or('G');
    let prec: Option<usize> = chars.as_str().parse().ok();
    match kind.to_ascii_uppercase() {
        'N' => group(&fixed(f, prec.unwrap_or(2))),
        'F' => fixed(f, prec.unwrap_or(2)),
        'D' => match int {
            Some(n) => {
                let digits = n.unsigned_abs().to_string();
                let width = prec.unwrap_or(0);
                let sign = if n < 0 { "-" } else { "" };
                format!("{sign}{digits:0>width$}")
            }
            None => fmt.to_string(),
        },
        'X' => match int {
            Some(n) => {
                let s = if n < 0 { format!("{:x}", n as i32) } else { format!("{n:x}") };
                let s = if kind == 'X' { s.to_uppercase() } else { s };
                let width = prec.unwrap_or(0);
                format!("{s:0>width$}")
            }
            None => fmt.to_string(),
        },
        'P' => format!("{} %", group(&fixed(f * 100.0, prec.unwrap_or(2)))),
        'C' => {
            let body = group(&fixed(f.abs(), prec.unwrap_or(2)));
            if f < 0.0 { format!("(${body})") } else { format!("${body}") }
        }
        'E' => {
            let p = prec.unwrap_or(6);
            let s = format!("{f:.p$e}");
            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
            let e: i32 = e.parse().unwrap_or(0);
            let mark = if kind == 'e' { 'e' } else { 'E' };
            format!("{m}{mark}{}{:03}", if e < 0 { '-' } else { '+' }, e.abs())
        }
        _ => match int {
            Some(n) => n.to_string(),
            None => format_double(f),
        },
    }
}

/// Fixed-point with `prec` decimals, rounding half away from zero as .NET
/// Framework does (after reducing the double to 15 significant digits).
fn fixed(f: f64, prec: usize) -> String {
    let reduced: f64 = format_double(f).parse().unwrap_or(f);
    let scale = 10f64.powi(prec as i32);
    let rounded = (reduced * scale).abs().round() / scale * reduced.signum();
    format!("{rounded:.prec$}")
}

fn group(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s),
    };
    let (int, frac) = rest.split_once('.').map(|(a, b)| (a, Some(b))).unwrap_or((rest, None));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composite_formatting_aligns_and_formats() {
        let args = [Value::str("Ken"), Value::Int(1234567), Value::Double(0.5)];
        assert_eq!(format_operator("{0,-6}|{1:N0}|{2:P0}", &args).unwrap(), "Ken   |1,234,567|50 %");
        assert_eq!(format_operator("{1:D9} {{x}}", &args).unwrap(), "001234567 {x}");
        assert_eq!(format_operator("{0,5}", &args).unwrap(), "  Ken");
        assert!(format_operator("{3}", &args).is_err());
    }
}

/// DateTime.ParseExact for the custom formats scripts use (`yyyy-MM-dd`,
/// `dd/MM/yyyy HH:mm`, `yyyyMMddHHmmss`...).
pub fn parse_exact(text: &str, format: &str) -> Option<super::super::value::DateTime> {
    use super::super::value::{DateKind, DateTime};
    let (mut y, mut mo, mut d, mut h, mut mi, mut s) = (1i64, 1u32, 1u32, 0u32, 0u32, 0u32);
    let mut pm: Option<bool> = None;
    let t: Vec<char> = text.chars().collect();
    let f: Vec<char> = format.chars().collect();
    let (mut ti, mut fi) = (0usize, 0usize);
    while fi < f.len() {
        let c = f[fi];
        let run = f[fi..].iter().take_while(|x| **x == c).count();
        let take_digits = |ti: &mut usize, min: usize, max: usize| -> Option<u32> {
            let start = *ti;
            while *ti < t.len() && *ti - start < max && t[*ti].is_ascii_digit() {
                *ti += 1;
            }
            if *ti - start < min {
                return None;
            }
            t[start..*ti].iter().collect::<String>().parse().ok()
        };
        match c {
            'y' => y = take_digits(&mut ti, run.min(4), if run <= 2 { 2 } else { 4 })? as i64,
            'M' => mo = take_digits(&mut ti, run.min(2), 2)?,
            'd' => d = take_digits(&mut ti, run.min(2), 2)?,
            'H' | 'h' => h = take_digits(&mut ti, run.min(2), 2)?,
            'm' => mi = take_digits(&mut ti, run.min(2), 2)?,
            's' => s = take_digits(&mut ti, run.min(2), 2)?,
            't' => {
                let word: String = t[ti..].iter().take(2).collect::<String>().to_uppercase();
                pm = Some(word.starts_with('P'));
                ti += if run >= 2 { 2 } else { 1 };
            }
            '\\' if fi + 1 < f.len() => {
                if t.get(ti) != Some(&f[fi + 1]) {
                    return None;
                }
                ti += 1;
                fi += 2;
                continue;
            }
            other => {
                for _ in 0..run {
                    if t.get(ti) != Some(&other) {
                        return None;
                    }
                    ti += 1;
                }
            }
        }
        fi += run;
    }
    if ti != t.len() {
        return None;
    }
    if run_is_two_digit_year(format) {
        y += if y < 30 { 2000 } else { 1900 };
    }
    if let Some(p) = pm {
        if p && h < 12 {
            h += 12;
        } else if !p && h == 12 {
            h = 0;
        }
    }
    if !(1..=12).contains(&mo) || d < 1 || d > super::super::members::days_in_month(y, mo) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(DateTime::from_civil(y, mo, d, h, mi, s, DateKind::Unspecified))
}

fn run_is_two_digit_year(format: &str) -> bool {
    format.contains("yy") && !format.contains("yyy")
}
