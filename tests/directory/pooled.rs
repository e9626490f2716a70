//! The directory behind a connection pooler, as docs/topology.md advises
//! for an organization whose administrators run many one-command shells:
//! PgBouncer in session pooling hands each shell a server connection an
//! earlier shell used (reset with `DISCARD ALL`), and the services' long
//! sessions one each.

use super::{Dir, NEW_JOHN, Started};
use crate::support::{free_port, postgres};

const LOGIN: &str = r#"
import imaplib, os
m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
try:
    m.login('jsmith@contoso.com', 'P@ssw0rd1')
    print('logged on')
    m.logout()
except imaplib.IMAP4.error as e:
    print('refused:', e)
"#;

fn login(port: u16) -> String {
    super::python(LOGIN, &[("IMAP_PORT", port)])
}

/// Shells one after another, each on a connection the last one left in
/// the pool (its statements prepared under the same names), read and
/// write what the others wrote; two shells write at once; the IMAP4
/// services run on the pooled directory and follow a change made there.
#[test]
fn shells_and_services_work_on_a_directory_behind_pgbouncer() {
    let cwd = tempfile::tempdir().unwrap();
    let data_home = Some(cwd.path().join("data"));
    let d = Dir { store: postgres::through_pgbouncer(&postgres::directory()), cwd, data_home };
    d.ok(NEW_JOHN);
    for i in 0..6 {
        let enabled = if i % 2 == 0 { "$false" } else { "$true" };
        d.ok(&format!("Set-CASMailbox jsmith -PopEnabled {enabled}"));
        let want = if i % 2 == 0 { "False\n" } else { "True\n" };
        assert_eq!(d.ok("(Get-CASMailbox jsmith).PopEnabled"), want, "shell {i}");
    }
    // Two at once: two server connections, the lock taken on each.
    assert_eq!(super::set_john_from_two_shells_at_once(&d, 10), "False 10 MB (10,485,760 bytes)\n");

    let [imap, imaps, imap_be] = [(); 3].map(|_| free_port());
    d.ok(&format!(
        "Set-ImapSettings -UnencryptedOrTLSBindings 127.0.0.1:{imap} -SSLBindings 127.0.0.1:{imaps} -ProxyTargetPort {imap_be} -LoginType PlainTextLogin -WarningAction SilentlyContinue"
    ));
    d.ok("Start-Service MSExchangeIMAP4BE, MSExchangeIMAP4");
    let _started = Started(&d, vec![("CAS01", "MSExchangeIMAP4, MSExchangeIMAP4BE")]);
    assert_eq!(login(imap), "logged on\n");
    d.ok("Set-CASMailbox jsmith -ImapEnabled $false");
    let refused = login(imap);
    assert!(refused.starts_with("refused: "), "{refused}");
}
