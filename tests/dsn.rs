//! Delivery status notifications (DSN, RFC 3461) end to end: smtplib asks
//! with MAIL FROM's RET and ENVID and RCPT TO's NOTIFY and ORCPT; the
//! notifications are read back from the sender's mailbox, and a smart host
//! that offers DSN (aiosmtpd, tests/support/smtp_sink.py) is handed the
//! requests instead.

use crate::send_connector::{Sink, ok, to_fabrikam};
use crate::smtp::{SUBMISSION_LOGGED_ON, Smtp};
use crate::support::{assert_text, wait_until};

/// Sends as the test user through "Client Frontend" (STARTTLS, AUTH) one
/// message per `(recipient, MAIL options, RCPT options, subject)`; prints
/// each one's RCPT and DATA replies.
fn submit_with(t: &Smtp, messages: &[(&str, &str, &str, &str)]) -> String {
    let list: Vec<String> =
        messages.iter().map(|(to, mail, rcpt, subject)| format!("('{to}', '{mail}', '{rcpt}', '{subject}')")).collect();
    let (ok, out, err) = t.python(&format!(
        r#"{SUBMISSION_LOGGED_ON}
for to, mail, rcpt, subject in [{}]:
    s.mail(os.environ['USER'], mail.split())
    print(subject, s.rcpt(to, rcpt.split()))
    print(subject, s.data('From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@contoso.com>\r\n\r\nthe whole text\r\n' % (os.environ['USER'], to, subject, subject))[0])
s.quit()
"#,
        list.join(", ")
    ));
    assert!(ok, "{out}\n{err}");
    out
}

/// Every message in the Inbox, as text.
fn inbox(t: &Smtp) -> Vec<String> {
    t.env.inbox_raw()
}

fn with_subject<'a>(messages: &'a [String], subject: &str) -> Vec<&'a String> {
    messages.iter().filter(|m| m.contains(&format!("\r\nSubject: {subject}\r\n"))).collect()
}

fn queue_empty(t: &Smtp) {
    wait_until("the queue to empty", || ok(t, "(Get-Message | Measure-Object).Count") == "0\n");
}

#[test]
fn ehlo_offers_dsn_and_a_parameter_of_an_extension_not_offered_is_refused_by_name() {
    let mut t = Smtp::new();
    t.start_transport();
    let (sent, out, err) = t.python(
        r#"
import os, smtplib
s = smtplib.SMTP('127.0.0.1', int(os.environ['SMTP_PORT']), timeout=30)
code, text = s.ehlo('client.fabrikam.com')
print('DSN' in text.decode().split('\n'))
for line in ['MAIL FROM:<alice@fabrikam.com> REQUIRETLS', 'MAIL FROM:<alice@fabrikam.com> BODY=BINARYMIME',
             'MAIL FROM:<alice@fabrikam.com> MT-PRIORITY=3', 'MAIL FROM:<alice@fabrikam.com> ENVID=x+0D+0AAction:+20delivered',
             'MAIL FROM:<alice@fabrikam.com> RET=HDRS ENVID=QQ314159',
             'RCPT TO:<bob@contoso.com> CONNEG', 'RCPT TO:<bob@contoso.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob@Contoso.com']:
    print(s.docmd(line))
s.quit()
"#,
    );
    assert!(sent, "{out}\n{err}");
    assert_text(
        &out,
        "True
(555, b'5.5.4 Unsupported option: REQUIRETLS')
(555, b'5.5.4 Unsupported option: BODY=BINARYMIME')
(555, b'5.5.4 Unsupported option: MT-PRIORITY')
(501, b'5.5.4 Invalid arguments')
(250, b'2.1.0 Sender OK')
(555, b'5.5.4 Unsupported option: CONNEG')
(250, b'2.1.5 Recipient OK')
",
    );
}

