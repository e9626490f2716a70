//! DateTime.Parse and DateTime.ParseExact as .NET Framework 4.x does them for the en-US and
//! invariant cultures (month before day: `11/21/2026`), with their messages.
//!
//! `parse` is .NET's lenient parse reduced to the forms people type: ISO 8601 (`2026-11-21`,
//! `2026-11-21T10:15:00.5`, with `Z` or `+02:00`), `M/d/yyyy` (also with `-` or `.`), `M/d`,
//! month names (`Nov 21, 2026`, `21 November 2026`, `November 2026`, `21-Nov-26`), an optional
//! leading day name (checked), times (`10:15`, `10:15:30.25`, `10:15 PM`, `10 PM`) before or after
//! the date, RFC 1123 (`Sat, 21 Nov 2026 10:15:00 GMT`). A time alone is today at that time; a
//! date alone is midnight. A value with a zone (`Z`, `GMT`, an offset) is converted to local time
//! and is Local; otherwise it is Unspecified. What does not fit these forms is refused with
//! .NET's message rather than guessed at; .NET's full lexer accepts a few rarer forms.
//!
//! `parse_exact` follows datetimeparse.cs's ParseByFormat specifier by specifier.

use super::culture::Culture;
use super::date_format::{ABBREVIATED_DAY_NAMES, ABBREVIATED_MONTH_NAMES, DAY_NAMES, MONTH_NAMES};
use super::datetime::{DateKind, DateTime};
use super::error::DotNetError;
use super::timespan::{TICKS_PER_SECOND, quoted_literal, repeat_len};
use chrono::TimeZone;

/// The fields found in the text; `None` where the text gave none.
#[derive(Debug, Default, Clone)]
struct Fields {
    year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
    hour: Option<i64>,
    minute: Option<i64>,
    second: Option<i64>,
    fraction: f64,
    /// Some(true) for PM.
    pm: Option<bool>,
    hour12: bool,
    day_of_week: Option<usize>,
    /// Seconds east of UTC, when the text names a zone.
    offset: Option<i64>,
}

/// 2-digit years as .NET's GregorianCalendar reads them (TwoDigitYearMax 2029).
fn four_digit_year(year: i64) -> i64 {
    if year >= 100 {
        year
    } else if year <= 29 {
        2000 + year
    } else {
        1900 + year
    }
}

/// `DateTime.Parse(text, culture)`, the local zone and today being the system's.
pub fn parse(text: &str, culture: Culture) -> Result<DateTime, DotNetError> {
    parse_in(text, culture, &chrono::Local, DateTime::now())
}

/// `DateTime.Parse` with the local zone `zone` and the local time `now` (for a time alone).
pub fn parse_in<Tz: TimeZone>(text: &str, culture: Culture, zone: &Tz, now: DateTime) -> Result<DateTime, DotNetError> {
    let _ = culture; // en-US and the invariant culture read dates the same way.
    let tokens = lex(text).ok_or(DotNetError::BadDateTime)?;
    let fields = Lenient { t: &tokens, i: 0 }.parse().ok_or(DotNetError::BadDateTime)?;
    finish(fields, zone, now)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64, usize),
    Month(i64),
    DayName(usize),
    AmPm(bool),
    Zulu,
    Gmt,
    T,
    Sep(char),
    Space,
}

fn lex(text: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            let mut value: i64 = 0;
            while i < chars.len() && chars[i].is_ascii_digit() {
                value = value.saturating_mul(10).saturating_add(chars[i] as i64 - '0' as i64);
                i += 1;
            }
            out.push(Tok::Num(value, i - start));
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
            out.push(word_token(&word)?);
            // "Sept." and similar abbreviations end with a dot that belongs to the word.
            if i < chars.len() && chars[i] == '.' && matches!(out.last(), Some(Tok::Month(_) | Tok::DayName(_))) {
                i += 1;
            }
        } else if c.is_whitespace() {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            out.push(Tok::Space);
        } else if matches!(c, '/' | '-' | '.' | ':' | ',' | '+') {
            out.push(Tok::Sep(c));
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

fn word_token(word: &str) -> Option<Tok> {
    let find = |names: &[&str]| names.iter().position(|n| n.to_lowercase() == word);
    if let Some(m) = find(&MONTH_NAMES).or_else(|| find(&ABBREVIATED_MONTH_NAMES)) {
        return Some(Tok::Month(m as i64 + 1));
    }
    if word == "sept" {
        return Some(Tok::Month(9));
    }
    if let Some(d) = find(&DAY_NAMES).or_else(|| find(&ABBREVIATED_DAY_NAMES)) {
        return Some(Tok::DayName(d));
    }
    match word {
        "am" => Some(Tok::AmPm(false)),
        "pm" => Some(Tok::AmPm(true)),
        "z" => Some(Tok::Zulu),
        "gmt" => Some(Tok::Gmt),
        "t" => Some(Tok::T),
        _ => None,
    }
}

/// The lenient grammar over the tokens, by recursive descent with a cursor.
struct Lenient<'a> {
    t: &'a [Tok],
    i: usize,
}

