//! The queue an administrator sees and acts on (Get-Queue, Get-Message,
//! Suspend-/Resume-Queue, Suspend-/Resume-/Remove-Message, Retry-Queue),
//! delivery that looks the recipient up again at delivery time, and the
//! non-delivery reports a sender inside the organization reads with
//! imaplib and poplib: the real transport services, smtplib on real
//! sockets, the real binary's Shell.

use crate::smtp::{SEND, Smtp};
use crate::support::{PASSWORD, USER, assert_text, wait_until};
use mailsh::store::mail::{MailDb, mail_db_path};
use mailsh::store::queue::{QueueDb, queue_path};

/// Runs Shell text and fails the test on any error output.
fn ok(t: &Smtp, text: &str) -> String {
    let (out, err) = t.shell(text);
    assert!(err.is_empty(), "{text}: {err}");
    out
}

fn queue(t: &Smtp) -> QueueDb {
    QueueDb::open(&queue_path(&t.env.store)).expect("queue")
}

/// Sends one message with smtplib through "Default Frontend"; its reply.
fn send(t: &Smtp, sender: &str, rcpts: &[&str], subject: &str) -> String {
    let rcpts: Vec<String> = rcpts.iter().map(|r| format!("'{r}'")).collect();
    let (ok, out, err) = t.python(&format!(
        "{SEND}\nprint(send([{}], 'From: {sender}\\r\\nSubject: {subject}\\r\\n\\r\\nbody\\r\\n', sender='{sender}'))",
        rcpts.join(", ")
    ));
    assert!(ok, "{out}\n{err}");
    out.trim().to_string()
}

/// The admin audit records of `cmdlets`, newest first, one line each.
fn audit(t: &Smtp, cmdlets: &str) -> String {
    ok(
        t,
        &format!(
            "Search-AdminAuditLog -Cmdlets {cmdlets} | ForEach-Object {{ \
             $_.Caller + ' | ' + $_.CmdletName + ' | ' + $_.ObjectModified + ' | ' + ($_.CmdletParameters -join ', ') + ' | ' + $_.Succeeded }}"
        ),
    )
}

#[test]
fn a_mailbox_removed_before_delivery_is_not_recreated_and_its_recipient_fails_with_recip_not_found() {
    let mut t = Smtp::new();
    t.start_transport();
    // Delivery held (as an administrator holds it), so the removal comes
    // between the 250 and the delivery.
    ok(&t, "Suspend-Queue -Identity CAS01\\Submission");
    let reply = send(&t, "alice@fabrikam.com", &[USER], "too late");
    assert!(reply.starts_with("(250, '2.6.0 <"), "{reply}");
    assert_text(
        &ok(&t, "Get-Queue"),
        "
Identity         DeliveryType Status    MessageCount Velocity RiskLevel OutboundIPPool NextHopDomain
--------         ------------ ------    ------------ -------- --------- -------------- -------------
CAS01\\Submission Undefined    Suspended            1        0 Normal                 0 Submission

",
    );
    ok(&t, "Remove-Mailbox Bob -Confirm:$false");
    ok(&t, "Resume-Queue CAS01\\Submission");
    wait_until("the recipient to fail", || queue(&t).counts().expect("counts") == (0, 1));
    let mail = MailDb::open(&mail_db_path(&t.env.store)).expect("mail db");
    assert_eq!(mail.find_mailbox(&t.env.guid).expect("lookup"), None, "delivery made no mailbox for the removed one");
    assert_text(
        &ok(&t, "Get-Message | Format-List Identity,FromAddress,Status,Queue,Subject,LastError,Recipients"),
        "
Identity    : CAS01\\Unreachable\\1
FromAddress : alice@fabrikam.com
Status      : Ready
Queue       : CAS01\\Unreachable
Subject     : too late
LastError   : 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found
Recipients  : {bob@contoso.com}


",
    );
    // The sender is outside the organization: no send connector can carry
    // a report, so the message stays where an administrator sees it, and
    // nothing else was queued.
    assert_eq!(queue(&t).message_count().expect("count"), 1);
}

