//! What a transport engine reads and binds before it reports that it
//! listens: the enabled receive connectors of its role (bound, each
//! listener remembered with its connector), the TLS identity, the queue
//! and the mailbox database (Transport), where the Transport listens
//! (Frontend Transport hands messages there).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio_rustls::TlsAcceptor;

use crate::engines::net::context::{BoundListener, EngineRole, ListenerKind};
use crate::engines::net::limits::PreAuthBudget;
use crate::engines::net::listener::Admission;
use crate::engines::net::mail_pool::MailPool;
use crate::engines::net::protolog::ProtocolLog;
use crate::engines::net::proxy_auth::ProxyKey;
use crate::engines::net::{Authenticator, ConnectionLimits, NetError, bind, tls};
use crate::store::queue::{QueueDb, queue_path};
use crate::store::transport::{ReceiveConnector, narrowest_match};
use crate::store::{ServerInfo, Store, TransportRole, state_dir_for};

/// Exchange's ConnectionInactivityTimeout of a Frontend receive connector.
const INACTIVITY: Duration = Duration::from_secs(300);
/// MaxInboundConnection and MaxInboundConnectionPerSource (unconfirmed
/// per-source value: generous enough for test clients and smtp-source).
const MAX_CONNECTIONS: i64 = 5000;
const MAX_PER_SOURCE: i64 = 100;

/// Exchange's ReceiveProtocolLogMaxFileSize: 10 MB.
const RECEIVE_LOG_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Where Exchange keeps SMTP receive logs, under the store's folder:
/// `TransportRoles/Logs/FrontEnd/ProtocolLog/SmtpReceive` (Frontend
/// Transport) and `.../Hub/ProtocolLog/SmtpReceive` (Transport).
pub fn receive_log_dir(state_dir: &Path, role: EngineRole) -> std::path::PathBuf {
    let side = match role {
        EngineRole::FrontEnd => "FrontEnd",
        EngineRole::BackEnd => "Hub",
    };
    state_dir.join("TransportRoles").join("Logs").join(side).join("ProtocolLog").join("SmtpReceive")
}

/// The queue the Transport service writes and delivers from.
#[derive(Clone)]
pub struct Queue {
    pub db: Arc<Mutex<QueueDb>>,
    /// Rung after each enqueue: the delivery task wakes at once.
    pub wake: Arc<Notify>,
}

/// Shared by every session of the engine.
pub struct Shared {
    pub role: EngineRole,
    pub server: ServerInfo,
    /// Every enabled connector of this role, with the addresses it is
    /// bound to.
    pub connectors: Vec<(Arc<ReceiveConnector>, Vec<SocketAddr>)>,
    pub tls: TlsAcceptor,
    pub handshake_timeout: Duration,
    pub inactivity: Duration,
    /// Set-TransportConfig's MaxReceiveSize and MaxSendSize (None:
    /// Unlimited), read at start.
    pub max_receive_size: Option<u64>,
    pub max_send_size: Option<u64>,
    /// Recipient lookups and AUTH (through the engines' throttle and
    /// bounded password-check pool, as IMAP4 and POP3 logons).
    pub directory: Authenticator,
    /// The SMTP receive log of the connectors whose ProtocolLoggingLevel
    /// is Verbose.
    pub log: Arc<ProtocolLog>,
    /// Transport: the queue. Frontend Transport: None.
    pub queue: Option<Queue>,
    /// Frontend Transport: where the Transport's Default connector listens.
    pub handoff: Option<SocketAddr>,
    pub mail: MailPool,
    pub shutdown: watch::Receiver<bool>,
}

impl Shared {
    /// The connector a connection is served by: among those bound to its
    /// local address (or to the unspecified address of the same family and
    /// port), the one whose RemoteIPRanges cover the client most narrowly.
    /// None: no connector takes this client (the connection is closed).
    pub fn connector_for(&self, local: Option<SocketAddr>, peer: SocketAddr) -> Option<Arc<ReceiveConnector>> {
        let local = local?;
        let bound_here = |addrs: &Vec<SocketAddr>| {
            addrs.iter().any(|a| {
                *a == local || (a.port() == local.port() && a.ip().is_unspecified() && a.is_ipv4() == local.is_ipv4())
            })
        };
        self.connectors
            .iter()
            .filter(|(_, addrs)| bound_here(addrs))
            .filter_map(|(c, _)| narrowest_match(&c.remote_ip_ranges, peer.ip()).map(|width| (width, c)))
            .min_by_key(|(width, _)| *width)
            .map(|(_, c)| c.clone())
    }
}

