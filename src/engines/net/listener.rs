//! The one accept loop of every engine, front end or back end, whatever the
//! protocol (the model is Stalwart's listener `SessionManager`). It owns
//! what every listener must do the same way, so a rule written here holds
//! for all of them:
//!
//! - accept on each bound listener until the service stops;
//! - admit the connection against the connection limits (a refused client
//!   reads the protocol's refusal on a plain-text listener, nothing on an
//!   implicit-TLS one, where plain bytes would only garble the handshake);
//! - do the TLS handshake of an implicit-TLS listener, bounded by
//!   PreAuthenticatedConnectionTimeout;
//! - number the session (protocol logs) and spawn it once;
//! - at stop, stop accepting, give sessions `FAREWELL` to end by themselves
//!   (IMAP4 says `* BYE`, POP3 closes without UPDATE), drop the rest, and
//!   return when none is left.
//!
//! A protocol plugs in by implementing [`SessionHandler`].

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;

use super::context::{BoundListener, EngineContext, ListenerKind};
use super::limits::{ConnectionLimits, ConnectionSlot};
use super::stream::ServerStream;

/// How long sessions have, once the service is stopping, to say goodbye
/// themselves before they are dropped.
pub const FAREWELL: Duration = Duration::from_secs(2);

/// Pause after a failed accept (out of descriptors and the like), so the
/// loop waits instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// One admitted client connection, TLS already negotiated on an
/// implicit-TLS listener. Its connection-limit slot is held by the session
/// task, so it is given back however the session ends.
pub struct Connection {
    pub stream: ServerStream,
    pub local: Option<SocketAddr>,
    pub peer: SocketAddr,
    pub kind: ListenerKind,
    /// The session number in protocol logs, unique in this engine process.
    pub id: u64,
}

impl Connection {
    pub fn ip(&self) -> IpAddr {
        self.peer.ip()
    }
}

/// A protocol's side of the session layer.
pub trait SessionHandler: Send + Sync + 'static {
    /// What a client the connection limits refuse reads before the
    /// connection is closed (on plain-text listeners).
    const REFUSAL: &'static [u8];

    /// Serves one connection until it ends. The session watches the
    /// service's stop signal itself to say goodbye its own way; one that
    /// has not ended `FAREWELL` after the stop is dropped.
    fn serve(self: Arc<Self>, connection: Connection) -> impl Future<Output = ()> + Send;
}

/// A listener in the async runtime.
struct ServiceListener {
    binding: String,
    kind: ListenerKind,
    listener: tokio::net::TcpListener,
}

/// What the accept loops need, taken out of the engine context.
pub struct SessionManager {
    listeners: Vec<ServiceListener>,
    limits: ConnectionLimits,
    tls: Option<TlsAcceptor>,
    handshake_timeout: Duration,
    farewell: Duration,
    shutdown: watch::Receiver<bool>,
}

struct Shared<H> {
    handler: Arc<H>,
    limits: ConnectionLimits,
    tls: Option<TlsAcceptor>,
    handshake_timeout: Duration,
    farewell: Duration,
    shutdown: watch::Receiver<bool>,
    next_id: AtomicU64,
    /// Never sent on: it closes when the last holder of this `Shared` (an
    /// accept loop or a session) is gone, which is how the manager knows
    /// every session has ended.
    _alive: mpsc::Sender<()>,
}

impl SessionManager {
    /// Takes the bound listeners out of the context and hands them to the
    /// async runtime (so it must run inside one); the rest of the context
    /// goes to the protocol's handler.
    pub fn new(ctx: &mut EngineContext) -> std::io::Result<SessionManager> {
        SessionManager::from_parts(
            std::mem::take(&mut ctx.listeners),
            ctx.limits.clone(),
            ctx.tls.clone(),
            ctx.preauth_timeout(),
            ctx.shutdown.clone(),
        )
    }

    /// The same from its parts, for an engine whose context is not an
    /// [`EngineContext`] (the transport services read receive connectors,
    /// not protocol settings).
    pub fn from_parts(
        bound: Vec<BoundListener>,
        limits: ConnectionLimits,
        tls: Option<TlsAcceptor>,
        handshake_timeout: Duration,
        shutdown: watch::Receiver<bool>,
    ) -> std::io::Result<SessionManager> {
        let mut listeners = Vec::new();
        for l in bound {
            let listener = tokio::net::TcpListener::from_std(l.listener)?;
            listeners.push(ServiceListener { binding: l.binding, kind: l.kind, listener });
        }
        Ok(SessionManager { listeners, limits, tls, handshake_timeout, farewell: FAREWELL, shutdown })
    }

