//! TLS to the directory, as libpq's URL asks for it: `sslmode` (disable,
//! prefer, require, verify-ca, verify-full; libpq's default, prefer, when
//! absent) and `sslrootcert` (a PEM file of the CAs to trust, or `system`
//! for the system's roots), on rustls through `tokio-postgres-rustls`
//! (which also binds SCRAM logons to the TLS session). The `postgres`
//! crate knows only disable, prefer and require and refuses `sslrootcert`,
//! so both are read here and taken out of the URL it parses.
//!
//! Where the URL says neither, libpq's environment variables PGSSLMODE and
//! PGSSLROOTCERT do, as they do for psql.
//!
//! What each mode checks is libpq's: prefer and require encrypt without
//! checking the certificate (unless `sslrootcert` names CAs, when they
//! check the chain as verify-ca does); verify-ca checks the chain to the
//! CAs; verify-full also checks that the certificate names the host dialled.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use postgres::config::SslMode;
use rustls::RootCertStore;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::store::tls_client::{CertCheck, add_pem_file, roots};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// How a connection is made: in plain text only, or with TLS as the mode
/// says.
pub enum Connector {
    Plain,
    Tls(MakeRustlsConnect),
}

/// The client's configuration and connector for `url`; why not, in words
/// for the message that names the directory.
pub fn prepare(url: &str) -> Result<(postgres::Config, Connector), String> {
    let (rest, mode, rootcert) = take_tls_parameters(url, |name| std::env::var(name).ok().filter(|v| !v.is_empty()))?;
    let mut config: postgres::Config = rest.parse().map_err(|e: postgres::Error| e.to_string())?;
    config.ssl_mode(match mode {
        Mode::Disable => SslMode::Disable,
        Mode::Prefer => SslMode::Prefer,
        Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
    });
    if mode == Mode::Disable {
        return Ok((config, Connector::Plain));
    }
    let client = client_config(mode, rootcert.as_deref())?;
    Ok((config, Connector::Tls(MakeRustlsConnect::new(client))))
}

/// The URL without `sslmode` and `sslrootcert`, and what they said (else
/// what `env`'s PGSSLMODE and PGSSLROOTCERT say, else prefer and none).
fn take_tls_parameters(
    url: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<(String, Mode, Option<String>), String> {
    let (head, query) = url.split_once('?').unwrap_or((url, ""));
    let (mut mode, mut rootcert, mut kept) = (None, None, Vec::new());
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => mode = Some(mode_named(&percent_decoded(value), "sslmode")?),
            "sslrootcert" => rootcert = Some(percent_decoded(value)),
            _ => kept.push(pair),
        }
    }
    let mode = match (mode, env("PGSSLMODE")) {
        (Some(mode), _) => mode,
        (None, Some(text)) => mode_named(&text, "PGSSLMODE")?,
        (None, None) => Mode::Prefer,
    };
    let rootcert = rootcert.or_else(|| env("PGSSLROOTCERT"));
    let rest = if kept.is_empty() { head.to_string() } else { format!("{head}?{}", kept.join("&")) };
    Ok((rest, mode, rootcert))
}

/// The mode `text` names; `source` says where it was read.
fn mode_named(text: &str, source: &str) -> Result<Mode, String> {
    Ok(match text {
        "disable" => Mode::Disable,
        "prefer" => Mode::Prefer,
        "require" => Mode::Require,
        "verify-ca" => Mode::VerifyCa,
        "verify-full" => Mode::VerifyFull,
        other => {
            return Err(format!(
                "{source}={other} is not one mailsh knows: use disable, prefer, require, verify-ca or verify-full"
            ));
        }
    })
}

