//! Send-MailMessage (Microsoft.PowerShell.Utility): sends a message over
//! SMTP as Windows PowerShell 5.1 does (System.Net.Mail), so that an admin
//! can test mail flow from the shell; errors read as there
//! (`Unable to connect to the remote server`, `Mailbox unavailable. The
//! server response was: ...`). The SMTP dialogue is `engines::send_mail`.

use std::time::Duration;

use base64::Engine as _;

use super::common::write_error;
use crate::engines::probe::service_certificates;
use crate::engines::send_mail::{Reply, SendError, Submission, send};
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::session::Session;
use crate::runtime::signature::{Param, ParamType as T, Signature};
use crate::runtime::value::{EnumDef, Value};
use crate::store::state_dir_for;

const CLASS: &str = "Microsoft.PowerShell.Commands.SendMailMessage";
/// System.Net.Mail.SmtpClient's default Timeout (100 s).
const TIMEOUT: Duration = Duration::from_secs(100);

static PRIORITY: EnumDef = EnumDef { type_name: "System.Net.Mail.MailPriority", members: &["Normal", "Low", "High"] };
static NOTIFICATION: EnumDef = EnumDef {
    type_name: "System.Net.Mail.DeliveryNotificationOptions",
    members: &["None", "OnSuccess", "OnFailure", "Delay", "Never"],
};

pub fn definitions() -> Vec<CmdletDef> {
    let sig = Signature::build("Send-MailMessage")
        .class(CLASS)
        .synopsis("Sends an e-mail message over SMTP (to test mail flow from the shell).")
        .description("Connects to -SmtpServer (or $PSEmailServer) on -Port (25), with STARTTLS when -UseSsl is given (the server's certificate must be trusted: the system's roots, or this store's own services' certificate), logs on with -Credential when the server offers AUTH LOGIN, and sends the message. -Encoding ASCII (the default, as in Windows PowerShell: other characters become ?) or UTF8.")
        .param(Param::new("To", T::Strings).position(0).mandatory())
        .param(Param::new("Subject", T::String).position(1).mandatory().aliases(&["sub"]))
        .param(Param::new("Body", T::String).position(2))
        .param(Param::new("SmtpServer", T::String).position(3).aliases(&["ComputerName"]))
        .param(Param::new("From", T::String).mandatory())
        .param(Param::new("Cc", T::Strings))
        .param(Param::new("Bcc", T::Strings))
        .param(Param::new("BodyAsHtml", T::Switch).aliases(&["BAH"]))
        .param(Param::new("Encoding", T::String).aliases(&["BE"]))
        .param(Param::new("Priority", T::Enum(&PRIORITY)))
        .param(Param::new("Credential", T::Credential))
        .param(Param::new("UseSsl", T::Switch))
        .param(Param::new("Port", T::Int { min: 0, max: i32::MAX as i64 }))
        .param(Param::new("Attachments", T::Strings).aliases(&["PsPath"]).help("Files sent with the message (application/octet-stream, base64)."))
        .param(
            Param::new("DeliveryNotificationOption", T::Flags(&NOTIFICATION))
                .aliases(&["DNO"])
                .help("Delivery status notifications asked for each recipient (RCPT TO's NOTIFY, when the server offers DSN): OnSuccess, OnFailure, Delay, Never, or several (OnSuccess, OnFailure). None (the default) asks nothing."),
        )
        .examples_not_self_contained()
        .example(
            "Send a test message through the Default Frontend connector",
            "Send-MailMessage -From admin@contoso.com -To jsmith@contoso.com -Subject 'Test' -Body 'Hello' -SmtpServer localhost",
            "",
        );
    vec![powershell_cmdlet!(sig, send_mail_message)]
}

