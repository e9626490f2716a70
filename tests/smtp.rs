//! Mail flow end to end: the real transport services (Frontend Transport
//! handing off to Transport, which queues and delivers), Python's smtplib
//! on real sockets, and the message read back with imaplib and poplib.

use std::process::Command;

use crate::support::{Env, PASSWORD, Shell, USER, assert_text, exe, free_port, message, wait_until};
use mailsh::services::Service;
use mailsh::store::queue::{NewQueued, QueueDb, QueuedRecipient, queue_path};
use mailsh::store::{ProtocolLoggingLevel, Store};

/// The service environment with every receive connector on its own
/// loopback port.
pub struct Smtp {
    pub env: Env,
    /// "Default Frontend CAS01" (25 in Exchange).
    pub port: u16,
    /// "Client Frontend CAS01" (587).
    pub submission: u16,
    /// "Default CAS01" (2525), the Transport service's own.
    pub transport: u16,
}

impl Smtp {
    pub fn new() -> Smtp {
        let env = Env::imap(false);
        let ports = env.transport_on_free_ports();
        Smtp { env, port: ports.smtp, submission: ports.submission, transport: ports.transport }
    }

    /// `mailsh -Command TEXT` on this store: (stdout, stderr).
    pub fn shell(&self, text: &str) -> (String, String) {
        shell_on(&self.env.store, text)
    }

    /// Changes a connector in the store (before the services start).
    fn update_connector(&self, name: &str, change: impl FnOnce(&mut mailsh::store::transport::ReceiveConnector)) {
        let mut store = Store::open_existing(&self.env.store).expect("store");
        let mut c =
            store.receive_connectors().expect("connectors").into_iter().find(|c| c.name == name).expect("connector");
        change(&mut c);
        store.write(|tx| Store::save_receive_connector(tx, &c)).expect("saved");
    }

    /// The three services of one server's mail flow: Transport, Mailbox
    /// Transport Delivery and Frontend Transport.
    pub fn start_transport(&mut self) {
        self.env.start(Service::Transport);
        self.env.start(Service::Delivery);
        self.env.start(Service::FrontEndTransport);
    }

