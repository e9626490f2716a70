//! Mail flow with the directory on PostgreSQL: each server has its own
//! receive connectors (Setup makes them by role), the organization's send
//! connectors, accepted domains and role groups are the directory's, and a
//! server with both roles receives mail over SMTP, queues it in its own
//! folder and delivers it into its mailbox database, where IMAP4 reads it.

use super::{Dir, NEW_JOHN, Started, stranger_at, three_servers};
use crate::support::{assert_text, free_port, wait_until};

const SERVICES: &str = "MSExchangeTransport,MSExchangeDelivery,MSExchangeSubmission,MSExchangeFrontEndTransport,\
     MSExchangeIMAP4BE,MSExchangeIMAP4";

/// Stops CAS01's services when the test ends, passed or not.
struct Running<'a>(&'a Dir);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let _ = self.0.run(&format!("Stop-Service {SERVICES}"));
    }
}

/// smtplib sends to jsmith by a secondary address; imaplib reads the Inbox.
const SEND_THEN_READ: &str = r#"
import imaplib, os, smtplib, time
s = smtplib.SMTP('127.0.0.1', int(os.environ['SMTP_PORT']), timeout=30)
s.ehlo('client.fabrikam.com')
print(s.sendmail('alice@fabrikam.com', ['john@contoso.com'],
    b'From: alice@fabrikam.com\r\nTo: john@contoso.com\r\nSubject: through the directory\r\n\r\nHello John.\r\n'))
try:
    s.sendmail('alice@fabrikam.com', ['nobody@contoso.com'], b'Subject: lost\r\n\r\nx\r\n')
except smtplib.SMTPRecipientsRefused as e:
    code, text = e.recipients['nobody@contoso.com']
    print(code, text.decode())
s.quit()
m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
m.login('jsmith@contoso.com', 'P@ssw0rd1')
deadline = time.time() + 20
while time.time() < deadline:
    typ, data = m.select('INBOX')
    if data[0] != b'0':
        break
    time.sleep(0.05)
typ, data = m.fetch('1', '(BODY[HEADER.FIELDS (SUBJECT)])')
print(data[0][1].decode().strip())
m.logout()
"#;

