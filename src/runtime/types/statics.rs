//! Static members scripts use: `[math]::Round`, `[string]::Join`,
//! `[int]::MaxValue`, `[datetime]::ParseExact`, `[guid]::NewGuid()`,
//! `[regex]::Escape`, `[System.IO.Path]::Combine`, `T::new(...)`.
//! What mailsh does not have is an error naming it, never a null.

use std::rc::Rc;

use super::super::errors::{Category, ErrorRecord, Result};
use super::super::eval::runtime_error;
use super::super::members::Call;
use super::super::ops::regex_ops;
use super::super::session::Session;
use super::super::value::{Array, ArrayKind, DateKind, DateTime, Decimal, Exception, Guid, Table, Value};
use super::{TypeRef, cast, round_half_even};

fn unknown_member(ty: &TypeRef, name: &str, method: bool) -> ErrorRecord {
    if method {
        ErrorRecord::new(
            format!("Method invocation failed because [{}] does not contain a method named '{name}'.", ty.full_name()),
            Category::InvalidOperation,
            "MethodNotFound",
            "RuntimeException",
        )
        .unqualified()
    } else {
        runtime_error(
            format!("The static property '{name}' of [{}] is not supported by mailsh.", ty.full_name()),
            "StaticPropertyNotSupported",
            Category::NotImplemented,
        )
    }
}

/// `[T]::Name`
pub fn get(_cx: &mut Session, ty: &TypeRef, name: &str) -> Result<Value> {
    let lower = name.to_ascii_lowercase();
    let v = match (ty, lower.as_str()) {
        (TypeRef::Enum(def), member) => match def.members.iter().position(|m| m.eq_ignore_ascii_case(member)) {
            Some(i) => Value::Enum(def, i as u16),
            None => return Err(unknown_member(ty, name, false).into()),
        },
        // UInt64's maximum is beyond Int64: shown exactly, as a decimal.
        (TypeRef::Narrow { max, .. }, "maxvalue") => match i64::try_from(*max) {
            Ok(n) => Value::int(n),
            Err(_) => Value::Decimal(rust_decimal::Decimal::from(*max as u64)),
        },
        (TypeRef::Narrow { min, .. }, "minvalue") => Value::int(*min as i64),
        (TypeRef::Int, "maxvalue") => Value::Int(i32::MAX),
        (TypeRef::Int, "minvalue") => Value::Int(i32::MIN),
        (TypeRef::Long, "maxvalue") => Value::Long(i64::MAX),
        (TypeRef::Long, "minvalue") => Value::Long(i64::MIN),
        (TypeRef::Byte, "maxvalue") => Value::Byte(255),
        (TypeRef::Byte, "minvalue") => Value::Byte(0),
        (TypeRef::Double, "maxvalue") => Value::Double(f64::MAX),
        (TypeRef::Double, "minvalue") => Value::Double(f64::MIN),
        (TypeRef::Double, "nan") => Value::Double(f64::NAN),
        (TypeRef::Double, "positiveinfinity") => Value::Double(f64::INFINITY),
        (TypeRef::Double, "negativeinfinity") => Value::Double(f64::NEG_INFINITY),
        (TypeRef::Double, "epsilon") => Value::Double(4.94065645841247E-324),
        (TypeRef::Decimal, "maxvalue") => Value::Decimal(Decimal::MAX),
        (TypeRef::Decimal, "minvalue") => Value::Decimal(Decimal::MIN),
        (TypeRef::Decimal, "zero") => Value::Decimal(Decimal::ZERO),
        (TypeRef::Decimal, "one") => Value::Decimal(Decimal::ONE),
        (TypeRef::String, "empty") => Value::str(""),
        (TypeRef::Bool, "truestring") => Value::str("True"),
        (TypeRef::Bool, "falsestring") => Value::str("False"),
        (TypeRef::Char, "maxvalue") => Value::Char('\u{FFFF}'),
        (TypeRef::DateTime, "now") => Value::DateTime(DateTime::now()),
        (TypeRef::DateTime, "utcnow") => {
            Value::DateTime(DateTime { ticks: DateTime::now().ticks, kind: DateKind::Utc })
        }
        (TypeRef::DateTime, "today") => {
            let now = DateTime::now();
            Value::DateTime(DateTime {
                ticks: now.ticks - now.ticks.rem_euclid(86_400 * super::super::value::TICKS_PER_SECOND),
                kind: DateKind::Local,
            })
        }
        (TypeRef::DateTime, "minvalue") => Value::DateTime(DateTime { ticks: 0, kind: DateKind::Unspecified }),
        (TypeRef::DateTime, "maxvalue") => {
            Value::DateTime(DateTime { ticks: 3_155_378_975_999_999_999, kind: DateKind::Unspecified })
        }
        (TypeRef::TimeSpan, "zero") => Value::TimeSpan(0),
        (TypeRef::TimeSpan, "maxvalue") => Value::TimeSpan(i64::MAX),
        (TypeRef::TimeSpan, "minvalue") => Value::TimeSpan(i64::MIN),
        (TypeRef::Guid, "empty") => Value::Guid(Guid::new(0)),
        (TypeRef::Static("System.Math"), "pi") => Value::Double(std::f64::consts::PI),
        (TypeRef::Static("System.Math"), "e") => Value::Double(std::f64::consts::E),
        (TypeRef::Static("System.Environment"), "newline") => Value::str("\r\n"),
        (TypeRef::Static("System.Environment"), "machinename") => Value::str(hostname()),
        (TypeRef::Static("System.Environment"), "username") => {
            Value::str(std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_default())
        }
        (TypeRef::Static("System.Environment"), "userdomainname") => Value::str(hostname()),
        (TypeRef::Static("System.Environment"), "currentdirectory") => {
            Value::str(std::env::current_dir().map(|p| p.display().to_string()).unwrap_or_default())
        }
        (TypeRef::Static("System.Environment"), "processorcount") => {
            Value::Int(std::thread::available_parallelism().map(|n| n.get() as i32).unwrap_or(1))
        }
        (TypeRef::Static("System.Environment"), "tickcount") => Value::Int(
            (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)
                % i32::MAX as u128) as i32,
        ),
        (TypeRef::Static("System.IO.Path"), "directoryseparatorchar") => Value::Char('/'),
        (TypeRef::Static("System.IO.Path"), "pathseparator") => Value::Char(':'),
        (TypeRef::Static("System.Text.Encoding"), "utf8" | "ascii" | "unicode" | "default") => {
            let enc = super::super::value::custom_object(vec![("EncodingName".into(), Value::str(name))]);
            if let Value::Object(o) = &enc {
                o.set_type_name("System.Text.Encoding");
            }
            enc
        }
        _ => return Err(unknown_member(ty, name, false).into()),
    };
    Ok(v)
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "localhost".into())
}