impl Lenient<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i)
    }
    fn skip_spaces(&mut self) {
        while self.peek() == Some(&Tok::Space) {
            self.i += 1;
        }
    }
    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek() == Some(tok) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn num(&mut self) -> Option<(i64, usize)> {
        match self.peek() {
            Some(Tok::Num(v, len)) => {
                let r = (*v, *len);
                self.i += 1;
                Some(r)
            }
            _ => None,
        }
    }
    fn month(&mut self) -> Option<i64> {
        match self.peek() {
            Some(Tok::Month(m)) => {
                let m = *m;
                self.i += 1;
                Some(m)
            }
            _ => None,
        }
    }
    /// A separator between the parts of a date with a month name: spaces, `-`, `/`, `.`, `,`.
    fn name_separator(&mut self) {
        self.skip_spaces();
        if matches!(self.peek(), Some(Tok::Sep('-' | '/' | '.' | ','))) {
            self.i += 1;
        }
        self.skip_spaces();
    }

    fn parse(mut self) -> Option<Fields> {
        let mut f = Fields::default();
        self.skip_spaces();
        if let Some(Tok::DayName(d)) = self.peek() {
            f.day_of_week = Some(*d);
            self.i += 1;
            self.skip_spaces();
            self.eat(&Tok::Sep(','));
        }
        let mut have_date = false;
        let mut have_time = false;
        loop {
            self.skip_spaces();
            if self.i >= self.t.len() {
                break;
            }
            let start = self.i;
            if !have_time && self.time(&mut f) {
                have_time = true;
                self.zone(&mut f);
                continue;
            }
            self.i = start;
            if !have_date && self.date(&mut f).is_some() {
                have_date = true;
                // ISO 8601's T, which a time must follow, or a comma, before the time.
                if self.eat(&Tok::T) {
                    if have_time || !self.time(&mut f) {
                        return None;
                    }
                    have_time = true;
                    self.zone(&mut f);
                } else {
                    self.skip_spaces();
                    self.eat(&Tok::Sep(','));
                }
                continue;
            }
            self.i = start;
            if (have_date || have_time) && f.offset.is_none() && self.zone(&mut f) {
                continue;
            }
            return None;
        }
        (have_date || have_time).then_some(f)
    }

    fn date(&mut self, f: &mut Fields) -> Option<()>
    where
        Self: Sized,
    {
        let start = self.i;
        let forms: [fn(&mut Self, &mut Fields) -> Option<()>; 4] =
            [Self::numeric_date, Self::month_first, Self::day_first, Self::year_first_name];
        for form in forms {
            self.i = start;
            let mut attempt = f.clone();
            if form(self, &mut attempt).is_some() {
                *f = attempt;
                return Some(());
            }
        }
        self.i = start;
        None
    }

    /// yyyy-M-d, yyyy/M/d, yyyy.M.d, M/d/y, M-d-y, M.d.y, M/d, M/yyyy.
    fn numeric_date(&mut self, f: &mut Fields) -> Option<()> {
        let (a, a_len) = self.num()?;
        let Some(Tok::Sep(sep @ ('/' | '-' | '.'))) = self.peek().cloned() else { return None };
        self.i += 1;
        let (b, b_len) = self.num()?;
        if self.peek() == Some(&Tok::Sep(sep)) && matches!(self.t.get(self.i + 1), Some(Tok::Num(..))) {
            self.i += 1;
            let (c, c_len) = self.num()?;
            if a_len >= 3 {
                (f.year, f.month, f.day) = (Some(a), Some(b), Some(c));
            } else {
                let year = if c_len <= 2 { four_digit_year(c) } else { c };
                (f.year, f.month, f.day) = (Some(year), Some(a), Some(b));
            }
            return Some(());
        }
        if a_len >= 3 || sep == '.' {
            return None;
        }
        if b_len >= 3 {
            (f.year, f.month, f.day) = (Some(b), Some(a), Some(1));
        } else {
            (f.month, f.day) = (Some(a), Some(b));
        }
        Some(())
    }

    /// Nov 21, 2026 · November 21 2026 · Nov 21 · November 2026.
    fn month_first(&mut self, f: &mut Fields) -> Option<()> {
        let month = self.month()?;
        self.name_separator();
        let (n, len) = self.num()?;
        f.month = Some(month);
        if len >= 3 {
            (f.year, f.day) = (Some(n), Some(1));
            return Some(());
        }
        f.day = Some(n);
        self.optional_year(f);
        Some(())
    }

    /// The year that may follow a day and a month name.
    fn optional_year(&mut self, f: &mut Fields) {
        let before_year = self.i;
        self.name_separator();
        match self.num() {
            // A number followed by ':' or AM/PM is the time's hour, not a year.
            Some((y, ylen)) if self.peek() != Some(&Tok::Sep(':')) && !matches!(self.peek(), Some(Tok::AmPm(_))) => {
                f.year = Some(if ylen <= 2 { four_digit_year(y) } else { y });
            }
            _ => self.i = before_year,
        }
    }

    /// 21 November 2026 · 21-Nov-26 · 21 Nov.
    fn day_first(&mut self, f: &mut Fields) -> Option<()> {
        let (day, len) = self.num()?;
        if len > 2 {
            return None;
        }
        self.name_separator();
        let month = self.month()?;
        (f.day, f.month) = (Some(day), Some(month));
        self.optional_year(f);
        Some(())
    }

    /// 2026 November 21 · 2026-Nov-21.
    fn year_first_name(&mut self, f: &mut Fields) -> Option<()> {
        let (year, len) = self.num()?;
        if len < 3 {
            return None;
        }
        self.name_separator();
        let month = self.month()?;
        self.name_separator();
        let (day, dlen) = self.num()?;
        if dlen > 2 {
            return None;
        }
        (f.year, f.month, f.day) = (Some(year), Some(month), Some(day));
        Some(())
    }

    /// H:mm[:ss[.fffffff]] [AM|PM], or H AM|PM.
    fn time(&mut self, f: &mut Fields) -> bool {
        let start = self.i;
        let Some((hour, hlen)) = self.num() else { return false };
        if hlen > 2 {
            self.i = start;
            return false;
        }
        let mut t = f.clone();
        t.hour = Some(hour);
        if self.eat(&Tok::Sep(':')) {
            let Some((minute, mlen)) = self.num() else {
                self.i = start;
                return false;
            };
            if mlen > 2 {
                self.i = start;
                return false;
            }
            t.minute = Some(minute);
            if self.eat(&Tok::Sep(':')) {
                let Some((second, slen)) = self.num() else {
                    self.i = start;
                    return false;
                };
                if slen > 2 {
                    self.i = start;
                    return false;
                }
                t.second = Some(second);
                if self.peek() == Some(&Tok::Sep('.')) && matches!(self.t.get(self.i + 1), Some(Tok::Num(..))) {
                    self.i += 1;
                    if let Some(Tok::Num(_, len)) = self.peek().cloned() {
                        // The digits as a fraction, from the token's text length (leading zeros count).
                        let digits = self.digits_text(len);
                        t.fraction = format!("0.{digits}").parse().unwrap_or(0.0);
                        self.i += 1;
                    }
                }
            }
            let before = self.i;
            self.skip_spaces();
            if let Some(Tok::AmPm(pm)) = self.peek().cloned() {
                self.i += 1;
                t.pm = Some(pm);
            } else {
                self.i = before;
            }
        } else {
            self.skip_spaces();
            let Some(Tok::AmPm(pm)) = self.peek().cloned() else {
                self.i = start;
                return false;
            };
            self.i += 1;
            t.pm = Some(pm);
            t.minute = Some(0);
        }
        *f = t;
        true
    }

    /// The fraction's digits: the value with its leading zeros back.
    fn digits_text(&self, len: usize) -> String {
        match self.peek() {
            Some(Tok::Num(v, _)) => format!("{v:0len$}"),
            _ => String::new(),
        }
    }

    /// Z, GMT, GMT+hh:mm, +hh:mm, +hhmm, +hh, -hh:mm.
    fn zone(&mut self, f: &mut Fields) -> bool {
        let start = self.i;
        self.skip_spaces();
        if self.eat(&Tok::Zulu) {
            f.offset = Some(0);
            return true;
        }
        let gmt = self.eat(&Tok::Gmt);
        if gmt {
            f.offset = Some(0);
        }
        let sign = match self.peek() {
            Some(Tok::Sep('+')) => 1,
            Some(Tok::Sep('-')) => -1,
            _ => {
                if !gmt {
                    self.i = start;
                }
                return gmt;
            }
        };
        let after_sign = self.i;
        self.i += 1;
        let Some((n, len)) = self.num() else {
            self.i = if gmt { after_sign } else { start };
            return gmt;
        };
        let (hours, minutes) = if len > 2 {
            (n / 100, n % 100)
        } else if self.eat(&Tok::Sep(':')) {
            match self.num() {
                Some((m, 2)) => (n, m),
                _ => {
                    self.i = start;
                    return false;
                }
            }
        } else {
            (n, 0)
        };
        if len > 4 || minutes >= 60 || hours > 14 {
            self.i = start;
            return false;
        }
        f.offset = Some(sign * (hours * 3600 + minutes * 60));
        true
    }
}

