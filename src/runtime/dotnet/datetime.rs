//! System.DateTime: 100-nanosecond ticks since 0001-01-01T00:00:00 plus a kind, with .NET Framework
//! 4.x's calendar arithmetic (proleptic Gregorian, 0001..9999), its rounding of fractional `Add*`
//! arguments to whole milliseconds, `AddMonths`' end-of-month clamping and its exception texts.
//!
//! The local time zone is the system's, read by chrono's `Local` (the TZ variable, else
//! /etc/localtime; UTC when neither names a zone). Conversions also take any `chrono::TimeZone`, so
//! callers and tests can name a zone.

use super::error::DotNetError;
use super::timespan::{
    TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MILLISECOND, TICKS_PER_MINUTE, TICKS_PER_SECOND, TimeSpan,
};
use chrono::{Offset, TimeZone};
use std::cmp::Ordering;

/// DateTimeKind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DateKind {
    #[default]
    Unspecified,
    Utc,
    Local,
}

/// DayOfWeek, numbered as .NET numbers it (Sunday = 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayOfWeek {
    Sunday = 0,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
}

impl DayOfWeek {
    pub fn from_number(n: u32) -> DayOfWeek {
        [
            DayOfWeek::Sunday,
            DayOfWeek::Monday,
            DayOfWeek::Tuesday,
            DayOfWeek::Wednesday,
            DayOfWeek::Thursday,
            DayOfWeek::Friday,
            DayOfWeek::Saturday,
        ][(n % 7) as usize]
    }
    /// The enum's name, which is also the en-US day name (`Monday`).
    pub fn name(self) -> &'static str {
        super::date_format::DAY_NAMES[self as usize]
    }
}

pub const MAX_TICKS: i64 = DAYS_TO_10000 * TICKS_PER_DAY - 1;
const DAYS_TO_10000: i64 = 3_652_059;
const MAX_MILLIS: i64 = DAYS_TO_10000 * 86_400_000;
/// Ticks of 1970-01-01T00:00:00.
pub const UNIX_EPOCH_TICKS: i64 = 621_355_968_000_000_000;
const DAYS_TO_MONTH_365: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
const DAYS_TO_MONTH_366: [i64; 13] = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366];

/// A .NET DateTime. Equality and order compare the ticks only, as .NET does (a UTC and a local
/// value with the same ticks are equal).
#[derive(Debug, Clone, Copy, Default)]
pub struct DateTime {
    pub ticks: i64,
    pub kind: DateKind,
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.ticks == other.ticks
    }
}
impl Eq for DateTime {}
impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.ticks.cmp(&other.ticks)
    }
}
impl std::hash::Hash for DateTime {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.ticks.hash(state)
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn arithmetic_error(param: &'static str) -> DotNetError {
    DotNetError::out_of_range(param, "The added or subtracted value results in an un-representable DateTime.")
}

/// Days from 0001-01-01 to the given date, which must be valid.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let table = if is_leap(year) { &DAYS_TO_MONTH_366 } else { &DAYS_TO_MONTH_365 };
    let y = year - 1;
    y * 365 + y / 4 - y / 100 + y / 400 + table[(month - 1) as usize] + day - 1
}

impl DateTime {
    pub const MIN: DateTime = DateTime { ticks: 0, kind: DateKind::Unspecified };
    pub const MAX: DateTime = DateTime { ticks: MAX_TICKS, kind: DateKind::Unspecified };

    /// `new DateTime(ticks, kind)`.
    pub fn from_ticks(ticks: i64, kind: DateKind) -> Result<DateTime, DotNetError> {
        if !(0..=MAX_TICKS).contains(&ticks) {
            return Err(DotNetError::out_of_range(
                "ticks",
                "Ticks must be between DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks.",
            ));
        }
        Ok(DateTime { ticks, kind })
    }

    /// `new DateTime(year, month, day)`.
    pub fn from_ymd(year: i32, month: i32, day: i32) -> Result<DateTime, DotNetError> {
        Self::from_parts(year, month, day, 0, 0, 0, 0, DateKind::Unspecified)
    }

