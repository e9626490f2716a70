//! mailsh: an Exchange-style administration shell for mail access.
//!
//! Data flows one way: text → `language` (parse, AST) → `runtime` (binder,
//! pipeline) → `cmdlets` (objects) → `format` (text). The `store` is the only
//! module that speaks SQL; `services` supervise the `engines`.

pub mod cmdlets;
pub mod engines;
pub mod format;
pub mod hosts;
pub mod language;
#[cfg(test)]
mod layers;
pub mod runtime;
pub mod services;
pub mod store;