/// CheckDefaultDateTime, the AM/PM rules, the calendar check, the day-of-week check and the time
/// zone adjustment, shared by both parsers.
fn finish<Tz: TimeZone>(mut f: Fields, zone: &Tz, now: DateTime) -> Result<DateTime, DotNetError> {
    let mut hour = f.hour.unwrap_or(0);
    match f.pm {
        Some(pm) => {
            if hour > 12 {
                return Err(DotNetError::BadDateTime);
            }
            hour = match (pm, hour) {
                (false, 12) => 0,
                (false, h) => h,
                (true, 12) => 12,
                (true, h) => h + 12,
            };
        }
        None if f.hour12 && hour > 12 => return Err(DotNetError::BadDateTime),
        None => {}
    }
    let (minute, second) = (f.minute.unwrap_or(0), f.second.unwrap_or(0));
    if hour > 23 || minute > 59 || second > 59 {
        return Err(DotNetError::BadDateTime);
    }
    if f.year.is_none() || f.month.is_none() || f.day.is_none() {
        // With a zone, "today" is today in that zone.
        let now = match f.offset {
            Some(offset) => {
                let utc = now.to_universal_time_in(zone);
                utc.add_ticks(offset * TICKS_PER_SECOND).unwrap_or(utc)
            }
            None => now,
        };
        if f.month.is_none() && f.day.is_none() {
            if f.year.is_none() {
                (f.year, f.month, f.day) = (Some(now.year() as i64), Some(now.month() as i64), Some(now.day() as i64));
            } else {
                (f.month, f.day) = (Some(1), Some(1));
            }
        } else {
            f.year = f.year.or(Some(now.year() as i64));
            f.month = f.month.or(Some(1));
            f.day = f.day.or(Some(1));
        }
    }
    let (year, month, day) = (f.year.unwrap_or(1), f.month.unwrap_or(1), f.day.unwrap_or(1));
    // Fields out of their own ranges are a format error; a day the month lacks (2/30) is the
    // calendar's error.
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1..=9999).contains(&year) {
        return Err(DotNetError::BadDateTime);
    }
    let date = DateTime::from_parts(
        year as i32,
        month as i32,
        day as i32,
        hour as i32,
        minute as i32,
        second as i32,
        0,
        DateKind::Unspecified,
    )
    .map_err(|_| DotNetError::BadDateTimeCalendar)?;
    let mut date =
        date.add_ticks((f.fraction * TICKS_PER_SECOND as f64).round() as i64).map_err(|_| DotNetError::BadDateTime)?;
    if let Some(dow) = f.day_of_week
        && date.day_of_week() as usize != dow
    {
        return Err(DotNetError::BadDayOfWeek);
    }
    if let Some(offset) = f.offset {
        let mut ticks = date.ticks - offset * TICKS_PER_SECOND;
        if ticks < 0 {
            ticks += super::timespan::TICKS_PER_DAY;
        }
        let utc = DateTime::from_ticks(ticks, DateKind::Utc).map_err(|_| DotNetError::DateOutOfRange)?;
        date = utc.to_local_time_in(zone);
    }
    Ok(date)
}