/// Static methods that return nothing (void): their call writes no output.
pub fn is_void(ty: &TypeRef, name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        (ty, lower.as_str()),
        (TypeRef::Array(_), "reverse" | "sort" | "clear")
            | (TypeRef::Static("System.IO.File"), "writealltext" | "appendalltext" | "delete")
    )
}

/// `[T]::Method(args)`
pub fn call(cx: &mut Session, ty: &TypeRef, name: &str, args: Vec<Value>) -> Result<Value> {
    let call = Call { name, lower: name.to_ascii_lowercase(), args };
    if call.lower == "new" {
        return construct(cx, ty, &call);
    }
    match ty {
        TypeRef::Static("System.Math") => math(&call),
        TypeRef::String => string_static(&call),
        TypeRef::Int
        | TypeRef::Long
        | TypeRef::Double
        | TypeRef::Decimal
        | TypeRef::Byte
        | TypeRef::Bool
        | TypeRef::DateTime
        | TypeRef::TimeSpan
        | TypeRef::Guid
            if call.lower == "tryparse" =>
        {
            // TryParse(text, [ref]$result): the result through the reference.
            call.count(&[2])?;
            let parsed = if *ty == TypeRef::DateTime {
                crate::runtime::dotnet::date_parse::parse(&call.text(0), crate::runtime::dotnet::culture::Culture::EnUs)
                    .ok()
                    .map(Value::DateTime)
            } else {
                dotnet_parse(ty, &call.text(0)).ok()
            };
            if let Value::Ref(cell) = call.arg(1) {
                *cell.borrow_mut() = parsed.clone().unwrap_or_else(|| cast(Value::Null, ty).unwrap_or(Value::Null));
            }
            Ok(Value::Bool(parsed.is_some()))
        }
        TypeRef::Int | TypeRef::Long | TypeRef::Double | TypeRef::Decimal | TypeRef::Byte | TypeRef::Bool => {
            match call.lower.as_str() {
                "parse" => {
                    call.count(&[1, 2])?;
                    dotnet_parse(ty, &call.text(0))
                        .map_err(|(message, exception)| call.exception(&message, exception).into())
                }
                _ => Err(unknown_member(ty, name, true).into()),
            }
        }
        TypeRef::Char => {
            let c = call.text(0).chars().next().unwrap_or('\0');
            Ok(match call.lower.as_str() {
                "isdigit" => Value::Bool(c.is_ascii_digit() || c.is_numeric()),
                "isletter" => Value::Bool(c.is_alphabetic()),
                "isletterordigit" => Value::Bool(c.is_alphanumeric()),
                "iswhitespace" => Value::Bool(c.is_whitespace()),
                "isupper" => Value::Bool(c.is_uppercase()),
                "islower" => Value::Bool(c.is_lowercase()),
                "ispunctuation" => Value::Bool(c.is_ascii_punctuation()),
                "toupper" => Value::Char(c.to_uppercase().next().unwrap_or(c)),
                "tolower" => Value::Char(c.to_lowercase().next().unwrap_or(c)),
                _ => return Err(unknown_member(ty, name, true).into()),
            })
        }
        TypeRef::DateTime => datetime_static(&call, ty),
        TypeRef::TimeSpan => {
            let f = call.float(0)?;
            let per = |unit: f64| Value::TimeSpan((f * unit).round() as i64);
            let tps = super::super::value::TICKS_PER_SECOND as f64;
            Ok(match call.lower.as_str() {
                "fromdays" => per(86_400.0 * tps),
                "fromhours" => per(3600.0 * tps),
                "fromminutes" => per(60.0 * tps),
                "fromseconds" => per(tps),
                "frommilliseconds" => per(10_000.0),
                "fromticks" => Value::TimeSpan(call.int(0)?),
                "parse" => cast(Value::str(call.text(0)), ty)
                    .map_err(|_| call.exception("String was not recognized as a valid TimeSpan.", "FormatException"))?,
                _ => return Err(unknown_member(ty, name, true).into()),
            })
        }
        TypeRef::Guid => Ok(match call.lower.as_str() {
            "newguid" => Value::Guid(Guid::new(new_guid())),
            "parse" => cast(Value::str(call.text(0)), ty).map_err(|_| {
                call.exception(
                    "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).",
                    "FormatException",
                )
            })?,
            _ => return Err(unknown_member(ty, name, true).into()),
        }),
        TypeRef::Regex => {
            let input = call.text(0);
            let pattern = call.text(1);
            Ok(match call.lower.as_str() {
                "escape" => Value::str(regex_escape(&input)),
                "unescape" => Value::str(input.replace('\\', "")),
                "ismatch" => Value::Bool(regex_ops::compile(&pattern, false)?.is_match(&input)),
                "match" => super::super::members::regex_match(&*regex_ops::compile(&pattern, false)?, &input),
                "matches" => super::super::members::regex_matches(&*regex_ops::compile(&pattern, false)?, &input),
                "replace" => {
                    Value::str(regex_ops::replace(&input, &*regex_ops::compile(&pattern, false)?, &call.text(2)))
                }
                "split" => Value::array(
                    regex_ops::split(&input, &*regex_ops::compile(&pattern, false)?, 0)
                        .into_iter()
                        .map(Value::str)
                        .collect(),
                ),
                _ => return Err(unknown_member(ty, name, true).into()),
            })
        }
        TypeRef::Array(_) => match call.lower.as_str() {
            "indexof" => {
                let x = call.arg(1);
                Ok(Value::Int(
                    call.arg(0)
                        .into_items()
                        .iter()
                        .position(|i| {
                            super::super::ops::compare_scalars(i, &x, true) == Some(std::cmp::Ordering::Equal)
                        })
                        .map(|i| i as i32)
                        .unwrap_or(-1),
                ))
            }
            "reverse" | "sort" => {
                if let Value::Array(a) = call.arg(0) {
                    let mut items = a.items_mut();
                    if call.lower == "reverse" {
                        items.reverse();
                    } else {
                        items.sort_by(|x, y| {
                            super::super::ops::compare_scalars(x, y, false).unwrap_or(std::cmp::Ordering::Equal)
                        });
                    }
                }
                Ok(Value::Null)
            }
            "exists" | "find" | "findall" | "findindex" | "findlast" | "findlastindex" | "trueforall" | "foreach"
            | "convertall" => array_with_block(cx, &call, ty),
            _ => Err(unknown_member(ty, name, true).into()),
        },
        TypeRef::Static("System.Convert") => convert_static(&call, ty),
        TypeRef::Static("System.IO.Path") => path_static(&call, ty),
        TypeRef::Static("System.IO.File") => file_static(&call, ty),
        TypeRef::Static("System.Environment") => match call.lower.as_str() {
            "getenvironmentvariable" => Ok(std::env::var(call.text(0)).map(Value::from).unwrap_or(Value::Null)),
            "getfolderpath" => Ok(Value::str(std::env::var("HOME").unwrap_or_default())),
            _ => Err(unknown_member(ty, name, true).into()),
        },
        TypeRef::ScriptBlock => match call.lower.as_str() {
            "create" => {
                let text = call.text(0);
                let script =
                    crate::language::parse_script(&text).map_err(|e| call.exception(&e.message, "ParseException"))?;
                let mut block = script;
                block.text = text;
                Ok(Value::ScriptBlock(Rc::new(block)))
            }
            _ => Err(unknown_member(ty, name, true).into()),
        },
        _ => Err(unknown_member(ty, name, true).into()),
    }
}

