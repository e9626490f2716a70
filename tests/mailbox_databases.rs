//! Mailbox databases end to end: New-MailboxDatabase and Mount-Database,
//! a mailbox placed in one (New-Mailbox -Database), mail delivered into its
//! own file and read over IMAP4 and POP3; Dismount-Database: its users are
//! told they are authenticated but not connected (an open session closes),
//! mail for them waits in the queue while the other database's users are
//! served, and is delivered once it is mounted again.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use mailsh::services::Service;

use crate::smtp::{SEND, Smtp};
use crate::support::*;

const NEW_ANN: &str = "New-Mailbox -Name 'Ann Beck' -Alias ann -Database DB02 \
    -Password (ConvertTo-SecureString -String 'P@ssw0rd2' -AsPlainText -Force) | Format-List Name,Database,ServerName";

fn ok(t: &Smtp, text: &str) -> String {
    let (out, err) = t.shell(text);
    assert_eq!(err, "", "{text}\n{out}");
    out
}

/// A Python script for Ann (`ANN`, `ANN_PASSWORD`) with the test's ports.
fn ann_script(t: &Smtp, script: &str) -> Command {
    let mut c = Command::new("python3");
    c.arg("-c")
        .arg(script)
        .env("IMAP_PORT", t.env.plain_port.to_string())
        .env("POP_PORT", t.env.pop.plain.to_string())
        .env("SMTP_PORT", t.port.to_string())
        .env("ANN", "ann@contoso.com")
        .env("ANN_PASSWORD", "P@ssw0rd2")
        .env("USER", USER)
        .env("PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn output(mut c: Command) -> String {
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// How many messages POP3 shows `who` (`ANN` or `USER`), or the refusal.
const POP_COUNT: &str = r#"
import os, poplib, sys
who = sys.argv[1]
p = poplib.POP3('127.0.0.1', int(os.environ['POP_PORT']))
p.user(os.environ[who])
try:
    p.pass_(os.environ[who + '_PASSWORD' if who == 'ANN' else 'PASSWORD'])
    print(p.stat()[0])
    p.quit()
except poplib.error_proto as e:
    print(e.args[0].decode())
"#;

fn pop_count(t: &Smtp, who: &str) -> String {
    let mut c = ann_script(t, POP_COUNT);
    c.arg(who);
    output(c).trim().to_string()
}

/// Ann logs on over IMAP and holds her session until the server closes it.
const ANN_HOLDS: &str = r#"
import imaplib, os, time
m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
m.login(os.environ['ANN'], os.environ['ANN_PASSWORD'])
print(m.select('INBOX')[1][0].decode(), flush=True)
deadline = time.time() + 20
try:
    while time.time() < deadline:
        m.noop()
        time.sleep(0.1)
    print('still open')
except (imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError) as e:
    print('closed')
"#;

/// Ann's IMAP logon while her database is dismounted: refused, then every
/// command but LOGOUT is told she is not connected.
const ANN_NOT_CONNECTED: &str = r#"
import imaplib, os
m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
try:
    m.login(os.environ['ANN'], os.environ['ANN_PASSWORD'])
except imaplib.IMAP4.error as e:
    print('login:', e)
try:
    m.noop()
except imaplib.IMAP4.error as e:
    print('noop:', e)
"#;

#[test]
fn each_mailbox_is_served_from_its_database_and_a_dismounted_one_holds_its_mail_until_mounted() {
    let mut t = Smtp::new();
    assert_text(
        &ok(&t, "New-MailboxDatabase -Name DB02 -Server CAS01"),
        "
Name                           Server          Recovery        ReplicationType
----                           ------          --------        ---------------
DB02                           CAS01           False           None

",
    );
    // A new database is dismounted until Mount-Database, as in Exchange.
    assert_eq!(
        ok(
            &t,
            "(Get-MailboxDatabase DB02 -Status).Mounted; Mount-Database DB02; (Get-MailboxDatabase DB02 -Status).Mounted"
        ),
        "False\nTrue\n"
    );
    assert_text(&ok(&t, NEW_ANN), "\nName       : Ann Beck\nDatabase   : DB02\nServerName : cas01\n\n\n");
    t.env.start(Service::Imap4Backend);
    t.env.start(Service::Imap4);
    t.env.start_pop();
    t.start_transport();

    // Mail to both: each copy lands in its own database's file.
    let (sent, out, err) = t.python(&format!(
        "{SEND}\nprint(send(['bob@contoso.com', 'ann@contoso.com'], 'Subject: both\\r\\n\\r\\nto both\\r\\n'))"
    ));
    assert!(sent, "{out}{err}");
    t.wait_for_inbox(1);
    wait_until("Ann's copy", || pop_count(&t, "ANN") == "1");
    let db02 = t.env.state_dir().join("Mailbox/DB02/DB02.db");
    assert!(db02.is_file(), "{}", db02.display());
    assert_eq!(ok(&t, "Get-MailboxStatistics ann | ForEach-Object { \"$($_.Database) $($_.ItemCount)\" }"), "DB02 1\n");

    // Dismounted: Ann's open session closes, her logons are told she is
    // not connected, and Bob is served as before.
    let mut held = ann_script(&t, ANN_HOLDS).spawn().unwrap();
    let mut lines = BufReader::new(held.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "1");
    ok(&t, "Dismount-Database DB02 -Confirm:$false");
    assert_eq!(lines.next().unwrap().unwrap(), "closed");
    held.wait().unwrap();
    assert_eq!(
        output(ann_script(&t, ANN_NOT_CONNECTED)),
        "login: b'LOGIN failed.'\nnoop: NOOP command error: BAD [b'User is authenticated but not connected.']\n"
    );
    assert_eq!(pop_count(&t, "ANN"), "-ERR User is authenticated but not connected.");
    assert_eq!(pop_count(&t, "USER"), "1");

    // Mail for Ann waits in the queue while Bob's is delivered.
    let (sent, out, err) = t.python(&format!(
        "{SEND}\nprint(send(['ann@contoso.com', 'bob@contoso.com'], 'Subject: later\\r\\n\\r\\nwhile dismounted\\r\\n'))"
    ));
    assert!(sent, "{out}{err}");
    t.wait_for_inbox(2);
    assert_eq!(ok(&t, "(Get-Message -Queue CAS01\\1 | Measure-Object).Count"), "1\n");
    // Mounted again: it is delivered, and Ann reads both.
    ok(&t, "Mount-Database DB02");
    wait_until("Ann's second copy", || pop_count(&t, "ANN") == "2");

    // A database that holds mailboxes stays.
    let (out, err) = t.shell("Remove-MailboxDatabase DB02 -Confirm:$false");
    assert!(
        err.starts_with("Remove-MailboxDatabase : This mailbox database contains one or more mailboxes."),
        "{out}{err}"
    );
    assert_eq!(ok(&t, "(Get-Mailbox -Database DB02).Alias"), "ann\n");
}

#[test]
fn databases_are_refused_by_name_where_exchange_refuses_them() {
    let t = Smtp::new();
    let (_, err) = t.shell("New-MailboxDatabase -Name DB02 -Server MBX09");
    assert!(err.starts_with("New-MailboxDatabase : The operation couldn't be performed because object 'MBX09' couldn't be found on 'cas01.contoso.com'."), "{err}");
    let (_, err) = t.shell("New-MailboxDatabase -Name DB02 -Server CAS01 -LogFolderPath /srv/logs");
    assert!(
        err.starts_with("New-MailboxDatabase : New-MailboxDatabase -LogFolderPath is not implemented by mailsh"),
        "{err}"
    );
    let (_, err) = t.shell("New-MailboxDatabase -Name DB02 -Server CAS01 -EdbFilePath 'D:\\DB02\\DB02.edb'");
    assert!(
        err.starts_with("New-MailboxDatabase : EdbFilePath \"D:\\DB02\\DB02.edb\" isn't an absolute path on CAS01"),
        "{err}"
    );
    ok(&t, "New-MailboxDatabase -Name DB02 -Server CAS01 | Out-Null");
    // Two databases never share a file.
    ok(&t, "New-MailboxDatabase -Name DB_3 -Server CAS01 | Out-Null");
    let (_, err) = t.shell("New-MailboxDatabase -Name DB.3 -Server CAS01");
    assert!(
        err.starts_with("New-MailboxDatabase : The file Mailbox/DB_3/DB_3.db is already the database DB_3's"),
        "{err}"
    );
    ok(&t, "Remove-MailboxDatabase DB_3 -Confirm:$false -WarningAction SilentlyContinue");
    let (_, err) = t.shell("New-MailboxDatabase -Name db02 -Server CAS01");
    assert!(err.starts_with("New-MailboxDatabase : A mailbox database named db02 already exists."), "{err}");
    let (_, err) = t.shell("New-Mailbox -Name Pat -Database DB09 -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)");
    assert!(err.starts_with("New-Mailbox : The operation couldn't be performed because object 'DB09' couldn't be found on 'cas01.contoso.com'."), "{err}");
    // An empty database goes, with Exchange's reminder that its file stays.
    let (out, err) = t.shell("Remove-MailboxDatabase DB02 -Confirm:$false");
    assert_eq!(out, "");
    assert_eq!(
        err,
        format!(
            "WARNING: The specified database has been removed. You must remove the database file located in {} from your computer manually if it exists. Specified database: DB02\n",
            t.env.state_dir().join("Mailbox/DB02/DB02.db").display()
        )
    );
    assert_eq!(ok(&t, "@(Get-MailboxDatabase).Count"), "1\n");
}

/// Bob's session while his mailbox moves: logged on, flags one message,
/// then polls until the server closes the session.
const BOB_HOLDS: &str = r#"
import imaplib, os, time
m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
m.login(os.environ['USER'], os.environ['PASSWORD'])
m.select('INBOX')
m.uid('STORE', '2', '+FLAGS', '(\\Flagged)')
print('logged on', flush=True)
deadline = time.time() + 30
try:
    while time.time() < deadline:
        m.noop()
        time.sleep(0.1)
    print('still open')
except (imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError):
    print('closed')
"#;

/// What Bob sees after the move: UIDVALIDITY, each message's UID, flags
/// and subject.
const BOB_LOOKS: &str = r#"
import imaplib, os
m = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))
m.login(os.environ['USER'], os.environ['PASSWORD'])
m.select('INBOX')
print(m.response('UIDVALIDITY')[1][0].decode())
typ, data = m.uid('FETCH', '1:*', '(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
for d in data:
    if isinstance(d, tuple):
        print(d[0].decode().split(' BODY')[0], d[1].decode().strip())
"#;

#[test]
fn a_mailbox_moves_to_another_database_online_keeping_its_uids_and_losing_nothing() {
    let mut t = Smtp::new();
    ok(&t, "New-MailboxDatabase -Name DB02 -Server CAS01 | Out-Null; Mount-Database DB02");
    t.env.start(Service::Imap4Backend);
    t.env.start(Service::Imap4);
    t.env.start_pop();
    t.start_transport();
    let (sent, out, err) = t.python(&format!(
        "{SEND}\nprint(send(['bob@contoso.com'], 'Subject: one\\r\\n\\r\\n1\\r\\n'))\nprint(send(['bob@contoso.com'], 'Subject: two\\r\\n\\r\\n2\\r\\n'))"
    ));
    assert!(sent, "{out}{err}");
    t.wait_for_inbox(2);
    let before = output(ann_script(&t, BOB_LOOKS));

    // Bob stays logged on; the move closes his session, and mail sent
    // while it runs waits and is delivered into the new database.
    let mut held = ann_script(&t, BOB_HOLDS).spawn().unwrap();
    let mut lines = BufReader::new(held.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "logged on");
    let mover = Command::new(exe())
        .args(["-NonInteractive", "-Command", "New-MoveRequest -Identity bob -TargetDatabase DB02"])
        .env("MAILSH_STORE", &t.env.store)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert_eq!(lines.next().unwrap().unwrap(), "closed");
    held.wait().unwrap();
    let (sent, out, err) =
        t.python(&format!("{SEND}\nprint(send(['bob@contoso.com'], 'Subject: three\\r\\n\\r\\n3\\r\\n'))"));
    assert!(sent, "{out}{err}");
    let moved = mover.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&moved.stderr), "");
    assert_text(
        &String::from_utf8_lossy(&moved.stdout),
        "
DisplayName              Status       TargetDatabase
-----------              ------       --------------
Bob                      Completed    DB02

",
    );
    assert_eq!(ok(&t, "(Get-Mailbox bob).Database"), "DB02\n");
    wait_until("the mail that waited", || pop_count(&t, "USER") == "3");
    // The same UIDVALIDITY, UIDs and flags: clients go on where they were.
    // Each service learns of the switch at its next look at the store
    // (once a second): the IMAP4 back end may answer "not connected" for
    // that long.
    wait_until("the IMAP4 back end to serve the moved mailbox", || {
        let logon = "import imaplib, os\nm = imaplib.IMAP4('127.0.0.1', int(os.environ['IMAP_PORT']))\nm.login(os.environ['USER'], os.environ['PASSWORD'])\nm.logout()";
        ann_script(&t, logon).output().is_ok_and(|o| o.status.success())
    });
    let uidvalidity = before.lines().next().unwrap_or_default();
    assert_eq!(
        output(ann_script(&t, BOB_LOOKS)),
        format!(
            "{uidvalidity}\n1 (UID 1 FLAGS () Subject: one\n2 (UID 2 FLAGS (\\Flagged) Subject: two\n3 (UID 3 FLAGS (\\Recent) Subject: three\n"
        )
    );
    assert_eq!(t.env.inbox_uids(), Vec::<u32>::new(), "the old copy is gone");
    // Two messages carried, or three when the Transport delivered the
    // third before it noticed the move (it looks once a second): either
    // way it was copied or waited, as the listing above shows.
    let stats = ok(
        &t,
        "Get-MoveRequestStatistics bob | ForEach-Object { \"$($_.StatusDetail) $($_.PercentComplete) $($_.TotalMailboxItemCount)\" }",
    );
    assert!(stats == "Completed 100 2\n" || stats == "Completed 100 3\n", "{stats}");
    // One request at a time: the completed one is cleared first.
    let (_, err) = t
        .shell("New-MoveRequest -Identity bob -TargetDatabase (Get-MailboxDatabase | Where-Object Name -ne DB02).Name");
    assert!(
        err.starts_with(
            "New-MoveRequest : User 'contoso.com/Users/Bob' already has a move request associated with it."
        ),
        "{err}"
    );
    ok(&t, "Remove-MoveRequest bob -Confirm:$false");
    assert_eq!(ok(&t, "@(Get-MoveRequest).Count"), "0\n");
    let (_, err) = t.shell("New-MoveRequest -Identity bob -TargetDatabase DB02");
    assert!(
        err.starts_with("New-MoveRequest : The mailbox 'contoso.com/Users/Bob' is already in the database 'DB02'."),
        "{err}"
    );
}