    /// Runs a Python script with the ports and credentials in its environment.
    pub fn python(&self, script: &str) -> (bool, String, String) {
        let out = Command::new("python3")
            .arg("-c")
            .arg(script)
            .env("SMTP_PORT", self.port.to_string())
            .env("SUBMISSION_PORT", self.submission.to_string())
            .env("TRANSPORT_PORT", self.transport.to_string())
            .env("IMAP_PORT", self.env.plain_port.to_string())
            .env("POP_PORT", self.env.pop.plain.to_string())
            .env("USER", USER)
            .env("PASSWORD", PASSWORD)
            .output()
            .expect("python3 runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Waits (with the support's deadline) until the Inbox holds `n` messages.
    pub fn wait_for_inbox(&self, n: usize) -> Vec<u32> {
        wait_until("the deliveries", || self.env.inbox_uids().len() >= n);
        self.env.inbox_uids()
    }
}

pub fn shell_on(store: &std::path::Path, text: &str) -> (String, String) {
    let out = Command::new(exe())
        .args(["-NonInteractive", "-Command", text])
        .env("MAILSH_STORE", store)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .expect("mailsh runs");
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A Python smtplib session `s` on "Client Frontend" (587): STARTTLS
/// (the self-signed certificate taken), then AUTH as the test user.
pub const SUBMISSION_LOGGED_ON: &str = r#"
import os, smtplib, ssl
s = smtplib.SMTP('127.0.0.1', int(os.environ['SUBMISSION_PORT']), timeout=30)
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s.starttls(context=ctx)
s.login(os.environ['USER'], os.environ['PASSWORD'])
"#;

pub const SEND: &str = r#"
import os, smtplib
def send(rcpts, body, sender='alice@fabrikam.com', port='SMTP_PORT'):
    s = smtplib.SMTP('127.0.0.1', int(os.environ[port]), timeout=30)
    s.ehlo('client.fabrikam.com')
    try:
        code, text = s.mail(sender)
        if code != 250:
            return (code, text.decode())
        for r in rcpts:
            code, text = s.rcpt(r)
            if code != 250:
                return (code, text.decode())
        code, text = s.data(body)
        return (code, text.decode())
    finally:
        s.quit()
"#;

#[test]
fn a_message_sent_with_smtplib_reaches_imap_idle_and_the_next_pop3_login() {
    let mut t = Smtp::new();
    t.env.start(Service::Imap4Backend);
    t.env.start(Service::Imap4);
    t.env.start_pop();
    t.start_transport();
    let script = format!(
        r#"{SEND}
import socket, time, poplib
imap = socket.create_connection(('127.0.0.1', int(os.environ['IMAP_PORT'])), timeout=30)
f = imap.makefile('rb')
def until(prefix):
    deadline = time.time() + 20
    while time.time() < deadline:
        line = f.readline().decode()
        if line.startswith(prefix):
            return line.strip()
    raise SystemExit('no ' + prefix)
until('* OK')
imap.sendall(('a LOGIN "%s" "%s"\r\n' % (os.environ['USER'], os.environ['PASSWORD'])).encode())
until('a OK')
imap.sendall(b'b SELECT INBOX\r\n')
until('b OK')
imap.sendall(b'c IDLE\r\n')
until('+')
print(send(['bob@contoso.com'], 'From: alice@fabrikam.com\r\nTo: bob@contoso.com\r\nSubject: flow\r\n\r\nfirst line\r\n.leading dot\r\n'))
print(until('* 1 EXISTS'))
imap.sendall(b'DONE\r\n')
until('c OK')
p = poplib.POP3('127.0.0.1', int(os.environ['POP_PORT']), timeout=30)
p.user(os.environ['USER']); p.pass_(os.environ['PASSWORD'])
print(p.stat()[0])
print(b'\n'.join(p.retr(1)[1]).decode())
p.quit()
"#
    );
    let (ok, out, err) = t.python(&script);
    assert!(ok, "{out}\n{err}\n{}", t.env.service_log(Service::Transport));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("(250, '2.6.0 <"), "{out}");
    assert!(lines[0].ends_with("Queued mail for delivery')"), "{out}");
    assert_eq!(lines[1], "* 1 EXISTS", "IDLE saw the delivery: {out}");
    assert_eq!(lines[2], "1", "the next POP3 login sees it: {out}");
    assert!(lines[3].starts_with("Received: from cas01.contoso.com (127.0.0.1) by cas01.contoso.com"), "{out}");
    assert!(out.contains("Received: from client.fabrikam.com (127.0.0.1) by cas01.contoso.com"), "{out}");
    assert!(out.contains("Message-ID: <"), "Exchange adds a Message-ID: {out}");
    assert!(out.contains("Subject: flow\n\nfirst line\n.leading dot"), "dots unstuffed once: {out}");
    assert_eq!(t.env.inbox_uids().len(), 1, "delivered once");
}

#[test]
fn a_mailbox_with_mapi_imap_and_pop_disabled_still_receives() {
    let mut t = Smtp::new();
    t.env.update_mailbox(|m| {
        m.cas.mapi_enabled = false;
        m.cas.imap_enabled = false;
        m.cas.pop_enabled = false;
    });
    t.env.start_pop();
    t.start_transport();
    let (ok, out, err) =
        t.python(&format!("{SEND}\nprint(send(['BOB@contoso.com'], 'Subject: still\\r\\n\\r\\nreceived\\r\\n')[0])"));
    assert!(ok, "{out}\n{err}");
    assert_eq!(out.trim(), "250");
    assert_eq!(t.wait_for_inbox(1).len(), 1, "delivered with every client protocol off");
    // Once POP3 is enabled again, the user reads it.
    t.env.set_pop_enabled(true);
    let (ok, out, err) = t.python(
        r#"
import os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['POP_PORT']), timeout=30)
p.user(os.environ['USER']); p.pass_(os.environ['PASSWORD'])
print(b'\n'.join(p.retr(1)[1]).decode().split('\n\n', 1)[1])
p.quit()
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(out.trim(), "received");
}

#[test]
fn refusals_use_exchanges_texts() {
    let mut t = Smtp::new();
    t.update_connector("Default Frontend CAS01", |c| c.max_message_size = 1024);
    t.start_transport();
    let (ok, out, err) = t.python(&format!(
        r#"{SEND}
s = smtplib.SMTP('127.0.0.1', int(os.environ['SMTP_PORT']), timeout=30)
print(s.ehlo('client.fabrikam.com'))
print(s.mail('alice@fabrikam.com', ['SIZE=5000']))
print(s.rset())
print(s.rcpt('bob@contoso.com'))
print(s.docmd('DATA'))
print(s.mail('alice@fabrikam.com'))
print(s.rcpt('nobody@contoso.com'))
print(s.rcpt('someone@example.org'))
print(s.docmd('XYZZY'))
s.quit()
print(send(['bob@contoso.com'], 'Subject: big\r\n\r\n' + 'x' * 2000 + '\r\n'))
print(send(['bob@contoso.com'], 'Subject: small\r\n\r\nfits\r\n')[0])
"#
    ));
    assert!(ok, "{out}\n{err}");
    assert_text(
        &out,
        "(250, b'cas01.contoso.com Hello [127.0.0.1]\\nSIZE 1024\\nPIPELINING\\nDSN\\nENHANCEDSTATUSCODES\\nSTARTTLS\\n8BITMIME\\nSMTPUTF8\\nCHUNKING')
(552, b'5.3.4 Message size exceeds fixed maximum message size')
(250, b'2.0.0 Resetting')
(503, b'5.5.2 Need mail command')
(503, b'5.5.2 Need mail command')
(250, b'2.1.0 Sender OK')
(550, b'5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup')
(550, b'5.7.54 SMTP; Unable to relay recipient in non-accepted domain')
(500, b'5.3.3 Unrecognized command')
(552, '5.3.4 Message size exceeds fixed maximum message size')
250
",
    );
    assert_eq!(t.wait_for_inbox(1).len(), 1, "only the message that fit");
}

#[test]
fn bdat_chunks_make_one_message_and_every_refusal_keeps_the_session_in_step() {
    let mut t = Smtp::new();
    t.update_connector("Default Frontend CAS01", |c| c.max_message_size = 2048);
    t.start_transport();
    let (ok, out, err) = t.python(
        r#"
import os, socket
s = socket.create_connection(('127.0.0.1', int(os.environ['SMTP_PORT'])), timeout=30)
f = s.makefile('rb')
def reply():
    lines = []
    while True:
        line = f.readline().decode().rstrip()
        lines.append(line)
        if line[3:4] != '-':
            return lines
def say(data):
    s.sendall(data)
    return reply()[-1]
reply()
s.sendall(b'EHLO client.fabrikam.com\r\n')
print(any(l.endswith('CHUNKING') for l in reply()))
# Before MAIL: refused, and the chunk does not end up read as commands.
print(say(b'BDAT 6\r\nNOOP\r\n'))
print(say(b'NOOP\r\n'))
first = b'Subject: chunked\r\n\r\nline one\r\n.a dot\r\n'
last = b'line two\r\n'
print(say(b'MAIL FROM:<alice@fabrikam.com>\r\n'))
print(say(b'RCPT TO:<bob@contoso.com>\r\n'))
print(say(b'BDAT %d\r\n' % len(first) + first))
print(say(b'DATA\r\n'))
print(say(b'BDAT %d LAST\r\n' % len(last) + last)[:11])
# Past MaxMessageSize: every chunk read, one refusal at the end.
print(say(b'MAIL FROM:<alice@fabrikam.com>\r\n'))
print(say(b'RCPT TO:<bob@contoso.com>\r\n'))
print(say(b'BDAT 1500\r\n' + b'x' * 1500))
print(say(b'BDAT 1500 LAST\r\n' + b'y' * 1500))
print(say(b'QUIT\r\n'))
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert_text(
        &out,
        "True
503 5.5.2 Need mail command
250 2.0.0 OK
250 2.1.0 Sender OK
250 2.1.5 Recipient OK
250 2.6.0 CHUNK received OK, 38 octets
503 5.5.1 Bad sequence of commands
250 2.6.0 <
250 2.1.0 Sender OK
250 2.1.5 Recipient OK
250 2.6.0 CHUNK received OK, 1500 octets
552 5.3.4 Message size exceeds fixed maximum message size
221 2.0.0 Service closing transmission channel
",
    );
    assert_eq!(t.wait_for_inbox(1).len(), 1);
    let raw = t.env.inbox_raw().remove(0);
    assert!(
        raw.ends_with("Subject: chunked\r\n\r\nline one\r\n.a dot\r\nline two\r\n"),
        "the chunks as sent, no unstuffing: {raw}"
    );
}

/// The Frontend Transport keeps a hand-off connection whose message went
/// through: three messages in a row are one session at the Transport (its
/// receive log, Verbose, shows one connection and three MAIL commands).
/// After the Transport restarts, the kept connection is dead; the next
/// message goes on a new one, and arrives once.
#[test]
fn hand_offs_share_a_kept_connection_and_a_restarted_transport_loses_nothing() {
    let mut t = Smtp::new();
    t.update_connector("Default CAS01", |c| c.protocol_logging_level = ProtocolLoggingLevel::Verbose);
    t.start_transport();
    let three = format!(
        "{SEND}\nfor i in range(3):\n    print(send(['{USER}'], 'Subject: kept %d\\r\\n\\r\\nbody\\r\\n' % i)[0])"
    );
    let (ok, out, err) = t.python(&three);
    assert!(ok, "{out}\n{err}");
    assert_eq!(out, "250\n250\n250\n");
    let hub_log = || -> String {
        let logs = t.env.state_dir().join("TransportRoles/Logs/Hub/ProtocolLog/SmtpReceive");
        std::fs::read_dir(&logs)
            .map(|d| d.flatten().map(|e| std::fs::read_to_string(e.path()).unwrap_or_default()).collect())
            .unwrap_or_default()
    };
    let text = hub_log();
    assert_eq!(text.matches(",+,").count(), 1, "one hand-off connection: {text}");
    assert_eq!(text.matches(",<,MAIL FROM:<alice@fabrikam.com>").count(), 3, "{text}");
    t.env.stop(Service::Transport);
    t.env.start(Service::Transport);
    let one = format!("{SEND}\nprint(send(['{USER}'], 'Subject: after the restart\\r\\n\\r\\nbody\\r\\n')[0])");
    let (ok, out, err) = t.python(&one);
    assert!(ok, "{out}\n{err}");
    assert_eq!(out, "250\n");
    assert_eq!(t.wait_for_inbox(4).len(), 4);
    assert_eq!(t.env.folder_subjects("Inbox").iter().filter(|s| s.contains("after the restart")).count(), 1);
}

/// A relay opens many sessions at once from one address, each anonymous
/// from start to end: 90 of them are all greeted (the connector's limit
/// per source is 100), and each still takes a message.
#[test]
fn ninety_anonymous_sessions_from_one_address_are_all_served() {
    let mut t = Smtp::new();
    t.start_transport();
    let script = format!(
        "{SEND}
import socket
held = []
for i in range(90):
    c = socket.create_connection(('127.0.0.1', int(os.environ['SMTP_PORT'])), timeout=30)
    held.append((c, c.makefile('rb')))
print(sorted(set(f.readline()[:4].decode() for c, f in held)))
for c, f in held:
    c.sendall(b'EHLO relay.fabrikam.com\\r\\nMAIL FROM:<alice@fabrikam.com>\\r\\nRCPT TO:<{USER}>\\r\\nDATA\\r\\n')
answers = set()
for c, f in held:
    lines = []
    while len(lines) < 4:
        line = f.readline()
        if line[3:4] == b' ':
            lines.append(line[:3].decode())
    c.sendall(b'Subject: one of many\\r\\n\\r\\nhello\\r\\n.\\r\\nQUIT\\r\\n')
    answers.add(' '.join(lines) + ' ' + f.readline()[:3].decode())
print(sorted(answers))"
    );
    let (ok, out, err) = t.python(&script);
    assert!(ok, "{out}\n{err}");
    assert_eq!(out, "['220 ']\n['250 250 250 354 250']\n");
    assert_eq!(t.wait_for_inbox(90).len(), 90);
}

#[test]
fn without_the_transport_service_the_front_end_keeps_nothing_and_says_try_later() {
    let mut t = Smtp::new();
    t.env.start(Service::FrontEndTransport);
    let (ok, out, err) =
        t.python(&format!("{SEND}\nprint(send(['bob@contoso.com'], 'Subject: a\\r\\n\\r\\nb\\r\\n'))"));
    assert!(ok, "{out}\n{err}");
    assert_eq!(out.trim(), "(451, '4.7.0 Temporary server error. Please try again later. PRX2')");
    assert!(t.env.inbox_uids().is_empty());
}

#[test]
fn what_the_queue_held_when_delivery_stopped_is_delivered_once_when_the_delivery_service_starts() {
    let mut t = Smtp::new();
    // Left in the queue as a crash after the 250 would leave it (just now:
    // a message older than MessageExpirationTimeout would expire instead).
    let mut queue = QueueDb::open(&queue_path(&t.env.store)).expect("queue");
    let to = QueuedRecipient { address: USER.into(), mailbox_guid: t.env.guid.clone(), ..Default::default() };
    let raw = b"Subject: left behind\r\n\r\nbody\r\n";
    queue
        .enqueue(&NewQueued {
            guid: "6f1c3f5e-0000-4000-8000-000000000001".into(),
            sender: "a@fabrikam.com".into(),
            recipients: vec![to.clone()],
            received: mailsh::store::now_unix(),
            raw: raw.to_vec(),
            dsn: Default::default(),
            smtputf8: false,
        })
        .expect("queued");
    drop(queue);
    // Delivered once into the mailbox database already (the crash came
    // between the delivery and the queue's record of it).
    {
        let mut db =
            mailsh::store::mail::MailDb::open(&mailsh::store::mail::mail_db_path(&t.env.store)).expect("mail db");
        let key = format!("6f1c3f5e-0000-4000-8000-000000000001/{}", USER);
        db.deliver_once(&t.env.guid, &key, 1_700_000_000, raw, &mut |_| {
            Ok(mailsh::store::mail::Listing::Receives(None))
        })
        .expect("delivered");
    }
    let store = t.env.store.clone();
    let get_queue = || shell_on(&store, "Get-Queue").0;
    assert_text(
        &get_queue(),
        "
Identity         DeliveryType          Status MessageCount Velocity RiskLevel OutboundIPPool NextHopDomain
--------         ------------          ------ ------------ -------- --------- -------------- -------------
CAS01\\Submission Undefined             Ready             0        0 Normal                 0 Submission
CAS01\\1          SmtpDeliveryToMailbox Ready             1        0 Normal                 0 mailbox database

",
    );
    t.env.start(Service::Delivery);
    wait_until("the queue to empty", || {
        QueueDb::open(&queue_path(&t.env.store)).expect("queue").message_count().expect("count") == 0
    });
    assert_eq!(t.env.inbox_uids().len(), 1, "the repeated delivery stored nothing twice");
    assert!(!get_queue().contains("CAS01\\1 "), "the delivery queue is gone once empty");
}

#[test]
fn client_frontend_wants_tls_and_credentials_and_the_senders_own_address() {
    let mut t = Smtp::new();
    t.update_connector("Client Frontend CAS01", |c| c.protocol_logging_level = ProtocolLoggingLevel::Verbose);
    t.start_transport();
    let (ok, out, err) = t.python(
        r#"
import os, smtplib, ssl
s = smtplib.SMTP('127.0.0.1', int(os.environ['SUBMISSION_PORT']), timeout=30)
s.ehlo('laptop')
print('auth' in s.esmtp_features)
print(s.mail(os.environ['USER']))
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
print(s.starttls(context=ctx)[0])
s.ehlo('laptop')
print(s.esmtp_features['auth'])
s.user, s.password = os.environ['USER'], 'wrong'
try:
    s.auth('PLAIN', s.auth_plain)
except smtplib.SMTPAuthenticationError as e:
    print(e.smtp_code, e.smtp_error.decode())
print(s.login(os.environ['USER'], os.environ['PASSWORD']))
print(s.mail('alice@contoso.com'))
print(s.mail(os.environ['USER']))
print(s.rcpt('bob@contoso.com'))
print(s.data('From: bob@contoso.com\r\nSubject: sent\r\n\r\nfrom my laptop\r\n')[0])
s.quit()
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert_text(
        &out,
        "False
(530, b'5.7.1 Client was not authenticated')
220
 PLAIN LOGIN
535 5.7.3 Authentication unsuccessful
(235, b'2.7.0 Authentication successful')
(550, b'5.7.60 SMTP; Client does not have permissions to send as this sender')
(250, b'2.1.0 Sender OK')
(250, b'2.1.5 Recipient OK')
250
",
    );
    assert_eq!(t.wait_for_inbox(1).len(), 1);
    // The SMTP receive log of the Verbose connector: commands and replies,
    // never a password (the test user's password never appears, nor its
    // base64 in an AUTH PLAIN response).
    let logs = t.env.state_dir().join("TransportRoles/Logs/FrontEnd/ProtocolLog/SmtpReceive");
    let text: String = std::fs::read_dir(&logs)
        .expect("the FrontEnd receive log folder")
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).expect("log"))
        .collect();
    assert!(text.starts_with("#Fields: date-time,session-id,local-endpoint,remote-endpoint,event,data\r\n"), "{text}");
    assert!(text.contains(",*,Client Frontend CAS01\r\n"), "{text}");
    assert!(text.contains(",<,MAIL FROM:<bob@contoso.com>\r\n"), "{text}");
    assert!(text.contains(",>,235 2.7.0 Authentication successful\r\n"), "{text}");
    assert!(text.contains(",<,AUTH ****\r\n"), "{text}");
    assert!(
        !text.contains(PASSWORD)
            && !text.contains("UEBzc3cwcmQh")
            && !text.contains("AGJvYkBjb250b3NvLmNvbQBQQHNzdzByZCE="),
        "{text}"
    );
    assert!(!text.contains("from my laptop"), "message text is never logged: {text}");
    // "Default CAS01" (the Transport's) logs nothing: its level is None.
    assert!(!t.env.state_dir().join("TransportRoles/Logs/Hub").exists());
}

#[test]
fn receive_connectors_and_accepted_domains_as_exchange_creates_them() {
    let shell = Shell::new();
    let run = shell.cmd("Get-ReceiveConnector; Get-AcceptedDomain");
    assert_eq!(run.stderr, "");
    assert_text(
        &run.stdout,
        "
Identity                            Bindings                  Enabled
--------                            --------                  -------
CAS01\\Client Proxy CAS01            {[::]:465, 0.0.0.0:465}   True
CAS01\\Default CAS01                 {[::]:2525, 0.0.0.0:2525} True
CAS01\\Client Frontend CAS01         {[::]:587, 0.0.0.0:587}   True
CAS01\\Default Frontend CAS01        {[::]:25, 0.0.0.0:25}     True
CAS01\\Outbound Proxy Frontend CAS01 {[::]:717, 0.0.0.0:717}   True


Name        DomainName  DomainType    Default
----        ----------  ----------    -------
contoso.com contoso.com Authoritative True

",
    );
}

#[test]
fn set_receive_connector_changes_all_or_nothing() {
    let shell = Shell::new();
    let run = shell.cmd(
        "Set-ReceiveConnector 'Default Frontend CAS01' -Bindings 0.0.0.0:2025 -MaxMessageSize 20MB -MaxRecipientsPerMessage 50 -Banner '220 Contoso'; \
         Set-ReceiveConnector 'Default Frontend CAS01' -Bindings 0.0.0.0:2026 -PermissionGroups Nobody; \
         Get-ReceiveConnector 'CAS01\\Default Frontend CAS01' | Format-List Bindings,MaxMessageSize,MaxRecipientsPerMessage,Banner,PermissionGroups",
    );
    assert!(run.stderr.contains("Cannot convert value \"Nobody\" to type \"Microsoft.Exchange.Data.Directory.SystemConfiguration.PermissionGroups\""), "{}", run.stderr);
    assert_text(
        &run.stdout,
        "
Bindings                : {0.0.0.0:2025}
MaxMessageSize          : 20 MB (20,971,520 bytes)
MaxRecipientsPerMessage : 50
Banner                  : 220 Contoso
PermissionGroups        : AnonymousUsers, ExchangeServers, ExchangeLegacyServers


",
    );
}

#[test]
fn new_and_set_accepted_domain() {
    let shell = Shell::new();
    // Exchange 2013's own example of -WhatIf (its help on the WhatIf switch).
    let run = shell.cmd("New-AcceptedDomain -Name \"Contoso Domain\" -DomainName \"contoso.com\" -WhatIf");
    assert_eq!(run.stdout, "What if: Creating Accepted Domain \"Contoso Domain\" with domain name \"contoso.com\".\n");
    let run = shell.cmd(
        "New-AcceptedDomain -Name Fabrikam -DomainName Fabrikam.com | Out-Null; \
         New-AcceptedDomain -Name Again -DomainName fabrikam.com; \
         Set-AcceptedDomain Fabrikam -DomainType InternalRelay -MakeDefault $true; \
         Get-AcceptedDomain",
    );
    assert!(
        run.stderr.contains("The accepted domain \"fabrikam.com\" already exists. Specify a different domain name."),
        "{}",
        run.stderr
    );
    assert_text(
        &run.stdout,
        "
Name        DomainName   DomainType    Default
----        ----------   ----------    -------
contoso.com contoso.com  Authoritative False
Fabrikam    fabrikam.com InternalRelay True

",
    );
}

#[test]
fn net_start_and_stop_the_transport_services_by_name_or_display_name() {
    let t = Smtp::new();
    let run = |text: &str| shell_on(&t.env.store, text);
    let (out, err) = run("net start MSExchangeTransport; net start 'Microsoft Exchange Frontend Transport'; \
         (Get-Service MSExchange*Transport).Status -join ','; \
         net stop msexchangefrontendtransport; Stop-Service MSExchangeTransport; \
         (Get-Service MSExchange*Transport).Status -join ','");
    assert_eq!(err, "");
    assert_text(
        &out,
        "The Microsoft Exchange Transport service is starting.
The Microsoft Exchange Transport service was started successfully.

The Microsoft Exchange Frontend Transport service is starting.
The Microsoft Exchange Frontend Transport service was started successfully.

Running,Running
The Microsoft Exchange Frontend Transport service is stopping.
The Microsoft Exchange Frontend Transport service was stopped successfully.

Stopped,Stopped
",
    );
}

/// MSExchangeDelivery is a service of its own: stopped, the Transport
/// still answers `250` and the message waits in its mailbox delivery
/// queue; started (`net start` by its display name), it delivers what
/// waits and what comes next at once, and writes its own tracking file.
#[test]
fn mail_waits_in_the_queue_while_the_delivery_service_is_stopped_and_arrives_when_it_starts() {
    let mut t = Smtp::new();
    t.env.start(Service::Transport);
    t.env.start(Service::FrontEndTransport);
    // Started below with `net start`; stopped with the others at the end.
    t.env.stops_at_the_end(Service::Delivery);
    let store = t.env.store.clone();
    let run = |text: &str| shell_on(&store, text);
    let send = |subject: &str| {
        let (ok, out, err) = t.python(&format!(
            "{SEND}\nprint(send(['bob@contoso.com'], 'Subject: {subject}\\r\\n\\r\\nbody\\r\\n')[0])"
        ));
        assert!(ok, "{out}\n{err}");
        assert_eq!(out, "250\n");
    };
    send("while stopped");
    let (out, err) = run("(Get-Queue CAS01\\1).MessageCount; (Get-Service MSExchangeDelivery).Status");
    assert_eq!((out.as_str(), err.as_str()), ("1\nStopped\n", ""));
    assert!(t.env.inbox_uids().is_empty());

    let (out, err) = run("net start 'Microsoft Exchange Mailbox Transport Delivery'");
    assert_eq!(err, "");
    assert_text(
        &out,
        "The Microsoft Exchange Mailbox Transport Delivery service is starting.
The Microsoft Exchange Mailbox Transport Delivery service was started successfully.

",
    );
    assert_eq!(t.wait_for_inbox(1).len(), 1);
    send("while running");
    assert_eq!(t.wait_for_inbox(2).len(), 2);
    let (out, err) = run(
        "Get-Service MSExchangeDelivery | Format-List Name,DisplayName,Status
         (Get-MessageTrackingLog -EventId DELIVER | Sort-Object MessageSubject | ForEach-Object MessageSubject) -join ','",
    );
    assert_eq!(err, "");
    assert_text(
        &out,
        "
Name        : MSExchangeDelivery
DisplayName : Microsoft Exchange Mailbox Transport Delivery
Status      : Running


while running,while stopped
",
    );
    // Its events are in files of its own (Exchange's MSGTRKMD), beside
    // the Transport's.
    let folder = t.env.state_dir().join("TransportRoles/Logs/MessageTracking");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("the tracking folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().chars().take(8).collect())
        .collect();
    names.sort();
    assert_eq!(names, ["MSGTRK20", "MSGTRKMD"]);
}

#[test]
fn engines_killed_mid_flow_lose_no_acknowledged_message_and_duplicate_none() {
    use std::io::BufRead;
    const N: usize = 2000;
    // Where the kills fall: a seed from the clock, printed with any failure
    // (set MAILSH_CRASH_SEED to run one again).
    let mut random = crate::support::crash::Kills::seeded();
    let seed = random.seed;
    let mut t = Smtp::new();
    t.start_transport();
    // One message at a time, no retries: each line says what the client
    // heard ("250", "451", or "lost" when the connection broke).
    let script = format!(
        r#"
import os, smtplib, sys, time
def connect():
    deadline = time.time() + 30
    while True:
        try:
            s = smtplib.SMTP('127.0.0.1', int(os.environ['SMTP_PORT']), timeout=30)
            s.ehlo('crash.fabrikam.com')
            return s
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.05)
s = connect()
for i in range({N}):
    heard = 'lost'
    try:
        s.mail('a@fabrikam.com')
        s.rcpt('bob@contoso.com')
        heard = s.data('Subject: m%d\r\n\r\nbody %d\r\n' % (i, i))[0]
        if heard != 250:
            s.rset()
    except (smtplib.SMTPServerDisconnected, OSError):
        s = connect()
    print(i, heard, flush=True)
    if heard != 250:
        time.sleep(0.02)  # a client backs off after a failure
"#
    );
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(&script)
        .env("SMTP_PORT", t.port.to_string())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let stdout = child.stdout.take().expect("piped");
    // Kill each transport engine five times (the supervisor restarts one
    // at once five times, then backs off) at random points of progress,
    // each after a random wait of up to 3 ms, so that the kill lands
    // anywhere in a message's dialogue, its queue commit or its delivery.
    let mut kills: Vec<(usize, Service, u64)> = (0..15)
        .map(|k| {
            let service = [Service::Transport, Service::FrontEndTransport, Service::Delivery][k % 3];
            (20 + random.below((N - 100) as u64) as usize, service, random.below(3000))
        })
        .collect();
    kills.sort_by_key(|k| k.0);
    let kills = &kills[..];
    let mut heard = Vec::new();
    let mut next = 0;
    let mut last_killed = 0;
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.expect("a line");
        let (i, what) = line.split_once(' ').expect("index and outcome");
        let i: usize = i.parse().expect("index");
        heard.push(what.to_string());
        // The next kill once its point is reached and its engine runs
        // (again): a restart takes the supervisor half a second.
        if let Some((at, s, wait_us)) = kills.get(next)
            && i >= *at
        {
            let pid = t.env.engine_pid(*s);
            if pid > 0 && pid != last_killed && t.env.control.status(*s) == mailsh::services::ServiceStatus::Running {
                std::thread::sleep(std::time::Duration::from_micros(*wait_us));
                // SAFETY: kill(2) on the engine our own service started.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                last_killed = pid;
                next += 1;
            }
        }
    }
    assert_eq!(next, kills.len(), "every kill happened (seed {seed}, kills {kills:?})");
    assert!(child.wait().expect("python ends").success());
    assert_eq!(heard.len(), N);
    let acked: Vec<usize> = (0..N).filter(|i| heard[*i] == "250").collect();
    assert!(acked.len() > N / 2, "most messages got through (seed {seed})");
    assert!(acked.len() < N, "the kills were felt (seed {seed}, kills {kills:?})");
    // Everything acknowledged is delivered: wait for the queue to empty.
    wait_until("every acknowledged message in the Inbox", || {
        let subjects = t.env.folder_subjects("Inbox");
        acked.iter().all(|i| subjects.contains(&format!("m{i}")))
    });
    let subjects = t.env.folder_subjects("Inbox");
    for (i, what) in heard.iter().enumerate() {
        let copies = subjects.iter().filter(|s| **s == format!("m{i}")).count();
        if what == "250" {
            assert_eq!(copies, 1, "m{i} was acknowledged: exactly one copy (seed {seed}, kills {kills:?})");
        } else {
            assert!(copies <= 1, "m{i} ({what}) stored {copies} times (seed {seed}, kills {kills:?})");
        }
    }
}

