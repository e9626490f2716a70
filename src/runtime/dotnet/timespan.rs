//! System.TimeSpan: a signed count of 100-nanosecond ticks, with .NET Framework 4.x's arithmetic
//! (whole-millisecond rounding in `FromDays` and friends), its `ToString` forms (`c`, `g`, `G` and
//! custom formats) and `TimeSpan.Parse`, whose accepted forms and errors follow timespanparse.cs.

use super::error::DotNetError;

pub const TICKS_PER_MILLISECOND: i64 = 10_000;
pub const TICKS_PER_SECOND: i64 = 10_000_000;
pub const TICKS_PER_MINUTE: i64 = 600_000_000;
pub const TICKS_PER_HOUR: i64 = 36_000_000_000;
pub const TICKS_PER_DAY: i64 = 864_000_000_000;

/// A .NET TimeSpan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TimeSpan {
    pub ticks: i64,
}

impl TimeSpan {
    pub const ZERO: TimeSpan = TimeSpan { ticks: 0 };
    pub const MIN: TimeSpan = TimeSpan { ticks: i64::MIN };
    pub const MAX: TimeSpan = TimeSpan { ticks: i64::MAX };

    pub const fn from_ticks(ticks: i64) -> TimeSpan {
        TimeSpan { ticks }
    }

    /// `new TimeSpan(days, hours, minutes, seconds, milliseconds)`: any field may be negative or
    /// exceed its range; only the total must fit.
    pub fn from_parts(
        days: i32,
        hours: i32,
        minutes: i32,
        seconds: i32,
        milliseconds: i32,
    ) -> Result<Self, DotNetError> {
        let total_ms = (days as i64 * 3600 * 24 + hours as i64 * 3600 + minutes as i64 * 60 + seconds as i64) * 1000
            + milliseconds as i64;
        if !(i64::MIN / TICKS_PER_MILLISECOND..=i64::MAX / TICKS_PER_MILLISECOND).contains(&total_ms) {
            return Err(DotNetError::out_of_range_unnamed("TimeSpan overflowed because the duration is too long."));
        }
        Ok(TimeSpan { ticks: total_ms * TICKS_PER_MILLISECOND })
    }

    /// `new TimeSpan(hours, minutes, seconds)`.
    pub fn from_hms(hours: i32, minutes: i32, seconds: i32) -> Result<Self, DotNetError> {
        let total = hours as i64 * 3600 + minutes as i64 * 60 + seconds as i64;
        if !(i64::MIN / TICKS_PER_SECOND..=i64::MAX / TICKS_PER_SECOND).contains(&total) {
            return Err(DotNetError::out_of_range_unnamed("TimeSpan overflowed because the duration is too long."));
        }
        Ok(TimeSpan { ticks: total * TICKS_PER_SECOND })
    }

    pub fn ticks(self) -> i64 {
        self.ticks
    }
    pub fn days(self) -> i32 {
        (self.ticks / TICKS_PER_DAY) as i32
    }
    pub fn hours(self) -> i32 {
        ((self.ticks / TICKS_PER_HOUR) % 24) as i32
    }
    pub fn minutes(self) -> i32 {
        ((self.ticks / TICKS_PER_MINUTE) % 60) as i32
    }
    pub fn seconds(self) -> i32 {
        ((self.ticks / TICKS_PER_SECOND) % 60) as i32
    }
    pub fn milliseconds(self) -> i32 {
        ((self.ticks / TICKS_PER_MILLISECOND) % 1000) as i32
    }

    // .NET multiplies by the reciprocal (DaysPerTick = 1.0 / TicksPerDay), which can differ in the
    // last bit from a division: the same expression keeps the same digits.
    pub fn total_days(self) -> f64 {
        self.ticks as f64 * (1.0 / TICKS_PER_DAY as f64)
    }
    pub fn total_hours(self) -> f64 {
        self.ticks as f64 * (1.0 / TICKS_PER_HOUR as f64)
    }
    pub fn total_minutes(self) -> f64 {
        self.ticks as f64 * (1.0 / TICKS_PER_MINUTE as f64)
    }
    pub fn total_seconds(self) -> f64 {
        self.ticks as f64 * (1.0 / TICKS_PER_SECOND as f64)
    }
    pub fn total_milliseconds(self) -> f64 {
        let ms = self.ticks as f64 * (1.0 / TICKS_PER_MILLISECOND as f64);
        let max = (i64::MAX / TICKS_PER_MILLISECOND) as f64;
        let min = (i64::MIN / TICKS_PER_MILLISECOND) as f64;
        ms.clamp(min, max)
    }