    /// `new DateTime(year, month, day, hour, minute, second, millisecond, kind)`.
    #[allow(clippy::too_many_arguments)]
    pub fn from_parts(
        year: i32,
        month: i32,
        day: i32,
        hour: i32,
        minute: i32,
        second: i32,
        millisecond: i32,
        kind: DateKind,
    ) -> Result<DateTime, DotNetError> {
        if !(0..1000).contains(&millisecond) {
            return Err(DotNetError::range("millisecond", 0, 999));
        }
        let date = Self::date_ticks(year, month, day)?;
        if !(0..24).contains(&hour) || !(0..60).contains(&minute) || !(0..60).contains(&second) {
            return Err(DotNetError::out_of_range_unnamed(
                "Hour, Minute, and Second parameters describe an un-representable DateTime.",
            ));
        }
        let time = hour as i64 * TICKS_PER_HOUR + minute as i64 * TICKS_PER_MINUTE + second as i64 * TICKS_PER_SECOND;
        Ok(DateTime { ticks: date + time + millisecond as i64 * TICKS_PER_MILLISECOND, kind })
    }

    fn date_ticks(year: i32, month: i32, day: i32) -> Result<i64, DotNetError> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in(year as i64, month as i64) as i32;
        if !valid {
            return Err(DotNetError::out_of_range_unnamed(
                "Year, Month, and Day parameters describe an un-representable DateTime.",
            ));
        }
        Ok(days_from_civil(year as i64, month as i64, day as i64) * TICKS_PER_DAY)
    }

    /// The date fields (year, month, day) of these ticks.
    fn civil(&self) -> (i32, i32, i32) {
        let mut n = self.ticks / TICKS_PER_DAY;
        let y400 = n / 146_097;
        n -= y400 * 146_097;
        let mut y100 = n / 36_524;
        if y100 == 4 {
            y100 = 3;
        }
        n -= y100 * 36_524;
        let y4 = n / 1461;
        n -= y4 * 1461;
        let mut y1 = n / 365;
        if y1 == 4 {
            y1 = 3;
        }
        n -= y1 * 365;
        let year = y400 * 400 + y100 * 100 + y4 * 4 + y1 + 1;
        let table = if is_leap(year) { &DAYS_TO_MONTH_366 } else { &DAYS_TO_MONTH_365 };
        let mut month = 1;
        while n >= table[month] {
            month += 1;
        }
        (year as i32, month as i32, (n - table[month - 1] + 1) as i32)
    }

    pub fn kind(&self) -> DateKind {
        self.kind
    }
    /// `DateTime.SpecifyKind`.
    pub fn with_kind(self, kind: DateKind) -> DateTime {
        DateTime { ticks: self.ticks, kind }
    }
    pub fn year(&self) -> i32 {
        self.civil().0
    }
    pub fn month(&self) -> i32 {
        self.civil().1
    }
    pub fn day(&self) -> i32 {
        self.civil().2
    }
    pub fn hour(&self) -> i32 {
        (self.ticks / TICKS_PER_HOUR % 24) as i32
    }
    pub fn minute(&self) -> i32 {
        (self.ticks / TICKS_PER_MINUTE % 60) as i32
    }
    pub fn second(&self) -> i32 {
        (self.ticks / TICKS_PER_SECOND % 60) as i32
    }
    pub fn millisecond(&self) -> i32 {
        (self.ticks / TICKS_PER_MILLISECOND % 1000) as i32
    }
    /// The 7-digit fraction of the second (what `fffffff` prints).
    pub fn fraction_ticks(&self) -> i64 {
        self.ticks % TICKS_PER_SECOND
    }
    pub fn day_of_week(&self) -> DayOfWeek {
        DayOfWeek::from_number(((self.ticks / TICKS_PER_DAY + 1) % 7) as u32)
    }
    /// 1..366.
    pub fn day_of_year(&self) -> i32 {
        let (y, _, _) = self.civil();
        (self.ticks / TICKS_PER_DAY - days_from_civil(y as i64, 1, 1) + 1) as i32
    }
    /// The date at midnight, same kind.
    pub fn date(&self) -> DateTime {
        DateTime { ticks: self.ticks - self.ticks % TICKS_PER_DAY, kind: self.kind }
    }
    pub fn time_of_day(&self) -> TimeSpan {
        TimeSpan::from_ticks(self.ticks % TICKS_PER_DAY)
    }

    pub fn add_ticks(self, value: i64) -> Result<DateTime, DotNetError> {
        if value > MAX_TICKS - self.ticks || value < -self.ticks {
            return Err(arithmetic_error("value"));
        }
        Ok(DateTime { ticks: self.ticks + value, kind: self.kind })
    }
    pub fn add_span(self, span: TimeSpan) -> Result<DateTime, DotNetError> {
        self.add_ticks(span.ticks)
    }
    pub fn subtract_span(self, span: TimeSpan) -> Result<DateTime, DotNetError> {
        let ticks = self.ticks as i128 - span.ticks as i128;
        if !(0..=MAX_TICKS as i128).contains(&ticks) {
            return Err(arithmetic_error("value"));
        }
        Ok(DateTime { ticks: ticks as i64, kind: self.kind })
    }
    /// `a - b`: a TimeSpan, kinds ignored.
    pub fn subtract(self, other: DateTime) -> TimeSpan {
        TimeSpan::from_ticks(self.ticks - other.ticks)
    }

    /// .NET Framework's `Add(double value, int scale)`: rounded to whole milliseconds, half away
    /// from zero (.NET Core keeps ticks; 4.x does not).
    fn add_scaled(self, value: f64, scale: f64) -> Result<DateTime, DotNetError> {
        let millis = value * scale + if value >= 0.0 { 0.5 } else { -0.5 };
        // (long)NaN and (long)±Infinity are Int64.MinValue on .NET: out of range.
        if !millis.is_finite() || millis <= -(MAX_MILLIS as f64) || millis >= MAX_MILLIS as f64 {
            return Err(DotNetError::out_of_range("value", "Value to add was out of range."));
        }
        let millis = millis as i64;
        if millis <= -MAX_MILLIS || millis >= MAX_MILLIS {
            return Err(DotNetError::out_of_range("value", "Value to add was out of range."));
        }
        self.add_ticks(millis * TICKS_PER_MILLISECOND)
    }
    pub fn add_milliseconds(self, value: f64) -> Result<DateTime, DotNetError> {
        self.add_scaled(value, 1.0)
    }
    pub fn add_seconds(self, value: f64) -> Result<DateTime, DotNetError> {
        self.add_scaled(value, 1000.0)
    }
    pub fn add_minutes(self, value: f64) -> Result<DateTime, DotNetError> {
        self.add_scaled(value, 60_000.0)
    }
    pub fn add_hours(self, value: f64) -> Result<DateTime, DotNetError> {
        self.add_scaled(value, 3_600_000.0)
    }
    pub fn add_days(self, value: f64) -> Result<DateTime, DotNetError> {
        self.add_scaled(value, 86_400_000.0)
    }

    /// Same day of month, clamped to the last day of the target month (Jan 31 + 1 month = Feb 28/29).
    pub fn add_months(self, months: i32) -> Result<DateTime, DotNetError> {
        if !(-120_000..=120_000).contains(&months) {
            return Err(DotNetError::out_of_range("months", "Months value must be between +/-120000."));
        }
        let (y, m, d) = self.civil();
        let i = m as i64 - 1 + months as i64;
        let (year, month) =
            if i >= 0 { (y as i64 + i / 12, i % 12 + 1) } else { (y as i64 + (i - 11) / 12, 12 + (i + 1) % 12) };
        if !(1..=9999).contains(&year) {
            return Err(arithmetic_error("months"));
        }
        let day = (d as i64).min(days_in(year, month));
        Ok(DateTime {
            ticks: days_from_civil(year, month, day) * TICKS_PER_DAY + self.ticks % TICKS_PER_DAY,
            kind: self.kind,
        })
    }

    pub fn add_years(self, years: i32) -> Result<DateTime, DotNetError> {
        if !(-10_000..=10_000).contains(&years) {
            return Err(DotNetError::out_of_range("years", "Years value must be between +/-10000."));
        }
        self.add_months(years * 12)
    }

    /// What `Get-Date -Year -Month -Day -Hour -Minute -Second -Millisecond` of PowerShell 5.1
    /// does to the date: each given field is reached by adding the difference (AddYears,
    /// AddMonths, AddDays..., so `-Month 2` on January 31 lands on February 28), in that order;
    /// `-Millisecond` also drops the ticks below the millisecond.
    #[allow(clippy::too_many_arguments)]
    pub fn with_get_date_fields(
        self,
        year: Option<i32>,
        month: Option<i32>,
        day: Option<i32>,
        hour: Option<i32>,
        minute: Option<i32>,
        second: Option<i32>,
        millisecond: Option<i32>,
    ) -> Result<DateTime, DotNetError> {
        let mut d = self;
        if let Some(y) = year {
            d = d.add_years(y - d.year())?;
        }
        if let Some(m) = month {
            d = d.add_months(m - d.month())?;
        }
        if let Some(v) = day {
            d = d.add_days((v - d.day()) as f64)?;
        }
        if let Some(v) = hour {
            d = d.add_hours((v - d.hour()) as f64)?;
        }
        if let Some(v) = minute {
            d = d.add_minutes((v - d.minute()) as f64)?;
        }
        if let Some(v) = second {
            d = d.add_seconds((v - d.second()) as f64)?;
        }
        if let Some(v) = millisecond {
            d = d.add_milliseconds((v - d.millisecond()) as f64)?;
            d = d.subtract_span(TimeSpan::from_ticks(d.ticks % TICKS_PER_MILLISECOND))?;
        }
        Ok(d)
    }

    /// `DateTime.DaysInMonth(year, month)`.
    pub fn days_in_month(year: i32, month: i32) -> Result<i32, DotNetError> {
        if !(1..=12).contains(&month) {
            return Err(DotNetError::out_of_range("month", "Month must be between one and twelve."));
        }
        if !(1..=9999).contains(&year) {
            return Err(DotNetError::out_of_range("year", "Year must be between 1 and 9999."));
        }
        Ok(days_in(year as i64, month as i64) as i32)
    }

    /// `DateTime.IsLeapYear(year)`.
    pub fn is_leap_year(year: i32) -> Result<bool, DotNetError> {
        if !(1..=9999).contains(&year) {
            return Err(DotNetError::out_of_range("year", "Year must be between 1 and 9999."));
        }
        Ok(is_leap(year as i64))
    }

    /// `DateTime.Compare`: -1, 0 or 1.
    pub fn compare(a: DateTime, b: DateTime) -> i32 {
        match a.ticks.cmp(&b.ticks) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }
    }

    /// `DateTimeOffset.FromUnixTimeSeconds(s).UtcDateTime`.
    pub fn from_unix_seconds(seconds: i64) -> Result<DateTime, DotNetError> {
        const MIN: i64 = -62_135_596_800;
        const MAX: i64 = 253_402_300_799;
        if !(MIN..=MAX).contains(&seconds) {
            return Err(DotNetError::range("seconds", MIN, MAX));
        }
        Ok(DateTime { ticks: seconds * TICKS_PER_SECOND + UNIX_EPOCH_TICKS, kind: DateKind::Utc })
    }

    /// `DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime`.
    pub fn from_unix_milliseconds(milliseconds: i64) -> Result<DateTime, DotNetError> {
        const MIN: i64 = -62_135_596_800_000;
        const MAX: i64 = 253_402_300_799_999;
        if !(MIN..=MAX).contains(&milliseconds) {
            return Err(DotNetError::range("milliseconds", MIN, MAX));
        }
        Ok(DateTime { ticks: milliseconds * TICKS_PER_MILLISECOND + UNIX_EPOCH_TICKS, kind: DateKind::Utc })
    }

    /// `new DateTimeOffset(this).ToUnixTimeSeconds()`: a local or unspecified value is first
    /// taken as local time; the result is floored, as .NET floors.
    pub fn to_unix_seconds(self) -> i64 {
        (self.to_universal_time().ticks / TICKS_PER_SECOND) - UNIX_EPOCH_TICKS / TICKS_PER_SECOND
    }

    /// `new DateTimeOffset(this).ToUnixTimeMilliseconds()`.
    pub fn to_unix_milliseconds(self) -> i64 {
        (self.to_universal_time().ticks / TICKS_PER_MILLISECOND) - UNIX_EPOCH_TICKS / TICKS_PER_MILLISECOND
    }

    /// `DateTime.UtcNow`.
    pub fn utc_now() -> DateTime {
        let now = chrono::Utc::now();
        let ticks = UNIX_EPOCH_TICKS + now.timestamp() * TICKS_PER_SECOND + now.timestamp_subsec_nanos() as i64 / 100;
        DateTime { ticks, kind: DateKind::Utc }
    }

    /// `DateTime.Now`: the system's local time.
    pub fn now() -> DateTime {
        Self::utc_now().to_local_time()
    }

    /// `DateTime.Today`.
    pub fn today() -> DateTime {
        Self::now().date()
    }

    /// `ToUniversalTime()` with the system's zone.
    pub fn to_universal_time(self) -> DateTime {
        self.to_universal_time_in(&chrono::Local)
    }

    /// `ToLocalTime()` with the system's zone.
    pub fn to_local_time(self) -> DateTime {
        self.to_local_time_in(&chrono::Local)
    }

    /// `ToUniversalTime()` where `zone` is the local zone: an unspecified value is taken as local.
    /// A wall time that occurs twice is taken in standard time (the smaller offset) and one that is
    /// skipped by a clock change gets the offset in force before it, as .NET does; a result past
    /// the range is clamped to it, as .NET clamps.
    pub fn to_universal_time_in<Tz: TimeZone>(self, zone: &Tz) -> DateTime {
        if self.kind == DateKind::Utc {
            return self;
        }
        let offset = local_offset_seconds(zone, self.ticks);
        DateTime { ticks: (self.ticks - offset * TICKS_PER_SECOND).clamp(0, MAX_TICKS), kind: DateKind::Utc }
    }

    /// `ToLocalTime()` where `zone` is the local zone: an unspecified value is taken as UTC.
    pub fn to_local_time_in<Tz: TimeZone>(self, zone: &Tz) -> DateTime {
        if self.kind == DateKind::Local {
            return self;
        }
        let offset = utc_offset_seconds(zone, self.ticks);
        DateTime { ticks: (self.ticks + offset * TICKS_PER_SECOND).clamp(0, MAX_TICKS), kind: DateKind::Local }
    }

    /// The offset from UTC, in seconds, of this value as a local time of the system's zone (what
    /// the `z`, `zz`, `zzz` and `K` formats print for a local or unspecified value).
    pub fn local_offset_seconds(self) -> i64 {
        self.local_offset_seconds_in(&chrono::Local)
    }

    pub fn local_offset_seconds_in<Tz: TimeZone>(self, zone: &Tz) -> i64 {
        local_offset_seconds(zone, self.ticks)
    }

    fn naive(ticks: i64) -> chrono::NaiveDateTime {
        let days = ticks.div_euclid(TICKS_PER_DAY);
        let rest = ticks.rem_euclid(TICKS_PER_DAY);
        let date = chrono::NaiveDate::from_num_days_from_ce_opt(days as i32 + 1).unwrap_or(chrono::NaiveDate::MIN);
        let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(
            (rest / TICKS_PER_SECOND) as u32,
            (rest % TICKS_PER_SECOND * 100) as u32,
        )
        .unwrap_or(chrono::NaiveTime::MIN);
        date.and_time(time)
    }
}

