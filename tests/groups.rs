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
