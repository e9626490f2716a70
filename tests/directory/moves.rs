//! A mailbox moved between two Mailbox servers of the directory, online:
//! the shell that makes the move (any server's) reaches each database
//! through its server's Mailbox Replication service, the user logged on
//! through the Client Access server is closed and reconnects, and mail
//! sent meanwhile waits, then follows the mailbox.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use super::{Dir, Started, stranger_at, three_servers};
use crate::support::{assert_text, wait_until};

/// John logs on through CAS01, flags his second message, and holds the
/// session until the move closes it.
const JOHN_HOLDS: &str = r#"
import imaplib, os, time
m = imaplib.IMAP4('127.0.0.2', int(os.environ['IMAP_PORT']))
m.login('john@contoso.com', 'P@ssw0rd1')
m.select('INBOX')
m.uid('STORE', '2', '+FLAGS', '(\\Flagged)')
print('logged on', flush=True)
deadline = time.time() + 60
try:
    while time.time() < deadline:
        m.noop()
        time.sleep(0.1)
    print('still open')
except (imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError):
    print('closed')
"#;

/// What John sees through CAS01 once he can log on again with `want`
/// messages in his Inbox: UIDVALIDITY, each message's UID, flags and
/// subject.
const JOHN_LOOKS: &str = r#"
import imaplib, os, time
deadline = time.time() + 60
while True:
    try:
        m = imaplib.IMAP4('127.0.0.2', int(os.environ['IMAP_PORT']))
        m.login('john@contoso.com', 'P@ssw0rd1')
        typ, data = m.select('INBOX')
        if data[0] == os.environ['WANT'].encode():
            break
        m.logout()
    except (imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError):
        pass
    if time.time() > deadline:
        raise SystemExit('John never saw his mail')
    time.sleep(0.1)