fn math(call: &Call) -> Result<Value> {
    let ty = TypeRef::Static("System.Math");
    let int_or_float = |v: &Value| matches!(v, Value::Int(_) | Value::Long(_));
    Ok(match call.lower.as_str() {
        "round" => {
            call.count(&[1, 2, 3])?;
            let digits = if call.args.len() >= 2 && call.arg(1).is_number() { call.int(1)? } else { 0 };
            let away = call.args.iter().skip(1).any(|a| a.to_text().eq_ignore_ascii_case("AwayFromZero"));
            if let Value::Decimal(d) = call.arg(0) {
                let strategy = if away {
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero
                } else {
                    rust_decimal::RoundingStrategy::MidpointNearestEven
                };
                return Ok(Value::Decimal(d.round_dp_with_strategy(digits.max(0) as u32, strategy)));
            }
            let f = call.float(0)?;
            if !(0..=15).contains(&digits) {
                return Err(call
                    .exception(
                        "Rounding digits must be between 0 and 15, inclusive.\nParameter name: digits",
                        "ArgumentOutOfRangeException",
                    )
                    .into());
            }
            let scale = 10f64.powi(digits as i32);
            let scaled: f64 = super::super::value::format_double(f * scale).parse().unwrap_or(f * scale);
            let r = if away { scaled.round() } else { round_half_even(scaled) };
            Value::Double(r / scale)
        }
        "floor" => num1(call, f64::floor)?,
        "ceiling" => num1(call, f64::ceil)?,
        "truncate" => num1(call, f64::trunc)?,
        "abs" => match call.arg(0) {
            Value::Int(n) => Value::Int(n.checked_abs().ok_or_else(|| {
                call.exception(
                    "Negating the minimum value of a twos complement number is invalid.",
                    "OverflowException",
                )
            })?),
            Value::Long(n) => Value::Long(n.abs()),
            Value::Decimal(d) => Value::Decimal(d.abs()),
            _ => Value::Double(call.float(0)?.abs()),
        },
        "sqrt" => Value::Double(call.float(0)?.sqrt()),
        "pow" => Value::Double(call.float(0)?.powf(call.float(1)?)),
        "exp" => Value::Double(call.float(0)?.exp()),
        "log" => {
            if call.args.len() == 2 {
                Value::Double(call.float(0)?.log(call.float(1)?))
            } else {
                Value::Double(call.float(0)?.ln())
            }
        }
        "log10" => Value::Double(call.float(0)?.log10()),
        "sin" => Value::Double(call.float(0)?.sin()),
        "cos" => Value::Double(call.float(0)?.cos()),
        "tan" => Value::Double(call.float(0)?.tan()),
        "atan" => Value::Double(call.float(0)?.atan()),
        "sign" => Value::Int(match call.float(0)? {
            f if f > 0.0 => 1,
            f if f < 0.0 => -1,
            _ => 0,
        }),
        "max" | "min" => {
            call.count(&[2])?;
            let (a, b) = (call.arg(0), call.arg(1));
            let less = super::super::ops::compare_scalars(&a, &b, false) == Some(std::cmp::Ordering::Less);
            let pick = if (call.lower == "max") == less { b } else { a };
            if int_or_float(&call.arg(0)) && int_or_float(&call.arg(1)) {
                pick
            } else {
                match pick {
                    Value::Str(_) => Value::Double(
                        cast(pick, &TypeRef::Double)
                            .ok()
                            .and_then(|v| if let Value::Double(f) = v { Some(f) } else { None })
                            .unwrap_or(0.0),
                    ),
                    other => other,
                }
            }
        }
        "divrem" => {
            let (a, b) = (call.int(0)?, call.int(1)?);
            if b == 0 {
                return Err(call.exception("Attempted to divide by zero.", "DivideByZeroException").into());
            }
            Value::int(a / b)
        }
        _ => return Err(unknown_member(&ty, call.name, true).into()),
    })
}