pub struct SmtpContext {
    pub listeners: Vec<BoundListener>,
    /// Connection limits and the budget of connections not logged on (an
    /// anonymous SMTP session holds its place until it ends; AUTH frees it).
    pub admission: Admission,
    pub tls: TlsAcceptor,
    pub shutdown: watch::Receiver<bool>,
    pub shared: Shared,
}

fn unknown_key() -> ProxyKey {
    let mut secret = [0u8; 32];
    crate::store::fill_random(&mut secret);
    ProxyKey::from_bytes(&secret)
}

fn role_of(role: EngineRole) -> TransportRole {
    match role {
        EngineRole::FrontEnd => TransportRole::FrontendTransport,
        EngineRole::BackEnd => TransportRole::HubTransport,
    }
}

/// Where a client on this machine reaches a binding (`0.0.0.0` and `[::]`
/// mean every address: loopback of the same family).
fn reachable(addr: SocketAddr) -> SocketAddr {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), addr.port()),
        _ => addr,
    }
}

/// `service_name` names the service in its log's lines.
pub fn prepare(
    service_name: &'static str,
    role: EngineRole,
    store_path: &Path,
    shutdown: watch::Receiver<bool>,
) -> Result<SmtpContext, NetError> {
    let store = Store::open_existing(store_path)?;
    let server = store.server().clone();
    let all = store.receive_connectors()?;
    let limits = store.transport_config()?;
    drop(store);
    let mine = role_of(role);
    let mut listeners = Vec::new();
    let mut connectors = Vec::new();
    // Connectors may share a binding (told apart by RemoteIPRanges): each
    // address is bound once.
    for c in all.iter().filter(|c| c.enabled && c.transport_role == mine) {
        let mut addrs = Vec::new();
        for binding in &c.bindings {
            let addr = bind::parse_binding(binding)?;
            let known = listeners.iter().any(|l: &BoundListener| l.listener.local_addr().is_ok_and(|a| a == addr));
            if !known {
                for (binding, listener) in bind::bind_all(std::slice::from_ref(binding))? {
                    listeners.push(BoundListener { binding, kind: ListenerKind::Plain, listener });
                }
            }
            addrs.push(addr);
        }
        connectors.push((Arc::new(c.clone()), addrs));
    }
    let state_dir = state_dir_for(store_path);
    let tls = TlsAcceptor::from(tls::load_or_create(&state_dir, &server.fqdn)?);
    let mail = MailPool::for_store(store_path).summarized_by(crate::engines::imap::fetch_items::summary::summarize);
    let (queue, handoff) = match role {
        EngineRole::BackEnd => {
            mail.check().map_err(|e| NetError::Bind(e.to_string()))?;
            let db = QueueDb::open(&queue_path(store_path)).map_err(|e| NetError::Bind(e.to_string()))?;
            (Some(Queue { db: Arc::new(Mutex::new(db)), wake: Arc::new(Notify::new()) }), None)
        }
        EngineRole::FrontEnd => {
            // The Transport's "Default <server>" connector: the first
            // enabled HubTransport connector that lets Exchange servers in.
            let target = all
                .iter()
                .filter(|c| c.enabled && c.transport_role == TransportRole::HubTransport)
                .find(|c| c.has_permission("ExchangeServers"))
                .and_then(|c| c.bindings.iter().find_map(|b| bind::parse_binding(b).ok()))
                .map(reachable);
            (None, target)
        }
    };
    Ok(SmtpContext {
        listeners,
        admission: Admission {
            service_name,
            limits: ConnectionLimits::new(MAX_CONNECTIONS, MAX_PER_SOURCE, MAX_CONNECTIONS),
            // Every SMTP listener faces clients (the Transport's too: the
            // front end hands off as an anonymous client would), so both
            // roles get the front ends' budget.
            pre_auth: PreAuthBudget::for_role(EngineRole::FrontEnd),
            // No SMTP listener is a back end's: a key nobody holds.
            proxy_key: Arc::new(unknown_key()),
        },
        tls: tls.clone(),
        shutdown: shutdown.clone(),
        shared: Shared {
            role,
            server,
            connectors,
            tls,
            handshake_timeout: INACTIVITY,
            inactivity: INACTIVITY,
            max_receive_size: limits.max_receive_size,
            max_send_size: limits.max_send_size,
            directory: Authenticator::for_submission(store_path),
            log: Arc::new(ProtocolLog::daily(receive_log_dir(&state_dir, role), "RECV", RECEIVE_LOG_FILE_SIZE)),
            queue,
            handoff,
            mail,
            shutdown,
        },
    })
}