#[test]
fn a_server_of_the_directory_receives_mail_into_its_database_and_each_server_has_its_own_connectors() {
    let d = Dir::postgres_with_services();
    d.ok(NEW_JOHN);
    let setup = d.setup(&["-Mode", "Install", "-Roles", "ClientAccess", "-ServerName", "CAS02"]);
    assert_eq!((setup.code, setup.stderr.as_str()), (0, ""), "{}", setup.stdout);
    d.ok("Set-Mailbox jsmith -EmailAddresses @{Add='smtp:john@contoso.com'}");

    // Setup made each server's connectors by its roles: CAS01 has both.
    assert_text(
        &d.ok("Get-ReceiveConnector | ForEach-Object { $_.Identity }"),
        "CAS01\\Client Proxy CAS01
CAS01\\Default CAS01
CAS01\\Client Frontend CAS01
CAS01\\Default Frontend CAS01
CAS01\\Outbound Proxy Frontend CAS01
CAS02\\Client Frontend CAS02
CAS02\\Default Frontend CAS02
CAS02\\Outbound Proxy Frontend CAS02
",
    );
    assert_eq!(d.ok("(Get-ReceiveConnector -Server CAS02).Count"), "3\n");
    assert_eq!(
        d.ok("(Get-ReceiveConnector 'CAS02\\Client Frontend CAS02').Bindings -join ','"),
        "[::]:587,0.0.0.0:587\n"
    );
    let r = d.run("Get-ReceiveConnector 'CAS01\\Client Frontend CAS02'");
    assert!(r.stderr.starts_with("Get-ReceiveConnector : The operation couldn't be performed because object 'CAS01\\Client Frontend CAS02' couldn't be found"), "{}", r.stderr);
    // A name is unique on its server only; a server's shell makes its own.
    d.ok_on("CAS02", "New-ReceiveConnector -Name Relay -Usage Custom -Bindings 0.0.0.0:2526 | Out-Null");
    d.ok("New-ReceiveConnector -Name Relay -Usage Custom -Bindings 0.0.0.0:2526 | Out-Null");
    let r = d.run("New-ReceiveConnector -Name relay -Usage Custom -Bindings 0.0.0.0:2527");
    assert!(r.stderr.contains("A receive connector named \"relay\" already exists."), "{}", r.stderr);
    assert_eq!(d.ok("(Get-ReceiveConnector Relay).Identity -join ','"), "CAS01\\Relay,CAS02\\Relay\n");
    // A change must name one of them.
    let r = d.run("Set-ReceiveConnector Relay -Banner '220 relay'");
    assert!(
        r.stderr.starts_with(
            "Set-ReceiveConnector : The operation couldn't be performed because 'Relay' matches multiple entries."
        ),
        "{}",
        r.stderr
    );
    d.ok("Remove-ReceiveConnector CAS02\\Relay -Confirm:$false");
    assert_eq!(d.ok_on("CAS02", "(Get-ReceiveConnector Relay).Server"), "CAS01\n");

    // The organization's send connectors and role groups are the directory's.
    d.ok("New-SendConnector -Name 'To the Internet' -AddressSpaces '*' -SmartHosts 192.0.2.25 | Out-Null");
    assert_eq!(d.ok_on("CAS02", "(Get-SendConnector).SmartHostsString"), "[192.0.2.25]\n");
    d.ok("Add-RoleGroupMember 'Organization Management' -Member jsmith");
    assert_eq!(d.ok_on("CAS02", "(Get-RoleGroupMember 'Organization Management').Name"), "John Smith\n");

    // CAS01's transport on loopback ports; smtplib in, imaplib out.
    let [smtp, submission, outbound, transport, proxy, imap, imaps] = [(); 7].map(|_| free_port());
    d.ok(&format!(
        "Set-ReceiveConnector 'Default Frontend CAS01' -Bindings 127.0.0.1:{smtp}
         Set-ReceiveConnector 'Client Frontend CAS01' -Bindings 127.0.0.1:{submission}
         Set-ReceiveConnector 'Outbound Proxy Frontend CAS01' -Bindings 127.0.0.1:{outbound}
         Set-ReceiveConnector 'CAS01\\Default CAS01' -Bindings 127.0.0.1:{transport}
         Set-ReceiveConnector 'Client Proxy CAS01' -Bindings 127.0.0.1:{proxy}
         Remove-ReceiveConnector CAS01\\Relay -Confirm:$false
         Set-ImapSettings -UnencryptedOrTLSBindings 127.0.0.1:{imap} -SSLBindings 127.0.0.1:{imaps} -LoginType PlainTextLogin -WarningAction SilentlyContinue"
    ));
    let running = Running(&d);
    d.ok(&format!("Start-Service {SERVICES}"));
    assert_text(
        &python(SEND_THEN_READ, smtp, imap),
        "{}
550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup
Subject: through the directory
",
    );
    // The queue and the tracking log are the server's own.
    // Sent to a proxy address, delivered to the primary one (RESOLVE).
    wait_until("the DELIVER event", || {
        d.ok("(Get-MessageTrackingLog -EventId DELIVER).Recipients -join ','") == "jsmith@contoso.com\n"
    });
    assert_eq!(
        d.ok("Get-MessageTrackingLog | ForEach-Object { \"$($_.EventId) $($_.Source) $($_.Recipients) $($_.RelatedRecipientAddress)\" }"),
        "RECEIVE SMTP john@contoso.com \nRESOLVE ROUTING jsmith@contoso.com john@contoso.com\nDELIVER STOREDRIVER jsmith@contoso.com \n"
    );
    assert_eq!(d.ok("(Get-Queue | Measure-Object MessageCount -Sum).Sum"), "0\n");
    let local = d.data_home.as_ref().unwrap().join("mailsh").join("cas01");
    assert!(local.join("Queue").join("mail.que").exists());

    // John sends through his Outbox, from his secondary address: the
    // server's Submission service hands it to its Transport.
    assert_text(&python(FROM_THE_OUTBOX, smtp, imap), "2 0 1\n");
    assert_eq!(
        d.ok("Get-MessageTrackingLog -EventId SUBMIT | ForEach-Object { \"$($_.Sender) $($_.Recipients) $($_.MessageSubject)\" }"),
        "jsmith@contoso.com jsmith@contoso.com from the outbox\n"
    );

    drop(running);
}

/// imaplib leaves a message in John's Outbox, then waits for it in his
/// Inbox; prints the counts of Inbox, Outbox and Sent Items.
const FROM_THE_OUTBOX: &str = r#"
import imaplib, os, re, time
m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
m.login('jsmith@contoso.com', 'P@ssw0rd1')
m.append('Outbox', None, None, b'From: john@contoso.com\r\nTo: jsmith@contoso.com\r\nSubject: from the outbox\r\n\r\nHi.\r\n')
def count(folder):
    typ, data = m.status('"%s"' % folder, '(MESSAGES)')
    return int(re.search(rb'MESSAGES (\d+)', data[0]).group(1))
deadline = time.time() + 20
while time.time() < deadline and (count('INBOX') < 2 or count('Sent Items') < 1):
    time.sleep(0.05)
print(count('INBOX'), count('Outbox'), count('Sent Items'))
m.logout()
"#;

