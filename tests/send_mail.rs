//! Send-MailMessage against the real transport services: the message
//! reaches the mailbox as Windows PowerShell would have sent it, and each
//! refusal reads as there (System.Net.Mail's texts around the server's).

use crate::smtp::Smtp;
use crate::support::{USER, free_port};

const CREDENTIAL: &str = "(New-Object System.Management.Automation.PSCredential('bob@contoso.com', (ConvertTo-SecureString 'P@ssw0rd!' -AsPlainText -Force)))";

#[test]
fn send_mail_message_delivers_and_a_refused_recipient_reads_as_in_windows_powershell() {
    let mut t = Smtp::new();
    t.start_transport();
    let (out, err) = t.shell(&format!(
        "Send-MailMessage -From 'Administrator <administrator@contoso.com>' -To {USER},'Nobody <nobody@contoso.com>' \
         -Subject 'Réunion' -Body \"Ligne une`n.point\" -SmtpServer 127.0.0.1 -Port {} -Encoding UTF8 -Priority High",
        t.port
    ));
    assert_eq!(out, "");
    assert!(
        err.starts_with(
            "Send-MailMessage : Mailbox unavailable. The server response was: 5.1.10 RESOLVER.ADR.RecipientNotFound; \
             Recipient not found by SMTP address lookup\n"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "    + CategoryInfo          : InvalidOperation: (System.Net.Mail.SmtpClient:SmtpClient) [Send-MailMessage], SmtpFailedRecipientException\n    + FullyQualifiedErrorId : SmtpException,Microsoft.PowerShell.Commands.SendMailMessage"
        ),
        "{err}"
    );
    // The other recipient has it, once.
    assert_eq!(t.wait_for_inbox(1).len(), 1);
    let raw = t.env.inbox_raw().remove(0);
    for line in [
        "MIME-Version: 1.0\r\n",
        "From: Administrator <administrator@contoso.com>\r\n",
        "To: bob@contoso.com, Nobody <nobody@contoso.com>\r\n",
        "X-Priority: 1\r\nPriority: urgent\r\nImportance: high\r\n",
        "Subject: =?utf-8?B?UsOpdW5pb24=?=\r\n",
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nTGlnbmUgdW5lCi5wb2ludA==",
        "Message-ID: <",
    ] {
        assert!(raw.contains(line), "{line:?} in\n{raw}");
    }
}

