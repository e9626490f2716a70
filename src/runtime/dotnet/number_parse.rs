//! Numbers from text: .NET's `Int32.Parse`, `Double.Parse`, `Decimal.Parse` with NumberStyles
//! (number.cs ParseNumber of .NET Framework 4.x), `Convert.ToInt32(text, 16)`, the conversions of
//! a double to an integer (banker's rounding) and to a decimal (15 digits), and on top of them the
//! string-to-number conversions of PowerShell 5.1's LanguagePrimitives (`[int]" 42 "`,
//! `[int]"0x1F"`, `[int]"1e3"`, `[double]"1,000.5"`, `[decimal]"1.50"`).

use super::error::DotNetError;
use super::numeric_type::NumericType;
use rust_decimal::Decimal;
use std::str::FromStr;

/// System.Globalization.NumberStyles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberStyles(pub u32);

impl NumberStyles {
    pub const ALLOW_LEADING_WHITE: u32 = 0x1;
    pub const ALLOW_TRAILING_WHITE: u32 = 0x2;
    pub const ALLOW_LEADING_SIGN: u32 = 0x4;
    pub const ALLOW_TRAILING_SIGN: u32 = 0x8;
    pub const ALLOW_PARENTHESES: u32 = 0x10;
    pub const ALLOW_DECIMAL_POINT: u32 = 0x20;
    pub const ALLOW_THOUSANDS: u32 = 0x40;
    pub const ALLOW_EXPONENT: u32 = 0x80;
    pub const ALLOW_CURRENCY_SYMBOL: u32 = 0x100;
    pub const NONE: NumberStyles = NumberStyles(0);
    pub const INTEGER: NumberStyles = NumberStyles(0x7);
    pub const NUMBER: NumberStyles = NumberStyles(0x6F);
    pub const FLOAT: NumberStyles = NumberStyles(0xA7);
    pub const CURRENCY: NumberStyles = NumberStyles(0x17F);
    pub const ANY: NumberStyles = NumberStyles(0x1FF);

    fn has(self, flag: u32) -> bool {
        self.0 & flag != 0
    }
}

/// .NET's NumberBuffer: up to 50 significant digits (no leading zeros; trailing zeros only for a
/// decimal), the decimal exponent (value = 0.digits × 10^scale) and the sign.
#[derive(Debug, Default)]
struct Parsed {
    digits: Vec<u8>,
    scale: i32,
    negative: bool,
}

/// .NET's IsWhite: space and \t \n \v \f \r only.
pub fn is_dotnet_white(c: char) -> bool {
    c == ' ' || ('\u{9}'..='\u{d}').contains(&c)
}

