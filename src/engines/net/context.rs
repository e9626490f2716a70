//! Everything an engine process needs, prepared before it reports that it
//! listens: settings read once from the config store (server-level settings
//! take effect at restart), listeners bound, the TLS identity loaded, the
//! mailbox database opened (back ends), and the shared helpers every
//! session uses: logins (with their throttle and password-check pool),
//! limits, the back-end proxy key, the protocol log, the config-store watch.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use super::auth::Authenticator;
use super::back_end_link::BackEndTarget;
use super::data_version::{self, Changes};
use super::limits::{ConnectionLimits, PreAuthBudget};
use super::mail_databases::MailDatabases;
use super::protolog::ProtocolLog;
use super::proxy_auth::ProxyKey;
use super::routes::Routes;
use super::spare_link::SpareLink;
use super::{NetError, bind, tls};
use crate::store::owa::OwaVirtualDirectory;
use crate::store::{Protocol, ProtocolSettings, Store, state_dir_for};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineRole {
    /// Clients connect here (UnencryptedOrTLSBindings, SSLBindings).
    FrontEnd,
    /// The front end connects here (127.0.0.1:ProxyTargetPort).
    BackEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListenerKind {
    /// Plain text with STARTTLS/STLS offered.
    Plain,
    /// TLS from the first byte.
    ImplicitTls,
    /// The back end's loopback port.
    Backend,
    /// The back end at its server's address: TLS, then the proof bound to
    /// the TLS session (front ends of every server of the organization).
    BackendTls,
}

/// A bound socket, not yet handed to the async runtime.
pub struct BoundListener {
    pub binding: String,
    pub kind: ListenerKind,
    pub listener: std::net::TcpListener,
}

pub struct EngineContext {
    pub service_name: &'static str,
    pub protocol: Protocol,
    pub role: EngineRole,
    pub store_path: PathBuf,
    pub settings: ProtocolSettings,
    pub owa: Vec<OwaVirtualDirectory>,
    pub tls: Option<TlsAcceptor>,
    /// Taken by the session manager (`listener::SessionManager::new`).
    pub listeners: Vec<BoundListener>,
    pub auth: Arc<Authenticator>,
    /// Enforced by the session manager at accept (per connection and per
    /// address) and by the front ends at login (per user).
    pub limits: ConnectionLimits,
    /// Connections not logged on yet (the session manager).
    pub pre_auth: PreAuthBudget,
    /// Proves a front end to its back end and back (`proxy_auth`).
    pub proxy_key: Arc<ProxyKey>,
    /// The front end's connection to its own server's back end, made
    /// ahead (`spare_link`).
    pub back_end: Arc<SpareLink>,
    /// Which server's back end a front end sends a user to.
    pub routes: Routes,
    pub log: Arc<ProtocolLog>,
    /// Bumped when the config store changed (see data_version).
    pub access: Changes,
    /// This server's mailbox databases (the back ends serve them).
    pub mail: MailDatabases,
    /// Becomes true when the service is asked to stop (SIGTERM).
    pub shutdown: watch::Receiver<bool>,
}

impl EngineContext {
    /// PreAuthenticatedConnectionTimeout: until the client has logged on
    /// (TLS handshake included).
    pub fn preauth_timeout(&self) -> Duration {
        seconds(self.settings.preauthenticated_connection_timeout)
    }

    /// AuthenticatedConnectionTimeout: idle time allowed once logged on.
    pub fn auth_timeout(&self) -> Duration {
        seconds(self.settings.authenticated_connection_timeout)
    }
}

fn seconds(value: i64) -> Duration {
    Duration::from_secs(value.clamp(1, 86_400) as u64)
}

/// Reads the settings, loads TLS and binds every listener, before any
/// async runtime exists. Errors are the reasons Start-Service reports.
pub fn prepare(
    service_name: &'static str,
    protocol: Protocol,
    role: EngineRole,
    store_path: &Path,
    shutdown: watch::Receiver<bool>,
) -> Result<EngineContext, NetError> {
    let mut store = Store::open_existing(store_path)?;
    let settings = store.protocol_settings(protocol)?;
    // Where the other servers reach this one (Setup -Address); None: a
    // server alone, its back ends on loopback.
    let address = store.exchange_server(&store.server().name.clone())?.and_then(|s| s.address);
    let owa = store.owa_virtual_directories()?;
    let access = data_version::watch_config(store_path);
    let mail = MailDatabases::new(&store, Some(crate::engines::imap::fetch_items::summary::summarize), access.clone());
    let state_dir = state_dir_for(store_path);
    let proxy_key = ProxyKey::for_store(&mut store, &state_dir)
        .map_err(|e| NetError::Bind(format!("The back-end key could not be read: {e}")))?;
    let port = u16::try_from(settings.proxy_target_port)
        .map_err(|_| NetError::Bind(format!("ProxyTargetPort {} is not a port.", settings.proxy_target_port)))?;
    let own_back_end = match &address {
        Some(a) => BackEndTarget::at(a, port),
        None => BackEndTarget::loopback(port),
    };
    let mut listeners = Vec::new();
    let mut tls_acceptor = None;
    let mut listen = |kind, bound: Vec<(String, std::net::TcpListener)>| {
        listeners.extend(bound.into_iter().map(|(binding, listener)| BoundListener { binding, kind, listener }));
    };
    match role {
        EngineRole::FrontEnd => {
            let config = tls::load_or_create(&state_dir, &settings.x509_certificate_name)?;
            tls_acceptor = Some(TlsAcceptor::from(config));
            listen(ListenerKind::Plain, bind::bind_all(&settings.unencrypted_or_tls_bindings)?);
            // Bind SSL only if there are SSL bindings; an empty list is allowed.
            if !settings.ssl_bindings.is_empty() {
                listen(ListenerKind::ImplicitTls, bind::bind_all(&settings.ssl_bindings)?);
            }
        }
        EngineRole::BackEnd => {
            // Create or migrate this server's mailbox databases now, so a
            // bad file fails the start.
            mail.check(&store).map_err(NetError::Bind)?;
            let (addr, kind) = match &address {
                // Between servers: TLS with this server's certificate.
                Some(a) => {
                    let config = tls::load_or_create(&state_dir, &store.server().fqdn)?;
                    tls_acceptor = Some(TlsAcceptor::from(config));
                    (bind::resolve(a, port)?, ListenerKind::BackendTls)
                }
                None => (bind::loopback(port), ListenerKind::Backend),
            };
            let l =
                bind::bind_one(addr).map_err(|e| NetError::Bind(bind::describe_bind_error(&addr.to_string(), &e)))?;
            listen(kind, vec![(addr.to_string(), l)]);
        }
    }
    let log_prefix = match (protocol, role) {
        (Protocol::Imap4, EngineRole::FrontEnd) => "IMAP4",
        (Protocol::Imap4, EngineRole::BackEnd) => "IMAP4BE",
        (Protocol::Pop3, EngineRole::FrontEnd) => "POP3",
        (Protocol::Pop3, EngineRole::BackEnd) => "POP3BE",
    };
    let proxy_key = Arc::new(proxy_key);
    let routes = Routes::new(&store, protocol, own_back_end.clone(), access.clone());
    let back_end = Arc::new(SpareLink::new(
        own_back_end,
        proxy_key.clone(),
        seconds(settings.preauthenticated_connection_timeout),
    ));
    Ok(EngineContext {
        service_name,
        protocol,
        role,
        auth: Arc::new(Authenticator::new(store_path, protocol)),
        limits: ConnectionLimits::for_engine(&settings, protocol, role),
        pre_auth: match role {
            EngineRole::BackEnd => PreAuthBudget::for_back_end(address.is_some()),
            EngineRole::FrontEnd => PreAuthBudget::for_role(role),
        },
        proxy_key,
        back_end,
        routes,
        log: Arc::new(ProtocolLog::from_settings(&settings, log_prefix)),
        access,
        store_path: store_path.to_path_buf(),
        settings,
        owa,
        tls: tls_acceptor,
        listeners,
        mail,
        shutdown,
    })
}
