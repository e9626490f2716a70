//! .NET composite formatting (`String.Format`, `StringBuilder.AppendFormat`, PowerShell's `-f`):
//! `{index[,alignment][:formatString]}` items, `{{` and `}}` escapes, padding to the alignment.
//! Parsing follows .NET Framework 4.x's AppendFormat character for character, including where it
//! fails; each argument is rendered by the caller, who knows its type's formatting rules.

use super::error::DotNetError;

/// Formats `fmt` against `argc` arguments. `render(index, format)` returns the text of argument
/// `index` formatted with the item's format string (`None` when the item has none, as in `{0}` or
/// `{0:}`); it is called once per item, in order. Errors: Format_InvalidString for a malformed item
/// or a lone brace, Format_IndexOutOfRange for an index at or past `argc`, and whatever `render`
/// returns.
pub fn format<E, F>(fmt: &str, argc: usize, mut render: F) -> Result<String, E>
where
    E: From<DotNetError>,
    F: FnMut(usize, Option<&str>) -> Result<String, E>,
{
    let chars: Vec<char> = fmt.chars().collect();
    let len = chars.len();
    let bad = || E::from(DotNetError::InvalidString);
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut pos = 0;
    loop {
        // Literal text up to the next item.
        while pos < len {
            let ch = chars[pos];
            pos += 1;
            if ch == '}' {
                if pos < len && chars[pos] == '}' {
                    pos += 1;
                } else {
                    return Err(bad());
                }
            }
            if ch == '{' {
                if pos < len && chars[pos] == '{' {
                    pos += 1;
                } else {
                    pos -= 1;
                    break;
                }
            }
            out.push(ch);
        }
        if pos == len {
            return Ok(out);
        }
        // chars[pos] is the '{' of an item.
        pos += 1;
        let digit = |pos: usize| chars.get(pos).filter(|c| c.is_ascii_digit()).map(|c| *c as usize - '0' as usize);
        let Some(mut index) = digit(pos) else { return Err(bad()) };
        pos += 1;
        while let Some(d) = digit(pos).filter(|_| index < 1_000_000) {
            index = index * 10 + d;
            pos += 1;
        }
        if pos == len {
            return Err(bad());
        }
        if index >= argc {
            return Err(E::from(DotNetError::FormatIndexOutOfRange));
        }
        while pos < len && chars[pos] == ' ' {
            pos += 1;
        }
        let mut left = false;
        let mut width = 0usize;
        if pos < len && chars[pos] == ',' {
            pos += 1;
            while pos < len && chars[pos] == ' ' {
                pos += 1;
            }
            if pos == len {
                return Err(bad());
            }
            if chars[pos] == '-' {
                left = true;
                pos += 1;
                if pos == len {
                    return Err(bad());
                }
            }
            let Some(first) = digit(pos) else { return Err(bad()) };
            width = first;
            pos += 1;
            if pos == len {
                return Err(bad());
            }
            while let Some(d) = digit(pos).filter(|_| width < 1_000_000) {
                width = width * 10 + d;
                pos += 1;
                if pos == len {
                    return Err(bad());
                }
            }
        }
        while pos < len && chars[pos] == ' ' {
            pos += 1;
        }
        let mut item_format: Option<String> = None;
        if pos < len && chars[pos] == ':' {
            pos += 1;
            loop {
                if pos == len {
                    return Err(bad());
                }
                let ch = chars[pos];
                pos += 1;
                if ch == '{' {
                    if pos < len && chars[pos] == '{' {
                        pos += 1;
                    } else {
                        return Err(bad());
                    }
                } else if ch == '}' {
                    if pos < len && chars[pos] == '}' {
                        pos += 1;
                    } else {
                        pos -= 1;
                        break;
                    }
                }
                item_format.get_or_insert_with(String::new).push(ch);
            }
        }
        if pos >= len || chars[pos] != '}' {
            return Err(bad());
        }
        pos += 1;
        let text = render(index, item_format.as_deref())?;
        // .NET pads to a count of UTF-16 code units.
        let pad = width.saturating_sub(text.encode_utf16().count());
        if !left {
            out.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(&text);
        if left {
            out.extend(std::iter::repeat_n(' ', pad));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders each argument as its text, the format string shown in brackets when there is one.
    fn f(fmt: &str, args: &[&str]) -> Result<String, DotNetError> {
        format(fmt, args.len(), |i, spec| {
            Ok(match spec {
                Some(s) => format!("{}[{s}]", args[i]),
                None => args[i].to_string(),
            })
        })
    }

    #[test]
    fn items_and_literals() {
        assert_eq!(f("{0} is {1}", &["Ken", "here"]).unwrap(), "Ken is here");
        assert_eq!(f("{1}{0}{1}", &["a", "b"]).unwrap(), "bab");
        assert_eq!(f("no items", &[]).unwrap(), "no items");
        assert_eq!(f("", &[]).unwrap(), "");
        assert_eq!(f("{{0}}", &["x"]).unwrap(), "{0}");
        assert_eq!(f("{{{0}}}", &["x"]).unwrap(), "{x}");
        assert_eq!(f("{0:N2}", &["x"]).unwrap(), "x[N2]");
        assert_eq!(f("{0:}", &["x"]).unwrap(), "x");
        assert_eq!(f("{0:hh\\:mm}", &["x"]).unwrap(), "x[hh\\:mm]");
        assert_eq!(f("{0:{{}}}", &["x"]).unwrap(), "x[{}]");
        assert_eq!(f("{0 }", &["x"]).unwrap(), "x");
        assert_eq!(f("{0 ,3 :D}", &["x"]).unwrap(), "x[D]");
        assert_eq!(f("{00001}", &["a", "b"]).unwrap(), "b");
    }

    #[test]
    fn alignment() {
        // From the composite formatting page: right-aligned by default, left with '-'.
        assert_eq!(f("{0,-10}|", &["Adam"]).unwrap(), "Adam      |");
        assert_eq!(f("{0,10}|", &["Adam"]).unwrap(), "      Adam|");
        assert_eq!(f("{0,2}|", &["Adam"]).unwrap(), "Adam|");
        assert_eq!(f("{0,-2}|", &["Adam"]).unwrap(), "Adam|");
        assert_eq!(f("{0, 5}", &["a"]).unwrap(), "    a");
        assert_eq!(f("{0,5:X}", &["a"]).unwrap(), " a[X]");
        assert_eq!(f("{0,0}", &["a"]).unwrap(), "a");
    }

    #[test]
    fn errors() {
        let invalid = Err(DotNetError::InvalidString);
        for bad in [
            "{", "}", "{0", "{0,", "{0,-", "{0,x}", "{a}", "{}", "{-1}", "{0:", "{0:{}", "a}b", "{0,5", "{0 x}",
            "{0,-}", "{ 0}",
        ] {
            assert_eq!(f(bad, &["x"]), invalid, "{bad:?}");
        }
        assert_eq!(f("{1}", &["x"]), Err(DotNetError::FormatIndexOutOfRange));
        assert_eq!(f("{0}", &[]), Err(DotNetError::FormatIndexOutOfRange));
        assert_eq!(f("{99999999999999}", &["x"]), Err(DotNetError::FormatIndexOutOfRange));
        assert_eq!(
            DotNetError::FormatIndexOutOfRange.to_string(),
            "Index (zero based) must be greater than or equal to zero and less than the size of the argument list."
        );
    }

    #[test]
    fn render_errors_pass_through_in_order() {
        let mut seen = Vec::new();
        let r: Result<String, DotNetError> = format("{0}{1}{2}", 3, |i, _| {
            seen.push(i);
            if i == 1 { Err(DotNetError::BadFormatSpecifier) } else { Ok(String::new()) }
        });
        assert_eq!(r, Err(DotNetError::BadFormatSpecifier));
        assert_eq!(seen, vec![0, 1]);
    }

    #[test]
    fn with_dotnet_renderers() {
        use super::super::culture::Culture;
        use super::super::number_format::{format_double, format_integer};
        use super::super::numeric_type::NumericType;
        // What `-f` prints when each argument is formatted by its own type.
        let n = |fmt: &str, v: f64| format(fmt, 1, |_, spec| format_double(v, spec.unwrap_or(""), Culture::EnUs));
        assert_eq!(n("{0:N2}", 1234.5678).unwrap(), "1,234.57");
        assert_eq!(n("{0,10:N1}|", 1234.5678).unwrap(), "   1,234.6|");
        assert_eq!(n("{0,-10:P0}|", 0.25).unwrap(), "25 %      |");
        assert_eq!(n("{0}", 1.0 / 3.0).unwrap(), "0.333333333333333");
        assert_eq!(n("{0:F2}", 2.675).unwrap(), "2.68");
        assert_eq!(n("{0:Q}", 1.0), Err(DotNetError::BadFormatSpecifier));
        let i = |fmt: &str, v: i128| {
            format(fmt, 1, |_, spec| format_integer(v, NumericType::Int32, spec.unwrap_or(""), Culture::EnUs))
        };
        assert_eq!(i("{0:D3}", 7).unwrap(), "007");
        assert_eq!(i("0x{0:X8}", 255).unwrap(), "0x000000FF");
        assert_eq!(i("{0:N0} items", 1234567).unwrap(), "1,234,567 items");
        assert_eq!(i("{0:#,##0}", 1234567).unwrap(), "1,234,567");
        // The composite formatting page's brace quirk of .NET Framework: "}}}" ends the item
        // with an escaped brace inside its format string, so the format is "D}", a custom format
        // without placeholders.
        assert_eq!(i("{{{0:D}}}", 6324).unwrap(), "{D}");
    }

    #[test]
    fn random_formats_never_panic() {
        let mut rng = super::super::test_rng::Rng::new(1);
        let alphabet: Vec<char> = "{}0129,-: aN\\".chars().collect();
        for _ in 0..30_000 {
            let s = rng.string(&alphabet, 16);
            let _ = f(&s, &["a", "b", "c"]);
        }
    }
}
