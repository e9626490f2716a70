//! DateTime.ToString(format, culture): .NET's standard formats (d D f F g G M m o O r R s t T u U y
//! Y) and custom formats, as datetimeformat.cs of .NET Framework 4.x writes them, and Windows
//! PowerShell 5.1's `Get-Date -UFormat`.

use super::composite;
use super::culture::Culture;
use super::datetime::{DateKind, DateTime};
use super::error::DotNetError;
use super::timespan::{TICKS_PER_DAY, quoted_literal, repeat_len};
use chrono::TimeZone;

pub const DAY_NAMES: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
pub const ABBREVIATED_DAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub const ABBREVIATED_MONTH_NAMES: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `dt.ToString()` in `culture` (the `G` pattern): `11/21/2026 10:15:00 AM` in en-US, and
/// `11/21/2026 10:15:00` in the invariant culture, which is what PowerShell's `"$date"` prints.
pub fn date_to_string(dt: DateTime, culture: Culture) -> String {
    format_date(dt, "G", culture).unwrap_or_default()
}

/// `dt.ToString(format, culture)`, the local zone being the system's.
pub fn format_date(dt: DateTime, format: &str, culture: Culture) -> Result<String, DotNetError> {
    format_date_in(dt, format, culture, &chrono::Local)
}

/// `dt.ToString(format, culture)` where `zone` is the local zone (for `z`, `K` and `U`).
pub fn format_date_in<Tz: TimeZone>(
    dt: DateTime,
    format: &str,
    culture: Culture,
    zone: &Tz,
) -> Result<String, DotNetError> {
    let mut chars: Vec<char> = format.chars().collect();
    let mut dt = dt;
    let mut culture = culture;
    if chars.is_empty() {
        chars = vec!['G'];
    }
    if let [standard] = chars[..] {
        let dates = culture.dates();
        let pattern: String = match standard {
            'd' => dates.short_date.into(),
            'D' => dates.long_date.into(),
            'f' => format!("{} {}", dates.long_date, dates.short_time),
            'F' => dates.full_date_time.into(),
            'g' => format!("{} {}", dates.short_date, dates.short_time),
            'G' => format!("{} {}", dates.short_date, dates.long_time),
            'm' | 'M' => dates.month_day.into(),
            'o' | 'O' => "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffK".into(),
            'r' | 'R' => {
                culture = Culture::Invariant;
                "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'".into()
            }
            's' => {
                culture = Culture::Invariant;
                "yyyy'-'MM'-'dd'T'HH':'mm':'ss".into()
            }
            't' => dates.short_time.into(),
            'T' => dates.long_time.into(),
            // .NET Framework does not convert a local value for `u` (only `U` converts).
            'u' => {
                culture = Culture::Invariant;
                "yyyy'-'MM'-'dd HH':'mm':'ss'Z'".into()
            }
            'U' => {
                dt = dt.to_universal_time_in(zone);
                dates.full_date_time.into()
            }
            'y' | 'Y' => dates.year_month.into(),
            _ => return Err(DotNetError::InvalidString),
        };
        chars = pattern.chars().collect();
    }
    let mut out = String::new();
    format_custom(dt, &chars, culture, zone, &mut out)?;
    Ok(out)
}

/// `value` with at least `len` digits, `len` capped at 2 as FormatDigits caps it.
fn two_digits(out: &mut String, value: i32, len: usize) {
    let len = len.min(2);
    out.push_str(&format!("{value:0len$}"));
}