/// Two messages through CAS01's Frontend Transport, one naming Ann first,
/// one John first; then each user's Inbox through CAS01's IMAP4.
const THROUGH_CAS01: &str = r#"
import imaplib, os, smtplib, time
s = smtplib.SMTP('127.0.0.2', int(os.environ['SMTP_PORT']), timeout=30)
s.ehlo('client.fabrikam.com')
for subject, to in (('Ann first', ['ann@contoso.com', 'john@contoso.com']),
                    ('John first', ['john@contoso.com', 'ann@contoso.com'])):
    msg = ('From: alice@fabrikam.com\r\nTo: %s\r\nSubject: %s\r\n\r\nHello.\r\n' % (', '.join(to), subject)).encode()
    print(subject, s.sendmail('alice@fabrikam.com', to, msg))
s.quit()
for user in ('john@contoso.com', 'ann@contoso.com'):
    m = imaplib.IMAP4('127.0.0.2', int(os.environ['IMAP_PORT']))
    m.login(user, 'P@ssw0rd1')
    deadline = time.time() + 20
    while time.time() < deadline and m.select('INBOX')[1][0] != b'2':
        time.sleep(0.05)
    typ, data = m.fetch('1:*', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
    print(user, sorted(d[1].decode().strip() for d in data if isinstance(d, tuple)))
    m.logout()
"#;

/// One message to John while MBX01's Transport is stopped.
const TO_JOHN: &str = r#"
import os, smtplib
s = smtplib.SMTP('127.0.0.2', int(os.environ['SMTP_PORT']), timeout=30)
print(s.sendmail('alice@fabrikam.com', ['john@contoso.com'], b'Subject: while MBX01 was away\r\n\r\nHello.\r\n'))
s.quit()
"#;

/// One message to Ann and John through MBX02's own Frontend Transport.
const THROUGH_MBX02: &str = r#"
import smtplib
s = smtplib.SMTP('127.0.0.4', PORT, timeout=30)
print(s.sendmail('alice@fabrikam.com', ['ann@contoso.com', 'john@contoso.com'], b'Subject: through MBX02\r\n\r\nHello.\r\n'))
s.quit()
"#;

fn python(script: &str, smtp: u16, imap: u16) -> String {
    super::python(script, &[("SMTP_PORT", smtp), ("IMAP_PORT", imap)])
}

/// A server's tracking log, one line an event, sorted: the copies relayed
/// between the two servers arrive in either order.
const EVENTS: &str = "Get-MessageTrackingLog | ForEach-Object { \"$($_.MessageSubject): $($_.EventId) $($_.Source) $($_.Recipients) $($_.ConnectorId)\" } | Sort-Object";

/// CAS01 has the Client Access role only, John's database is on MBX01 and
/// Ann's on MBX02. CAS01's Frontend Transport hands each message to the
/// Transport of the server holding its first recipient's database; that
/// Transport delivers its own mailboxes' copies and relays the others to
/// their server's Transport, which neither resolves nor forwards them
/// again (Ann forwards to John and keeps a copy: John still gets one copy
/// of each message). A Transport that is stopped keeps nothing from
/// reaching its users: another server takes the message and holds it
/// until it runs again.
#[test]
fn a_client_access_server_hands_mail_to_the_mailbox_servers_which_relay_to_each_other() {
    let d = Dir::postgres_with_services();
    let (smtp, imap) = three_servers(&d, "Mailbox,ClientAccess");
    let password = "(ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)";
    d.ok_on(
        "CAS01",
        &format!(
            "New-Mailbox -Name John -Alias john -Database (Get-MailboxDatabase -Server MBX01).Name -Password {password} | Out-Null
             New-Mailbox -Name Ann -Alias ann -Database (Get-MailboxDatabase -Server MBX02).Name -Password {password} | Out-Null
             Set-Mailbox ann -ForwardingAddress john -DeliverToMailboxAndForward $true"
        ),
    );
    let mut started = Started(&d, Vec::new());
    for (server, services) in [
        ("MBX01", "MSExchangeTransport,MSExchangeDelivery,MSExchangeIMAP4BE"),
        ("MBX02", "MSExchangeTransport,MSExchangeDelivery,MSExchangeIMAP4BE"),
        ("CAS01", "MSExchangeFrontEndTransport,MSExchangeIMAP4"),
    ] {
        d.ok_on(server, &format!("Start-Service {services}"));
        started.1.push((server, services));
    }
    let transports = "(Get-Service MSExchangeTransport -ComputerName MBX01,MBX02).Status -join ','";
    wait_until("both Transports published", || d.on("CAS01", transports).stdout == "Running,Running\n");

    assert_eq!(
        python(THROUGH_CAS01, smtp, imap),
        "Ann first {}\nJohn first {}\n\
         john@contoso.com ['Subject: Ann first', 'Subject: John first']\n\
         ann@contoso.com ['Subject: Ann first', 'Subject: John first']\n"
    );
    // Each server tracked what it did: the first recipient's server took
    // the message, delivered its own and sent the other copy on.
    wait_until("both SEND events", || ["MBX01", "MBX02"].iter().all(|s| d.on(s, EVENTS).stdout.contains("SEND")));
    assert_text(
        &d.ok_on("MBX02", EVENTS),
        "Ann first: DELIVER STOREDRIVER ann@contoso.com 
Ann first: RECEIVE SMTP ann@contoso.com john@contoso.com MBX02\\Default MBX02
Ann first: REDIRECT ROUTING john@contoso.com 
Ann first: SEND SMTP john@contoso.com Intra-Organization SMTP Send Connector
John first: DELIVER STOREDRIVER ann@contoso.com 
John first: RECEIVE SMTP ann@contoso.com MBX02\\Default MBX02
",
    );
    assert_text(
        &d.ok_on("MBX01", EVENTS),
        "Ann first: DELIVER STOREDRIVER john@contoso.com 
Ann first: RECEIVE SMTP john@contoso.com MBX01\\Default MBX01
John first: DELIVER STOREDRIVER john@contoso.com 
John first: RECEIVE SMTP john@contoso.com ann@contoso.com MBX01\\Default MBX01
John first: REDIRECT ROUTING john@contoso.com 
John first: SEND SMTP ann@contoso.com Intra-Organization SMTP Send Connector
",
    );
    assert!(!d.data_home.as_ref().unwrap().join("mailsh/cas01/Queue/mail.que").exists(), "CAS01 queues nothing");

    // Nobody but the organization's servers gets through a Transport's
    // hand-off endpoint, published at MBX01's address.
    assert_eq!(
        stranger_at(&d, "MBX01", "127.0.0.3", "MSExchangeTransport", "EHLO relay.fabrikam.com"),
        "b'MAILSH-PROXY 1 '\nb\"421 4.7.0 This port takes only the organization's transport services, closing transmission channel\"\nb''\n"
    );

    // MBX01's Transport stopped: MBX02 takes John's mail and keeps it until
    // MBX01's runs again (tried again after MessageRetryInterval).
    d.ok_on("MBX02", "Set-TransportService MBX02 -MessageRetryInterval 00:00:01");
    d.ok_on("MBX02", "Restart-Service MSExchangeDelivery");
    d.ok_on("MBX01", "Stop-Service MSExchangeTransport");
    wait_until("MBX01's published stop", || d.on("CAS01", transports).stdout == "Stopped,Running\n");
    assert_eq!(python(TO_JOHN, smtp, imap), "{}\n");
    assert_eq!(d.ok_on("MBX02", "(Get-Message).Subject"), "while MBX01 was away\n");
    d.ok_on("MBX01", "Start-Service MSExchangeTransport");
    wait_until("John's mail relayed", || {
        d.on("MBX01", "(Get-MessageTrackingLog -EventId DELIVER -MessageSubject 'while MBX01 was away').Recipients")
            .stdout
            == "john@contoso.com\n"
    });
    assert_eq!(d.ok_on("MBX02", "@(Get-Message).Count"), "0\n");

    // MBX02 has both roles: its own Frontend Transport hands Ann's mail to
    // its own Transport at its address, over TLS, which relays John's on.
    let [fe_smtp, fe_submission, fe_outbound] = [(); 3].map(|_| free_port());
    d.ok_on(
        "MBX02",
        &format!(
            "Set-ReceiveConnector 'Default Frontend MBX02' -Bindings 127.0.0.4:{fe_smtp}
             Set-ReceiveConnector 'Client Frontend MBX02' -Bindings 127.0.0.4:{fe_submission}
             Set-ReceiveConnector 'Outbound Proxy Frontend MBX02' -Bindings 127.0.0.4:{fe_outbound}
             Start-Service MSExchangeFrontEndTransport"
        ),
    );
    started.1.push(("MBX02", "MSExchangeFrontEndTransport"));
    assert_eq!(python(&THROUGH_MBX02.replace("PORT", &fe_smtp.to_string()), smtp, imap), "{}\n");
    for (server, user) in [("MBX02", "ann@contoso.com"), ("MBX01", "john@contoso.com")] {
        wait_until("the copy through MBX02", || {
            d.on(server, "(Get-MessageTrackingLog -EventId DELIVER -MessageSubject 'through MBX02').Recipients").stdout
                == format!("{user}\n")
        });
    }
    // Ann, named first, is MBX02's own: its own Transport took the message.
    let received = "(Get-MessageTrackingLog -EventId RECEIVE -MessageSubject 'through MBX02').Recipients -join ','";
    assert_eq!(d.ok_on("MBX02", received), "ann@contoso.com,john@contoso.com\n");
    assert_eq!(d.ok_on("MBX01", received), "john@contoso.com\n");
    drop(started);
}