/// Messages in the Inbox of the mailbox `guid`.
fn inbox_count(t: &Smtp, guid: &str) -> usize {
    let mut db = MailDb::open(&mail_db_path(&t.env.store)).expect("mail db");
    db.inbox_snapshot(guid).expect("snapshot").messages.len()
}

#[test]
fn a_local_sender_reads_the_non_delivery_report_with_pop3_and_imap_and_a_null_sender_gets_none() {
    let mut t = Smtp::new();
    let alice = t.env.add_mailbox("alice", "alice@contoso.com", PASSWORD);
    t.env.add_mailbox("carol", "carol@contoso.com", PASSWORD);
    t.env.start_pop();
    t.env.start_imap();
    t.start_transport();
    ok(&t, "Suspend-Queue CAS01\\Submission");
    let (ok_sent, out, err) = t.python(&format!(
        r#"{SEND}
print(send(['carol@contoso.com', 'bob@contoso.com'], 'From: alice@contoso.com\r\nTo: carol@contoso.com, bob@contoso.com\r\nSubject: lunch\r\nMessage-ID: <lunch-1@contoso.com>\r\n\r\nsecret body\r\n', sender='alice@contoso.com')[0])
print(send(['carol@contoso.com'], 'Subject: a report of another server\r\n\r\nbody\r\n', sender='')[0])
"#
    ));
    assert!(ok_sent, "{out}\n{err}");
    assert_eq!(out, "250\n250\n");
    ok(&t, "Remove-Mailbox carol -Confirm:$false");
    ok(&t, "Resume-Queue CAS01\\Submission");
    wait_until("the queue to empty", || queue(&t).message_count().expect("count") == 0);
    assert_eq!(inbox_count(&t, &t.env.guid), 1, "bob got the message");
    assert_eq!(inbox_count(&t, &alice), 1, "alice got one report: none for the null sender's message");
    let (ok_read, out, err) = t.python(
        r#"
import email, imaplib, os, poplib
p = poplib.POP3('127.0.0.1', int(os.environ['POP_PORT']), timeout=30)
p.user('alice@contoso.com'); p.pass_(os.environ['PASSWORD'])
raw = b'\r\n'.join(p.retr(1)[1])
p.quit()
m = email.message_from_bytes(raw)
print(m.get_content_type(), m.get_param('report-type'))
for h in ('From', 'To', 'Subject', 'In-Reply-To', 'Auto-Submitted'):
    print(h + ':', m[h])
parts = m.get_payload()
print([part.get_content_type() for part in parts])
human = parts[0].get_payload().replace('\r\n', '\n')
print(human.split('\n\nOriginal message headers:')[0])
blocks = parts[1].get_payload()
print(len(blocks), 'Arrival-Date' in blocks[0])
print(blocks[0]['Reporting-MTA'])
for k, v in blocks[1].items():
    print(k + ':', v)
quoted = parts[2].get_payload()
print('Subject: lunch' in quoted, 'Message-ID: <lunch-1@contoso.com>' in quoted, 'secret body' in raw.decode())
i = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
i.login('alice@contoso.com', os.environ['PASSWORD'])
i.select('INBOX')
typ, data = i.fetch('1', '(BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])')
print(data[0][1].decode().strip().replace('\r\n', '\n'))
i.logout()
"#,
    );
    assert!(ok_read, "{out}\n{err}");
    assert_text(
        &out,
        "multipart/report delivery-status
From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.com>
To: <alice@contoso.com>
Subject: Undeliverable: lunch
In-Reply-To: <lunch-1@contoso.com>
Auto-Submitted: auto-replied
['text/plain', 'message/delivery-status', 'text/rfc822-headers']
Delivery has failed to these recipients or groups:

carol@contoso.com
The email address you entered couldn't be found. Please check the recipient's email address and try to resend the message. If the problem continues, please contact your helpdesk.


Diagnostic information for administrators:

Generating server: cas01.contoso.com

carol@contoso.com
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
2 True
dns; cas01.contoso.com
Final-Recipient: rfc822; carol@contoso.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found
True True False
From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.com>
Subject: Undeliverable: lunch
",
    );
}