#[test]
fn of_two_connectors_on_one_binding_the_narrowest_remote_ip_range_serves_and_no_range_no_service() {
    let mut t = Smtp::new();
    let port = t.port;
    t.update_connector("Outbound Proxy Frontend CAS01", |c| {
        c.bindings = vec![format!("127.0.0.1:{port}")];
        c.remote_ip_ranges = vec!["127.0.0.2".into()];
        c.banner = Some("220 narrow".into());
    });
    t.update_connector("Default Frontend CAS01", |c| c.remote_ip_ranges = vec!["127.0.0.0/30".into()]);
    t.start_transport();
    let (ok, out, err) = t.python(
        r#"
import os, smtplib
for source in ('127.0.0.1', '127.0.0.2', '127.0.0.9'):
    try:
        s = smtplib.SMTP(timeout=30, source_address=(source, 0))
        code, text = s.connect('127.0.0.1', int(os.environ['SMTP_PORT']))
        print(source, code, text.decode().split(' Microsoft')[0])
        s.quit()
    except smtplib.SMTPServerDisconnected:
        print(source, 'closed')
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert_text(&out, "127.0.0.1 220 cas01.contoso.com\n127.0.0.2 220 narrow\n127.0.0.9 closed\n");
    let (_, err) = t.shell("Set-ReceiveConnector 'Default Frontend CAS01' -RemoteIPRanges 10.0.0.0/8,10.1");
    assert!(err.contains("Cannot convert value \"10.1\" to type \"Microsoft.Exchange.Data.IPRange\""), "{err}");
}

#[test]
fn a_new_internet_connector_takes_mail_and_a_removed_one_stays_removed() {
    let mut t = Smtp::new();
    let port = free_port();
    let shell = |text: &str| shell_on(&t.env.store, text);
    let (out, err) = shell(&format!(
        "New-ReceiveConnector -Name 'Internet {port}' -Usage Internet -Bindings 127.0.0.1:{port} -TransportRole FrontendTransport | Format-List Identity,PermissionGroups,AuthMechanism; \
         Remove-ReceiveConnector 'Outbound Proxy Frontend CAS01' -Confirm:$false"
    ));
    assert_eq!(err, "");
    assert_text(
        &out,
        &format!(
            "\nIdentity         : CAS01\\Internet {port}\nPermissionGroups : AnonymousUsers\nAuthMechanism    : Tls\n\n\n"
        ),
    );
    let (out, _) = shell("(Get-ReceiveConnector).Name -join ','");
    assert_eq!(
        out.trim(),
        format!("Client Proxy CAS01,Default CAS01,Client Frontend CAS01,Default Frontend CAS01,Internet {port}")
    );
    t.start_transport();
    t.port = port;
    let (ok, out, err) =
        t.python(&format!("{SEND}\nprint(send(['bob@contoso.com'], 'Subject: new door\\r\\n\\r\\nx\\r\\n')[0])"));
    assert!(ok, "{out}\n{err}");
    assert_eq!(out.trim(), "250");
    assert_eq!(t.wait_for_inbox(1).len(), 1);
}

#[test]
fn a_mailbox_at_its_prohibit_send_receive_quota_is_refused_at_rcpt() {
    let mut t = Smtp::new();
    t.env.deliver(&message("already", "here\r\n"));
    t.env.update_mailbox(|m| m.quotas.prohibit_send_receive = Some(10));
    t.start_transport();
    let (ok, out, err) =
        t.python(&format!("{SEND}\nprint(send(['bob@contoso.com'], 'Subject: more\\r\\n\\r\\nx\\r\\n'))"));
    assert!(ok, "{out}\n{err}");
    assert_eq!(out.trim(), "(552, '5.2.2 STOREDRV.Deliver; mailbox full')");
    assert_eq!(t.env.inbox_uids().len(), 1);
}

#[test]
fn a_user_at_its_prohibit_send_quota_cannot_submit_but_still_receives() {
    let mut t = Smtp::new();
    t.env.deliver(&message("already", "here\r\n"));
    t.env.update_mailbox(|m| m.quotas.prohibit_send = Some(10));
    t.start_transport();
    let (ok, out, err) = t.python(&format!(
        r#"{SEND}{SUBMISSION_LOGGED_ON}
print(s.mail(os.environ['USER']))
s.quit()
print(send(['bob@contoso.com'], 'Subject: in\r\n\r\nx\r\n')[0])
"#
    ));
    assert!(ok, "{out}\n{err}");
    assert_text(&out, "(554, b'5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException')\n250\n");
    // The message, and Exchange's notice that the mailbox is full.
    assert_eq!(t.wait_for_inbox(3).len(), 3);
    let notices: Vec<String> =
        t.env.inbox_raw().into_iter().filter(|m| m.contains("Subject: Your mailbox is full.")).collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("you can't send messages until you make it smaller"), "{}", notices[0]);
}

