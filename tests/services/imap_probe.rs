//! Test-ImapConnectivity's probe against the real IMAP4 services, started
//! through the same supervisor.

use std::time::Duration;

use crate::support::Env;
use mailsh::engines::probe::{ConnectionType, ProbeProtocol, ProbeRequest, probe};
use mailsh::services::{Service, ServiceStatus};

#[test]
fn imap_services_start_and_the_probe_logs_on_over_every_connection_type() {
    let mut env = Env::imap(false);
    env.start(Service::Imap4Backend);
    env.start(Service::Imap4);
    assert_eq!(env.control.status(Service::Imap4), ServiceStatus::Running);
    for connection in [ConnectionType::Plaintext, ConnectionType::Tls, ConnectionType::Ssl] {
        let request = ProbeRequest {
            protocol: ProbeProtocol::Imap4,
            host: "127.0.0.1".into(),
            port: if connection == ConnectionType::Ssl { env.ssl_port } else { env.plain_port },
            connection,
            user: crate::support::USER.into(),
            password: crate::support::PASSWORD.into(),
            trust_any_certificate: true,
            extra_roots: vec![],
            timeout: Duration::from_secs(20),
        };
        let result = probe(&request);
        assert!(result.is_ok(), "{connection:?}: {result:?}");
        let mut wrong = request.clone();
        wrong.password = "nope".into();
        let refused = probe(&wrong);
        assert!(refused.as_ref().is_err_and(|e| e.ends_with("NO LOGIN failed.")), "{refused:?}");
    }
}