/// ParseNumber with the en-US / invariant symbols (`-`, `+`, `.`, `,`, `$` or `¤`), the whole text
/// being consumed (trailing NULs allowed, as .NET allows them).
fn parse_number(text: &str, styles: NumberStyles, keep_trailing_zeros: bool) -> Option<Parsed> {
    const STATE_SIGN: u32 = 1;
    const STATE_PARENS: u32 = 2;
    const STATE_DIGITS: u32 = 4;
    const STATE_NON_ZERO: u32 = 8;
    const STATE_DECIMAL: u32 = 16;
    const STATE_CURRENCY: u32 = 32;
    let chars: Vec<char> = text.chars().collect();
    let at = |p: usize| chars.get(p).copied().unwrap_or('\0');
    let mut currency: Option<&[char]> =
        if styles.has(NumberStyles::ALLOW_CURRENCY_SYMBOL) { Some(&['$', '¤'][..]) } else { None };
    let mut n = Parsed::default();
    let mut state = 0u32;
    let mut p = 0usize;
    loop {
        let ch = at(p);
        let sign_allowed = styles.has(NumberStyles::ALLOW_LEADING_SIGN) && state & STATE_SIGN == 0;
        if is_dotnet_white(ch)
            && styles.has(NumberStyles::ALLOW_LEADING_WHITE)
            && (state & STATE_SIGN == 0 || state & STATE_CURRENCY != 0)
        {
        } else if sign_allowed && ch == '+' {
            state |= STATE_SIGN;
        } else if sign_allowed && ch == '-' {
            state |= STATE_SIGN;
            n.negative = true;
        } else if ch == '(' && styles.has(NumberStyles::ALLOW_PARENTHESES) && state & STATE_SIGN == 0 {
            state |= STATE_SIGN | STATE_PARENS;
            n.negative = true;
        } else if currency.is_some_and(|c| c.contains(&ch)) {
            state |= STATE_CURRENCY;
            currency = None;
        } else {
            break;
        }
        p += 1;
    }
    let mut dig_end = 0usize;
    loop {
        let ch = at(p);
        if ch.is_ascii_digit() {
            state |= STATE_DIGITS;
            if ch != '0' || state & STATE_NON_ZERO != 0 {
                if n.digits.len() < 50 {
                    n.digits.push(ch as u8);
                    if ch != '0' || keep_trailing_zeros {
                        dig_end = n.digits.len();
                    }
                }
                if state & STATE_DECIMAL == 0 {
                    n.scale += 1;
                }
                state |= STATE_NON_ZERO;
            } else if state & STATE_DECIMAL != 0 {
                n.scale -= 1;
            }
        } else if styles.has(NumberStyles::ALLOW_DECIMAL_POINT) && state & STATE_DECIMAL == 0 && ch == '.' {
            state |= STATE_DECIMAL;
        } else if styles.has(NumberStyles::ALLOW_THOUSANDS)
            && state & STATE_DIGITS != 0
            && state & STATE_DECIMAL == 0
            && ch == ','
        {
        } else {
            break;
        }
        p += 1;
    }
    n.digits.truncate(dig_end);
    if state & STATE_DIGITS == 0 {
        return None;
    }
    if matches!(at(p), 'E' | 'e') && styles.has(NumberStyles::ALLOW_EXPONENT) {
        let mut q = p + 1;
        let mut negative_exponent = false;
        if at(q) == '+' {
            q += 1;
        } else if at(q) == '-' {
            q += 1;
            negative_exponent = true;
        }
        if at(q).is_ascii_digit() {
            let mut exponent = 0i32;
            while at(q).is_ascii_digit() {
                exponent = exponent * 10 + (at(q) as i32 - '0' as i32);
                q += 1;
                if exponent > 1000 {
                    exponent = 9999;
                    while at(q).is_ascii_digit() {
                        q += 1;
                    }
                }
            }
            n.scale += if negative_exponent { -exponent } else { exponent };
            p = q;
        }
    }
    loop {
        let ch = at(p);
        let sign_allowed = styles.has(NumberStyles::ALLOW_TRAILING_SIGN) && state & STATE_SIGN == 0;
        if is_dotnet_white(ch) && styles.has(NumberStyles::ALLOW_TRAILING_WHITE) {
        } else if sign_allowed && ch == '+' {
            state |= STATE_SIGN;
        } else if sign_allowed && ch == '-' {
            state |= STATE_SIGN;
            n.negative = true;
        } else if ch == ')' && state & STATE_PARENS != 0 {
            state &= !STATE_PARENS;
        } else if currency.is_some_and(|c| c.contains(&ch)) {
            currency = None;
        } else {
            break;
        }
        p += 1;
    }
    if state & STATE_PARENS != 0 {
        return None;
    }
    if state & STATE_NON_ZERO == 0 {
        if !keep_trailing_zeros {
            n.scale = 0;
        }
        if state & STATE_DECIMAL == 0 {
            n.negative = false;
        }
    }
    // Everything must be consumed, but for trailing NULs.
    chars[p.min(chars.len())..].iter().all(|&c| c == '\0').then_some(n)
}

/// `Int32.Parse(text, styles)` and its siblings: the integer of type `ty`. A fraction that is not
/// zero (`"1.5"` with AllowDecimalPoint) is an overflow, as in .NET.
pub fn parse_integer(text: &str, ty: NumericType, styles: NumberStyles) -> Result<i128, DotNetError> {
    let Some((low, high)) = ty.integer_range() else { return Err(DotNetError::InvalidString) };
    let n = parse_number(text, styles, false).ok_or(DotNetError::InvalidString)?;
    let overflow = DotNetError::Overflow(ty);
    let significant = n.digits.len() as i32;
    if n.scale > 20 || n.scale < significant {
        return Err(overflow);
    }
    let mut value: i128 = 0;
    for i in 0..n.scale as usize {
        value = value * 10 + n.digits.get(i).map_or(0, |d| (d - b'0') as i128);
    }
    if n.negative {
        value = -value;
    }
    if value < low || value > high {
        return Err(overflow);
    }
    Ok(value)
}

