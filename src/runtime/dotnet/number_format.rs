//! Number.ToString(format, culture) as .NET Framework 4.x does it (its native number.cpp): every
//! value is first turned into a digit string with a decimal exponent (a double into 15 significant
//! digits, 17 for `R` when 15 do not round-trip and for G16+/E15+; a decimal into all its digits,
//! trailing zeros kept; an integer into all its digits), then that digit string is rounded half
//! away from zero and laid out by the standard format (C D E F G N P R X) or the custom format.
//! This is why `(2.675).ToString("F2")` is `2.68` on 4.x (the 15 digits are 267500000000000)
//! where .NET Core prints `2.67`, and why `(-0.001).ToString("F2")` is `0.00` without a sign.

use super::culture::{Culture, NAN_SYMBOL, NEGATIVE_INFINITY_SYMBOL, PER_MILLE_SYMBOL, POSITIVE_INFINITY_SYMBOL};
use super::error::DotNetError;
use super::numeric_type::NumericType;
use rust_decimal::Decimal;

/// .NET's NUMBER: the significant digits (ASCII, possibly with trailing zeros), the position of
/// the decimal point relative to them (value = 0.d1d2d3... × 10^scale), the sign, and the default
/// precision of 'G'.
#[derive(Debug, Clone)]
struct Number {
    digits: Vec<u8>,
    scale: i32,
    negative: bool,
    precision: i32,
    /// A decimal's 'G' without precision is not rounded and keeps its trailing zeros.
    is_decimal: bool,
}

impl Number {
    fn is_zero(&self) -> bool {
        self.digits.first().is_none_or(|&d| d == b'0')
    }

    fn digit(&self, i: usize) -> Option<u8> {
        self.digits.get(i).copied()
    }

    /// RoundNumber: keep `pos` digits, rounding half away from zero on the digit string; drop
    /// trailing zeros; a zero result loses its sign.
    fn round(&mut self, pos: i32) {
        let mut i = 0usize;
        while (i as i32) < pos && i < self.digits.len() {
            i += 1;
        }
        if i as i32 == pos && self.digit(i).is_some_and(|d| d >= b'5') {
            while i > 0 && self.digits[i - 1] == b'9' {
                i -= 1;
            }
            if i > 0 {
                self.digits[i - 1] += 1;
            } else {
                self.scale += 1;
                self.digits.clear();
                self.digits.push(b'1');
                i = 1;
            }
        } else {
            while i > 0 && self.digits[i - 1] == b'0' {
                i -= 1;
            }
        }
        if i == 0 {
            self.scale = 0;
            self.negative = false;
        }
        self.digits.truncate(i);
    }

    fn from_integer(value: i128, precision: i32) -> Number {
        let digits = value.unsigned_abs().to_string().into_bytes();
        let (digits, scale) = if value == 0 { (Vec::new(), 0) } else { (digits.clone(), digits.len() as i32) };
        Number { digits, scale, negative: value < 0, precision, is_decimal: false }
    }

    /// `precision` significant digits of a finite double, correctly rounded from its exact value.
    fn from_double(value: f64, precision: usize) -> Number {
        let mut number = Number {
            digits: Vec::new(),
            scale: 0,
            negative: value < 0.0,
            precision: precision as i32,
            is_decimal: false,
        };
        if value == 0.0 {
            number.negative = false;
            return number;
        }
        let text = format!("{:.*e}", precision - 1, value.abs());
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        number.digits = mantissa.bytes().filter(u8::is_ascii_digit).collect();
        number.scale = exponent.parse::<i32>().unwrap_or(0) + 1;
        number
    }

    fn from_decimal(value: Decimal) -> Number {
        let mantissa = value.mantissa();
        let digits: Vec<u8> = if mantissa == 0 { Vec::new() } else { mantissa.unsigned_abs().to_string().into_bytes() };
        let scale = digits.len() as i32 - value.scale() as i32;
        Number { digits, scale, negative: value.is_sign_negative(), precision: 29, is_decimal: true }
    }
}

/// ParseFormatSpecifier: a letter followed by at most two digits (more while the value stays
/// below 10) is a standard format with that precision (-1 when absent); anything else is custom.
fn parse_standard(format: &str) -> Option<(char, i32)> {
    let chars: Vec<char> = format.chars().collect();
    let Some(&letter) = chars.first() else { return Some(('G', -1)) };
    if !letter.is_ascii_alphabetic() {
        return None;
    }
    let mut i = 1;
    let mut n = -1i32;
    if let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
        n = d as i32;
        i += 1;
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            n = n * 10 + d as i32;
            i += 1;
            if n >= 10 {
                break;
            }
        }
    }
    (i == chars.len()).then_some((letter, n))
}

/// `value.ToString(format, culture)` for an integer of type `ty` (`value` must fit in it).
pub fn format_integer(value: i128, ty: NumericType, format: &str, culture: Culture) -> Result<String, DotNetError> {
    let Some((letter, digits)) = parse_standard(format) else {
        return Ok(custom(Number::from_integer(value, 0), format, culture));
    };
    match letter.to_ascii_uppercase() {
        'G' if digits <= 0 => Ok(decimal_digits(value, digits)),
        'D' => Ok(decimal_digits(value, digits)),
        'X' => {
            // Negative values print their two's complement in the type's width.
            let bits = ty.bits().min(64);
            let unsigned = (value as u128) & if bits == 64 { u64::MAX as u128 } else { (1u128 << bits) - 1 };
            let hex = if letter == 'X' { format!("{unsigned:X}") } else { format!("{unsigned:x}") };
            Ok(format!("{hex:0>width$}", width = digits.max(0) as usize))
        }
        // 'R' belongs to Double and Single only on .NET Framework.
        'R' => Err(DotNetError::BadFormatSpecifier),
        _ => {
            let precision = match ty {
                NumericType::Int64 => 19,
                NumericType::UInt64 => 20,
                _ => 10,
            };
            standard(Number::from_integer(value, precision), letter, digits, culture)
        }
    }
}

