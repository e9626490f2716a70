//! Get-Date, as Windows PowerShell 5.1 has it: a date
//! (now, or -Date) with fields replaced (-Year ... -Millisecond), or its
//! text (-Format with .NET's formats, -UFormat with Unix's), in en-US.

use super::common::datetime;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::dotnet::DotNetError;
use crate::runtime::dotnet::date_format::{get_date_format, uformat};
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
    vec![powershell_cmdlet!(get, get_date)]
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
