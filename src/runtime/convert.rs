//! Argument conversion by parameter type, with PowerShell's messages.

use super::errors::ErrorRecord;
use super::signature::{Param, ParamType};
use super::value::{EnumDef, Value, format_timespan};

/// Converts `value` for `param`, or explains why not.
pub fn convert(param: &Param, value: Value) -> Result<Value, ErrorRecord> {
    let name = param.name;
    match param.ty {
        ParamType::Bool | ParamType::Switch => to_bool(name, value),
        ParamType::Int { min, max } => {
            let n = to_int(name, &value, "System.Int32")?;
            check_range(name, n, min, max)?;
            Ok(Value::Int(n))
        }
        ParamType::Unlimited => match &value {
            Value::Str(s) if s.eq_ignore_ascii_case("unlimited") => Ok(Value::str("Unlimited")),
            _ => {
                let n = to_int(name, &value, "Microsoft.Exchange.Data.Unlimited`1[System.UInt32]")?;
                check_range(name, n, 0, u32::MAX as i64)?;
                Ok(Value::Int(n))
            }
        },
        ParamType::String | ParamType::Identity(_) if matches!(value, Value::Object(_)) => Ok(value),
        ParamType::String => Ok(match value {
            Value::Null => Value::Null,
            Value::Str(_) => value,
            other => Value::str(other.to_text()),
        }),
        ParamType::Identity(_) => match value {
            Value::Array(ref items) if items.len() == 1 => convert(param, items[0].clone()),
            Value::Null => Err(null_argument(name)),
            Value::Str(ref s) if s.is_empty() => Err(null_argument(name)),
            other => Ok(Value::str(other.to_text())),
        },
        ParamType::Strings | ParamType::Bindings | ParamType::ConnectionSettings => match value {
            Value::Hashtable(_) | Value::Null => Ok(value),
            Value::Array(items) => Ok(Value::Array(items.into_iter().map(|v| Value::str(v.to_text())).collect())),
            other => Ok(Value::Array(vec![Value::str(other.to_text())])),
        },
        ParamType::Enum(def) => to_enum(name, def, &value),
        ParamType::TimeSpan { min, max } => {
            let secs = to_timespan(name, &value)?;
            if secs < min || secs > max {
                return Err(ErrorRecord::argument_validation(
                    name,
                    &format!(
                        "The value {} isn't in the range {} - {}.",
                        format_timespan(secs),
                        format_timespan(min),
                        format_timespan(max)
                    ),
                ));
            }
            Ok(Value::TimeSpan(secs))
        }
        ParamType::ScriptBlock => match value {
            Value::ScriptBlock(_) => Ok(value),
            other => Err(cannot_convert(name, &other, "System.Management.Automation.ScriptBlock", None)),
        },
        ParamType::SecureString => match value {
            Value::SecureString(_) => Ok(value),
            other => Err(ErrorRecord::argument_transformation(
                name,
                &format!(
                    "Cannot convert the \"{}\" value of type \"{}\" to type \"System.Security.SecureString\".",
                    other.to_text(),
                    other.type_name()
                ),
            )),
        },
        ParamType::Credential => match value {
            Value::Credential { .. } => Ok(value),
            other => Err(cannot_convert(name, &other, "System.Management.Automation.PSCredential", None)),
        },
        ParamType::Uri => {
            let text = value.to_text();
            if text.is_empty() {
                return Ok(Value::Null);
            }
            match text.split_once("://") {
                Some((scheme, rest))
                    if !scheme.is_empty()
                        && !rest.is_empty()
                        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
                {
                    Ok(Value::str(text))
                }
                _ => Err(cannot_convert(
                    name,
                    &value,
                    "System.Uri",
                    Some("Invalid URI: The format of the URI could not be determined."),
                )),
            }
        }
        ParamType::DateTime => match &value {
            Value::DateTime(_) => Ok(value),
            other => parse_date(&other.to_text()).map(Value::DateTime).ok_or_else(|| {
                cannot_convert(name, other, "System.DateTime", Some("String was not recognized as a valid DateTime."))
            }),
        },
        ParamType::Hashtable => match value {
            Value::Hashtable(_) => Ok(value),
            other => Err(cannot_convert(name, &other, "System.Collections.Hashtable", None)),
        },
        ParamType::Object | ParamType::Properties => Ok(value),
    }
}

fn null_argument(name: &str) -> ErrorRecord {
    ErrorRecord::argument_validation(
        name,
        "The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.",
    )
}

