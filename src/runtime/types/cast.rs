//! Conversion of a value to a type, with PowerShell's rules (LanguagePrimitives):
//! strings parse, doubles round half to even into integers, anything is a
//! bool, a scalar becomes a one-item array, and failures carry PowerShell's
//! message and error id.

use std::rc::Rc;

use super::TypeRef;
use crate::runtime::dotnet::culture::Culture;
use crate::runtime::dotnet::number_parse::{ps_string_to_decimal, ps_string_to_double, ps_string_to_integer};
use crate::runtime::dotnet::numeric_type::NumericType;
use crate::runtime::value::{
    Array, ArrayKind, DateKind, DateTime, Decimal, Guid, TICKS_PER_SECOND, Table, Value, unix_from_civil,
};

#[derive(Debug, Clone, PartialEq)]
pub struct CastError {
    /// `Cannot convert value "abc" to type "System.Int32". Error: "..."`
    pub message: String,
    pub error_id: &'static str,
}

fn cannot(value: &Value, target: &str, detail: &str, error_id: &'static str) -> CastError {
    CastError {
        message: format!("Cannot convert value \"{}\" to type \"{target}\". Error: \"{detail}\"", value.to_text()),
        error_id,
    }
}

fn cannot_final(value: &Value, target: &str) -> CastError {
    CastError {
        message: format!(
            "Cannot convert the \"{}\" value of type \"{}\" to type \"{target}\".",
            value.to_text(),
            value.type_name()
        ),
        error_id: "ConvertToFinalInvalidCastException",
    }
}