    /// .NET Framework's TimeSpan.Interval: the value is rounded to whole milliseconds, half away
    /// from zero (`FromSeconds(0.0005)` is one millisecond, `FromDays(1.0/3)` is 08:00:00).
    fn interval(value: f64, scale: f64) -> Result<TimeSpan, DotNetError> {
        if value.is_nan() {
            return Err(DotNetError::TimeSpanNaN);
        }
        let millis = value * scale + if value >= 0.0 { 0.5 } else { -0.5 };
        if millis > (i64::MAX / TICKS_PER_MILLISECOND) as f64 || millis < (i64::MIN / TICKS_PER_MILLISECOND) as f64 {
            return Err(DotNetError::TimeSpanTooLong);
        }
        Ok(TimeSpan { ticks: (millis as i64) * TICKS_PER_MILLISECOND })
    }
    pub fn from_days(value: f64) -> Result<TimeSpan, DotNetError> {
        Self::interval(value, 86_400_000.0)
    }
    pub fn from_hours(value: f64) -> Result<TimeSpan, DotNetError> {
        Self::interval(value, 3_600_000.0)
    }
    pub fn from_minutes(value: f64) -> Result<TimeSpan, DotNetError> {
        Self::interval(value, 60_000.0)
    }
    pub fn from_seconds(value: f64) -> Result<TimeSpan, DotNetError> {
        Self::interval(value, 1000.0)
    }
    pub fn from_milliseconds(value: f64) -> Result<TimeSpan, DotNetError> {
        Self::interval(value, 1.0)
    }

    pub fn add_span(self, other: TimeSpan) -> Result<TimeSpan, DotNetError> {
        self.ticks.checked_add(other.ticks).map(TimeSpan::from_ticks).ok_or(DotNetError::TimeSpanTooLong)
    }
    pub fn subtract_span(self, other: TimeSpan) -> Result<TimeSpan, DotNetError> {
        self.ticks.checked_sub(other.ticks).map(TimeSpan::from_ticks).ok_or(DotNetError::TimeSpanTooLong)
    }
    pub fn negate(self) -> Result<TimeSpan, DotNetError> {
        self.ticks.checked_neg().map(TimeSpan::from_ticks).ok_or(DotNetError::NegateTwosComplement)
    }
    pub fn duration(self) -> Result<TimeSpan, DotNetError> {
        self.ticks.checked_abs().map(TimeSpan::from_ticks).ok_or(DotNetError::Duration)
    }

    /// The parts every format works from: the sign, and the magnitudes of the day count and of
    /// the hour, minute, second and 7-digit fraction within the day.
    fn parts(self) -> (bool, i64, i64, i64, i64, i64) {
        let negative = self.ticks < 0;
        let day = (self.ticks / TICKS_PER_DAY).unsigned_abs() as i64;
        let time = (self.ticks % TICKS_PER_DAY).unsigned_abs() as i64;
        (
            negative,
            day,
            time / TICKS_PER_HOUR % 24,
            time / TICKS_PER_MINUTE % 60,
            time / TICKS_PER_SECOND % 60,
            time % TICKS_PER_SECOND,
        )
    }

    /// `ToString()`: the constant format, `[-][d.]hh:mm:ss[.fffffff]`.
    pub fn to_dotnet_string(self) -> String {
        let (negative, day, h, m, s, f) = self.parts();
        let mut out = String::new();
        if negative {
            out.push('-');
        }
        if day != 0 {
            out.push_str(&format!("{day}."));
        }
        out.push_str(&format!("{h:02}:{m:02}:{s:02}"));
        if f != 0 {
            out.push_str(&format!(".{f:07}"));
        }
        out
    }

    /// `ToString(format)` with the en-US culture (whose separators equal the invariant ones):
    /// `c`/`t`/`T`, `g`, `G`, or a custom format.
    pub fn format(self, format: &str) -> Result<String, DotNetError> {
        let chars: Vec<char> = format.chars().collect();
        match chars.as_slice() {
            [] | ['c' | 't' | 'T'] => Ok(self.to_dotnet_string()),
            ['g'] => Ok(self.format_general(false)),
            ['G'] => Ok(self.format_general(true)),
            [_] => Err(DotNetError::InvalidString),
            _ => self.format_custom(&chars),
        }
    }

