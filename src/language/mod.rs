//! The language layer: text in, typed syntax tree out.

pub mod ast;
pub mod diagnose;
pub mod opath;
pub mod parse;

pub use diagnose::ParseError;
pub use parse::parse_script;