/// `[T]value`.
pub fn cast(v: Value, t: &TypeRef) -> Result<Value, CastError> {
    match t {
        TypeRef::Object | TypeRef::PSObject => Ok(v),
        TypeRef::Void => Ok(Value::Null),
        TypeRef::Bool | TypeRef::Switch => Ok(Value::Bool(v.is_true())),
        TypeRef::String => Ok(match v {
            Value::Null => Value::str(""),
            Value::Str(_) => v,
            other => Value::str(other.to_text()),
        }),
        TypeRef::Int => {
            integer(&v, "System.Int32", i32::MIN as i64, i32::MAX as i64, "an Int32").map(|n| Value::Int(n as i32))
        }
        TypeRef::Long => integer(&v, "System.Int64", i64::MIN, i64::MAX, "an Int64").map(Value::Long),
        TypeRef::Byte => integer(&v, "System.Byte", 0, 255, "an unsigned byte").map(|n| Value::Byte(n as u8)),
        TypeRef::Double => double(&v).map(Value::Double),
        TypeRef::Decimal => decimal(&v).map(Value::Decimal),
        TypeRef::Char => match &v {
            Value::Char(_) => Ok(v),
            Value::Str(s) if s.chars().count() == 1 => Ok(Value::Char(s.chars().next().unwrap_or('\0'))),
            Value::Str(_) => Err(cannot(
                &v,
                "System.Char",
                "String must be exactly one character long.",
                "InvalidCastParseTargetInvocation",
            )),
            Value::Int(_) | Value::Long(_) | Value::Byte(_) | Value::Double(_) => {
                let n = integer(&v, "System.Char", 0, 0xFFFF, "a character")?;
                char::from_u32(n as u32).map(Value::Char).ok_or_else(|| cannot_final(&v, "System.Char"))
            }
            _ => Err(cannot_final(&v, "System.Char")),
        },
        TypeRef::DateTime => match &v {
            Value::DateTime(_) => Ok(v),
            Value::Null => Err(CastError {
                message: "Cannot convert null to type \"System.DateTime\".".into(),
                error_id: "nullToObjectInvalidCast",
            }),
            Value::Str(s) => crate::runtime::dotnet::date_parse::parse(s, Culture::Invariant)
                .map(Value::DateTime)
                .map_err(|e| cannot(&v, "System.DateTime", &e.to_string(), "InvalidCastParseTargetInvocation")),
            Value::Long(n) => Ok(Value::DateTime(DateTime { ticks: *n, kind: DateKind::Unspecified })),
            Value::Int(n) => Ok(Value::DateTime(DateTime { ticks: *n as i64, kind: DateKind::Unspecified })),
            _ => Err(cannot_final(&v, "System.DateTime")),
        },
        TypeRef::TimeSpan => match &v {
            Value::TimeSpan(_) => Ok(v),
            Value::Int(n) => Ok(Value::TimeSpan(*n as i64)),
            Value::Long(n) => Ok(Value::TimeSpan(*n)),
            Value::Str(s) => crate::runtime::dotnet::timespan::TimeSpan::parse(s)
                .map(|t| Value::TimeSpan(t.ticks))
                .map_err(|e| cannot(&v, "System.TimeSpan", &e.to_string(), "InvalidCastParseTargetInvocation")),
            _ => Err(cannot_final(&v, "System.TimeSpan")),
        },
        TypeRef::Guid => match &v {
            Value::Guid(_) => Ok(v),
            Value::Str(s) => parse_guid(s).map(|g| Value::Guid(Guid::new(g))).ok_or_else(|| {
                cannot(
                    &v,
                    "System.Guid",
                    "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).",
                    "InvalidCastParseTargetInvocation",
                )
            }),
            _ => Err(cannot_final(&v, "System.Guid")),
        },
        TypeRef::Array(elem) => {
            let items = match v {
                Value::Null => return Ok(Value::Null),
                Value::Array(a) => a.snapshot(),
                Value::Str(s) if **elem == TypeRef::Char => s.chars().map(Value::Char).collect(),
                other => vec![other],
            };
            let kind = if **elem == TypeRef::Object { ArrayKind::Object } else { ArrayKind::Typed(elem.full_name()) };
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                out.push(cast(i, elem)?);
            }
            Ok(Value::Array(Rc::new(Array::new(out, kind))))
        }
        TypeRef::ArrayList | TypeRef::List(_) => {
            let (kind, elem) = match t {
                TypeRef::List(e) => (ArrayKind::List(e.full_name()), Some(e)),
                _ => (ArrayKind::ArrayList, None),
            };
            let items = match v {
                Value::Null => vec![],
                Value::Array(a) => a.snapshot(),
                other => vec![other],
            };
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                out.push(match elem {
                    Some(e) => cast(i, e)?,
                    None => i,
                });
            }
            Ok(Value::Array(Rc::new(Array::new(out, kind))))
        }
        TypeRef::Hashtable | TypeRef::Ordered => match v {
            Value::Hashtable(ref h) => {
                if (*t == TypeRef::Ordered) == h.ordered {
                    Ok(v)
                } else {
                    let copy = Table::new(*t == TypeRef::Ordered);
                    for (k, val) in h.entries() {
                        copy.insert(k, val);
                    }
                    Ok(Value::Hashtable(Rc::new(copy)))
                }
            }
            other => Err(cannot_final(&other, &t.full_name())),
        },
        TypeRef::PSCustomObject => match &v {
            Value::Hashtable(h) => {
                let props: Vec<(String, Value)> = h.entries().into_iter().map(|(k, val)| (k.to_text(), val)).collect();
                Ok(crate::runtime::value::custom_object(props))
            }
            _ => Ok(v),
        },
        TypeRef::Regex => match &v {
            Value::Regex(_) => Ok(v),
            other => {
                let pattern = other.to_text();
                match regex::Regex::new(&crate::runtime::ops::regex_ops::translate(&pattern, false)) {
                    Ok(compiled) => Ok(Value::Regex(Rc::new(crate::runtime::value::Regex { pattern, compiled }))),
                    Err(e) => Err(cannot(
                        other,
                        "System.Text.RegularExpressions.Regex",
                        &e.to_string(),
                        "InvalidCastParseTargetInvocation",
                    )),
                }
            }
        },
        TypeRef::ScriptBlock => match v {
            Value::ScriptBlock(_) => Ok(v),
            other => Err(cannot_final(&other, "System.Management.Automation.ScriptBlock")),
        },
        TypeRef::SecureString => match v {
            Value::SecureString(_) => Ok(v),
            other => Err(cannot_final(&other, "System.Security.SecureString")),
        },
        TypeRef::PSCredential => match v {
            Value::Credential(_) => Ok(v),
            other => Err(cannot_final(&other, "System.Management.Automation.PSCredential")),
        },
        TypeRef::Type => match &v {
            Value::Type(_) => Ok(v),
            Value::Str(s) => {
                let tn = crate::language::ast::TypeName {
                    name: s.to_string(),
                    generic_args: vec![],
                    array_ranks: vec![],
                    span: Default::default(),
                    namespaces: None,
                };
                TypeRef::resolve(&tn).map(|r| Value::Type(Rc::from(r.full_name().as_str()))).map_err(|_| {
                    cannot(
                        &v,
                        "System.Type",
                        &format!("Unable to find type [{s}]."),
                        "InvalidCastParseTargetInvocation",
                    )
                })
            }
            _ => Err(cannot_final(&v, "System.Type")),
        },
        TypeRef::Exception(name) => match &v {
            Value::Exception(_) => Ok(v),
            _ => Err(cannot_final(&v, name)),
        },
        TypeRef::Static(name) => Err(cannot_final(&v, name)),
        TypeRef::Interface(name) => {
            if t.is_instance(&v) {
                Ok(v)
            } else {
                Err(cannot_final(&v, name))
            }
        }
        TypeRef::Ref => Ok(match v {
            Value::Ref(_) => v,
            other => Value::Ref(Rc::new(std::cell::RefCell::new(other))),
        }),
        TypeRef::StringBuilder => match &v {
            Value::Object(o) if o.is_type("System.Text.StringBuilder") => Ok(v),
            other => Err(cannot_final(other, "System.Text.StringBuilder")),
        },
        TypeRef::ErrorRecord => match v {
            Value::ErrorRecord(_) => Ok(v),
            other => Err(cannot_final(&other, "System.Management.Automation.ErrorRecord")),
        },
        TypeRef::Version => match &v {
            Value::Object(o) if o.is_type(super::VERSION) => Ok(v),
            other => {
                let text = other.to_text();
                let parts: Option<Vec<i64>> =
                    text.trim().split('.').map(|p| p.parse::<i64>().ok().filter(|n| *n >= 0)).collect();
                match parts {
                    Some(p) if (2..=4).contains(&p.len()) => Ok(super::version(&p)),
                    _ => Err(cannot(
                        other,
                        "System.Version",
                        "Version string portion was too short or too long.",
                        "InvalidCastParseTargetInvocation",
                    )),
                }
            }
        },
        TypeRef::Narrow { name, min, max } => {
            let short = name.rsplit('.').next().unwrap_or(name);
            let range = format!("{} {short}", if short.starts_with(['U', 'I']) { "an" } else { "a" });
            integer(&v, name, (*min).max(i64::MIN as i128) as i64, (*max).min(i64::MAX as i128) as i64, &range)
                .map(Value::int)
        }
        TypeRef::Enum(def) => crate::runtime::convert::to_enum("", def, &v).map_err(|e| CastError {
            message: e
                .message
                .trim_start_matches("Cannot process argument transformation on parameter ''. ")
                .to_string(),
            error_id: "RuntimeException",
        }),
    }
}

