//! SMTPUTF8 (RFC 6531) end to end: internationalized addresses and header
//! fields in, as sent, only with MAIL FROM's SMTPUTF8; out only to a smart
//! host that offers it, else the sender is told.

use crate::send_connector::{Sink, ok, to_fabrikam};
use crate::smtp::{SUBMISSION_LOGGED_ON, Smtp};
use crate::support::{assert_text, wait_until};

#[test]
fn an_internationalized_message_comes_in_only_with_smtputf8_and_is_stored_as_sent() {
    let mut t = Smtp::new();
    t.start_transport();
    let (sent, out, err) = t.python(
        r#"
import os, socket
s = socket.create_connection(('127.0.0.1', int(os.environ['SMTP_PORT'])), timeout=30)
f = s.makefile('rb')
def reply():
    while True:
        line = f.readline().decode('utf-8')
        if line[3:4] != '-':
            return line.strip()
def say(text):
    s.sendall(text.encode('utf-8') + b'\r\n')
    return reply()
reply()
say('EHLO client.fabrikam.com')
print(say('MAIL FROM:<jörg@fabrikam.com>'))
print(say('MAIL FROM:<jörg@fabrikam.com> SMTPUTF8'))
print(say('RCPT TO:<bøb@contoso.com>'))
print(say('RCPT TO:<bob@contoso.com>'))
print(say('DATA'))
s.sendall('From: Jörg <jörg@fabrikam.com>\r\nTo: bob@contoso.com\r\nSubject: Grüße\r\nMessage-ID: <utf8@fabrikam.com>\r\n\r\nHallo\r\n.\r\n'.encode('utf-8'))
print(reply().split(' [')[0])
say('QUIT')
"#,
    );
    assert!(sent, "{out}\n{err}");
    assert_text(
        &out,
        "553 5.6.7 Non-ASCII addresses require the SMTPUTF8 extension
250 2.1.0 Sender OK
550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup
250 2.1.5 Recipient OK
354 Start mail input; end with <CRLF>.<CRLF>
250 2.6.0 <utf8@fabrikam.com>
",
    );
    assert_eq!(t.wait_for_inbox(1).len(), 1);
    let raw = t.env.inbox_raw().remove(0);
    assert!(raw.contains("\r\nFrom: Jörg <jörg@fabrikam.com>\r\nTo: bob@contoso.com\r\nSubject: Grüße\r\n"), "{raw}");
    assert_eq!(ok(&t, "(Get-MessageTrackingLog -EventId RECEIVE).Sender"), "jörg@fabrikam.com\n", "tracked as sent");
}

/// Sends as the test user, with SMTPUTF8, a message with a UTF-8 subject.
fn submit_utf8(t: &Smtp, to: &str, subject: &str) {
    let (ok, out, err) = t.python(&format!(
        r#"{SUBMISSION_LOGGED_ON}
s.mail(os.environ['USER'], ['SMTPUTF8'])
print(s.rcpt('{to}')[0])
print(s.data(('From: ' + os.environ['USER'] + '\r\nTo: {to}\r\nSubject: {subject}\r\n\r\nÄrger\r\n').encode('utf-8'))[0])
s.quit()
"#
    ));
    assert!(ok, "{out}\n{err}");
    assert_eq!(out, "250\n250\n");
}

#[test]
fn it_goes_out_only_to_a_smart_host_that_offers_smtputf8_else_the_sender_is_told() {
    let mut t = Smtp::new();
    let port = to_fabrikam(&t);
    let sink = Sink::start(&t, port);
    t.start_transport();
    submit_utf8(&t, "carol@fabrikam.com", "Grüße");
    wait_until("the smart host to take the message", || sink.messages().len() == 1);
    let m = &sink.messages()[0];
    assert_eq!(m["smtputf8"], true, "handed on with SMTPUTF8");
    assert!(m["data"].as_str().unwrap_or_default().contains("Subject: Grüße\r\n"), "{m}");
    drop(sink);
    let sink = Sink::start_without_smtputf8(&t, port);
    submit_utf8(&t, "dave@fabrikam.com", "Größe");
    t.wait_for_inbox(1);
    let report = t.env.inbox_raw().remove(0);
    for part in [
        "Subject: Undeliverable: Größe\r\n",
        "Final-Recipient: rfc822; dave@fabrikam.com\r\nAction: failed\r\nStatus: 5.6.7\r\nDiagnostic-Code: smtp; 550 5.6.7 The message needs SMTPUTF8 and the destination server does not offer it\r\n",
    ] {
        assert!(report.contains(part), "{part:?} in\n{report}");
    }
    // The sinks share a folder: only the first one's message is there.
    assert_eq!(sink.messages().len(), 1, "nothing was handed to a server without SMTPUTF8");
}