fn to_bool(name: &str, value: Value) -> Result<Value, ErrorRecord> {
    match value {
        Value::Bool(_) => Ok(value),
        Value::Int(n) => Ok(Value::Bool(n != 0)),
        Value::Double(f) => Ok(Value::Bool(f != 0.0)),
        Value::Array(ref items) if items.len() == 1 => to_bool(name, items[0].clone()),
        other => Err(ErrorRecord::argument_transformation(
            name,
            &format!(
                "Cannot convert value \"{}\" to type \"System.Boolean\". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.",
                other.type_name()
            ),
        )),
    }
}

pub fn to_int(name: &str, value: &Value, type_name: &str) -> Result<i64, ErrorRecord> {
    match value {
        Value::Int(n) => Ok(*n),
        Value::Double(f) => Ok(f.round() as i64),
        Value::Bool(b) => Ok(*b as i64),
        Value::Str(s) => s
            .trim()
            .parse::<i64>()
            .map_err(|_| cannot_convert(name, value, type_name, Some("Input string was not in a correct format."))),
        other => Err(cannot_convert(name, other, type_name, None)),
    }
}

fn check_range(name: &str, n: i64, min: i64, max: i64) -> Result<(), ErrorRecord> {
    if n < min {
        return Err(ErrorRecord::argument_validation(
            name,
            &format!(
                "The {n} argument is less than the minimum allowed range of {min}. Supply an argument that is greater than or equal to {min} and then try the command again."
            ),
        ));
    }
    if n > max {
        return Err(ErrorRecord::argument_validation(
            name,
            &format!(
                "The {n} argument is greater than the maximum allowed range of {max}. Supply an argument that is less than or equal to {max} and then try the command again."
            ),
        ));
    }
    Ok(())
}

fn cannot_convert(name: &str, value: &Value, type_name: &str, detail: Option<&str>) -> ErrorRecord {
    let shown = match value {
        Value::Str(s) => s.clone(),
        other => other.to_text(),
    };
    let mut text = format!("Cannot convert value \"{shown}\" to type \"{type_name}\".");
    if let Some(d) = detail {
        text.push_str(&format!(" Error: \"{d}\""));
    }
    ErrorRecord::argument_transformation(name, &text)
}

/// Enum members bind case-insensitively; a unique prefix is accepted, as
/// .NET's enum conversion in PowerShell does; numbers pick by value.
pub fn to_enum(name: &str, def: &'static EnumDef, value: &Value) -> Result<Value, ErrorRecord> {
    if let Value::Enum(d, _) = value
        && std::ptr::eq(*d, def)
    {
        return Ok(value.clone());
    }
    if let Value::Int(n) = value
        && *n >= 0
        && (*n as usize) < def.members.len()
    {
        return Ok(Value::Enum(def, *n as u16));
    }
    let text = value.to_text();
    let wanted = text.trim();
    if let Some(v) = def.value(wanted) {
        return Ok(v);
    }
    let lower = wanted.to_ascii_lowercase();
    let matches: Vec<usize> = def
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| !lower.is_empty() && m.to_ascii_lowercase().starts_with(&lower))
        .map(|(i, _)| i)
        .collect();
    match matches.as_slice() {
        [one] => Ok(Value::Enum(def, *one as u16)),
        [] => Err(cannot_convert(
            name,
            value,
            def.type_name,
            Some(&format!(
                "Unable to match the identifier name {wanted} to a valid enumerator name. Specify one of the following enumerator names and try again:\n{}",
                def.members.join(", ")
            )),
        )),
        many => {
            let names: Vec<&str> = many.iter().map(|i| def.members[*i]).collect();
            Err(cannot_convert(
                name,
                value,
                def.type_name,
                Some(&format!(
                    "The identifier name {wanted} cannot be processed because it is either too similar or identical to the following enumerator names: {}. Use a more specific identifier name.",
                    names.join(", ")
                )),
            ))
        }
    }
}

/// `[-][d.]hh:mm[:ss]`, or a bare number of days as .NET parses it.
pub fn parse_timespan(text: &str) -> Option<i64> {
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
    let secs = match parts.as_slice() {
        [d] => d.parse::<i64>().ok()? * 86400,
        [h, m] => h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60,
        [h, m, s] => {
            let s = s.split('.').next()?;
            let (h, m, s) = (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?, s.parse::<i64>().ok()?);
            if m > 59 || s > 59 || h > 23 {
                return None;
            }
            h * 3600 + m * 60 + s
        }
        _ => return None,
    };
    let total = days * 86400 + secs;
    Some(if neg { -total } else { total })
}

fn to_timespan(name: &str, value: &Value) -> Result<i64, ErrorRecord> {
    match value {
        Value::TimeSpan(s) => Ok(*s),
        other => parse_timespan(&other.to_text()).ok_or_else(|| {
            cannot_convert(
                name,
                other,
                "Microsoft.Exchange.Data.EnhancedTimeSpan",
                Some("String was not recognized as a valid TimeSpan."),
            )
        }),
    }
}

