//! The .NET numeric types, for what depends on the type: the overflow message, the width of `X`
//! (`(-1).ToString("X")` is `FFFFFFFF` for an Int32 and `FFFF` for an Int16) and the parse ranges.

/// A .NET primitive numeric type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumericType {
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    Decimal,
}

impl NumericType {
    /// The type's full .NET name (`System.Int32`).
    pub fn full_name(self) -> &'static str {
        match self {
            NumericType::SByte => "System.SByte",
            NumericType::Byte => "System.Byte",
            NumericType::Int16 => "System.Int16",
            NumericType::UInt16 => "System.UInt16",
            NumericType::Int32 => "System.Int32",
            NumericType::UInt32 => "System.UInt32",
            NumericType::Int64 => "System.Int64",
            NumericType::UInt64 => "System.UInt64",
            NumericType::Single => "System.Single",
            NumericType::Double => "System.Double",
            NumericType::Decimal => "System.Decimal",
        }
    }

    /// The text of the OverflowException .NET throws for this type (Overflow_Int32, ...).
    pub fn overflow_message(self) -> &'static str {
        match self {
            NumericType::SByte => "Value was either too large or too small for a signed byte.",
            NumericType::Byte => "Value was either too large or too small for an unsigned byte.",
            NumericType::Int16 => "Value was either too large or too small for an Int16.",
            NumericType::UInt16 => "Value was either too large or too small for a UInt16.",
            NumericType::Int32 => "Value was either too large or too small for an Int32.",
            NumericType::UInt32 => "Value was either too large or too small for a UInt32.",
            NumericType::Int64 => "Value was either too large or too small for an Int64.",
            NumericType::UInt64 => "Value was either too large or too small for a UInt64.",
            NumericType::Single => "Value was either too large or too small for a Single.",
            NumericType::Double => "Value was either too large or too small for a Double.",
            NumericType::Decimal => "Value was either too large or too small for a Decimal.",
        }
    }

    /// The inclusive range of an integer type; `None` for Single, Double and Decimal.
    pub fn integer_range(self) -> Option<(i128, i128)> {
        Some(match self {
            NumericType::SByte => (i8::MIN as i128, i8::MAX as i128),
            NumericType::Byte => (0, u8::MAX as i128),
            NumericType::Int16 => (i16::MIN as i128, i16::MAX as i128),
            NumericType::UInt16 => (0, u16::MAX as i128),
            NumericType::Int32 => (i32::MIN as i128, i32::MAX as i128),
            NumericType::UInt32 => (0, u32::MAX as i128),
            NumericType::Int64 => (i64::MIN as i128, i64::MAX as i128),
            NumericType::UInt64 => (0, u64::MAX as i128),
            NumericType::Single | NumericType::Double | NumericType::Decimal => return None,
        })
    }

    /// Bits of an integer type (for the two's complement `X` of a negative value).
    pub fn bits(self) -> u32 {
        match self {
            NumericType::SByte | NumericType::Byte => 8,
            NumericType::Int16 | NumericType::UInt16 => 16,
            NumericType::Int32 | NumericType::UInt32 | NumericType::Single => 32,
            NumericType::Int64 | NumericType::UInt64 | NumericType::Double => 64,
            NumericType::Decimal => 128,
        }
    }

    pub fn is_integer(self) -> bool {
        self.integer_range().is_some()
    }

    pub fn is_unsigned(self) -> bool {
        matches!(self, NumericType::Byte | NumericType::UInt16 | NumericType::UInt32 | NumericType::UInt64)
    }
}
