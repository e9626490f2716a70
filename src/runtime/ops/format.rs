//! The -f operator and `ToString(format)`: .NET composite formatting
//! (`{0,-10:N2}`), each argument formatted by its own type's rules, all
//! from `runtime::dotnet` (en-US, as the Exchange Management Shell runs).

use super::super::dotnet::composite;
use super::super::dotnet::culture::Culture;
use super::super::dotnet::date_format::format_date;
use super::super::dotnet::date_parse::parse_exact_any;
use super::super::dotnet::error::DotNetError;
use super::super::dotnet::number_format::{format_decimal, format_double, format_integer};
use super::super::dotnet::numeric_type::NumericType;
use super::super::dotnet::timespan::TimeSpan;
use super::super::errors::{Category, ErrorRecord};
use super::super::value::{DateTime, Value};

fn format_error(e: &DotNetError) -> ErrorRecord {
    ErrorRecord::new(
        format!("Error formatting a string: {e}."),
        Category::InvalidOperation,
        "FormatError",
        "RuntimeException",
    )
    .unqualified()
}

/// `"{0} is {1}" -f $a, $b`
pub fn format_operator(fmt: &str, args: &[Value]) -> Result<String, ErrorRecord> {
    composite::format::<DotNetError, _>(fmt, args.len(), |i, f| try_format_value(&args[i], f))
        .map_err(|e| format_error(&e))
}

/// One value with an optional .NET format string, as `ToString(format)`;
/// a format the type does not take falls back to the plain text.
pub fn format_value(v: &Value, format: Option<&str>) -> String {
    try_format_value(v, format).unwrap_or_else(|_| v.to_text())
}

/// `ToString(format)` with .NET's error for a bad format string.
pub fn try_format_value(v: &Value, format: Option<&str>) -> Result<String, DotNetError> {
    let Some(fmt) = format.filter(|f| !f.is_empty()) else {
        return Ok(match v {
            Value::DateTime(d) => d.display_text(),
            Value::Array(a) => a.type_name(),
            other => other.to_text(),
        });
    };
    Ok(match v {
        Value::Int(n) => format_integer(*n as i128, NumericType::Int32, fmt, Culture::EnUs)?,
        Value::Long(n) => format_integer(*n as i128, NumericType::Int64, fmt, Culture::EnUs)?,
        Value::Byte(n) => format_integer(*n as i128, NumericType::Byte, fmt, Culture::EnUs)?,
        Value::Bytes(n) => format_integer(*n as i128, NumericType::UInt64, fmt, Culture::EnUs)?,
        Value::Double(f) => format_double(*f, fmt, Culture::EnUs)?,
        Value::Decimal(d) => format_decimal(*d, fmt, Culture::EnUs)?,
        Value::DateTime(d) => format_date(*d, fmt, Culture::EnUs)?,
        Value::TimeSpan(t) => TimeSpan { ticks: *t }.format(fmt)?,
        other => other.to_text(),
    })
}

/// DateTime.ParseExact with one format or several.
pub fn parse_exact(text: &str, format: &str) -> Option<DateTime> {
    parse_exact_any(text, &[format], Culture::EnUs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composite_formatting_aligns_and_formats() {
        let args = [Value::str("Ken"), Value::Int(1234567), Value::Double(0.5)];
        assert_eq!(format_operator("{0,-6}|{1:N0}|{2:P0}", &args).unwrap(), "Ken   |1,234,567|50 %");
        assert_eq!(format_operator("{1:D9} {{x}}", &args).unwrap(), "001234567 {x}");
        assert_eq!(format_operator("{0,5}", &args).unwrap(), "  Ken");
        assert!(format_operator("{3}", &args).is_err());
    }
}