/// Past IssueWarningQuota, the delivery stores Exchange's warning in the
/// Inbox once a day, from Microsoft Outlook, with the mailbox's size and
/// the limit; the mail is delivered as before.
#[test]
fn a_mailbox_past_its_warning_quota_gets_exchanges_notice_once_a_day() {
    let mut t = Smtp::new();
    t.env.deliver(&message("already", "here\r\n"));
    t.env.update_mailbox(|m| m.quotas.issue_warning = Some(10));
    t.start_transport();
    for n in 1..=2 {
        let (ok, out, err) =
            t.python(&format!("{SEND}\nprint(send(['bob@contoso.com'], 'Subject: number {n}\\r\\n\\r\\nx\\r\\n')[0])"));
        assert!(ok, "{out}\n{err}");
        assert_eq!(out.trim(), "250");
        // DELIVER is written once the queue recorded the delivery, after
        // the quota was weighed.
        wait_until("the DELIVER event", || {
            t.shell("(Get-MessageTrackingLog -EventId DELIVER).Count").0.trim() == n.to_string()
        });
    }
    let all = t.env.inbox_raw();
    assert_eq!(all.len(), 4, "the message already there, two more, one notice");
    let notices: Vec<&String> = all.iter().filter(|m| m.contains("Subject: Your mailbox is almost full.")).collect();
    assert_eq!(notices.len(), 1, "once a day");
    let notice = notices[0];
    assert!(
        notice.starts_with("From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.com>\r\nTo: Bob <bob@contoso.com>\r\n"),
        "{notice}"
    );
    assert!(notice.contains("past the warning size of 10 B (10 bytes) your administrator set."), "{notice}");
}

