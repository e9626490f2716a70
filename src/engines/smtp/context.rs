//! What a transport engine reads and binds before it reports that it
//! listens: the enabled receive connectors of its role (bound, each
//! listener remembered with its connector), the TLS identity, the queue
//! and the mailbox database (Transport), where the Transport takes the
//! Frontend Transport's hand-offs.

use crate::store::tracking::{TrackingLog, tracking_dir};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio_rustls::TlsAcceptor;

use super::handoff::Handoff;
use super::log_age::LogAges;
use crate::engines::net::context::{BoundListener, EngineRole, ListenerKind};
use crate::engines::net::data_version;
use crate::engines::net::limits::{PRE_AUTH_TOTAL, PreAuthBudget};
use crate::engines::net::listener::Admission;
use crate::engines::net::mail_databases::MailDatabases;
use crate::engines::net::protolog::ProtocolLog;
use crate::engines::net::proxy_auth::ProxyKey;
use crate::engines::net::server_listener::bind_for_servers;
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

/// Where the Transport writes its SMTP send log (send connectors whose
/// ProtocolLoggingLevel is Verbose): `TransportRoles/Logs/Hub/ProtocolLog/SmtpSend`.
pub fn send_log_dir(state_dir: &Path) -> std::path::PathBuf {
    state_dir.join("TransportRoles").join("Logs").join("Hub").join("ProtocolLog").join("SmtpSend")
}

/// The Transport's SMTP send log, `file_size` octets a file at most
/// (SendProtocolLogMaxFileSize).
pub fn send_log(state_dir: &Path, file_size: u64) -> ProtocolLog {
    ProtocolLog::daily(send_log_dir(state_dir), "SEND", file_size)
}

/// Where the Transport writes the address of its hand-off listener, and
/// the Frontend Transport reads it at each hand-off (so a restarted
/// Transport, on a new port, is found at once).
pub fn handoff_address_file(state_dir: &Path) -> PathBuf {
    state_dir.join("Queue").join("handoff.addr")
}

/// The Transport's listener for hand-offs: 127.0.0.1 on a port the system
/// picks, served like the IMAP4 and POP3 back ends (the proxy key proven
/// before the greeting; no connection limit, the back ends' budget of
/// connections that have not proven it yet), so hand-offs never compete
/// with anonymous clients for the connectors' budget.
pub struct HandoffListener {
    pub listener: BoundListener,
    pub admission: Admission,
}

