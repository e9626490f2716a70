//! System.DateTime and System.TimeSpan members.

use super::super::errors::Result;
use super::super::value::{DateKind, DateTime, TICKS_PER_SECOND, Value, unix_from_civil};
use super::Call;

const TICKS_PER_MS: i64 = 10_000;
const TICKS_PER_DAY: i64 = 86_400 * TICKS_PER_SECOND;

static DAY_OF_WEEK: super::super::value::EnumDef = super::super::value::EnumDef {
    type_name: "System.DayOfWeek",
    members: &["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};

static DATE_KIND: super::super::value::EnumDef = super::super::value::EnumDef {
    type_name: "System.DateTimeKind",
    members: &["Unspecified", "Utc", "Local"],
};

pub(super) fn date_property(d: &DateTime, name: &str) -> Value {
    let (y, mo, day, h, mi, s) = d.civil();
    match name {
        "year" => Value::Int(y as i32),
        "month" => Value::Int(mo as i32),
        "day" => Value::Int(day as i32),
        "hour" => Value::Int(h as i32),
        "minute" => Value::Int(mi as i32),
        "second" => Value::Int(s as i32),
        "millisecond" => Value::Int((d.sub_second_ticks() / TICKS_PER_MS) as i32),
        "ticks" => Value::Long(d.ticks),
        "dayofweek" => {
            let days = d.ticks.div_euclid(TICKS_PER_DAY);
            // 0001-01-01 was a Monday.
            Value::Enum(&DAY_OF_WEEK, ((days + 1).rem_euclid(7)) as u16)
        }
        "dayofyear" => {
            let jan1 = unix_from_civil(y, 1, 1, 0, 0, 0);
            Value::Int(((d.unix_secs() - jan1) / 86400 + 1) as i32)
        }
        "date" => Value::DateTime(DateTime { ticks: d.ticks - d.ticks.rem_euclid(TICKS_PER_DAY), kind: d.kind }),
        "timeofday" => Value::TimeSpan(d.ticks.rem_euclid(TICKS_PER_DAY)),
        "kind" => Value::Enum(
            &DATE_KIND,
            match d.kind {
                DateKind::Unspecified => 0,
                DateKind::Utc => 1,
                DateKind::Local => 2,
            },
        ),
        // PowerShell's own script property: long date and long time.
        "datetime" => Value::str(super::super::ops::format::format_value(&Value::DateTime(*d), Some("F"))),
        _ => Value::Null,
    }
}

pub(super) fn timespan_property(t: i64, name: &str) -> Value {
    let secs = t / TICKS_PER_SECOND;
    match name {
        "days" => Value::Int((t / TICKS_PER_DAY) as i32),
        "hours" => Value::Int((secs % 86400 / 3600) as i32),
        "minutes" => Value::Int((secs % 3600 / 60) as i32),
        "seconds" => Value::Int((secs % 60) as i32),
        "milliseconds" => Value::Int((t % TICKS_PER_SECOND / TICKS_PER_MS) as i32),
        "ticks" => Value::Long(t),
        "totaldays" => Value::Double(t as f64 / TICKS_PER_DAY as f64),
        "totalhours" => Value::Double(t as f64 / (3600 * TICKS_PER_SECOND) as f64),
        "totalminutes" => Value::Double(t as f64 / (60 * TICKS_PER_SECOND) as f64),
        "totalseconds" => Value::Double(t as f64 / TICKS_PER_SECOND as f64),
        "totalmilliseconds" => Value::Double(t as f64 / TICKS_PER_MS as f64),
        _ => Value::Null,
    }
}

/// Adds months with .NET's clamping to the last day of the month.
pub fn add_months(d: &DateTime, months: i64) -> DateTime {
    let (y, mo, day, _, _, _) = d.civil();
    let total = y * 12 + (mo as i64 - 1) + months;
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    let last = days_in_month(ny, nm);
    let nd = day.min(last);
    let day_start = unix_from_civil(ny, nm, nd, 0, 0, 0);
    let within_day = d.ticks.rem_euclid(TICKS_PER_DAY);
    DateTime::from_unix(day_start, d.kind).with_ticks_added(within_day)
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl DateTime {
    fn with_ticks_added(self, t: i64) -> DateTime {
        DateTime { ticks: self.ticks + t, kind: self.kind }
    }
}

pub(super) fn date_call(d: &DateTime, call: &Call) -> Result<Option<Option<Value>>> {
    let add = |ticks: f64| -> Value { Value::DateTime(d.with_ticks_added(ticks.round() as i64)) };
    let v = match call.lower.as_str() {
        "adddays" => add(call.float(0)? * TICKS_PER_DAY as f64),
        "addhours" => add(call.float(0)? * 3600.0 * TICKS_PER_SECOND as f64),
        "addminutes" => add(call.float(0)? * 60.0 * TICKS_PER_SECOND as f64),
        "addseconds" => add(call.float(0)? * TICKS_PER_SECOND as f64),
        "addmilliseconds" => add(call.float(0)? * TICKS_PER_MS as f64),
        "addticks" => Value::DateTime(d.with_ticks_added(call.int(0)?)),
        "addmonths" => Value::DateTime(add_months(d, call.int(0)?)),
        "addyears" => Value::DateTime(add_months(d, call.int(0)? * 12)),
        "add" => match call.arg(0) {
            Value::TimeSpan(t) => Value::DateTime(d.with_ticks_added(t)),
            _ => return Err(call.no_overload().into()),
        },
        "subtract" => match call.arg(0) {
            Value::TimeSpan(t) => Value::DateTime(d.with_ticks_added(-t)),
            Value::DateTime(o) => Value::TimeSpan(d.ticks - o.ticks),
            _ => return Err(call.no_overload().into()),
        },
        "toshortdatestring" => fmt(d, "d"),
        "tolongdatestring" => fmt(d, "D"),
        "toshorttimestring" => fmt(d, "t"),
        "tolongtimestring" => fmt(d, "T"),
        "touniversaltime" => Value::DateTime(DateTime { ticks: d.ticks, kind: DateKind::Utc }),
        "tolocaltime" => Value::DateTime(DateTime { ticks: d.ticks, kind: DateKind::Local }),
        "tofiletime" | "tofiletimeutc" => Value::Long(d.ticks - 504_911_232_000_000_000),
        "isdaylightsavingtime" => Value::Bool(false),
        _ => return Ok(None),
    };
    Ok(Some(Some(v)))
}

fn fmt(d: &DateTime, f: &str) -> Value {
    Value::str(super::super::ops::format::format_value(&Value::DateTime(*d), Some(f)))
}

pub(super) fn timespan_call(t: i64, call: &Call) -> Result<Option<Option<Value>>> {
    let v = match call.lower.as_str() {
        "add" => match call.arg(0) {
            Value::TimeSpan(o) => Value::TimeSpan(t + o),
            _ => return Err(call.no_overload().into()),
        },
        "subtract" => match call.arg(0) {
            Value::TimeSpan(o) => Value::TimeSpan(t - o),
            _ => return Err(call.no_overload().into()),
        },
        "negate" => Value::TimeSpan(-t),
        "duration" => Value::TimeSpan(t.abs()),
        _ => return Ok(None),
    };
    Ok(Some(Some(v)))
}
