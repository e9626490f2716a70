use thiserror::Error;

#[derive(Debug, Error)]
pub enum NetError {
    /// The Display is the bare reason Start-Service shows.
    #[error("{0}")]
    Bind(String),
    #[error("The binding '{0}' is not an address:port pair.")]
    BadBinding(String),
    #[error("The certificate for '{name}' could not be used: {reason}")]
    Certificate { name: String, reason: String },
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}