fn num1(call: &Call, f: fn(f64) -> f64) -> Result<Value> {
    call.count(&[1])?;
    Ok(match call.arg(0) {
        Value::Decimal(d) => Value::Decimal(match call.lower.as_str() {
            "floor" => d.floor(),
            "ceiling" => d.ceil(),
            _ => d.trunc(),
        }),
        _ => Value::Double(f(call.float(0)?)),
    })
}

fn string_static(call: &Call) -> Result<Value> {
    let ty = TypeRef::String;
    Ok(match call.lower.as_str() {
        "isnullorempty" => {
            call.count(&[1])?;
            Value::Bool(call.arg(0).is_null() || call.text(0).is_empty())
        }
        "isnullorwhitespace" => {
            call.count(&[1])?;
            Value::Bool(call.text(0).trim().is_empty())
        }
        "join" => {
            let sep = call.text(0);
            let items: Vec<String> = if call.args.len() == 2 {
                call.arg(1).into_items().iter().map(Value::to_text).collect()
            } else {
                call.args.iter().skip(1).map(Value::to_text).collect()
            };
            Value::str(items.join(&sep))
        }
        "concat" => {
            Value::str(call.args.iter().flat_map(|a| a.clone().into_items()).map(|v| v.to_text()).collect::<String>())
        }
        "format" => {
            let fmt = call.text(0);
            let rest: Vec<Value> = if call.args.len() == 2 {
                call.arg(1).into_items()
            } else {
                call.args.iter().skip(1).cloned().collect()
            };
            Value::str(super::super::ops::format::format_operator(&fmt, &rest)?)
        }
        "compare" => {
            let ignore = call.args.get(2).is_some_and(|v| v.is_true());
            Value::Int(
                match super::super::ops::compare_scalars(&Value::str(call.text(0)), &Value::str(call.text(1)), !ignore)
                {
                    Some(std::cmp::Ordering::Less) => -1,
                    Some(std::cmp::Ordering::Greater) => 1,
                    _ => 0,
                },
            )
        }
        "equals" => Value::Bool(call.text(0) == call.text(1)),
        _ => return Err(unknown_member(&ty, call.name, true).into()),
    })
}