/// `Double.Parse(text, styles)` (invariant symbols; `Infinity`, `-Infinity` and `NaN` spelled
/// exactly). .NET Framework refuses a result too large for a double.
pub fn parse_double(text: &str, styles: NumberStyles) -> Result<f64, DotNetError> {
    let Some(n) = parse_number(text, styles, false) else {
        return match text.trim() {
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            "NaN" => Ok(f64::NAN),
            _ => Err(DotNetError::InvalidString),
        };
    };
    let value = digits_to_f64(&n);
    if value.is_infinite() {
        return Err(DotNetError::Overflow(NumericType::Double));
    }
    Ok(value)
}

fn digits_to_f64(n: &Parsed) -> f64 {
    if n.digits.is_empty() {
        return if n.negative { -0.0 } else { 0.0 };
    }
    let text = format!("{}0.{}e{}", if n.negative { "-" } else { "" }, String::from_utf8_lossy(&n.digits), n.scale);
    text.parse().unwrap_or(f64::NAN)
}

/// `Decimal.Parse(text, styles)`: the scale of the text is kept (`"1.50"` is 1.50).
pub fn parse_decimal(text: &str, styles: NumberStyles) -> Result<Decimal, DotNetError> {
    let n = parse_number(text, styles, true).ok_or(DotNetError::InvalidString)?;
    digits_to_decimal(&n.digits, n.scale, n.negative)
}

/// A decimal from significant digits and exponent; past 28 decimals it rounds as rust_decimal
/// rounds a long text, and an integer part past 29 digits overflows.
fn digits_to_decimal(digits: &[u8], scale: i32, negative: bool) -> Result<Decimal, DotNetError> {
    let overflow = DotNetError::Overflow(NumericType::Decimal);
    if scale > 29 {
        return Err(overflow);
    }
    let digits = String::from_utf8_lossy(digits);
    let mut text = String::from(if negative { "-" } else { "" });
    if scale <= 0 {
        // Past 28 places the value is 0 (keep the scale as .NET does up to 28).
        let zeros = (-scale) as usize;
        if zeros >= 28 {
            return Ok(Decimal::ZERO);
        }
        text.push_str("0.");
        text.push_str(&"0".repeat(zeros));
        text.push_str(&digits);
        if digits.is_empty() {
            text.pop();
            text.push('0');
        }
    } else {
        let s = scale as usize;
        if digits.len() <= s {
            text.push_str(&digits);
            text.push_str(&"0".repeat(s - digits.len()));
        } else {
            text.push_str(&digits[..s]);
            text.push('.');
            text.push_str(&digits[s..]);
        }
    }
    Decimal::from_str(&text).map_err(|_| overflow)
}

/// `Convert.ToInt32(double)` and its siblings: round half to even, then range-check.
pub fn double_to_integer(value: f64, ty: NumericType) -> Result<i128, DotNetError> {
    let Some((low, high)) = ty.integer_range() else { return Err(DotNetError::InvalidString) };
    let rounded = value.round_ties_even();
    match ty {
        // Convert.ToInt64/ToUInt64 use a checked cast of Math.Round.
        NumericType::Int64 | NumericType::UInt64 => {
            if !rounded.is_finite() || rounded < low as f64 || rounded >= (high as f64) + 1.0 {
                return Err(DotNetError::ArithmeticOverflow);
            }
            Ok(rounded as i128)
        }
        // The narrower signed types go through Convert.ToInt32 first.
        NumericType::SByte | NumericType::Byte | NumericType::Int16 | NumericType::UInt16 | NumericType::Int32 => {
            if !(-2147483648.5..2147483647.5).contains(&value) {
                return Err(DotNetError::Overflow(NumericType::Int32));
            }
            let v = rounded as i128;
            if v < low || v > high {
                return Err(DotNetError::Overflow(ty));
            }
            Ok(v)
        }
        _ => {
            if !(-0.5..4294967295.5).contains(&value) {
                return Err(DotNetError::Overflow(NumericType::UInt32));
            }
            Ok(rounded as i128)
        }
    }
}

