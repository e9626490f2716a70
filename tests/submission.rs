//! MSExchangeSubmission end to end: what an IMAP client leaves in the
//! Outbox is sent by the real service through the real Transport and
//! Delivery services, read back with imaplib by each recipient, and filed
//! in the sender's Sent Items; Exchange's sender rules refused with a
//! non-delivery report; nothing sent while the Transport is stopped, all
//! of it once it starts.

use crate::smtp::Smtp;
use crate::support::{PASSWORD, wait_until};
use mailsh::services::Service;

/// imaplib on the IMAP4 front end: `login(user)` and helpers to read and
/// append, each printing what the test compares.
const IMAP: &str = r#"
import os, imaplib, re, time
def login(user):
    m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
    m.login(user, os.environ['PASSWORD'])
    return m
def append(user, text):
    m = login(user)
    typ, data = m.append('Outbox', None, None, text.replace('\n', '\r\n').encode())
    assert typ == 'OK', data
    m.logout()
def count(user, folder):
    m = login(user)
    typ, data = m.status('"%s"' % folder, '(MESSAGES)')
    m.logout()
    return int(re.search(rb'MESSAGES (\d+)', data[0]).group(1))
def texts(user, folder):
    m = login(user)
    m.select('"%s"' % folder, readonly=True)
    typ, data = m.fetch('1:*', '(FLAGS BODY.PEEK[])')
    m.logout()
    return [(part[0].decode(), part[1].decode()) for part in data if isinstance(part, tuple)]
"#;

/// Runs `script` after the IMAP helpers; what it printed.
fn run(t: &Smtp, script: &str) -> String {
    let (ok, out, err) = t.python(&format!("{IMAP}\n{script}"));
    assert!(ok, "{err}");
    out
}

#[test]
fn what_a_user_leaves_in_the_outbox_is_sent_once_then_filed_in_sent_items() {
    let mut t = Smtp::new();
    t.env.add_mailbox("ann", "ann@contoso.com", PASSWORD);
    t.env.start(Service::Imap4Backend);
    t.env.start(Service::Imap4);
    t.env.start(Service::Delivery);
    t.env.start(Service::Submission);
    // Bob leaves a message for Ann (To), an unknown colleague (Cc) and
    // himself (Bcc) in his Outbox while the Transport is stopped.
    run(
        &t,
        "append('bob@contoso.com', '''From: Bob <bob@contoso.com>
To: Ann <ann@contoso.com>
Cc: nobody@contoso.com
Bcc: bob@contoso.com
Subject: Quarterly figures
Message-ID: <figures@contoso.com>

The figures are attached.
''')",
    );
    wait_until("the submission service to find the Transport stopped", || {
        t.env.service_log(Service::Submission).contains("the Transport service (MSExchangeTransport) is not running")
    });
    assert_eq!(run(&t, "print(count('bob@contoso.com', 'Outbox'))"), "1\n");
    t.env.start(Service::Transport);
    // Ann's copy, without the Bcc field; Bob's through the Bcc, and his
    // report of the unknown colleague.
    wait_until("the deliveries", || {
        run(&t, "print(count('ann@contoso.com', 'INBOX'), count('bob@contoso.com', 'INBOX'))") == "1 2\n"
    });
    let ann = run(&t, "for flags, text in texts('ann@contoso.com', 'INBOX'): print(text)");
    assert!(ann.contains("Subject: Quarterly figures") && ann.contains("The figures are attached."), "{ann}");
    assert!(!ann.to_ascii_lowercase().contains("bcc:"), "{ann}");
    let bob = run(&t, "for flags, text in texts('bob@contoso.com', 'INBOX'): print(text)");
    assert!(bob.contains("Subject: Undeliverable: Quarterly figures"), "{bob}");
    assert!(bob.contains("nobody@contoso.com") && bob.contains("550 5.1.10 RESOLVER.ADR.RecipientNotFound"), "{bob}");
    // Filed: out of the Outbox, in Sent Items, read, its Bcc kept.
    wait_until("the message filed", || run(&t, "print(count('bob@contoso.com', 'Outbox'))") == "0\n");
    let sent = run(&t, "for flags, text in texts('bob@contoso.com', 'Sent Items'): print(flags); print(text)");
    assert!(sent.contains("\\Seen") && sent.contains("Bcc: bob@contoso.com"), "{sent}");

    // A From that is not Bob's: Exchange's SendAs refusal, in a report.
    run(
        &t,
        "append('bob@contoso.com', '''From: Carol <carol@fabrikam.com>
To: ann@contoso.com
Subject: Not mine to send

Hello.
''')",
    );
    wait_until("the refusal's report", || run(&t, "print(count('bob@contoso.com', 'INBOX'))") == "3\n");
    let bob = run(&t, "for flags, text in texts('bob@contoso.com', 'INBOX'): print(text)");
    assert!(bob.contains("Subject: Undeliverable: Not mine to send"), "{bob}");
    assert!(bob.contains("550 5.7.60 SMTP; Client does not have permissions to send as this sender"), "{bob}");
    wait_until("both filed", || run(&t, "print(count('bob@contoso.com', 'Sent Items'))") == "2\n");
    assert_eq!(run(&t, "print(count('ann@contoso.com', 'INBOX'), count('bob@contoso.com', 'Outbox'))"), "1 0\n");

    // One SUBMIT event, in the service's own files, for what went.
    let (out, err) = t.shell(
        "Get-MessageTrackingLog -EventId SUBMIT | Format-List EventId,Source,Sender,Recipients,MessageSubject,MessageId",
    );
    assert_eq!(err, "");
    assert_eq!(
        out.trim(),
        "EventId        : SUBMIT\nSource         : STOREDRIVER\nSender         : bob@contoso.com\n\
         Recipients     : {ann@contoso.com, bob@contoso.com}\nMessageSubject : Quarterly figures\n\
         MessageId      : <figures@contoso.com>"
    );
    let files: Vec<String> = std::fs::read_dir(t.env.state_dir().join("TransportRoles/Logs/MessageTracking"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert!(files.iter().any(|f| f.starts_with("MSGTRKMS")), "{files:?}");
    let (out, _) = t.shell("(Get-Service MSExchangeSubmission).DisplayName");
    assert_eq!(out, "Microsoft Exchange Mailbox Transport Submission\n");
}
