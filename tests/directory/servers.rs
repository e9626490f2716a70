//! The organization's servers: `mailsh -Setup` adds a server to a
//! directory on PostgreSQL (the first creates the organization) or takes
//! it out; Get-ExchangeServer lists them; each shell answers for the
//! server it names. A SQLite store is one server and takes no other.

use super::Dir;
use crate::support::{Run, assert_text};

#[test]
fn setup_adds_servers_with_their_roles_and_get_exchangeserver_lists_them() {
    let d = Dir::postgres();
    let first = d.setup(&["-Mode", "Install", "-Roles", "ClientAccess", "-ServerName", "CAS01"]);
    assert_eq!((first.code, first.stderr.as_str()), (0, ""), "{}", first.stdout);
    assert!(first.stdout.starts_with("Creating the organization contoso.com in postgresql://"), "{}", first.stdout);
    assert!(
        first.stdout.ends_with(
            " with its first server, CAS01 (cas01.contoso.com).\n    Roles: ClientAccess\n\nThe Exchange Server setup operation completed successfully.\n"
        ),
        "{}",
        first.stdout
    );
    let mbx01 = d.setup(&["-Mode", "Install", "-Roles", "Mailbox", "-ServerName", "MBX01"]);
    assert_eq!((mbx01.code, mbx01.stderr.as_str()), (0, ""));
    assert!(
        mbx01.stdout.starts_with("Adding MBX01 (mbx01.contoso.com) to the organization contoso.com in "),
        "{}",
        mbx01.stdout
    );
    let mbx02 = d.setup(&["-Roles", "mb,ca", "-ServerName", "MBX02"]);
    assert_eq!((mbx02.code, mbx02.stderr.as_str()), (0, ""));
    let again = d.setup(&["-Mode", "Install", "-Roles", "Mailbox", "-ServerName", "mbx01"]);
    assert_eq!(
        (again.code, again.stderr.as_str()),
        (1, "Setup: A server named mbx01 (mbx01.contoso.com) is already a member of the organization.\n")
    );
    assert_text(
        &d.ok("Get-ExchangeServer"),
        "
Name  Site                                                    ServerRole            Edition  AdminDisplayVersion
----  ----                                                    ----------            -------  -------------------
CAS01 contoso.com/Configuration/Sites/Default-First-Site-Name ClientAccess          Standard Version 15.0 (Build 1497.2)
MBX01 contoso.com/Configuration/Sites/Default-First-Site-Name Mailbox               Standard Version 15.0 (Build 1497.2)
MBX02 contoso.com/Configuration/Sites/Default-First-Site-Name Mailbox, ClientAccess Standard Version 15.0 (Build 1497.2)

",
    );
    assert_eq!(
        d.ok("Get-ExchangeServer mbx02.contoso.com | Format-List Name,Fqdn,ServerRole,IsMailboxServer,IsClientAccessServer")
            .trim(),
        "Name                 : MBX02
Fqdn                 : mbx02.contoso.com
ServerRole           : Mailbox, ClientAccess
IsMailboxServer      : True
IsClientAccessServer : True"
    );
    // Each shell answers for the server it names: MBX01's shell makes
    // mailboxes on MBX01.
    let made = d.on(
        "MBX01",
        &format!(
            "{}; (Get-Mailbox jsmith).ServerName; (Get-ExchangeServer MBX01).IsClientAccessServer",
            super::NEW_JOHN
        ),
    );
    assert_eq!((made.code, made.stdout.as_str(), made.stderr.as_str()), (0, "mbx01\nFalse\n", ""));
    let stranger = d.on("MBX09", "Get-ExchangeServer");
    assert_eq!(stranger.code, 1, "{}", stranger.stdout);
    assert!(
        stranger.stderr.contains(
            "could not be opened: MBX09 is not a server of this organization; add it with `mailsh -Setup -Mode Install -Roles Mailbox,ClientAccess -ServerName MBX09 -Store <directory>`"
        ),
        "{}",
        stranger.stderr
    );
    let unnamed = {
        let o = d.command().env_remove("MAILSH_SERVER").args(["-Command", "Get-ExchangeServer"]).output().unwrap();
        Run::from(o)
    };
    assert!(
        unnamed.stderr.contains("the organization has 3 servers: name this one with -ServerName or $MAILSH_SERVER"),
        "{}",
        unnamed.stderr
    );
    assert_eq!(
        d.run("Get-ExchangeServer MBX09").stderr.lines().next().unwrap_or_default(),
        "Get-ExchangeServer : The operation couldn't be performed because object 'MBX09' couldn't be found on 'cas01.contoso.com'."
    );
    // Out again, once its mailbox database is gone (Setup will not lose
    // mailboxes); the first server holds the organization's record.
    let held = d.setup(&["-Mode", "Uninstall", "-ServerName", "MBX02"]);
    assert_eq!(held.code, 1);
    assert!(held.stderr.starts_with("Setup: MBX02 still has mailbox databases (Mailbox Database "), "{}", held.stderr);
    assert!(held.stderr.ends_with("): remove them with Remove-MailboxDatabase first.\n"), "{}", held.stderr);
    d.ok("Get-MailboxDatabase -Server MBX02 | Remove-MailboxDatabase -Confirm:$false -WarningAction SilentlyContinue");
    let out = d.setup(&["-Mode", "Uninstall", "-ServerName", "MBX02"]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (
            0,
            "Removing MBX02 (mbx02.contoso.com) from the organization contoso.com.\n\nThe Exchange Server setup operation completed successfully.\n",
            ""
        )
    );
    let first_out = d.setup(&["-Mode", "Uninstall", "-ServerName", "CAS01"]);
    assert_eq!(
        (first_out.code, first_out.stderr.as_str()),
        (
            1,
            "Setup: CAS01 is the organization's first server: it holds the organization's record and cannot be removed.\n"
        )
    );
    let gone = d.setup(&["-Mode", "Uninstall", "-ServerName", "MBX02"]);
    assert_eq!((gone.code, gone.stderr.as_str()), (1, "Setup: MBX02 is not a server of this organization.\n"));
    assert_eq!(d.ok("(Get-ExchangeServer).Name -join ','"), "CAS01,MBX01\n");
}

