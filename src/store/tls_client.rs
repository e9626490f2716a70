//! What mailsh's TLS clients check of a server's certificate when it is
//! not the usual full check (rustls's own, a chain to trusted roots for
//! the name dialled): Test-*Connectivity -TrustAnySSLCertificate and
//! opportunistic TLS to smart hosts check nothing; a send connector's
//! CertificateValidation and a directory's `sslmode=verify-ca` check the
//! chain but not the name. The handshake's signatures are always checked.
//! Kept in the store, the lowest layer that dials out (to its directory on
//! PostgreSQL); the engines' clients use it too.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

#[derive(Debug)]
pub struct CertCheck {
    /// None: any certificate; Some: a chain to these roots, any name.
    chain: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl CertCheck {
    /// Any certificate is accepted.
    pub fn any(provider: &CryptoProvider) -> CertCheck {
        CertCheck { chain: None, algorithms: provider.signature_verification_algorithms }
    }

    /// A chain to `roots`, valid now, whatever name it carries; None when
    /// rustls cannot build the check (no roots).
    pub fn chain_only(provider: &Arc<CryptoProvider>, roots: RootCertStore) -> Option<CertCheck> {
        let chain = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build().ok()?;
        Some(CertCheck { chain: Some(chain), algorithms: provider.signature_verification_algorithms })
    }
}

/// A TLS client that accepts any certificate (the handshake's signatures
/// still checked), made once: opportunistic TLS to smart hosts, and the
/// hop between servers, where the proof bound to the session
/// authenticates the back end. None if rustls cannot be set up.
pub fn client_accepting_any() -> Option<Arc<rustls::ClientConfig>> {
    static CONFIG: std::sync::OnceLock<Option<Arc<rustls::ClientConfig>>> = std::sync::OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let verifier = Arc::new(CertCheck::any(&provider));
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map(|b| Arc::new(b.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth()))
                .ok()
        })
        .clone()
}

/// The system's trusted roots (Debian's bundle, or another distribution's)
/// and the certificates of `extra` PEM files.
pub fn roots(extra: &[PathBuf]) -> RootCertStore {
    let mut store = RootCertStore::empty();
    let system = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"];
    let files = system.iter().map(PathBuf::from).filter(|p| p.exists()).take(1).chain(extra.iter().cloned());
    for file in files {
        add_pem_file(&mut store, &file);
    }
    store
}

/// The certificates of one PEM file; how many were added.
pub fn add_pem_file(store: &mut RootCertStore, file: &Path) -> usize {
    let mut added = 0;
    if let Ok(certs) = CertificateDer::pem_file_iter(file) {
        for cert in certs.flatten() {
            added += usize::from(store.add(cert).is_ok());
        }
    }
    added
}

impl ServerCertVerifier for CertCheck {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else { return Ok(ServerCertVerified::assertion()) };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