    /// Serves every listener until the service stops and its sessions have
    /// ended (or were dropped after `FAREWELL`).
    pub async fn run<H: SessionHandler>(self, handler: Arc<H>) {
        let SessionManager { listeners, limits, tls, handshake_timeout, farewell, mut shutdown } = self;
        let (alive, mut all_ended) = mpsc::channel::<()>(1);
        let shared = Arc::new(Shared {
            handler,
            limits,
            tls,
            handshake_timeout,
            farewell,
            shutdown: shutdown.clone(),
            next_id: AtomicU64::new(1),
            _alive: alive,
        });
        let mut loops = Vec::new();
        for listener in listeners {
            loops.push(tokio::spawn(accept_loop(listener, shared.clone())));
        }
        stopped(&mut shutdown).await;
        for l in loops {
            let _ = l.await;
        }
        // Sessions hold `shared` too: the channel closes with the last one.
        // Each ends within `farewell` of the stop by its own deadline; the
        // bound here only guards against a session task that never yields.
        drop(shared);
        let _ = tokio::time::timeout(farewell * 2, all_ended.recv()).await;
    }
}

async fn accept_loop<H: SessionHandler>(listener: ServiceListener, shared: Arc<Shared<H>>) {
    let mut stop = shared.shutdown.clone();
    loop {
        tokio::select! {
            accepted = listener.listener.accept() => match accepted {
                Ok((tcp, peer)) => admit(&shared, tcp, peer, listener.kind),
                Err(e) => {
                    eprintln!("mailsh: accept on {} failed: {e}", listener.binding);
                    tokio::select! {
                        () = tokio::time::sleep(ACCEPT_BACKOFF) => {}
                        () = stopped(&mut stop) => return,
                    }
                }
            },
            () = stopped(&mut stop) => return,
        }
    }
}

/// Counts the connection against the limits and spawns its session.
fn admit<H: SessionHandler>(shared: &Arc<Shared<H>>, mut tcp: TcpStream, peer: SocketAddr, kind: ListenerKind) {
    let _ = tcp.set_nodelay(true);
    let slot = match shared.limits.admit(peer.ip()) {
        Ok(slot) => slot,
        Err(_) => {
            if kind != ListenerKind::ImplicitTls {
                let refusal = H::REFUSAL;
                let limit = shared.handshake_timeout;
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(limit, tcp.write_all(refusal)).await;
                });
            }
            return;
        }
    };
    let shared = shared.clone();
    tokio::spawn(async move {
        let _slot: ConnectionSlot = slot;
        let mut stop = shared.shutdown.clone();
        let session = async {
            let local = tcp.local_addr().ok();
            let mut stream = ServerStream::Plain(tcp);
            if kind == ListenerKind::ImplicitTls {
                let Some(acceptor) = &shared.tls else { return };
                stream = match tokio::time::timeout(shared.handshake_timeout, stream.into_tls(acceptor)).await {
                    Ok(Ok(s)) => s,
                    _ => return,
                };
            }
            let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
            let connection = Connection { stream, local, peer, kind, id };
            shared.handler.clone().serve(connection).await;
        };
        tokio::select! {
            () = session => {}
            () = async {
                stopped(&mut stop).await;
                tokio::time::sleep(shared.farewell).await;
            } => {}
        }
    });
}

/// Resolves once the service is stopping (or its stop signal is gone).
pub async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