#[test]
fn the_organizations_max_receive_size_refuses_what_the_connector_would_take() {
    let mut t = Smtp::new();
    let (out, err) = t.shell(
        "Get-TransportConfig | Format-List MaxReceiveSize,MaxSendSize; Set-TransportConfig -MaxReceiveSize 2KB; \
         Set-TransportConfig -MaxSendSize Lots; Get-TransportConfig | Format-List MaxReceiveSize,MaxSendSize",
    );
    assert!(err.contains("Cannot process argument transformation on parameter 'MaxSendSize'"), "{err}");
    assert_text(
        &out,
        "
MaxReceiveSize : 10 MB (10,485,760 bytes)
MaxSendSize    : 10 MB (10,485,760 bytes)



MaxReceiveSize : 2 KB (2,048 bytes)
MaxSendSize    : 10 MB (10,485,760 bytes)


",
    );
    t.start_transport();
    let (ok, out, err) = t.python(&format!(
        "{SEND}\nprint(send(['bob@contoso.com'], 'Subject: big\\r\\n\\r\\n' + 'x' * 3000 + '\\r\\n'))\nprint(send(['bob@contoso.com'], 'Subject: small\\r\\n\\r\\nx\\r\\n')[0])"
    ));
    assert!(ok, "{out}\n{err}");
    assert_text(&out, "(550, '5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route')\n250\n");
    assert_eq!(t.wait_for_inbox(1).len(), 1);
}