#[test]
fn send_mail_message_speaks_ascii_by_default_and_refuses_as_windows_powershell_does() {
    let mut t = Smtp::new();
    t.start_transport();
    let send =
        |rest: &str| t.shell(&format!("Send-MailMessage -From admin@contoso.com -To {USER} -Subject 'Café' {rest}"));
    // Windows PowerShell's default encoding: ASCII, other characters as ?.
    let (_, err) = send(&format!("-Body 'Crème = 1' -SmtpServer localhost -Port {}", t.port));
    assert_eq!(err, "");
    assert_eq!(t.wait_for_inbox(1).len(), 1);
    let raw = t.env.inbox_raw().remove(0);
    assert!(raw.contains("Subject: Caf?\r\n"), "{raw}");
    assert!(
        raw.contains("charset=us-ascii\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCr?me =3D 1"),
        "{raw}"
    );

    let first_line = |err: &str| err.lines().next().unwrap_or_default().to_string();
    let (_, err) = send("");
    assert_eq!(
        first_line(&err),
        "Send-MailMessage : The email cannot be sent because no SMTP server was specified. You must specify an SMTP \
         server by using either the SmtpServer parameter or the $PSEmailServer variable."
    );
    let (_, err) = send(&format!("-SmtpServer 127.0.0.1 -Port {}", free_port()));
    assert_eq!(first_line(&err), "Send-MailMessage : Unable to connect to the remote server");
    assert!(
        err.contains("FullyQualifiedErrorId : SmtpException,Microsoft.PowerShell.Commands.SendMailMessage"),
        "{err}"
    );
    let (_, err) = t.shell(&format!(
        "Send-MailMessage -From 'not an address' -To {USER} -Subject s -SmtpServer 127.0.0.1 -Port {}",
        t.port
    ));
    assert_eq!(
        first_line(&err),
        "Send-MailMessage : The specified string is not in the form required for an e-mail address."
    );
    // An attachment that is not there: nothing is sent.
    let missing = t.env.dir.path().join("missing.csv");
    let (_, err) = send(&format!("-SmtpServer 127.0.0.1 -Port {} -Attachments '{}'", t.port, missing.display()));
    assert_eq!(
        first_line(&err),
        format!("Send-MailMessage : Cannot find path '{}' because it does not exist.", missing.display())
    );
    assert!(
        err.contains("FullyQualifiedErrorId : FileOpenFailure,Microsoft.PowerShell.Commands.SendMailMessage"),
        "{err}"
    );
    // Client Frontend: credentials only over TLS; the server's refusal of
    // MAIL FROM is what System.Net.Mail reports.
    let (_, err) = send(&format!("-SmtpServer 127.0.0.1 -Port {} -Credential {CREDENTIAL}", t.submission));
    assert_eq!(
        first_line(&err),
        "Send-MailMessage : The SMTP server requires a secure connection or the client was not authenticated. The \
         server response was: 5.7.1 Client was not authenticated"
    );
    // With -UseSsl (STARTTLS; the services' own certificate is trusted) the
    // user's own address may send.
    let (_, err) = t.shell(&format!(
        "Send-MailMessage -From {USER} -To {USER} -Subject 'Over TLS' -SmtpServer 127.0.0.1 -Port {} -UseSsl -Credential {CREDENTIAL}",
        t.submission
    ));
    assert_eq!(err, "", "{}", t.env.service_log(mailsh::services::Service::FrontEndTransport));
    assert_eq!(t.wait_for_inbox(2).len(), 2);
    assert!(t.env.inbox_raw()[1].contains("Subject: Over TLS\r\n"));
    // A report sent as admins send them: the text, then the file.
    let report = t.env.dir.path().join("weekly report.csv");
    std::fs::write(&report, b"Name,Count\r\nbob,3\r\n\xff").unwrap();
    let (_, err) = send(&format!(
        "-Body 'See attached.' -SmtpServer 127.0.0.1 -Port {} -Attachments '{}'",
        t.port,
        report.display()
    ));
    assert_eq!(err, "");
    assert_eq!(t.wait_for_inbox(3).len(), 3);
    let raw = t.env.inbox_raw().remove(2);
    let boundary = raw
        .lines()
        .find_map(|l| l.strip_prefix("Content-Type: multipart/mixed; boundary="))
        .expect("multipart/mixed")
        .to_string();
    assert!(boundary.starts_with("--boundary_0_"), "{raw}");
    let parts: Vec<&str> = raw.split(&format!("--{boundary}")).collect();
    assert_eq!(parts.len(), 4, "preamble, text, file, end: {raw}");
    assert!(parts[1].contains("Content-Type: text/plain; charset=us-ascii\r\n"), "{raw}");
    assert!(parts[1].contains("See attached."), "{raw}");
    assert!(
        parts[2].starts_with(
            "\r\nContent-Type: application/octet-stream; name=\"weekly report.csv\"\r\nContent-Transfer-Encoding: base64\r\n\
             Content-Disposition: attachment; filename=\"weekly report.csv\"\r\n\r\nTmFtZSxDb3VudA0KYm9iLDMNCv8=\r\n"
        ),
        "{raw}"
    );
    assert_eq!(parts[3], "--\r\n");
}

#[test]
fn delivery_notification_option_asks_the_server_for_notifications_as_system_net_mail_does() {
    let mut t = Smtp::new();
    t.start_transport();
    let send = |option: &str, subject: &str| {
        t.shell(&format!(
            "Send-MailMessage -From {USER} -To {USER} -Subject '{subject}' -Body x -SmtpServer 127.0.0.1 -Port {} \
             -DeliveryNotificationOption {option}",
            t.port
        ))
    };
    assert_eq!(send("OnSuccess, OnFailure", "both"), (String::new(), String::new()));
    assert_eq!(send("None", "none"), (String::new(), String::new()));
    let (_, err) = send("Sometimes", "bad");
    assert!(
        err.starts_with(
            "Send-MailMessage : Cannot process argument transformation on parameter 'DeliveryNotificationOption'. Cannot convert value \"Sometimes\" to type \"System.Net.Mail.DeliveryNotificationOptions\". Error: \"Unable to match the identifier name Sometimes to a valid enumerator name. Specify one of the following enumerator names and try again:\nNone, OnSuccess, OnFailure, Delay, Never\"\n"
        ),
        "{err}"
    );
    // The two messages, and the notification of the one that asked.
    assert_eq!(t.wait_for_inbox(3).len(), 3);
    let raw = t.env.inbox_raw();
    let notices: Vec<&String> = raw.iter().filter(|m| m.contains("\r\nSubject: Delivered: ")).collect();
    assert_eq!(notices.len(), 1, "{raw:#?}");
    assert!(notices[0].contains("\r\nSubject: Delivered: both\r\n"), "{}", notices[0]);
}