#[test]
fn a_sender_who_asks_hears_of_the_delivery_with_envid_and_orcpt_and_one_who_does_not_hears_nothing() {
    let mut t = Smtp::new();
    t.start_transport();
    let out = submit_with(
        &t,
        &[
            (
                "bob@contoso.com",
                "RET=HDRS ENVID=QQ314159",
                "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob@Contoso.com",
                "asked",
            ),
            ("bob@contoso.com", "", "NOTIFY=FAILURE", "failures-only"),
            ("bob@contoso.com", "", "", "plain"),
        ],
    );
    assert_text(
        &out,
        "asked (250, b'2.1.5 Recipient OK')
asked 250
failures-only (250, b'2.1.5 Recipient OK')
failures-only 250
plain (250, b'2.1.5 Recipient OK')
plain 250
",
    );
    t.wait_for_inbox(4);
    queue_empty(&t);
    let messages = inbox(&t);
    assert_eq!(messages.len(), 4, "three messages and one notification");
    let notices = with_subject(&messages, "Delivered: asked");
    assert_eq!(notices.len(), 1, "{messages:#?}");
    let notice = notices[0];
    for part in [
        "From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contoso.com>\r\nTo: <bob@contoso.com>\r\n",
        "In-Reply-To: <asked@contoso.com>\r\n",
        "Content-Type: multipart/report; report-type=delivery-status;",
        "\r\n\r\nYour message has been delivered to the following recipients:\r\n\r\nbob@contoso.com\r\n\r\nSubject: asked\r\n",
        "Content-Type: message/delivery-status\r\n\r\nOriginal-Envelope-Id: QQ314159\r\nReporting-MTA: dns; cas01.contoso.com\r\n",
        "\r\n\r\nOriginal-Recipient: rfc822; Bob@Contoso.com\r\nFinal-Recipient: rfc822; bob@contoso.com\r\nAction: delivered\r\nStatus: 2.0.0\r\n",
        "Content-Type: text/rfc822-headers\r\n",
    ] {
        assert!(notice.contains(part), "{part:?} in\n{notice}");
    }
    assert!(!notice.contains("the whole text"), "a delivery notification returns the header only");
    assert_text(
        &ok(
            &t,
            "Get-MessageTrackingLog -EventId DSN | ForEach-Object { $_.EventId + ' ' + $_.Reference + ' | ' + $_.MessageSubject }",
        ),
        "DSN <asked@contoso.com> | Delivered: asked
",
    );
}

/// A recipient named by a proxy address is delivered to its mailbox's
/// primary address (tracked RESOLVE); the sender's report names both: the
/// address the sender used as Original-Recipient (RFC 3461 4.2), the
/// primary as Final-Recipient.
#[test]
fn a_proxy_address_is_resolved_to_the_primary_and_the_report_names_both() {
    let mut t = Smtp::new();
    ok(&t, "Set-Mailbox bob -EmailAddresses @{Add='smtp:robert@contoso.com'}");
    t.start_transport();
    let out = submit_with(&t, &[("Robert@Contoso.com", "", "NOTIFY=SUCCESS", "to robert")]);
    assert_text(&out, "to robert (250, b'2.1.5 Recipient OK')\nto robert 250\n");
    t.wait_for_inbox(2);
    queue_empty(&t);
    let messages = inbox(&t);
    let notices = with_subject(&messages, "Delivered: to robert");
    assert_eq!(notices.len(), 1, "{messages:#?}");
    let part = "\r\n\r\nOriginal-Recipient: rfc822; Robert@Contoso.com\r\nFinal-Recipient: rfc822; bob@contoso.com\r\nAction: delivered\r\n";
    assert!(notices[0].contains(part), "{}", notices[0]);
    assert_text(
        &ok(
            &t,
            "Get-MessageTrackingLog -MessageSubject 'to robert' | Where-Object MessageSubject -eq 'to robert' | ForEach-Object { \"$($_.EventId) $($_.Recipients) $($_.RelatedRecipientAddress)\" }",
        ),
        "RECEIVE Robert@Contoso.com \nRESOLVE bob@contoso.com Robert@Contoso.com\nDELIVER bob@contoso.com \n",
    );
    // Two addresses of one mailbox in one message: one copy.
    let before = inbox(&t).len();
    let (sent, out, err) = t.python(&format!(
        "{}\nprint(send(['robert@contoso.com', 'bob@contoso.com'], 'Subject: both\\r\\n\\r\\nx\\r\\n')[0])",
        crate::smtp::SEND
    ));
    assert!(sent && out.trim() == "250", "{out}\n{err}");
    t.wait_for_inbox(before + 1);
    queue_empty(&t);
    assert_eq!(with_subject(&inbox(&t), "both").len(), 1);
}

