use thiserror::Error;

/// Display is the bare reason; the shell wraps it in "Service '...' cannot
/// be started due to the following error: <reason>".
#[derive(Debug, Error)]
pub enum ServiceError {
    #[error("{0}")]
    Failed(String),
    #[error(
        "The service cannot be started, either because it is disabled or because it has no enabled devices associated with it."
    )]
    Disabled,
    #[error("The service did not respond to the start or control request in a timely fashion.")]
    Timeout,
}