/// SMTP AUTH is a logon like IMAP4's and POP3's: after a wrong password
/// from an address, that address's next attempt (the right password too)
/// is answered only after the throttle's pause; and what the transport
/// writes (the queue, the SMTP receive log) is its owner's alone, like the
/// rest of the store, whatever the umask.
#[test]
fn smtp_auth_waits_the_logon_throttle_and_the_transports_files_are_private() {
    // SAFETY: umask(2) only sets this process's mask (inherited by the
    // shells and services the test starts).
    unsafe { libc::umask(0o022) };
    let mut t = Smtp::new();
    t.update_connector("Client Frontend CAS01", |c| c.protocol_logging_level = ProtocolLoggingLevel::Verbose);
    t.start_transport();
    let (ok, out, err) = t.python(
        r#"
import os, smtplib, ssl, time
s = smtplib.SMTP('127.0.0.1', int(os.environ['SUBMISSION_PORT']), timeout=30)
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s.starttls(context=ctx)
s.ehlo('laptop')
s.user, s.password = os.environ['USER'], 'wrong'
try:
    s.auth('PLAIN', s.auth_plain)
except smtplib.SMTPAuthenticationError as e:
    print(e.smtp_code)
started = time.monotonic()
print(s.login(os.environ['USER'], os.environ['PASSWORD'])[0])
print('paused' if time.monotonic() - started >= 1.5 else 'answered at once')
print(s.sendmail(os.environ['USER'], ['bob@contoso.com'], 'Subject: private\r\n\r\nqueued\r\n'))
s.quit()
"#,
    );
    assert!(ok, "{out}\n{err}");
    assert_text(&out, "535\n235\npaused\n{}\n");
    assert_eq!(t.wait_for_inbox(1).len(), 1);
    let state = t.env.state_dir();
    for made in ["Queue/mail.que", "TransportRoles/Logs/FrontEnd/ProtocolLog/SmtpReceive"] {
        assert!(state.join(made).exists(), "{made} was made");
    }
    for s in [Service::FrontEndTransport, Service::Transport, Service::Delivery] {
        t.env.control.stop(s, &mut || {}).expect("stopped");
    }
    assert_eq!(crate::security::loose_files(t.env.dir.path()), Vec::<String>::new());
}

