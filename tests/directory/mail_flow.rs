//! Mail flow with the directory on PostgreSQL: each server has its own
//! receive connectors (Setup makes them by role), the organization's send
//! connectors, accepted domains and role groups are the directory's, and a
//! server with both roles receives mail over SMTP, queues it in its own
//! folder and delivers it into its mailbox database, where IMAP4 reads it.

use std::process::{Command, Stdio};

use super::{Dir, NEW_JOHN};
use crate::support::{assert_text, free_port, wait_until};

const SERVICES: &str = "MSExchangeTransport,MSExchangeFrontEndTransport,MSExchangeIMAP4BE,MSExchangeIMAP4";

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
    let out = Command::new("python3")
        .arg("-c")
        .arg(SEND_THEN_READ)
        .env("SMTP_PORT", smtp.to_string())
        .env("IMAP_PORT", imap.to_string())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_text(
        &String::from_utf8_lossy(&out.stdout),
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

    // A Client Access server without the Mailbox role has no Transport to
    // hand mail to: refused by name.
    let r = d.on("CAS02", "Start-Service MSExchangeFrontEndTransport");
    assert!(
        r.stderr.starts_with(
            "Start-Service : Service 'Microsoft Exchange Frontend Transport (MSExchangeFrontEndTransport)' cannot be started due to the following error: Not yet available with the directory on PostgreSQL: A Frontend Transport service on a server without the Mailbox role"
        ),
        "{}",
        r.stderr
    );
    drop(running);
}
