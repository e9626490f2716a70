//! The IMAP4 and POP3 services of a server whose directory is on
//! PostgreSQL: they start from its shell, serve real clients from the
//! mailbox database local to the server, and follow what any server's
//! shell changes in the directory.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use super::{Dir, NEW_JOHN};
use crate::support::pty::Pty;
use crate::support::{assert_text, free_port};

const ALL: &str = "MSExchangeIMAP4BE,MSExchangeIMAP4,MSExchangePOP3BE,MSExchangePOP3";

/// Stops this server's services when the test ends, passed or not.
struct Running<'a>(&'a Dir);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let _ = self.0.run(&format!("Stop-Service {ALL}"));
    }
}

fn python(script: &str, imap: u16, pop: u16) -> Command {
    let mut c = Command::new("python3");
    c.arg("-c")
        .arg(script)
        .env("IMAP_PORT", imap.to_string())
        .env("POP_PORT", pop.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// A message appended over IMAP, then read over POP3.
const APPEND_THEN_RETR: &str = r#"
import imaplib, os, poplib
m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
m.login('jsmith@contoso.com', 'P@ssw0rd1')
msg = b'From: ann@contoso.com\r\nTo: jsmith@contoso.com\r\nSubject: from the directory\r\n\r\nHello John.\r\n'
print(m.append('INBOX', None, None, msg)[0])
m.logout()
p = poplib.POP3('127.0.0.1', int(os.environ['POP_PORT']))
p.user('jsmith@contoso.com')
p.pass_('P@ssw0rd1')
print(p.stat())
print(b'\n'.join(p.retr(1)[1]).decode())
p.quit()
"#;

/// Logs on, says so, then polls until the server closes the session.
const HOLD_UNTIL_CLOSED: &str = r#"
import imaplib, os, sys, time
m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
m.login('jsmith@contoso.com', 'P@ssw0rd1')
m.select('INBOX')
print('logged on', flush=True)
deadline = time.time() + 20
try:
    while time.time() < deadline:
        m.noop()
        time.sleep(0.1)
    print('still open')
except (imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError) as e:
    print('closed:', e)
"#;

const LOGIN: &str = r#"
import imaplib, os
m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
try:
    m.login('jsmith@contoso.com', 'P@ssw0rd1')
    print('logged on')
except imaplib.IMAP4.error as e:
    print('refused:', e)
"#;

fn output(mut c: Command) -> String {
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn imap4_and_pop3_run_on_the_directory_and_follow_a_change_made_on_another_server() {
    let d = Dir::postgres_with_services();
    d.ok(NEW_JOHN);
    let [imap, imaps, imap_be, pop, pops, pop_be] = [(); 6].map(|_| free_port());
    d.ok(&format!(
        "Set-ImapSettings -UnencryptedOrTLSBindings 127.0.0.1:{imap} -SSLBindings 127.0.0.1:{imaps} -ProxyTargetPort {imap_be} -LoginType PlainTextLogin -WarningAction SilentlyContinue
         Set-PopSettings -UnencryptedOrTLSBindings 127.0.0.1:{pop} -SSLBindings 127.0.0.1:{pops} -ProxyTargetPort {pop_be} -LoginType PlainTextLogin -WarningAction SilentlyContinue"
    ));
    d.ok(&format!("Start-Service {ALL}"));
    let _running = Running(&d);
    assert_text(
        &d.ok("Get-Service MSExchangeIMAP4*,MSExchangePOP3* | Format-Table -AutoSize"),
        "
Status  Name              DisplayName
------  ----              -----------
Running MSExchangeIMAP4   Microsoft Exchange IMAP4
Running MSExchangeIMAP4BE Microsoft Exchange IMAP4 Backend
Running MSExchangePOP3    Microsoft Exchange POP3
Running MSExchangePOP3BE  Microsoft Exchange POP3 Backend

",
    );

    // A shell that names the server by its FQDN, in another case, answers
    // for the same server and its local folder.
    assert_eq!(d.on("cas01.CONTOSO.com", "(Get-Service MSExchangeIMAP4BE).Status").stdout, "Running\n");

    // A real client appends over IMAP and reads it back over POP3: the
    // mail is in this server's own mailbox database.
    let read = output(python(APPEND_THEN_RETR, imap, pop));
    assert_eq!(
        read,
        "OK\n(1, 91)\nFrom: ann@contoso.com\nTo: jsmith@contoso.com\nSubject: from the directory\n\nHello John.\n"
    );
    let local = d.data_home.as_ref().unwrap().join("mailsh/cas01");
    // The probe logs on through this server's front end, as on a SQLite store.
    assert_eq!(
        d.ok("$cred = New-Object System.Management.Automation.PSCredential('jsmith@contoso.com', (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force))
              (Test-ImapConnectivity -MailboxCredential $cred -ConnectionType Plaintext).Result
              (Test-PopConnectivity -MailboxCredential $cred -ConnectionType Plaintext).Result"),
        "Success\nSuccess\n"
    );
    assert!(local.join("mail.db").is_file(), "{}", local.display());

    // Another server joins; its shell turns IMAP off for John: CAS01's
    // session is closed within seconds, and the next logon is refused.
    let setup = d
        .command()
        .args(["-Setup", "-Mode", "Install", "-Roles", "Mailbox", "-ServerName", "MBX01"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(setup.status.success(), "{}", String::from_utf8_lossy(&setup.stderr));
    let mut held = python(HOLD_UNTIL_CLOSED, imap, pop).spawn().unwrap();
    let mut lines = BufReader::new(held.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "logged on");
    let off = d.on("MBX01", "Set-CASMailbox jsmith -ImapEnabled $false");
    assert_eq!((off.code, off.stderr.as_str()), (0, ""));
    let closed = lines.next().unwrap().unwrap();
    assert!(closed.starts_with("closed: "), "{closed}");
    held.wait().unwrap();
    assert!(output(python(LOGIN, imap, pop)).starts_with("refused: "));

    // MBX01's services are its own: none runs there.
    let theirs = d.on("MBX01", "(Get-Service MSExchangeIMAP4BE).Status");
    assert_eq!((theirs.stdout.as_str(), theirs.stderr.as_str()), ("Stopped\n", ""));

    d.ok(&format!("Stop-Service {ALL}"));
    assert_eq!(d.ok("Get-Service MSExchange* | ForEach-Object Status | Select-Object -Unique"), "Stopped\n");

    // The interactive shell keeps its history in the server's folder too;
    // everything there is the owner's alone.
    let mut repl = Pty::spawn(d.command());
    repl.expect("[PS] CAS01>");
    repl.run("(Get-ExchangeServer).Count");
    repl.send_line("exit");
    assert_eq!(repl.wait_exit(), Some(0));
    assert_eq!(std::fs::read_to_string(local.join("history.txt")).unwrap(), "(Get-ExchangeServer).Count\nexit\n");
    for made in ["mail.db", "logons.db", "certs", "services/MSExchangeIMAP4.state"] {
        assert!(local.join(made).exists(), "{made}");
    }
    // The key front ends prove to back ends is the organization's, in the
    // directory: every server's front end reaches every server's back end.
    assert!(!local.join("proxy.key").exists());
    assert_eq!(crate::security::loose_files(d.data_home.as_ref().unwrap()), Vec::<String>::new());
}