    /// `g` is `[-][d:]h:mm:ss[.FFFFFFF]`, `G` is `[-]d:hh:mm:ss.fffffff`.
    fn format_general(self, long: bool) -> String {
        let (negative, day, h, m, s, f) = self.parts();
        let mut out = String::new();
        if negative {
            out.push('-');
        }
        if long || day != 0 {
            out.push_str(&format!("{day}:"));
        }
        if long {
            out.push_str(&format!("{h:02}:{m:02}:{s:02}.{f:07}"));
        } else {
            out.push_str(&format!("{h}:{m:02}:{s:02}"));
            let trimmed = format!("{f:07}");
            let trimmed = trimmed.trim_end_matches('0');
            if !trimmed.is_empty() {
                out.push('.');
                out.push_str(trimmed);
            }
        }
        out
    }

    /// Custom formats: d..dddddddd, h/hh, m/mm, s/ss, f..fffffff, F..FFFFFFF, quoted literals, `\c`
    /// and `%c`. Any other character is an error (a custom TimeSpan format has no free literals and
    /// never prints the sign).
    fn format_custom(self, format: &[char]) -> Result<String, DotNetError> {
        let (_, day, h, m, s, f) = self.parts();
        let mut out = String::new();
        let mut i = 0;
        while i < format.len() {
            let ch = format[i];
            let len = repeat_len(format, i);
            match ch {
                'h' | 'm' | 's' => {
                    if len > 2 {
                        return Err(DotNetError::InvalidString);
                    }
                    let v = match ch {
                        'h' => h,
                        'm' => m,
                        _ => s,
                    };
                    out.push_str(&pad(v, len));
                    i += len;
                }
                'f' => {
                    if len > 7 {
                        return Err(DotNetError::InvalidString);
                    }
                    out.push_str(&pad(f / 10i64.pow(7 - len as u32), len));
                    i += len;
                }
                'F' => {
                    if len > 7 {
                        return Err(DotNetError::InvalidString);
                    }
                    let digits = pad(f / 10i64.pow(7 - len as u32), len);
                    out.push_str(digits.trim_end_matches('0'));
                    i += len;
                }
                'd' => {
                    if len > 8 {
                        return Err(DotNetError::InvalidString);
                    }
                    out.push_str(&pad(day, len));
                    i += len;
                }
                '\'' | '"' => {
                    let (text, used) = quoted_literal(format, i)?;
                    out.push_str(&text);
                    i += used;
                }
                '%' => match format.get(i + 1) {
                    Some(&next) if next != '%' => {
                        out.push_str(&self.format_custom(&[next])?);
                        i += 2;
                    }
                    _ => return Err(DotNetError::InvalidString),
                },
                '\\' => match format.get(i + 1) {
                    Some(&next) => {
                        out.push(next);
                        i += 2;
                    }
                    None => return Err(DotNetError::InvalidString),
                },
                _ => return Err(DotNetError::InvalidString),
            }
        }
        Ok(out)
    }

    /// `TimeSpan.Parse(text)` (also what PowerShell's `[timespan]"..."` calls, with the invariant
    /// culture, whose forms are the en-US ones).
    pub fn parse(text: &str) -> Result<TimeSpan, DotNetError> {
        parse::parse(text)
    }

    /// `TimeSpan.TryParse`.
    pub fn try_parse(text: &str) -> Option<TimeSpan> {
        parse::parse(text).ok()
    }
}

/// How many times the character at `i` repeats from `i` on.
pub(crate) fn repeat_len(format: &[char], i: usize) -> usize {
    format[i..].iter().take_while(|&&c| c == format[i]).count()
}

/// `value` with at least `len` digits.
fn pad(value: i64, len: usize) -> String {
    format!("{value:0len$}")
}

