//! MSExchangeIMAP4: what clients connect to. It greets with the Banner,
//! offers STARTTLS on the plain bindings and implicit TLS on the SSL ones,
//! enforces LoginType and the connection limits, authenticates the user
//! against the config store, then logs on to the back end with
//! AUTHENTICATE PLAIN and relays bytes both ways.

mod backend_link;
mod session;

use std::sync::Arc;
use std::time::Duration;

use crate::engines::net::{EngineContext, ListenerKind, NetError};

pub use backend_link::BackendLink;

/// Serves until shutdown.
pub async fn run_frontend(mut ctx: EngineContext) -> Result<(), NetError> {
    let listeners = std::mem::take(&mut ctx.listeners);
    let ctx = Arc::new(ctx);
    let mut tasks = Vec::new();
    for l in listeners {
        let ctx = ctx.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let (tcp, peer) = match l.listener.accept().await {
                    Ok(x) => x,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = tcp.set_nodelay(true);
                let ctx = ctx.clone();
                let implicit_tls = l.kind == ListenerKind::ImplicitTls;
                tokio::spawn(async move {
                    let _ = session::run(tcp, peer, implicit_tls, ctx).await;
                });
            }
        }));
    }
    let mut shutdown = ctx.shutdown.clone();
    while !*shutdown.borrow() {
        if shutdown.changed().await.is_err() {
            break;
        }
    }
    for t in &tasks {
        t.abort();
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(())
}