/// From 127.0.0.1, 100 anonymous connections fill the Transport's limit
/// for that address (the 101st is refused); while they are held, 80
/// messages go through the Frontend Transport at once (from 127.0.0.2 and
/// 127.0.0.3, 40 each, all sending DATA together), and the Transport still
/// refuses a 102nd anonymous connection afterwards. Then a
/// process that knows the hand-off port but not the key is refused there,
/// and an anonymous client on "Default CAS01" from loopback is no longer
/// taken for an Exchange server.
const HANDOFFS_UNDER_FLOOD: &str = r#"
import os, smtplib, socket, threading
transport, front, handoff_file = int(os.environ['TRANSPORT_PORT']), int(os.environ['SMTP_PORT']), os.environ['HANDOFF_FILE']
def greeting(port, src='127.0.0.1'):
    s = socket.create_connection(('127.0.0.1', port), timeout=30, source_address=(src, 0))
    return s, s.makefile('rb').readline().decode().strip()
flood = []
for i in range(100):
    s, line = greeting(transport)
    assert line.startswith('220 '), (i, line)
    flood.append(s)
s, line = greeting(transport)
print('101st anonymous', line, flush=True)
s.close()
n = 80
ready = threading.Barrier(n, timeout=60)
answers = []
lock = threading.Lock()
def send(i):
    c = smtplib.SMTP('127.0.0.1', front, timeout=120, source_address=('127.0.0.%d' % (2 + i % 2), 0))
    c.ehlo('client.fabrikam.com')
    assert c.mail('alice@fabrikam.com')[0] == 250
    assert c.rcpt('bob@contoso.com')[0] == 250
    ready.wait()
    code, text = c.data('Subject: handoff %d\r\n\r\nbody %d\r\n' % (i, i))
    with lock:
        answers.append((code, text.decode()))
    c.quit()
threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
[t.start() for t in threads]; [t.join() for t in threads]
print('handoffs', len(answers), 'queued', sum(1 for code, text in answers if code == 250 and 'Queued mail for delivery' in text), flush=True)
print('kinds', sorted(set(code for code, _ in answers)))
s, line = greeting(transport)
print('102nd anonymous', line, flush=True)
s.close()
for s in flood:
    s.close()
