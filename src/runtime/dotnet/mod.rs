//! .NET Framework 4.x text behaviours that Windows PowerShell 5.1 inherits (en-US culture).

pub mod error;
pub mod numeric_type;
pub mod timespan;

#[cfg(test)]
mod test_rng;

pub use error::DotNetError;
pub use numeric_type::NumericType;
pub use timespan::TimeSpan;
