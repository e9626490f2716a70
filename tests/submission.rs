//! MSExchangeSubmission end to end: what an IMAP client leaves in the
//! Outbox is sent by the real service through the real Transport and
//! Delivery services, read back with imaplib by each recipient, and filed
//! in the sender's Sent Items; Exchange's sender rules refused with a
//! non-delivery report; nothing sent while the Transport is stopped, all
//! of it once it starts.

use crate::smtp::Smtp;
use crate::support::{PASSWORD, USER, wait_until};
use mailsh::services::Service;
use mailsh::store::mail::{MailDb, mail_db_path};

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

/// The Submission and Transport engines killed with SIGKILL while an
/// Outbox of 400 messages is sent: each message reaches the Inbox exactly
/// once (a kill between the Transport's 250 and the filing submits it
/// again, under the same TRANSID), and every one is filed in Sent Items.
#[test]
fn engines_killed_while_the_outbox_is_sent_send_each_message_once() {
    const N: usize = 400;
    let mut random = crate::support::crash::Kills::seeded();
    let seed = random.seed;
    let mut t = Smtp::new();
    t.env.start(Service::Transport);
    t.env.start(Service::Delivery);
    {
        let mut db = MailDb::open(&mail_db_path(&t.env.store)).expect("mail db");
        let mailbox = db.ensure_mailbox(&t.env.guid).expect("mailbox");
        let outbox = db.folder(mailbox, "Outbox").expect("query").expect("the Outbox");
        let texts: Vec<Vec<u8>> = (0..N)
            .map(|i| format!("From: {USER}\r\nTo: {USER}\r\nSubject: m{i}\r\n\r\nbody {i}\r\n").into_bytes())
            .collect();
        let refs: Vec<&[u8]> = texts.iter().map(Vec::as_slice).collect();
        db.append_many(outbox.id, 1_796_000_000, &refs).expect("appended");
    }
    t.env.start(Service::Submission);
    let kills = [
        (40, Service::Submission),
        (90, Service::Transport),
        (140, Service::Submission),
        (190, Service::Submission),
        (240, Service::Transport),
        (290, Service::Submission),
        (340, Service::Submission),
    ];
    let mut last_killed = 0;
    for (at, service) in kills {
        wait_until("the next kill's point", || {
            t.env.inbox_uids().len() >= at
                && t.env.control.status(service) == mailsh::services::ServiceStatus::Running
                && t.env.engine_pid(service) != last_killed
        });
        std::thread::sleep(std::time::Duration::from_micros(random.below(3000)));
        let pid = t.env.engine_pid(service);
        // SAFETY: kill(2) on the engine our own service started.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        last_killed = pid;
    }
    wait_until("the Outbox sent and filed", || t.env.folder_subjects("Sent Items").len() == N);
    wait_until("every message in the Inbox", || t.env.inbox_uids().len() >= N);
    let inbox = t.env.folder_subjects("Inbox");
    for i in 0..N {
        let copies = inbox.iter().filter(|s| **s == format!("m{i}")).count();
        assert_eq!(copies, 1, "m{i}: exactly one copy (seed {seed})");
    }
    assert_eq!(inbox.len(), N, "seed {seed}");
    assert!(t.env.folder_subjects("Outbox").is_empty());
}

/// Messages that must wait (here 65 without any recipient, more than one
/// look's page) never hide the ones behind them: the message after them
/// is sent, and they stay in the Outbox.
#[test]
fn messages_left_waiting_in_the_outbox_do_not_hold_back_the_ones_behind_them() {
    let mut t = Smtp::new();
    {
        let mut db = MailDb::open(&mail_db_path(&t.env.store)).expect("mail db");
        let mailbox = db.ensure_mailbox(&t.env.guid).expect("mailbox");
        let outbox = db.folder(mailbox, "Outbox").expect("query").expect("the Outbox");
        let stuck: Vec<Vec<u8>> =
            (0..65).map(|i| format!("From: {USER}\r\nSubject: draft {i}\r\n\r\nno one yet\r\n").into_bytes()).collect();
        let refs: Vec<&[u8]> = stuck.iter().map(Vec::as_slice).collect();
        db.append_many(outbox.id, 1_796_000_000, &refs).expect("appended");
        let ready = format!("From: {USER}\r\nTo: {USER}\r\nSubject: ready\r\n\r\nfor me\r\n").into_bytes();
        db.append_many(outbox.id, 1_796_000_001, &[&ready]).expect("appended");
    }
    t.env.start(Service::Transport);
    t.env.start(Service::Delivery);
    t.env.start(Service::Submission);
    wait_until("the message behind them", || t.env.folder_subjects("Inbox") == ["ready"]);
    assert_eq!(t.env.folder_subjects("Outbox").len(), 65);
    assert!(t.env.service_log(Service::Submission).contains("waits: it names no recipient (To, Cc or Bcc)"));
}