fn send_mail_message(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let encoding = BodyEncoding::from_arg(args.string("Encoding").as_deref())?;
    let from_text = args.string("From").unwrap_or_default();
    let Some(from) = address(&from_text) else {
        return Err(format_error(&from_text).into());
    };
    // Recipients that are not addresses are reported and left out, as
    // MailAddress's FormatException is in Windows PowerShell.
    let mut headers = Vec::new();
    let mut envelope = Vec::new();
    for (param, header) in [("To", Some("To")), ("Cc", Some("Cc")), ("Bcc", None)] {
        let mut shown = Vec::new();
        for text in args.strings(param).unwrap_or_default() {
            match address(&text) {
                Some(a) => {
                    envelope.push(a);
                    shown.push(text.trim().to_string());
                }
                None => write_error(cx, args, format_error(&text))?,
            }
        }
        if let Some(name) = header.filter(|_| !shown.is_empty()) {
            headers.push(format!("{name}: {}", shown.join(", ")));
        }
    }
    let server = args.string("SmtpServer").or_else(|| {
        let v = cx.get_var("PSEmailServer");
        (!matches!(v, Value::Null)).then(|| v.to_text())
    });
    let Some(server) = server.filter(|s| !s.is_empty()) else {
        return Err(ErrorRecord::new(
            "The email cannot be sent because no SMTP server was specified. You must specify an SMTP server by using either the SmtpServer parameter or the $PSEmailServer variable.",
            Category::InvalidArgument,
            "",
            "InvalidOperationException",
        )
        .into());
    };
    let attachments = read_attachments(args)?;
    let message = compose(args, &from_text, &headers, encoding, &attachments);
    let submission = Submission {
        host: server,
        port: match args.int("Port") {
            Some(p) if p > 0 => u16::try_from(p).unwrap_or(u16::MAX),
            _ => 25,
        },
        use_ssl: args.switch("UseSsl"),
        extra_roots: service_certificates(&state_dir_for(&cx.store_path)),
        credential: match args.get("Credential") {
            Some(Value::Credential(c)) => Some((c.user.clone(), c.password.to_string())),
            _ => None,
        },
        client_name: crate::store::host_name(),
        timeout: TIMEOUT,
        notify: notify_keywords(args),
    };
    if envelope.is_empty() {
        // Every recipient was refused as an address: System.Net.Mail
        // refuses a message without one.
        return write_error(cx, args, smtp_error("A recipient must be specified.", "InvalidOperationException"));
    }
    match send(&submission, &from, &envelope, &message) {
        Ok(sent) if sent.refused.is_empty() => Ok(()),
        Ok(sent) => write_error(cx, args, recipients_error(&sent.refused, !sent.data_sent)),
        Err(e) => write_error(cx, args, send_error(&e)),
    }
}

/// -DeliveryNotificationOption in RCPT TO's words (NOTIFY=, RFC 3461);
/// None when it asks nothing (None, or not given).
fn notify_keywords(args: &Args) -> Option<String> {
    let members = match args.get("DeliveryNotificationOption") {
        Some(Value::Array(items)) => items.snapshot(),
        _ => return None,
    };
    let names: Vec<String> = members.iter().map(|m| m.to_text().to_ascii_lowercase()).collect();
    if names.iter().any(|n| n == "never") {
        return Some("NEVER".into());
    }
    let words: Vec<&str> = [("onsuccess", "SUCCESS"), ("onfailure", "FAILURE"), ("delay", "DELAY")]
        .into_iter()
        .filter(|(name, _)| names.iter().any(|n| n == name))
        .map(|(_, word)| word)
        .collect();
    if words.is_empty() { None } else { Some(words.join(",")) }
}

/// The address in `text` (`user@domain` or `Name <user@domain>`), as
/// MailAddress takes it; None when it is not one.
fn address(text: &str) -> Option<String> {
    let text = text.trim();
    let bare = match (text.rfind('<'), text.ends_with('>')) {
        (Some(open), true) => &text[open + 1..text.len() - 1],
        (None, false) => text,
        _ => return None,
    };
    let (local, domain) = bare.split_once('@')?;
    let fine = |part: &str| !part.is_empty() && !part.chars().any(|c| c.is_whitespace() || "<>@,;\"".contains(c));
    (fine(local) && fine(domain) && !domain.starts_with('.') && !domain.ends_with('.')).then(|| bare.to_string())
}

fn format_error(text: &str) -> ErrorRecord {
    ErrorRecord::new(
        "The specified string is not in the form required for an e-mail address.",
        Category::InvalidType,
        "FormatException",
        "FormatException",
    )
    .with_target(text.trim(), "String")
}

/// -Encoding: what the subject and body are sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyEncoding {
    /// Windows PowerShell's default: characters beyond ASCII become `?`.
    Ascii,
    Utf8,
}

impl BodyEncoding {
    fn from_arg(name: Option<&str>) -> Result<BodyEncoding> {
        match name.map(str::to_ascii_lowercase).as_deref() {
            None | Some("ascii") | Some("us-ascii") => Ok(BodyEncoding::Ascii),
            Some("utf8") | Some("utf-8") => Ok(BodyEncoding::Utf8),
            Some(other) => Err(ErrorRecord::new(
                format!("Send-MailMessage -Encoding {other} is not implemented by mailsh: use ASCII or UTF8."),
                Category::NotImplemented,
                "EncodingNotSupported",
                "PSNotSupportedException",
            )
            .into()),
        }
    }

