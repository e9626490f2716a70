//! Dates, times and sizes: System.DateTime as ticks, TimeSpan text, and
//! Exchange's ByteQuantifiedSize text.

use super::text::group_thousands;

pub const TICKS_PER_SECOND: i64 = 10_000_000;
/// Ticks from 0001-01-01 to 1970-01-01.
pub const UNIX_EPOCH_TICKS: i64 = 621_355_968_000_000_000;

use crate::runtime::dotnet::culture::Culture;
use crate::runtime::dotnet::date_format::{date_to_string, format_date};
pub use crate::runtime::dotnet::datetime::{DateKind, DateTime};

/// What the shell needs of System.DateTime beyond .NET's own members.
impl DateTime {
    pub fn from_unix(secs: i64, kind: DateKind) -> DateTime {
        DateTime { ticks: UNIX_EPOCH_TICKS + secs * TICKS_PER_SECOND, kind }
    }

    pub fn from_civil(y: i64, m: u32, d: u32, h: u32, mi: u32, s: u32, kind: DateKind) -> DateTime {
        DateTime::from_unix(unix_from_civil(y, m, d, h, mi, s), kind)
    }

    pub fn unix_secs(&self) -> i64 {
        (self.ticks - UNIX_EPOCH_TICKS).div_euclid(TICKS_PER_SECOND)
    }

    /// (year, month, day, hour, minute, second)
    pub fn civil_fields(&self) -> (i64, u32, u32, u32, u32, u32) {
        civil_from_unix(self.unix_secs())
    }

    /// Ticks within the second (for milliseconds and fractions).
    pub fn sub_second_ticks(&self) -> i64 {
        (self.ticks - UNIX_EPOCH_TICKS).rem_euclid(TICKS_PER_SECOND)
    }

    /// `MM/dd/yyyy HH:mm:ss`: PowerShell's culture-invariant string form.
    pub fn invariant_text(&self) -> String {
        date_to_string(*self, Culture::Invariant)
    }

    /// `M/d/yyyy h:mm:ss tt`: en-US's general form, as tables show dates.
    pub fn display_text(&self) -> String {
        format_date(*self, "G", Culture::EnUs).unwrap_or_else(|_| self.invariant_text())
    }
}

/// `hh:mm:ss`, or `d.hh:mm:ss` past a day, as .NET's TimeSpan prints.
pub fn format_timespan(secs: i64) -> String {
    format_timespan_ticks(secs.saturating_mul(TICKS_PER_SECOND))
}

/// `[-][d.]hh:mm:ss[.fffffff]`
pub fn format_timespan_ticks(ticks: i64) -> String {
    crate::runtime::dotnet::timespan::TimeSpan { ticks }.to_dotnet_string()
}

/// `M/d/yyyy h:mm:ss tt`, the en-US form PowerShell prints.
pub fn format_datetime(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil_from_unix(t);
    let (h12, ampm) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    format!("{mo}/{d}/{y} {h12}:{mi:02}:{s:02} {ampm}")
}

/// `yyyyMMddHHmmss`, as transcripts stamp their start and end.
pub fn format_compact_datetime(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil_from_unix(t);
    format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}")
}

/// Days-from-civil inverse (Howard Hinnant's algorithm), UTC.
pub fn civil_from_unix(t: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = t.div_euclid(86400);
    let rem = t.rem_euclid(86400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (y, m, d, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32)
}

/// Seconds since the epoch for a civil date (UTC).
pub fn unix_from_civil(y: i64, m: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86400 + h as i64 * 3600 + mi as i64 * 60 + s as i64
}

/// Exchange's ByteQuantifiedSize text: `0 B (0 bytes)`, `10 MB (10,485,760 bytes)`.
pub fn format_bytes(b: u64) -> String {
    let units = [("TB", 1u64 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)];
    let head = units
        .iter()
        .find(|(_, size)| b >= *size)
        .map(|(unit, size)| {
            let v = b as f64 / *size as f64;
            format!("{} {unit}", super::text::format_double((v * 100.0).round() / 100.0))
        })
        .unwrap_or_else(|| format!("{b} B"));
    format!("{head} ({} bytes)", group_thousands(b))
}

pub use crate::store::now_unix;