#[test]
fn setup_refuses_what_it_does_not_do_by_name() {
    let d = Dir::postgres();
    for (args, message) in [
        (
            &["-Roles", "EdgeTransport", "-ServerName", "EDGE01"][..],
            "Setup: The Edge Transport role is not implemented by mailsh.\n",
        ),
        (
            &["-Roles", "Mailbox,Hub", "-ServerName", "MBX01"][..],
            "Setup: 'Hub' is not a valid role. The roles are Mailbox and ClientAccess.\n",
        ),
        (&["-ServerName", "MBX01"][..], "Setup: -Roles names the server's roles: Mailbox, ClientAccess.\n"),
        (
            &["-Mode", "Upgrade", "-ServerName", "MBX01"][..],
            "Setup: -Mode upgrade is not implemented by mailsh: Install and Uninstall are.\n",
        ),
    ] {
        let r = d.setup(args);
        assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (1, "", message), "{args:?}");
    }
    // A SQLite store is one server.
    let lite = Dir::sqlite();
    let r = lite.setup(&["-Roles", "Mailbox", "-ServerName", "MBX01"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        format!(
            "Setup: Setup adds a server to an organization whose directory is on PostgreSQL (-Store postgresql://...); the SQLite store '{}' is one server with both roles.\n",
            lite.store
        )
    );
    assert_text(
        &lite.ok("Get-ExchangeServer | Format-Table Name,ServerRole -AutoSize"),
        "
Name  ServerRole
----  ----------
CAS01 Mailbox, ClientAccess

",
    );
}

#[test]
fn each_server_has_its_own_imap4_and_pop3_settings_changed_from_any_server() {
    let d = Dir::postgres();
    d.ok("Get-ExchangeServer | Out-Null");
    let added = d.setup(&["-Roles", "Mailbox", "-ServerName", "MBX01"]);
    assert_eq!((added.code, added.stderr.as_str()), (0, ""));
    // From CAS01's shell, MBX01's settings: Exchange's defaults for MBX01.
    assert_eq!(
        d.ok("Get-ImapSettings -Server MBX01 | ForEach-Object { \"$($_.Server) $($_.Identity) $($_.LoginType) $($_.X509CertificateName)\" }"),
        "MBX01 MBX01\\1 SecureLogin mbx01.contoso.com\n"
    );
    let set = d.run("Set-ImapSettings -Server mbx01.contoso.com -LoginType PlainTextLogin; Set-PopSettings -Identity MBX01\\1 -MaxConnections 42");
    assert_eq!(
        (set.code, set.stderr.as_str()),
        (
            0,
            "WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server MBX01.\n\
             WARNING: Changes to POP3 settings will only take effect after all Microsoft Exchange POP3 services are restarted on server MBX01.\n"
        )
    );
    // CAS01's own are as they were; MBX01's shell sees its own changed.
    assert_eq!(
        d.ok("\"$((Get-ImapSettings).LoginType) $((Get-PopSettings).MaxConnections)\""),
        "SecureLogin 2147483647\n"
    );
    let mbx01 = d.on("MBX01", "\"$((Get-ImapSettings).LoginType) $((Get-PopSettings).MaxConnections)\"");
    assert_eq!((mbx01.stdout.as_str(), mbx01.stderr.as_str()), ("PlainTextLogin 42\n", ""));
    assert_eq!(
        d.run("Get-PopSettings -Server MBX09").stderr.lines().next().unwrap_or_default(),
        "Get-PopSettings : The operation couldn't be performed because object 'MBX09' couldn't be found on 'cas01.contoso.com'."
    );
    // A server that leaves takes its settings; one that joins again gets
    // the defaults.
    d.ok("Get-MailboxDatabase -Server MBX01 | Remove-MailboxDatabase -Confirm:$false -WarningAction SilentlyContinue");
    assert_eq!(d.setup(&["-Mode", "Uninstall", "-ServerName", "MBX01"]).code, 0);
    assert_eq!(d.setup(&["-Roles", "Mailbox", "-ServerName", "MBX01"]).code, 0);
    assert_eq!(d.ok("(Get-ImapSettings -Server MBX01).LoginType"), "SecureLogin\n");
}

