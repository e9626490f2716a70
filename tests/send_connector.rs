//! Mail to other domains: send connectors (New-/Get-/Set-/Remove-
//! SendConnector) and the Transport service sending through their smart
//! host. The smart host is aiosmtpd (tests/support/smtp_sink.py) on a real
//! loopback port; the sender is smtplib on "Client Frontend" (STARTTLS,
//! AUTH), as a POP3 or IMAP user sends; the report of a refused recipient is
//! read back from the sender's mailbox.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use crate::smtp::{SUBMISSION_LOGGED_ON, Smtp};
use crate::support::{assert_text, free_port, wait_until};

/// The smart host: aiosmtpd writing each message it takes to a folder.
pub struct Sink {
    child: Child,
    folder: PathBuf,
}

impl Sink {
    /// The smart host on `port`, writing into the test's folder.
    pub fn start(t: &Smtp, port: u16) -> Sink {
        Sink::launch(t, port, &[])
    }

    /// One that offers DSN and records the DSN parameters it is given.
    pub fn start_with_dsn(t: &Smtp, port: u16) -> Sink {
        Sink::launch(t, port, &["dsn"])
    }

    /// One that does not offer SMTPUTF8.
    pub fn start_without_smtputf8(t: &Smtp, port: u16) -> Sink {
        Sink::launch(t, port, &["nosmtputf8"])
    }

    /// One that offers STARTTLS with this certificate and key (PEM).
    pub fn start_with_tls(t: &Smtp, port: u16, cert: &std::path::Path, key: &std::path::Path) -> Sink {
        Sink::launch(t, port, &[&format!("tls:{}:{}", cert.display(), key.display())])
    }

    /// One that offers STARTTLS and, over it, AUTH for `user` and `password`.
    pub fn start_with_auth(
        t: &Smtp,
        port: u16,
        cert: &std::path::Path,
        key: &std::path::Path,
        user: &str,
        password: &str,
    ) -> Sink {
        Sink::launch(
            t,
            port,
            &[&format!("tls:{}:{}", cert.display(), key.display()), &format!("auth:{user}:{password}")],
        )
    }

    fn launch(t: &Smtp, port: u16, options: &[&str]) -> Sink {
        let folder = t.env.dir.path().join("sink");
        let child = python_server("smtp_sink.py", port, &folder, options);
        Sink { child, folder }
    }

