//! System.DateTime and System.TimeSpan members, on `runtime::dotnet`'s
//! implementation of both.

use super::super::dotnet::culture::Culture;
use super::super::dotnet::date_format::format_date;
use super::super::dotnet::error::DotNetError;
use super::super::dotnet::timespan::TimeSpan;
use super::super::errors::Result;
use super::super::value::{DateKind, DateTime, EnumDef, Value};
use super::Call;

static DAY_OF_WEEK: EnumDef = EnumDef {
    type_name: "System.DayOfWeek",
    members: &["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};

static DATE_KIND: EnumDef = EnumDef { type_name: "System.DateTimeKind", members: &["Unspecified", "Utc", "Local"] };

pub(super) fn date_property(d: &DateTime, name: &str) -> Value {
    match name {
        "year" => Value::Int(d.year()),
        "month" => Value::Int(d.month()),
        "day" => Value::Int(d.day()),
        "hour" => Value::Int(d.hour()),
        "minute" => Value::Int(d.minute()),
        "second" => Value::Int(d.second()),
        "millisecond" => Value::Int(d.millisecond()),
        "ticks" => Value::Long(d.ticks),
        "dayofweek" => Value::Enum(&DAY_OF_WEEK, d.day_of_week() as u16),
        "dayofyear" => Value::Int(d.day_of_year()),
        "date" => Value::DateTime(d.date()),
        "timeofday" => Value::TimeSpan(d.time_of_day().ticks),
        "kind" => Value::Enum(
            &DATE_KIND,
            match d.kind {
                DateKind::Unspecified => 0,
                DateKind::Utc => 1,
                DateKind::Local => 2,
            },
        ),
        // PowerShell's own script property: long date and long time.
        "datetime" => Value::str(format_date(*d, "F", Culture::EnUs).unwrap_or_default()),
        _ => Value::Null,
    }
}

pub(super) fn timespan_property(t: i64, name: &str) -> Value {
    let t = TimeSpan { ticks: t };
    match name {
        "days" => Value::Int(t.days()),
        "hours" => Value::Int(t.hours()),
        "minutes" => Value::Int(t.minutes()),
        "seconds" => Value::Int(t.seconds()),
        "milliseconds" => Value::Int(t.milliseconds()),
        "ticks" => Value::Long(t.ticks),
        "totaldays" => Value::Double(t.total_days()),
        "totalhours" => Value::Double(t.total_hours()),
        "totalminutes" => Value::Double(t.total_minutes()),
        "totalseconds" => Value::Double(t.total_seconds()),
        "totalmilliseconds" => Value::Double(t.total_milliseconds()),
        _ => Value::Null,
    }
}

/// .NET's days in a month (callers have checked the month).
pub fn days_in_month(y: i64, m: u32) -> u32 {
    DateTime::days_in_month(y as i32, m as i32).unwrap_or(31) as u32
}

/// Adds months with .NET's clamping to the last day of the month.
pub fn add_months(d: &DateTime, months: i64) -> Option<DateTime> {
    d.add_months(i32::try_from(months).ok()?).ok()
}

fn dotnet(call: &Call, e: DotNetError) -> super::super::errors::Flow {
    let short = e.exception_type().rsplit('.').next().unwrap_or("Exception");
    call.exception(&e.to_string(), short).into()
}

pub(super) fn date_call(d: &DateTime, call: &Call) -> Result<Option<Option<Value>>> {
    let d = *d;
    let done = |r: std::result::Result<DateTime, DotNetError>| -> Result<Value> {
        r.map(Value::DateTime).map_err(|e| dotnet(call, e))
    };
    let v = match call.lower.as_str() {
        "adddays" => done(d.add_days(call.float(0)?))?,
        "addhours" => done(d.add_hours(call.float(0)?))?,
        "addminutes" => done(d.add_minutes(call.float(0)?))?,
        "addseconds" => done(d.add_seconds(call.float(0)?))?,
        "addmilliseconds" => done(d.add_milliseconds(call.float(0)?))?,
        "addticks" => done(d.add_ticks(call.int(0)?))?,
        "addmonths" => done(d.add_months(call.int(0)? as i32))?,
        "addyears" => done(d.add_years(call.int(0)? as i32))?,
        "add" => match call.arg(0) {
            Value::TimeSpan(t) => done(d.add_span(TimeSpan { ticks: t }))?,
            _ => return Err(call.no_overload().into()),
        },
        "subtract" => match call.arg(0) {
            Value::TimeSpan(t) => done(d.subtract_span(TimeSpan { ticks: t }))?,
            Value::DateTime(o) => Value::TimeSpan(d.subtract(o).ticks),
            _ => return Err(call.no_overload().into()),
        },
        "toshortdatestring" => fmt(d, "d"),
        "tolongdatestring" => fmt(d, "D"),
        "toshorttimestring" => fmt(d, "t"),
        "tolongtimestring" => fmt(d, "T"),
        "touniversaltime" => Value::DateTime(d.to_universal_time()),
        "tolocaltime" => Value::DateTime(d.to_local_time()),
        "tofiletime" | "tofiletimeutc" => Value::Long(d.to_universal_time().ticks - 504_911_232_000_000_000),
        "isdaylightsavingtime" => Value::Bool(false),
        _ => return Ok(None),
    };
    Ok(Some(Some(v)))
}

fn fmt(d: DateTime, f: &str) -> Value {
    Value::str(format_date(d, f, Culture::EnUs).unwrap_or_default())
}

pub(super) fn timespan_call(t: i64, call: &Call) -> Result<Option<Option<Value>>> {
    let span = TimeSpan { ticks: t };
    let done = |r: std::result::Result<TimeSpan, DotNetError>| -> Result<Value> {
        r.map(|s| Value::TimeSpan(s.ticks)).map_err(|e| dotnet(call, e))
    };
    let v = match call.lower.as_str() {
        "add" => match call.arg(0) {
            Value::TimeSpan(o) => done(span.add_span(TimeSpan { ticks: o }))?,
            _ => return Err(call.no_overload().into()),
        },
        "subtract" => match call.arg(0) {
            Value::TimeSpan(o) => done(span.subtract_span(TimeSpan { ticks: o }))?,
            _ => return Err(call.no_overload().into()),
        },
        "negate" => done(span.negate())?,
        "duration" => done(span.duration())?,
        _ => return Ok(None),
    };
    Ok(Some(Some(v)))
}