/// The queue the Transport service writes and delivers from.
#[derive(Clone)]
pub struct Queue {
    pub db: Arc<Mutex<QueueDb>>,
    /// Rung when there may be mail to deliver: the delivery task wakes.
    pub wake: Arc<Notify>,
    /// The Transport's: rung after each enqueue, it wakes the Delivery
    /// service's task in its own process (`wake`).
    pub cue: Option<Arc<super::wake::DeliveryCue>>,
    /// Rung after an enqueue for a send connector: the sending task wakes.
    pub send: Arc<Notify>,
    /// The message tracking log the queue's tasks write.
    pub tracking: Arc<TrackingLog>,
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
    /// The Transport's SMTP send log (its sending task writes it).
    pub send_log: Arc<ProtocolLog>,
    /// Transport: the queue. Frontend Transport: None.
    pub queue: Option<Queue>,
    /// Frontend Transport: how to reach the Transport.
    pub handoff: Option<Handoff>,
    /// Transport: the connector hand-offs are served under (Exchange's
    /// "Default <server>", else the first enabled HubTransport connector
    /// that lets Exchange servers in); without one, no hand-off is taken.
    pub handoff_connector: Option<Arc<ReceiveConnector>>,
    /// Transport: the connector a hand-off of a client's submission is
    /// served under ("Client Proxy <server>", else `handoff_connector`).
    pub submission_connector: Option<Arc<ReceiveConnector>>,
    /// This server's mailbox databases (the Transport delivers into them).
    pub mail: MailDatabases,
    /// The organization's proxy key (the store's own on SQLite).
    pub key: Arc<ProxyKey>,
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
    /// Transport: the hand-off listener, with its own admission.
    pub handoffs: Option<HandoffListener>,
    pub tls: TlsAcceptor,
    pub shutdown: watch::Receiver<bool>,
    pub shared: Shared,
    /// Transport: its logs and their ages (`log_age`).
    pub log_ages: Option<LogAges>,
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

/// Binds the hand-off listener: on loopback for a server without an
/// address, else at its address with TLS first (the other servers'
/// Frontend Transports and Transports come there). Writes where it is for
/// this server's Frontend Transport, and publishes it in the directory for
/// the others.
fn handoff_listener(
    service_name: &'static str,
    store: &mut Store,
    address: Option<&str>,
    address_file: &Path,
    key: Arc<ProxyKey>,
) -> Result<HandoffListener, NetError> {
    // The service is published as MSExchangeTransport, whichever name its
    // log lines use.
    let (listener, mut admission) =
        bind_for_servers(super::transports::TRANSPORT, "hand-off listener", store, address, key)?;
    admission.service_name = service_name;
    crate::store::private::write_atomic(address_file, format!("{}\n", listener.binding).as_bytes())
        .map_err(|e| NetError::Bind(format!("{}: {e}", address_file.display())))?;
    Ok(HandoffListener { listener, admission })
}

/// This server's mailbox databases as the transport services use them:
/// each message summarized as it is stored (as an APPEND is), the
/// directory's changes followed.
pub(super) fn mail_databases(store: &Store, store_path: &Path) -> MailDatabases {
    MailDatabases::new(
        store,
        Some(crate::engines::imap::fetch_items::summary::summarize),
        data_version::watch_config(store_path),
    )
}

/// What the Mailbox role's services that work in this server's mailbox
/// databases (Delivery, Submission) read first: the databases, opened (a
/// bad file fails the start), and the organization's key, which they prove
/// to the Transports.
pub(super) fn mailbox_service_parts(
    store: &mut Store,
    store_path: &Path,
) -> Result<(MailDatabases, Arc<ProxyKey>), NetError> {
    let mail = mail_databases(store, store_path);
    mail.check(store).map_err(NetError::Bind)?;
    let key = Arc::new(
        ProxyKey::for_store(store, &state_dir_for(store_path))
            .map_err(|e| NetError::Bind(format!("The organization's key could not be read: {e}")))?,
    );
    Ok((mail, key))
}

/// `service_name` names the service in its log's lines.
pub fn prepare(
    service_name: &'static str,
    role: EngineRole,
    store_path: &Path,
    shutdown: watch::Receiver<bool>,
) -> Result<SmtpContext, NetError> {
    let mut store = Store::open_existing(store_path)?;
    let server = store.server().clone();
    let this_server = store.exchange_server(&server.name)?;
    // Where the other servers reach this one (Setup -Address); None: a
    // server alone, its hand-offs on loopback.
    let address = this_server.as_ref().and_then(|s| s.address.clone());
    // A server of the directory without the Mailbox role has no Transport
    // of its own: its Frontend Transport hands mail to another server's.
    let has_mailbox_role = this_server.as_ref().is_none_or(|s| s.roles.mailbox);
    let all = store.own_receive_connectors()?;
    let limits = store.transport_config()?;
    let service = store.transport_service()?;
    let mail = mail_databases(&store, store_path);
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
    let key = Arc::new(
        ProxyKey::for_store(&mut store, &state_dir)
            .map_err(|e| NetError::Bind(format!("The hand-off key could not be read: {e}")))?,
    );
    let organization_key = key.clone();
    let address_file = handoff_address_file(&state_dir);
    let (queue, handoff, handoffs, handoff_connector, submission_connector) = match role {
        EngineRole::BackEnd => {
            mail.check(&store).map_err(NetError::Bind)?;
            let db = QueueDb::open(&queue_path(store_path)).map_err(|e| NetError::Bind(e.to_string()))?;
            let queue = Queue {
                db: Arc::new(Mutex::new(db)),
                wake: Arc::new(Notify::new()),
                send: Arc::new(Notify::new()),
                cue: Some(Arc::new(super::wake::DeliveryCue::new(&state_dir))),
                tracking: Arc::new(TrackingLog::new(
                    tracking_dir(store_path),
                    service.message_tracking_log_enabled,
                    service.logs.tracking.file,
                )),
            };
            // Exchange's front end hands mail on to "Default <server>"
            // (2525), and the submissions of clients that logged on to
            // "Client Proxy <server>" (465); both let Exchange servers in.
            let takes_servers = || connectors.iter().map(|(c, _)| c).filter(|c| c.has_permission("ExchangeServers"));
            let named = |name: String| takes_servers().find(|c| c.name.eq_ignore_ascii_case(&name)).cloned();
            let connector = named(format!("Default {}", server.name)).or_else(|| takes_servers().next().cloned());
            let submissions = named(format!("Client Proxy {}", server.name)).or_else(|| connector.clone());
            let handoffs = match &connector {
                Some(_) => Some(handoff_listener(service_name, &mut store, address.as_deref(), &address_file, key)?),
                None => {
                    // A Frontend Transport must not find a listener that is gone.
                    let _ = std::fs::remove_file(&address_file);
                    None
                }
            };
            (Some(queue), None, handoffs, connector, submissions)
        }
        EngineRole::FrontEnd => {
            let handoff =
                Handoff::new(has_mailbox_role.then_some(address_file), address.is_some(), store.is_postgres(), key);
            (None, Some(handoff), None, None, None)
        }
    };
    let age = |secs: i64| Duration::from_secs(secs.max(0) as u64);
    let log_ages = (role == EngineRole::BackEnd).then(|| LogAges {
        folders: vec![
            (tracking_dir(store_path), age(service.message_tracking_log_max_age), service.logs.tracking.directory),
            (
                receive_log_dir(&state_dir, EngineRole::BackEnd),
                age(service.receive_protocol_log_max_age),
                service.logs.receive.directory,
            ),
            (
                receive_log_dir(&state_dir, EngineRole::FrontEnd),
                age(service.receive_protocol_log_max_age),
                service.logs.receive.directory,
            ),
            (send_log_dir(&state_dir), age(service.send_protocol_log_max_age), service.logs.send.directory),
        ],
    });
    Ok(SmtpContext {
        log_ages,
        listeners,
        admission: Admission {
            service_name,
            limits: ConnectionLimits::new(MAX_CONNECTIONS, MAX_PER_SOURCE, MAX_CONNECTIONS),
            // An SMTP client is anonymous for its whole session (an MTA
            // never logs on), so one address may hold as many sessions not
            // logged on as the connectors let it hold at all
            // (MAX_PER_SOURCE): the front ends' budget of 64 turned away a
            // relay's 65th session with "busy". The total stays the front
            // ends'. Both roles: the Transport's connectors face clients too.
            pre_auth: PreAuthBudget::new(PRE_AUTH_TOTAL, MAX_PER_SOURCE as usize),
            // No SMTP listener is a back end's: a key nobody holds.
            proxy_key: Arc::new(unknown_key()),
        },
        handoffs,
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
            log: Arc::new(ProtocolLog::daily(receive_log_dir(&state_dir, role), "RECV", service.logs.receive.file)),
            send_log: Arc::new(send_log(&state_dir, service.logs.send.file)),
            queue,
            handoff,
            handoff_connector,
            submission_connector,
            mail,
            key: organization_key,
            shutdown,
        },
    })
}
