//! The one accept loop of every engine, front end or back end, whatever the
//! protocol (the model is Stalwart's listener `SessionManager`). It owns
//! what every listener must do the same way, so a rule written here holds
//! for all of them:
//!
//! - accept on each bound listener until the service stops;
//! - admit the connection against the connection limits and the budget of
//!   connections not logged on yet (a refused client reads the protocol's
//!   refusal or temporary failure on a plain-text listener, nothing on an
//!   implicit-TLS one, where plain bytes would only garble the handshake);
//!   a refused connection costs no task and no buffer: the line is written
//!   into the fresh socket's empty send buffer and the socket closed;
//! - on a back end's listener, require the proof that the connection is
//!   this store's front end (`proxy_auth`) before any protocol byte;
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
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;

use super::context::{BoundListener, EngineContext, ListenerKind};
use super::limits::{ConnectionLimits, ConnectionSlot, PreAuthBudget, PreAuthSlot};
use super::proxy_auth::{self, ProxyKey};
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
    /// The connection's place in the budget of connections not logged on.
    pub pre_auth: PreAuth,
    /// On a back end's listener: what proved the organization's key.
    pub prover: Option<proxy_auth::Prover>,
}

impl Connection {
    pub fn ip(&self) -> IpAddr {
        self.peer.ip()
    }
}

/// A place in the budget of connections not logged on yet, held until the
/// session logs on (or ends).
pub struct PreAuth(Option<PreAuthSlot>);

impl PreAuth {
    /// The client logged on: its place goes to the next client.
    pub fn logged_on(&mut self) {
        self.0 = None;
    }
}

/// A protocol's side of the session layer.
pub trait SessionHandler: Send + Sync + 'static {
    /// What a client the connection limits refuse reads before the
    /// connection is closed (on plain-text listeners).
    const REFUSAL: &'static [u8];

    /// The protocol's temporary failure, for a connection beyond the budget
    /// of connections not logged on yet.
    const BUSY: &'static [u8];

    /// What a client that is not this store's front end reads at a back
    /// end's port before it is closed.
    const STRANGER: &'static [u8] = Self::REFUSAL;

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

/// What a connection is admitted by, the same for every engine: the
/// connection limits, the budget of connections not logged on, and the key
/// a back end's listener asks its front end to prove.
pub struct Admission {
    /// For the service log's lines.
    pub service_name: &'static str,
    pub limits: ConnectionLimits,
    pub pre_auth: PreAuthBudget,
    pub proxy_key: Arc<ProxyKey>,
}

/// How every connection of a service is taken in.
struct Intake {
    admission: Admission,
    tls: Option<TlsAcceptor>,
    handshake_timeout: Duration,
    /// How long sessions get to end once the service stops.
    farewell: Duration,
    shutdown: watch::Receiver<bool>,
}

/// What the accept loops need, taken out of the engine context.
pub struct SessionManager {
    listeners: Vec<ServiceListener>,
    intake: Intake,
}

struct Shared<H> {
    handler: Arc<H>,
    intake: Intake,
    next_id: AtomicU64,
    /// Connections refused at a back end's port since the last line about
    /// them in the service log, and when that line was written.
    strangers: Mutex<(u64, Option<Instant>)>,
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
        let admission = Admission {
            service_name: ctx.service_name,
            limits: ctx.limits.clone(),
            pre_auth: ctx.pre_auth.clone(),
            proxy_key: ctx.proxy_key.clone(),
        };
        SessionManager::from_parts(
            std::mem::take(&mut ctx.listeners),
            admission,
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
        admission: Admission,
        tls: Option<TlsAcceptor>,
        handshake_timeout: Duration,
        shutdown: watch::Receiver<bool>,
    ) -> std::io::Result<SessionManager> {
        let mut listeners = Vec::new();
        for l in bound {
            let listener = tokio::net::TcpListener::from_std(l.listener)?;
            listeners.push(ServiceListener { binding: l.binding, kind: l.kind, listener });
        }
        Ok(SessionManager {
            listeners,
            intake: Intake { admission, tls, handshake_timeout, farewell: FAREWELL, shutdown },
        })
    }