fn format_custom<Tz: TimeZone>(
    dt: DateTime,
    format: &[char],
    culture: Culture,
    zone: &Tz,
    out: &mut String,
) -> Result<(), DotNetError> {
    let dates = culture.dates();
    // No date field written yet: a `z` on a time-only value then uses the current offset.
    let mut time_only = true;
    let mut i = 0;
    while i < format.len() {
        let ch = format[i];
        let mut len = repeat_len(format, i);
        match ch {
            'g' => out.push_str("A.D."),
            'h' => {
                let h = dt.hour() % 12;
                two_digits(out, if h == 0 { 12 } else { h }, len)
            }
            'H' => two_digits(out, dt.hour(), len),
            'm' => two_digits(out, dt.minute(), len),
            's' => two_digits(out, dt.second(), len),
            'f' | 'F' => {
                if len > 7 {
                    return Err(DotNetError::InvalidString);
                }
                let fraction = dt.fraction_ticks() / 10i64.pow(7 - len as u32);
                let digits = format!("{fraction:0len$}");
                if ch == 'f' {
                    out.push_str(&digits);
                } else {
                    let trimmed = digits.trim_end_matches('0');
                    if trimmed.is_empty() {
                        // No digit to show: the decimal point before the F goes too.
                        if out.ends_with('.') {
                            out.pop();
                        }
                    } else {
                        out.push_str(trimmed);
                    }
                }
            }
            't' => {
                let designator = if dt.hour() < 12 { dates.am } else { dates.pm };
                if len == 1 {
                    out.extend(designator.chars().next());
                } else {
                    out.push_str(designator);
                }
            }
            'd' => {
                match len {
                    1 | 2 => two_digits(out, dt.day(), len),
                    3 => out.push_str(ABBREVIATED_DAY_NAMES[dt.day_of_week() as usize]),
                    _ => out.push_str(DAY_NAMES[dt.day_of_week() as usize]),
                }
                time_only = false;
            }
            'M' => {
                let m = dt.month() as usize;
                match len {
                    1 | 2 => two_digits(out, m as i32, len),
                    3 => out.push_str(ABBREVIATED_MONTH_NAMES[m - 1]),
                    _ => out.push_str(MONTH_NAMES[m - 1]),
                }
                time_only = false;
            }
            'y' => {
                let y = dt.year();
                if len <= 2 {
                    two_digits(out, y % 100, len);
                } else {
                    out.push_str(&format!("{y:0len$}"));
                }
                time_only = false;
            }
            'z' => {
                let offset = zone_offset(dt, zone, time_only);
                out.push(if offset >= 0 { '+' } else { '-' });
                let (h, m) = (offset.abs() / 3600, offset.abs() / 60 % 60);
                match len {
                    1 => out.push_str(&h.to_string()),
                    2 => out.push_str(&format!("{h:02}")),
                    _ => out.push_str(&format!("{h:02}:{m:02}")),
                }
            }
            'K' => {
                len = 1;
                match dt.kind() {
                    DateKind::Utc => out.push('Z'),
                    DateKind::Unspecified => {}
                    DateKind::Local => {
                        let offset = dt.local_offset_seconds_in(zone);
                        out.push(if offset >= 0 { '+' } else { '-' });
                        out.push_str(&format!("{:02}:{:02}", offset.abs() / 3600, offset.abs() / 60 % 60));
                    }
                }
            }
            ':' => {
                len = 1;
                out.push(':');
            }
            '/' => {
                len = 1;
                out.push('/');
            }
            '\'' | '"' => {
                let (text, used) = quoted_literal(format, i)?;
                out.push_str(&text);
                len = used;
            }
            '%' => {
                match format.get(i + 1) {
                    Some(&next) if next != '%' => format_custom(dt, &[next], culture, zone, out)?,
                    _ => return Err(DotNetError::InvalidString),
                }
                len = 2;
            }
            '\\' => {
                match format.get(i + 1) {
                    Some(&next) => out.push(next),
                    None => return Err(DotNetError::InvalidString),
                }
                len = 2;
            }
            _ => {
                out.push(ch);
                len = 1;
            }
        }
        i += len;
    }
    Ok(())
}

/// The offset `z` prints: .NET Framework prints the local zone's offset whatever the kind (for a
/// UTC value too, a compatibility quirk it documents), and the current offset for a time-only value.
fn zone_offset<Tz: TimeZone>(dt: DateTime, zone: &Tz, time_only: bool) -> i64 {
    if time_only && dt.ticks < TICKS_PER_DAY {
        return DateTime::utc_now().to_local_time_in(zone).local_offset_seconds_in(zone);
    }
    dt.local_offset_seconds_in(zone)
}