/// An integral conversion with .NET's range messages.
fn integer(v: &Value, target: &str, min: i64, max: i64, range_name: &str) -> Result<i64, CastError> {
    let too_big =
        |v: &Value, id| cannot(v, target, &format!("Value was either too large or too small for {range_name}."), id);
    let n: i128 = match v {
        Value::Null => 0,
        Value::Bool(b) => *b as i128,
        Value::Int(n) => *n as i128,
        Value::Long(n) => *n as i128,
        Value::Byte(n) => *n as i128,
        Value::Char(c) => *c as i128,
        Value::Bytes(n) => *n as i128,
        Value::Enum(_, i) => *i as i128,
        Value::Double(f) => {
            if !f.is_finite() || f.abs() > 9.2e18 {
                return Err(too_big(v, "InvalidCastIConvertible"));
            }
            round_half_even(*f) as i128
        }
        Value::Decimal(d) => {
            let r = d.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointNearestEven);
            r.to_string().parse::<i128>().map_err(|_| too_big(v, "InvalidCastIConvertible"))?
        }
        Value::Str(s) => {
            let ty = match target {
                "System.Int64" => NumericType::Int64,
                "System.Byte" => NumericType::Byte,
                "System.Char" => NumericType::UInt16,
                _ => NumericType::Int32,
            };
            match ps_string_to_integer(s, ty) {
                Ok(n) => n,
                Err(e) => return Err(cannot(v, target, &e.to_string(), "InvalidCastFromStringToInteger")),
            }
        }
        Value::Array(a) if a.len() == 1 => {
            let first = a.get(0).unwrap_or(Value::Null);
            return integer(&first, target, min, max, range_name);
        }
        other => return Err(cannot_final(other, target)),
    };
    if n < min as i128 || n > max as i128 {
        let id = if matches!(v, Value::Str(_)) { "InvalidCastFromStringToInteger" } else { "InvalidCastIConvertible" };
        return Err(too_big(v, id));
    }
    Ok(n as i64)
}