    /// The messages taken so far, in order, as JSON records.
    pub fn messages(&self) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        for n in 1.. {
            let Ok(text) = std::fs::read_to_string(self.folder.join(format!("{n}.json"))) else { break };
            out.push(serde_json::from_str(&text).expect("a record"));
        }
        out
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `tests/support/<script> PORT FOLDER OPTIONS...` (a smart host
/// written in Python) and waits for it to say `ready`.
fn python_server(script: &str, port: u16, folder: &std::path::Path, options: &[&str]) -> Child {
    std::fs::create_dir_all(folder).expect("the server's folder");
    let path = format!("{}/tests/support/{script}", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new("python3")
        .arg(path)
        .arg(port.to_string())
        .arg(folder)
        .args(options)
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the server starts");
    assert_eq!(line.trim(), "ready", "{script} did not start (is aiosmtpd installed? .ci/run installs it)");
    child
}

/// "To Fabrikam": mail to fabrikam.com through a smart host on a free
/// loopback port (nothing listens there until a `Sink` starts); the port.
pub fn to_fabrikam(t: &Smtp) -> u16 {
    let port = free_port();
    ok(
        t,
        &format!(
            "New-SendConnector -Name 'To Fabrikam' -AddressSpaces fabrikam.com -SmartHosts 127.0.0.1 -Port {port}"
        ),
    );
    port
}

pub fn ok(t: &Smtp, text: &str) -> String {
    let (out, err) = t.shell(text);
    assert!(err.is_empty(), "{text}: {err}");
    out
}

/// The first line of each error record the Shell printed.
fn errors(t: &Smtp, text: &str) -> String {
    let (_, err) = t.shell(text);
    err.lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with('+') && !l.starts_with("At "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Sends as the test user through "Client Frontend" (STARTTLS, AUTH);
/// each RCPT's reply, then the DATA reply.
fn submit(t: &Smtp, rcpts: &[&str], subject: &str) -> String {
    let rcpts: Vec<String> = rcpts.iter().map(|r| format!("'{r}'")).collect();
    let (ok, out, err) = t.python(&format!(
        r#"{SUBMISSION_LOGGED_ON}
s.mail(os.environ['USER'])
for r in [{}]:
    print(s.rcpt(r))
print(s.data('From: ' + os.environ['USER'] + '\r\nTo: carol@fabrikam.com\r\nSubject: {subject}\r\nMessage-ID: <{subject}@contoso.com>\r\n\r\n.a line that starts with a dot\r\nhello fabrikam\r\n')[0])
s.quit()
"#,
        rcpts.join(", ")
    ));
    assert!(ok, "{out}\n{err}");
    out
}

#[test]
fn send_connectors_are_made_shown_changed_and_removed_as_exchange_does() {
    let t = Smtp::new();
    assert_text(
        &ok(
            &t,
            "New-SendConnector -Name 'To Fabrikam' -AddressSpaces fabrikam.com,'*.fabrikam.net;5' -SmartHosts 127.0.0.1,smtp.fabrikam.com -Port 2526 -WhatIf",
        ),
        "What if: Creating Send Connector \"To Fabrikam\", Address Spaces \"'SMTP:fabrikam.com;1', 'SMTP:*.fabrikam.net;5'\".\n",
    );
    assert_eq!(ok(&t, "Get-SendConnector"), "", "-WhatIf made nothing");
    ok(
        &t,
        "New-SendConnector -Name 'To Fabrikam' -AddressSpaces fabrikam.com,'*.fabrikam.net;5' -SmartHosts 127.0.0.1,smtp.fabrikam.com -Port 2526",
    );
    assert_text(
        &ok(&t, "Get-SendConnector"),
        "
Identity    AddressSpaces                                Enabled
--------    -------------                                -------
To Fabrikam {SMTP:fabrikam.com;1, SMTP:*.fabrikam.net;5} True

",
    );
    assert_text(
        &ok(
            &t,
            "Get-SendConnector 'to fab*' | Format-List DNSRoutingEnabled,MaxMessageSize,Port,SmartHostAuthMechanism,SmartHosts,SmartHostsString,SourceTransportServers",
        ),
        "
DNSRoutingEnabled      : False
MaxMessageSize         : 35 MB (36,700,160 bytes)
Port                   : 2526
SmartHostAuthMechanism : None
SmartHosts             : {[127.0.0.1], smtp.fabrikam.com}
SmartHostsString       : [127.0.0.1],smtp.fabrikam.com
SourceTransportServers : {CAS01}


",
    );
    // Refusals, each changing nothing.
    assert_text(
        &errors(
            &t,
            "New-SendConnector -Name Internet -AddressSpaces * -DNSRoutingEnabled $false; \
             New-SendConnector -Name Internet -AddressSpaces * -SmartHosts a.example -DNSRoutingEnabled $true; \
             New-SendConnector -Name 'To Fabrikam' -AddressSpaces x.example -SmartHosts 192.0.2.1; \
             New-SendConnector -Name X -AddressSpaces 'X400:c=US' -SmartHosts h.example; \
             Set-SendConnector 'To Fabrikam' -SmartHostAuthMechanism ExchangeServer; \
             Set-SendConnector 'To Fabrikam' -SmartHostAuthMechanism BasicAuth; \
             Set-SendConnector 'To Fabrikam' -SmartHosts $null; \
             Remove-SendConnector nothing",
        ),
        "New-SendConnector : You must specify at least one smart host in the SmartHosts parameter when DNSRoutingEnabled is $false.
New-SendConnector : You must not set the DNSRoutingEnabled parameter to $true if smart hosts are used.
New-SendConnector : A Send connector named \"To Fabrikam\" already exists.
New-SendConnector : Cannot process argument transformation on parameter 'AddressSpaces'. The address space 'X400:c=US' isn't an SMTP address space. Non-SMTP address spaces aren't allowed on Send connectors.
Set-SendConnector : mailsh doesn't log on to smart hosts as ExchangeServer: SmartHostAuthMechanism None, BasicAuth and BasicAuthRequireTLS are implemented.
Set-SendConnector : The AuthenticationCredential parameter must be set when SmartHostAuthMechanism is BasicAuth or BasicAuthRequireTLS.
Set-SendConnector : You must specify at least one smart host in the SmartHosts parameter when DNSRoutingEnabled is $false.
Remove-SendConnector : The operation couldn't be performed because object 'nothing' couldn't be found on 'cas01.contoso.com'.",
    );
    assert_text(
        &ok(
            &t,
            "Set-SendConnector 'To Fabrikam' -Port 25 -Enabled $false -WhatIf; Set-SendConnector 'To Fabrikam' -Port 25 -MaxMessageSize Unlimited",
        ),
        "What if: Configuring Send connector \"To Fabrikam\".\n",
    );
    assert_text(
        &ok(&t, "Get-SendConnector | Format-Table Name,Port,MaxMessageSize,DNSRoutingEnabled,Enabled"),
        "
Name        Port MaxMessageSize DNSRoutingEnabled Enabled
----        ---- -------------- ----------------- -------
To Fabrikam   25 Unlimited      False             True

",
    );
    assert_text(
        &ok(&t, "Remove-SendConnector 'To Fabrikam' -WhatIf"),
        "What if: Removing Send connector \"To Fabrikam\".\n",
    );
    ok(&t, "Remove-SendConnector 'To Fabrikam' -Confirm:$false");
    assert_eq!(ok(&t, "Get-SendConnector"), "");
    assert_text(
        &ok(
            &t,
            "Search-AdminAuditLog -Cmdlets New-SendConnector,Set-SendConnector,Remove-SendConnector | \
             ForEach-Object { $_.CmdletName + ' ' + $_.ObjectModified + ' ' + $_.Succeeded }",
        ),
        "Remove-SendConnector To Fabrikam True
Set-SendConnector To Fabrikam True
New-SendConnector To Fabrikam True
",
    );
}

#[test]
fn a_user_sends_to_another_domain_through_the_smart_host_and_reads_the_report_of_a_refused_recipient() {
    let mut t = Smtp::new();
    let port = to_fabrikam(&t);
    ok(&t, "Set-SendConnector 'To Fabrikam' -ProtocolLoggingLevel Verbose");
    let sink = Sink::start(&t, port);
    t.start_transport();
    // An anonymous client may not relay, connector or not.
    let (sent, out, err) = t.python(&format!(
        "{}\nprint(send(['carol@fabrikam.com'], 'Subject: relay\\r\\n\\r\\nbody\\r\\n'))",
        crate::smtp::SEND
    ));
    assert!(sent, "{out}\n{err}");
    assert_eq!(out.trim(), "(550, '5.7.54 SMTP; Unable to relay recipient in non-accepted domain')");
    // A domain no connector carries is refused to the user too.
    assert_text(
        &submit(&t, &["carol@fabrikam.com", "refuse@fabrikam.com", "dave@example.org"], "hello"),
        "(250, b'2.1.5 Recipient OK')
(250, b'2.1.5 Recipient OK')
(550, b'5.7.54 SMTP; Unable to relay recipient in non-accepted domain')
250
",
    );
    wait_until("the smart host to take the message", || sink.messages().len() == 1);
    let m = &sink.messages()[0];
    assert_eq!(m["mail_from"], "bob@contoso.com");
    assert_eq!(m["rcpt_tos"], serde_json::json!(["carol@fabrikam.com"]));
    assert_eq!(m["helo"], "cas01.contoso.com");
    let data = m["data"].as_str().expect("text");
    assert!(data.contains("Subject: hello\r\n"), "{data}");
    // The connector's SMTP send log: the dialogue, never the message text.
    let dir = t.env.state_dir().join("TransportRoles/Logs/Hub/ProtocolLog/SmtpSend");
    let log: String = std::fs::read_dir(&dir)
        .expect("the send log's folder")
        .map(|f| std::fs::read_to_string(f.expect("entry").path()).expect("a log"))
        .collect();
    let events: Vec<String> =
        log.lines().skip(1).map(|l| l.splitn(5, ',').nth(4).unwrap_or_default().to_string()).collect();
    assert!(log.starts_with("#Fields: date-time,session-id,local-endpoint,remote-endpoint,event,data\r\n"), "{log}");
    for line in [
        "*,To Fabrikam",
        ">,EHLO cas01.contoso.com",
        ">,MAIL FROM:<bob@contoso.com>",
        ">,RCPT TO:<carol@fabrikam.com>",
        ">,RCPT TO:<refuse@fabrikam.com>",
        "<,550 5.1.1 User unknown",
        ">,DATA",
        ">,QUIT",
        "-,",
    ] {
        assert!(events.iter().any(|e| e == line), "{line} in\n{log}");
    }
    assert!(!log.contains("hello fabrikam") && !log.contains("Subject"), "no message text: {log}");
    assert!(data.contains("\r\n.a line that starts with a dot\r\nhello fabrikam\r\n"), "dot-stuffing undone: {data}");
    // The refused recipient: a report in the sender's Inbox, with the smart
    // host's own reply, and nothing left in the queue.
    assert_eq!(t.wait_for_inbox(1).len(), 1);
    let report = String::from_utf8_lossy(&crate::mail_queue::inbox_messages(&t, &t.env.guid)[0]).into_owned();
    assert!(report.contains("refuse@fabrikam.com"), "{report}");
    assert!(report.contains("550 5.1.1 User unknown"), "{report}");
    assert!(!report.contains("carol@fabrikam.com\r\nRemote-MTA"), "only the refused recipient is reported: {report}");
    wait_until("the queue to empty", || ok(&t, "(Get-Message | Measure-Object).Count") == "0\n");
    // What the Transport did, as Get-MessageTrackingLog tells it.
    wait_until("the report's delivery to be tracked", || {
        ok(&t, "(Get-MessageTrackingLog -EventId DELIVER | Measure-Object).Count") == "1\n"
    });
    assert_text(
        &ok(
            &t,
            "Get-MessageTrackingLog -Sender bob@contoso.com | ForEach-Object { \
             $_.EventId + ' ' + $_.Source + ' ' + $_.ConnectorId + ' | ' + ($_.Recipients -join ',') + ' | ' + \
             ($_.RecipientStatus -join ',') + ' | ' + $_.MessageId }",
        ),
        "RECEIVE SMTP CAS01\\Client Proxy CAS01 | carol@fabrikam.com,refuse@fabrikam.com |  | <hello@contoso.com>
SEND SMTP To Fabrikam | carol@fabrikam.com |  | <hello@contoso.com>
FAIL SMTP  | refuse@fabrikam.com | 550 5.1.1 User unknown | <hello@contoso.com>
",
    );
    assert_text(
        &ok(&t, "Get-MessageTrackingLog -Recipients refuse@fabrikam.com -EventId fail"),
        "
EventId Source Sender          Recipients            MessageSubject
------- ------ ------          ----------            --------------
FAIL    SMTP   bob@contoso.com {refuse@fabrikam.com} hello

",
    );
    assert_text(
        &ok(
            &t,
            "Get-MessageTrackingLog -Recipients bob@contoso.com | ForEach-Object { \
             $_.EventId + ' ' + $_.Source + ' ' + $_.Reference + ' | ' + $_.MessageSubject }",
        ),
        "DSN DSN <hello@contoso.com> | Undeliverable: hello
DELIVER STOREDRIVER  | Undeliverable: hello
",
    );
    let (first, warning) =
        t.shell("Get-MessageTrackingLog -MessageId hello@contoso.com -ResultSize 1 | ForEach-Object EventId");
    assert_eq!(first, "RECEIVE\n");
    assert_eq!(
        warning,
        "WARNING: There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.\n"
    );
}

#[test]
fn with_the_smart_host_down_the_message_waits_in_retry_and_retry_queue_sends_it_once_it_is_up() {
    let mut t = Smtp::new();
    let port = to_fabrikam(&t);
    t.start_transport();
    assert_text(
        &submit(&t, &["carol@fabrikam.com", "later@fabrikam.com"], "waiting"),
        "(250, b'2.1.5 Recipient OK')\n(250, b'2.1.5 Recipient OK')\n250\n",
    );
    wait_until("the first attempt to fail", || ok(&t, "(Get-Queue CAS01\\2).Status") == "Retry\n");
    assert_text(
        &ok(&t, "Get-Queue CAS01\\2 | Format-List Identity,DeliveryType,Status,MessageCount,NextHopDomain"),
        "
Identity      : CAS01\\2
DeliveryType  : SmartHostConnectorDelivery
Status        : Retry
MessageCount  : 1
NextHopDomain : [127.0.0.1]


",
    );
    assert_eq!(
        ok(&t, "(Get-Queue CAS01\\2).LastError"),
        format!(
            "451 4.4.0 Primary target IP address responded with: \"421 4.2.1 Unable to connect.\" Attempted failover \
             to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to \
             all alternate hosts. The last endpoint attempted was 127.0.0.1:{port} (Connection refused (os error 111))\n"
        )
    );
    // A connector's queue is suspended and resumed as Exchange's are (the
    // hold itself: `store::queue::tests::a_suspended_queue_holds_...`).
    ok(&t, "Suspend-Queue CAS01\\2 -Confirm:$false");
    assert_eq!(ok(&t, "(Get-Queue CAS01\\2).Status"), "Suspended\n");
    ok(&t, "Resume-Queue CAS01\\2");
    assert_eq!(ok(&t, "(Get-Queue CAS01\\2).Status"), "Retry\n");
    let sink = Sink::start(&t, port);
    // MessageRetryInterval is 15 minutes: Retry-Queue tries now.
    ok(&t, "Retry-Queue CAS01\\2");
    wait_until("the smart host to take the message", || sink.messages().len() == 1);
    assert_eq!(sink.messages()[0]["rcpt_tos"], serde_json::json!(["carol@fabrikam.com"]));
    // later@ was answered 451 by the smart host: it waits again, with that
    // reply, and was not reported.
    wait_until("the 451 to be recorded", || ok(&t, "(Get-Message).LastError") == "451 4.3.0 Try again later\n");
    assert_text(
        &ok(&t, "Get-Message | Format-List Queue,Status,Recipients"),
        "
Queue      : CAS01\\2
Status     : Ready
Recipients : {later@fabrikam.com}


",
    );
    assert!(t.env.inbox_uids().is_empty(), "no report for a temporary failure");
    assert_eq!(sink.messages().len(), 1, "carol's copy was sent once");
}

#[test]
fn forwarding_sends_a_mailboxs_mail_on_through_the_connector_keeping_a_copy_only_when_told() {
    let mut t = Smtp::new();
    let port = to_fabrikam(&t);
    let sink = Sink::start(&t, port);
    ok(&t, "Set-Mailbox bob -ForwardingSmtpAddress carol@fabrikam.com -DeliverToMailboxAndForward $true");
    assert_text(
        &ok(&t, "Get-Mailbox bob | Format-List DeliverToMailboxAndForward,ForwardingAddress,ForwardingSmtpAddress"),
        "
DeliverToMailboxAndForward : True
ForwardingAddress          :
ForwardingSmtpAddress      : smtp:carol@fabrikam.com


",
    );
    assert_text(
        &errors(&t, "Set-Mailbox bob -ForwardingSmtpAddress 'carol at fabrikam'"),
        "Set-Mailbox : Cannot process argument transformation on parameter 'ForwardingSmtpAddress'. Cannot convert value \"carol at fabrikam\" to type \"Microsoft.Exchange.Data.SmtpAddress\". Error: \"\"carol at fabrikam\" isn't a valid SMTP address. The domain name can't contain spaces and it has to have a prefix and a suffix, such as example.com.\"",
    );
    t.start_transport();
    let send = |subject: &str| {
        let (sent, out, err) = t.python(&format!(
            "{}\nprint(send(['bob@contoso.com'], 'Subject: {subject}\\r\\n\\r\\nbody\\r\\n')[0])",
            crate::smtp::SEND
        ));
        assert!(sent, "{out}\n{err}");
        assert_eq!(out, "250\n");
    };
    send("kept and forwarded");
    wait_until("the forwarded copy", || sink.messages().len() == 1);
    assert_eq!(t.wait_for_inbox(1).len(), 1, "a copy stays in the mailbox");
    assert_eq!(sink.messages()[0]["rcpt_tos"], serde_json::json!(["carol@fabrikam.com"]));
    assert_eq!(sink.messages()[0]["mail_from"], "alice@fabrikam.com");
    // Forwarded only: nothing more in the mailbox.
    ok(&t, "Set-Mailbox bob -DeliverToMailboxAndForward $false");
    send("forwarded only");
    wait_until("the second forwarded copy", || sink.messages().len() == 2);
    wait_until("the queue to empty", || ok(&t, "(Get-Message | Measure-Object).Count") == "0\n");
    assert_eq!(t.env.inbox_uids().len(), 1, "forwarded only: no copy kept");
    ok(&t, "Set-Mailbox bob -ForwardingSmtpAddress $null");
    assert_eq!(ok(&t, "(Get-Mailbox bob).ForwardingSmtpAddress -eq $null"), "True\n");
    send("not forwarded");
    assert_eq!(t.wait_for_inbox(2).len(), 2);
    assert_eq!(sink.messages().len(), 2);
}

#[test]
fn forwarding_address_redirects_to_another_mailbox_before_the_smtp_address_and_is_tracked_redirect() {
    let mut t = Smtp::new();
    ok(
        &t,
        "New-Mailbox -Name Alice -Alias alice -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null",
    );
    ok(
        &t,
        "Set-Mailbox bob -ForwardingAddress alice -ForwardingSmtpAddress carol@fabrikam.com -DeliverToMailboxAndForward $true",
    );
    assert_eq!(ok(&t, "(Get-Mailbox bob).ForwardingAddress"), "contoso.com/Users/Alice\n");
    assert_text(
        &errors(&t, "Set-Mailbox bob -ForwardingAddress nobody"),
        "Set-Mailbox : The operation couldn't be performed because object 'nobody' couldn't be found on 'cas01.contoso.com'.",
    );
    let alice = ok(&t, "(Get-Mailbox alice).Guid").trim().to_string();
    t.start_transport();
    let (sent, out, err) = t.python(&format!(
        "{}\nprint(send(['bob@contoso.com'], 'Subject: redirected\\r\\n\\r\\nbody\\r\\n')[0])",
        crate::smtp::SEND
    ));
    assert!(sent, "{out}\n{err}");
    assert_eq!(out, "250\n");
    wait_until("Alice's copy", || crate::mail_queue::inbox_messages(&t, &alice).len() == 1);
    assert_eq!(t.wait_for_inbox(1).len(), 1, "Bob keeps a copy (DeliverToMailboxAndForward)");
    // ForwardingAddress wins: nothing waits for fabrikam.com (no connector
    // carries it, so a copy to carol would wait in Unreachable).
    wait_until("the queue to empty", || ok(&t, "(Get-Message | Measure-Object).Count") == "0\n");
    assert_text(
        &ok(
            &t,
            "Get-MessageTrackingLog -EventId REDIRECT | ForEach-Object { $_.Source + ' ' + $_.RelatedRecipientAddress + ' > ' + ($_.Recipients -join ',') + ' | ' + $_.MessageSubject }",
        ),
        "ROUTING bob@contoso.com > alice@contoso.com | redirected\n",
    );
    // A mailbox that goes takes the links to it along.
    ok(&t, "Remove-Mailbox alice -Confirm:$false");
    assert_eq!(ok(&t, "$null -eq (Get-Mailbox bob).ForwardingAddress"), "True\n");
}

#[test]
fn a_smart_host_that_offers_starttls_is_spoken_to_over_tls_as_exchanges_opportunistic_tls_does() {
    let mut t = Smtp::new();
    let port = to_fabrikam(&t);
    ok(&t, "Set-SendConnector 'To Fabrikam' -ProtocolLoggingLevel Verbose");
    t.start_transport();
    // The smart host's certificate: this store's own (self-signed, for
    // another name): opportunistic TLS takes it.
    let (cert, key) = own_certificate(&t);
    let sink = Sink::start_with_tls(&t, port, &cert, &key);
    assert_text(&submit(&t, &["carol@fabrikam.com"], "secret"), "(250, b'2.1.5 Recipient OK')\n250\n");
    wait_until("the smart host to take the message", || sink.messages().len() == 1);
    let m = &sink.messages()[0];
    assert_eq!(m["tls"], true, "sent over TLS");
    assert!(m["data"].as_str().unwrap_or_default().contains("Subject: secret\r\n"), "{m}");
    let dir = t.env.state_dir().join("TransportRoles/Logs/Hub/ProtocolLog/SmtpSend");
    let log: String = std::fs::read_dir(&dir)
        .expect("the send log's folder")
        .map(|f| std::fs::read_to_string(f.expect("entry").path()).expect("a log"))
        .collect();
    let events: Vec<&str> = log.lines().skip(1).map(|l| l.splitn(5, ',').nth(4).unwrap_or_default()).collect();
    let at = |line: &str| events.iter().position(|e| *e == line).unwrap_or_else(|| panic!("{line} in\n{log}"));
    assert!(at(">,STARTTLS") < at("*,TLS negotiated"), "{log}");
    assert!(at("*,TLS negotiated") < at(">,MAIL FROM:<bob@contoso.com>"), "{log}");
    assert_eq!(events.iter().filter(|e| e.starts_with(">,EHLO ")).count(), 2, "EHLO again over TLS: {log}");
}

/// This store's own certificate and key (made when the services started).
fn own_certificate(t: &Smtp) -> (std::path::PathBuf, std::path::PathBuf) {
    let certs = t.env.state_dir().join("certs");
    let cert = std::fs::read_dir(&certs)
        .expect("the services made their certificate")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "pem"))
        .expect("a certificate");
    let key = cert.with_extension("key");
    (cert, key)
}

#[test]
fn require_tls_holds_mail_for_a_smart_host_without_tls_or_with_a_certificate_the_level_refuses() {
    let mut t = Smtp::new();
    let port = to_fabrikam(&t);
    // Exchange's rules for the three settings.
    for (args, message) in [
        (
            "-TlsAuthLevel CertificateValidation",
            "Set-SendConnector : The TlsAuthLevel parameter can only be set when the RequireTLS parameter is set to $true.",
        ),
        (
            "-RequireTLS $true -TlsAuthLevel DomainValidation",
            "Set-SendConnector : The TlsDomain parameter must be set when the TlsAuthLevel parameter is set to DomainValidation.",
        ),
        (
            "-RequireTLS $true -TlsAuthLevel CertificateValidation -TlsDomain fabrikam.com",
            "Set-SendConnector : The TlsDomain parameter can only be set when the TlsAuthLevel parameter is set to DomainValidation.",
        ),
        (
            "-RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain *.fabrikam.com",
            "Set-SendConnector : The TlsDomain '*.fabrikam.com' isn't a domain name mailsh can check a certificate for (wildcards are not taken).",
        ),
    ] {
        assert_eq!(errors(&t, &format!("Set-SendConnector 'To Fabrikam' {args}")), message, "{args}");
    }
    ok(&t, "Set-SendConnector 'To Fabrikam' -RequireTLS $true");
    t.start_transport();
    let sink = Sink::start(&t, port);
    assert_text(&submit(&t, &["carol@fabrikam.com"], "plain"), "(250, b'2.1.5 Recipient OK')\n250\n");
    wait_until("the attempt to be refused for want of TLS", || {
        ok(&t, "(Get-Queue CAS01\\2).LastError") == "451 5.7.3 STARTTLS is required to send mail\n"
    });
    assert!(sink.messages().is_empty(), "nothing sent in plain text");
    drop(sink);
    // TLS, but a self-signed certificate: CertificateValidation refuses it.
    let (cert, key) = own_certificate(&t);
    let sink = Sink::start_with_tls(&t, port, &cert, &key);
    ok(&t, "Set-SendConnector 'To Fabrikam' -TlsAuthLevel CertificateValidation");
    ok(&t, "Retry-Queue CAS01\\2");
    wait_until("the certificate to be refused", || {
        ok(&t, "(Get-Queue CAS01\\2).LastError").contains("invalid peer certificate")
    });
    assert!(sink.messages().is_empty(), "nothing sent to a certificate the level refuses");
    // EncryptionOnly takes it.
    ok(&t, "Set-SendConnector 'To Fabrikam' -TlsAuthLevel EncryptionOnly");
    assert_text(
        &ok(&t, "Get-SendConnector 'To Fabrikam' | Format-List RequireTLS,TlsAuthLevel,TlsDomain"),
        "
RequireTLS   : True
TlsAuthLevel : EncryptionOnly
TlsDomain    :


",
    );
    ok(&t, "Retry-Queue CAS01\\2");
    wait_until("the smart host to take the message", || sink.messages().len() == 1);
    assert_eq!(sink.messages()[0]["tls"], true);
}

#[test]
fn basic_auth_logs_on_to_the_smart_host_over_tls_and_a_refused_logon_holds_the_mail() {
    let mut t = Smtp::new();
    let port = to_fabrikam(&t);
    let credential = |password: &str| {
        format!(
            "(New-Object System.Management.Automation.PSCredential('relay', (ConvertTo-SecureString '{password}' -AsPlainText -Force)))"
        )
    };
    ok(
        &t,
        &format!(
            "Set-SendConnector 'To Fabrikam' -ProtocolLoggingLevel Verbose -SmartHostAuthMechanism BasicAuthRequireTLS -AuthenticationCredential {}",
            credential("wrong")
        ),
    );
    assert_eq!(
        ok(
            &t,
            "$c = Get-SendConnector 'To Fabrikam'; $c.SmartHostAuthMechanism + ' ' + $c.AuthenticationCredential.UserName"
        ),
        "BasicAuthRequireTLS relay\n"
    );
    t.start_transport();
    let (cert, key) = own_certificate(&t);
    let sink = Sink::start_with_auth(&t, port, &cert, &key, "relay", "S3cret!");
    assert_text(&submit(&t, &["carol@fabrikam.com"], "relayed"), "(250, b'2.1.5 Recipient OK')\n250\n");
    // A wrong password: the smart host's refusal, and the mail waits.
    wait_until("the logon to be refused", || ok(&t, "(Get-Queue CAS01\\2).LastError").starts_with("535 "));
    assert!(sink.messages().is_empty());
    ok(&t, &format!("Set-SendConnector 'To Fabrikam' -AuthenticationCredential {}", credential("S3cret!")));
    ok(&t, "Retry-Queue CAS01\\2");
    wait_until("the smart host to take the message", || sink.messages().len() == 1);
    let m = &sink.messages()[0];
    assert_eq!((m["tls"].clone(), m["auth_user"].clone()), (serde_json::json!(true), serde_json::json!("relay")));
    // The send log shows the logon, never the secret.
    let dir = t.env.state_dir().join("TransportRoles/Logs/Hub/ProtocolLog/SmtpSend");
    let log: String = std::fs::read_dir(&dir)
        .expect("the send log's folder")
        .map(|f| std::fs::read_to_string(f.expect("entry").path()).expect("a log"))
        .collect();
    assert!(log.contains(",>,AUTH PLAIN ****\r\n"), "{log}");
    assert!(!log.contains("S3cret") && !log.contains("AHJlbGF5"), "no password in the log: {log}");
    // The audit log names the account, never its password.
    let audit = ok(
        &t,
        "(Search-AdminAuditLog -Cmdlets Set-SendConnector | ForEach-Object { $_.CmdletParameters -join ';' }) -join '|'",
    );
    assert!(!audit.contains("S3cret"), "{audit}");
}

#[test]
fn opportunistic_tls_that_fails_falls_back_to_plain_text_with_the_same_smart_host() {
    let mut t = Smtp::new();
    let port = to_fabrikam(&t);
    let folder = t.env.dir.path().join("broken");
    let mut child = python_server("smtp_broken_tls.py", port, &folder, &[]);
    t.start_transport();
    assert_text(&submit(&t, &["carol@fabrikam.com"], "fallback"), "(250, b'2.1.5 Recipient OK')\n250\n");
    let record = folder.join("1.json");
    wait_until("the message to go through in plain text", || record.exists());
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&record).expect("record")).expect("json");
    assert_eq!(m["connection"], 2, "the second connection, without STARTTLS");
    assert_eq!(m["rcpt_tos"], serde_json::json!(["carol@fabrikam.com"]));
    let _ = child.kill();
    let _ = child.wait();
}

/// The DNS server of `tests/support/dns_server.py` on a free port, with
/// `zone` (JSON); killed when dropped.
struct DnsServer {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl DnsServer {
    fn start(t: &Smtp, zone: serde_json::Value) -> DnsServer {
        let port = free_port();
        let file = t.env.dir.path().join("zone.json");
        std::fs::write(&file, zone.to_string()).expect("the zone");
        let path = format!("{}/tests/support/dns_server.py", env!("CARGO_MANIFEST_DIR"));
        let mut child = Command::new("python3")
            .arg(path)
            .arg(port.to_string())
            .arg(&file)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the DNS server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the DNS server starts");
        assert_eq!(line.trim(), "ready");
        let mut log = file.into_os_string();
        log.push(".log");
        DnsServer { child, port, log: PathBuf::from(log) }
    }