/// `yyyy-MM-dd[ HH:mm[:ss]]` or en-US `M/d/yyyy[ h:mm[:ss] [AM|PM]]`, UTC.
pub fn parse_date(text: &str) -> Option<i64> {
    use super::value::unix_from_civil;
    let t = text.trim();
    let (date, time) = match t.split_once([' ', 'T']) {
        Some((d, rest)) => (d, rest.trim()),
        None => (t, ""),
    };
    let (y, m, d) = if date.contains('-') {
        let p: Vec<&str> = date.split('-').collect();
        let [y, m, d] = p.as_slice() else { return None };
        (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    } else {
        let p: Vec<&str> = date.split('/').collect();
        let [m, d, y] = p.as_slice() else { return None };
        (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let (mut hh, mut mm, mut ss) = (0u32, 0u32, 0u32);
    if !time.is_empty() {
        let upper = time.to_ascii_uppercase();
        let (clock, pm, am) = (
            upper.trim_end_matches(" PM").trim_end_matches(" AM").trim_end_matches('Z'),
            upper.ends_with("PM"),
            upper.ends_with("AM"),
        );
        let p: Vec<&str> = clock.split(':').collect();
        hh = p.first()?.parse().ok()?;
        mm = p.get(1).map(|s| s.parse().ok()).unwrap_or(Some(0))?;
        ss = p.get(2).map(|s| s.split('.').next().unwrap_or("0").parse().ok()).unwrap_or(Some(0))?;
        if pm && hh < 12 {
            hh += 12;
        }
        if am && hh == 12 {
            hh = 0;
        }
    }
    Some(unix_from_civil(y, m, d, hh, mm, ss))
}

#[cfg(test)]
mod tests {
    use super::*;

    static LOGIN: EnumDef = EnumDef {
        type_name: "Microsoft.Exchange.Data.Directory.SystemConfiguration.LoginOptions",
        members: &["PlainTextLogin", "PlainTextAuthentication", "SecureLogin"],
    };

    #[test]
    fn booleans_refuse_strings_even_true() {
        let p = Param::new("ImapEnabled", ParamType::Bool);
        let e = convert(&p, Value::str("true")).unwrap_err();
        assert_eq!(
            e.message,
            "Cannot process argument transformation on parameter 'ImapEnabled'. Cannot convert value \"System.String\" to type \"System.Boolean\". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0."
        );
        assert_eq!(convert(&p, Value::Int(0)).unwrap(), Value::Bool(false));
        assert_eq!(convert(&p, Value::Int(7)).unwrap(), Value::Bool(true));
    }

    #[test]
    fn enums_take_case_insensitive_names_and_unique_prefixes() {
        assert_eq!(to_enum("LoginType", &LOGIN, &Value::str("securelogin")).unwrap(), Value::Enum(&LOGIN, 2));
        assert_eq!(to_enum("LoginType", &LOGIN, &Value::str("Secure")).unwrap(), Value::Enum(&LOGIN, 2));
        let e = to_enum("LoginType", &LOGIN, &Value::str("Plain")).unwrap_err();
        assert!(e.message.ends_with("following enumerator names: PlainTextLogin, PlainTextAuthentication. Use a more specific identifier name.\""), "{}", e.message);
        let e = to_enum("LoginType", &LOGIN, &Value::str("Foo")).unwrap_err();
        assert_eq!(
            e.message,
            "Cannot process argument transformation on parameter 'LoginType'. Cannot convert value \"Foo\" to type \"Microsoft.Exchange.Data.Directory.SystemConfiguration.LoginOptions\". Error: \"Unable to match the identifier name Foo to a valid enumerator name. Specify one of the following enumerator names and try again:\nPlainTextLogin, PlainTextAuthentication, SecureLogin\""
        );
    }

    #[test]
    fn timespans_parse_like_dotnet() {
        assert_eq!(parse_timespan("00:30:00"), Some(1800));
        assert_eq!(parse_timespan("1.00:00:00"), Some(86400));
        assert_eq!(parse_timespan("00:61:00"), None);
    }

    #[test]
    fn int_ranges_are_validated() {
        let p = Param::new("MaxCommandSize", ParamType::Int { min: 1024, max: 16384 });
        let e = convert(&p, Value::Int(99999)).unwrap_err();
        assert_eq!(
            e.message,
            "Cannot validate argument on parameter 'MaxCommandSize'. The 99999 argument is greater than the maximum allowed range of 16384. Supply an argument that is less than or equal to 16384 and then try the command again."
        );
    }
}