/// The text of a quoted literal starting at `start` (a `'` or `"`), where `\` escapes the next
/// character, and how many format characters it used. An unclosed quote is .NET's Format_BadQuote.
pub(crate) fn quoted_literal(format: &[char], start: usize) -> Result<(String, usize), DotNetError> {
    let quote = format[start];
    let mut text = String::new();
    let mut i = start + 1;
    loop {
        match format.get(i) {
            None => return Err(DotNetError::BadQuote(quote)),
            Some(&c) if c == quote => return Ok((text, i + 1 - start)),
            Some('\\') => match format.get(i + 1) {
                Some(&next) => {
                    text.push(next);
                    i += 2;
                }
                None => return Err(DotNetError::InvalidString),
            },
            Some(&c) => {
                text.push(c);
                i += 1;
            }
        }
    }
}

mod parse {
    //! TimeSpan.Parse: the text is cut into numbers and the separator runs between them, and the
    //! separators must spell one of the invariant or en-US forms exactly (timespanparse.cs).

    use super::{DotNetError, TICKS_PER_MILLISECOND, TimeSpan};

    const MAX_DAYS: i64 = 10_675_199;
    const MAX_FRACTION: i64 = 9_999_999;

    #[derive(Clone, Copy, Default)]
    struct Num {
        value: i64,
        /// Leading zeros (counted while the value is still zero), which scale a fraction.
        zeroes: u32,
    }

    impl Num {
        fn invalid(self, max: i64, fraction: bool) -> bool {
            if self.value > max {
                return true;
            }
            if !fraction {
                return false;
            }
            if self.zeroes > 7 {
                return true;
            }
            if self.value == 0 || self.zeroes == 0 {
                return false;
            }
            self.value >= max / 10i64.pow(self.zeroes - 1)
        }
    }

    /// Which field each number of a form fills.
    #[derive(Clone, Copy)]
    enum Field {
        D,
        H,
        M,
        S,
        F,
    }

    pub(super) fn parse(text: &str) -> Result<TimeSpan, DotNetError> {
        // String.Trim: Unicode white space, as Rust's trim.
        let text = text.trim();
        if text.is_empty() {
            return Err(DotNetError::BadTimeSpan);
        }
        let chars: Vec<char> = text.chars().collect();
        let mut seps: Vec<String> = Vec::new();
        let mut nums: Vec<Num> = Vec::new();
        let mut i = 0;
        let mut last_was_num = false;
        while i < chars.len() {
            if chars[i] == '\0' {
                return Err(DotNetError::BadTimeSpan);
            }
            if chars[i].is_ascii_digit() {
                let mut num = Num::default();
                while i < chars.len() && chars[i].is_ascii_digit() {
                    if num.value & 0xF000_0000 != 0 {
                        return Err(DotNetError::TimeSpanElementTooLarge);
                    }
                    num.value = num.value * 10 + (chars[i] as i64 - '0' as i64);
                    if num.value == 0 {
                        num.zeroes += 1;
                    }
                    if num.value > i32::MAX as i64 {
                        return Err(DotNetError::TimeSpanElementTooLarge);
                    }
                    i += 1;
                }
                if !last_was_num && seps.is_empty() {
                    seps.push(String::new());
                }
                nums.push(num);
                last_was_num = true;
            } else {
                let start = i;
                while i < chars.len() && !chars[i].is_ascii_digit() && chars[i] != '\0' {
                    i += 1;
                }
                seps.push(chars[start..i].iter().collect());
                last_was_num = false;
            }
            if seps.len() > 6 || nums.len() > 5 || seps.len() + nums.len() > 11 {
                return Err(DotNetError::BadTimeSpan);
            }
        }
        if last_was_num {
            seps.push(String::new());
        }
        if seps.len() != nums.len() + 1 {
            return Err(DotNetError::BadTimeSpan);
        }
        use Field::*;
        // The forms in the order .NET tries them, invariant (`d.h:m:s.f`) before localized
        // (`d:h:m:s.f`), positive before negative; "A" is the app-compat literal ":.".
        let forms: &[(&[&str], &[Field])] = match nums.len() {
            1 => &[(&["", ""], &[D])],
            2 => &[(&["", ":", ""], &[H, M])],
            3 => &[
                (&["", ":", ":", ""], &[H, M, S]),
                (&["", ".", ":", ""], &[D, H, M]),
                (&["", ":", ":.", ""], &[H, M, F]),
            ],
            4 => &[
                (&["", ":", ":", ".", ""], &[H, M, S, F]),
                (&["", ".", ":", ":", ""], &[D, H, M, S]),
                (&["", ".", ":", ":.", ""], &[D, H, M, F]),
            ],
            5 => &[(&["", ".", ":", ":", ".", ""], &[D, H, M, S, F])],
            _ => return Err(DotNetError::BadTimeSpan),
        };
        let mut overflow = false;
        for localized in [false, true] {
            for negative in [false, true] {
                for (literals, fields) in forms {
                    let mut expected: Vec<&str> = literals.to_vec();
                    if negative {
                        expected[0] = "-";
                    }
                    if localized {
                        // en-US's full pattern d':'h':'mm':'ss'.'FFFFFFF separates the days with ':'.
                        if fields.len() < 2 || !matches!(fields[0], D) {
                            continue;
                        }
                        expected[1] = ":";
                    }
                    if seps.iter().map(String::as_str).ne(expected.iter().copied()) {
                        continue;
                    }
                    match to_ticks(negative, &nums, fields) {
                        Some(ticks) => return Ok(TimeSpan::from_ticks(ticks)),
                        None => overflow = true,
                    }
                }
            }
            // The localized forms without days are the invariant ones again: already tried.
        }
        Err(if overflow { DotNetError::TimeSpanElementTooLarge } else { DotNetError::BadTimeSpan })
    }

