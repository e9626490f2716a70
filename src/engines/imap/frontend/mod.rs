//! MSExchangeIMAP4 front end (written next).
use crate::engines::net::{EngineContext, NetError};
pub async fn run_frontend(_ctx: EngineContext) -> Result<(), NetError> { Ok(()) }