/// Int32ToDecStr: the digits, zero-padded to the precision, after a minus sign.
fn decimal_digits(value: i128, digits: i32) -> String {
    let width = digits.max(1) as usize;
    let body = format!("{:0>width$}", value.unsigned_abs());
    if value < 0 { format!("-{body}") } else { body }
}

/// `value.ToString(format, culture)` for a double.
pub fn format_double(value: f64, format: &str, culture: Culture) -> Result<String, DotNetError> {
    format_float(value, format, culture, 15, 17)
}

/// `value.ToString(format, culture)` for a single (7 digits, 9 for round trips).
pub fn format_single(value: f32, format: &str, culture: Culture) -> Result<String, DotNetError> {
    format_float(value as f64, format, culture, 7, 9)
}

fn format_float(value: f64, format: &str, culture: Culture, short: usize, long: usize) -> Result<String, DotNetError> {
    let standard_format = parse_standard(format);
    if let Some((letter, _)) = standard_format
        && !matches!(letter.to_ascii_uppercase(), 'C' | 'E' | 'F' | 'G' | 'N' | 'P' | 'R')
    {
        return Err(DotNetError::BadFormatSpecifier);
    }
    if value.is_nan() {
        return Ok(NAN_SYMBOL.to_string());
    }
    if value.is_infinite() {
        return Ok(if value > 0.0 { POSITIVE_INFINITY_SYMBOL } else { NEGATIVE_INFINITY_SYMBOL }.to_string());
    }
    let Some((letter, digits)) = standard_format else {
        return Ok(custom(Number::from_double(value, short), format, culture));
    };
    let precision = match letter.to_ascii_uppercase() {
        'R' => {
            let number = Number::from_double(value, short);
            // A single round-trips when the digits read back as the same single.
            let text = digits_text(&number);
            let round_trips = match short {
                7 => text.and_then(|t| t.parse::<f32>().ok()) == Some(value as f32),
                _ => text.and_then(|t| t.parse::<f64>().ok()) == Some(value),
            };
            let number = if round_trips { number } else { Number::from_double(value, long) };
            let max = number.precision;
            return standard(number, 'G', max, culture);
        }
        'E' if digits > short as i32 - 1 => long,
        'G' if digits > short as i32 => long,
        _ => short,
    };
    standard(Number::from_double(value, precision), letter, digits, culture)
}

fn digits_text(number: &Number) -> Option<String> {
    if number.digits.is_empty() {
        return Some("0".into());
    }
    Some(format!(
        "{}0.{}e{}",
        if number.negative { "-" } else { "" },
        std::str::from_utf8(&number.digits).ok()?,
        number.scale
    ))
}

/// `value.ToString(format, culture)` for a decimal.
pub fn format_decimal(value: Decimal, format: &str, culture: Culture) -> Result<String, DotNetError> {
    let number = Number::from_decimal(value);
    match parse_standard(format) {
        Some((letter, digits)) => {
            if matches!(letter.to_ascii_uppercase(), 'D' | 'X' | 'R') {
                return Err(DotNetError::BadFormatSpecifier);
            }
            standard(number, letter, digits, culture)
        }
        None => Ok(custom(number, format, culture)),
    }
}

/// The default `ToString()` of a double: `0.333333333333333`, `1E+20`, `1E-05`, `NaN`.
pub fn double_to_string(value: f64) -> String {
    format_double(value, "", Culture::EnUs).unwrap_or_default()
}

/// The default `ToString()` of a decimal, which keeps its scale: `1.50`.
pub fn decimal_to_string(value: Decimal) -> String {
    format_decimal(value, "", Culture::EnUs).unwrap_or_default()
}