host, port = open(handoff_file).read().strip().rsplit(':', 1)
s = socket.create_connection((host, int(port)), timeout=30)
f = s.makefile('rb')
print('handoff port challenge', f.readline().decode().startswith('MAILSH-PROXY 1 '))
s.sendall(b'EHLO stranger.example\r\n')
print('handoff port stranger', f.readline().decode().strip())
print('handoff port closed', f.readline() == b'')
# The flood's connections are closed; the server frees their places as it
# notices, so a refusal right after is tried again until a deadline.
import time
deadline = time.time() + 10
while True:
    try:
        c = smtplib.SMTP('127.0.0.1', transport, timeout=30)
        break
    except smtplib.SMTPConnectError:
        if time.time() > deadline:
            raise
        time.sleep(0.05)
c.ehlo('stranger.example')
print('anonymous on Default', c.mail('alice@fabrikam.com'))
c.quit()
"#;

#[test]
fn hand_offs_prove_the_key_and_get_through_while_an_anonymous_flood_of_the_transport_is_limited() {
    let mut t = Smtp::new();
    t.start_transport();
    let handoff_file = mailsh::engines::smtp::handoff_address_file(&t.env.state_dir());
    let script = format!(
        "import os\nos.environ['HANDOFF_FILE'] = {:?}\n{HANDOFFS_UNDER_FLOOD}",
        handoff_file.display().to_string()
    );
    let (ok, out, err) = t.python(&script);
    assert!(ok, "{out}\n{err}\n{}", t.env.service_log(Service::Transport));
    let line = |name: &str| out.lines().find(|l| l.starts_with(name)).unwrap_or_default().to_string();
    let limit = "421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing transmission channel";
    assert_eq!(line("101st anonymous"), format!("101st anonymous {limit}"), "{out}");
    assert_eq!(line("handoffs"), "handoffs 80 queued 80", "every hand-off got through: {out}");
    assert_eq!(line("102nd anonymous"), format!("102nd anonymous {limit}"), "the flood is still limited: {out}");
    assert_eq!(line("handoff port challenge"), "handoff port challenge True", "{out}");
    assert_eq!(
        line("handoff port stranger"),
        "handoff port stranger 421 4.7.0 This port takes only the organization's transport services, closing transmission channel",
        "{out}"
    );
    assert_eq!(line("handoff port closed"), "handoff port closed True", "{out}");
    assert_eq!(
        line("anonymous on Default"),
        "anonymous on Default (530, b'5.7.1 Client was not authenticated')",
        "a loopback peer is not an Exchange server: {out}"
    );
    assert_eq!(t.wait_for_inbox(80).len(), 80);
}

/// Set-TransportService's log sizes: past MessageTrackingLogMaxFileSize the
/// day's next file starts; past MessageTrackingLogMaxDirectorySize the
/// oldest files go (at the service's start, then every five minutes),
/// never the one being written; a file larger than its folder is refused.
#[test]
fn the_message_tracking_log_keeps_to_its_file_and_folder_sizes() {
    let mut t = Smtp::new();
    let (out, err) = t.shell(
        "Set-TransportService -MessageTrackingLogMaxFileSize 1KB -MessageTrackingLogMaxDirectorySize 3KB
         Get-TransportService | Format-List MessageTrackingLogMax*,ReceiveProtocolLogMax*",
    );
    assert_eq!(err, "");
    assert_text(
        &out,
        "
MessageTrackingLogMaxAge           : 30.00:00:00
MessageTrackingLogMaxDirectorySize : 3 KB (3,072 bytes)
MessageTrackingLogMaxFileSize      : 1 KB (1,024 bytes)
ReceiveProtocolLogMaxAge           : 30.00:00:00
ReceiveProtocolLogMaxDirectorySize : 250 MB (262,144,000 bytes)
ReceiveProtocolLogMaxFileSize      : 10 MB (10,485,760 bytes)


",
    );
    let (_, err) = t.shell("Set-TransportService -MessageTrackingLogMaxFileSize 4KB");
    assert!(
        err.starts_with("Set-TransportService : The value of MessageTrackingLogMaxFileSize must be less than or equal to the value of MessageTrackingLogMaxDirectorySize."),
        "{err}"
    );
    let (_, err) = t.shell("Set-TransportService -ReceiveProtocolLogMaxFileSize 0");
    assert!(err.contains("A log file's size must be at least 1 KB (1,024 bytes)."), "{err}");
    let (_, err) = t.shell("Set-TransportService -SendProtocolLogMaxFileSize Unlimited");
    assert!(
        err.contains("Cannot convert value \"Unlimited\" to type \"Microsoft.Exchange.Data.ByteQuantifiedSize\""),
        "{err}"
    );

    t.start_transport();
    for n in 1..=8 {
        let (ok, out, err) =
            t.python(&format!("{SEND}\nprint(send(['bob@contoso.com'], 'Subject: number {n}\\r\\n\\r\\nx\\r\\n')[0])"));
        assert!(ok && out.trim() == "250", "{out}\n{err}");
    }
    wait_until("eight DELIVER events", || t.shell("(Get-MessageTrackingLog -EventId DELIVER).Count").0.trim() == "8");
    let folder = t.env.state_dir().join("TransportRoles/Logs/MessageTracking");
    let files = |f: &std::path::Path| {
        let mut v: Vec<(String, u64)> = std::fs::read_dir(f)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().len()))
            .collect();
        v.sort();
        v
    };
    let written = files(&folder);
    assert!(written.len() >= 4, "sixteen events of about 250 octets, 1 KB a file: {written:?}");
    assert!(written.iter().all(|(_, size)| *size <= 1024), "{written:?}");
    // The next start weighs the folder: the oldest parts go (a file
    // written in the last minute may be in use and stays: the parts are
    // made to look written minutes apart, in their order).
    let now = std::time::SystemTime::now();
    for (i, (name, _)) in written.iter().enumerate() {
        let f = std::fs::File::options().append(true).open(folder.join(name)).unwrap();
        f.set_modified(now - std::time::Duration::from_secs(60 * (written.len() - i) as u64 + 60)).unwrap();
    }
    t.env.stop(Service::Transport);
    t.env.start(Service::Transport);
    wait_until("the folder back under 3 KB", || files(&folder).iter().map(|(_, s)| s).sum::<u64>() <= 3072);
    let left = files(&folder);
    assert!(left.len() < written.len() && !left.is_empty(), "{written:?} -> {left:?}");
    assert_eq!(left.last(), written.last(), "the newest stays");
    // What is left is read as before.
    let remaining: usize = t.shell("(Get-MessageTrackingLog).Count").0.trim().parse().unwrap();
    assert!(remaining > 0 && remaining < 16, "{remaining}");
}
