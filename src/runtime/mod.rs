//! The runtime: values, signatures, errors, the binder and the pipeline.

pub mod binder;
pub mod command;
pub mod convert;
pub mod dotnet;
pub mod errors;
pub mod eval;
pub mod operators;
pub mod pipeline;
pub mod session;
pub mod signature;
pub mod value;