/// The Inbox messages of the mailbox `guid`, in UID order.
pub fn inbox_messages(t: &Smtp, guid: &str) -> Vec<Vec<u8>> {
    let mut db = MailDb::open(&mail_db_path(&t.env.store)).expect("mail db");
    let mailbox = db.ensure_mailbox(guid).expect("mailbox");
    let inbox = db.folder(mailbox, "Inbox").expect("query").expect("the Inbox");
    let uids: Vec<u32> = db.inbox_snapshot(guid).expect("snapshot").messages.iter().map(|m| m.uid).collect();
    uids.iter().map(|uid| db.message_raw(inbox.id, *uid).expect("read").expect("the message")).collect()
}

/// The Inbox subjects of the mailbox `guid`, in UID order.
fn inbox_subjects(t: &Smtp, guid: &str) -> Vec<String> {
    inbox_messages(t, guid)
        .iter()
        .map(|raw| mailsh::store::header::header_value(raw, "subject").unwrap_or_default())
        .collect()
}

/// Get-Message's Size column for message `id` (the Received fields make
/// its size depend on the date).
fn size_of(t: &Smtp, id: i64) -> String {
    let size = queue(t).messages().expect("messages").into_iter().find(|m| m.id == id).expect("queued").size;
    mailsh::runtime::value::format_bytes(size)
}

#[test]
fn a_suspended_message_waits_in_its_queue_until_resumed_while_the_others_are_delivered() {
    let mut t = Smtp::new();
    t.start_transport();
    ok(&t, "Suspend-Queue CAS01\\Submission");
    for subject in ["first", "second"] {
        assert!(send(&t, "alice@fabrikam.com", &[USER], subject).starts_with("(250,"));
    }
    let expected = "
Identity           FromAddress        Status Size              SCL Queue            Subject
--------           -----------        ------ ----              --- -----            -------
CAS01\\Submission\\1 alice@fabrikam.com Ready  {1}   0 CAS01\\Submission first
CAS01\\Submission\\2 alice@fabrikam.com Ready  {2}   0 CAS01\\Submission second

"
    .replace("{1}", &size_of(&t, 1))
    .replace("{2}", &size_of(&t, 2));
    assert_text(&ok(&t, "Get-Message"), &expected);
    assert_text(
        &ok(&t, "Suspend-Message -Filter \"Subject -eq 'first'\" -WhatIf"),
        "What if: Suspending the messages that match filter \"Subject -eq 'first'\".\n",
    );
    ok(&t, "Suspend-Message -Identity CAS01\\Submission\\1");
    let (_, err) = t.shell("Resume-Message CAS01\\Submission\\2");
    assert!(
        err.contains(
            "The operation wasn't performed on the message with identity CAS01\\Submission\\2. You must suspend the message first."
        ),
        "{err}"
    );
    assert_text(
        &ok(&t, "Get-Message -Filter \"Status -eq 'Suspended'\" | ForEach-Object Identity"),
        "CAS01\\Submission\\1\n",
    );
    ok(&t, "Resume-Queue CAS01\\Submission");
    wait_until("the second message", || inbox_count(&t, &t.env.guid) == 1);
    assert_eq!(inbox_subjects(&t, &t.env.guid), ["second"], "the suspended one was not delivered");
    assert_text(
        &ok(&t, "Get-Message -Queue CAS01\\1 | ForEach-Object { $_.Identity + ' ' + $_.Status }"),
        "CAS01\\1\\1 Suspended\n",
    );
    ok(&t, "Get-Message CAS01\\1\\1 | Resume-Message");
    wait_until("the first message", || inbox_count(&t, &t.env.guid) == 2);
    assert_eq!(inbox_subjects(&t, &t.env.guid), ["second", "first"]);
    assert_text(&ok(&t, "Get-Queue | ForEach-Object Identity"), "CAS01\\Submission\n");
    // The changes are in the admin audit log, the -WhatIf and the refused
    // ones not.
    assert_text(
        &audit(&t, "Suspend-Queue,Resume-Queue,Suspend-Message,Resume-Message"),
        "\
administrator | Resume-Message | CAS01\\1\\1 | Identity=CAS01\\1\\1 | True
administrator | Resume-Queue | CAS01\\Submission | Identity=CAS01\\Submission | True
administrator | Suspend-Message | CAS01\\Submission\\1 | Identity=CAS01\\Submission\\1 | True
administrator | Suspend-Queue | CAS01\\Submission | Identity=CAS01\\Submission | True
",
    );
}