#[test]
fn failures_are_reported_as_notify_says_ret_full_returns_the_message_and_a_relay_is_told_as_relayed() {
    let mut t = Smtp::new();
    let port = to_fabrikam(&t);
    let sink = Sink::start(&t, port);
    t.start_transport();
    let out = submit_with(
        &t,
        &[
            ("refuse@fabrikam.com", "", "NOTIFY=NEVER", "never"),
            ("refuse@fabrikam.com", "RET=FULL ENVID=E2", "", "full"),
            ("carol@fabrikam.com", "", "NOTIFY=SUCCESS", "relayed"),
        ],
    );
    assert!(out.lines().filter(|l| l.ends_with(" 250")).count() == 3, "{out}");
    wait_until("the smart host to take the relayed message", || sink.messages().len() == 1);
    assert_eq!(sink.messages()[0]["rcpt_dsn"], serde_json::json!([""]), "a smart host without DSN is asked nothing");
    t.wait_for_inbox(2);
    queue_empty(&t);
    let messages = inbox(&t);
    assert_eq!(messages.len(), 2, "no report for NOTIFY=NEVER: {messages:#?}");
    let full = with_subject(&messages, "Undeliverable: full");
    assert_eq!(full.len(), 1, "{messages:#?}");
    for part in [
        "Original-Envelope-Id: E2\r\n",
        "Final-Recipient: rfc822; refuse@fabrikam.com\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n",
        "Content-Type: message/rfc822\r\n\r\n",
        "Subject: full\r\nMessage-ID: <full@contoso.com>\r\n\r\nthe whole text\r\n",
    ] {
        assert!(full[0].contains(part), "{part:?} in\n{}", full[0]);
    }
    let relayed = with_subject(&messages, "Relayed: relayed");
    assert_eq!(relayed.len(), 1, "{messages:#?}");
    for part in [
        "Delivery to these recipients or groups is complete, but no delivery notification was sent by the destination server:\r\n\r\ncarol@fabrikam.com\r\n",
        "Final-Recipient: rfc822; carol@fabrikam.com\r\nAction: relayed\r\nStatus: 2.0.0\r\n",
    ] {
        assert!(relayed[0].contains(part), "{part:?} in\n{}", relayed[0]);
    }
    // The recipient that asked for no report still failed, where an
    // administrator sees it.
    assert_text(
        &ok(
            &t,
            "Get-MessageTrackingLog -EventId FAIL | ForEach-Object { $_.MessageSubject + ' | ' + ($_.RecipientStatus -join ',') }",
        ),
        "never | 550 5.1.1 User unknown
full | 550 5.1.1 User unknown
",
    );
}

#[test]
fn a_smart_host_that_offers_dsn_is_handed_the_requests_and_no_notification_is_sent_from_here() {
    let mut t = Smtp::new();
    let port = to_fabrikam(&t);
    let sink = Sink::start_with_dsn(&t, port);
    t.start_transport();
    let out = submit_with(
        &t,
        &[(
            "carol@fabrikam.com",
            "RET=HDRS ENVID=QQ+2B1",
            "NOTIFY=SUCCESS,DELAY ORCPT=rfc822;Carol@Fabrikam.com",
            "handed",
        )],
    );
    assert!(out.ends_with("handed 250\n"), "{out}");
    wait_until("the smart host to take the message", || sink.messages().len() == 1);
    let m = &sink.messages()[0];
    // Through the Frontend Transport's hand-off and out again, as given.
    assert_eq!(m["mail_dsn"], "RET=HDRS ENVID=QQ+2B1");
    assert_eq!(m["rcpt_dsn"], serde_json::json!(["NOTIFY=SUCCESS,DELAY ORCPT=rfc822;Carol@Fabrikam.com"]));
    queue_empty(&t);
    assert!(inbox(&t).is_empty(), "the smart host notifies, not this server");
}