fn datetime_static(call: &Call, ty: &TypeRef) -> Result<Value> {
    Ok(match call.lower.as_str() {
        "parse" => cast(Value::str(call.text(0)), ty)
            .map_err(|_| call.exception("String was not recognized as a valid DateTime.", "FormatException"))?,
        "parseexact" => {
            let text = call.text(0);
            let formats: Vec<String> = call.arg(1).into_items().iter().map(Value::to_text).collect();
            formats
                .iter()
                .find_map(|f| super::super::ops::format::parse_exact(&text, f))
                .map(Value::DateTime)
                .ok_or_else(|| call.exception("String was not recognized as a valid DateTime.", "FormatException"))?
        }
        "daysinmonth" => {
            let (y, m) = (call.int(0)?, call.int(1)?);
            if !(1..=12).contains(&m) {
                return Err(call
                    .exception(
                        "Month must be between one and twelve.\nParameter name: month",
                        "ArgumentOutOfRangeException",
                    )
                    .into());
            }
            Value::Int(super::super::members::days_in_month(y, m as u32) as i32)
        }
        "isleapyear" => {
            let y = call.int(0)?;
            Value::Bool((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)
        }
        "compare" => match (call.arg(0), call.arg(1)) {
            (Value::DateTime(a), Value::DateTime(b)) => Value::Int(a.ticks.cmp(&b.ticks) as i32),
            _ => return Err(call.no_overload().into()),
        },
        _ => return Err(unknown_member(ty, call.name, true).into()),
    })
}

fn convert_static(call: &Call, ty: &TypeRef) -> Result<Value> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    Ok(match call.lower.as_str() {
        "tobase64string" => {
            let bytes: Vec<u8> = call
                .arg(0)
                .into_items()
                .iter()
                .filter_map(|b| cast(b.clone(), &TypeRef::Byte).ok())
                .filter_map(|b| if let Value::Byte(x) = b { Some(x) } else { None })
                .collect();
            Value::str(b64.encode(bytes))
        }
        "frombase64string" => {
            let bytes = b64
                .decode(call.text(0).trim())
                .map_err(|_| call.exception("The input is not a valid Base-64 string as it contains a non-base 64 character, more than two padding characters, or an illegal character among the padding characters. ", "FormatException"))?;
            Value::Array(Rc::new(Array::new(
                bytes.into_iter().map(Value::Byte).collect(),
                ArrayKind::Typed("System.Byte".into()),
            )))
        }
        "toint32" | "toint64" => {
            if call.args.len() == 2 {
                let base = call.int(1)? as u32;
                let text = call.text(0);
                let digits = text.trim().trim_start_matches("0x").trim_start_matches("0X");
                let n = i64::from_str_radix(digits, base)
                    .map_err(|_| call.exception("Could not find any recognizable digits.", "FormatException"))?;
                if call.lower == "toint32" { Value::Int(n as i32) } else { Value::Long(n) }
            } else {
                let target = if call.lower == "toint32" { TypeRef::Int } else { TypeRef::Long };
                cast(call.arg(0), &target).map_err(|e| call.exception(&e.message, "FormatException"))?
            }
        }
        "tostring" => {
            if call.args.len() == 2 {
                let n = call.int(0)?;
                match call.int(1)? {
                    2 => Value::str(format!("{n:b}")),
                    8 => Value::str(format!("{n:o}")),
                    16 => Value::str(format!("{n:x}")),
                    _ => Value::str(n.to_string()),
                }
            } else {
                Value::str(call.text(0))
            }
        }
        "todouble" => cast(call.arg(0), &TypeRef::Double).map_err(|e| call.exception(&e.message, "FormatException"))?,
        "toboolean" => match call.arg(0) {
            Value::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    return Err(call
                        .exception("String was not recognized as a valid Boolean.", "FormatException")
                        .into());
                }
            },
            other => Value::Bool(other.is_true()),
        },
        "todatetime" => {
            cast(call.arg(0), &TypeRef::DateTime).map_err(|e| call.exception(&e.message, "FormatException"))?
        }
        _ => return Err(unknown_member(ty, call.name, true).into()),
    })
}