print(m.response('UIDVALIDITY')[1][0].decode())
typ, data = m.uid('FETCH', '1:*', '(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
for d in data:
    if isinstance(d, tuple):
        print(d[0].decode().split(' BODY')[0], d[1].decode().strip())
m.logout()
"#;

const SEND: &str = r#"
import os, smtplib, sys
s = smtplib.SMTP('127.0.0.2', int(os.environ['SMTP_PORT']), timeout=30)
for subject in sys.argv[1:]:
    s.sendmail('alice@fabrikam.com', ['john@contoso.com'], f'Subject: {subject}\r\n\r\nx\r\n'.encode())
s.quit()
"#;

fn python(script: &str, args: &[&str], smtp: u16, imap: u16) -> Command {
    let mut c = Command::new("python3");
    c.arg("-c")
        .arg(script)
        .args(args)
        .env("SMTP_PORT", smtp.to_string())
        .env("IMAP_PORT", imap.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn output(mut c: Command) -> String {
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_mailbox_moves_between_servers_online_through_their_mailbox_replication_services() {
    let d = Dir::postgres_with_services();
    let (smtp, imap) = three_servers(&d, "Mailbox");
    d.ok_on(
        "CAS01",
        "New-Mailbox -Name John -Alias john -Database (Get-MailboxDatabase -Server MBX01).Name -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null",
    );
    let db02 = d.ok_on("CAS01", "(Get-MailboxDatabase -Server MBX02).Name").trim().to_string();
    let db01 = d.ok_on("CAS01", "(Get-MailboxDatabase -Server MBX01).Name").trim().to_string();
    let mut started = Started(&d, Vec::new());
    for (server, services) in [
        ("MBX01", "MSExchangeTransport,MSExchangeDelivery,MSExchangeIMAP4BE"),
        ("MBX02", "MSExchangeTransport,MSExchangeDelivery,MSExchangeIMAP4BE"),
        ("CAS01", "MSExchangeFrontEndTransport,MSExchangeIMAP4"),
    ] {
        d.ok_on(server, &format!("Start-Service {services}"));
        started.1.push((server, services));
    }

    // Without MBX02's Mailbox Replication service the move is refused
    // before anything is recorded.
    let r = d.on("CAS01", &format!("New-MoveRequest -Identity john -TargetDatabase '{db02}'"));
    assert_eq!(
        r.stderr.lines().next().unwrap_or_default(),
        "New-MoveRequest : The Microsoft Exchange Mailbox Replication service isn't running on MBX01: start it there (Start-Service MSExchangeMailboxReplication on MBX01's shell), or give MBX01 an address (Setup -Address) if it has none."
    );
    assert_eq!(d.ok_on("CAS01", "@(Get-MoveRequest).Count"), "0\n");
    for server in ["MBX01", "MBX02"] {
        d.ok_on(server, "Start-Service MSExchangeMailboxReplication");
        started.1.push((server, "MSExchangeMailboxReplication"));
    }
    let published = "(Get-Service MSExchangeMailboxReplication -ComputerName MBX01,MBX02).Status -join ','";
    wait_until("both services published", || d.on("CAS01", published).stdout == "Running,Running\n");

    output(python(SEND, &["one", "two"], smtp, imap));
    let mut looks = python(JOHN_LOOKS, &[], smtp, imap);
    looks.env("WANT", "2");
    let before = output(looks);
    let uidvalidity = before.lines().next().unwrap_or_default().to_string();

    // John stays logged on through CAS01; the move, made on CAS01's shell
    // (both databases another server's), closes his session; mail sent
    // meanwhile waits in MBX01's queue and follows him.
    let mut held = python(JOHN_HOLDS, &[], smtp, imap).spawn().unwrap();
    let mut lines = BufReader::new(held.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "logged on");
    let mover = d.spawn(&format!("New-MoveRequest -Identity john -TargetDatabase '{db02}'"));
    assert_eq!(lines.next().unwrap().unwrap(), "closed");
    held.wait().unwrap();
    output(python(SEND, &["three"], smtp, imap));
    let moved = mover.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&moved.stderr), "");
    assert_text(
        &String::from_utf8_lossy(&moved.stdout),
        &format!(
            "
DisplayName              Status       TargetDatabase
-----------              ------       --------------
John                     Completed    {db02}

"
        ),
    );
    assert_eq!(d.ok_on("MBX01", "(Get-Mailbox john).ServerName; (Get-CASMailbox john).ServerName"), "mbx02\nmbx02\n");
    // The same UIDVALIDITY, UIDs and flags, now from MBX02.
    let mut looks = python(JOHN_LOOKS, &[], smtp, imap);
    looks.env("WANT", "3");
    assert_eq!(
        output(looks),
        format!(
            "{uidvalidity}\n1 (UID 1 FLAGS () Subject: one\n2 (UID 2 FLAGS (\\Flagged) Subject: two\n3 (UID 3 FLAGS (\\Recent) Subject: three\n"
        )
    );
    assert_eq!(d.ok_on("MBX02", "(Get-MailboxStatistics john).ItemCount"), "3\n");
    let stats = d.ok_on(
        "CAS01",
        "Get-MoveRequestStatistics john | ForEach-Object { \"$($_.StatusDetail) $($_.PercentComplete) $($_.TotalMailboxItemCount)\" }",
    );
    assert!(stats == "Completed 100 2\n" || stats == "Completed 100 3\n", "{stats}");
    // Nothing is left in transit on any server.
    let data = d.data_home.as_ref().unwrap().join("mailsh");
    for server in ["cas01", "mbx01", "mbx02"] {
        let transit = data.join(server).join("MoveRequests");
        let left: Vec<_> =
            std::fs::read_dir(&transit).map(|r| r.flatten().map(|e| e.file_name()).collect()).unwrap_or_default();
        assert!(left.is_empty(), "{server}: {left:?}");
    }

    // And back, from MBX02's shell: its own database read here, MBX01's
    // written through MBX01's service; MBX02's copy is deleted after.
    d.ok_on("CAS01", "Remove-MoveRequest john -Confirm:$false");
    let back =
        d.on("MBX02", &format!("New-MoveRequest -Identity john -TargetDatabase '{db01}' | ForEach-Object Status"));
    assert_eq!((back.stdout.as_str(), back.stderr.as_str()), ("Completed\n", ""));
    assert_eq!(d.ok_on("MBX01", "(Get-MailboxStatistics john).ItemCount"), "3\n");
    assert_eq!(d.ok_on("CAS01", "(Get-CASMailbox john).ServerName"), "mbx01\n");
    let mut looks = python(JOHN_LOOKS, &[], smtp, imap);
    looks.env("WANT", "3");
    assert_eq!(output(looks).lines().next(), Some(uidvalidity.as_str()));
    let gone = "import sqlite3, sys\nprint(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM mailbox').fetchone()[0])";
    let left = Command::new("python3").arg("-c").arg(gone).arg(data.join("mbx02/mail.db")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&left.stdout), "0\n", "{}", String::from_utf8_lossy(&left.stderr));

    // Nobody but a shell of the organization gets through the service.
    assert_eq!(
        stranger_at(&d, "MBX02", "127.0.0.4", "MSExchangeMailboxReplication", "EXPORT 00 00"),
        "b'MAILSH-PROXY 1 '\nb\"ERR This port takes only the organization's mailbox moves.\"\nb''\n"
    );
}