/// `DateTime.ParseExact(text, format, culture)` (DateTimeStyles.None: the text must match the
/// format exactly, spaces included), the local zone and today being the system's.
pub fn parse_exact(text: &str, format: &str, culture: Culture) -> Result<DateTime, DotNetError> {
    parse_exact_in(text, &[format], culture, &chrono::Local, DateTime::now())
}

/// `DateTime.ParseExact(text, formats, culture, DateTimeStyles.None)`: the first format that
/// matches wins; when none does, the error is .NET's "not recognized" one.
pub fn parse_exact_any(text: &str, formats: &[&str], culture: Culture) -> Result<DateTime, DotNetError> {
    parse_exact_in(text, formats, culture, &chrono::Local, DateTime::now())
}

/// `ParseExact` with the local zone `zone` and the local time `now`.
pub fn parse_exact_in<Tz: TimeZone>(
    text: &str,
    formats: &[&str],
    culture: Culture,
    zone: &Tz,
    now: DateTime,
) -> Result<DateTime, DotNetError> {
    let mut last = DotNetError::BadDateTime;
    for format in formats {
        match exact_one(text, format, culture, zone, now) {
            Ok(d) => return Ok(d),
            Err(e) => last = e,
        }
    }
    // With several formats .NET reports the generic failure.
    Err(if formats.len() == 1 { last } else { DotNetError::BadDateTime })
}

fn exact_one<Tz: TimeZone>(
    text: &str,
    format: &str,
    culture: Culture,
    zone: &Tz,
    now: DateTime,
) -> Result<DateTime, DotNetError> {
    if format.is_empty() {
        return Err(DotNetError::BadFormatSpecifier);
    }
    let mut culture = culture;
    let mut f = Fields::default();
    let mut format_chars: Vec<char> = format.chars().collect();
    if let [single] = format_chars[..] {
        let dates = culture.dates();
        let pattern: String = match single {
            'd' => dates.short_date.into(),
            'D' => dates.long_date.into(),
            'f' => format!("{} {}", dates.long_date, dates.short_time),
            'F' => dates.full_date_time.into(),
            // The text of `U` is UTC: it is converted to local time.
            'U' => {
                f.offset = Some(0);
                dates.full_date_time.into()
            }
            'g' => format!("{} {}", dates.short_date, dates.short_time),
            'G' => format!("{} {}", dates.short_date, dates.long_time),
            'm' | 'M' => dates.month_day.into(),
            // Without DateTimeStyles.RoundtripKind a `Z` or an offset converts to local time.
            'o' | 'O' => "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffK".into(),
            'r' | 'R' => {
                culture = Culture::Invariant;
                "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'".into()
            }
            's' => "yyyy'-'MM'-'dd'T'HH':'mm':'ss".into(),
            't' => dates.short_time.into(),
            'T' => dates.long_time.into(),
            'u' => "yyyy'-'MM'-'dd HH':'mm':'ss'Z'".into(),
            'y' | 'Y' => dates.year_month.into(),
            _ => return Err(DotNetError::BadFormatSpecifier),
        };
        format_chars = pattern.chars().collect();
    }
    let text: Vec<char> = text.chars().collect();
    let mut pos = 0usize;
    let mut two_digit_year = false;
    exact_walk(&text, &mut pos, &format_chars, culture, &mut f, &mut two_digit_year)?;
    if pos < text.len() {
        return Err(DotNetError::BadDateTime);
    }
    if two_digit_year && let Some(y) = f.year {
        f.year = Some(four_digit_year(y));
    }
    finish(f, zone, now)
}

/// Reads `len` digits exactly, or 1 to 2 when `len` is 1 (ParseDigits).
fn digits(text: &[char], pos: &mut usize, len: usize) -> Option<i64> {
    let (min, max) = if len == 1 { (1, 2) } else { (len, len) };
    let mut value = 0i64;
    let mut n = 0;
    while n < max && text.get(*pos + n).is_some_and(char::is_ascii_digit) {
        value = value * 10 + (text[*pos + n] as i64 - '0' as i64);
        n += 1;
    }
    if n < min {
        return None;
    }
    *pos += n;
    Some(value)
}

/// The longest name in `names` at `pos`, compared ignoring case; its index.
fn match_name(text: &[char], pos: &mut usize, names: &[&str]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (index, name) in names.iter().enumerate() {
        let n = name.chars().count();
        if text.len() >= *pos + n {
            let candidate: String = text[*pos..*pos + n].iter().collect();
            if candidate.to_lowercase() == name.to_lowercase() && best.is_none_or(|(_, len)| n > len) {
                best = Some((index, n));
            }
        }
    }
    let (index, n) = best?;
    *pos += n;
    Some(index)
}

fn set(slot: &mut Option<i64>, value: i64) -> Result<(), DotNetError> {
    match slot {
        Some(old) if *old != value => Err(DotNetError::BadDateTime),
        _ => {
            *slot = Some(value);
            Ok(())
        }
    }
}