/// `Get-Date -Format` of Windows PowerShell 5.1: the names FileDate (`yyyyMMdd`),
/// FileDateUniversal (UTC, `yyyyMMddZ`), FileDateTime (`yyyyMMddTHHmmssffff`) and
/// FileDateTimeUniversal (UTC, `yyyyMMddTHHmmssffffZ`), matched ignoring case, else
/// `ToString(format)` in the current culture.
pub fn get_date_format(dt: DateTime, format: &str) -> Result<String, DotNetError> {
    get_date_format_in(dt, format, &chrono::Local)
}

/// `get_date_format` with the local zone `zone`.
pub fn get_date_format_in<Tz: TimeZone>(dt: DateTime, format: &str, zone: &Tz) -> Result<String, DotNetError> {
    let (dt, format) = match format.to_ascii_lowercase().as_str() {
        "filedate" => (dt, "yyyyMMdd"),
        "filedateuniversal" => (dt.to_universal_time_in(zone), "yyyyMMddZ"),
        "filedatetime" => (dt, "yyyyMMddTHHmmssffff"),
        "filedatetimeuniversal" => (dt.to_universal_time_in(zone), "yyyyMMddTHHmmssffffZ"),
        _ => (dt, format),
    };
    format_date_in(dt, format, Culture::EnUs, zone)
}