/// NumberToString: the standard formats C, E, F, G, N, P.
fn standard(mut number: Number, letter: char, digits: i32, culture: Culture) -> Result<String, DotNetError> {
    let info = culture.numbers();
    let mut out = String::new();
    match letter.to_ascii_uppercase() {
        'C' => {
            let digits = if digits < 0 { 2 } else { digits };
            number.round(number.scale + digits);
            let pattern = if number.negative {
                NEGATIVE_CURRENCY[info.currency_negative_pattern]
            } else {
                POSITIVE_CURRENCY[info.currency_positive_pattern]
            };
            for ch in pattern.chars() {
                match ch {
                    '#' => fixed(&mut out, &number, digits, true),
                    '-' => out.push('-'),
                    '$' => out.push_str(info.currency_symbol),
                    c => out.push(c),
                }
            }
        }
        'F' => {
            let digits = if digits < 0 { 2 } else { digits };
            number.round(number.scale + digits);
            if number.negative {
                out.push('-');
            }
            fixed(&mut out, &number, digits, false);
        }
        'N' => {
            let digits = if digits < 0 { 2 } else { digits };
            number.round(number.scale + digits);
            let pattern = if number.negative { NEGATIVE_NUMBER[info.number_negative_pattern] } else { "#" };
            for ch in pattern.chars() {
                match ch {
                    '#' => fixed(&mut out, &number, digits, true),
                    '-' => out.push('-'),
                    c => out.push(c),
                }
            }
        }
        'E' => {
            let digits = if digits < 0 { 6 } else { digits } + 1;
            number.round(digits);
            if number.negative {
                out.push('-');
            }
            scientific(&mut out, &number, digits, letter);
        }
        'G' => {
            let mut max = digits;
            let mut suppress_scientific = false;
            let mut skip_rounding = false;
            if max < 1 {
                if number.is_decimal && max == -1 {
                    // A decimal's plain ToString keeps every digit, trailing zeros included.
                    suppress_scientific = true;
                    skip_rounding = true;
                    if number.is_zero() {
                        number.negative = false;
                    }
                } else {
                    max = number.precision;
                }
            }
            if !skip_rounding {
                number.round(max);
            }
            if number.negative {
                out.push('-');
            }
            let exponent = if letter == 'g' { 'e' } else { 'E' };
            general(&mut out, &number, max, exponent, suppress_scientific);
        }
        'P' => {
            let digits = if digits < 0 { 2 } else { digits };
            number.scale += 2;
            number.round(number.scale + digits);
            let pattern = if number.negative {
                NEGATIVE_PERCENT[info.percent_negative_pattern]
            } else {
                POSITIVE_PERCENT[info.percent_positive_pattern]
            };
            for ch in pattern.chars() {
                match ch {
                    '#' => fixed(&mut out, &number, digits, true),
                    '-' => out.push('-'),
                    '%' => out.push('%'),
                    c => out.push(c),
                }
            }
        }
        _ => return Err(DotNetError::BadFormatSpecifier),
    }
    Ok(out)
}

const POSITIVE_CURRENCY: [&str; 4] = ["$#", "#$", "$ #", "# $"];
const NEGATIVE_CURRENCY: [&str; 16] = [
    "($#)", "-$#", "$-#", "$#-", "(#$)", "-#$", "#-$", "#$-", "-# $", "-$ #", "# $-", "$ #-", "$ -#", "#- $", "($ #)",
    "(# $)",
];
const POSITIVE_PERCENT: [&str; 4] = ["# %", "#%", "%#", "% #"];
const NEGATIVE_PERCENT: [&str; 12] =
    ["-# %", "-#%", "-%#", "%-#", "%#-", "#-%", "#%-", "-% #", "# %-", "% #-", "% -#", "#- %"];
const NEGATIVE_NUMBER: [&str; 5] = ["(#)", "-#", "- #", "#-", "# -"];

