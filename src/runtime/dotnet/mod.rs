//! .NET Framework 4.x text behaviours that Windows PowerShell 5.1 inherits, for the en-US culture
//! (and the invariant culture where PowerShell uses it). Plain Rust values in, `String`s or this
//! module's types out, errors as [`DotNetError`] carrying .NET's exact exception texts. Nothing here
//! depends on the rest of mailsh.
//!
//! What is reproduced, and from which .NET behaviour:
//!
//! - [`datetime`]: System.DateTime (ticks + kind): civil fields, `Add*` (fractional arguments rounded
//!   to whole milliseconds as 4.x rounds them), `AddMonths`/`AddYears` clamping to the month's end,
//!   `DaysInMonth`, `IsLeapYear`, subtraction, comparison (ticks only), Unix time
//!   (DateTimeOffset's `FromUnixTimeSeconds`/`ToUnixTimeSeconds`), `Now`/`UtcNow`/`Today`,
//!   `ToUniversalTime`/`ToLocalTime`. The local zone is the system's, read by chrono's `Local` (TZ,
//!   else /etc/localtime; UTC when neither names one); every conversion also has an `_in` form
//!   taking any `chrono::TimeZone`.
//! - [`timespan`]: System.TimeSpan: components, totals (with .NET's reciprocal multiplications),
//!   `From*` (rounded to milliseconds), `Negate`, `Duration`, `ToString` with `c`/`g`/`G`/custom
//!   formats, and `TimeSpan.Parse` (timespanparse.cs: the invariant forms `d.h:m:s.f` and the
//!   en-US ones `d:h:m:s.f`, overflow versus format errors).
//! - [`number_format`]: `ToString(format)` of integers, doubles, singles and decimals with standard
//!   (C D E F G N P R X) and custom formats, as 4.x's native number formatting does it: a double is
//!   first cut to 15 significant digits (17 for `R` when 15 do not round-trip, and for G16+/E15+),
//!   then rounded half away from zero on those digits (`(2.675).ToString("F2")` is `2.68`); the
//!   default `ToString()` of a double is `G15` (`0.333333333333333`, `1E+20`, `1E-05`, `NaN`,
//!   `Infinity`, `-Infinity`); a decimal keeps its scale (`1.50`); a zero never shows a sign.
//! - [`number_parse`]: `Int32.Parse`/`Double.Parse`/`Decimal.Parse` with NumberStyles (number.cs
//!   ParseNumber), `Convert.ToInt32(text, 16)`, double → integer (banker's rounding) and
//!   double → decimal (15 digits), and PowerShell 5.1's string-to-number casts on top of them
//!   (LanguagePrimitives.ConvertStringToInteger/Decimal/Real: trimming, `0x`/`&h`/`#` hex, the
//!   fallback through a double that makes `[int]"1e3"` 1000 and `[int]"1,000"` 1000).
//! - [`date_format`]: `DateTime.ToString(format)` with the standard formats (d D f F g G M m o O r R
//!   s t T u U y Y) and custom formats (datetimeformat.cs), en-US and invariant names and patterns;
//!   and `Get-Date -UFormat` as Windows PowerShell 5.1's GetDateCommand builds it (a composite
//!   format string over the date).
//! - [`date_parse`]: `DateTime.Parse` for the forms people type (see the module) and
//!   `DateTime.ParseExact` specifier by specifier (datetimeparse.cs ParseByFormat).
//! - [`composite`]: `String.Format` / `-f`: items, escapes and alignment parsed as 4.x's
//!   AppendFormat parses them; each argument is rendered by the caller's callback.
//!
//! Known differences from .NET Framework 4.x:
//!
//! - An ArgumentOutOfRangeException's text ends with "\nParameter name: x" (Environment.NewLine is
//!   "\r\n" on Windows).
//! - Doubles: the 15 (or 17) significant digits are correctly rounded from the exact binary value
//!   (ties to even); 4.x's CRT conversion may differ on an exact tie at the 16th digit, which only
//!   a handful of doubles have. Parsing a double uses Rust's correctly rounded conversion of the
//!   (at most 50) significant digits, where 4.x's own conversion can be one unit in the last place
//!   off for inputs of more than about 19 digits.
//! - Decimals parsed from more than 28 decimal places round as rust_decimal rounds a long text.
//! - `DateTime.Parse` accepts the forms listed in [`date_parse`]; .NET's lexer accepts rarer ones
//!   too (the one-letter time marks `A`/`P`, dates written with a year first and a month name after a
//!   separator of its own, ...), which are refused here with .NET's message instead of guessed at. DateTimeStyles
//!   are not taken: Parse behaves as with `None` (white space allowed), ParseExact as with `None`.
//! - A local wall time that a DST change skips takes the offset in force a day earlier.
//! - `Get-Date -UFormat` follows the GetDateCommand of the first open-source PowerShell, which is
//!   5.1's; PowerShell 6+ changed `%s` (whole UTC seconds), `%j` (padded), `%u` (Monday = 1), `%c`,
//!   `%G`/`%g`/`%V` (ISO weeks), `%k`/`%l` (space padded) and added `%F`.
//! - Only en-US and the invariant culture exist.

pub mod composite;
pub mod culture;
pub mod date_format;
pub mod date_parse;
pub mod datetime;
pub mod error;
pub mod number_format;
pub mod number_parse;
pub mod numeric_type;
pub mod timespan;

#[cfg(test)]
mod test_rng;

pub use culture::Culture;
pub use datetime::{DateKind, DateTime, DayOfWeek};
pub use error::DotNetError;
pub use numeric_type::NumericType;
pub use timespan::TimeSpan;