fn double(v: &Value) -> Result<f64, CastError> {
    match v {
        Value::Null => Ok(0.0),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::Int(n) => Ok(*n as f64),
        Value::Long(n) => Ok(*n as f64),
        Value::Byte(n) => Ok(*n as f64),
        Value::Char(c) => Ok(*c as u32 as f64),
        Value::Double(f) => Ok(*f),
        Value::Bytes(n) => Ok(*n as f64),
        Value::Decimal(d) => Ok(d.to_string().parse().unwrap_or(0.0)),
        Value::Str(s) => ps_string_to_double(s)
            .map_err(|e| cannot(v, "System.Double", &e.to_string(), "InvalidCastFromStringToDoubleOrSingle")),
        Value::Array(a) if a.len() == 1 => double(&a.get(0).unwrap_or(Value::Null)),
        other => Err(cannot_final(other, "System.Double")),
    }
}

fn decimal(v: &Value) -> Result<Decimal, CastError> {
    match v {
        Value::Null => Ok(Decimal::ZERO),
        Value::Bool(b) => Ok(Decimal::from(*b as i64)),
        Value::Int(n) => Ok(Decimal::from(*n)),
        Value::Long(n) => Ok(Decimal::from(*n)),
        Value::Byte(n) => Ok(Decimal::from(*n)),
        Value::Decimal(d) => Ok(*d),
        Value::Double(f) => decimal_from_f64(*f).ok_or_else(|| {
            cannot(
                v,
                "System.Decimal",
                "Value was either too large or too small for a Decimal.",
                "InvalidCastIConvertible",
            )
        }),
        Value::Str(s) => ps_string_to_decimal(s)
            .map_err(|e| cannot(v, "System.Decimal", &e.to_string(), "InvalidCastFromStringToDecimal")),
        other => Err(cannot_final(other, "System.Decimal")),
    }
}

/// A double as a decimal, through its 15 significant digits as .NET does.
pub fn decimal_from_f64(f: f64) -> Option<Decimal> {
    crate::runtime::dotnet::number_parse::double_to_decimal(f).ok()
}

/// .NET's default rounding (MidpointRounding.ToEven).
pub fn round_half_even(f: f64) -> f64 {
    let r = f.round();
    if (f - f.trunc()).abs() == 0.5 { 2.0 * (f / 2.0).round() } else { r }
}

/// Integers in the forms PowerShell's conversion accepts: decimal with
/// sign and surrounding white space, `0x` hex, an empty string as 0.
pub fn parse_integer(s: &str) -> Option<i128> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0);
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let n = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i128::from_str_radix(hex, 16).ok()?
    } else {
        if !body.bytes().all(|b| b.is_ascii_digit()) || body.is_empty() {
            return None;
        }
        body.parse::<i128>().ok()?
    };
    Some(if neg { -n } else { n })
}

/// Doubles as .NET's invariant parse takes them (`1e3`, `.5`, `1,000.5`).
pub fn parse_double(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0.0);
    }
    let cleaned: String = t.chars().filter(|c| *c != ',').collect();
    match cleaned.to_ascii_lowercase().as_str() {
        "nan" => return Some(f64::NAN),
        "infinity" | "+infinity" => return Some(f64::INFINITY),
        "-infinity" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    if cleaned.bytes().any(|b| !(b.is_ascii_digit() || b"+-.eE".contains(&b))) {
        return None;
    }
    cleaned.parse::<f64>().ok()
}