#[test]
fn remove_message_reports_to_a_local_sender_unless_told_not_to_and_unknown_identities_are_refused() {
    let mut t = Smtp::new();
    let alice = t.env.add_mailbox("alice", "alice@contoso.com", PASSWORD);
    t.start_transport();
    ok(&t, "Suspend-Queue CAS01\\Submission");
    for subject in ["reported", "silent"] {
        assert!(send(&t, "alice@contoso.com", &[USER], subject).starts_with("(250,"));
    }
    assert_text(
        &ok(&t, "Remove-Message CAS01\\Submission\\1 -WhatIf"),
        "What if: Removing the message \"CAS01\\Submission\\1\".\n",
    );
    ok(&t, "Remove-Message CAS01\\Submission\\1 -Confirm:$false");
    ok(&t, "Remove-Message -Identity CAS01\\Submission\\2 -WithNDR $false -Confirm:$false");
    // Each removal is in the admin audit log; the -WhatIf one is not.
    assert_text(
        &audit(&t, "Remove-Message"),
        "administrator | Remove-Message | CAS01\\Submission\\2 | Identity=CAS01\\Submission\\2, WithNDR=False | True
administrator | Remove-Message | CAS01\\Submission\\1 | Identity=CAS01\\Submission\\1 | True
",
    );
    // Only the report is left, from the null sender.
    assert_text(
        &ok(
            &t,
            "Get-Message | ForEach-Object { $_.Identity + ' [' + $_.FromAddress + '] ' + $_.Subject + ' ' + $_.Recipients }",
        ),
        "CAS01\\Submission\\3 [] Undeliverable: reported alice@contoso.com\n",
    );
    assert_text(&ok(&t, "(Get-Message).InternetMessageId -like '<*@cas01.contoso.com>'"), "True\n");
    // A filter's change is recorded once per message it changed, with the
    // filter as typed.
    ok(&t, "Suspend-Message -Filter \"FromAddress -eq ''\"; Resume-Message -Filter \"Status -eq 'Suspended'\"");
    assert_text(
        &audit(&t, "Suspend-Message,Resume-Message"),
        "\
administrator | Resume-Message | CAS01\\Submission\\3 | Filter=Status -eq 'Suspended' | True
administrator | Suspend-Message | CAS01\\Submission\\3 | Filter=FromAddress -eq '' | True
",
    );
    ok(&t, "Resume-Queue CAS01\\Submission");
    wait_until("the queue to empty", || queue(&t).message_count().expect("count") == 0);
    assert_eq!(inbox_count(&t, &t.env.guid), 0, "neither removed message was delivered");
    assert_eq!(inbox_subjects(&t, &alice), ["Undeliverable: reported"]);
    let report = String::from_utf8_lossy(&inbox_messages(&t, &alice)[0]).into_owned();
    assert!(
        report.contains(
            "Final-Recipient: rfc822; bob@contoso.com\r\nAction: failed\r\nStatus: 4.3.2\r\n\
             Diagnostic-Code: smtp; 550 4.3.2 QUEUE.Admin; message deleted by administrative action\r\n"
        ),
        "{report}"
    );
    // Identities that name nothing: the Queue Viewer's not-found error.
    for (command, identity) in [
        ("Get-Message CAS01\\1\\999", "CAS01\\1\\999"),
        ("Suspend-Message CAS01\\Submission\\1", "CAS01\\Submission\\1"),
        ("Get-Queue CAS01\\Nowhere", "CAS01\\Nowhere"),
        ("Retry-Queue CAS01\\Unreachable", "CAS01\\Unreachable"),
    ] {
        let (out, err) = t.shell(command);
        assert_eq!(out, "", "{command}");
        assert!(err.contains(&format!("The object with identity {identity} wasn't found.")), "{command}: {err}");
    }
    let (_, err) = t.shell("Suspend-Message");
    assert!(err.contains("You must specify either an identity or a filter for this operation."), "{err}");
    // What was refused or named nothing recorded nothing.
    assert_text(
        &audit(&t, "Remove-Message,Suspend-Message,Retry-Queue"),
        "administrator | Suspend-Message | CAS01\\Submission\\3 | Filter=FromAddress -eq '' | True
administrator | Remove-Message | CAS01\\Submission\\2 | Identity=CAS01\\Submission\\2, WithNDR=False | True
administrator | Remove-Message | CAS01\\Submission\\1 | Identity=CAS01\\Submission\\1 | True
",
    );
}