fn exact_walk(
    text: &[char],
    pos: &mut usize,
    format: &[char],
    culture: Culture,
    f: &mut Fields,
    two_digit_year: &mut bool,
) -> Result<(), DotNetError> {
    let bad = DotNetError::BadDateTime;
    let dates = culture.dates();
    let mut i = 0;
    while i < format.len() {
        let ch = format[i];
        let mut len = repeat_len(format, i);
        match ch {
            'y' => {
                if len <= 2 {
                    *two_digit_year = true;
                }
                let y = digits(text, pos, len).ok_or(bad.clone())?;
                set(&mut f.year, y)?;
            }
            'M' => {
                let m = match len {
                    1 | 2 => digits(text, pos, len),
                    3 => match_name(text, pos, &ABBREVIATED_MONTH_NAMES).map(|m| m as i64 + 1),
                    _ => match_name(text, pos, &MONTH_NAMES).map(|m| m as i64 + 1),
                }
                .ok_or(bad.clone())?;
                set(&mut f.month, m)?;
            }
            'd' => match len {
                1 | 2 => {
                    let d = digits(text, pos, len).ok_or(bad.clone())?;
                    set(&mut f.day, d)?;
                }
                _ => {
                    let names: &[&str] = if len == 3 { &ABBREVIATED_DAY_NAMES } else { &DAY_NAMES };
                    let d = match_name(text, pos, names).ok_or(bad.clone())?;
                    if f.day_of_week.is_some_and(|old| old != d) {
                        return Err(bad);
                    }
                    f.day_of_week = Some(d);
                }
            },
            'g' => {
                let mut p = *pos;
                if match_name(text, &mut p, &["A.D.", "AD"]).is_none() {
                    return Err(bad);
                }
                *pos = p;
            }
            'h' | 'H' | 'm' | 's' => {
                if ch == 'h' {
                    f.hour12 = true;
                }
                let v = digits(text, pos, if len < 2 { 1 } else { 2 }).ok_or(bad.clone())?;
                let slot = match ch {
                    'h' | 'H' => &mut f.hour,
                    'm' => &mut f.minute,
                    _ => &mut f.second,
                };
                set(slot, v)?;
            }
            'f' | 'F' => {
                if len > 7 {
                    return Err(bad);
                }
                let mut n = 0;
                let mut value = 0f64;
                while n < len && text.get(*pos).is_some_and(char::is_ascii_digit) {
                    value = value * 10.0 + (text[*pos] as u32 - '0' as u32) as f64;
                    *pos += 1;
                    n += 1;
                }
                if n < len && ch == 'f' {
                    return Err(bad);
                }
                if n > 0 {
                    f.fraction = value / 10f64.powi(n as i32);
                }
            }
            't' => {
                let (am, pm) = if len == 1 { (&dates.am[..1], &dates.pm[..1]) } else { (dates.am, dates.pm) };
                let mark = match_name(text, pos, &[am, pm]).ok_or(bad.clone())?;
                if f.pm.is_some_and(|old| old != (mark == 1)) {
                    return Err(bad);
                }
                f.pm = Some(mark == 1);
            }
            'z' => {
                let offset = exact_offset(text, pos, len).ok_or(bad.clone())?;
                if f.offset.is_some_and(|old| old != offset) {
                    return Err(bad);
                }
                f.offset = Some(offset);
            }
            'K' => {
                len = 1;
                if text.get(*pos) == Some(&'Z') {
                    *pos += 1;
                    f.offset = Some(0);
                } else if matches!(text.get(*pos), Some('+' | '-')) {
                    f.offset = Some(exact_offset(text, pos, 3).ok_or(bad.clone())?);
                }
            }
            ':' | '/' => {
                len = 1;
                if text.get(*pos) != Some(&ch) {
                    return Err(bad);
                }
                *pos += 1;
            }
            '\'' | '"' => {
                let (literal, used) = quoted_literal(format, i).map_err(|_| DotNetError::BadQuote(ch))?;
                len = used;
                for c in literal.chars() {
                    if text.get(*pos) != Some(&c) {
                        return Err(bad);
                    }
                    *pos += 1;
                }
                // A quoted GMT (as in `r`) or Z (as in `u`) is only text for a DateTime: the value
                // is not converted.
            }
            '%' => {
                match format.get(i + 1) {
                    Some(&next) if next != '%' => exact_walk(text, pos, &[next], culture, f, two_digit_year)?,
                    _ => return Err(DotNetError::BadFormatSpecifier),
                }
                len = 2;
            }
            '\\' => {
                let Some(&next) = format.get(i + 1) else { return Err(DotNetError::BadFormatSpecifier) };
                if text.get(*pos) != Some(&next) {
                    return Err(bad);
                }
                *pos += 1;
                len = 2;
            }
            '.' => {
                len = 1;
                if text.get(*pos) == Some(&'.') {
                    *pos += 1;
                } else if format.get(i + 1) == Some(&'F') {
                    // ".FFF" may be absent altogether.
                    len = 1 + repeat_len(format, i + 1);
                } else {
                    return Err(bad);
                }
            }
            // An unquoted GMT names UTC: the value is converted to local time.
            'G' if format[i..].starts_with(&['G', 'M', 'T']) => {
                len = 3;
                if !text[(*pos).min(text.len())..].starts_with(&['G', 'M', 'T']) {
                    return Err(bad);
                }
                *pos += 3;
                f.offset = Some(0);
            }
            _ => {
                len = 1;
                if text.get(*pos) != Some(&ch) {
                    return Err(bad);
                }
                *pos += 1;
            }
        }
        i += len;
    }
    Ok(())
}