/// `%2F` and the like, as a URL writes a path.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The CAs a verifying mode trusts: `sslrootcert`'s file, the system's
/// roots for `system`, else libpq's default file `~/.postgresql/root.crt`.
fn trusted(rootcert: Option<&str>, mode: Mode) -> Result<Option<RootCertStore>, String> {
    let file = match rootcert {
        Some("system") => return Ok(Some(roots(&[]))),
        Some(path) => PathBuf::from(path),
        None => match std::env::var_os("HOME").map(|h| Path::new(&h).join(".postgresql/root.crt")) {
            Some(default) if default.exists() => default,
            _ if matches!(mode, Mode::VerifyCa | Mode::VerifyFull) => {
                return Err(format!(
                    "sslmode={} checks the server's certificate against trusted CAs: name them with \
                     sslrootcert=PATH (a PEM file) or sslrootcert=system",
                    if mode == Mode::VerifyCa { "verify-ca" } else { "verify-full" }
                ));
            }
            _ => return Ok(None),
        },
    };
    let mut store = RootCertStore::empty();
    if add_pem_file(&mut store, &file) == 0 {
        return Err(format!("sslrootcert {} holds no certificate mailsh can read", file.display()));
    }
    Ok(Some(store))
}

fn client_config(mode: Mode, rootcert: Option<&str>) -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let cannot = |e: String| format!("TLS to the directory cannot be set up: {e}");
    let config = match (mode, trusted(rootcert, mode)?) {
        (Mode::VerifyFull, Some(cas)) => builder.with_root_certificates(cas).with_no_client_auth(),
        (_, Some(cas)) => {
            let check = CertCheck::chain_only(&provider, cas).ok_or_else(|| cannot("no usable CA".into()))?;
            builder.dangerous().with_custom_certificate_verifier(Arc::new(check)).with_no_client_auth()
        }
        (_, None) => {
            let check = CertCheck::any(&provider);
            builder.dangerous().with_custom_certificate_verifier(Arc::new(check)).with_no_client_auth()
        }
    };
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tls_parameters_are_read_and_taken_out_of_the_url() {
        let (rest, mode, root) =
            take_tls_parameters("postgresql://u@db1/dir?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&x=1", none)
                .unwrap();
        assert_eq!(
            (rest.as_str(), mode, root.as_deref()),
            ("postgresql://u@db1/dir?x=1", Mode::VerifyFull, Some("/etc/ca.pem"))
        );
        let (rest, mode, root) = take_tls_parameters("postgresql://u@db1/dir", none).unwrap();
        assert_eq!((rest.as_str(), mode, root), ("postgresql://u@db1/dir", Mode::Prefer, None));
        let (rest, mode, _) = take_tls_parameters("postgresql://u@db1/dir?sslmode=disable", none).unwrap();
        assert_eq!((rest.as_str(), mode), ("postgresql://u@db1/dir", Mode::Disable));
        assert_eq!(
            take_tls_parameters("postgresql://db1/dir?sslmode=allow", none).unwrap_err(),
            "sslmode=allow is not one mailsh knows: use disable, prefer, require, verify-ca or verify-full"
        );
    }

    fn none(_: &str) -> Option<String> {
        None
    }

    /// libpq's environment says what the URL does not; the URL wins.
    #[test]
    fn pgsslmode_and_pgsslrootcert_fill_in_what_the_url_leaves_out() {
        let env = |name: &str| match name {
            "PGSSLMODE" => Some("verify-ca".to_string()),
            "PGSSLROOTCERT" => Some("/etc/ca.pem".to_string()),
            _ => None,
        };
        let (_, mode, root) = take_tls_parameters("postgresql://u@db1/dir", env).unwrap();
        assert_eq!((mode, root.as_deref()), (Mode::VerifyCa, Some("/etc/ca.pem")));
        let (_, mode, root) =
            take_tls_parameters("postgresql://u@db1/dir?sslmode=require&sslrootcert=system", env).unwrap();
        assert_eq!((mode, root.as_deref()), (Mode::Require, Some("system")));
        let allow = |name: &str| (name == "PGSSLMODE").then(|| "allow".to_string());
        assert_eq!(
            take_tls_parameters("postgresql://db1/dir", allow).unwrap_err(),
            "PGSSLMODE=allow is not one mailsh knows: use disable, prefer, require, verify-ca or verify-full"
        );
    }

    #[test]
    fn a_verifying_mode_needs_its_cas() {
        let err = client_config(Mode::VerifyFull, Some("/nonexistent/ca.pem")).unwrap_err();
        assert_eq!(err, "sslrootcert /nonexistent/ca.pem holds no certificate mailsh can read");
        assert!(client_config(Mode::Require, None).is_ok());
        assert!(client_config(Mode::VerifyFull, Some("system")).is_ok());
    }
}
