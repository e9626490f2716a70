//! The accept loops of one engine: a task per listener, a task per
//! connection, until the service is asked to stop.

use std::future::Future;

use tokio::net::TcpStream;
use tokio::sync::watch;

use crate::engines::net::{ListenerKind, ServiceListener};

pub async fn accept_all<F, Fut>(listeners: Vec<ServiceListener>, mut shutdown: watch::Receiver<bool>, handle: F)
where
    F: Fn(TcpStream, ListenerKind) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut loops = Vec::new();
    for l in listeners {
        let handle = handle.clone();
        let mut stop = shutdown.clone();
        loops.push(tokio::spawn(async move {
            loop {
                tokio::select! {
                    accepted = l.listener.accept() => match accepted {
                        Ok((tcp, _)) => {
                            let _ = tcp.set_nodelay(true);
                            tokio::spawn(handle(tcp, l.kind));
                        }
                        // Out of descriptors and the like: wait, do not spin.
                        Err(e) => {
                            eprintln!("mailsh: accept on {} failed: {e}", l.binding);
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        }
                    },
                    _ = stopped(&mut stop) => break,
                }
            }
        }));
    }
    stopped(&mut shutdown).await;
    for l in loops {
        let _ = l.await;
    }
}

/// Resolves once the service is stopping (or its stop signal is gone).
pub async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}