fn days_in(year: i64, month: i64) -> i64 {
    let table = if is_leap(year) { &DAYS_TO_MONTH_366 } else { &DAYS_TO_MONTH_365 };
    table[month as usize] - table[month as usize - 1]
}

/// The zone's offset at the UTC instant `ticks`.
fn utc_offset_seconds<Tz: TimeZone>(zone: &Tz, ticks: i64) -> i64 {
    zone.offset_from_utc_datetime(&DateTime::naive(ticks)).fix().local_minus_utc() as i64
}

/// The zone's offset for the wall time `ticks`.
fn local_offset_seconds<Tz: TimeZone>(zone: &Tz, ticks: i64) -> i64 {
    use chrono::LocalResult;
    match zone.offset_from_local_datetime(&DateTime::naive(ticks)) {
        LocalResult::Single(o) => o.fix().local_minus_utc() as i64,
        LocalResult::Ambiguous(a, b) => (a.fix().local_minus_utc() as i64).min(b.fix().local_minus_utc() as i64),
        // Skipped by a clock change: the offset a day earlier is the one in force before it.
        LocalResult::None => utc_offset_seconds(zone, (ticks - TICKS_PER_DAY).max(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn dt(y: i32, mo: i32, d: i32, h: i32, mi: i32, s: i32) -> DateTime {
        DateTime::from_parts(y, mo, d, h, mi, s, 0, DateKind::Unspecified).unwrap()
    }

    #[test]
    fn fields_round_trip() {
        let d = DateTime::from_parts(2026, 11, 21, 10, 15, 30, 250, DateKind::Local).unwrap();
        assert_eq!(
            (d.year(), d.month(), d.day(), d.hour(), d.minute(), d.second(), d.millisecond()),
            (2026, 11, 21, 10, 15, 30, 250)
        );
        assert_eq!(d.day_of_week(), DayOfWeek::Saturday);
        assert_eq!(d.day_of_week().name(), "Saturday");
        assert_eq!(d.day_of_year(), 325);
        assert_eq!(d.kind(), DateKind::Local);
        assert_eq!(d.date(), dt(2026, 11, 21, 0, 0, 0));
        assert_eq!(d.time_of_day().to_dotnet_string(), "10:15:30.2500000");
        assert_eq!(DateTime::MIN.day_of_week(), DayOfWeek::Monday);
        assert_eq!(dt(1970, 1, 1, 0, 0, 0).ticks, UNIX_EPOCH_TICKS);
        assert_eq!(DateTime::MAX.year(), 9999);
        assert_eq!((DateTime::MAX.month(), DateTime::MAX.day(), DateTime::MAX.millisecond()), (12, 31, 999));
        assert_eq!(dt(2024, 12, 31, 0, 0, 0).day_of_year(), 366);
        assert_eq!(dt(2000, 2, 29, 0, 0, 0).day(), 29);
        assert_eq!(dt(1900, 3, 1, 0, 0, 0).day_of_year(), 60);
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = dt(1600, 1, 1, 0, 0, 0).ticks / TICKS_PER_DAY;
        for n in start..start + 146_097 {
            let d = DateTime::from_ticks(n * TICKS_PER_DAY, DateKind::Unspecified).unwrap();
            assert_eq!(DateTime::from_ymd(d.year(), d.month(), d.day()).unwrap(), d);
        }
    }

    #[test]
    fn constructor_errors() {
        assert_eq!(
            DateTime::from_ymd(2026, 2, 29).unwrap_err().to_string(),
            "Year, Month, and Day parameters describe an un-representable DateTime."
        );
        assert!(DateTime::from_ymd(0, 1, 1).is_err());
        assert!(DateTime::from_ymd(10000, 1, 1).is_err());
        assert_eq!(
            DateTime::from_parts(2026, 1, 1, 24, 0, 0, 0, DateKind::Utc).unwrap_err().to_string(),
            "Hour, Minute, and Second parameters describe an un-representable DateTime."
        );
        assert_eq!(
            DateTime::from_parts(2026, 1, 1, 0, 0, 0, 1000, DateKind::Utc).unwrap_err().to_string(),
            "Valid values are between 0 and 999, inclusive.\nParameter name: millisecond"
        );
        assert_eq!(
            DateTime::from_ticks(-1, DateKind::Utc).unwrap_err().to_string(),
            "Ticks must be between DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks.\nParameter name: ticks"
        );
    }

    #[test]
    fn fractional_additions_round_to_milliseconds() {
        let d = dt(2026, 1, 1, 0, 0, 0);
        assert_eq!(d.add_days(1.5).unwrap(), dt(2026, 1, 2, 12, 0, 0));
        assert_eq!(d.add_days(-7.0).unwrap(), dt(2025, 12, 25, 0, 0, 0));
        assert_eq!(d.add_hours(0.25).unwrap(), dt(2026, 1, 1, 0, 15, 0));
        assert_eq!(d.add_seconds(0.0004).unwrap(), d);
        assert_eq!(d.add_seconds(0.0005).unwrap().ticks - d.ticks, TICKS_PER_MILLISECOND);
        assert_eq!(d.add_milliseconds(-0.5).unwrap().ticks - d.ticks, -TICKS_PER_MILLISECOND);
        assert_eq!(d.add_days(1.0 / 3.0).unwrap(), dt(2026, 1, 1, 8, 0, 0));
        assert_eq!(d.add_minutes(1.0 / 7.0).unwrap().ticks - d.ticks, 85_710_000);
        assert_eq!(d.add_ticks(5).unwrap().ticks - d.ticks, 5);
    }

    #[test]
    fn addition_errors() {
        let value_error = "Value to add was out of range.\nParameter name: value";
        let arithmetic =
            "The added or subtracted value results in an un-representable DateTime.\nParameter name: value";
        assert_eq!(DateTime::MAX.add_days(1.0).unwrap_err().to_string(), arithmetic);
        assert_eq!(DateTime::MIN.add_ticks(-1).unwrap_err().to_string(), arithmetic);
        assert_eq!(DateTime::MIN.add_days(1e10).unwrap_err().to_string(), value_error);
        assert_eq!(DateTime::MIN.add_days(f64::NAN).unwrap_err().to_string(), value_error);
        assert_eq!(DateTime::MIN.add_days(f64::INFINITY).unwrap_err().to_string(), value_error);
        assert!(DateTime::MIN.add_span(TimeSpan::MIN).is_err());
        assert!(DateTime::MAX.subtract_span(TimeSpan::MIN).is_err());
        assert_eq!(DateTime::MAX.subtract_span(TimeSpan::from_ticks(MAX_TICKS)).unwrap(), DateTime::MIN);
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        assert_eq!(dt(2026, 1, 31, 9, 0, 0).add_months(1).unwrap(), dt(2026, 2, 28, 9, 0, 0));
        assert_eq!(dt(2024, 1, 31, 0, 0, 0).add_months(1).unwrap(), dt(2024, 2, 29, 0, 0, 0));
        assert_eq!(dt(2026, 3, 31, 0, 0, 0).add_months(-1).unwrap(), dt(2026, 2, 28, 0, 0, 0));
        assert_eq!(dt(2026, 1, 15, 0, 0, 0).add_months(-1).unwrap(), dt(2025, 12, 15, 0, 0, 0));
        assert_eq!(dt(2026, 1, 15, 0, 0, 0).add_months(-12).unwrap(), dt(2025, 1, 15, 0, 0, 0));
        assert_eq!(dt(2026, 1, 15, 0, 0, 0).add_months(-13).unwrap(), dt(2024, 12, 15, 0, 0, 0));
        assert_eq!(dt(2026, 12, 15, 0, 0, 0).add_months(1).unwrap(), dt(2027, 1, 15, 0, 0, 0));
        assert_eq!(dt(2024, 2, 29, 0, 0, 0).add_years(1).unwrap(), dt(2025, 2, 28, 0, 0, 0));
        assert_eq!(dt(2024, 2, 29, 0, 0, 0).add_years(4).unwrap(), dt(2028, 2, 29, 0, 0, 0));
        assert_eq!(
            dt(2026, 1, 1, 0, 0, 0).add_years(8000).unwrap_err().to_string(),
            "The added or subtracted value results in an un-representable DateTime.\nParameter name: months"
        );
        assert_eq!(
            dt(2026, 1, 1, 0, 0, 0).add_years(10001).unwrap_err().to_string(),
            "Years value must be between +/-10000.\nParameter name: years"
        );
        assert_eq!(
            dt(2026, 1, 1, 0, 0, 0).add_months(120001).unwrap_err().to_string(),
            "Months value must be between +/-120000.\nParameter name: months"
        );
    }

    #[test]
    fn get_date_fields() {
        let d = DateTime::from_parts(2026, 1, 31, 10, 20, 30, 400, DateKind::Local).unwrap().add_ticks(1234).unwrap();
        let same = d.with_get_date_fields(None, None, None, None, None, None, None).unwrap();
        assert_eq!(same.ticks, d.ticks);
        let feb = d.with_get_date_fields(None, Some(2), None, None, None, None, None).unwrap();
        assert_eq!((feb.month(), feb.day()), (2, 28));
        let all = d.with_get_date_fields(Some(2024), Some(2), Some(29), Some(0), Some(0), Some(0), Some(0)).unwrap();
        assert_eq!(all, dt(2024, 2, 29, 0, 0, 0));
        assert_eq!(all.kind(), DateKind::Local);
        let ms = d.with_get_date_fields(None, None, None, None, None, None, Some(5)).unwrap();
        assert_eq!(ms.ticks % TICKS_PER_SECOND, 5 * TICKS_PER_MILLISECOND);
        // Day 31 of a month with 30 days rolls into the next month, as the additions do.
        let apr = dt(2026, 4, 1, 0, 0, 0).with_get_date_fields(None, None, Some(31), None, None, None, None).unwrap();
        assert_eq!((apr.month(), apr.day()), (5, 1));
    }

    #[test]
    fn calendar_queries() {
        assert_eq!(DateTime::days_in_month(2024, 2), Ok(29));
        assert_eq!(DateTime::days_in_month(2100, 2), Ok(28));
        assert_eq!(DateTime::days_in_month(2026, 4), Ok(30));
        assert_eq!(
            DateTime::days_in_month(2026, 13).unwrap_err().to_string(),
            "Month must be between one and twelve.\nParameter name: month"
        );
        assert_eq!(
            DateTime::days_in_month(0, 1).unwrap_err().to_string(),
            "Year must be between 1 and 9999.\nParameter name: year"
        );
        assert_eq!(DateTime::is_leap_year(2000), Ok(true));
        assert_eq!(DateTime::is_leap_year(1900), Ok(false));
        assert!(DateTime::is_leap_year(10000).is_err());
    }

    #[test]
    fn subtraction_and_comparison() {
        let a = dt(2026, 11, 21, 10, 0, 0);
        let b = dt(2026, 11, 14, 9, 30, 0);
        assert_eq!(a.subtract(b).to_dotnet_string(), "7.00:30:00");
        assert_eq!(b.subtract(a).to_dotnet_string(), "-7.00:30:00");
        assert!(b < a);
        assert_eq!(DateTime::compare(a, b), 1);
        assert_eq!(DateTime::compare(b, a), -1);
        // Kinds do not take part in equality.
        assert_eq!(a.with_kind(DateKind::Utc), a.with_kind(DateKind::Local));
    }

    #[test]
    fn unix_time() {
        assert_eq!(DateTime::from_unix_seconds(0).unwrap(), dt(1970, 1, 1, 0, 0, 0));
        assert_eq!(DateTime::from_unix_seconds(0).unwrap().kind(), DateKind::Utc);
        assert_eq!(DateTime::from_unix_seconds(1_700_000_000).unwrap(), dt(2023, 11, 14, 22, 13, 20));
        assert_eq!(DateTime::from_unix_seconds(-62_135_596_800).unwrap(), DateTime::MIN);
        assert_eq!(
            DateTime::from_unix_seconds(253_402_300_800).unwrap_err().to_string(),
            "Valid values are between -62135596800 and 253402300799, inclusive.\nParameter name: seconds"
        );
        assert_eq!(DateTime::from_unix_milliseconds(1500).unwrap().millisecond(), 500);
        let utc = dt(2023, 11, 14, 22, 13, 20).with_kind(DateKind::Utc);
        assert_eq!(utc.to_unix_seconds(), 1_700_000_000);
        assert_eq!(utc.add_milliseconds(-1.0).unwrap().to_unix_seconds(), 1_699_999_999);
        assert_eq!(utc.to_unix_milliseconds(), 1_700_000_000_000);
        assert_eq!(
            dt(1969, 12, 31, 23, 59, 59).with_kind(DateKind::Utc).add_milliseconds(500.0).unwrap().to_unix_seconds(),
            -1
        );
    }

    #[test]
    fn zone_conversions() {
        let paris = FixedOffset::east_opt(3600).unwrap();
        let noon_utc = dt(2026, 11, 21, 12, 0, 0).with_kind(DateKind::Utc);
        let local = noon_utc.to_local_time_in(&paris);
        assert_eq!((local.hour(), local.kind()), (13, DateKind::Local));
        assert_eq!(local.to_universal_time_in(&paris), noon_utc);
        assert_eq!(local.to_universal_time_in(&paris).kind(), DateKind::Utc);
        // Unspecified is local for ToUniversalTime and UTC for ToLocalTime.
        let plain = dt(2026, 11, 21, 12, 0, 0);
        assert_eq!(plain.to_universal_time_in(&paris).hour(), 11);
        assert_eq!(plain.to_local_time_in(&paris).hour(), 13);
        // Same kind: unchanged.
        assert_eq!(local.to_local_time_in(&paris), local);
        assert_eq!(noon_utc.to_universal_time_in(&paris), noon_utc);
        // Clamped at the ends of the range.
        assert_eq!(DateTime::MIN.with_kind(DateKind::Local).to_universal_time_in(&paris), DateTime::MIN);
        assert_eq!(DateTime::MAX.to_local_time_in(&paris), DateTime::MAX);
        assert_eq!(local.local_offset_seconds_in(&paris), 3600);
    }

    #[test]
    fn now_is_near_the_system_clock() {
        let now = DateTime::utc_now();
        let system = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        assert!((now.to_unix_seconds() - system).abs() <= 2);
        assert_eq!(DateTime::now().kind(), DateKind::Local);
        assert_eq!(DateTime::today().time_of_day(), TimeSpan::ZERO);
    }
}
