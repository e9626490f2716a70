//! .NET Framework 4.x text behaviours that Windows PowerShell 5.1 inherits (en-US culture).

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