#[test]
fn retry_queue_resubmit_delivers_what_was_unreachable_to_the_mailbox_the_address_names_now() {
    let mut t = Smtp::new();
    t.start_transport();
    ok(&t, "Suspend-Queue CAS01\\Submission");
    assert!(send(&t, "alice@fabrikam.com", &[USER], "patience").starts_with("(250,"));
    ok(&t, "Remove-Mailbox Bob -Confirm:$false");
    ok(&t, "Resume-Queue CAS01\\Submission");
    wait_until("the recipient to fail", || queue(&t).counts().expect("counts") == (0, 1));
    let (_, err) = t.shell("Retry-Queue CAS01\\Unreachable");
    assert!(
        err.contains("The requested operation can't be performed for the object with identity CAS01\\Unreachable."),
        "{err}"
    );
    // The address is given to a new mailbox; resubmitting categorizes
    // the message again.
    let robert = t.env.add_mailbox("robert", USER, PASSWORD);
    ok(&t, "Retry-Queue CAS01\\Unreachable -Resubmit $true");
    assert_text(
        &audit(&t, "Retry-Queue"),
        "administrator | Retry-Queue | CAS01\\Unreachable | Identity=CAS01\\Unreachable, Resubmit=True | True\n",
    );
    wait_until("the queue to empty", || queue(&t).message_count().expect("count") == 0);
    assert_eq!(inbox_subjects(&t, &robert), ["patience"]);
    let mail = MailDb::open(&mail_db_path(&t.env.store)).expect("mail db");
    assert_eq!(mail.find_mailbox(&t.env.guid).expect("lookup"), None, "still no mailbox for the removed one");
}

