//! Test-PopConnectivity's probe against the real POP3 services.

use std::time::Duration;

use crate::support::Env;
use mailsh::engines::probe::{ConnectionType, ProbeProtocol, ProbeRequest, probe};

fn request(env: &Env, connection: ConnectionType, trust_any: bool) -> ProbeRequest {
    ProbeRequest {
        protocol: ProbeProtocol::Pop3,
        host: "127.0.0.1".into(),
        port: if connection == ConnectionType::Ssl { env.ssl_port } else { env.plain_port },
        connection,
        user: crate::support::USER.into(),
        password: crate::support::PASSWORD.into(),
        trust_any_certificate: trust_any,
        extra_roots: vec![],
        timeout: Duration::from_secs(20),
    }
}

#[test]
fn probes_over_plaintext_tls_and_ssl() {
    let mut env = Env::pop(false);
    env.start_pop();
    for connection in [ConnectionType::Plaintext, ConnectionType::Tls, ConnectionType::Ssl] {
        let result = probe(&request(&env, connection, true));
        assert!(result.is_ok(), "{connection:?}: {result:?}");
    }
    let mut wrong = request(&env, ConnectionType::Plaintext, true);
    wrong.password = "nope".into();
    assert_eq!(probe(&wrong), Err("-ERR Logon failure: unknown user name or bad password.".to_string()));
}

#[test]
fn the_self_signed_certificate_is_refused_unless_trusted() {
    let mut env = Env::pop(true);
    env.start_pop();
    let untrusted = probe(&request(&env, ConnectionType::Ssl, false));
    assert!(untrusted.is_err(), "{untrusted:?}");
    let mut pinned = request(&env, ConnectionType::Tls, false);
    pinned.extra_roots = mailsh::engines::probe::service_certificates(&env.state_dir());
    assert!(!pinned.extra_roots.is_empty());
    let result = probe(&pinned);
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn a_stopped_service_is_an_error_not_a_hang() {
    let env = Env::pop(false);
    let result = probe(&request(&env, ConnectionType::Plaintext, true));
    assert!(result.is_err_and(|e| e.contains("refused")), "connection refused expected");
}
