//! The two cultures PowerShell 5.1 formats and parses with: en-US (the current culture here, as
//! .NET Framework 4.x on Windows 10 has it) and the invariant culture (string conversions, casts).

/// CultureInfo, reduced to the two that matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Culture {
    /// en-US: `-f`, `ToString()`, `Get-Date -Format`, parameter binding.
    #[default]
    EnUs,
    /// InvariantCulture: `"$date"`, `[string]$x`, `[datetime]"..."` casts.
    Invariant,
}

/// DateTimeFormatInfo's patterns and names.
#[derive(Debug)]
pub struct DateTimeFormatInfo {
    pub short_date: &'static str,
    pub long_date: &'static str,
    pub short_time: &'static str,
    pub long_time: &'static str,
    pub full_date_time: &'static str,
    pub month_day: &'static str,
    pub year_month: &'static str,
    pub am: &'static str,
    pub pm: &'static str,
}

/// NumberFormatInfo's symbols and patterns (the digits, separators and signs are the same in
/// both cultures: `.`, `,`, `-`, groups of 3).
#[derive(Debug)]
pub struct NumberFormatInfo {
    pub currency_symbol: &'static str,
    /// CurrencyPositivePattern: 0 `$n`.
    pub currency_positive_pattern: usize,
    /// CurrencyNegativePattern: 0 `($n)`.
    pub currency_negative_pattern: usize,
    /// PercentPositivePattern: 0 `n %`.
    pub percent_positive_pattern: usize,
    /// PercentNegativePattern: 0 `-n %`.
    pub percent_negative_pattern: usize,
    /// NumberNegativePattern: 1 `-n`.
    pub number_negative_pattern: usize,
}

pub const NAN_SYMBOL: &str = "NaN";
pub const POSITIVE_INFINITY_SYMBOL: &str = "Infinity";
pub const NEGATIVE_INFINITY_SYMBOL: &str = "-Infinity";
pub const PER_MILLE_SYMBOL: &str = "‰";

static EN_US_DATES: DateTimeFormatInfo = DateTimeFormatInfo {
    short_date: "M/d/yyyy",
    long_date: "dddd, MMMM d, yyyy",
    short_time: "h:mm tt",
    long_time: "h:mm:ss tt",
    full_date_time: "dddd, MMMM d, yyyy h:mm:ss tt",
    month_day: "MMMM d",
    year_month: "MMMM yyyy",
    am: "AM",
    pm: "PM",
};

static INVARIANT_DATES: DateTimeFormatInfo = DateTimeFormatInfo {
    short_date: "MM/dd/yyyy",
    long_date: "dddd, dd MMMM yyyy",
    short_time: "HH:mm",
    long_time: "HH:mm:ss",
    full_date_time: "dddd, dd MMMM yyyy HH:mm:ss",
    month_day: "MMMM dd",
    year_month: "yyyy MMMM",
    am: "AM",
    pm: "PM",
};

static EN_US_NUMBERS: NumberFormatInfo = NumberFormatInfo {
    currency_symbol: "$",
    currency_positive_pattern: 0,
    currency_negative_pattern: 0,
    percent_positive_pattern: 0,
    percent_negative_pattern: 0,
    number_negative_pattern: 1,
};

static INVARIANT_NUMBERS: NumberFormatInfo = NumberFormatInfo {
    currency_symbol: "¤",
    currency_positive_pattern: 0,
    currency_negative_pattern: 0,
    percent_positive_pattern: 0,
    percent_negative_pattern: 0,
    number_negative_pattern: 1,
};

impl Culture {
    pub fn dates(self) -> &'static DateTimeFormatInfo {
        match self {
            Culture::EnUs => &EN_US_DATES,
            Culture::Invariant => &INVARIANT_DATES,
        }
    }

    pub fn numbers(self) -> &'static NumberFormatInfo {
        match self {
            Culture::EnUs => &EN_US_NUMBERS,
            Culture::Invariant => &INVARIANT_NUMBERS,
        }
    }
}
