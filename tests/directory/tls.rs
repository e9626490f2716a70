//! The directory reached over TLS, as libpq's URL parameters ask: a server
//! that refuses plain TCP, a certificate for `localhost` signed by a test
//! CA; `sslmode` and `sslrootcert` decide what is checked.

use super::{Dir, NEW_JOHN};
use crate::support::postgres::tls_directory;

fn on(url: String) -> Dir {
    Dir { store: url, cwd: tempfile::tempdir().unwrap(), data_home: None }
}

#[test]
fn the_directory_is_reached_over_tls_and_its_certificate_checked_as_sslmode_says() {
    let s = tls_directory();
    let (port, password) = (s.port, s.password);
    let url = |host: &str, query: &str| format!("postgresql://postgres:{password}@{host}:{port}/postgres{query}");
    let ca = s.ca.display().to_string();

    // verify-full: the chain to the CA and the name dialled.
    let full = on(url("localhost", &format!("?sslmode=verify-full&sslrootcert={ca}")));
    full.ok(NEW_JOHN);
    assert_eq!(full.ok("(Get-Mailbox jsmith).Alias"), "jsmith\n");

    let refused = |d: Dir, why: &str| {
        let r = d.run("Get-Mailbox");
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(r.stderr.contains(why), "{}", r.stderr);
        assert!(!r.stderr.contains(password), "the password is never shown: {}", r.stderr);
    };
    // The certificate names localhost, not 127.0.0.1: verify-full refuses
    // it there; verify-ca checks the chain only.
    refused(
        on(url("127.0.0.1", &format!("?sslmode=verify-full&sslrootcert={ca}"))),
        "error performing TLS handshake: invalid peer certificate: certificate not valid for name \"127.0.0.1\"",
    );
    let chain = on(url("127.0.0.1", &format!("?sslmode=verify-ca&sslrootcert={ca}")));
    assert_eq!(chain.ok("(Get-Mailbox jsmith).Alias"), "jsmith\n");
    // Another CA did not sign it.
    let other = s.other_ca.display().to_string();
    refused(
        on(url("localhost", &format!("?sslmode=verify-full&sslrootcert={other}"))),
        "error performing TLS handshake: invalid peer certificate: UnknownIssuer",
    );
    // require, and libpq's default (prefer), encrypt without checking.
    assert_eq!(on(url("127.0.0.1", "?sslmode=require")).ok("(Get-Mailbox jsmith).Alias"), "jsmith\n");
    assert_eq!(on(url("127.0.0.1", "")).ok("(Get-Mailbox jsmith).Alias"), "jsmith\n");
    // Without TLS, this server refuses the connection.
    refused(on(url("127.0.0.1", "?sslmode=disable")), "no encryption");
    // What mailsh cannot honour is said, never silently weakened.
    refused(
        on(url("localhost", "?sslmode=verify-full")),
        "sslmode=verify-full checks the server's certificate against trusted CAs: name them with sslrootcert=PATH (a PEM file) or sslrootcert=system",
    );
    refused(on(url("localhost", "?sslmode=allow")), "sslmode=allow is not one mailsh knows");

    // libpq's PGSSLMODE and PGSSLROOTCERT say what the URL leaves out.
    let with_env = |d: &Dir, mode: &str, root: &str| {
        let o = d
            .command()
            .env("PGSSLMODE", mode)
            .env("PGSSLROOTCERT", root)
            .args(["-NonInteractive", "-Command", "(Get-Mailbox jsmith).Alias"])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        crate::support::Run::from(o)
    };
    let r = with_env(&on(url("localhost", "")), "verify-full", &ca);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0, "jsmith
", ""
        )
    );
    let r = with_env(&on(url("localhost", "")), "verify-full", &other);
    assert!(r.stderr.contains("invalid peer certificate: UnknownIssuer"), "{}", r.stderr);
    let r = with_env(&on(url("127.0.0.1", "")), "disable", "");
    assert!(r.stderr.contains("no encryption"), "{}", r.stderr);
    // The URL's own sslmode wins over the environment's.
    let r = with_env(&on(url("127.0.0.1", "?sslmode=require")), "disable", "");
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            0, "jsmith
"
        )
    );
}