fn path_static(call: &Call, ty: &TypeRef) -> Result<Value> {
    let p = call.text(0);
    let path = std::path::Path::new(&p);
    Ok(match call.lower.as_str() {
        "combine" => {
            let mut out = std::path::PathBuf::new();
            for a in &call.args {
                out.push(a.to_text());
            }
            Value::str(out.display().to_string())
        }
        "getfilename" => Value::str(path.file_name().map(|s| s.to_string_lossy().to_string()).unwrap_or_default()),
        "getfilenamewithoutextension" => {
            Value::str(path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default())
        }
        "getextension" => Value::str(path.extension().map(|s| format!(".{}", s.to_string_lossy())).unwrap_or_default()),
        "getdirectoryname" => Value::str(path.parent().map(|s| s.display().to_string()).unwrap_or_default()),
        "ispathrooted" => Value::Bool(path.is_absolute()),
        "gettemppath" => Value::str(format!("{}/", std::env::temp_dir().display())),
        "getfullpath" => {
            Value::str(std::env::current_dir().map(|d| d.join(path).display().to_string()).unwrap_or(p.clone()))
        }
        "changeextension" => {
            let ext = call.text(1);
            let ext = ext.trim_start_matches('.');
            Value::str(path.with_extension(ext).display().to_string())
        }
        _ => return Err(unknown_member(ty, call.name, true).into()),
    })
}

fn file_static(call: &Call, ty: &TypeRef) -> Result<Value> {
    let p = call.text(0);
    let io = |e: std::io::Error| call.exception(&e.to_string(), "IOException");
    Ok(match call.lower.as_str() {
        "exists" => Value::Bool(std::path::Path::new(&p).is_file()),
        "readalltext" => Value::str(std::fs::read_to_string(&p).map_err(io)?),
        "readalllines" => Value::array(std::fs::read_to_string(&p).map_err(io)?.lines().map(Value::str).collect()),
        "writealltext" => {
            std::fs::write(&p, call.text(1)).map_err(io)?;
            Value::Null
        }
        "appendalltext" => {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&p).map_err(io)?;
            f.write_all(call.text(1).as_bytes()).map_err(io)?;
            Value::Null
        }
        _ => return Err(unknown_member(ty, call.name, true).into()),
    })
}

