//! The Exchange admin center (EAC), served by the W3SVC service as IIS
//! serves `/ecp` in Exchange 2013: HTTPS with the store's certificate on
//! the host and port of the ECP virtual directory's URLs, plain HTTP only
//! redirected to it. Server-rendered pages (maud) on axum, on the tokio the
//! other engines use.
//!
//! Reading is done here, through the store's own functions; every change
//! is a command line run through the shell's runtime by a
//! [`CommandRunner`], which the hosts layer provides (engines never reach
//! the runtime or the cmdlets): the same binder, validation, transaction
//! and audit row as in the Shell, with the signed-in administrator as the
//! caller.
//!
//! - `listen.rs`: the listeners (from the URLs), TLS, the HTTP redirect;
//! - `sessions.rs`: sign-in sessions, cookies, CSRF tokens, inactivity;
//! - `access.rs`: every request's check (session, role group, language);
//! - `labels.rs`: every label, one table per language;
//! - `page.rs`: the frame every page shares;
//! - `signin.rs`, `mailboxes.rs`, `mailbox_edit.rs` (with its sections
//!   `mailbox_general.rs` and `mailbox_addresses.rs`), `mailbox_new.rs`,
//!   `mailbox_delete.rs`, `command_log.rs`, `servers.rs`,
//!   `server_protocol.rs`: the pages.

mod access;
mod command_log;
pub mod labels;
mod listen;
mod mailbox_addresses;
mod mailbox_delete;
mod mailbox_edit;
mod mailbox_general;
mod mailbox_new;
mod mailboxes;
mod page;
mod server_protocol;
mod servers;
mod sessions;
mod signin;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::sync::watch;

use super::net::NetError;
use super::net::auth::Authenticator;
use crate::store::{ServerInfo, Store};

pub use listen::https_bindings;

/// What a command line run through the shell's runtime gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutcome {
    /// Each error record's message, as the Shell prints it first.
    pub errors: Vec<String>,
    /// Each warning's text (without `WARNING: `).
    pub warnings: Vec<String>,
}

/// Runs a command line through the shell's runtime (parser, binder,
/// cmdlet) on the store at `store`, with `caller` as the audit log's
/// caller. Blocking: the engine calls it off its async threads.
pub trait CommandRunner: Send + Sync + 'static {
    fn run(&self, store: &Path, caller: &str, line: &str) -> CommandOutcome;
}

/// Everything the service reads and binds before it serves.
pub struct WebContext {
    store_path: PathBuf,
    server: ServerInfo,
    https: Vec<(String, std::net::TcpListener)>,
    http: Option<(String, std::net::TcpListener)>,
    /// The port HTTP redirects to (the first HTTPS listener's).
    https_port: u16,
    tls: Arc<rustls::ServerConfig>,
    session_timeout: Duration,
    runner: Arc<dyn CommandRunner>,
    stop: watch::Receiver<bool>,
}

/// Reads the ECP virtual directory and the web site's settings, binds
/// every listener and loads the certificate the mail services use
/// (X509CertificateName of the IMAP4 settings): any failure is the reason
/// Start-Service shows.
pub fn prepare(
    store_path: &Path,
    stop: watch::Receiver<bool>,
    runner: Arc<dyn CommandRunner>,
) -> Result<WebContext, NetError> {
    let store = Store::open_existing(store_path)?;
    let dirs = store.virtual_directories(crate::store::owa::VirtualDirectoryKind::Ecp)?;
    let site = store.web_site()?;
    let cert_name = store.protocol_settings(crate::store::Protocol::Imap4)?.x509_certificate_name;
    let bindings = https_bindings(&dirs)?;
    let https = super::net::bind::bind_all(&bindings)?;
    let https_port = https.first().and_then(|(_, l)| l.local_addr().ok()).map_or(443, |a| a.port());
    let http = match site.http_binding.trim() {
        "" => None,
        binding => super::net::bind::bind_all(&[binding.to_string()])?.into_iter().next(),
    };
    let tls = super::net::tls::load_or_create(&store.state_dir(), &cert_name)?;
    Ok(WebContext {
        store_path: store_path.to_path_buf(),
        server: store.server().clone(),
        https,
        http,
        https_port,
        tls,
        session_timeout: Duration::from_secs(site.session_timeout.max(1) as u64),
        runner,
        stop,
    })
}

/// The state every handler shares.
pub(crate) struct Eac {
    pub store_path: PathBuf,
    pub server: ServerInfo,
    /// Sign-ins: the logon record, throttle and bounded password checks
    /// every service shares (no protocol switch: role groups decide).
    pub auth: Authenticator,
    pub sessions: sessions::Sessions,
    pub runner: Arc<dyn CommandRunner>,
}

pub(crate) type App = Arc<Eac>;

fn router(app: App) -> Router {
    Router::new()
        .route("/", get(page::to_ecp))
        .route("/ecp", get(page::to_ecp))
        .route("/ecp/", get(page::to_ecp))
        .route("/ecp/auth/signin", get(signin::form).post(signin::submit))
        .route("/ecp/auth/signout", axum::routing::post(signin::sign_out))
        .route("/ecp/recipients/mailboxes", get(mailboxes::list))
        .route("/ecp/recipients/mailboxes/new", get(mailbox_new::form).post(mailbox_new::submit))
        .route("/ecp/recipients/mailboxes/{guid}", get(mailbox_edit::show).post(mailbox_edit::submit))
        .route("/ecp/recipients/mailboxes/{guid}/delete", get(mailbox_delete::confirm).post(mailbox_delete::submit))
        .route("/ecp/servers/servers", get(servers::list))
        .route("/ecp/servers/servers/{protocol}", get(server_protocol::show).post(server_protocol::submit))
        .route("/ecp/commandlog", get(command_log::show))
        .fallback(page::not_found)
        .layer(axum::middleware::map_response(page::protect))
        .with_state(app)
}

pub type Serve = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Serves until the stop signal; then stops accepting.
pub fn serve(ctx: WebContext) -> std::io::Result<Serve> {
    let sessions = sessions::Sessions::open(&ctx.store_path, ctx.session_timeout).map_err(std::io::Error::other)?;
    let app: App = Arc::new(Eac {
        store_path: ctx.store_path.clone(),
        server: ctx.server.clone(),
        auth: Authenticator::for_submission(&ctx.store_path).named("W3SVC"),
        sessions,
        runner: ctx.runner.clone(),
    });
    listen::serve(ctx, router(app))
}