/// Runs `work` until it ends or the service stops, whichever comes first
/// (for a session that has nothing to say when the service stops).
pub async fn until_stopped(shutdown: &watch::Receiver<bool>, work: impl Future<Output = ()>) {
    let mut stop = shutdown.clone();
    tokio::select! {
        () = work => {}
        () = stopped(&mut stop) => {}
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    use super::*;

    /// Greets with its session number, then either echoes one line and
    /// ends, or (`stubborn`) waits forever, even past the stop.
    struct Greeter {
        stubborn: bool,
    }

    impl SessionHandler for Greeter {
        const REFUSAL: &'static [u8] = b"full\r\n";

        async fn serve(self: Arc<Self>, mut connection: Connection) {
            let hello = format!("hello {}\r\n", connection.id);
            if connection.stream.write_all(hello.as_bytes()).await.is_err() {
                return;
            }
            if self.stubborn {
                std::future::pending::<()>().await;
            }
            let mut line = String::new();
            let mut reader = BufReader::new(&mut connection.stream);
            if reader.read_line(&mut line).await.is_ok() {
                let _ = reader.get_mut().write_all(line.as_bytes()).await;
            }
        }
    }

    async fn manager(limits: ConnectionLimits) -> (SessionManager, SocketAddr, watch::Sender<bool>) {
        manager_on(ListenerKind::Plain, None, limits).await
    }

    async fn manager_on(
        kind: ListenerKind,
        tls: Option<TlsAcceptor>,
        limits: ConnectionLimits,
    ) -> (SessionManager, SocketAddr, watch::Sender<bool>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let addr = listener.local_addr().expect("bound");
        let (stop, shutdown) = watch::channel(false);
        let manager = SessionManager {
            listeners: vec![ServiceListener { binding: addr.to_string(), kind, listener }],
            limits,
            tls,
            handshake_timeout: Duration::from_secs(5),
            farewell: Duration::from_millis(300),
            shutdown,
        };
        (manager, addr, stop)
    }

    async fn first_line(stream: &mut tokio::net::TcpStream) -> String {
        let mut line = String::new();
        let mut reader = BufReader::new(stream);
        let read = tokio::time::timeout(Duration::from_secs(10), reader.read_line(&mut line)).await;
        assert!(read.is_ok(), "no line within 10 s");
        line
    }

    #[tokio::test]
    async fn sessions_are_numbered_and_the_limits_refuse_with_the_protocols_line() {
        let (manager, addr, stop) = manager(ConnectionLimits::new(1, 1, 1)).await;
        let running = tokio::spawn(manager.run(Arc::new(Greeter { stubborn: false })));
        let mut first = tokio::net::TcpStream::connect(addr).await.expect("connect");
        assert_eq!(first_line(&mut first).await, "hello 1\r\n");
        let mut second = tokio::net::TcpStream::connect(addr).await.expect("connect");
        assert_eq!(first_line(&mut second).await, "full\r\n", "MaxConnections 1 refuses the second");
        first.write_all(b"bye\r\n").await.expect("write");
        assert_eq!(first_line(&mut first).await, "bye\r\n");
        // The first session ended: its slot is free again.
        let mut third = tokio::net::TcpStream::connect(addr).await.expect("connect");
        assert_eq!(first_line(&mut third).await, "hello 2\r\n");
        let _ = stop.send(true);
        assert!(tokio::time::timeout(Duration::from_secs(10), running).await.is_ok(), "run returns after the stop");
    }

    #[tokio::test]
    async fn an_implicit_tls_listener_refuses_without_plain_text() {
        let certs = tempfile::tempdir().expect("a temporary folder");
        let config = crate::engines::net::tls::load_or_create(certs.path(), "localhost").expect("a certificate");
        let tls = Some(TlsAcceptor::from(config));
        let (mut manager, addr, stop) =
            manager_on(ListenerKind::ImplicitTls, tls, ConnectionLimits::new(1, 1, 1)).await;
        // Longer than the client waits: a second connection let in would
        // hang in its handshake rather than close.
        manager.handshake_timeout = Duration::from_secs(60);
        let running = tokio::spawn(manager.run(Arc::new(Greeter { stubborn: false })));
        // Connected, and waiting in its TLS handshake: it holds the one slot.
        let _first = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let mut second = tokio::net::TcpStream::connect(addr).await.expect("connect");
        assert_eq!(first_line(&mut second).await, "", "closed without a plain-text refusal");
        let _ = stop.send(true);
        assert!(tokio::time::timeout(Duration::from_secs(10), running).await.is_ok(), "run returns after the stop");
    }

    #[tokio::test]
    async fn a_session_that_ignores_the_stop_is_dropped_after_the_farewell() {
        let (manager, addr, stop) = manager(ConnectionLimits::new(10, 10, 10)).await;
        let running = tokio::spawn(manager.run(Arc::new(Greeter { stubborn: true })));
        let mut client = tokio::net::TcpStream::connect(addr).await.expect("connect");
        assert_eq!(first_line(&mut client).await, "hello 1\r\n");
        let stopped_at = Instant::now();
        let _ = stop.send(true);
        assert!(tokio::time::timeout(Duration::from_secs(10), running).await.is_ok(), "run returns");
        assert!(stopped_at.elapsed() >= Duration::from_millis(300), "the session had its farewell time");
        assert_eq!(first_line(&mut client).await, "", "then its connection was closed");
        assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "nothing listens any more");
    }
}