#[test]
fn transport_service_settings_are_exchanges_and_refused_out_of_range_changing_nothing() {
    let t = Smtp::new();
    let (out, err) = t.shell(
        "Get-TransportService | Format-List Name,MessageExpirationTimeout,MessageRetryInterval,MaxConcurrentMailboxDeliveries; \
         Set-TransportService CAS01 -MessageExpirationTimeout 00:00:04 -MessageRetryInterval 00:01:00; \
         Set-TransportService -Identity CAS02 -MessageRetryInterval 00:01:00; \
         Set-TransportService CAS01 -MessageExpirationTimeout 1.00:00:00 -MessageRetryInterval 00:05:00 -MaxConcurrentMailboxDeliveries 8; \
         Get-TransportService CAS01 | Format-List MessageExpirationTimeout,MessageRetryInterval,MaxConcurrentMailboxDeliveries; \
         $a = Search-AdminAuditLog -Cmdlets Set-TransportService; $a.ModifiedProperties; $a.OriginalProperties",
    );
    assert!(err.contains("The value 00:00:04 isn't in the range 00:00:05 - 90.00:00:00."), "{err}");
    assert!(
        err.contains(
            "The operation couldn't be performed because object 'CAS02' couldn't be found on 'cas01.contoso.com'."
        ),
        "{err}"
    );
    assert_text(
        &out,
        "
Name                           : CAS01
MessageExpirationTimeout       : 2.00:00:00
MessageRetryInterval           : 00:15:00
MaxConcurrentMailboxDeliveries : 20



MessageExpirationTimeout       : 1.00:00:00
MessageRetryInterval           : 00:05:00
MaxConcurrentMailboxDeliveries : 8


MessageExpirationTimeout=1.00:00:00
MessageRetryInterval=00:05:00
MaxConcurrentMailboxDeliveries=8
MessageExpirationTimeout=2.00:00:00
MessageRetryInterval=00:15:00
MaxConcurrentMailboxDeliveries=20
",
    );
}

#[test]
fn a_message_held_past_message_expiration_timeout_expires_and_its_local_sender_is_told() {
    let mut t = Smtp::new();
    let alice = t.env.add_mailbox("alice", "alice@contoso.com", PASSWORD);
    ok(&t, "Set-TransportService CAS01 -MessageExpirationTimeout 00:00:05");
    t.start_transport();
    ok(&t, "Suspend-Queue CAS01\\Submission");
    assert!(send(&t, "alice@contoso.com", &[USER], "stale").starts_with("(250,"));
    // Held in Submission, it waits past the five seconds and expires; the
    // report itself is held too until Submission is resumed.
    wait_until("the message to expire", || {
        queue(&t).messages().expect("messages").iter().map(|m| m.subject.clone()).collect::<Vec<_>>()
            == ["Undeliverable: stale"]
    });
    ok(&t, "Resume-Queue CAS01\\Submission");
    wait_until("the report", || inbox_count(&t, &alice) == 1);
    assert_eq!(inbox_count(&t, &t.env.guid), 0, "the expired message was not delivered");
    let report = String::from_utf8_lossy(&inbox_messages(&t, &alice)[0]).into_owned();
    assert!(
        report.contains(
            "Final-Recipient: rfc822; bob@contoso.com\r\nAction: failed\r\nStatus: 4.4.7\r\n\
             Diagnostic-Code: smtp; 550 4.4.7 QUEUE.Expired; message expired\r\n"
        ),
        "{report}"
    );
    assert!(report.contains("bob@contoso.com\r\n#550 4.4.7 QUEUE.Expired; message expired ##\r\n"), "{report}");
}

