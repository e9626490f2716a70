//! The runtime: values, signatures, errors, the binder and the pipeline.

pub mod errors;
pub mod signature;
pub mod value;
