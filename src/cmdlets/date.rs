//! Get-Date and New-TimeSpan, as Windows PowerShell 5.1 has them: a date
//! (now, or -Date) with fields replaced (-Year ... -Millisecond), or its
//! text (-Format with .NET's formats, -UFormat with Unix's), in en-US.

use super::common::datetime;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::dotnet::DotNetError;
use crate::runtime::dotnet::date_format::{get_date_format, uformat};
use crate::runtime::dotnet::timespan::TimeSpan;
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{DateTime, EnumDef, Value};

pub static DISPLAY_HINT: EnumDef =
    EnumDef { type_name: "Microsoft.PowerShell.Commands.DisplayHintType", members: &["Date", "Time", "DateTime"] };

fn field(name: &'static str, min: i64, max: i64) -> Param {
    Param::new(name, T::Int { min, max })
}

pub fn definitions() -> Vec<CmdletDef> {
    let get = Signature::build("Get-Date")
        .class("Microsoft.PowerShell.Commands.GetDateCommand")
        .synopsis("The current date and time (or -Date), with fields replaced, or as text with -Format or -UFormat.")
        .param(
            Param::new("Date", datetime())
                .aliases(&["LastWriteTime"])
                .position(0)
                .pipeline()
                .by_property()
                .help("The date to start from instead of now."),
        )
        .param(field("Year", 1, 9999))
        .param(field("Month", 1, 12))
        .param(field("Day", 1, 31))
        .param(field("Hour", 0, 23))
        .param(field("Minute", 0, 59))
        .param(field("Second", 0, 59))
        .param(field("Millisecond", 0, 999))
        .param(
            Param::new("DisplayHint", T::Enum(&DISPLAY_HINT))
                .help("DateTime (the default); Date and Time are refused by mailsh."),
        )
        .param(Param::new("Format", T::String).help(".NET format: yyyy-MM-dd, s, u, o, FileDate, FileDateTime..."))
        .param(Param::new("UFormat", T::String).help("Unix format: %Y-%m-%d, %A, %j..."))
        .example("Today as text", "Get-Date -Format 'yyyy-MM-dd'", "")
        .example("A week ago", "(Get-Date).AddDays(-7)", "")
        .example("The first day of this month", "Get-Date -Day 1 -Hour 0 -Minute 0 -Second 0", "")
        .example("Unix style", "Get-Date -Date '2026-11-21 10:15' -UFormat '%Y%m%d-%H%M'", "");
    let span = Signature::build("New-TimeSpan")
        .class("Microsoft.PowerShell.Commands.NewTimeSpanCommand")
        .synopsis("A TimeSpan: from -Start to -End, or of -Days, -Hours, -Minutes and -Seconds.")
        .param(Param::new("Start", datetime()).aliases(&["LastWriteTime"]).position(0).by_property())
        .param(Param::new("End", datetime()).position(1).by_property())
        .param(Param::new("Days", T::Int { min: i32::MIN as i64, max: i32::MAX as i64 }))
        .param(Param::new("Hours", T::Int { min: i32::MIN as i64, max: i32::MAX as i64 }))
        .param(Param::new("Minutes", T::Int { min: i32::MIN as i64, max: i32::MAX as i64 }))
        .param(Param::new("Seconds", T::Int { min: i32::MIN as i64, max: i32::MAX as i64 }))
        .example("Two and a half hours", "New-TimeSpan -Hours 2 -Minutes 30", "")
        .example("Days until a date", "(New-TimeSpan -Start '2026-11-01' -End '2026-11-21').Days", "");
    vec![powershell_cmdlet!(get, get_date), powershell_cmdlet!(span, new_timespan)]
}

/// A .NET exception a cmdlet lets escape, as PowerShell records it.
pub fn dotnet_error(e: &DotNetError) -> ErrorRecord {
    let full = e.exception_type();
    let short = full.rsplit('.').next().unwrap_or(full);
    ErrorRecord::new(e.to_string(), Category::NotSpecified, full, short).with_exception_type(full)
}

fn int_arg(args: &Args, name: &str) -> Option<i32> {
    args.int(name).map(|n| n as i32)
}

fn get_date(args: &Args, input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let _ = input;
    let hint = args.string("DisplayHint").unwrap_or_else(|| "DateTime".into());
    if !hint.eq_ignore_ascii_case("DateTime") && !args.has("Format") && !args.has("UFormat") {
        return Err(ErrorRecord::new(
            format!(
                "Get-Date -DisplayHint {hint} is not supported by mailsh: its dates always display with date and time. Use -Format instead (for example -Format d or -Format T)."
            ),
            Category::NotImplemented,
            "DisplayHintNotSupported",
            "PSNotSupportedException",
        )
        .into());
    }
    let base = match args.get("Date") {
        Some(Value::DateTime(d)) => *d,
        _ => DateTime::now(),
    };
    let d = base
        .with_get_date_fields(
            int_arg(args, "Year"),
            int_arg(args, "Month"),
            int_arg(args, "Day"),
            int_arg(args, "Hour"),
            int_arg(args, "Minute"),
            int_arg(args, "Second"),
            int_arg(args, "Millisecond"),
        )
        .map_err(|e| dotnet_error(&e))?;
    let v = if let Some(f) = args.string("UFormat") {
        Value::str(uformat(d, &f).map_err(|e| dotnet_error(&e))?)
    } else if let Some(f) = args.string("Format") {
        Value::str(get_date_format(d, &f).map_err(|e| dotnet_error(&e))?)
    } else {
        Value::DateTime(d)
    };
    out.emit(cx, v)
}

fn new_timespan(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let parts = ["Days", "Hours", "Minutes", "Seconds"];
    let span = if parts.iter().any(|p| args.has(p)) {
        TimeSpan::from_parts(
            int_arg(args, "Days").unwrap_or(0),
            int_arg(args, "Hours").unwrap_or(0),
            int_arg(args, "Minutes").unwrap_or(0),
            int_arg(args, "Seconds").unwrap_or(0),
            0,
        )
        .map_err(|e| dotnet_error(&e))?
    } else {
        let date = |name: &str| match args.get(name) {
            Some(Value::DateTime(d)) => *d,
            _ => DateTime::now(),
        };
        date("End").subtract(date("Start"))
    };
    out.emit(cx, Value::TimeSpan(span.ticks))
}