/// FormatFixed: the integer digits (grouped by three when asked), then `decimals` digits.
fn fixed(out: &mut String, number: &Number, decimals: i32, group: bool) {
    let mut dig = number.digits.iter().copied();
    let mut next = || dig.next().map_or('0', char::from);
    let int_len = number.scale;
    if int_len > 0 {
        let integer: Vec<char> = (0..int_len).map(|_| next()).collect();
        for (i, c) in integer.iter().enumerate() {
            if group && i > 0 && (int_len as usize - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(*c);
        }
    } else {
        out.push('0');
    }
    if decimals > 0 {
        out.push('.');
        let mut remaining = decimals;
        if int_len < 0 {
            let zeroes = (-int_len).min(remaining);
            out.extend(std::iter::repeat_n('0', zeroes as usize));
            remaining -= zeroes;
        }
        for _ in 0..remaining {
            out.push(next());
        }
    }
}

/// FormatScientific: d.ddd…E+ddd (at least three exponent digits).
fn scientific(out: &mut String, number: &Number, digits: i32, exponent_char: char) {
    let mut dig = number.digits.iter().copied();
    let mut next = || dig.next().map_or('0', char::from);
    out.push(next());
    if digits != 1 {
        out.push('.');
    }
    for _ in 1..digits {
        out.push(next());
    }
    let e = if number.is_zero() { 0 } else { number.scale - 1 };
    exponent(out, e, exponent_char, 3, true);
}

fn exponent(out: &mut String, value: i32, exponent_char: char, min_digits: usize, positive_sign: bool) {
    out.push(exponent_char);
    if value < 0 {
        out.push('-');
    } else if positive_sign {
        out.push('+');
    }
    out.push_str(&format!("{:0min_digits$}", value.unsigned_abs()));
}

/// FormatGeneral: fixed notation unless the exponent is past the precision or below -4.
fn general(out: &mut String, number: &Number, max_digits: i32, exponent_char: char, suppress_scientific: bool) {
    let mut dig_pos = number.scale;
    let mut is_scientific = false;
    if !suppress_scientific && (dig_pos > max_digits || dig_pos < -3) {
        dig_pos = 1;
        is_scientific = true;
    }
    let mut dig = number.digits.iter().copied().peekable();
    if dig_pos > 0 {
        for _ in 0..dig_pos {
            out.push(dig.next().map_or('0', char::from));
        }
    } else {
        out.push('0');
    }
    if dig.peek().is_some() || dig_pos < 0 {
        out.push('.');
        while dig_pos < 0 {
            out.push('0');
            dig_pos += 1;
        }
        out.extend(dig.map(char::from));
    }
    if is_scientific {
        exponent(out, number.scale - 1, exponent_char, 2, true);
    }
}

/// FindSection: the start of section `section` (0 positive, 1 negative, 2 zero); a missing or
/// empty section is the first.
fn find_section(format: &[char], section: usize) -> usize {
    if section == 0 {
        return 0;
    }
    let mut remaining = section;
    let mut i = 0;
    while i < format.len() {
        let ch = format[i];
        i += 1;
        match ch {
            '\'' | '"' => {
                while i < format.len() {
                    i += 1;
                    if format[i - 1] == ch {
                        break;
                    }
                }
            }
            '\\' if i < format.len() => i += 1,
            ';' => {
                remaining -= 1;
                if remaining != 0 {
                    continue;
                }
                if i < format.len() && format[i] != ';' {
                    return i;
                }
                return 0;
            }
            _ => {}
        }
    }
    0
}

/// NumberToStringFormat: a custom format such as `#,##0.00;(#,##0.00);Zero`.
fn custom(mut number: Number, format: &str, culture: Culture) -> String {
    let _ = culture; // The custom format's symbols are the same in both cultures.
    let format: Vec<char> = format.chars().collect();
    let mut section = find_section(
        &format,
        if number.is_zero() {
            2
        } else if number.negative {
            1
        } else {
            0
        },
    );
    let (mut digit_count, mut decimal_pos, mut first_digit, mut last_digit);
    let mut scientific;
    let mut thousand_seps;
    loop {
        digit_count = 0i32;
        decimal_pos = -1i32;
        first_digit = i32::MAX;
        last_digit = 0i32;
        scientific = false;
        thousand_seps = false;
        let mut thousand_pos = -1i32;
        let mut thousand_count = 0i32;
        let mut scale_adjust = 0i32;
        let mut i = section;
        while i < format.len() && format[i] != ';' {
            let ch = format[i];
            i += 1;
            match ch {
                '#' => digit_count += 1,
                '0' => {
                    if first_digit == i32::MAX {
                        first_digit = digit_count;
                    }
                    digit_count += 1;
                    last_digit = digit_count;
                }
                '.' if decimal_pos < 0 => decimal_pos = digit_count,
                ',' if digit_count > 0 && decimal_pos < 0 => {
                    if thousand_pos >= 0 {
                        if thousand_pos == digit_count {
                            thousand_count += 1;
                            continue;
                        }
                        thousand_seps = true;
                    }
                    thousand_pos = digit_count;
                    thousand_count = 1;
                }
                '%' => scale_adjust += 2,
                '\u{2030}' => scale_adjust += 3,
                '\'' | '"' => {
                    while i < format.len() {
                        i += 1;
                        if format[i - 1] == ch {
                            break;
                        }
                    }
                }
                '\\' if i < format.len() => i += 1,
                'E' | 'e' => {
                    let next = format.get(i).copied();
                    let after = format.get(i + 1).copied();
                    if next == Some('0') || (matches!(next, Some('+' | '-')) && after == Some('0')) {
                        i += 1;
                        while format.get(i) == Some(&'0') {
                            i += 1;
                        }
                        scientific = true;
                    }
                }
                _ => {}
            }
        }
        if decimal_pos < 0 {
            decimal_pos = digit_count;
        }
        if thousand_pos >= 0 {
            if thousand_pos == decimal_pos {
                scale_adjust -= thousand_count * 3;
            } else {
                thousand_seps = true;
            }
        }
        if !number.is_zero() {
            number.scale += scale_adjust;
            let pos = if scientific { digit_count } else { number.scale + digit_count - decimal_pos };
            number.round(pos);
            if number.is_zero() {
                let zero_section = find_section(&format, 2);
                if zero_section != section {
                    section = zero_section;
                    continue;
                }
            }
        } else {
            // -0 and a zero decimal's scale print as plain zero.
            number.negative = false;
            number.scale = 0;
        }
        break;
    }
    let first_digit = if first_digit < decimal_pos { decimal_pos - first_digit } else { 0 };
    let last_digit = if last_digit > decimal_pos { decimal_pos - last_digit } else { 0 };
    let (mut dig_pos, mut adjust) =
        if scientific { (decimal_pos, 0) } else { (number.scale.max(decimal_pos), number.scale - decimal_pos) };

    // Where the group separators go: after each digit whose position (counted from the decimal
    // point) is a multiple of three.
    let mut separators: Vec<i32> = Vec::new();
    if thousand_seps {
        let total_digits = dig_pos + adjust.min(0);
        let num_digits = first_digit.max(total_digits);
        let mut at = 3;
        while num_digits > at {
            separators.push(at);
            at += 3;
        }
    }
    let mut out = String::new();
    if number.negative && section == 0 {
        out.push('-');
    }
    let mut dig = number.digits.iter().copied().peekable();
    let mut decimal_written = false;
    let push_separator = |out: &mut String, dig_pos: i32, separators: &mut Vec<i32>| {
        if dig_pos > 1 && separators.last().is_some_and(|&s| dig_pos == s + 1) {
            out.push(',');
            separators.pop();
        }
    };
    let mut i = section;
    while i < format.len() && format[i] != ';' {
        let ch = format[i];
        i += 1;
        if adjust > 0 && matches!(ch, '#' | '0' | '.') {
            while adjust > 0 {
                out.push(dig.next().map_or('0', char::from));
                if thousand_seps {
                    push_separator(&mut out, dig_pos, &mut separators);
                }
                dig_pos -= 1;
                adjust -= 1;
            }
        }
        match ch {
            '#' | '0' => {
                let c = if adjust < 0 {
                    adjust += 1;
                    (dig_pos <= first_digit).then_some('0')
                } else {
                    match dig.next() {
                        Some(d) => Some(char::from(d)),
                        None => (dig_pos > last_digit).then_some('0'),
                    }
                };
                if let Some(c) = c {
                    out.push(c);
                    if thousand_seps {
                        push_separator(&mut out, dig_pos, &mut separators);
                    }
                }
                dig_pos -= 1;
            }
            '.' => {
                if dig_pos != 0 || decimal_written {
                    continue;
                }
                if last_digit < 0 || (decimal_pos < digit_count && dig.peek().is_some()) {
                    out.push('.');
                    decimal_written = true;
                }
            }
            '\u{2030}' => out.push_str(PER_MILLE_SYMBOL),
            '%' => out.push('%'),
            ',' => {}
            '\'' | '"' => {
                while i < format.len() && format[i] != ch {
                    out.push(format[i]);
                    i += 1;
                }
                if i < format.len() {
                    i += 1;
                }
            }
            '\\' => {
                if i < format.len() {
                    out.push(format[i]);
                    i += 1;
                }
            }
            'E' | 'e' => {
                let next = format.get(i).copied();
                let after = format.get(i + 1).copied();
                if scientific {
                    let mut min_digits = 0usize;
                    let mut positive_sign = false;
                    match next {
                        Some('0') => min_digits += 1,
                        Some('+') if after == Some('0') => positive_sign = true,
                        Some('-') if after == Some('0') => {}
                        _ => {
                            out.push(ch);
                            continue;
                        }
                    }
                    i += 1;
                    while format.get(i) == Some(&'0') {
                        min_digits += 1;
                        i += 1;
                    }
                    let e = if number.is_zero() { 0 } else { number.scale - decimal_pos };
                    exponent(&mut out, e, ch, min_digits.min(10), positive_sign);
                    scientific = false;
                } else {
                    out.push(ch);
                    if matches!(next, Some('+' | '-')) {
                        out.push(format[i]);
                        i += 1;
                    }
                    while format.get(i) == Some(&'0') {
                        out.push('0');
                        i += 1;
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(v: f64, f: &str) -> String {
        format_double(v, f, Culture::EnUs).unwrap()
    }
    fn i(v: i64, f: &str) -> String {
        format_integer(v as i128, NumericType::Int32, f, Culture::EnUs).unwrap()
    }
    fn l(v: i64, f: &str) -> String {
        format_integer(v as i128, NumericType::Int64, f, Culture::EnUs).unwrap()
    }
    fn m(v: &str, f: &str) -> String {
        format_decimal(Decimal::from_str(v).unwrap(), f, Culture::EnUs).unwrap()
    }

    #[test]
    fn default_double_to_string_is_15_digits() {
        assert_eq!(double_to_string(1.0 / 3.0), "0.333333333333333");
        assert_eq!(double_to_string(0.1 + 0.2), "0.3");
        assert_eq!(double_to_string(1e20), "1E+20");
        assert_eq!(double_to_string(1e-5), "1E-05");
        assert_eq!(double_to_string(0.0001), "0.0001");
        assert_eq!(double_to_string(1e15), "1E+15");
        assert_eq!(double_to_string(1e14), "100000000000000");
        assert_eq!(double_to_string(123456789012345678.0), "1.23456789012346E+17");
        assert_eq!(double_to_string(2.0 / 3.0), "0.666666666666667");
        assert_eq!(double_to_string(-1.5), "-1.5");
        assert_eq!(double_to_string(0.0), "0");
        assert_eq!(double_to_string(-0.0), "0");
        assert_eq!(double_to_string(f64::NAN), "NaN");
        assert_eq!(double_to_string(f64::INFINITY), "Infinity");
        assert_eq!(double_to_string(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(double_to_string(f64::MAX), "1.79769313486232E+308");
        assert_eq!(double_to_string(f64::MIN_POSITIVE), "2.2250738585072E-308");
        assert_eq!(double_to_string(5e-324), "4.94065645841247E-324");
        assert_eq!(double_to_string(100.0), "100");
        assert_eq!(double_to_string(1.1), "1.1");
        assert_eq!(double_to_string(std::f64::consts::PI), "3.14159265358979");
        assert_eq!(double_to_string(1764557550.12345), "1764557550.12345");
    }

    #[test]
    fn round_trip_format() {
        assert_eq!(d(0.1 + 0.2, "R"), "0.30000000000000004");
        // .NET Framework falls back to 17 digits, not to the shortest round-trip string (.NET Core 3+).
        assert_eq!(d(1.0 / 3.0, "R"), "0.33333333333333331");
        assert_eq!(d(0.1, "R"), "0.1");
        assert_eq!(d(1e20, "r"), "1E+20");
        assert_eq!(d(f64::MAX, "R"), "1.7976931348623157E+308");
        assert_eq!(d(123456789012345678.0, "R"), "1.2345678901234568E+17");
        assert_eq!(d(-0.0, "R"), "0");
        assert_eq!(d(f64::NAN, "R"), "NaN");
    }

    #[test]
    fn singles() {
        let s = |v: f32, f: &str| format_single(v, f, Culture::EnUs).unwrap();
        assert_eq!(s(0.1, ""), "0.1");
        assert_eq!(s(1.0 / 3.0, ""), "0.3333333");
        assert_eq!(s(16777216.0, ""), "1.677722E+07");
        assert_eq!(s(0.1, "R"), "0.1");
        assert_eq!(s(1.0 / 3.0, "R"), "0.333333343");
        assert_eq!(s(3.4028235e38, "R"), "3.40282347E+38");
        assert_eq!(s(1.5, "F3"), "1.500");
    }

    #[test]
    fn fixed_rounds_the_15_digits_half_away_from_zero() {
        assert_eq!(d(2.675, "F2"), "2.68");
        assert_eq!(d(1.005, "F2"), "1.01");
        assert_eq!(d(0.125, "F2"), "0.13");
        assert_eq!(d(-0.125, "F2"), "-0.13");
        assert_eq!(d(2.5, "F0"), "3");
        assert_eq!(d(-2.5, "F0"), "-3");
        assert_eq!(d(-0.001, "F2"), "0.00");
        assert_eq!(d(0.1, "F20"), "0.10000000000000000000");
        assert_eq!(d(1234.5678, "F"), "1234.57");
        assert_eq!(d(1e20, "F2"), "100000000000000000000.00");
        assert_eq!(d(1.0 / 3.0, "f3"), "0.333");
    }

    #[test]
    fn standard_numeric_formats_from_the_documentation() {
        // "Standard numeric format strings", en-US.
        assert_eq!(d(123.456, "C"), "$123.46");
        assert_eq!(d(123.456, "C3"), "$123.456");
        assert_eq!(d(-123.456, "C"), "($123.46)");
        assert_eq!(d(-123.456, "C0"), "($123)");
        assert_eq!(d(1234567.891, "C"), "$1,234,567.89");
        assert_eq!(i(1234, "D"), "1234");
        assert_eq!(i(-1234, "D6"), "-001234");
        assert_eq!(i(42, "D3"), "042");
        assert_eq!(d(1052.0329112756, "E"), "1.052033E+003");
        assert_eq!(d(-1052.0329112756, "e2"), "-1.05e+003");
        assert_eq!(d(1234.5678, "E0"), "1E+003");
        assert_eq!(d(0.0, "E"), "0.000000E+000");
        assert_eq!(d(0.000123, "E2"), "1.23E-004");
        assert_eq!(i(1234, "F1"), "1234.0");
        assert_eq!(i(-1234, "F1"), "-1234.0");
        assert_eq!(d(-1234.56, "F4"), "-1234.5600");
        assert_eq!(d(-123.456, "G"), "-123.456");
        assert_eq!(d(123.4546, "G4"), "123.5");
        assert_eq!(d(-1.616e-35, "G"), "-1.616E-35");
        assert_eq!(d(12345.6789, "G2"), "1.2E+04");
        assert_eq!(d(12345.6789, "g2"), "1.2e+04");
        assert_eq!(d(0.0001, "G"), "0.0001");
        assert_eq!(d(0.00001, "G"), "1E-05");
        assert_eq!(d(1234.567, "N"), "1,234.57");
        assert_eq!(i(1234, "N1"), "1,234.0");
        assert_eq!(d(-1234.56, "N3"), "-1,234.560");
        assert_eq!(d(1234567.891, "N0"), "1,234,568");
        assert_eq!(d(0.5, "N0"), "1");
        assert_eq!(d(1.0, "P"), "100.00 %");
        assert_eq!(d(-0.39678, "P1"), "-39.7 %");
        assert_eq!(d(0.2468013, "P"), "24.68 %");
        assert_eq!(d(0.5, "P0"), "50 %");
        assert_eq!(i(255, "X"), "FF");
        assert_eq!(i(-1, "x"), "ffffffff");
        assert_eq!(i(255, "X4"), "00FF");
        assert_eq!(i(123456789, "X"), "75BCD15");
        assert_eq!(i(123456789, "X2"), "75BCD15");
        assert_eq!(i(255, "X8"), "000000FF");
        assert_eq!(l(-1, "X"), "FFFFFFFFFFFFFFFF");
        assert_eq!(format_integer(-1, NumericType::Int16, "X", Culture::EnUs).unwrap(), "FFFF");
        assert_eq!(format_integer(-1, NumericType::SByte, "X", Culture::EnUs).unwrap(), "FF");
        assert_eq!(
            format_integer(u64::MAX as i128, NumericType::UInt64, "", Culture::EnUs).unwrap(),
            "18446744073709551615"
        );
    }

    #[test]
    fn integer_formats() {
        assert_eq!(i(0, ""), "0");
        assert_eq!(i(-42, ""), "-42");
        assert_eq!(i(12345, "G"), "12345");
        assert_eq!(i(12345, "G3"), "1.23E+04");
        assert_eq!(i(12345, "G0"), "12345");
        assert_eq!(i(1234567, "N0"), "1,234,567");
        assert_eq!(i(5, "C"), "$5.00");
        assert_eq!(i(-5, "C"), "($5.00)");
        assert_eq!(i(1, "P"), "100.00 %");
        assert_eq!(i(1234, "E2"), "1.23E+003");
        assert_eq!(i(0, "D3"), "000");
        assert_eq!(l(i64::MIN, "D"), "-9223372036854775808");
        assert_eq!(l(i64::MIN, "N0"), "-9,223,372,036,854,775,808");
        assert_eq!(l(i64::MIN, "X"), "8000000000000000");
        assert_eq!(format_integer(i32::MIN as i128, NumericType::Int32, "X", Culture::EnUs).unwrap(), "80000000");
        assert_eq!(i(5, "N005"), "5.00000");
        assert_eq!(i(5, "N100"), "N105");
        assert_eq!(format_integer(5, NumericType::Int32, "C", Culture::Invariant).unwrap(), "¤5.00");
    }

    #[test]
    fn invalid_format_specifiers() {
        let bad = Err(DotNetError::BadFormatSpecifier);
        assert_eq!(format_double(1.5, "D", Culture::EnUs), bad);
        assert_eq!(format_double(1.5, "X", Culture::EnUs), bad);
        assert_eq!(format_double(1.5, "Q", Culture::EnUs), bad);
        assert_eq!(format_double(f64::NAN, "Q", Culture::EnUs), bad);
        assert_eq!(format_integer(1, NumericType::Int32, "R", Culture::EnUs), bad);
        assert_eq!(format_integer(1, NumericType::Int32, "Z", Culture::EnUs), bad);
        assert_eq!(format_integer(1, NumericType::Int32, "h", Culture::EnUs), bad);
        assert_eq!(format_decimal(Decimal::ONE, "X", Culture::EnUs), bad);
        assert_eq!(format_decimal(Decimal::ONE, "R", Culture::EnUs), bad);
        assert_eq!(DotNetError::BadFormatSpecifier.to_string(), "Format specifier was invalid.");
    }

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(m("1.50", ""), "1.50");
        assert_eq!(m("1.50", "G"), "1.50");
        assert_eq!(m("0.00", ""), "0.00");
        assert_eq!(m("-0.00", ""), "0.00");
        assert_eq!(m("-1.50", ""), "-1.50");
        assert_eq!(m("100", ""), "100");
        assert_eq!(m("12345678901234567890.123456789", ""), "12345678901234567890.123456789");
        assert_eq!(m("0.0000001", ""), "0.0000001");
        assert_eq!(m("1.50", "F1"), "1.5");
        assert_eq!(m("2.675", "F2"), "2.68");
        assert_eq!(m("2.665", "F2"), "2.67");
        assert_eq!(m("1234.5", "N2"), "1,234.50");
        assert_eq!(m("1234.5", "C"), "$1,234.50");
        assert_eq!(m("-1234.5", "C"), "($1,234.50)");
        assert_eq!(m("0.5", "P0"), "50 %");
        assert_eq!(m("1.50", "G1"), "2");
        assert_eq!(m("12345.6", "G3"), "1.23E+04");
        assert_eq!(m("1.50", "0.000"), "1.500");
        assert_eq!(m("1.50", "E2"), "1.50E+000");
    }

    #[test]
    fn custom_numeric_formats_from_the_documentation() {
        // "Custom numeric format strings", en-US.
        assert_eq!(d(123.0, "00000"), "00123");
        assert_eq!(d(1.2, "0.00"), "1.20");
        assert_eq!(d(1.2, "00.00"), "01.20");
        assert_eq!(d(0.56, "0.0"), "0.6");
        assert_eq!(d(1234567890.0, "0,0"), "1,234,567,890");
        assert_eq!(d(1234567890.0, "#,#"), "1,234,567,890");
        assert_eq!(d(1234567890.0, "#,##0"), "1,234,567,890");
        assert_eq!(d(0.086, "#0.##%"), "8.6%");
        assert_eq!(d(86000.0, "0.###E+0"), "8.6E+4");
        assert_eq!(d(86000.0, "0.###E+000"), "8.6E+004");
        assert_eq!(d(86000.0, "0.###E-000"), "8.6E004");
        assert_eq!(d(1.2, "#.##"), "1.2");
        assert_eq!(d(123.0, "#####"), "123");
        assert_eq!(d(123456.0, "[##-##-##]"), "[12-34-56]");
        assert_eq!(d(1234567890.0, "#"), "1234567890");
        assert_eq!(d(1234567890.0, "(###) ###-####"), "(123) 456-7890");
        assert_eq!(d(1234567890.0, "#,,"), "1235");
        assert_eq!(d(1234567890.0, "#,,,"), "1");
        assert_eq!(d(1234567890.0, "#,##0,,"), "1,235");
        assert_eq!(d(0.3697, "%#0.00"), "%36.97");
        assert_eq!(d(0.3697, "##.0 %"), "37.0 %");
        assert_eq!(d(0.00354, "#0.## \u{2030}"), "3.54 ‰");
        assert_eq!(d(1503.92311, "0.0##e+00"), "1.504e+03");
        assert_eq!(d(1503.92311, "0.0e+00"), "1.5e+03");
        assert_eq!(d(1503.92311, "0.0##e-00"), "1.504e03");
        assert_eq!(d(1503.92311, "0.0e+0"), "1.5e+3");
        assert_eq!(i(123, "\\#\\#\\# ##0 dollars and \\0\\0 cents \\#\\#\\#"), "### 123 dollars and 00 cents ###");
        assert_eq!(i(123, "##0 'dollars'"), "123 dollars");
        assert_eq!(i(123, "##0 \"dollars\""), "123 dollars");
        assert_eq!(i(9, "0.##"), "9");
        assert_eq!(d(0.5, "0.##"), "0.5");
        assert_eq!(d(0.456, "0.##"), "0.46");
        assert_eq!(d(0.0, "#"), "");
        assert_eq!(d(0.0, "#.##"), "");
        assert_eq!(d(0.0, "0.##"), "0");
        assert_eq!(d(0.1, "#.##"), ".1");
        assert_eq!(i(1000, "000"), "1000");
        assert_eq!(i(5, "000"), "005");
        assert_eq!(i(-5, "000"), "-005");
        assert_eq!(i(1234567, "#,##0.00"), "1,234,567.00");
        assert_eq!(d(-1234.5, "#,##0.00"), "-1,234.50");
        assert_eq!(d(0.456, "#.#%"), "45.6%");
        assert_eq!(i(1, "0.0e+0"), "1.0e+0");
        assert_eq!(i(0, "0.0e+0"), "0.0e+0");
        assert_eq!(i(1, "xyz 0"), "xyz 1");
        assert_eq!(i(1, "0E"), "1E");
        assert_eq!(i(1, "0E+x"), "1E+x");
    }

    #[test]
    fn documentation_tables() {
        // The example columns of the "Standard numeric format strings" and "Custom numeric
        // format strings" tables (en-US).
        assert_eq!(d(-123.456, "C3"), "($123.456)");
        assert_eq!(d(-1.234567890e-25, "G"), "-1.23456789E-25");
        assert_eq!(d(123456789.12345678, "R"), "123456789.12345678");
        assert_eq!(d(-1_234_567_890.123_456_7, "R"), "-1234567890.1234567");
        assert_eq!(format_integer(-1, NumericType::SByte, "X4", Culture::EnUs).unwrap(), "00FF");
        assert_eq!(i(255, "x4"), "00ff");
        assert_eq!(d(1234.5678, "00000"), "01235");
        assert_eq!(d(0.45678, "0.00"), "0.46");
        assert_eq!(d(1234.5678, "#####"), "1235");
        assert_eq!(d(0.45678, "#.##"), ".46");
        assert_eq!(i(3, "####"), "3");
        assert_eq!(i(2147483647, "##,#"), "2,147,483,647");
        assert_eq!(i(2147483647, "#,#,,"), "2,147");
        assert_eq!(d(0.03697, "#0.00\u{2030}"), "36.97‰");
        assert_eq!(i(987654, "#0.0e0"), "98.8e4");
        assert_eq!(d(1.8901385E-16, "0.0e+00"), "1.9e-16");
        assert_eq!(i(987654, "\\###00\\#"), "#987654#");
        assert_eq!(i(68, "# 'degrees'"), "68 degrees");
        assert_eq!(i(68, "#' degrees'"), "68 degrees");
        assert_eq!(i(68, "# °"), "68 °");
        let sections = "#0.0#;(#0.0#);-\\0-";
        assert_eq!(d(12.345, sections), "12.35");
        assert_eq!(d(0.0, sections), "-0-");
        assert_eq!(d(-12.345, sections), "(12.35)");
        assert_eq!(d(12.345, "#0.0#;(#0.0#)"), "12.35");
        assert_eq!(d(0.0, "#0.0#;(#0.0#)"), "0.0");
        assert_eq!(d(-12.345, "#0.0#;(#0.0#)"), "(12.35)");
        assert_eq!(d(34.5, "00"), "35");
        assert_eq!(d(34.5, "##"), "35");
        assert_eq!(i(1000, "#,#"), "1,000");
        assert_eq!(i(100_000_000, "0,,"), "100");
        assert_eq!(i(1_000_000_000, "#,0,,"), "1,000");
    }

    #[test]
    fn section_separators() {
        // From the documentation's ";" section: positive;negative;zero.
        let f = "##;(##);**Zero**";
        assert_eq!(d(1234.0, f), "1234");
        assert_eq!(d(-1234.0, f), "(1234)");
        assert_eq!(d(0.0, f), "**Zero**");
        assert_eq!(d(1234.0, "##;(##)"), "1234");
        assert_eq!(d(-1234.0, "##;(##)"), "(1234)");
        assert_eq!(d(0.0, "##;(##)"), "");
        assert_eq!(d(-0.4, "0;(0);zero"), "zero");
        assert_eq!(d(-5.0, "0;;zero"), "-5");
        assert_eq!(d(0.0, "0;-0;"), "0");
        assert_eq!(d(0.001, "0.0;neg;zero"), "zero");
        assert_eq!(d(-12.5, "pos 0.0;neg 0.0"), "neg 12.5");
        assert_eq!(d(-12.5, "'a;b' 0;other"), "other");
        assert_eq!(d(12.5, "'a;b' 0;other"), "a;b 13");
        assert_eq!(d(12.0, "\\;0;x"), ";12");
    }

    #[test]
    fn random_formats_and_values_never_panic() {
        let mut rng = super::super::test_rng::Rng::new(42);
        let alphabet: Vec<char> = "0#.,;%\u{2030}eE+-'\"\\xNCDFGPRX129 ".chars().collect();
        for _ in 0..30_000 {
            let f = rng.string(&alphabet, 10);
            let v = rng.double();
            let _ = format_double(v, &f, Culture::EnUs);
            let _ = format_single(v as f32, &f, Culture::EnUs);
            let n = rng.next() as i64;
            let _ = format_integer(n as i128, NumericType::Int64, &f, Culture::EnUs);
            let _ = format_integer(n as i32 as i128, NumericType::Int32, &f, Culture::EnUs);
            let _ = format_integer(n as u64 as i128, NumericType::UInt64, &f, Culture::EnUs);
            let _ = format_integer(n as i8 as i128, NumericType::SByte, &f, Culture::EnUs);
            let _ = format_integer(n as u16 as i128, NumericType::UInt16, &f, Culture::EnUs);
            let dec = Decimal::from_i128_with_scale((n as i128) << 20, rng.below(29) as u32);
            let _ = format_decimal(dec, &f, Culture::EnUs);
        }
    }

    #[test]
    fn default_strings_round_trip_through_r() {
        let mut rng = super::super::test_rng::Rng::new(3);
        for _ in 0..20_000 {
            let v = rng.double();
            if v.is_finite() {
                let r = d(v, "R");
                assert_eq!(r.parse::<f64>().unwrap(), v, "{r}");
            }
        }
    }
}
