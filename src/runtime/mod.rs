//! The runtime: values, types, scopes, the evaluator of statements and
//! expressions, signatures, the binder and the pipeline.

pub mod binder;
pub mod command;
pub mod convert;
pub mod dotnet;
pub mod errors;
pub mod eval;
pub mod exceptions;
pub mod exec;
pub mod functions;
pub mod members;
pub mod ops;
pub mod pipeline;
pub mod progress;
pub mod scope;
pub mod session;
pub mod should_process;
pub mod signature;
pub mod streams;
pub mod transcript;
pub mod types;
pub mod value;