/// Setup.exe typed in the shell, as on the computer being set up: the first
/// creates the organization, a computer entered with Enter-PSSession joins
/// it; Setup's switches are refused by name where mailsh does not take them.
#[test]
fn setup_exe_in_a_shell_adds_the_computer_it_answers_for() {
    let d = Dir::postgres();
    let r = d.run(
        "Setup.exe /m:install /r:MB,CA /Address:127.0.0.2
         \"exit $LASTEXITCODE\"
         .\\Setup.exe /Mode:Install /Roles:ClientAccess,Mailbox /IAcceptExchangeServerLicenseTerms /OrganizationName:Contoso
         D:\\Setup.exe /m:install /r:MB,CA /IAcceptExchangeServerLicenseTerms
         \"exit $LASTEXITCODE\"",
    );
    assert_eq!(
        r.stderr,
        "Setup: To run Setup unattended, accept the Exchange Server license terms with the /IAcceptExchangeServerLicenseTerms switch.\n\
         Setup: The switch /OrganizationName is not implemented by mailsh's Setup.\n"
    );
    assert!(r.stdout.starts_with("exit 1\nCreating the organization contoso.com in postgresql://"), "{}", r.stdout);
    assert!(r.stdout.ends_with(" with its first server, CAS01 (cas01.contoso.com).\n    Roles: Mailbox, ClientAccess\n\nThe Exchange Server setup operation completed successfully.\nexit 0\n"), "{}", r.stdout);
    // A computer that is not a server yet is entered to run its Setup; the
    // shell then answers for it, until Exit-PSSession.
    let r = d.run(
        "Enter-PSSession mbx05
         Get-ExchangeServer
         Setup /Mode:Install /Roles:mb /IAcceptExchangeServerLicenseTerms | Select-Object -First 1
         @(Get-Mailbox -Server MBX05).Count
         Exit-PSSession
         Get-ExchangeServer | ForEach-Object { \"$($_.Name): $($_.ServerRole)\" }",
    );
    // Before its Setup, the computer is no server of the organization.
    assert!(r.stderr.starts_with("Get-ExchangeServer : "), "{}", r.stderr);
    assert!(r.stderr.contains("MBX05 is not a server of this organization; add it with"), "{}", r.stderr);
    assert!(
        r.stdout.starts_with("Adding MBX05 (mbx05.contoso.com) to the organization contoso.com in postgresql://"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.ends_with(".\n0\nCAS01: Mailbox, ClientAccess\nMBX05: Mailbox\n"), "{}", r.stdout);
}

/// A SQLite store is one server: no session with another, no Setup.
#[test]
fn a_sqlite_store_takes_no_session_with_another_server_and_no_setup() {
    let d = Dir::sqlite();
    let r = d.run("Enter-PSSession MBX01");
    assert!(
        r.stderr.starts_with(
            "Enter-PSSession : Connecting to remote server MBX01 failed with the following error message : this shell's store is one server, CAS01: a session with another server needs the organization's directory on PostgreSQL."
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("FullyQualifiedErrorId : CreateRemoteRunspaceFailed"), "{}", r.stderr);
    let r = d.run("Enter-PSSession CAS01; (Get-ExchangeServer).Name; Exit-PSSession; Exit-PSSession; 'back'");
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("CAS01\nback\n", ""));
    let r = d.run("Setup.exe /Mode:Install /Roles:Mailbox /IAcceptExchangeServerLicenseTerms");
    assert!(
        r.stderr.starts_with("Setup: Setup adds a server to an organization whose directory is on PostgreSQL"),
        "{}",
        r.stderr
    );
}