/// `Get-Date -UFormat` as Windows PowerShell 5.1 implements it: each `%x` becomes a piece of a
/// .NET composite format string over the date (`%d` is `{0:dd}`), the rest is copied, and the
/// result is formatted with `String.Format` in the current culture, so a literal brace is a
/// format error there too. `%s` is the seconds since 1970-01-01 of the date as it is, local, with
/// its fraction (PowerShell 6 changed it to whole UTC seconds); `%j` is not padded (PowerShell 6
/// pads it); `%u` is Sunday = 0 like `%w`; `%U`, `%W` are DayOfYear/7, `%V` is DayOfYear/7 + 1;
/// `%G`/`%g` are `%Y`/`%y`; `%c` is `ddd MMM  d HH:mm:ss yyyy`; an unknown `%x` prints `x`; a
/// leading `+` is skipped. An empty format or a trailing `%` fails as 5.1 fails, indexing past the
/// string.
pub fn uformat(dt: DateTime, uformat: &str) -> Result<String, DotNetError> {
    let chars: Vec<char> = uformat.chars().collect();
    if chars.is_empty() {
        return Err(DotNetError::IndexOutOfRange);
    }
    let mut sb = String::new();
    let mut i = usize::from(chars[0] == '+');
    while i < chars.len() {
        if chars[i] != '%' {
            sb.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        let Some(&spec) = chars.get(i) else { return Err(DotNetError::IndexOutOfRange) };
        let piece: String = match spec {
            'A' => "{0:dddd}".into(),
            'a' => "{0:ddd}".into(),
            'B' => "{0:MMMM}".into(),
            'b' | 'h' => "{0:MMM}".into(),
            'C' => (dt.year() / 100).to_string(),
            'c' => format!("{{0:ddd}} {{0:MMM}} {:>2} {{0:HH}}:{{0:mm}}:{{0:ss}} {{0:yyyy}}", dt.day()),
            'D' | 'x' => "{0:MM/dd/yy}".into(),
            'd' => "{0:dd}".into(),
            'e' => format!("{:>2}", dt.day()),
            'H' | 'k' => "{0:HH}".into(),
            'I' | 'l' => "{0:hh}".into(),
            'j' => dt.day_of_year().to_string(),
            'M' => "{0:mm}".into(),
            'm' => "{0:MM}".into(),
            'n' => "\n".into(),
            'p' => "{0:tt}".into(),
            'R' => "{0:HH:mm}".into(),
            'r' => "{0:hh:mm:ss tt}".into(),
            'S' => "{0:ss}".into(),
            's' => {
                let epoch = DateTime::from_ymd(1970, 1, 1)?;
                super::number_format::format_double(dt.subtract(epoch).total_seconds(), "", Culture::EnUs)?
            }
            'T' | 'X' => "{0:HH:mm:ss}".into(),
            't' => "\t".into(),
            'u' | 'w' => (dt.day_of_week() as i32).to_string(),
            'U' | 'W' => (dt.day_of_year() / 7).to_string(),
            'V' => (dt.day_of_year() / 7 + 1).to_string(),
            'G' | 'Y' => "{0:yyyy}".into(),
            'g' | 'y' => "{0:yy}".into(),
            'Z' => "{0:zz}".into(),
            other => other.to_string(),
        };
        sb.push_str(&piece);
        i += 1;
    }
    composite::format(&sb, 1, |_, spec| format_date(dt, spec.unwrap_or(""), Culture::EnUs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn dt(y: i32, mo: i32, d: i32, h: i32, mi: i32, s: i32, ms: i32) -> DateTime {
        DateTime::from_parts(y, mo, d, h, mi, s, ms, DateKind::Unspecified).unwrap()
    }

    fn en(d: DateTime, f: &str) -> String {
        format_date_in(d, f, Culture::EnUs, &FixedOffset::west_opt(8 * 3600).unwrap()).unwrap()
    }

    fn inv(d: DateTime, f: &str) -> String {
        format_date_in(d, f, Culture::Invariant, &FixedOffset::west_opt(8 * 3600).unwrap()).unwrap()
    }

    #[test]
    fn standard_formats_en_us() {
        // The values of .NET's "Standard date and time format strings" page, en-US.
        let d = dt(2009, 6, 15, 13, 45, 30, 0);
        assert_eq!(en(d, "d"), "6/15/2009");
        assert_eq!(en(d, "D"), "Monday, June 15, 2009");
        assert_eq!(en(d, "f"), "Monday, June 15, 2009 1:45 PM");
        assert_eq!(en(d, "F"), "Monday, June 15, 2009 1:45:30 PM");
        assert_eq!(en(d, "g"), "6/15/2009 1:45 PM");
        assert_eq!(en(d, "G"), "6/15/2009 1:45:30 PM");
        assert_eq!(en(d, ""), "6/15/2009 1:45:30 PM");
        assert_eq!(en(d, "M"), "June 15");
        assert_eq!(en(d, "m"), "June 15");
        assert_eq!(en(d, "s"), "2009-06-15T13:45:30");
        assert_eq!(en(d, "t"), "1:45 PM");
        assert_eq!(en(d, "T"), "1:45:30 PM");
        assert_eq!(en(d, "u"), "2009-06-15 13:45:30Z");
        assert_eq!(en(d, "y"), "June 2009");
        assert_eq!(en(d, "Y"), "June 2009");
        assert_eq!(en(d.with_kind(DateKind::Utc), "R"), "Mon, 15 Jun 2009 13:45:30 GMT");
        assert_eq!(en(d.with_kind(DateKind::Utc), "r"), "Mon, 15 Jun 2009 13:45:30 GMT");
        // U converts a local (here UTC-8) value to UTC first.
        assert_eq!(en(d.with_kind(DateKind::Local), "U"), "Monday, June 15, 2009 9:45:30 PM");
        assert_eq!(en(d.with_kind(DateKind::Utc), "U"), "Monday, June 15, 2009 1:45:30 PM");
        let o = dt(2009, 6, 15, 13, 45, 30, 0).add_ticks(1_234_567).unwrap();
        assert_eq!(en(o.with_kind(DateKind::Unspecified), "o"), "2009-06-15T13:45:30.1234567");
        assert_eq!(en(o.with_kind(DateKind::Utc), "o"), "2009-06-15T13:45:30.1234567Z");
        assert_eq!(en(o.with_kind(DateKind::Local), "O"), "2009-06-15T13:45:30.1234567-08:00");
        assert_eq!(en(dt(2026, 1, 5, 0, 5, 0, 0), "G"), "1/5/2026 12:05:00 AM");
    }

    #[test]
    fn default_strings() {
        let d = dt(2026, 11, 21, 10, 15, 0, 0);
        assert_eq!(date_to_string(d, Culture::EnUs), "11/21/2026 10:15:00 AM");
        assert_eq!(date_to_string(d, Culture::Invariant), "11/21/2026 10:15:00");
        assert_eq!(date_to_string(dt(2026, 1, 5, 22, 0, 9, 0), Culture::Invariant), "01/05/2026 22:00:09");
    }

    #[test]
    fn standard_formats_invariant() {
        let d = dt(2009, 6, 15, 13, 45, 30, 0);
        assert_eq!(inv(d, "d"), "06/15/2009");
        assert_eq!(inv(d, "D"), "Monday, 15 June 2009");
        assert_eq!(inv(d, "f"), "Monday, 15 June 2009 13:45");
        assert_eq!(inv(d, "F"), "Monday, 15 June 2009 13:45:30");
        assert_eq!(inv(d, "g"), "06/15/2009 13:45");
        assert_eq!(inv(d, "G"), "06/15/2009 13:45:30");
        assert_eq!(inv(d, "M"), "June 15");
        assert_eq!(inv(d, "t"), "13:45");
        assert_eq!(inv(d, "T"), "13:45:30");
        assert_eq!(inv(d, "y"), "2009 June");
    }

    #[test]
    fn invalid_standard_formats() {
        let d = dt(2009, 6, 15, 13, 45, 30, 0);
        for bad in ["x", "Q", "/", ":", "%", "\\", "K", "z", "h"] {
            assert_eq!(format_date(d, bad, Culture::EnUs), Err(DotNetError::InvalidString), "{bad}");
        }
    }

    #[test]
    fn custom_formats() {
        // From .NET's "Custom date and time format strings" page.
        let d = dt(2008, 8, 29, 19, 27, 15, 18);
        assert_eq!(en(d, "yyyy-MM-dd"), "2008-08-29");
        assert_eq!(en(d, "%d"), "29");
        assert_eq!(en(d, "dd"), "29");
        assert_eq!(en(d, "ddd"), "Fri");
        assert_eq!(en(d, "dddd"), "Friday");
        assert_eq!(en(d, "ddddd"), "Friday");
        assert_eq!(en(d, "%M"), "8");
        assert_eq!(en(d, "MM"), "08");
        assert_eq!(en(d, "MMM"), "Aug");
        assert_eq!(en(d, "MMMM"), "August");
        assert_eq!(en(d, "%h"), "7");
        assert_eq!(en(d, "hh"), "07");
        assert_eq!(en(d, "%H"), "19");
        assert_eq!(en(d, "HH"), "19");
        assert_eq!(en(d, "HHH"), "19");
        assert_eq!(en(d, "%m"), "27");
        assert_eq!(en(d, "%s"), "15");
        assert_eq!(en(d, "%t"), "P");
        assert_eq!(en(d, "tt"), "PM");
        assert_eq!(en(d, "%f"), "0");
        assert_eq!(en(d, "ff"), "01");
        assert_eq!(en(d, "fff"), "018");
        assert_eq!(en(d, "ffff"), "0180");
        assert_eq!(en(d, "fffffff"), "0180000");
        assert_eq!(en(d, "%F"), "");
        assert_eq!(en(d, "FF"), "01");
        assert_eq!(en(d, "FFF"), "018");
        assert_eq!(en(d, "FFFF"), "018");
        assert_eq!(en(d, "%g"), "A.D.");
        assert_eq!(en(d, "gg"), "A.D.");
        assert_eq!(en(d, "HH:mm:ss.FFF"), "19:27:15.018");
        assert_eq!(en(dt(2008, 8, 29, 19, 27, 15, 0), "HH:mm:ss.FFF"), "19:27:15");
        assert_eq!(en(dt(2008, 8, 29, 19, 27, 15, 0), "HH:mm:ss.fff"), "19:27:15.000");
        assert_eq!(en(d, "MM/dd/yyyy hh:mm tt"), "08/29/2008 07:27 PM");
        assert_eq!(en(d, "dddd, MMMM d, yyyy"), "Friday, August 29, 2008");
        assert_eq!(en(d, "yyyyMMddTHHmmssffff"), "20080829T1927150180");
        assert_eq!(en(d, "'Year' yyyy"), "Year 2008");
        assert_eq!(en(d, "\"Day\" d"), "Day 29");
        assert_eq!(en(d, "\\Y\\e\\a\\r yyyy"), "Year 2008");
        assert_eq!(en(d, "'it''s'"), "its");
        assert_eq!(en(d, "'a\\'b'"), "a'b");
        assert_eq!(en(d, "d MMM yyyy q"), "29 Aug 2008 q");
        assert_eq!(en(dt(2026, 1, 1, 0, 0, 0, 0), "h tt"), "12 AM");
        assert_eq!(en(dt(2026, 1, 1, 12, 0, 0, 0), "h t"), "12 P");
    }

    #[test]
    fn custom_format_table_of_the_documentation() {
        let t = |ticks_fraction: i64, f: &str| en(dt(2009, 6, 15, 13, 45, 30, 0).add_ticks(ticks_fraction).unwrap(), f);
        assert_eq!(en(dt(2009, 6, 1, 13, 45, 30, 0), "%d"), "1");
        assert_eq!(en(dt(2009, 6, 1, 13, 45, 30, 0), "dd"), "01");
        assert_eq!(t(6_170_000, "%f"), "6");
        assert_eq!(t(500_000, "%f"), "0");
        assert_eq!(t(6_170_000, "ff"), "61");
        assert_eq!(t(50_000, "ff"), "00");
        assert_eq!(t(6_170_000, "fff"), "617");
        assert_eq!(t(5_000, "fff"), "000");
        assert_eq!(t(6_175_000, "ffff"), "6175");
        assert_eq!(t(500, "ffff"), "0000");
        assert_eq!(t(6_175_400, "fffff"), "61754");
        assert_eq!(t(6_175_420, "ffffff"), "617542");
        assert_eq!(t(5, "ffffff"), "000000");
        assert_eq!(t(6_175_425, "fffffff"), "6175425");
        assert_eq!(t(1_150, "fffffff"), "0001150");
        assert_eq!(t(500_000, "%F"), "");
        assert_eq!(t(50_000, "FF"), "");
        assert_eq!(t(5_000, "FFF"), "");
        assert_eq!(t(5_275_000, "FFFF"), "5275");
        assert_eq!(t(500, "FFFF"), "");
        assert_eq!(t(50, "FFFFF"), "");
        assert_eq!(t(6_175_420, "FFFFFF"), "617542");
        assert_eq!(t(5, "FFFFFF"), "");
        assert_eq!(t(6_175_425, "FFFFFFF"), "6175425");
        assert_eq!(t(1_150, "FFFFFFF"), "000115");
        assert_eq!(en(dt(2009, 6, 15, 1, 45, 30, 0), "%h"), "1");
        assert_eq!(en(dt(2009, 6, 15, 1, 45, 30, 0), "hh"), "01");
        assert_eq!(en(dt(2009, 6, 15, 1, 45, 30, 0), "%H"), "1");
        assert_eq!(en(dt(2009, 6, 15, 1, 9, 30, 0), "%m"), "9");
        assert_eq!(en(dt(2009, 6, 15, 1, 9, 30, 0), "mm"), "09");
        assert_eq!(en(dt(2009, 6, 15, 13, 45, 9, 0), "%s"), "9");
        assert_eq!(en(dt(2009, 6, 15, 13, 45, 9, 0), "ss"), "09");
        assert_eq!(en(dt(2009, 6, 15, 13, 45, 30, 0), "\"arr:\" h:m t"), "arr: 1:45 P");
        assert_eq!(en(dt(2009, 6, 15, 13, 45, 30, 0), "'arr:' h:m t"), "arr: 1:45 P");
        assert_eq!(en(dt(2009, 6, 15, 13, 45, 30, 0), "h \\h"), "1 h");
        assert_eq!(en(dt(2009, 6, 15, 1, 45, 30, 0), "arr hh:mm t"), "arr 01:45 A");
        assert_eq!(en(dt(900, 1, 1, 0, 0, 0, 0), "yyy"), "900");
        assert_eq!(en(dt(1900, 1, 1, 0, 0, 0, 0), "yy"), "00");
    }

    #[test]
    fn years() {
        let y = |year: i32, f: &str| en(dt(year, 1, 1, 0, 0, 0, 0), f);
        assert_eq!(y(1, "%y"), "1");
        assert_eq!(y(1, "yy"), "01");
        assert_eq!(y(1, "yyy"), "001");
        assert_eq!(y(1, "yyyy"), "0001");
        assert_eq!(y(1, "yyyyy"), "00001");
        assert_eq!(y(900, "%y"), "0");
        assert_eq!(y(2008, "%y"), "8");
        assert_eq!(y(2009, "yy"), "09");
        assert_eq!(y(2009, "yyy"), "2009");
        assert_eq!(y(2009, "yyyyy"), "02009");
        assert_eq!(y(2019, "yy"), "19");
    }

    #[test]
    fn time_zone_formats() {
        let pst = FixedOffset::west_opt(7 * 3600).unwrap();
        let india = FixedOffset::east_opt(5 * 3600 + 30 * 60).unwrap();
        let d = dt(2008, 8, 29, 19, 27, 15, 0).with_kind(DateKind::Local);
        let z = |d: DateTime, f: &str, zone: &FixedOffset| format_date_in(d, f, Culture::EnUs, zone).unwrap();
        assert_eq!(z(d, "%z", &pst), "-7");
        assert_eq!(z(d, "zz", &pst), "-07");
        assert_eq!(z(d, "zzz", &pst), "-07:00");
        assert_eq!(z(d, "zzzz", &pst), "-07:00");
        assert_eq!(z(d, "zzz", &india), "+05:30");
        assert_eq!(z(d, "%K", &india), "+05:30");
        assert_eq!(z(d.with_kind(DateKind::Utc), "%K", &india), "Z");
        assert_eq!(z(d.with_kind(DateKind::Unspecified), "%K", &india), "");
        assert_eq!(z(d.with_kind(DateKind::Unspecified), "KK", &india), "");
        // .NET Framework prints the local offset for a UTC value's `z`.
        assert_eq!(z(d.with_kind(DateKind::Utc), "zzz", &india), "+05:30");
        assert_eq!(z(DateTime::MIN.with_kind(DateKind::Utc), "HH zzz", &india), "00 +05:30");
        assert_eq!(z(dt(2008, 8, 29, 19, 27, 15, 0), "zz", &FixedOffset::east_opt(0).unwrap()), "+00");
    }

    #[test]
    fn invalid_custom_formats() {
        let d = dt(2008, 8, 29, 19, 27, 15, 18);
        assert_eq!(format_date(d, "ffffffff", Culture::EnUs), Err(DotNetError::InvalidString));
        assert_eq!(format_date(d, "FFFFFFFF", Culture::EnUs), Err(DotNetError::InvalidString));
        assert_eq!(format_date(d, "yyyy\\", Culture::EnUs), Err(DotNetError::InvalidString));
        assert_eq!(format_date(d, "yyyy%", Culture::EnUs), Err(DotNetError::InvalidString));
        assert_eq!(format_date(d, "%%", Culture::EnUs), Err(DotNetError::InvalidString));
        assert_eq!(format_date(d, "yyyy 'x", Culture::EnUs), Err(DotNetError::BadQuote('\'')));
        assert_eq!(
            format_date(d, "yyyy \"x", Culture::EnUs).unwrap_err().to_string(),
            "Cannot find a matching quote character for the character '\"'."
        );
    }

    #[test]
    fn get_date_format_names() {
        let d = dt(2026, 11, 21, 9, 5, 7, 123).with_kind(DateKind::Local);
        let pst = FixedOffset::west_opt(8 * 3600).unwrap();
        let g = |f: &str| get_date_format_in(d, f, &pst).unwrap();
        assert_eq!(g("FileDate"), "20261121");
        assert_eq!(g("filedate"), "20261121");
        assert_eq!(g("FileDateUniversal"), "20261121Z");
        assert_eq!(g("FileDateTime"), "20261121T0905071230");
        assert_eq!(g("FileDateTimeUniversal"), "20261121T1705071230Z");
        assert_eq!(g("yyyy-MM-dd"), "2026-11-21");
        assert_eq!(g("d"), "11/21/2026");
    }

    #[test]
    fn uformat_as_powershell_5_1() {
        let d = dt(2026, 11, 21, 9, 5, 7, 0);
        let u = |f: &str| uformat(d, f).unwrap();
        assert_eq!(u("%Y-%m-%d"), "2026-11-21");
        assert_eq!(u("+%Y%m%d"), "20261121");
        assert_eq!(u("%H:%M:%S"), "09:05:07");
        assert_eq!(u("%A %a %B %b %h"), "Saturday Sat November Nov Nov");
        assert_eq!(u("%j"), "325");
        assert_eq!(uformat(dt(2026, 1, 5, 0, 0, 0, 0), "%j").unwrap(), "5");
        assert_eq!(u("%u %w"), "6 6");
        assert_eq!(uformat(dt(2026, 11, 22, 0, 0, 0, 0), "%u").unwrap(), "0");
        assert_eq!(u("%y %C %G %g"), "26 20 2026 26");
        assert_eq!(u("%p %I %l %k"), "AM 09 09 09");
        assert_eq!(u("%D %x"), "11/21/26 11/21/26");
        assert_eq!(u("%T %X %R"), "09:05:07 09:05:07 09:05");
        assert_eq!(u("%r"), "09:05:07 AM");
        assert_eq!(u("%c"), "Sat Nov 21 09:05:07 2026");
        assert_eq!(uformat(dt(2026, 11, 1, 9, 5, 7, 0), "%c").unwrap(), "Sun Nov  1 09:05:07 2026");
        assert_eq!(uformat(dt(2026, 11, 1, 9, 5, 7, 0), "%e|%d").unwrap(), " 1|01");
        assert_eq!(u("%U %W %V"), "46 46 47");
        assert_eq!(u("%n%t"), "\n\t");
        assert_eq!(u("%q %F 100%%"), "q F 100%");
        assert_eq!(u("no specifiers"), "no specifiers");
        assert_eq!(uformat(dt(1970, 1, 2, 0, 0, 0, 0), "%s").unwrap(), "86400");
        assert_eq!(uformat(dt(1970, 1, 1, 0, 0, 1, 500), "%s").unwrap(), "1.5");
        assert_eq!(uformat(dt(1969, 12, 31, 0, 0, 0, 0), "%s").unwrap(), "-86400");
        let offset = format_date(d.with_kind(DateKind::Local), "zz", Culture::EnUs).unwrap();
        assert_eq!(uformat(d.with_kind(DateKind::Local), "%Z").unwrap(), offset);
        // 5.1 indexes past the string on these, and feeds braces to String.Format.
        assert_eq!(uformat(d, ""), Err(DotNetError::IndexOutOfRange));
        assert_eq!(uformat(d, "%Y%"), Err(DotNetError::IndexOutOfRange));
        assert_eq!(uformat(d, "{"), Err(DotNetError::InvalidString));
        assert_eq!(uformat(d, "{1}"), Err(DotNetError::FormatIndexOutOfRange));
        assert_eq!(u("{0:yyyy}"), "2026");
    }

    #[test]
    fn random_formats_never_panic() {
        let mut rng = super::super::test_rng::Rng::new(7);
        let alphabet: Vec<char> = "yMdhHmsfFtzKg:/'\"\\% .x{}0+".chars().collect();
        for _ in 0..20_000 {
            let f = rng.string(&alphabet, 12);
            let ticks = (rng.next() % (super::super::datetime::MAX_TICKS as u64 + 1)) as i64;
            let kind = [DateKind::Utc, DateKind::Local, DateKind::Unspecified][rng.below(3)];
            let d = DateTime::from_ticks(ticks, kind).unwrap();
            let _ = format_date(d, &f, Culture::EnUs);
            let _ = format_date(d, &f, Culture::Invariant);
            let _ = uformat(d, &f);
        }
    }
}