    fn to_ticks(negative: bool, nums: &[Num], fields: &[Field]) -> Option<i64> {
        let (mut d, mut h, mut m, mut s, mut f) =
            (Num::default(), Num::default(), Num::default(), Num::default(), Num::default());
        for (num, field) in nums.iter().zip(fields) {
            match field {
                Field::D => d = *num,
                Field::H => h = *num,
                Field::M => m = *num,
                Field::S => s = *num,
                Field::F => f = *num,
            }
        }
        if d.invalid(MAX_DAYS, false)
            || h.invalid(23, false)
            || m.invalid(59, false)
            || s.invalid(59, false)
            || f.invalid(MAX_FRACTION, true)
        {
            return None;
        }
        let ms = ((d.value * 3600 * 24) + h.value * 3600 + m.value * 60 + s.value) * 1000;
        if !(i64::MIN / TICKS_PER_MILLISECOND..=i64::MAX / TICKS_PER_MILLISECOND).contains(&ms) {
            return None;
        }
        let mut fraction = f.value;
        if fraction != 0 {
            let mut lower = 1_000_000i64;
            if f.zeroes > 0 {
                lower /= 10i64.pow(f.zeroes);
            }
            while fraction < lower {
                fraction *= 10;
            }
        }
        // .NET lets the sum wrap and then checks the sign.
        let ticks = (ms * TICKS_PER_MILLISECOND).wrapping_add(fraction);
        if !negative {
            return (ticks >= 0).then_some(ticks);
        }
        let ticks = ticks.wrapping_neg();
        (ticks <= 0).then_some(ticks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(d: i32, h: i32, m: i32, s: i32, ms: i32) -> TimeSpan {
        TimeSpan::from_parts(d, h, m, s, ms).unwrap()
    }

    #[test]
    fn components_truncate_toward_zero() {
        let t = ts(1, 2, 3, 4, 5);
        assert_eq!((t.days(), t.hours(), t.minutes(), t.seconds(), t.milliseconds()), (1, 2, 3, 4, 5));
        let n = t.negate().unwrap();
        assert_eq!((n.days(), n.hours(), n.minutes(), n.seconds(), n.milliseconds()), (-1, -2, -3, -4, -5));
        assert_eq!(ts(0, 36, 0, 0, 0).days(), 1);
        assert_eq!(ts(0, 36, 0, 0, 0).hours(), 12);
    }

    #[test]
    fn totals() {
        assert_eq!(ts(0, 36, 0, 0, 0).total_days(), 1.5);
        assert_eq!(ts(0, 1, 30, 0, 0).total_hours(), 1.5);
        assert_eq!(ts(0, 0, 1, 30, 0).total_minutes(), 1.5);
        assert_eq!(ts(0, 0, 0, 1, 500).total_seconds(), 1.5);
        assert_eq!(TimeSpan::from_ticks(15_000).total_milliseconds(), 1.5);
        assert_eq!(TimeSpan::MAX.total_milliseconds(), 922337203685477.0);
        assert_eq!(TimeSpan::MIN.total_milliseconds(), -922337203685477.0);
    }

    #[test]
    fn from_units_round_to_milliseconds() {
        assert_eq!(TimeSpan::from_days(1.5).unwrap().to_dotnet_string(), "1.12:00:00");
        assert_eq!(TimeSpan::from_seconds(0.0005).unwrap().ticks, 10_000);
        assert_eq!(TimeSpan::from_seconds(0.0004).unwrap().ticks, 0);
        assert_eq!(TimeSpan::from_seconds(-0.0005).unwrap().ticks, -10_000);
        assert_eq!(TimeSpan::from_milliseconds(1.5).unwrap().ticks, 20_000);
        assert_eq!(TimeSpan::from_days(1.0 / 3.0).unwrap().to_dotnet_string(), "08:00:00");
        assert_eq!(TimeSpan::from_hours(1.0 / 7.0).unwrap().to_dotnet_string(), "00:08:34.2860000");
        assert_eq!(TimeSpan::from_minutes(-90.0).unwrap().to_dotnet_string(), "-01:30:00");
        assert_eq!(TimeSpan::from_days(f64::NAN), Err(DotNetError::TimeSpanNaN));
        assert_eq!(TimeSpan::from_days(1e300), Err(DotNetError::TimeSpanTooLong));
        assert_eq!(TimeSpan::from_days(f64::INFINITY), Err(DotNetError::TimeSpanTooLong));
        assert_eq!(TimeSpan::from_days(f64::NEG_INFINITY), Err(DotNetError::TimeSpanTooLong));
    }

    #[test]
    fn negate_and_duration_of_min_value() {
        assert_eq!(TimeSpan::MIN.negate(), Err(DotNetError::NegateTwosComplement));
        assert_eq!(TimeSpan::MIN.duration(), Err(DotNetError::Duration));
        assert_eq!(ts(0, -1, 0, 0, 0).duration().unwrap(), ts(0, 1, 0, 0, 0));
        assert_eq!(TimeSpan::MAX.add_span(TimeSpan::from_ticks(1)), Err(DotNetError::TimeSpanTooLong));
    }

    #[test]
    fn constant_format() {
        assert_eq!(TimeSpan::ZERO.to_dotnet_string(), "00:00:00");
        assert_eq!(ts(0, 0, 30, 0, 0).to_dotnet_string(), "00:30:00");
        assert_eq!(ts(1, 2, 3, 4, 5).to_dotnet_string(), "1.02:03:04.0050000");
        assert_eq!(ts(-1, -2, -3, -4, -5).to_dotnet_string(), "-1.02:03:04.0050000");
        assert_eq!(TimeSpan::MAX.to_dotnet_string(), "10675199.02:48:05.4775807");
        assert_eq!(TimeSpan::MIN.to_dotnet_string(), "-10675199.02:48:05.4775808");
        assert_eq!(TimeSpan::from_ticks(1).to_dotnet_string(), "00:00:00.0000001");
        assert_eq!(ts(0, 0, 0, 0, 0).format("c").unwrap(), "00:00:00");
        assert_eq!(ts(3, 17, 25, 30, 500).format("t").unwrap(), "3.17:25:30.5000000");
    }

    #[test]
    fn general_formats() {
        // From .NET's "Standard TimeSpan format strings" page (en-US).
        let t = ts(1, 3, 16, 50, 500);
        assert_eq!(t.format("c").unwrap(), "1.03:16:50.5000000");
        assert_eq!(t.format("g").unwrap(), "1:3:16:50.5");
        assert_eq!(t.format("G").unwrap(), "1:03:16:50.5000000");
        let t = ts(0, 3, 16, 50, 599);
        assert_eq!(t.format("g").unwrap(), "3:16:50.599");
        assert_eq!(t.format("G").unwrap(), "0:03:16:50.5990000");
        let t = ts(-1, -3, -16, -50, -500);
        assert_eq!(t.format("g").unwrap(), "-1:3:16:50.5");
        assert_eq!(t.format("G").unwrap(), "-1:03:16:50.5000000");
        assert_eq!(TimeSpan::ZERO.format("g").unwrap(), "0:00:00");
        assert_eq!(TimeSpan::ZERO.format("G").unwrap(), "0:00:00:00.0000000");
    }

    #[test]
    fn custom_formats() {
        let t = ts(6, 14, 32, 17, 685);
        assert_eq!(t.format(r"hh\:mm\:ss").unwrap(), "14:32:17");
        assert_eq!(t.format(r"%d").unwrap(), "6");
        assert_eq!(t.format("dd").unwrap(), "06");
        assert_eq!(t.format("dddddddd").unwrap(), "00000006");
        assert_eq!(t.format("%h").unwrap(), "14");
        assert_eq!(t.format("%m").unwrap(), "32");
        assert_eq!(t.format("%s").unwrap(), "17");
        assert_eq!(t.format("fff").unwrap(), "685");
        assert_eq!(t.format("%f").unwrap(), "6");
        assert_eq!(t.format("fffffff").unwrap(), "6850000");
        assert_eq!(t.format("FFFFFFF").unwrap(), "685");
        assert_eq!(t.format("%F").unwrap(), "6");
        assert_eq!(t.format(r"d\.hh\:mm\:ss\.FFF").unwrap(), "6.14:32:17.685");
        assert_eq!(t.format(r"d'.'hh':'mm").unwrap(), "6.14:32");
        assert_eq!(t.format("dd\"days\"").unwrap(), "06days");
        assert_eq!(ts(0, 0, 0, 0, 0).format("FF").unwrap(), "");
        assert_eq!(ts(0, 0, 0, 1, 100).format(r"ss\.FF").unwrap(), "01.1");
        // A custom format never prints the sign.
        assert_eq!(ts(0, -1, -2, 0, 0).format(r"hh\:mm").unwrap(), "01:02");
        assert_eq!(ts(0, -1, -2, 0, 0).format(r"\-hh\:mm").unwrap(), "-01:02");
    }

    #[test]
    fn invalid_custom_formats() {
        let t = ts(1, 2, 3, 4, 5);
        for bad in ["hh:mm", "hhh", "ffffffff", "FFFFFFFF", "ddddddddd", "x", "d ", r"hh\", "%", "%%", "hh%", "y"] {
            assert_eq!(t.format(bad), Err(DotNetError::InvalidString), "{bad}");
        }
        assert_eq!(t.format("'abc"), Err(DotNetError::BadQuote('\'')));
        assert_eq!(t.format("hh\"x"), Err(DotNetError::BadQuote('"')));
    }

    #[test]
    fn parse_forms() {
        let p = |s: &str| TimeSpan::parse(s).unwrap().to_dotnet_string();
        assert_eq!(p("1.02:03:04.5"), "1.02:03:04.5000000");
        assert_eq!(p("00:30:00"), "00:30:00");
        assert_eq!(p("30"), "30.00:00:00");
        assert_eq!(p("-1:00"), "-01:00:00");
        assert_eq!(p(" 6 "), "6.00:00:00");
        assert_eq!(p("6:12"), "06:12:00");
        assert_eq!(p("6:12:14"), "06:12:14");
        assert_eq!(p("6.12:14"), "6.12:14:00");
        assert_eq!(p("6:12:14:45"), "6.12:14:45");
        assert_eq!(p("6.12:14:45"), "6.12:14:45");
        assert_eq!(p("6:12:14:45.3448"), "6.12:14:45.3448000");
        assert_eq!(p("6.12:14:45.3448"), "6.12:14:45.3448000");
        assert_eq!(p("12:14:45.3448"), "12:14:45.3448000");
        assert_eq!(p("10:20:.5"), "10:20:00.5000000");
        assert_eq!(p("1.10:20:.05"), "1.10:20:00.0500000");
        assert_eq!(p("0:0:0.0000001"), "00:00:00.0000001");
        assert_eq!(p("0:0:0.01"), "00:00:00.0100000");
        assert_eq!(p("-1.02:03:04.5"), "-1.02:03:04.5000000");
        assert_eq!(p("10675199.02:48:05.4775807"), "10675199.02:48:05.4775807");
        assert_eq!(p("0023:0059"), "23:59:00");
    }

    #[test]
    fn parse_errors() {
        for bad in [
            "",
            "   ",
            "abc",
            "1:",
            ":1",
            "1::2",
            "- 1",
            "1 :00",
            "1.2.3",
            "1:2:3:4:5:6",
            "1,5",
            "+1",
            "1:2:3.4.5",
            "1:a",
        ] {
            assert_eq!(TimeSpan::parse(bad), Err(DotNetError::BadTimeSpan), "{bad:?}");
        }
        for big in ["24:00", "0:60", "0:0:60", "10675200", "1:2:3.12345678", "99999999999"] {
            assert_eq!(TimeSpan::parse(big), Err(DotNetError::TimeSpanElementTooLarge), "{big:?}");
        }
        assert_eq!(TimeSpan::try_parse("24:00"), None);
        assert_eq!(TimeSpan::try_parse("1:00").map(|t| t.ticks), Some(TICKS_PER_HOUR));
    }

    #[test]
    fn parse_cases_from_dotnet_tests() {
        // Valid inputs of .NET's TimeSpan parse tests, each also negated.
        let valid: &[(&str, i64)] = &[
            ("       12:24:02", 446_420_000_000),
            ("12:24:02      ", 446_420_000_000),
            ("0", 0),
            ("12:24", 446_400_000_000),
            ("12.03:04", 12 * TICKS_PER_DAY + 3 * TICKS_PER_HOUR + 4 * 600_000_000),
            ("12:24:02.01", 446_420_100_000),
            ("1:1:1.0", 36_610_000_000),
            ("1:1:1.0000000", 36_610_000_000),
            ("1:1:1.1", 36_611_000_000),
            ("1:1:1.01", 36_610_100_000),
            ("1:1:1.0001", 36_610_001_000),
            ("1:1:1.0000001", 36_610_000_001),
            ("1:12:24:02", TICKS_PER_DAY + 446_420_000_000),
            ("01.23:45:.67", TICKS_PER_DAY + 23 * TICKS_PER_HOUR + 45 * 600_000_000 + 6_700_000),
            ("1:1:.1", 36_601_000_000),
            ("1:1:.0000001", 36_600_000_001),
            ("1:2:.3", TICKS_PER_HOUR + 2 * 600_000_000 + 3_000_000),
            ("1:2:3:.4", TICKS_PER_DAY + 2 * TICKS_PER_HOUR + 3 * 600_000_000 + 4_000_000),
            ("10675199", 9_223_371_936_000_000_000),
            ("10675199:02:48:05", 9_223_372_036_850_000_000),
            ("10675199:02:48:05.4775", 9_223_372_036_854_775_000),
            // Hours past 23 make the form d:h:m.
            ("24:00:00", 24 * TICKS_PER_DAY),
        ];
        for (text, ticks) in valid {
            assert_eq!(TimeSpan::parse(text), Ok(TimeSpan::from_ticks(*ticks)), "{text:?}");
            if !text.starts_with(' ') {
                assert_eq!(TimeSpan::parse(&format!("-{text}")), Ok(TimeSpan::from_ticks(-ticks)), "-{text:?}");
            }
        }
        for bad in [
            "-",
            "garbage",
            "12/12/12",
            "00:",
            "00:00:-01",
            "\u{0}12:34:56",
            "1\u{0}2:34:56",
            "00:00::00",
            "00:00:00:",
            "00:00:00:00:00:00:00:00",
        ] {
            assert_eq!(TimeSpan::parse(bad), Err(DotNetError::BadTimeSpan), "{bad:?}");
        }
        for big in [
            "1:1:1.99999999",
            "2147483647",
            "2147483648",
            "10675200:00:00",
            "10675199:03:00:00",
            "10675199:02:49:00",
            "10675199:02:48:06",
            "-10675199:02:48:06",
            "10675199:02:48:05.4776",
            "-10675199:02:48:05.4776",
            "00:00:60",
            "00:60:00",
        ] {
            assert_eq!(TimeSpan::parse(big), Err(DotNetError::TimeSpanElementTooLarge), "{big:?}");
        }
    }

    #[test]
    fn random_texts_never_panic() {
        let mut rng = super::super::test_rng::Rng::new(9);
        let alphabet: Vec<char> = "0123456789:.-+ ,x\u{a0}\u{0}9".chars().collect();
        for _ in 0..20_000 {
            let s = rng.string(&alphabet, 14);
            if let Ok(t) = TimeSpan::parse(&s) {
                // Whatever parses prints back as something that parses to the same value.
                assert_eq!(TimeSpan::parse(&t.to_dotnet_string()), Ok(t), "{s:?}");
            }
            let f = rng.string(&"dhmsfF%\\'\":.x ".chars().collect::<Vec<_>>(), 10);
            let _ = TimeSpan::from_ticks(rng.next() as i64).format(&f);
        }
    }
}
