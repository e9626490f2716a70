//! Argument conversion by parameter type, with PowerShell's messages.

use std::rc::Rc;

use super::errors::{ErrorRecord, Result as FlowResult};
use super::session::Session;
use super::signature::{Param, ParamType, Validator};
use super::types::{TypeRef, cast};
use super::value::{EnumDef, TICKS_PER_SECOND, Value, format_timespan};

/// Converts `value` for `param`, or explains why not.
pub fn convert(param: &Param, value: Value) -> Result<Value, ErrorRecord> {
    let name = param.name;
    match param.ty {
        ParamType::Bool | ParamType::Switch => to_bool(name, value),
        ParamType::Int { min, max } => {
            let n = to_int(name, &value, "System.Int32")?;
            check_range(name, n, min, max)?;
            Ok(Value::int(n))
        }
        ParamType::Unlimited => match &value {
            Value::Str(s) if s.eq_ignore_ascii_case("unlimited") => Ok(Value::str("Unlimited")),
            _ => {
                let n = to_int(name, &value, "Microsoft.Exchange.Data.Unlimited`1[System.UInt32]")?;
                check_range(name, n, 0, u32::MAX as i64)?;
                Ok(Value::int(n))
            }
        },
        ParamType::String | ParamType::Identity(_) | ParamType::IdentityOrNull(_)
            if matches!(value, Value::Object(_)) =>
        {
            Ok(value)
        }
        ParamType::IdentityOrNull(_) => match value {
            Value::Array(ref items) if items.len() == 1 => convert(param, items.get(0).unwrap_or(Value::Null)),
            Value::Null => Ok(Value::Null),
            other => Ok(Value::str(other.to_text())),
        },
        ParamType::String => Ok(match value {
            Value::Null => Value::Null,
            Value::Str(_) => value,
            other => Value::str(other.to_text()),
        }),
        ParamType::Identity(_) => match value {
            Value::Array(ref items) if items.len() == 1 => convert(param, items.get(0).unwrap_or(Value::Null)),
            Value::Null => Err(null_argument(name)),
            Value::Str(ref s) if s.is_empty() => Err(null_argument(name)),
            other => Ok(Value::str(other.to_text())),
        },
        ParamType::Strings | ParamType::Bindings | ParamType::ConnectionSettings => match value {
            Value::Hashtable(_) | Value::Null => Ok(value),
            Value::Array(items) => {
                Ok(Value::array(items.snapshot().into_iter().map(|v| Value::str(v.to_text())).collect()))
            }
            other => Ok(Value::array(vec![Value::str(other.to_text())])),
        },
        ParamType::Enum(def) => to_enum(name, def, &value),
        ParamType::Flags(def) => {
            // As .NET parses a [Flags] enum: members named in an array or
            // in one string, separated by commas.
            let items = match &value {
                Value::Array(items) => items.snapshot(),
                other => vec![other.clone()],
            };
            let mut members = Vec::new();
            for item in items {
                match item {
                    Value::Str(_) => {
                        for word in item.to_text().split(',') {
                            members.push(to_enum(name, def, &Value::str(word.trim()))?);
                        }
                    }
                    other => members.push(to_enum(name, def, &other)?),
                }
            }
            Ok(Value::array(members))
        }
        ParamType::TimeSpan { min, max } => {
            let ticks = to_timespan(name, &value)?;
            let secs = ticks / TICKS_PER_SECOND;
            if secs < min || secs > max || (secs == max && ticks % TICKS_PER_SECOND > 0) {
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
            Ok(Value::TimeSpan(ticks))
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
            Value::Credential(_) => Ok(value),
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
            other => cast(Value::str(other.to_text()), &TypeRef::DateTime).map_err(|_| {
                cannot_convert(name, other, "System.DateTime", Some("String was not recognized as a valid DateTime."))
            }),
        },
        ParamType::Hashtable => match value {
            Value::Hashtable(_) => Ok(value),
            other => Err(cannot_convert(name, &other, "System.Collections.Hashtable", None)),
        },
        ParamType::Object | ParamType::Properties => Ok(value),
        ParamType::Typed(t) => cast(value, t).map_err(|e| ErrorRecord::argument_transformation(name, &e.message)),
    }
}

/// A script parameter's validation attributes, with PowerShell's messages.
pub fn validate(param: &Param, value: &Value, cx: &mut Session) -> FlowResult<()> {
    validate_with(param.name, param.validators, value, cx)
}

/// The checks of `validators` on a value for the parameter `name`.
pub fn validate_with(name: &str, validators: &[Validator], value: &Value, cx: &mut Session) -> FlowResult<()> {
    for v in validators {
        match v {
            Validator::NotNull if value.is_null() => {
                return Err(ErrorRecord::argument_validation(
                    name,
                    "The argument is null. Provide a valid value for the argument, and then try running the command again.",
                )
                .into());
            }
            Validator::NotNullOrEmpty => {
                let empty = match value {
                    Value::Null => true,
                    Value::Str(s) => s.is_empty(),
                    Value::Array(a) => a.is_empty(),
                    _ => false,
                };
                if empty {
                    return Err(ErrorRecord::argument_validation(
                        name,
                        "The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.",
                    )
                    .into());
                }
            }
            Validator::Set(set) => {
                for item in value.clone().into_items() {
                    let text = item.to_text();
                    if !set.iter().any(|s| s.eq_ignore_ascii_case(&text)) {
                        return Err(ErrorRecord::argument_validation(
                            name,
                            &format!(
                                "The argument \"{text}\" does not belong to the set \"{}\" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.",
                                set.join(",")
                            ),
                        )
                        .into());
                    }
                }
            }
            Validator::Range(min, max) => {
                for item in value.clone().into_items() {
                    let below = super::ops::compare_scalars(&item, min, false) == Some(std::cmp::Ordering::Less);
                    let above = super::ops::compare_scalars(&item, max, false) == Some(std::cmp::Ordering::Greater);
                    let (t, mi, ma) = (item.to_text(), min.to_text(), max.to_text());
                    if below {
                        return Err(ErrorRecord::argument_validation(name, &format!("The {t} argument is less than the minimum allowed range of {mi}. Supply an argument that is greater than or equal to {mi} and then try the command again.")).into());
                    }
                    if above {
                        return Err(ErrorRecord::argument_validation(name, &format!("The {t} argument is greater than the maximum allowed range of {ma}. Supply an argument that is less than or equal to {ma} and then try the command again.")).into());
                    }
                }
            }
            Validator::Pattern(p) => {
                let re = super::ops::regex_ops::compile(p, true)?;
                for item in value.clone().into_items() {
                    let t = item.to_text();
                    if !re.is_match(&t) {
                        return Err(ErrorRecord::argument_validation(name, &format!("The argument \"{t}\" does not match the \"{p}\" pattern. Supply an argument that matches \"{p}\" and try the command again.")).into());
                    }
                }
            }
            Validator::Length(min, max) => {
                for item in value.clone().into_items() {
                    let n = item.to_text().chars().count() as i64;
                    if n < *min {
                        return Err(ErrorRecord::argument_validation(name, &format!("The number of characters ({n}) in the argument is too small. Specify an argument whose length is greater than or equal to \"{min}\" and then try the command again.")).into());
                    }
                    if n > *max {
                        return Err(ErrorRecord::argument_validation(name, &format!("The character length of the {n} argument is too long. Shorten the character length of the argument so it is fewer than or equal to \"{max}\" characters, and then try the command again.")).into());
                    }
                }
            }
            Validator::Count(min, max) => {
                let n = value.clone().into_items().len() as i64;
                if n < *min || n > *max {
                    return Err(ErrorRecord::argument_validation(name, &format!("The parameter requires at least {min} value(s) and no more than {max} value(s) - {n} value(s) were provided.")).into());
                }
            }
            Validator::Script(block) => {
                let block: Rc<crate::language::ast::ScriptBlock> = block.clone();
                for item in value.clone().into_items() {
                    let ok = super::eval::collapse(cx.invoke_block(&block, Some(&item))?).is_true();
                    if !ok {
                        return Err(ErrorRecord::argument_validation(name, &format!("The \"{}\" validation script for the argument with value \"{}\" did not return a result of True. Determine why the validation script failed, and then try the command again.", block.text, item.to_text())).into());
                    }
                }
            }
            Validator::NotNull => {}
        }
    }
    Ok(())
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
        Value::Switch(b) => Ok(Value::Bool(b)),
        Value::Int(n) => Ok(Value::Bool(n != 0)),
        Value::Long(n) => Ok(Value::Bool(n != 0)),
        Value::Byte(n) => Ok(Value::Bool(n != 0)),
        Value::Double(f) => Ok(Value::Bool(f != 0.0)),
        Value::Decimal(d) => Ok(Value::Bool(!d.is_zero())),
        Value::Array(ref items) if items.len() == 1 => to_bool(name, items.get(0).unwrap_or(Value::Null)),
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
        Value::Int(n) => Ok(*n as i64),
        Value::Long(n) => Ok(*n),
        Value::Byte(n) => Ok(*n as i64),
        Value::Double(f) => Ok(super::types::round_half_even(*f) as i64),
        Value::Bool(b) => Ok(*b as i64),
        Value::Str(s) => super::types::parse_integer(s)
            .and_then(|n| i64::try_from(n).ok())
            .or_else(|| super::types::parse_double(s).map(|f| super::types::round_half_even(f) as i64))
            .ok_or_else(|| cannot_convert(name, value, type_name, Some("Input string was not in a correct format."))),
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
    let shown = value.to_text();
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
    if let Some(n) = value.as_i64()
        && n >= 0
        && (n as usize) < def.members.len()
    {
        return Ok(Value::Enum(def, n as u16));
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

/// `[-][d.]hh:mm[:ss]`, or a bare number of days as .NET parses it, in
/// whole seconds (Exchange's EnhancedTimeSpan settings).
pub fn parse_timespan(text: &str) -> Option<i64> {
    super::types::parse_timespan_text(text).map(|t| t / TICKS_PER_SECOND)
}

fn to_timespan(name: &str, value: &Value) -> Result<i64, ErrorRecord> {
    match value {
        Value::TimeSpan(t) => Ok(*t),
        other => super::types::parse_timespan_text(&other.to_text()).ok_or_else(|| {
            cannot_convert(
                name,
                other,
                "Microsoft.Exchange.Data.EnhancedTimeSpan",
                Some("String was not recognized as a valid TimeSpan."),
            )
        }),
    }
}

/// A date as the cmdlets' -StartDate/-EndDate take it, in Unix seconds.
pub fn parse_date(text: &str) -> Option<i64> {
    super::types::cast::parse_date_invariant(text).map(|d| d.unix_secs())
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