    /// The questions asked, in order.
    fn questions(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log).unwrap_or_default().lines().map(str::to_string).collect()
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A connector without smart hosts routes by DNS, as Exchange's does: each
/// recipient domain's mail exchangers (by preference), a domain without MX
/// records to its own address, a domain that does not exist or takes no
/// mail (null MX) failed with a report to the sender; the DNS servers are
/// Set-TransportService's.
#[test]
fn a_connector_without_smart_hosts_routes_by_dns_to_each_domains_mail_exchangers() {
    let mut t = Smtp::new();
    let port = free_port();
    let dns = DnsServer::start(
        &t,
        serde_json::json!({
            "fabrikam.test": {"MX": [[20, "backup.fabrikam.test"], [10, "mx1.fabrikam.test"]]},
            "mx1.fabrikam.test": {"A": ["127.0.0.1"]},
            "backup.fabrikam.test": {"A": ["127.0.0.9"]},
            "implicit.test": {"A": ["127.0.0.1"]},
            "nullmx.test": {"MX": [[0, ""]]},
        }),
    );
    ok(
        &t,
        &format!(
            "New-SendConnector -Name Internet -Usage Internet -AddressSpaces * -Port {port} | Out-Null
             Set-TransportService -ExternalDNSAdapterEnabled $false -ExternalDNSServers 127.0.0.1:{}",
            dns.port
        ),
    );
    assert_text(
        &ok(
            &t,
            "Get-SendConnector Internet | Format-List DNSRoutingEnabled,SmartHosts
             Get-TransportService | Format-List ExternalDNSAdapterEnabled,ExternalDNSServers",
        ),
        &format!(
            "
DNSRoutingEnabled : True
SmartHosts        : {{}}



ExternalDNSAdapterEnabled : False
ExternalDNSServers        : {{127.0.0.1:{}}}


",
            dns.port
        ),
    );
    let sink = Sink::start(&t, port);
    t.start_transport();
    assert_text(
        &submit(
            &t,
            &["carol@fabrikam.test", "dan@implicit.test", "erin@nowhere.test", "fay@nullmx.test", "gus@[127.0.0.1]"],
            "by-dns",
        ),
        "(250, b'2.1.5 Recipient OK')
(250, b'2.1.5 Recipient OK')
(250, b'2.1.5 Recipient OK')
(250, b'2.1.5 Recipient OK')
(501, b'5.1.3 Invalid address')
250
",
    );
    // (An address literal is refused at the door, as Exchange refuses it.)
    // One transaction a domain, each with its mail exchanger.
    wait_until("both domains' mail at the sink", || sink.messages().len() == 2);
    let mut taken: Vec<String> = sink.messages().iter().map(|m| m["rcpt_tos"].to_string()).collect();
    taken.sort();
    assert_eq!(taken, ["[\"carol@fabrikam.test\"]", "[\"dan@implicit.test\"]"]);
    // The other two fail for good, reported to the sender.
    wait_until("the queue to empty", || ok(&t, "(Get-Message | Measure-Object).Count") == "0\n");
    let questions = dns.questions();
    for q in [
        "MX fabrikam.test",
        "A mx1.fabrikam.test",
        "MX implicit.test",
        "A implicit.test",
        "MX nowhere.test",
        "MX nullmx.test",
    ] {
        assert!(questions.iter().any(|a| a == q), "{q} in {questions:?}");
    }
    assert_text(
        &ok(
            &t,
            "Get-MessageTrackingLog -EventId FAIL | Sort-Object { $_.Recipients[0] } | ForEach-Object { ($_.Recipients -join ',') + ' | ' + ($_.RecipientStatus -join ',') }",
        ),
        // A reply's `;` stays in its one status (the log's lists escape it).
        "erin@nowhere.test | 554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain
fay@nullmx.test | 556 5.1.10 SMTPSEND.DNS.NullMx; the recipient's domain accepts no mail (null MX)
",
    );
    // A report each (each domain failed on its own), both in the Inbox.
    assert_eq!(t.wait_for_inbox(2).len(), 2);
    let report: String = crate::mail_queue::inbox_messages(&t, &t.env.guid)
        .iter()
        .map(|m| String::from_utf8_lossy(m).into_owned())
        .collect();
    assert!(report.contains("erin@nowhere.test") && report.contains("fay@nullmx.test"), "{report}");
    assert!(report.contains("554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain"), "{report}");
    assert!(!report.contains("carol@fabrikam.test\r\nRemote-MTA"), "{report}");
}