    fn charset(self) -> &'static str {
        match self {
            BodyEncoding::Ascii => "us-ascii",
            BodyEncoding::Utf8 => "utf-8",
        }
    }

    fn ascii(text: &str) -> String {
        text.chars().map(|c| if c.is_ascii() { c } else { '?' }).collect()
    }

    /// A header field's text: ASCII as it is, UTF-8 as an encoded word
    /// when it needs one (RFC 2047).
    fn header(self, text: &str) -> String {
        match self {
            BodyEncoding::Ascii => BodyEncoding::ascii(text),
            BodyEncoding::Utf8 if text.is_ascii() => text.to_string(),
            BodyEncoding::Utf8 => {
                format!("=?utf-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(text.as_bytes()))
            }
        }
    }
}

/// -Attachments: each file's name and bytes. A file that cannot be read
/// stops the cmdlet before anything is sent (PathUtils'
/// ReportFileOpenFailure).
fn read_attachments(args: &Args) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for given in args.strings("Attachments").unwrap_or_default() {
        let path = super::paths::full_path(&given);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut rec = super::paths::not_found(&path.display().to_string());
                rec.category = Category::OpenError;
                rec.error_id = "FileOpenFailure".into();
                return Err(rec.into());
            }
            Err(e) => return Err(super::paths::io_error(&path.display().to_string(), &e, "FileOpenFailure").into()),
        };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(given);
        out.push((name, bytes));
    }
    Ok(out)
}

/// A MIME parameter value, quoted when it must be (RFC 2045 tspecials).
fn parameter(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_graphic() && !"()<>@,;:\\\"/[]?=".contains(c)) {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace(['\\', '"'], "_"))
    }
}

/// The message: its header (as System.Net.Mail writes one) and body, with
/// the attachments after the text in multipart/mixed.
fn compose(
    args: &Args,
    from: &str,
    recipients: &[String],
    encoding: BodyEncoding,
    attachments: &[(String, Vec<u8>)],
) -> Vec<u8> {
    let subject = args.string("Subject").unwrap_or_default();
    let body = args.string("Body").unwrap_or_default();
    let mut lines = vec!["MIME-Version: 1.0".to_string(), format!("From: {}", from.trim())];
    lines.extend(recipients.iter().cloned());
    match args.string("Priority").map(|p| p.to_ascii_lowercase()).as_deref() {
        Some("high") => lines.extend(["X-Priority: 1", "Priority: urgent", "Importance: high"].map(String::from)),
        Some("low") => lines.extend(["X-Priority: 5", "Priority: non-urgent", "Importance: low"].map(String::from)),
        _ => {}
    }
    lines.push(format!("Date: {}", chrono::Local::now().format("%-d %b %Y %H:%M:%S %z")));
    lines.push(format!("Subject: {}", encoding.header(&subject)));
    let kind = if args.switch("BodyAsHtml") { "text/html" } else { "text/plain" };
    let mut part = vec![format!("Content-Type: {kind}; charset={}", encoding.charset())];
    let text = match encoding {
        BodyEncoding::Ascii => {
            part.push("Content-Transfer-Encoding: quoted-printable".into());
            quoted_printable(&BodyEncoding::ascii(&body))
        }
        BodyEncoding::Utf8 => {
            part.push("Content-Transfer-Encoding: base64".into());
            base64_lines(body.as_bytes())
        }
    };
    if attachments.is_empty() {
        lines.extend(part);
        return format!("{}\r\n\r\n{text}", lines.join("\r\n")).into_bytes();
    }
    // System.Net.Mail's boundary form.
    let boundary = format!("--boundary_0_{}", crate::store::new_guid());
    lines.push(format!("Content-Type: multipart/mixed; boundary={boundary}"));
    let mut out = format!("{}\r\n\r\n--{boundary}\r\n{}\r\n\r\n{text}\r\n", lines.join("\r\n"), part.join("\r\n"));
    for (name, bytes) in attachments {
        let name = parameter(&name.chars().map(|c| if c.is_ascii() { c } else { '_' }).collect::<String>());
        out.push_str(&format!(
            "--{boundary}\r\nContent-Type: application/octet-stream; name={name}\r\nContent-Transfer-Encoding: base64\r\n\
             Content-Disposition: attachment; filename={name}\r\n\r\n{}\r\n",
            base64_lines(bytes)
        ));
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out.into_bytes()
}

/// Quoted-printable (RFC 2045) of ASCII text: `=` and control characters
/// escaped, lines kept (CRLF), soft breaks under 76 characters.
fn quoted_printable(text: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut width = 0;
        let last = line.len().saturating_sub(1);
        for (at, b) in line.bytes().enumerate() {
            let trailing_space = at == last && (b == b' ' || b == b'\t');
            let piece = if b == b'=' || (b < 32 && b != b'\t') || b > 126 || trailing_space {
                format!("={b:02X}")
            } else {
                (b as char).to_string()
            };
            if width + piece.len() > 75 {
                out.push_str("=\r\n");
                width = 0;
            }
            width += piece.len();
            out.push_str(&piece);
        }
    }
    out
}