/// ParseTimeZoneOffset: `z`/`zz` read a sign and hours; `zzz` (and `K`) a sign, hours, and
/// minutes after an optional colon.
fn exact_offset(text: &[char], pos: &mut usize, len: usize) -> Option<i64> {
    let sign = match text.get(*pos)? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    *pos += 1;
    let hours = digits(text, pos, if len <= 2 { len } else { 1 })?;
    let mut minutes = 0;
    if len > 2 {
        if text.get(*pos) == Some(&':') {
            *pos += 1;
        }
        minutes = digits(text, pos, 2)?;
    }
    if minutes >= 60 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn paris() -> FixedOffset {
        FixedOffset::east_opt(3600).unwrap()
    }
    fn now() -> DateTime {
        DateTime::from_parts(2026, 12, 1, 8, 30, 0, 0, DateKind::Local).unwrap()
    }
    fn p(text: &str) -> Result<DateTime, DotNetError> {
        parse_in(text, Culture::Invariant, &paris(), now())
    }
    /// The parsed value as `o` prints it.
    fn o(text: &str) -> String {
        let d = p(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        super::super::date_format::format_date_in(d, "o", Culture::Invariant, &paris()).unwrap()
    }

    #[test]
    fn iso_8601() {
        assert_eq!(o("2026-11-21"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("2026-11-21 10:15"), "2026-11-21T10:15:00.0000000");
        assert_eq!(o("2026-11-21T10:15:00"), "2026-11-21T10:15:00.0000000");
        assert_eq!(o("2026-11-21T10:15:00.5"), "2026-11-21T10:15:00.5000000");
        assert_eq!(o("2026-11-21T10:15:00.0012345"), "2026-11-21T10:15:00.0012345");
        // A zone converts to local time (here UTC+1) and makes the value Local.
        assert_eq!(o("2026-11-21T10:15:00Z"), "2026-11-21T11:15:00.0000000+01:00");
        assert_eq!(o("2026-11-21T10:15:00+02:00"), "2026-11-21T09:15:00.0000000+01:00");
        assert_eq!(o("2026-11-21T10:15:00-0500"), "2026-11-21T16:15:00.0000000+01:00");
        assert_eq!(o("2026-11-21T10:15:00.1234567Z"), "2026-11-21T11:15:00.1234567+01:00");
        assert_eq!(o("2026/11/21"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("2026-1-5"), "2026-01-05T00:00:00.0000000");
    }

    #[test]
    fn month_first_numbers() {
        assert_eq!(o("11/21/2026"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("11/21/2026 10:15:00 AM"), "2026-11-21T10:15:00.0000000");
        assert_eq!(o("11/21/2026 10:15 PM"), "2026-11-21T22:15:00.0000000");
        assert_eq!(o("11/21/2026 12:05 AM"), "2026-11-21T00:05:00.0000000");
        assert_eq!(o("11/21/2026 12:05 PM"), "2026-11-21T12:05:00.0000000");
        assert_eq!(o("11-21-2026"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("11.21.2026"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("1/5/26"), "2026-01-05T00:00:00.0000000");
        assert_eq!(o("1/5/30"), "1930-01-05T00:00:00.0000000");
        assert_eq!(o("11/21"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("11/2026"), "2026-11-01T00:00:00.0000000");
        assert_eq!(o("10:15 11/21/2026"), "2026-11-21T10:15:00.0000000");
        assert_eq!(o("  11/21/2026   10:15  "), "2026-11-21T10:15:00.0000000");
    }

    #[test]
    fn month_names() {
        assert_eq!(o("Nov 21, 2026"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("November 21, 2026"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("november 21 2026 10:15"), "2026-11-21T10:15:00.0000000");
        assert_eq!(o("21 November 2026"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("21-Nov-26"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("21 Nov"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("Nov 21"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("Nov 21 10:15"), "2026-11-21T10:15:00.0000000");
        assert_eq!(o("November 2026"), "2026-11-01T00:00:00.0000000");
        assert_eq!(o("2026 November 21"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("Sept. 1, 2026"), "2026-09-01T00:00:00.0000000");
        assert_eq!(o("Saturday, November 21, 2026"), "2026-11-21T00:00:00.0000000");
        assert_eq!(o("Sat, 21 Nov 2026 10:15:00 GMT"), "2026-11-21T11:15:00.0000000+01:00");
        assert_eq!(o("Saturday, November 21, 2026 10:15:30 PM"), "2026-11-21T22:15:30.0000000");
    }

    #[test]
    fn max_value_round_trips_through_its_default_string() {
        let max = DateTime::MAX;
        for culture in [Culture::EnUs, Culture::Invariant] {
            let text = super::super::date_format::date_to_string(max, culture);
            let back = parse_in(&text, culture, &paris(), now()).unwrap();
            assert_eq!(super::super::date_format::date_to_string(back, culture), text);
            let g = super::super::date_format::format_date_in(max, "g", culture, &paris()).unwrap();
            let back = parse_in(&g, culture, &paris(), now()).unwrap();
            assert_eq!(super::super::date_format::format_date_in(back, "g", culture, &paris()).unwrap(), g);
        }
    }

    #[test]
    fn times_alone_are_today() {
        assert_eq!(o("10:15"), "2026-12-01T10:15:00.0000000");
        assert_eq!(o("10:15:30"), "2026-12-01T10:15:30.0000000");
        assert_eq!(o("10 PM"), "2026-12-01T22:00:00.0000000");
        assert_eq!(o("9:05:07.25 am"), "2026-12-01T09:05:07.2500000");
        assert_eq!(p("10:15").unwrap().kind(), DateKind::Unspecified);
    }

    #[test]
    fn refusals() {
        for bad in [
            "",
            "   ",
            "abc",
            "2026",
            "13/1/2026",
            "11/32/2026",
            "25:00",
            "10:60",
            "10:15:60",
            "13:00 PM",
            "11/21/2026 x",
            "2026-11-21T",
            "Nov",
            "10:",
            "11//21/2026",
            "1.5",
            "2026-11-21 10:15 +15:00",
            "10000-01-01",
            "Smarch 1, 2026",
        ] {
            assert_eq!(p(bad), Err(DotNetError::BadDateTime), "{bad:?}");
        }
        assert_eq!(p("2/30/2026"), Err(DotNetError::BadDateTimeCalendar));
        assert_eq!(p("2/29/2026"), Err(DotNetError::BadDateTimeCalendar));
        assert_eq!(
            p("4/31/2026").unwrap_err().to_string(),
            "The DateTime represented by the string is not supported in calendar System.Globalization.GregorianCalendar."
        );
        assert_eq!(p("Friday, November 21, 2026"), Err(DotNetError::BadDayOfWeek));
        // From .NET's tests: junk after a complete value.
        assert_eq!(p("2020-5-7T09:37:00.0000000-07:00c"), Err(DotNetError::BadDateTime));
        assert_eq!(p("2020-5-7T09:37:00.0000000+00:00#"), Err(DotNetError::BadDateTime));
        assert_eq!(p("2020-5-7T09:37:00.0000000+00:00#\0"), Err(DotNetError::BadDateTime));
        assert_eq!(DotNetError::BadDateTime.to_string(), "String was not recognized as a valid DateTime.");
    }

    fn x(text: &str, format: &str) -> Result<DateTime, DotNetError> {
        parse_exact_in(text, &[format], Culture::EnUs, &paris(), now())
    }
    fn xo(text: &str, format: &str) -> String {
        let d = x(text, format).unwrap_or_else(|e| panic!("{text:?} {format:?}: {e}"));
        super::super::date_format::format_date_in(d, "o", Culture::Invariant, &paris()).unwrap()
    }

    #[test]
    fn parse_exact_custom_formats() {
        assert_eq!(xo("2026-11-21", "yyyy-MM-dd"), "2026-11-21T00:00:00.0000000");
        assert_eq!(xo("21/11/2026 10:15", "dd/MM/yyyy HH:mm"), "2026-11-21T10:15:00.0000000");
        assert_eq!(xo("20261121101500", "yyyyMMddHHmmss"), "2026-11-21T10:15:00.0000000");
        assert_eq!(xo("1/5/2026", "M/d/yyyy"), "2026-01-05T00:00:00.0000000");
        assert_eq!(xo("11/5/2026", "M/d/yyyy"), "2026-11-05T00:00:00.0000000");
        assert_eq!(xo("Nov 21 2026", "MMM dd yyyy"), "2026-11-21T00:00:00.0000000");
        assert_eq!(xo("november 21 2026", "MMMM dd yyyy"), "2026-11-21T00:00:00.0000000");
        assert_eq!(xo("Saturday 21 Nov 2026", "dddd dd MMM yyyy"), "2026-11-21T00:00:00.0000000");
        assert_eq!(xo("10:15 PM", "hh:mm tt"), "2026-12-01T22:15:00.0000000");
        assert_eq!(xo("9:15 P", "h:mm t"), "2026-12-01T21:15:00.0000000");
        assert_eq!(xo("26-11-21", "yy-MM-dd"), "2026-11-21T00:00:00.0000000");
        assert_eq!(xo("10:15:30.123", "HH:mm:ss.fff"), "2026-12-01T10:15:30.1230000");
        assert_eq!(xo("10:15:30", "HH:mm:ss.FFF"), "2026-12-01T10:15:30.0000000");
        assert_eq!(xo("10:15:30.5", "HH:mm:ss.FFF"), "2026-12-01T10:15:30.5000000");
        assert_eq!(xo("2026-11-21 +02:00", "yyyy-MM-dd zzz"), "2026-11-20T23:00:00.0000000+01:00");
        assert_eq!(xo("2026", "yyyy"), "2026-01-01T00:00:00.0000000");
        assert_eq!(xo("11", "%M"), "2026-11-01T00:00:00.0000000");
        assert_eq!(xo("Day 21 of 11/2026", "'Day' d 'of' MM/yyyy"), "2026-11-21T00:00:00.0000000");
        assert_eq!(xo("2026x11", "yyyy\\xMM"), "2026-11-01T00:00:00.0000000");
    }

    #[test]
    fn parse_exact_standard_formats() {
        assert_eq!(xo("11/21/2026", "d"), "2026-11-21T00:00:00.0000000");
        assert_eq!(xo("11/21/2026 10:15:00 AM", "G"), "2026-11-21T10:15:00.0000000");
        assert_eq!(xo("2026-11-21T10:15:00", "s"), "2026-11-21T10:15:00.0000000");
        assert_eq!(xo("2026-11-21T10:15:00.1234567Z", "o"), "2026-11-21T11:15:00.1234567+01:00");
        assert_eq!(xo("2026-11-21T10:15:00.1234567", "o"), "2026-11-21T10:15:00.1234567");
        assert_eq!(xo("2026-11-21T10:15:00.0000000+02:00", "o"), "2026-11-21T09:15:00.0000000+01:00");
        // The quoted GMT of `r` and Z of `u` convert nothing for a DateTime (only for a DateTimeOffset).
        assert_eq!(xo("Sat, 21 Nov 2026 10:15:00 GMT", "r"), "2026-11-21T10:15:00.0000000");
        assert_eq!(xo("2026-11-21 10:15:00Z", "u"), "2026-11-21T10:15:00.0000000");
        assert_eq!(xo("Saturday, November 21, 2026 10:15:00 AM", "U"), "2026-11-21T11:15:00.0000000+01:00");
        assert_eq!(xo("10:15 GMT", "HH:mm GMT"), "2026-12-01T11:15:00.0000000+01:00");
        assert_eq!(xo("Saturday, November 21, 2026", "D"), "2026-11-21T00:00:00.0000000");
    }

    #[test]
    fn parse_exact_round_trip_cases_from_dotnet_tests() {
        // Round trip through `o`: no zone stays Unspecified, a zone converts to local time.
        for ticks in [1_234_567_891_234_567_891, 0, super::super::datetime::MAX_TICKS] {
            let d = DateTime::from_ticks(ticks, DateKind::Unspecified).unwrap();
            let text = super::super::date_format::format_date_in(d, "o", Culture::EnUs, &paris()).unwrap();
            let back = x(&text, "o").unwrap();
            assert_eq!((back.ticks, back.kind()), (ticks, DateKind::Unspecified));
        }
        let utc = DateTime::from_ticks(1_234_567_891_234_567_891, DateKind::Utc).unwrap();
        let text = super::super::date_format::format_date_in(utc, "o", Culture::EnUs, &paris()).unwrap();
        let back = x(&text, "o").unwrap();
        assert_eq!(back.kind(), DateKind::Local);
        assert_eq!(back, utc.to_local_time_in(&paris()));
        // A one-digit offset hour is accepted.
        let d = x("2018-07-05T18:36:43.5238523+1:23", "o").unwrap();
        assert_eq!(d.to_universal_time_in(&paris()).ticks, 636_664_076_235_238_523);
        for bad in [
            " 2018-07-05T18:36:43.5238523",
            "2018-07-05T18:36:43.5238523 ",
            "2018-07-05T18:36:43.5238523 Z",
            "201-07-05T18:36:43.5238523",
            "20181-07-05T18:36:43.5238523",
            "2018-7-05T18:36:43.5238523",
            "2018-07-05T8:36:43.5238523",
            "2018-07-05T18:06:03.238523",
            "2018-07-05T18:36:43.15238523",
            "2018-07-05T18:36:43.5238523+001:00",
            "2018-07-05T18:36:43.5238523+01:0",
            "2018-07-05T18:36:43.5238523+01:000",
            "2018=07-05T18:36:43.5238523",
            "2018-07-05A18:36:43.5238523",
            "2018-07-05T18:36:43,5238523",
            "2018-07-05T18:36:43.5238523,00:00",
            "2018-07-05T18:36:43.5238523+00;00",
            "2018-07-05T18:36:43.523852a",
        ] {
            assert!(x(bad, "o").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn parse_exact_refusals() {
        assert_eq!(x("2026-11-21 ", "yyyy-MM-dd"), Err(DotNetError::BadDateTime));
        assert_eq!(x(" 2026-11-21", "yyyy-MM-dd"), Err(DotNetError::BadDateTime));
        assert_eq!(x("26-11-21", "yyyy-MM-dd"), Err(DotNetError::BadDateTime));
        assert_eq!(x("2026-1-21", "yyyy-MM-dd"), Err(DotNetError::BadDateTime));
        assert_eq!(x("2026-13-01", "yyyy-MM-dd"), Err(DotNetError::BadDateTime));
        assert_eq!(x("2026-02-30", "yyyy-MM-dd"), Err(DotNetError::BadDateTimeCalendar));
        assert_eq!(x("Friday 21 Nov 2026", "dddd dd MMM yyyy"), Err(DotNetError::BadDayOfWeek));
        assert_eq!(x("10:15:30.12", "HH:mm:ss.fff"), Err(DotNetError::BadDateTime));
        assert_eq!(x("13:00 PM", "hh:mm tt"), Err(DotNetError::BadDateTime));
        assert_eq!(x("2026", ""), Err(DotNetError::BadFormatSpecifier));
        assert_eq!(x("2026", "Q"), Err(DotNetError::BadFormatSpecifier));
        assert_eq!(x("2026", "yyyy%"), Err(DotNetError::BadFormatSpecifier));
        assert_eq!(x("2026", "yyyy'"), Err(DotNetError::BadQuote('\'')));
        assert_eq!(x("2026-2026", "yyyy-yyyy"), Ok(DateTime::from_ymd(2026, 1, 1).unwrap()));
        assert_eq!(x("2026-2027", "yyyy-yyyy"), Err(DotNetError::BadDateTime));
        assert_eq!(
            parse_exact_in("21.11.2026", &["yyyy-MM-dd", "dd.MM.yyyy"], Culture::EnUs, &paris(), now()),
            Ok(DateTime::from_ymd(2026, 11, 21).unwrap())
        );
        assert_eq!(
            parse_exact_in("x", &["yyyy-MM-dd", "dd.MM.yyyy"], Culture::EnUs, &paris(), now()),
            Err(DotNetError::BadDateTime)
        );
    }

    #[test]
    fn formatted_dates_parse_back() {
        let d = DateTime::from_parts(2026, 3, 4, 17, 5, 9, 0, DateKind::Unspecified).unwrap();
        for f in ["d", "D", "f", "F", "g", "G", "s", "t", "T", "M", "y", "MM/dd/yyyy HH:mm:ss", "dddd, dd MMMM yyyy"] {
            let text = super::super::date_format::format_date_in(d, f, Culture::EnUs, &paris()).unwrap();
            let back = p(&text).unwrap_or_else(|e| panic!("{f}: {text:?}: {e}"));
            let exact = x(&text, f).unwrap_or_else(|e| panic!("{f}: {text:?}: {e}"));
            assert_eq!(back, exact, "{f}: {text:?}");
        }
    }

    #[test]
    fn random_texts_never_panic() {
        let mut rng = super::super::test_rng::Rng::new(11);
        let alphabet: Vec<char> = "0123456789/-:.,+ TZAPMNovSatGyMdhHmsfFtzK'\"\\%x\u{e9}".chars().collect();
        for _ in 0..20_000 {
            let s = rng.string(&alphabet, 18);
            let _ = p(&s);
            let f = rng.string(&alphabet, 8);
            let _ = x(&s, &f);
        }
        for _ in 0..5_000 {
            let f = rng.string(&"yMdHhmsft:/- ".chars().collect::<Vec<_>>(), 10);
            let ticks = (rng.next() % (super::super::datetime::MAX_TICKS as u64)) as i64;
            let d = DateTime::from_ticks(ticks, DateKind::Unspecified).unwrap();
            if let Ok(text) = super::super::date_format::format_date_in(d, &f, Culture::EnUs, &paris()) {
                let _ = x(&text, &f);
            }
        }
    }
}