#[test]
fn get_queue_shows_retry_with_the_last_error_while_the_mailbox_database_is_locked_and_retry_queue_delivers_at_once() {
    let mut t = Smtp::new();
    // An hour between attempts: only Retry-Queue brings the next one.
    ok(&t, "Set-TransportService CAS01 -MessageRetryInterval 01:00:00");
    t.start_transport();
    // Another process holds the mailbox database's write lock past the
    // delivery task's busy timeout: a real transient failure.
    let mail = rusqlite::Connection::open(mail_db_path(&t.env.store)).expect("mail db");
    mail.execute_batch("BEGIN IMMEDIATE").expect("the write lock");
    assert!(send(&t, "alice@fabrikam.com", &[USER], "later").starts_with("(250,"));
    wait_until("the delivery queue in Retry", || queue(&t).delivery_retry().expect("retry").is_some());
    let retry = queue(&t).delivery_retry().expect("retry").expect("in Retry");
    assert_eq!(retry.next_retry - retry.last_retry, 3600, "MessageRetryInterval");
    assert_text(
        &ok(
            &t,
            "Get-Queue CAS01\\1 | Format-List Identity,DeliveryType,Status,MessageCount,NextHopDomain; \
             $q = Get-Queue CAS01\\1; $q.LastError; $q.NextRetryTime -gt (Get-Date).AddMinutes(59); $q.LastRetryTime -le (Get-Date)",
        ),
        "
Identity      : CAS01\\1
DeliveryType  : SmtpDeliveryToMailbox
Status        : Retry
MessageCount  : 1
NextHopDomain : mailbox database


432 4.2.0 STOREDRV.Deliver.Exception:StorageTransientException; Failed to process message due to a transient \
exception with message The mailbox database is busy or unavailable: database is locked
True
True
",
    );
    mail.execute_batch("ROLLBACK").expect("the lock released");
    ok(&t, "Retry-Queue CAS01\\1");
    wait_until("the delivery", || inbox_count(&t, &t.env.guid) == 1);
    wait_until("the Retry state cleared", || queue(&t).delivery_retry().expect("retry").is_none());
    assert_text(&ok(&t, "Get-Queue | ForEach-Object { $_.Identity + ' ' + $_.Status }"), "CAS01\\Submission Ready\n");
    assert_text(&audit(&t, "Retry-Queue"), "administrator | Retry-Queue | CAS01\\1 | Identity=CAS01\\1 | True\n");
}

#[test]
fn the_transports_logs_age_out_and_message_tracking_can_be_turned_off() {
    let mut t = Smtp::new();
    assert_text(
        &ok(
            &t,
            "Get-TransportService | Format-List MessageTrackingLogEnabled,MessageTrackingLogMaxAge,ReceiveProtocolLogMaxAge,SendProtocolLogMaxAge",
        ),
        "
MessageTrackingLogEnabled : True
MessageTrackingLogMaxAge  : 30.00:00:00
ReceiveProtocolLogMaxAge  : 30.00:00:00
SendProtocolLogMaxAge     : 30.00:00:00


",
    );
    ok(&t, "Set-TransportService CAS01 -MessageTrackingLogEnabled $false -ReceiveProtocolLogMaxAge 2.00:00:00");
    // Logs a Transport of an earlier month left behind.
    let logs = t.env.state_dir().join("TransportRoles/Logs");
    let day = std::time::Duration::from_secs(86_400);
    let old = |folder: &str, name: &str, days: u32| {
        let dir = logs.join(folder);
        std::fs::create_dir_all(&dir).expect("log folder");
        let f = std::fs::File::create(dir.join(name)).expect("a log");
        f.set_modified(std::time::SystemTime::now() - day * days).expect("its time");
        dir.join(name)
    };
    let tracking = old("MessageTracking", "MSGTRK20261001-1.LOG", 40);
    let receive = old("Hub/ProtocolLog/SmtpReceive", "RECV20261126-1.LOG", 5);
    let front = old("FrontEnd/ProtocolLog/SmtpReceive", "RECV20261126-1.LOG", 5);
    let send = old("Hub/ProtocolLog/SmtpSend", "SEND20261126-1.LOG", 5);
    t.start_transport();
    wait_until("the logs past their age to go", || !tracking.exists() && !receive.exists() && !front.exists());
    assert!(send.exists(), "a send log younger than SendProtocolLogMaxAge stays");
    // With message tracking off, mail flows and nothing is tracked.
    let (sent, out, err) =
        t.python(&format!("{}\nprint(send(['bob@contoso.com'], 'Subject: quiet\\r\\n\\r\\nhi\\r\\n')[0])", SEND));
    assert!(sent, "{out}\n{err}");
    assert_eq!(out.trim(), "250");
    wait_until("the delivery", || t.env.inbox_uids().len() == 1);
    assert_eq!(ok(&t, "(Get-MessageTrackingLog | Measure-Object).Count"), "0\n");
    assert!(!logs.join("MessageTracking").read_dir().is_ok_and(|mut d| d.next().is_some()), "no tracking file");
}