fn base64_lines(bytes: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let lines: Vec<&str> = encoded.as_bytes().chunks(76).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    lines.join("\r\n")
}

/// System.Net.Mail's text for a reply code (SmtpException), before "The
/// server response was: ...".
fn status_text(code: u16) -> &'static str {
    match code {
        421 => "Service not available, closing transmission channel.",
        500 => "Syntax error, command unrecognized.",
        501 => "Syntax error in parameters or arguments.",
        502 => "Command not implemented.",
        503 => "Bad sequence of commands.",
        504 => "Command parameter not implemented.",
        530 => "The SMTP server requires a secure connection or the client was not authenticated.",
        550 => "Mailbox unavailable.",
        551 => "User not local; please try a different path.",
        552 => "Exceeded storage allocation.",
        553 => "Mailbox name not allowed.",
        554 => "Transaction failed.",
        _ => "Failure sending mail.",
    }
}

fn server_says(r: &Reply) -> String {
    format!("{} The server response was: {}", status_text(r.code), r.text)
}

/// Windows PowerShell's record for an SmtpException: its message (or its
/// inner exception's), the SmtpClient as target.
fn smtp_error(message: &str, reason: &str) -> ErrorRecord {
    ErrorRecord::new(message, Category::InvalidOperation, "SmtpException", reason)
        .with_exception_type(&format!("System.Net.Mail.{reason}"))
        .with_target("System.Net.Mail.SmtpClient", "SmtpClient")
}

fn send_error(e: &SendError) -> ErrorRecord {
    match e {
        SendError::Connect(_) => smtp_error("Unable to connect to the remote server", "SmtpException"),
        SendError::NoStartTls => smtp_error("Server does not support secure connections.", "SmtpException"),
        SendError::Tls(_) => {
            smtp_error("The remote certificate is invalid according to the validation procedure.", "SmtpException")
        }
        SendError::Lost(_) => {
            smtp_error("Unable to read data from the transport connection: net_io_connectionclosed.", "SmtpException")
        }
        SendError::Refused(r) => smtp_error(&server_says(r), "SmtpException"),
    }
}

/// Recipients refused at RCPT: one is SmtpFailedRecipientException with
/// the server's answer; several, SmtpFailedRecipientsException.
fn recipients_error(refused: &[(String, Reply)], all: bool) -> ErrorRecord {
    match refused {
        [(_, reply)] => smtp_error(&server_says(reply), "SmtpFailedRecipientException"),
        _ => {
            let text = if all { "Unable to send to all recipients." } else { "Unable to send to a recipient." };
            let mut rec = smtp_error(text, "SmtpFailedRecipientsException");
            rec.error_id = "SmtpFailedRecipientsException".into();
            rec
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_taken_as_mail_address_takes_them() {
        assert_eq!(address("jsmith@contoso.com").as_deref(), Some("jsmith@contoso.com"));
        assert_eq!(address(" John Smith <jsmith@contoso.com> ").as_deref(), Some("jsmith@contoso.com"));
        for bad in ["jsmith", "@contoso.com", "jsmith@", "a b@contoso.com", "John <jsmith@contoso.com", "a@b@c"] {
            assert_eq!(address(bad), None, "{bad}");
        }
    }

    #[test]
    fn quoted_printable_escapes_and_breaks_long_lines() {
        assert_eq!(quoted_printable("a=b \nc"), "a=3Db=20\r\nc");
        let long = "x".repeat(100);
        let qp = quoted_printable(&long);
        assert!(qp.lines().all(|l| l.len() <= 76), "{qp}");
        assert_eq!(qp.replace("=\r\n", ""), long);
    }

    #[test]
    fn ascii_turns_other_characters_into_question_marks_and_utf8_encodes_the_subject() {
        assert_eq!(BodyEncoding::Ascii.header("Réunion"), "R?union");
        assert_eq!(BodyEncoding::Utf8.header("Réunion"), "=?utf-8?B?UsOpdW5pb24=?=");
        assert_eq!(BodyEncoding::Utf8.header("Lunch"), "Lunch");
    }

    #[test]
    fn a_refusal_reads_as_system_net_mail_writes_it() {
        let reply = Reply {
            code: 550,
            text: "5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup".into(),
        };
        let rec = recipients_error(&[("x@contoso.com".into(), reply)], true);
        assert_eq!(
            rec.message,
            "Mailbox unavailable. The server response was: 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
        );
        assert_eq!(rec.reason, "SmtpFailedRecipientException");
    }
}
