//! Distribution groups in the mail flow, end to end: the Frontend
//! Transport takes a group's address (refusing a sender that did not log
//! on while the group requires authentication), the Transport's
//! categorizer expands it to its members' mailboxes (nested groups, each
//! mailbox once) and tracks EXPAND, and each member reads one copy over
//! IMAP4.

use crate::smtp::{SEND, SUBMISSION_LOGGED_ON, Smtp};
use crate::support::{PASSWORD, assert_text, wait_until};
use mailsh::services::Service;

/// Each member's Inbox subjects, read with imaplib.
const READ: &str = r#"
import imaplib, os
for user in ('bob@contoso.com', 'alice@contoso.com', 'carol@contoso.com'):
    m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
    m.login(user, os.environ['PASSWORD'])
    m.select('INBOX')
    typ, data = m.fetch('1:*', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
    print(user, sorted(d[1].decode().strip() for d in data if isinstance(d, tuple)))
    m.logout()
"#;

fn ok(t: &Smtp, text: &str) -> String {
    let (out, err) = t.shell(text);
    assert!(err.is_empty(), "{text}: {err}");
    out
}

#[test]
fn a_group_is_expanded_to_each_member_once_and_requires_a_logged_on_sender_until_told_otherwise() {
    let mut t = Smtp::new();
    let alice = t.env.add_mailbox("alice", "alice@contoso.com", PASSWORD);
    let carol = t.env.add_mailbox("carol", "carol@contoso.com", PASSWORD);
    // Sales: Bob, Alice and East; East: Carol and Alice (reached twice),
    // and Sales again (a loop). Nobody: no member at all.
    ok(
        &t,
        "New-DistributionGroup -Name Sales -Members bob@contoso.com,alice | Out-Null
         New-DistributionGroup -Name East -Members carol,alice | Out-Null
         Add-DistributionGroupMember Sales -Member East
         Add-DistributionGroupMember East -Member Sales
         New-DistributionGroup -Name Nobody | Out-Null",
    );
    t.env.start(Service::Imap4Backend);
    t.env.start(Service::Imap4);
    t.start_transport();
    let (sent, out, err) = t.python(&format!(
        r#"{SUBMISSION_LOGGED_ON}
print(s.sendmail('bob@contoso.com', ['sales@contoso.com'], 'Subject: logged on\r\n\r\nx\r\n'))
s.quit()
{SEND}
print(send(['sales@contoso.com'], 'Subject: anonymous\r\n\r\nx\r\n'))
print(send(['nobody@contoso.com'], 'Subject: to nobody\r\n\r\nx\r\n')[0])
"#
    ));
    assert!(sent, "{out}\n{err}");
    assert_text(&out, "{}\n(550, '5.7.1 RESOLVER.RST.AuthRequired; authentication required')\n550\n");
    ok(
        &t,
        "Set-DistributionGroup Sales -RequireSenderAuthenticationEnabled $false -EmailAddresses @{Add='team@contoso.com'}
         Set-DistributionGroup Nobody -RequireSenderAuthenticationEnabled $false",
    );
    let (sent, out, err) = t.python(&format!(
        "{SEND}\nprint(send(['team@contoso.com'], 'Subject: from the Internet\\r\\n\\r\\nx\\r\\n')[0])\n\
         print(send(['nobody@contoso.com'], 'Subject: to nobody\\r\\n\\r\\nx\\r\\n')[0])"
    ));
    assert!(sent, "{out}\n{err}");
    assert_text(&out, "250\n250\n");
    wait_until("every copy", || {
        t.env.inbox_uids().len() == 2
            && [&alice, &carol].iter().all(|g| crate::mail_queue::inbox_messages(&t, g).len() == 2)
    });
    let (read, out, err) = t.python(READ);
    assert!(read, "{out}\n{err}");
    assert_text(
        &out,
        "bob@contoso.com ['Subject: from the Internet', 'Subject: logged on']
alice@contoso.com ['Subject: from the Internet', 'Subject: logged on']
carol@contoso.com ['Subject: from the Internet', 'Subject: logged on']
",
    );
    // One EXPAND per group and message (a proxy address of the group
    // too); the empty group's too.
    assert_text(
        &ok(
            &t,
            "Get-MessageTrackingLog -EventId EXPAND | ForEach-Object { $_.Source + ' ' + $_.RelatedRecipientAddress + ' > ' + ($_.Recipients -join ',') + ' | ' + $_.MessageSubject }",
        ),
        "ROUTING Sales@contoso.com > alice@contoso.com,bob@contoso.com,East@contoso.com | logged on
ROUTING East@contoso.com > carol@contoso.com | logged on
ROUTING Sales@contoso.com > alice@contoso.com,bob@contoso.com,East@contoso.com | from the Internet
ROUTING East@contoso.com > carol@contoso.com | from the Internet
ROUTING Nobody@contoso.com >  | to nobody
",
    );
    assert_text(
        &ok(
            &t,
            "Get-MessageTrackingLog -EventId RECEIVE | ForEach-Object { \"$($_.Recipients) | $($_.MessageSubject)\" }",
        ),
        "Sales@contoso.com | logged on\nteam@contoso.com | from the Internet\nNobody@contoso.com | to nobody\n",
    );
}

/// A member at its ProhibitSendReceiveQuota gets no copy: the group's
/// RCPT was answered for all its members, so the store driver refuses the
/// copy at delivery (`552 5.2.2 STOREDRV.Deliver; mailbox full`) and the
/// sender gets a non-delivery report naming that member; the others get
/// theirs.
#[test]
fn a_full_member_of_a_group_is_reported_to_the_sender_and_the_others_get_their_copy() {
    let mut t = Smtp::new();
    let alice = t.env.add_mailbox("alice", "alice@contoso.com", PASSWORD);
    let carol = t.env.add_mailbox("carol", "carol@contoso.com", PASSWORD);
    t.env.deliver(&crate::support::message("already", "here\r\n"));
    t.env.update_mailbox(|m| m.quotas.prohibit_send_receive = Some(10));
    ok(&t, "New-DistributionGroup -Name Team -Members bob@contoso.com,carol | Out-Null");
    t.start_transport();
    // Alice logs on at Client Frontend.
    let alice_logged_on = SUBMISSION_LOGGED_ON.replace("os.environ['USER']", "'alice@contoso.com'");
    let (sent, out, err) = t.python(&format!(
        "{alice_logged_on}\nprint(s.sendmail('alice@contoso.com', ['team@contoso.com'], 'Subject: to the team\\r\\n\\r\\nx\\r\\n'))\ns.quit()"
    ));
    assert!(sent, "{out}\n{err}");
    assert_eq!(out, "{}\n");
    wait_until("Carol's copy and Alice's report", || {
        crate::mail_queue::inbox_messages(&t, &carol).len() == 1
            && crate::mail_queue::inbox_messages(&t, &alice).len() == 1
    });
    let report = String::from_utf8_lossy(&crate::mail_queue::inbox_messages(&t, &alice)[0]).into_owned();
    assert!(report.contains("Subject: Undeliverable: to the team"), "{report}");
    assert!(
        report.contains("bob@contoso.com") && report.contains("552 5.2.2 STOREDRV.Deliver; mailbox full"),
        "{report}"
    );
    assert!(report.contains("Original-Recipient: rfc822; team@contoso.com"), "{report}");
    assert_eq!(t.env.inbox_uids().len(), 1, "Bob's mailbox took nothing more");
    assert_eq!(ok(&t, "(Get-Queue | Measure-Object MessageCount -Sum).Sum"), "0\n");
}

/// A mailbox forwarding to a group's address (ForwardingSmtpAddress): the
/// Transport expands the group for the forwarded copies, each member's
/// mailbox once, and tracks EXPAND.
#[test]
fn mail_forwarded_to_a_group_reaches_each_member() {
    let mut t = Smtp::new();
    let alice = t.env.add_mailbox("alice", "alice@contoso.com", PASSWORD);
    let carol = t.env.add_mailbox("carol", "carol@contoso.com", PASSWORD);
    ok(
        &t,
        "New-DistributionGroup -Name Team -Members bob@contoso.com,alice | Out-Null
         Set-Mailbox carol -ForwardingSmtpAddress team@contoso.com -DeliverToMailboxAndForward $true",
    );
    t.start_transport();
    let (sent, out, err) =
        t.python(&format!("{SEND}\nprint(send(['carol@contoso.com'], 'Subject: for Carol\\r\\n\\r\\nx\\r\\n')[0])"));
    assert!(sent, "{out}\n{err}");
    assert_eq!(out, "250\n");
    wait_until("the three copies", || {
        t.env.inbox_uids().len() == 1
            && crate::mail_queue::inbox_messages(&t, &alice).len() == 1
            && crate::mail_queue::inbox_messages(&t, &carol).len() == 1
    });
    assert_eq!(
        ok(
            &t,
            "Get-MessageTrackingLog -EventId EXPAND | ForEach-Object { $_.RelatedRecipientAddress + ' > ' + ($_.Recipients -join ',') }"
        ),
        "Team@contoso.com > alice@contoso.com,bob@contoso.com\n"
    );
    assert_eq!(ok(&t, "(Get-Queue | Measure-Object MessageCount -Sum).Sum"), "0\n");
}