/// `(decimal)double`: 15 significant digits of the double, rounded half away from zero (.NET
/// Framework's VarDecFromR8), trailing zeros dropped.
pub fn double_to_decimal(value: f64) -> Result<Decimal, DotNetError> {
    if !value.is_finite() || value.abs() >= 7.922_816_251_426_434e28 {
        return Err(DotNetError::Overflow(NumericType::Decimal));
    }
    if value == 0.0 {
        return Ok(Decimal::ZERO);
    }
    let text = format!("{:.14e}", value.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let end = digits.iter().rposition(|&d| d != b'0').map_or(0, |p| p + 1);
    let scale = exponent.parse::<i32>().unwrap_or(0) + 1;
    if scale < -27 {
        return Ok(Decimal::ZERO);
    }
    let mut d = digits_to_decimal(&digits[..end], scale, value < 0.0)?;
    d.normalize_assign();
    Ok(d)
}

/// `Convert.ToInt32(text, 16)` (and ToInt16, ToByte, ToInt64...): hex digits, an optional `0x`,
/// the result in the type's width (`FFFFFFFF` is -1 for an Int32). Errors as coreclr's
/// ParseNumbers: no digit, junk after them, a minus sign, a value past the unsigned width.
pub fn parse_hex(text: &str, ty: NumericType) -> Result<i128, DotNetError> {
    if !ty.is_integer() {
        return Err(DotNetError::InvalidString);
    }
    if text.is_empty() {
        return Err(DotNetError::out_of_range(
            "startIndex",
            "Index was out of range. Must be non-negative and less than the size of the collection.",
        ));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    if chars[0] == '-' {
        return Err(DotNetError::Argument("String cannot contain a minus sign if the base is not 10.".into()));
    }
    if chars[0] == '+' {
        i += 1;
    }
    if chars.get(i) == Some(&'0') && matches!(chars.get(i + 1), Some('x' | 'X')) {
        i += 2;
    }
    let wide = matches!(ty, NumericType::Int64 | NumericType::UInt64);
    let start = i;
    let mut value: u128 = 0;
    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(16)) {
        value = value * 16 + d as u128;
        let limit = if wide { u64::MAX as u128 } else { u32::MAX as u128 };
        if value > limit {
            return Err(DotNetError::Overflow(if wide { NumericType::UInt64 } else { NumericType::UInt32 }));
        }
        i += 1;
    }
    if i == start {
        return Err(DotNetError::NoParsibleDigits);
    }
    if i < chars.len() {
        return Err(DotNetError::ExtraJunkAtEnd);
    }
    let bits = ty.bits();
    let mask: u128 = if bits >= 64 { u64::MAX as u128 } else { (1u128 << bits) - 1 };
    if value > mask {
        return Err(DotNetError::Overflow(ty));
    }
    // Two's complement in the type's width for the signed types.
    let signed = !ty.is_unsigned() && value >> (bits - 1) & 1 == 1;
    Ok(if signed { value as i128 - (1i128 << bits) } else { value as i128 })
}

/// PowerShell's `[int]"text"` (LanguagePrimitives.ConvertStringToInteger) for any integer type:
/// an empty string is 0; otherwise the text, trimmed, is read by the type's TypeConverter (hex
/// after `0x`, `&h` or `#`, else `Int32.Parse` with NumberStyles.Integer); when that fails with a
/// format error the text is read as a double (`1e3`, `1,000`, `2.5`) and rounded half to even;
/// when that fails too, the first error stands. A blank text fails as the converter fails on it.
pub fn ps_string_to_integer(text: &str, ty: NumericType) -> Result<i128, DotNetError> {
    if text.is_empty() {
        return Ok(0);
    }
    let trimmed = text.trim();
    let first = if trimmed.is_empty() {
        Err(DotNetError::IndexOutOfRange)
    } else if let Some(hex) = trimmed.strip_prefix('#') {
        parse_hex(hex, ty)
    } else if let Some(hex) = ["0x", "0X", "&h", "&H"].iter().find_map(|p| trimmed.strip_prefix(p)) {
        parse_hex(hex, ty)
    } else {
        parse_integer(trimmed, ty, NumberStyles::INTEGER)
    };
    match first {
        Err(error) if error.exception_type() == "System.FormatException" => {
            let through_double =
                parse_double(text, NumberStyles(NumberStyles::FLOAT.0 | NumberStyles::ALLOW_THOUSANDS))
                    .and_then(|d| double_to_integer(d, ty));
            through_double.map_err(|_| error)
        }
        other => other,
    }
}

/// PowerShell's `[double]"text"`: empty is 0, else `Double.Parse` with Float | AllowThousands.
pub fn ps_string_to_double(text: &str) -> Result<f64, DotNetError> {
    if text.is_empty() {
        return Ok(0.0);
    }
    parse_double(text, NumberStyles(NumberStyles::FLOAT.0 | NumberStyles::ALLOW_THOUSANDS))
}

/// PowerShell's `[decimal]"text"`: empty is 0, else `Decimal.Parse` with NumberStyles.Number
/// (no exponent), and on a format error through a double (`[decimal]"1e3"` is 1000).
pub fn ps_string_to_decimal(text: &str) -> Result<Decimal, DotNetError> {
    if text.is_empty() {
        return Ok(Decimal::ZERO);
    }
    match parse_decimal(text, NumberStyles::NUMBER) {
        Err(DotNetError::InvalidString) => {
            ps_string_to_double(text).and_then(double_to_decimal).map_err(|_| DotNetError::InvalidString)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(s: &str) -> Result<i128, DotNetError> {
        ps_string_to_integer(s, NumericType::Int32)
    }

    #[test]
    fn int32_parse() {
        let p = |s: &str| parse_integer(s, NumericType::Int32, NumberStyles::INTEGER);
        assert_eq!(p("42"), Ok(42));
        assert_eq!(p("  -42\t"), Ok(-42));
        assert_eq!(p("+7"), Ok(7));
        assert_eq!(p("0042"), Ok(42));
        assert_eq!(p("-0"), Ok(0));
        assert_eq!(p("2147483647"), Ok(2147483647));
        assert_eq!(p("-2147483648"), Ok(-2147483648));
        assert_eq!(p("2147483648"), Err(DotNetError::Overflow(NumericType::Int32)));
        assert_eq!(p("99999999999999999999999"), Err(DotNetError::Overflow(NumericType::Int32)));
        for bad in ["", " ", "1,000", "1.5", "1e3", "0x1F", "- 1", "1-", "(1)", "abc", "1 2", "\u{a0}1"] {
            assert_eq!(p(bad), Err(DotNetError::InvalidString), "{bad:?}");
        }
        assert_eq!(p("1\0\0"), Ok(1));
        let any = |s: &str| parse_integer(s, NumericType::Int32, NumberStyles::ANY);
        assert_eq!(any("1,000"), Ok(1000));
        assert_eq!(any("(5)"), Ok(-5));
        assert_eq!(any("5-"), Ok(-5));
        assert_eq!(any("$5"), Ok(5));
        assert_eq!(any("1.0"), Ok(1));
        assert_eq!(any("1e3"), Ok(1000));
        assert_eq!(any("1.5"), Err(DotNetError::Overflow(NumericType::Int32)));
        assert_eq!(
            parse_integer("-1", NumericType::UInt32, NumberStyles::INTEGER),
            Err(DotNetError::Overflow(NumericType::UInt32))
        );
        assert_eq!(
            parse_integer("256", NumericType::Byte, NumberStyles::INTEGER),
            Err(DotNetError::Overflow(NumericType::Byte))
        );
        assert_eq!(
            parse_integer("18446744073709551615", NumericType::UInt64, NumberStyles::INTEGER),
            Ok(u64::MAX as i128)
        );
    }

    #[test]
    fn int32_parse_cases_from_dotnet_tests() {
        let p = |s: &str, styles: u32| parse_integer(s, NumericType::Int32, NumberStyles(styles));
        let none = NumberStyles::NONE.0;
        assert_eq!(p("0", none), Ok(0));
        assert_eq!(p("0000000000000000000000000000000000000000000000000000000001", none), Ok(1));
        assert_eq!(p("00000000000000000000000000000000000000000000000002147483647", none), Ok(2147483647));
        assert_eq!(p("123\0\0", none), Ok(123));
        assert_eq!(p(" 1", none), Err(DotNetError::InvalidString));
        let currency = NumberStyles::CURRENCY.0;
        for (text, value) in [
            ("$1000", 1000),
            ("$   1000", 1000),
            ("1000", 1000),
            ("$(1000)", -1000),
            ("($1000)", -1000),
            ("$-1000", -1000),
            ("-$1000", -1000),
            ("$1,000", 1000),
        ] {
            assert_eq!(p(text, currency), Ok(value), "{text:?}");
        }
        let sign = NumberStyles::ALLOW_LEADING_SIGN;
        assert_eq!(p("-2147483648", sign), Ok(i32::MIN as i128));
        assert_eq!(p("+0", sign), Ok(0));
        assert_eq!(p("123-", NumberStyles::ALLOW_TRAILING_SIGN), Ok(-123));
        assert_eq!(p("123+", NumberStyles::ALLOW_TRAILING_SIGN), Ok(123));
        assert_eq!(p("  000000000  ", NumberStyles::ALLOW_LEADING_WHITE | NumberStyles::ALLOW_TRAILING_WHITE), Ok(0));
        assert_eq!(
            p("\u{b}\u{b}123\u{b}", NumberStyles::ALLOW_LEADING_WHITE | NumberStyles::ALLOW_TRAILING_WHITE),
            Ok(123)
        );
        assert_eq!(p("1,0,0,0", NumberStyles::ALLOW_THOUSANDS), Ok(1000));
        assert_eq!(p("1,,,", NumberStyles::ALLOW_THOUSANDS), Ok(1));
        assert_eq!(p(",1", NumberStyles::ALLOW_THOUSANDS), Err(DotNetError::InvalidString));
        let exponent = NumberStyles::ALLOW_EXPONENT;
        assert_eq!(p("1E2", exponent), Ok(100));
        assert_eq!(p("1E+2", exponent), Ok(100));
        assert_eq!(p("1e2", exponent), Ok(100));
        assert_eq!(p("1E0", exponent), Ok(1));
        assert_eq!(p("(1E2)", exponent | NumberStyles::ALLOW_PARENTHESES), Ok(-100));
        assert_eq!(p("1E-1", exponent), Err(DotNetError::Overflow(NumericType::Int32)));
        assert_eq!(p("(1", NumberStyles::ALLOW_PARENTHESES), Err(DotNetError::InvalidString));
        assert_eq!(p("-(1)", sign | NumberStyles::ALLOW_PARENTHESES), Err(DotNetError::InvalidString));
    }

    #[test]
    fn double_parse() {
        let p = |s: &str| parse_double(s, NumberStyles(NumberStyles::FLOAT.0 | NumberStyles::ALLOW_THOUSANDS));
        assert_eq!(p("1.5"), Ok(1.5));
        assert_eq!(p(".5"), Ok(0.5));
        assert_eq!(p("5."), Ok(5.0));
        assert_eq!(p("1e3"), Ok(1000.0));
        assert_eq!(p("1E-3"), Ok(0.001));
        assert_eq!(p("-1.5e+2"), Ok(-150.0));
        assert_eq!(p(" 1,000.25 "), Ok(1000.25));
        assert_eq!(p("1e"), Err(DotNetError::InvalidString));
        assert_eq!(p("0.1"), Ok(0.1));
        assert_eq!(p("Infinity"), Ok(f64::INFINITY));
        assert_eq!(p(" -Infinity "), Ok(f64::NEG_INFINITY));
        assert!(p("NaN").unwrap().is_nan());
        assert_eq!(p("infinity"), Err(DotNetError::InvalidString));
        assert_eq!(p("1e400"), Err(DotNetError::Overflow(NumericType::Double)));
        assert_eq!(p("1e-400"), Ok(0.0));
        assert_eq!(p("."), Err(DotNetError::InvalidString));
        assert_eq!(p(",5"), Err(DotNetError::InvalidString));
        assert_eq!(p("1.2.3"), Err(DotNetError::InvalidString));
        assert_eq!(p("-0").map(f64::is_sign_negative), Ok(false));
        assert_eq!(p("-0.0").map(f64::is_sign_negative), Ok(true));
        assert_eq!(p("123456789012345678901234567890"), Ok(1.2345678901234568e29));
    }

    #[test]
    fn decimal_parse_keeps_the_scale() {
        let p = |s: &str| parse_decimal(s, NumberStyles::NUMBER).map(|d| d.to_string());
        assert_eq!(p("1.50"), Ok("1.50".into()));
        assert_eq!(p("0.00"), Ok("0.00".into()));
        assert_eq!(p("-1,234.5"), Ok("-1234.5".into()));
        assert_eq!(p("100"), Ok("100".into()));
        assert_eq!(p("1e3"), Err(DotNetError::InvalidString));
        assert_eq!(p("79228162514264337593543950335"), Ok("79228162514264337593543950335".into()));
        assert_eq!(p("79228162514264337593543950336"), Err(DotNetError::Overflow(NumericType::Decimal)));
    }

    #[test]
    fn hex() {
        assert_eq!(parse_hex("1F", NumericType::Int32), Ok(31));
        assert_eq!(parse_hex("ff", NumericType::Int32), Ok(255));
        assert_eq!(parse_hex("FFFFFFFF", NumericType::Int32), Ok(-1));
        assert_eq!(parse_hex("80000000", NumericType::Int32), Ok(i32::MIN as i128));
        assert_eq!(parse_hex("FFFFFFFF", NumericType::UInt32), Ok(u32::MAX as i128));
        assert_eq!(parse_hex("FFFF", NumericType::Int16), Ok(-1));
        assert_eq!(parse_hex("FFFFFFFFFFFFFFFF", NumericType::Int64), Ok(-1));
        assert_eq!(parse_hex("0x0x1F".trim_start_matches("0x"), NumericType::Int32), Ok(31));
        assert_eq!(parse_hex("1FFFFFFFF", NumericType::Int32), Err(DotNetError::Overflow(NumericType::UInt32)));
        assert_eq!(parse_hex("1FF", NumericType::Byte), Err(DotNetError::Overflow(NumericType::Byte)));
        assert_eq!(parse_hex("1G", NumericType::Int32), Err(DotNetError::ExtraJunkAtEnd));
        assert_eq!(parse_hex("G", NumericType::Int32), Err(DotNetError::NoParsibleDigits));
        assert_eq!(parse_hex(" 1", NumericType::Int32), Err(DotNetError::NoParsibleDigits));
        assert_eq!(
            parse_hex("-1", NumericType::Int32).unwrap_err().to_string(),
            "String cannot contain a minus sign if the base is not 10."
        );
    }

    #[test]
    fn powershell_integer_casts() {
        assert_eq!(int("42"), Ok(42));
        assert_eq!(int(" 42 "), Ok(42));
        assert_eq!(int(""), Ok(0));
        assert_eq!(int("0x1F"), Ok(31));
        assert_eq!(int("0X1f"), Ok(31));
        assert_eq!(int("&h10"), Ok(16));
        assert_eq!(int("#FF"), Ok(255));
        assert_eq!(int("0xFFFFFFFF"), Ok(-1));
        assert_eq!(int("1e3"), Ok(1000));
        assert_eq!(int(".5"), Ok(0));
        assert_eq!(int("1.5"), Ok(2));
        assert_eq!(int("2.5"), Ok(2));
        assert_eq!(int("-2.5"), Ok(-2));
        assert_eq!(int("3.5"), Ok(4));
        // Int32.Parse refuses the group separator; the double fallback accepts it.
        assert_eq!(int("1,000"), Ok(1000));
        assert_eq!(int("abc"), Err(DotNetError::InvalidString));
        assert_eq!(int("2147483648"), Err(DotNetError::Overflow(NumericType::Int32)));
        // A format error whose double fallback overflows keeps the format error.
        assert_eq!(int("1e20"), Err(DotNetError::InvalidString));
        assert_eq!(int("   "), Err(DotNetError::IndexOutOfRange));
        assert_eq!(
            int("0x"),
            Err(DotNetError::out_of_range(
                "startIndex",
                "Index was out of range. Must be non-negative and less than the size of the collection."
            ))
        );
        assert_eq!(int("0x1G"), Err(DotNetError::ExtraJunkAtEnd));
        assert_eq!(ps_string_to_integer("300", NumericType::Byte), Err(DotNetError::Overflow(NumericType::Byte)));
        assert_eq!(ps_string_to_integer("255.4", NumericType::Byte), Ok(255));
        assert_eq!(ps_string_to_integer("9223372036854775807", NumericType::Int64), Ok(i64::MAX as i128));
        assert_eq!(ps_string_to_integer("1e18", NumericType::Int64), Ok(1_000_000_000_000_000_000));
        assert_eq!(
            DotNetError::Overflow(NumericType::Int32).to_string(),
            "Value was either too large or too small for an Int32."
        );
    }

    #[test]
    fn powershell_double_and_decimal_casts() {
        assert_eq!(ps_string_to_double(""), Ok(0.0));
        assert_eq!(ps_string_to_double(" 1.5 "), Ok(1.5));
        assert_eq!(ps_string_to_double("1,000.5"), Ok(1000.5));
        assert_eq!(ps_string_to_double("0x10"), Err(DotNetError::InvalidString));
        let dec = |s: &str| ps_string_to_decimal(s).map(|d| d.to_string());
        assert_eq!(dec("1.50"), Ok("1.50".into()));
        assert_eq!(dec("1e3"), Ok("1000".into()));
        assert_eq!(dec("1.5e-3"), Ok("0.0015".into()));
        assert_eq!(dec("1e40"), Err(DotNetError::InvalidString));
        assert_eq!(dec("x"), Err(DotNetError::InvalidString));
        assert_eq!(double_to_decimal(0.1).map(|d| d.to_string()), Ok("0.1".into()));
        assert_eq!(double_to_decimal(1.0 / 3.0).map(|d| d.to_string()), Ok("0.333333333333333".into()));
        assert_eq!(double_to_decimal(2.675).map(|d| d.to_string()), Ok("2.675".into()));
        assert_eq!(double_to_decimal(1e28).map(|d| d.to_string()), Ok("10000000000000000000000000000".into()));
        assert_eq!(double_to_decimal(f64::NAN), Err(DotNetError::Overflow(NumericType::Decimal)));
    }

    #[test]
    fn double_to_integer_rounds_half_to_even() {
        assert_eq!(double_to_integer(0.5, NumericType::Int32), Ok(0));
        assert_eq!(double_to_integer(1.5, NumericType::Int32), Ok(2));
        assert_eq!(double_to_integer(-1.5, NumericType::Int32), Ok(-2));
        assert_eq!(double_to_integer(2147483647.4, NumericType::Int32), Ok(2147483647));
        assert_eq!(double_to_integer(2147483647.5, NumericType::Int32), Err(DotNetError::Overflow(NumericType::Int32)));
        assert_eq!(double_to_integer(f64::NAN, NumericType::Int32), Err(DotNetError::Overflow(NumericType::Int32)));
        assert_eq!(double_to_integer(300.0, NumericType::Byte), Err(DotNetError::Overflow(NumericType::Byte)));
        assert_eq!(double_to_integer(1e19, NumericType::Int64), Err(DotNetError::ArithmeticOverflow));
        assert_eq!(double_to_integer(-0.5, NumericType::UInt32), Ok(0));
    }

    #[test]
    fn random_texts_never_panic() {
        let mut rng = super::super::test_rng::Rng::new(5);
        let alphabet: Vec<char> = "0123456789+-.,eE()$ x#&hFf\0\u{a0}".chars().collect();
        for _ in 0..30_000 {
            let s = rng.string(&alphabet, 14);
            for ty in
                [NumericType::Int32, NumericType::Int64, NumericType::UInt64, NumericType::Byte, NumericType::Int16]
            {
                let _ = ps_string_to_integer(&s, ty);
                let _ = parse_integer(&s, ty, NumberStyles::ANY);
            }
            let _ = ps_string_to_double(&s);
            let _ = ps_string_to_decimal(&s);
            let _ = parse_decimal(&s, NumberStyles::ANY);
        }
    }
}