#[test]
fn a_message_still_waiting_after_delaynotificationtimeout_is_reported_once_as_delayed() {
    let mut t = Smtp::new();
    to_fabrikam(&t);
    ok(&t, "Set-TransportService CAS01 -DelayNotificationTimeout 00:00:01");
    assert_eq!(ok(&t, "(Get-TransportService).DelayNotificationTimeout.ToString()"), "00:00:01\n");
    t.start_transport();
    // Nothing listens at the smart host: both wait in Retry.
    submit_with(
        &t,
        &[("carol@fabrikam.com", "", "", "waiting"), ("dave@fabrikam.com", "", "NOTIFY=FAILURE", "failures-only")],
    );
    t.wait_for_inbox(1);
    // A third, later: by the time its notification comes, the first has
    // been looked at again and again.
    submit_with(&t, &[("erin@fabrikam.com", "", "NOTIFY=DELAY,FAILURE", "third")]);
    t.wait_for_inbox(2);
    let messages = inbox(&t);
    assert_eq!(with_subject(&messages, "Delivery delayed: waiting").len(), 1, "{messages:#?}");
    assert_eq!(with_subject(&messages, "Delivery delayed: third").len(), 1, "{messages:#?}");
    assert!(
        with_subject(&messages, "Delivery delayed: failures-only").is_empty(),
        "NOTIFY=FAILURE asks no delay notice"
    );
    let notice = with_subject(&messages, "Delivery delayed: waiting")[0];
    for part in [
        "Delivery is delayed to these recipients or groups:\r\n\r\ncarol@fabrikam.com\r\n\r\nSubject: waiting\r\n",
        "The server will keep trying to deliver this message for the next 1 days, 23 hours and 59 minutes.",
        "Final-Recipient: rfc822; carol@fabrikam.com\r\nAction: delayed\r\nStatus: 4.4.0\r\nDiagnostic-Code: smtp; 451 4.4.0 Primary target IP address responded with:",
        "Will-Retry-Until: ",
    ] {
        assert!(notice.contains(part), "{part:?} in\n{notice}");
    }
    // The messages still wait (the notices, stored in the Inbox, leave the
    // queue with the queue's commit just after).
    let count = "(Get-Message | Measure-Object).Count";
    wait_until("the notices to leave the queue", || ok(&t, count) == "3\n");
    assert_eq!(ok(&t, count), "3\n");
}

#[test]
fn a_copy_redirected_for_a_mailbox_that_keeps_none_answers_to_the_senders_notify() {
    let mut t = Smtp::new();
    ok(
        &t,
        "New-Mailbox -Name Alice -Alias alice -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null; \
         Set-Mailbox alice -ForwardingAddress bob",
    );
    t.start_transport();
    // Bob writes to Alice, asking to hear of the delivery; Alice keeps no
    // copy: the one redirected to Bob carries the request.
    submit_with(&t, &[("alice@contoso.com", "", "NOTIFY=SUCCESS", "for alice")]);
    t.wait_for_inbox(2);
    queue_empty(&t);
    let messages = inbox(&t);
    assert_eq!(messages.len(), 2, "the redirected copy and its notification: {messages:#?}");
    let notices = with_subject(&messages, "Delivered: for alice");
    assert_eq!(notices.len(), 1, "{messages:#?}");
    assert!(notices[0].contains("Final-Recipient: rfc822; bob@contoso.com\r\nAction: delivered\r\n"), "{}", notices[0]);
}