/// `[-][d.]hh:mm[:ss[.fffffff]]` or a number of days, in ticks.
pub fn parse_timespan_text(text: &str) -> Option<i64> {
    let t = text.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (days, clock) = match t.split_once('.') {
        Some((d, rest)) if rest.contains(':') && !d.contains(':') => (d.parse::<i64>().ok()?, rest),
        _ => (0, t),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let ticks = match parts.as_slice() {
        [d] => d.parse::<i64>().ok()? * 86400 * TICKS_PER_SECOND,
        [h, m] => (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60) * TICKS_PER_SECOND,
        [h, m, s] => {
            let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
            let (h, m, sec) = (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?, whole.parse::<i64>().ok()?);
            if m > 59 || sec > 59 || h > 23 {
                return None;
            }
            let mut frac_ticks = 0;
            if !frac.is_empty() {
                if frac.len() > 7 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                frac_ticks = format!("{frac:0<7}").parse::<i64>().ok()?;
            }
            (h * 3600 + m * 60 + sec) * TICKS_PER_SECOND + frac_ticks
        }
        _ => return None,
    };
    let total = days * 86400 * TICKS_PER_SECOND + ticks;
    Some(if neg { -total } else { total })
}

/// The date forms PowerShell's `[datetime]` cast takes (culture-invariant):
/// `yyyy-MM-dd[ HH:mm[:ss]]`, ISO 8601 with `T`/`Z`, and `MM/dd/yyyy[ h:mm[:ss] [AM|PM]]`.
pub fn parse_date_invariant(text: &str) -> Option<DateTime> {
    let t = text.trim();
    let (date, time) = match t.split_once([' ', 'T']) {
        Some((d, rest)) => (d, rest.trim()),
        None => (t, ""),
    };
    let (y, m, d): (i64, u32, u32) = if date.contains('-') {
        let p: Vec<&str> = date.split('-').collect();
        let [y, m, d] = p.as_slice() else { return None };
        (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    } else if date.contains('/') {
        let p: Vec<&str> = date.split('/').collect();
        let [m, d, y] = p.as_slice() else { return None };
        (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    } else {
        return None;
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1..=9999).contains(&y) {
        return None;
    }
    let (mut hh, mut mm, mut ss, mut frac) = (0u32, 0u32, 0u32, 0i64);
    let mut kind = DateKind::Unspecified;
    if !time.is_empty() {
        let upper = time.to_ascii_uppercase();
        let pm = upper.ends_with("PM");
        let am = upper.ends_with("AM");
        let mut clock = upper.trim_end_matches("PM").trim_end_matches("AM").trim();
        if let Some(c) = clock.strip_suffix('Z') {
            clock = c;
            kind = DateKind::Utc;
        }
        let p: Vec<&str> = clock.split(':').collect();
        hh = p.first()?.parse().ok()?;
        mm = p.get(1).map(|s| s.parse().ok()).unwrap_or(Some(0))?;
        if let Some(sec) = p.get(2) {
            let (whole, f) = sec.split_once('.').unwrap_or((sec, ""));
            ss = whole.parse().ok()?;
            if !f.is_empty() {
                frac = format!("{:0<7}", &f[..f.len().min(7)]).parse().ok()?;
            }
        }
        if hh > 23 || mm > 59 || ss > 59 {
            return None;
        }
        if pm && hh < 12 {
            hh += 12;
        }
        if am && hh == 12 {
            hh = 0;
        }
    }
    let secs = unix_from_civil(y, m, d, hh, mm, ss);
    let mut dt = DateTime::from_unix(secs, kind);
    dt.ticks += frac;
    Some(dt)
}

fn parse_guid(s: &str) -> Option<u128> {
    let hex: String = s.trim().trim_matches(['{', '}']).chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 {
        return None;
    }
    u128::from_str_radix(&hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_convert_to_integers_as_powershell_does() {
        assert_eq!(cast(Value::str("42"), &TypeRef::Int), Ok(Value::Int(42)));
        assert_eq!(cast(Value::str(" 0x10 "), &TypeRef::Int), Ok(Value::Int(16)));
        assert_eq!(cast(Value::str("4.5"), &TypeRef::Int), Ok(Value::Int(4)));
        assert_eq!(cast(Value::str("5.5"), &TypeRef::Int), Ok(Value::Int(6)));
        assert_eq!(cast(Value::Double(2.5), &TypeRef::Int), Ok(Value::Int(2)));
        let e = cast(Value::str("abc"), &TypeRef::Int).unwrap_err();
        assert_eq!(
            e.message,
            "Cannot convert value \"abc\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\""
        );
        let e = cast(Value::str("3000000000"), &TypeRef::Int).unwrap_err();
        assert_eq!(
            e.message,
            "Cannot convert value \"3000000000\" to type \"System.Int32\". Error: \"Value was either too large or too small for an Int32.\""
        );
    }

    #[test]
    fn anything_is_a_bool() {
        assert_eq!(cast(Value::str("false"), &TypeRef::Bool), Ok(Value::Bool(true)));
        assert_eq!(cast(Value::str(""), &TypeRef::Bool), Ok(Value::Bool(false)));
        assert_eq!(cast(Value::Int(0), &TypeRef::Bool), Ok(Value::Bool(false)));
    }

    #[test]
    fn timespans_parse_like_dotnet() {
        assert_eq!(parse_timespan_text("00:30:00"), Some(1800 * TICKS_PER_SECOND));
        assert_eq!(parse_timespan_text("1.00:00:00"), Some(86400 * TICKS_PER_SECOND));
        assert_eq!(parse_timespan_text("00:61:00"), None);
    }
}