    /// Serves every listener until the service stops and its sessions have
    /// ended (or were dropped after `FAREWELL`).
    pub async fn run<H: SessionHandler>(self, handler: Arc<H>) {
        let SessionManager { listeners, intake } = self;
        let mut shutdown = intake.shutdown.clone();
        let farewell = intake.farewell;
        let (alive, mut all_ended) = mpsc::channel::<()>(1);
        let shared = Arc::new(Shared {
            handler,
            intake,
            strangers: Mutex::new((0, None)),
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
    let mut stop = shared.intake.shutdown.clone();
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

/// Counts the connection against the limits and the pre-auth budget and
/// spawns its session.
fn admit<H: SessionHandler>(shared: &Arc<Shared<H>>, tcp: TcpStream, peer: SocketAddr, kind: ListenerKind) {
    let _ = tcp.set_nodelay(true);
    let Ok(slot) = shared.intake.admission.limits.admit(peer.ip()) else {
        return refuse(tcp, kind, H::REFUSAL);
    };
    let Some(pre_auth) = shared.intake.admission.pre_auth.admit(peer.ip()) else {
        return refuse(tcp, kind, H::BUSY);
    };
    let shared = shared.clone();
    tokio::spawn(async move {
        let _slot: ConnectionSlot = slot;
        let mut pre_auth = PreAuth(Some(pre_auth));
        let mut stop = shared.intake.shutdown.clone();
        let session = async {
            let local = tcp.local_addr().ok();
            let mut stream = ServerStream::Plain(tcp);
            let mut prover = None;
            match kind {
                ListenerKind::ImplicitTls => {
                    let Some(acceptor) = &shared.intake.tls else { return };
                    stream =
                        match tokio::time::timeout(shared.intake.handshake_timeout, stream.into_tls(acceptor)).await {
                            Ok(Ok(s)) => s,
                            _ => return,
                        };
                }
                ListenerKind::Backend | ListenerKind::BackendTls => {
                    let mut binding = Vec::new();
                    if kind == ListenerKind::BackendTls {
                        let Some(acceptor) = &shared.intake.tls else { return };
                        let tls = tokio::time::timeout(shared.intake.handshake_timeout, stream.into_tls(acceptor));
                        stream = match tls.await {
                            Ok(Ok(s)) => s,
                            _ => return,
                        };
                        let Some(exported) = stream.exported::<{ proxy_auth::BINDING_LEN }>(proxy_auth::EXPORTER_LABEL)
                        else {
                            return;
                        };
                        binding = exported.to_vec();
                    }
                    let proof = proxy_auth::admit(&mut stream, &shared.intake.admission.proxy_key, &binding);
                    match tokio::time::timeout(proxy_auth::PROOF_DEADLINE, proof).await {
                        // This store's front end (it has counted the client
                        // already) or another server's Transport.
                        Ok(Ok(p)) => {
                            pre_auth.logged_on();
                            prover = Some(p);
                        }
                        _ => {
                            let _ =
                                tokio::time::timeout(shared.intake.handshake_timeout, stream.write_all(H::STRANGER))
                                    .await;
                            shared.note_stranger(peer);
                            return;
                        }
                    }
                }
                ListenerKind::Plain => {}
            }
            let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
            let connection = Connection { stream, local, peer, kind, id, pre_auth, prover };
            shared.handler.clone().serve(connection).await;
        };
        tokio::select! {
            () = session => {}
            () = async {
                stopped(&mut stop).await;
                tokio::time::sleep(shared.intake.farewell).await;
            } => {}
        }
    });
}

/// Closes a connection the limits refuse, after `line` on a plain-text
/// listener. A fresh socket's send buffer is empty, so the line goes out
/// without waiting; no task is spawned for it.
fn refuse(tcp: TcpStream, kind: ListenerKind, line: &[u8]) {
    if !matches!(kind, ListenerKind::ImplicitTls | ListenerKind::BackendTls) {
        let _ = tcp.try_write(line);
    }
}

impl<H> Shared<H> {
    /// One line a minute at most in the service log, however many strangers
    /// knock at a back end's port.
    fn note_stranger(&self, peer: SocketAddr) {
        let mut s = self.strangers.lock().unwrap_or_else(|p| p.into_inner());
        s.0 += 1;
        if s.1.is_none_or(|at| at.elapsed() >= Duration::from_secs(60)) {
            eprintln!(
                "{} {}: refused {} connection(s) that did not prove they are this store's front end (the last from {peer})",
                super::time::iso_now(),
                self.intake.admission.service_name,
                s.0
            );
            *s = (0, Some(Instant::now()));
        }
    }
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
        const BUSY: &'static [u8] = b"busy\r\n";

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
        let admission = Admission {
            service_name: "MSExchangeTest",
            limits,
            pre_auth: PreAuthBudget::default(),
            proxy_key: Arc::new(ProxyKey::from_bytes(&[7; 32])),
        };
        let manager = SessionManager {
            listeners: vec![ServiceListener { binding: addr.to_string(), kind, listener }],
            intake: Intake {
                admission,
                tls,
                handshake_timeout: Duration::from_secs(5),
                farewell: Duration::from_millis(300),
                shutdown,
            },
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
        manager.intake.handshake_timeout = Duration::from_secs(60);
        let running = tokio::spawn(manager.run(Arc::new(Greeter { stubborn: false })));
        // Connected, and waiting in its TLS handshake: it holds the one slot.
        let _first = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let mut second = tokio::net::TcpStream::connect(addr).await.expect("connect");
        assert_eq!(first_line(&mut second).await, "", "closed without a plain-text refusal");
        let _ = stop.send(true);
        assert!(tokio::time::timeout(Duration::from_secs(10), running).await.is_ok(), "run returns after the stop");
    }

    #[tokio::test]
    async fn connections_beyond_the_pre_auth_budget_read_the_temporary_failure() {
        let (mut manager, addr, stop) = manager(ConnectionLimits::new(10, 10, 10)).await;
        manager.intake.admission.pre_auth = PreAuthBudget::new(1, 1);
        let running = tokio::spawn(manager.run(Arc::new(Greeter { stubborn: false })));
        let mut first = tokio::net::TcpStream::connect(addr).await.expect("connect");
        assert_eq!(first_line(&mut first).await, "hello 1\r\n");
        let mut second = tokio::net::TcpStream::connect(addr).await.expect("connect");
        assert_eq!(first_line(&mut second).await, "busy\r\n", "one connection not logged on at a time");
        assert_eq!(first_line(&mut second).await, "", "then closed");
        first.write_all(b"bye\r\n").await.expect("write");
        assert_eq!(first_line(&mut first).await, "bye\r\n");
        let mut third = tokio::net::TcpStream::connect(addr).await.expect("connect");
        assert_eq!(first_line(&mut third).await, "hello 2\r\n", "the place was given back");
        let _ = stop.send(true);
        assert!(tokio::time::timeout(Duration::from_secs(10), running).await.is_ok(), "run returns after the stop");
    }

    #[tokio::test]
    async fn a_back_end_listener_serves_only_who_proves_the_key() {
        let (manager, addr, stop) = manager_on(ListenerKind::Backend, None, ConnectionLimits::new(10, 10, 10)).await;
        let running = tokio::spawn(manager.run(Arc::new(Greeter { stubborn: false })));
        // A client speaking a protocol: the challenge, then the refusal.
        let mut stranger = tokio::net::TcpStream::connect(addr).await.expect("connect");
        assert!(first_line(&mut stranger).await.starts_with("MAILSH-PROXY 1 "));
        stranger.write_all(b"USER bob\r\n").await.expect("write");
        assert_eq!(first_line(&mut stranger).await, "full\r\n");
        assert_eq!(first_line(&mut stranger).await, "", "closed");
        // The front end, with the store's key.
        let mut front = tokio::net::TcpStream::connect(addr).await.expect("connect");
        proxy_auth::prove(&mut front, &ProxyKey::from_bytes(&[7; 32]), b"").await.expect("proven both ways");
        assert_eq!(first_line(&mut front).await, "hello 1\r\n", "the first session served");
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
