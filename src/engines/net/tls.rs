//! The front ends' TLS identity: the PEM pair named after X509CertificateName
//! in `<state>/certs/`, or a self-signed certificate made on first start and
//! kept there so clients that pinned it keep trusting it.

use std::fs;
use std::io::Write;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::NetError;
use crate::store::private;

/// `<state>/certs/<name>.pem` and `<name>.key`.
pub fn certificate_paths(state_dir: &Path, cert_name: &str) -> (PathBuf, PathBuf) {
    let dir = state_dir.join("certs");
    let safe = safe_file_name(cert_name);
    (dir.join(format!("{safe}.pem")), dir.join(format!("{safe}.key")))
}

/// A certificate name is a DNS name from the config; never let it climb
/// out of the certs folder.
fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' { c } else { '_' })
        .collect();
    let cleaned = cleaned.replace("..", "_");
    let trimmed = cleaned.trim_matches('.');
    if trimmed.is_empty() { "default".to_string() } else { trimmed.to_string() }
}

/// The ServerConfig for a front end, creating the self-signed pair if
/// no pair exists yet.
pub fn load_or_create(state_dir: &Path, cert_name: &str) -> Result<Arc<ServerConfig>, NetError> {
    let (cert_path, key_path) = ensure_pair(state_dir, cert_name)?;
    let fail = |reason: String| NetError::Certificate { name: cert_name.to_string(), reason };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert_path)
        .map_err(|e| fail(format!("{}: {e}", cert_path.display())))?
        .collect::<Result<_, _>>()
        .map_err(|e| fail(format!("{}: {e}", cert_path.display())))?;
    if certs.is_empty() {
        return Err(fail(format!("{} holds no certificate", cert_path.display())));
    }
    let key = PrivateKeyDer::from_pem_file(&key_path).map_err(|e| fail(format!("{}: {e}", key_path.display())))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| fail(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| fail(e.to_string()))?;
    Ok(Arc::new(config))
}

/// Both front ends may start at once and share the name: a lock file keeps
/// them from writing a key of one and a certificate of the other.
fn ensure_pair(state_dir: &Path, cert_name: &str) -> Result<(PathBuf, PathBuf), NetError> {
    let (cert_path, key_path) = certificate_paths(state_dir, cert_name);
    if cert_path.exists() && key_path.exists() {
        return Ok((cert_path, key_path));
    }
    let dir = state_dir.join("certs");
    private::create_dir_all(&dir)?;
    let lock = private::options().create(true).write(true).truncate(false).open(dir.join(".lock"))?;
    // SAFETY: flock on a file descriptor we own; released when `lock` drops.
    unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) };
    if cert_path.exists() && key_path.exists() {
        return Ok((cert_path, key_path));
    }
    let mut names = vec![cert_name.to_string()];
    for extra in ["localhost", "127.0.0.1", "::1"] {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(extra)) {
            names.push(extra.to_string());
        }
    }
    let generated = rcgen::generate_simple_self_signed(names)
        .map_err(|e| NetError::Certificate { name: cert_name.to_string(), reason: e.to_string() })?;
    // The certificate is no secret, but like everything in the store's
    // folder it is its owner's (0600).
    write_private(&key_path, generated.signing_key.serialize_pem().as_bytes())?;
    write_private(&cert_path, generated.cert.pem().as_bytes())?;
    Ok((cert_path, key_path))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), NetError> {
    let tmp = path.with_extension("tmp");
    let mut f = private::options().write(true).create(true).truncate(true).open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_start_creates_and_reuses_a_pair() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let first = super::load_or_create(dir.path(), "cas01.contoso.com");
        assert!(first.is_ok());
        let (cert, key) = super::certificate_paths(dir.path(), "cas01.contoso.com");
        let pem = std::fs::read(&cert).expect("certificate written");
        assert!(key.exists());
        assert!(super::load_or_create(dir.path(), "cas01.contoso.com").is_ok());
        assert_eq!(std::fs::read(&cert).expect("still there"), pem, "a second start keeps the certificate");
    }

    #[test]
    fn a_name_cannot_escape_the_folder() {
        let (cert, _) = super::certificate_paths(std::path::Path::new("/s"), "../../etc/passwd");
        assert!(cert.starts_with("/s/certs"));
        assert!(!cert.to_string_lossy().contains(".."));
    }
}
