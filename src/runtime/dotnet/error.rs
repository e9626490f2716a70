//! The exceptions .NET throws from the behaviours this module reproduces, with their exact message texts
//! (mscorlib's resource strings of .NET Framework 4.x), so PowerShell's error records can quote them.

use super::numeric_type::NumericType;

/// A .NET exception: the variant names the resource string, `exception_type` the .NET class.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DotNetError {
    /// Format_InvalidString (FormatException).
    #[error("Input string was not in a correct format.")]
    InvalidString,
    /// Argument_BadFormatSpecifier / Format_BadFormatSpecifier (FormatException).
    #[error("Format specifier was invalid.")]
    BadFormatSpecifier,
    /// Format_IndexOutOfRange (FormatException), from composite formatting.
    #[error("Index (zero based) must be greater than or equal to zero and less than the size of the argument list.")]
    FormatIndexOutOfRange,
    /// Format_BadQuote (FormatException), from date and time span custom formats.
    #[error("Cannot find a matching quote character for the character '{0}'.")]
    BadQuote(char),
    /// Format_BadDateTime (FormatException).
    #[error("String was not recognized as a valid DateTime.")]
    BadDateTime,
    /// Format_BadDateTimeCalendar (FormatException): the fields parsed but name no real day (`2/30/2026`).
    #[error(
        "The DateTime represented by the string is not supported in calendar System.Globalization.GregorianCalendar."
    )]
    BadDateTimeCalendar,
    /// Format_BadDayOfWeek (FormatException).
    #[error("String was not recognized as a valid DateTime because the day of week was incorrect.")]
    BadDayOfWeek,
    /// Format_DateOutOfRange (FormatException): a time zone adjustment left 0001..9999.
    #[error("The DateTime represented by the string is out of range.")]
    DateOutOfRange,
    /// Format_BadTimeSpan (FormatException).
    #[error("String was not recognized as a valid TimeSpan.")]
    BadTimeSpan,
    /// Overflow_TimeSpanElementTooLarge (OverflowException).
    #[error(
        "The TimeSpan could not be parsed because at least one of the numeric components is out of range or contains too many digits."
    )]
    TimeSpanElementTooLarge,
    /// Overflow_TimeSpanTooLong (OverflowException).
    #[error("TimeSpan overflowed because the duration is too long.")]
    TimeSpanTooLong,
    /// Overflow_NegateTwosCompNum (OverflowException): `TimeSpan.MinValue.Negate()`.
    #[error("Negating the minimum value of a twos complement number is invalid.")]
    NegateTwosComplement,
    /// Overflow_Duration (OverflowException): `TimeSpan.MinValue.Duration()`.
    #[error(
        "The duration cannot be returned for TimeSpan.MinValue because the absolute value of TimeSpan.MinValue exceeds the value of TimeSpan.MaxValue."
    )]
    Duration,
    /// Arg_CannotBeNaN (ArgumentException): `TimeSpan.FromDays(NaN)`.
    #[error("TimeSpan does not accept floating point Not-a-Number values.")]
    TimeSpanNaN,
    /// Overflow_Int32, Overflow_Double, ... (OverflowException).
    #[error("{}", .0.overflow_message())]
    Overflow(NumericType),
    /// Overflow_NegativeUnsigned (OverflowException).
    #[error("The string was being parsed as an unsigned number and could not have a negative sign.")]
    NegativeUnsigned,
    /// Format_ExtraJunkAtEnd (FormatException), from `Convert.ToInt32(text, 16)`.
    #[error("Additional non-parsable characters are at the end of the string.")]
    ExtraJunkAtEnd,
    /// Format_NoParsibleDigits (FormatException), from `Convert.ToInt32(text, 16)`.
    #[error("Could not find any recognizable digits.")]
    NoParsibleDigits,
    /// OverflowException from a `checked` conversion (`Convert.ToInt64(1e30)`).
    #[error("Arithmetic operation resulted in an overflow.")]
    ArithmeticOverflow,
    /// ArgumentException with the given text (`Convert.ToInt32("-1", 16)`).
    #[error("{0}")]
    Argument(String),
    /// IndexOutOfRangeException, which .NET Framework lets escape from a few places (an empty
    /// `Get-Date -UFormat`, a blank string cast to an integer).
    #[error("Index was outside the bounds of the array.")]
    IndexOutOfRange,
    /// ArgumentOutOfRangeException: .NET appends the parameter's name on a line of its own
    /// (Environment.NewLine, here "\n").
    #[error("{}", out_of_range_text(message, param))]
    ArgumentOutOfRange { param: &'static str, message: String },
}

impl DotNetError {
    /// The full name of the .NET exception class, for `catch [System.FormatException]` and `GetType()`.
    pub fn exception_type(&self) -> &'static str {
        use DotNetError::*;
        match self {
            InvalidString
            | BadFormatSpecifier
            | FormatIndexOutOfRange
            | BadQuote(_)
            | BadDateTime
            | BadDateTimeCalendar
            | BadDayOfWeek
            | DateOutOfRange
            | BadTimeSpan
            | ExtraJunkAtEnd
            | NoParsibleDigits => "System.FormatException",
            TimeSpanElementTooLarge
            | TimeSpanTooLong
            | NegateTwosComplement
            | Duration
            | Overflow(_)
            | NegativeUnsigned
            | ArithmeticOverflow => "System.OverflowException",
            TimeSpanNaN | Argument(_) => "System.ArgumentException",
            IndexOutOfRange => "System.IndexOutOfRangeException",
            ArgumentOutOfRange { .. } => "System.ArgumentOutOfRangeException",
        }
    }

    /// An ArgumentOutOfRangeException thrown without a parameter name (.NET's TimeSpan constructors).
    pub(crate) fn out_of_range_unnamed(message: &str) -> Self {
        DotNetError::ArgumentOutOfRange { param: "", message: message.to_string() }
    }

    pub(crate) fn out_of_range(param: &'static str, message: &str) -> Self {
        DotNetError::ArgumentOutOfRange { param, message: message.to_string() }
    }

    /// ArgumentOutOfRange_Range: "Valid values are between {0} and {1}, inclusive."
    pub(crate) fn range(param: &'static str, low: i64, high: i64) -> Self {
        DotNetError::ArgumentOutOfRange {
            param,
            message: format!("Valid values are between {low} and {high}, inclusive."),
        }
    }
}

fn out_of_range_text(message: &str, param: &str) -> String {
    if param.is_empty() { message.to_string() } else { format!("{message}\nParameter name: {param}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_dotnets() {
        assert_eq!(DotNetError::InvalidString.to_string(), "Input string was not in a correct format.");
        assert_eq!(
            DotNetError::Overflow(NumericType::Int32).to_string(),
            "Value was either too large or too small for an Int32."
        );
        assert_eq!(
            DotNetError::Overflow(NumericType::Byte).to_string(),
            "Value was either too large or too small for an unsigned byte."
        );
        assert_eq!(
            DotNetError::BadQuote('\'').to_string(),
            "Cannot find a matching quote character for the character '''."
        );
        assert_eq!(
            DotNetError::range("millisecond", 0, 999).to_string(),
            "Valid values are between 0 and 999, inclusive.\nParameter name: millisecond"
        );
        assert_eq!(DotNetError::BadTimeSpan.exception_type(), "System.FormatException");
        assert_eq!(DotNetError::TimeSpanTooLong.exception_type(), "System.OverflowException");
    }
}
