//! Everything an engine process needs, prepared before it reports that it
//! listens: settings read once from the config store (server-level settings
//! take effect at restart), listeners bound, the TLS identity loaded.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use super::auth::Authenticator;
use super::delay::FailedLoginDelay;
use super::limits::ConnectionLimits;
use super::protolog::ProtocolLog;
use super::{NetError, bind, tls};
use crate::store::owa::OwaVirtualDirectory;
use crate::store::{Protocol, ProtocolSettings, ServerInfo, Store, state_dir_for};

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
}

pub struct ServiceListener {
    pub binding: String,
    pub kind: ListenerKind,
    pub listener: tokio::net::TcpListener,
}

/// What `prepare` returns before the async runtime exists.
pub struct PreparedEngine {
    pub service_name: &'static str,
    pub protocol: Protocol,
    pub role: EngineRole,
    pub store_path: PathBuf,
    pub state_dir: PathBuf,
    pub settings: ProtocolSettings,
    pub server: ServerInfo,
    pub owa: Vec<OwaVirtualDirectory>,
    pub tls: Option<TlsAcceptor>,
    listeners: Vec<(String, ListenerKind, std::net::TcpListener)>,
}

pub struct EngineContext {
    pub service_name: &'static str,
    pub protocol: Protocol,
    pub role: EngineRole,
    pub store_path: PathBuf,
    pub state_dir: PathBuf,
    pub settings: ProtocolSettings,
    pub server: ServerInfo,
    pub owa: Vec<OwaVirtualDirectory>,
    pub tls: Option<TlsAcceptor>,
    pub listeners: Vec<ServiceListener>,
    pub auth: Arc<Authenticator>,
    pub limits: ConnectionLimits,
    pub delay: Arc<FailedLoginDelay>,
    pub log: Arc<ProtocolLog>,
    /// Bumped when the config store changed (see data_version).
    pub access: watch::Receiver<u64>,
    /// Becomes true when the service is asked to stop (SIGTERM).
    pub shutdown: watch::Receiver<bool>,
}

/// Reads the settings, loads TLS and binds every listener. Errors are the
/// reasons Start-Service reports.
pub fn prepare(
    service_name: &'static str,
    protocol: Protocol,
    role: EngineRole,
    store_path: &Path,
) -> Result<PreparedEngine, NetError> {
    let store = Store::open_existing(store_path)?;
    let settings = store.protocol_settings(protocol)?;
    let server = store.server().clone();
    let owa = store.owa_virtual_directories()?;
    drop(store);
    let state_dir = state_dir_for(store_path);
    let mut listeners = Vec::new();
    let mut tls_acceptor = None;
    match role {
        EngineRole::FrontEnd => {
            let config = tls::load_or_create(&state_dir, &settings.x509_certificate_name)?;
            tls_acceptor = Some(TlsAcceptor::from(config));
            for (binding, l) in bind::bind_all(&settings.unencrypted_or_tls_bindings)? {
                listeners.push((binding, ListenerKind::Plain, l));
            }
            // Bind SSL only if there are SSL bindings; an empty list is allowed.
            if !settings.ssl_bindings.is_empty() {
                for (binding, l) in bind::bind_all(&settings.ssl_bindings)? {
                    listeners.push((binding, ListenerKind::ImplicitTls, l));
                }
            }
        }
        EngineRole::BackEnd => {
            let port = u16::try_from(settings.proxy_target_port).map_err(|_| {
                NetError::Bind(format!("ProxyTargetPort {} is not a port.", settings.proxy_target_port))
            })?;
            let addr = bind::loopback(port);
            let l =
                bind::bind_one(addr).map_err(|e| NetError::Bind(bind::describe_bind_error(&addr.to_string(), &e)))?;
            listeners.push((addr.to_string(), ListenerKind::Backend, l));
        }
    }
    Ok(PreparedEngine {
        service_name,
        protocol,
        role,
        store_path: store_path.to_path_buf(),
        state_dir,
        settings,
        server,
        owa,
        tls: tls_acceptor,
        listeners,
    })
}

impl PreparedEngine {
    /// Inside the runtime: hands the sockets to tokio and starts the shared
    /// helpers.
    pub fn into_context(self, shutdown: watch::Receiver<bool>) -> Result<EngineContext, NetError> {
        let mut listeners = Vec::new();
        for (binding, kind, l) in self.listeners {
            listeners.push(ServiceListener { binding, kind, listener: tokio::net::TcpListener::from_std(l)? });
        }
        let prefix = match (self.protocol, self.role) {
            (Protocol::Imap4, EngineRole::FrontEnd) => "IMAP4",
            (Protocol::Imap4, EngineRole::BackEnd) => "IMAP4BE",
            (Protocol::Pop3, EngineRole::FrontEnd) => "POP3",
            (Protocol::Pop3, EngineRole::BackEnd) => "POP3BE",
        };
        Ok(EngineContext {
            service_name: self.service_name,
            protocol: self.protocol,
            role: self.role,
            auth: Arc::new(Authenticator::new(&self.store_path, self.protocol)),
            limits: ConnectionLimits::from_settings(&self.settings),
            delay: Arc::new(FailedLoginDelay::new()),
            log: Arc::new(ProtocolLog::from_settings(&self.settings, prefix)),
            access: super::data_version::spawn(&self.store_path),
            shutdown,
            store_path: self.store_path,
            state_dir: self.state_dir,
            settings: self.settings,
            server: self.server,
            owa: self.owa,
            tls: self.tls,
            listeners,
        })
    }
}