/// `[T]::new(...)` and `New-Object T args`.
pub fn construct(cx: &mut Session, ty: &TypeRef, call: &Call) -> Result<Value> {
    let _ = cx;
    Ok(match ty {
        TypeRef::ArrayList => Value::Array(Rc::new(Array::new(Vec::new(), ArrayKind::ArrayList))),
        TypeRef::StringBuilder => super::super::members::string_builder::construct(call)?,
        TypeRef::List(e) => {
            let mut items = Vec::new();
            if let Some(src) = call.args.first()
                && matches!(src, Value::Array(_))
            {
                for i in src.clone().into_items() {
                    items.push(cast(i, e).map_err(|err| call.exception(&err.message, "PSInvalidCastException"))?);
                }
            }
            Value::Array(Rc::new(Array::new(items, ArrayKind::List(e.full_name()))))
        }
        TypeRef::Hashtable => Value::Hashtable(Rc::new(Table::new(false))),
        TypeRef::Ordered => Value::Hashtable(Rc::new(Table::new(true))),
        TypeRef::PSObject | TypeRef::PSCustomObject | TypeRef::Object => super::super::value::custom_object(vec![]),
        TypeRef::String => match call.args.as_slice() {
            [c, _] => Value::str(c.to_text().repeat(call.int(1)?.max(0) as usize)),
            [chars] => Value::str(chars.clone().into_items().iter().map(Value::to_text).collect::<String>()),
            _ => return Err(call.no_overload().into()),
        },
        TypeRef::DateTime => {
            let n: Vec<i64> = (0..call.args.len()).map(|i| call.int(i)).collect::<Result<Vec<_>>>()?;
            let get = |i: usize, d: i64| n.get(i).copied().unwrap_or(d);
            if n.len() == 1 {
                Value::DateTime(DateTime { ticks: n[0], kind: DateKind::Unspecified })
            } else if (3..=7).contains(&n.len()) {
                let (y, m, d) = (get(0, 1), get(1, 1), get(2, 1));
                if !(1..=12).contains(&m) || d < 1 || d > super::super::members::days_in_month(y, m as u32) as i64 {
                    return Err(call
                        .exception(
                            "Year, Month, and Day parameters describe an un-representable DateTime.",
                            "ArgumentOutOfRangeException",
                        )
                        .into());
                }
                let mut dt = DateTime::from_civil(
                    y,
                    m as u32,
                    d as u32,
                    get(3, 0) as u32,
                    get(4, 0) as u32,
                    get(5, 0) as u32,
                    DateKind::Unspecified,
                );
                dt.ticks += get(6, 0) * 10_000;
                Value::DateTime(dt)
            } else {
                return Err(call.no_overload().into());
            }
        }
        TypeRef::TimeSpan => {
            let n: Vec<i64> = (0..call.args.len()).map(|i| call.int(i)).collect::<Result<Vec<_>>>()?;
            let tps = super::super::value::TICKS_PER_SECOND;
            Value::TimeSpan(match n.as_slice() {
                [ticks] => *ticks,
                [h, m, s] => (h * 3600 + m * 60 + s) * tps,
                [d, h, m, s] => (d * 86400 + h * 3600 + m * 60 + s) * tps,
                [d, h, m, s, ms] => (d * 86400 + h * 3600 + m * 60 + s) * tps + ms * 10_000,
                _ => return Err(call.no_overload().into()),
            })
        }
        TypeRef::Guid => match call.args.first() {
            Some(v) => cast(v.clone(), ty).map_err(|e| call.exception(&e.message, "FormatException"))?,
            None => Value::Guid(Guid::new(0)),
        },
        TypeRef::Regex => cast(call.arg(0), ty).map_err(|e| call.exception(&e.message, "ArgumentException"))?,
        TypeRef::PSCredential => {
            call.count(&[2])?;
            let password = match call.arg(1) {
                Value::SecureString(s) => s,
                other => {
                    return Err(call
                        .exception(
                            &format!("Cannot convert argument \"password\", with value: \"{}\", for \"PSCredential\" to type \"System.Security.SecureString\": \"Cannot convert the \"{}\" value of type \"{}\" to type \"System.Security.SecureString\".\"", other.to_text(), other.to_text(), other.type_name()),
                            "MethodArgumentConversionInvalidCastArgument",
                        )
                        .into());
                }
            };
            Value::credential(call.text(0), password)
        }
        TypeRef::ErrorRecord => {
            call.count(&[4])?;
            let exception = match call.arg(0) {
                Value::Exception(e) => e,
                other => {
                    return Err(call
                        .exception(&format!("Cannot convert argument \"exception\", with value: \"{}\", for \"ErrorRecord\" to type \"System.Exception\".", other.to_text()), "PSInvalidCastException")
                        .into());
                }
            };
            let category = super::super::errors::Category::from_name(&call.text(2));
            let mut rec = super::super::errors::ErrorRecord::new(
                exception.message.to_string(),
                category,
                &call.text(1),
                exception.short_name(),
            )
            .unqualified();
            rec.exception = Some(exception);
            let target = call.arg(3);
            if !target.is_null() {
                rec.target = target.to_text();
                rec.target_type = target.short_type_name();
                rec.target_object = Some(Box::new(target));
            }
            Value::ErrorRecord(Rc::new(rec))
        }
        TypeRef::Exception(name) => {
            let mut e = Exception::new(
                name,
                &if call.args.is_empty() { default_exception_message(name) } else { call.text(0) },
            );
            if let Some(Value::Exception(inner)) = call.args.get(1) {
                e.inner = Some(inner.clone());
            }
            Value::Exception(Rc::new(e))
        }
        other => {
            return Err(runtime_error(
                format!("mailsh cannot create objects of type [{}].", other.full_name()),
                "CannotCreateType",
                Category::NotImplemented,
            )
            .into());
        }
    })
}

