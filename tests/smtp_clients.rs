//! The transport services with the command-line clients administrators
//! test Exchange with: swaks (plain on "Default Frontend", STARTTLS and
//! AUTH PLAIN/LOGIN on "Client Frontend") and curl's smtp:// (plain, and
//! STARTTLS with a login), each reading Exchange's replies; what they sent
//! is read back from the Inbox.

use std::process::Command;

use crate::smtp::Smtp;
use crate::support::{PASSWORD, USER};
use mailsh::services::Service;

/// Runs swaks with `args` against 127.0.0.1:`port`: its exit code and its
/// transcript (what it sent, `->`, and read, `<-`; `<**` a refusal), the
/// TLS part's marks (`~>`, `<~`, `<~*`) written as the others.
fn swaks(port: u16, args: &[&str]) -> (i32, String) {
    let out = Command::new("swaks")
        .args(["--server", &format!("127.0.0.1:{port}"), "--helo", "client.fabrikam.com", "--timeout", "30"])
        .args(args)
        .output()
        .expect("swaks runs (.ci/run installs it)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let text = text.replace("<~*", "<**").replace("<~ ", "<- ").replace(" ~> ", " -> ");
    (out.status.code().unwrap_or(-1), text)
}

/// The reply lines swaks read after it sent `command` (the first line
/// starting with `->` and `command`).
fn reply_to(transcript: &str, command: &str) -> String {
    let mut lines = transcript.lines().skip_while(|l| !l.trim_start().starts_with(&format!("-> {command}")));
    lines.next();
    lines
        .take_while(|l| l.trim_start().starts_with('<'))
        .map(|l| l.trim_start().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn swaks_sends_plain_and_over_starttls_with_auth_and_reads_exchanges_refusals() {
    let mut t = Smtp::new();
    t.env.start(Service::Delivery);
    t.env.start(Service::Transport);
    t.env.start(Service::FrontEndTransport);
    let (port, submission) = (t.port, t.submission);

    // Anonymous, on "Default Frontend".
    let (code, out) = swaks(port, &["--from", "alice@fabrikam.com", "--to", USER, "--header", "Subject: by swaks"]);
    assert_eq!(code, 0, "{out}");
    assert!(reply_to(&out, ".").starts_with("<-  250 2.6.0 <"), "{out}");
    assert!(reply_to(&out, ".").ends_with("Queued mail for delivery"), "{out}");
    // An unknown recipient of the organization.
    let (code, out) = swaks(port, &["--from", "alice@fabrikam.com", "--to", "nobody@contoso.com"]);
    assert_eq!(code, 24, "{out}");
    assert_eq!(
        reply_to(&out, "RCPT TO:<nobody@contoso.com>"),
        "<** 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
    );
    // Relaying to another domain without logging on.
    let (code, out) = swaks(port, &["--from", "alice@fabrikam.com", "--to", "carol@fabrikam.net"]);
    assert_eq!(code, 24, "{out}");
    assert_eq!(
        reply_to(&out, "RCPT TO:<carol@fabrikam.net>"),
        "<** 550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"
    );

    // "Client Frontend": STARTTLS, then AUTH PLAIN and AUTH LOGIN.
    for mechanism in ["PLAIN", "LOGIN"] {
        let subject = format!("Subject: submitted with AUTH {mechanism}");
        let (code, out) = swaks(
            submission,
            &[
                "--tls",
                "--auth",
                mechanism,
                "--auth-user",
                USER,
                "--auth-password",
                PASSWORD,
                "--from",
                USER,
                "--to",
                USER,
                "--header",
                &subject,
            ],
        );
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("<-  235 2.7.0 Authentication successful"), "{out}");
        assert!(reply_to(&out, ".").ends_with("Queued mail for delivery"), "{out}");
    }
    // Not logged on there.
    let (code, out) = swaks(submission, &["--tls", "--from", USER, "--to", USER]);
    assert_eq!(code, 23, "{out}");
    assert_eq!(reply_to(&out, &format!("MAIL FROM:<{USER}>")), "<** 530 5.7.1 Client was not authenticated");
    // A sender that is not the user's (SendAs).
    let (code, out) = swaks(
        submission,
        &[
            "--tls",
            "--auth",
            "PLAIN",
            "--auth-user",
            USER,
            "--auth-password",
            PASSWORD,
            "--from",
            "ceo@contoso.com",
            "--to",
            USER,
        ],
    );
    assert_eq!(code, 23, "{out}");
    assert_eq!(
        reply_to(&out, "MAIL FROM:<ceo@contoso.com>"),
        "<** 550 5.7.60 SMTP; Client does not have permissions to send as this sender"
    );
    // A wrong password.
    let (code, out) =
        swaks(submission, &["--tls", "--auth", "PLAIN", "--auth-user", USER, "--auth-password", "wrong", "--to", USER]);
    assert_eq!(code, 28, "{out}");
    assert!(out.contains("<** 535 5.7.3 Authentication unsuccessful"), "{out}");

    assert_eq!(t.wait_for_inbox(3).len(), 3);
    let raw = t.env.inbox_raw().join("\n");
    for subject in ["by swaks", "submitted with AUTH PLAIN", "submitted with AUTH LOGIN"] {
        assert!(raw.contains(&format!("Subject: {subject}")), "{subject}: {raw}");
    }
}

#[test]
fn curl_sends_over_smtp_plain_and_with_starttls_and_a_login() {
    let mut t = Smtp::new();
    t.env.start(Service::Delivery);
    t.env.start(Service::Transport);
    t.env.start(Service::FrontEndTransport);
    let dir = tempfile::tempdir().expect("a temp dir");
    let curl = |url: String, extra: &[&str], subject: &str| {
        let file = dir.path().join("message.eml");
        std::fs::write(&file, format!("From: {USER}\r\nTo: {USER}\r\nSubject: {subject}\r\n\r\nSent by curl.\r\n"))
            .expect("written");
        let out = Command::new("curl")
            .args(["--silent", "--show-error", "--max-time", "30", &url, "--mail-rcpt", USER, "--upload-file"])
            .arg(&file)
            .args(extra)
            .output()
            .expect("curl runs");
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, err) =
        curl(format!("smtp://127.0.0.1:{}", t.port), &["--mail-from", "alice@fabrikam.com"], "curl plain");
    assert_eq!((code, err.as_str()), (0, ""));
    let login = format!("{USER}:{PASSWORD}");
    let (code, err) = curl(
        format!("smtp://127.0.0.1:{}", t.submission),
        &["--ssl-reqd", "--insecure", "--user", &login, "--mail-from", USER],
        "curl starttls",
    );
    assert_eq!((code, err.as_str()), (0, ""));
    // Refused: curl names the server's reply.
    let (code, err) = curl(
        format!("smtp://127.0.0.1:{}", t.submission),
        &["--ssl-reqd", "--insecure", "--mail-from", USER],
        "not logged on",
    );
    assert_eq!(code, 55, "{err}");
    assert!(err.contains("530"), "{err}");
    assert_eq!(t.wait_for_inbox(2).len(), 2);
    let raw = t.env.inbox_raw().join("\n");
    assert!(raw.contains("Subject: curl plain") && raw.contains("Subject: curl starttls"), "{raw}");
}
