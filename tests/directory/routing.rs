//! Three servers on one directory, on loopback addresses of their own:
//! CAS01 (Client Access, 127.0.0.2), MBX01 (Mailbox, 127.0.0.3) and MBX02
//! (Mailbox, 127.0.0.4). Users of each Mailbox server log on through
//! CAS01's front ends and read their own mail; CAS01 relays each to the
//! back end of the server holding the user's database, over TLS; a server
//! whose back end is stopped leaves its users authenticated but not
//! connected while the others are served; nobody but a front end of the
//! organization gets through a back end.

use super::{Dir, Started};
use crate::support::{free_port, wait_until};

fn setup(d: &Dir, args: &[&str]) {
    let r = d.setup(args);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn python(script: &str, imap: u16, pop: u16, proxy: u16) -> String {
    super::python(script, &[("IMAP_PORT", imap), ("POP_PORT", pop), ("PROXY_PORT", proxy)])
}

/// John (MBX01) and Ann (MBX02) each append over IMAP through CAS01 and
/// count what they see; Ann reads hers over POP3.
const BOTH_THROUGH_CAS01: &str = r#"
import imaplib, os, poplib
for user, subject in (('john@contoso.com', 'for John'), ('ann@contoso.com', 'for Ann')):
    m = imaplib.IMAP4('127.0.0.2', int(os.environ['IMAP_PORT']))
    m.login(user, 'P@ssw0rd1')
    m.append('INBOX', None, None, ('Subject: %s\r\n\r\nhello\r\n' % subject).encode())
    m.select('INBOX')
    typ, data = m.fetch('1:*', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
    print(user, [d[1].decode().strip() for d in data if isinstance(d, tuple)])
    m.logout()
p = poplib.POP3('127.0.0.2', int(os.environ['POP_PORT']))
p.user('ann@contoso.com')
p.pass_('P@ssw0rd1')
print('pop3', p.stat()[0])
p.quit()
"#;

/// Ann's logon while MBX02's IMAP4 back end is stopped, then John's.
const ANN_THEN_JOHN: &str = r#"
import imaplib, os
m = imaplib.IMAP4('127.0.0.2', int(os.environ['IMAP_PORT']))
try:
    m.login('ann@contoso.com', 'P@ssw0rd1')
except imaplib.IMAP4.error as e:
    print('ann login:', e)
try:
    m.noop()
except imaplib.IMAP4.error as e:
    print('ann noop:', e)
j = imaplib.IMAP4('127.0.0.2', int(os.environ['IMAP_PORT']))
j.login('john@contoso.com', 'P@ssw0rd1')
print('john', j.select('INBOX')[1][0].decode())
"#;

/// A client at MBX01's back end: in plain text it gets TLS's alert and
/// nothing of IMAP; over TLS it is challenged, and its IMAP is refused.
const STRANGER_AT_THE_BACK_END: &str = r#"
import os, socket, ssl
port = int(os.environ['PROXY_PORT'])
plain = socket.create_connection(('127.0.0.3', port), timeout=10)
plain.sendall(b'a LOGIN john@contoso.com P@ssw0rd1\r\n')
try:
    data = plain.recv(4096)
    print('plain:', 'a TLS alert' if data[:1] == b'\x15' else data)
except (ConnectionResetError, socket.timeout) as e:
    print('plain:', type(e).__name__)
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
tls = ctx.wrap_socket(socket.create_connection(('127.0.0.3', port), timeout=10), server_hostname='mbx01')
f = tls.makefile('rb')
print('tls:', f.readline()[:15])
tls.sendall(b'a LOGIN john@contoso.com P@ssw0rd1\r\n')
print('tls:', f.readline().strip())
print('tls:', f.readline())
"#;

#[test]
fn a_client_access_server_relays_each_user_to_the_mailbox_server_of_their_database() {
    let d = Dir::postgres_with_services();
    setup(&d, &["-Mode", "Install", "-Roles", "ClientAccess", "-ServerName", "CAS01", "-Address", "127.0.0.2"]);
    setup(&d, &["-Mode", "Install", "-Roles", "Mailbox", "-ServerName", "MBX01", "-Address", "127.0.0.3"]);
    setup(&d, &["-Mode", "Install", "-Roles", "Mailbox", "-ServerName", "MBX02", "-Address", "127.0.0.4"]);
    let password = "(ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)";
    d.ok_on(
        "CAS01",
        &format!(
            "New-Mailbox -Name John -Alias john -Database (Get-MailboxDatabase -Server MBX01).Name -Password {password} | Out-Null
             New-Mailbox -Name Ann -Alias ann -Database (Get-MailboxDatabase -Server MBX02).Name -Password {password} | Out-Null"
        ),
    );
    assert_eq!(d.ok_on("CAS01", "(Get-Mailbox john).ServerName; (Get-Mailbox ann).ServerName"), "mbx01\nmbx02\n");
    // Each server runs the services of its roles.
    let r = d.on("CAS01", "Get-Service MSExchangeIMAP4BE");
    assert!(
        r.stderr.starts_with("Get-Service : Cannot find any service with service name 'MSExchangeIMAP4BE'."),
        "{}",
        r.stderr
    );
    assert_eq!(
        d.ok_on("MBX01", "(Get-Service MSExchange*).Name -join ','"),
        "MSExchangeDelivery,MSExchangeIMAP4BE,MSExchangeMailboxReplication,MSExchangePOP3BE,MSExchangeSubmission,\
         MSExchangeTransport\n"
    );

    let [imap, imaps, pop, pops, proxy_imap, proxy_pop] = [(); 6].map(|_| free_port());
    d.ok_on(
        "CAS01",
        &format!(
            "Set-ImapSettings -UnencryptedOrTLSBindings 127.0.0.2:{imap} -SSLBindings 127.0.0.2:{imaps} -LoginType PlainTextLogin -WarningAction SilentlyContinue
             Set-PopSettings -UnencryptedOrTLSBindings 127.0.0.2:{pop} -SSLBindings 127.0.0.2:{pops} -LoginType PlainTextLogin -WarningAction SilentlyContinue
             # Both Mailbox servers' back ends on the same ports, each at its own address.
             foreach ($s in 'MBX01', 'MBX02') {{
                 Set-ImapSettings -Server $s -ProxyTargetPort {proxy_imap} -WarningAction SilentlyContinue
                 Set-PopSettings -Server $s -ProxyTargetPort {proxy_pop} -WarningAction SilentlyContinue
             }}"
        ),
    );
    let mut started = Started(&d, Vec::new());
    for (server, services) in [
        ("MBX01", "MSExchangeIMAP4BE,MSExchangePOP3BE"),
        ("MBX02", "MSExchangeIMAP4BE,MSExchangePOP3BE"),
        ("CAS01", "MSExchangeIMAP4,MSExchangePOP3"),
    ] {
        d.ok_on(server, &format!("Start-Service {services}"));
        started.1.push((server, services));
    }

    // CAS01's shell sees the other servers' services, as their supervisors
    // published them.
    let remote =
        "Get-Service -ComputerName MBX01,MBX02 | ForEach-Object { \"$($_.MachineName) $($_.Name) $($_.Status)\" }";
    wait_until("the published statuses", || d.on("CAS01", remote).stdout.matches("Running").count() == 4);
    assert_eq!(
        d.ok_on("CAS01", remote),
        "MBX01 MSExchangeDelivery Stopped\nMBX01 MSExchangeIMAP4BE Running\nMBX01 MSExchangeMailboxReplication Stopped\n\
         MBX01 MSExchangePOP3BE Running\nMBX01 MSExchangeSubmission Stopped\nMBX01 MSExchangeTransport Stopped\n\
         MBX02 MSExchangeDelivery Stopped\nMBX02 MSExchangeIMAP4BE Running\nMBX02 MSExchangeMailboxReplication Stopped\n\
         MBX02 MSExchangePOP3BE Running\nMBX02 MSExchangeSubmission Stopped\nMBX02 MSExchangeTransport Stopped\n"
    );
    let r = d.on("CAS01", "Get-Service -ComputerName MBX09");
    assert!(
        r.stderr.starts_with("Get-Service : Cannot open Service Control Manager on computer 'MBX09'. This operation might require other privileges."),
        "{}",
        r.stderr
    );

    // Each user reads their own mail, held by their own server.
    assert_eq!(
        python(BOTH_THROUGH_CAS01, imap, pop, proxy_imap),
        "john@contoso.com ['Subject: for John']\nann@contoso.com ['Subject: for Ann']\npop3 1\n"
    );
    // Statistics come from the server holding the database.
    assert_eq!(d.ok_on("MBX01", "(Get-MailboxStatistics john).ItemCount"), "1\n");
    let r = d.on("CAS01", "Get-MailboxStatistics john");
    assert!(r.stderr.contains("can't be read from this server: its database Mailbox Database "), "{}", r.stderr);
    assert!(r.stderr.contains(" is on MBX01: run Get-MailboxStatistics on MBX01's shell."), "{}", r.stderr);
    let data = d.data_home.as_ref().unwrap().join("mailsh");
    assert!(data.join("mbx01/mail.db").is_file() && data.join("mbx02/mail.db").is_file());
    assert!(!data.join("cas01/mail.db").exists(), "a Client Access server holds no mail");

    // MBX02's IMAP4 back end stopped: its users are authenticated but not
    // connected; MBX01's are served.
    d.ok_on("MBX02", "Stop-Service MSExchangeIMAP4BE");
    let stopped = "(Get-Service MSExchangeIMAP4BE -ComputerName mbx02.contoso.com).Status";
    wait_until("MBX02's published stop", || d.on("CAS01", stopped).stdout == "Stopped\n");
    assert_eq!(
        python(ANN_THEN_JOHN, imap, pop, proxy_imap),
        "ann login: b'LOGIN failed.'\nann noop: NOOP command error: BAD [b'User is authenticated but not connected.']\njohn 1\n"
    );

    // A server whose supervisors stopped saying how they are (a machine
    // gone) is one Windows cannot ask.
    let mut directory = ::postgres::Client::connect(&d.store, ::postgres::NoTls).unwrap();
    directory.batch_execute("UPDATE service_state SET seen = seen - 600").unwrap();
    let r = d.on("CAS01", "Get-Service -ComputerName MBX01");
    assert!(
        r.stderr.starts_with("Get-Service : Cannot open Service Control Manager on computer 'MBX01'."),
        "{}",
        r.stderr
    );

    // Nobody but the organization's front ends gets through a back end.
    assert_eq!(
        python(STRANGER_AT_THE_BACK_END, imap, pop, proxy_imap),
        "plain: a TLS alert\ntls: b'MAILSH-PROXY 1 '\ntls: b'* BYE Connection refused: this port serves the IMAP4 front end only.'\ntls: b''\n"
    );

    // A move to a server whose Mailbox Replication service does not run
    // (a server that never ran here) is refused by name, and nothing
    // changes.
    setup(&d, &["-Mode", "Install", "-Roles", "Mailbox", "-ServerName", "MBX09", "-Address", "127.0.0.9"]);
    let r = d.on("CAS01", "New-MoveRequest -Identity john -TargetDatabase (Get-MailboxDatabase -Server MBX09).Name");
    assert!(
        r.stderr.starts_with(
            "New-MoveRequest : The Microsoft Exchange Mailbox Replication service isn't running on MBX01: "
        ),
        "{}",
        r.stderr
    );
    assert_eq!(d.ok_on("CAS01", "(Get-Mailbox john).ServerName; @(Get-MoveRequest).Count"), "mbx01\n0\n");
}