fn default_exception_message(name: &str) -> String {
    match name {
        "System.Exception" => format!("Exception of type '{name}' was thrown."),
        "System.ArgumentException" => "Value does not fall within the expected range.".into(),
        "System.InvalidOperationException" => "Operation is not valid due to the current state of the object.".into(),
        "System.NotImplementedException" => "The method or operation is not implemented.".into(),
        "System.NotSupportedException" => "Specified method is not supported.".into(),
        _ => format!("Exception of type '{name}' was thrown."),
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '*' | '+' | '?' | '|' | '{' | '[' | '(' | ')' | '^' | '$' | '.' | '#' => {
                out.push('\\');
                out.push(c);
            }
            ' ' => out.push_str("\\ "),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
    out
}

/// A fresh random GUID.
pub fn new_guid() -> u128 {
    let mut bytes = [0u8; 16];
    crate::store::fill_random(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    u128::from_be_bytes(bytes)
}

/// `[int]::Parse` and friends: .NET's parsing (default number styles,
/// invariant digits), which is stricter than a PowerShell cast: `[int]::Parse('0x1F')`
/// and `[bool]::Parse('yes')` fail, `[bool]::Parse('False')` is false.
/// The error is the exception's message and short type name.
fn dotnet_parse(ty: &TypeRef, text: &str) -> std::result::Result<Value, (String, &'static str)> {
    use crate::runtime::dotnet::number_parse::{NumberStyles, parse_decimal, parse_double, parse_integer};
    use crate::runtime::dotnet::numeric_type::NumericType;
    let failed = |e: crate::runtime::dotnet::error::DotNetError| {
        let short = e.exception_type().rsplit('.').next().unwrap_or("FormatException");
        (e.to_string(), short)
    };
    let integer = |t: NumericType| parse_integer(text, t, NumberStyles::INTEGER).map_err(failed);
    Ok(match ty {
        TypeRef::Int => Value::Int(integer(NumericType::Int32)? as i32),
        TypeRef::Long => Value::Long(integer(NumericType::Int64)? as i64),
        TypeRef::Byte => Value::Byte(integer(NumericType::Byte)? as u8),
        TypeRef::Double => Value::Double(
            parse_double(text, NumberStyles(NumberStyles::FLOAT.0 | NumberStyles::ALLOW_THOUSANDS)).map_err(failed)?,
        ),
        TypeRef::Decimal => Value::Decimal(parse_decimal(text, NumberStyles::NUMBER).map_err(failed)?),
        TypeRef::Bool => {
            let word = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
            if word.eq_ignore_ascii_case("true") {
                Value::Bool(true)
            } else if word.eq_ignore_ascii_case("false") {
                Value::Bool(false)
            } else {
                return Err(("String was not recognized as a valid Boolean.".to_string(), "FormatException"));
            }
        }
        other => cast(Value::str(text), other).map_err(|e| (e.message, "FormatException"))?,
    })
}

/// `[array]::Exists($a, [Predicate[object]]{ ... })` and the other methods
/// of System.Array that take a delegate: the script block is called with
/// each item.
fn array_with_block(cx: &mut Session, call: &Call, ty: &TypeRef) -> Result<Value> {
    let items = call.arg(0).into_items();
    let Value::ScriptBlock(block) = call.arg(1) else {
        return Err(call
            .exception(
                &format!("Cannot convert argument \"match\", with value: \"{}\", for \"{}\" to type \"System.Predicate`1[System.Object]\".", call.arg(1).to_text(), call.name),
                "MethodArgumentConversionInvalidCastArgument",
            )
            .into());
    };
    let test =
        |cx: &mut Session, v: &Value| -> Result<bool> { Ok(cx.call_block_value(&block, vec![v.clone()])?.is_true()) };
    Ok(match call.lower.as_str() {
        "exists" => {
            for v in &items {
                if test(cx, v)? {
                    return Ok(Value::Bool(true));
                }
            }
            Value::Bool(false)
        }
        "trueforall" => {
            for v in &items {
                if !test(cx, v)? {
                    return Ok(Value::Bool(false));
                }
            }
            Value::Bool(true)
        }
        "find" | "findindex" => {
            for (i, v) in items.iter().enumerate() {
                if test(cx, v)? {
                    return Ok(if call.lower == "find" { v.clone() } else { Value::Int(i as i32) });
                }
            }
            if call.lower == "find" { Value::Null } else { Value::Int(-1) }
        }
        "findlast" | "findlastindex" => {
            for (i, v) in items.iter().enumerate().rev() {
                if test(cx, v)? {
                    return Ok(if call.lower == "findlast" { v.clone() } else { Value::Int(i as i32) });
                }
            }
            if call.lower == "findlast" { Value::Null } else { Value::Int(-1) }
        }
        "findall" => {
            let mut found = Vec::new();
            for v in &items {
                if test(cx, v)? {
                    found.push(v.clone());
                }
            }
            Value::array(found)
        }
        "convertall" => {
            let mut out = Vec::with_capacity(items.len());
            for v in &items {
                out.push(cx.call_block_value(&block, vec![v.clone()])?);
            }
            Value::array(out)
        }
        "foreach" => {
            for v in &items {
                cx.call_block_value(&block, vec![v.clone()])?;
            }
            Value::Null
        }
        _ => return Err(unknown_member(ty, call.name, true).into()),
    })
}
