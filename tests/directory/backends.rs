//! The same assertions on SQLite and on PostgreSQL: each test is one
//! function taking the store, run once per backend.

use super::{Dir, NEW_JOHN};

/// Seed 002's walk: a mailbox, IMAP4 turned off for it, the server's IMAP4
/// settings changed, and what the audit log recorded.
fn seed_walk(d: &Dir) {
    d.ok(NEW_JOHN);
    d.ok("Set-CASMailbox -Identity \"John Smith\" -IMAPEnabled $false");
    let shown = d.ok("Get-CASMailbox \"John Smith\" | Format-List Name,ImapEnabled,PopEnabled,MAPIEnabled");
    assert_eq!(shown, "\nName        : John Smith\nImapEnabled : False\nPopEnabled  : True\nMAPIEnabled : True\n\n\n");
    let r = d.run("Set-ImapSettings -Identity CAS01 -CalendarItemRetrievalOption IntranetUrl");
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            "WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server CAS01.\n"
        )
    );
    let shown = d.ok("Get-ImapSettings | Format-List Server,CalendarItemRetrievalOption,LoginType,LogFileLocation");
    assert_eq!(
        shown,
        "\nServer                      : CAS01\nCalendarItemRetrievalOption : intranetUrl\nLoginType                   : SecureLogin\nLogFileLocation             : LOGS/Logging/Imap4\n\n\n"
            .replace("LOGS", &log_root(d))
    );
    let r = d.run("Set-PopSettings -LoginType PlainTextLogin");
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert_eq!(d.ok("(Get-PopSettings).LoginType"), "PlainTextLogin\n");
    let audit = d.ok(
        "Search-AdminAuditLog | ForEach-Object { $_.CmdletName + ' ' + $_.ObjectModified + ' [' + ($_.CmdletParameters -join ';') + '] [' + ($_.ModifiedProperties -join ';') + '] [' + ($_.OriginalProperties -join ';') + ']' }",
    );
    assert_eq!(
        audit,
        "Set-PopSettings CAS01\\1 [LoginType=PlainTextLogin] [LoginType=PlainTextLogin] [LoginType=SecureLogin]\n\
         Set-ImapSettings CAS01\\1 [Identity=CAS01;CalendarItemRetrievalOption=intranetUrl] [CalendarItemRetrievalOption=intranetUrl] [CalendarItemRetrievalOption=iCalendar]\n\
         Set-CASMailbox contoso.com/Users/John Smith [Identity=John Smith;ImapEnabled=False] [ImapEnabled=False] [ImapEnabled=True]\n\
         New-Mailbox contoso.com/Users/John Smith [Name=John Smith;Alias=jsmith;FirstName=John;LastName=Smith;Password=********] [] []\n"
    );
    // The mailbox is found by each of its names, as Exchange finds it.
    for identity in [
        "jsmith",
        "JSMITH",
        "john smith",
        "jsmith@contoso.com",
        "contoso.com/Users/John Smith",
        "CONTOSO\\jsmith",
        "j*",
    ] {
        assert_eq!(d.ok(&format!("(Get-Mailbox '{identity}').Alias")), "jsmith\n", "{identity}");
    }
}

/// Where the server's protocol logs go by default: beside a SQLite store,
/// under the data folder on PostgreSQL (no store folder there).
fn log_root(d: &Dir) -> String {
    if d.store.starts_with("postgresql://") {
        "/var/lib/mailsh-test/mailsh/cas01".to_string()
    } else {
        format!("{}.d", d.store)
    }
}

#[test]
fn the_seed_walk_on_sqlite() {
    seed_walk(&Dir::sqlite());
}

#[test]
fn the_seed_walk_on_postgresql() {
    seed_walk(&Dir::postgres());
}

/// A value the cmdlet refuses changes nothing, not even the settings given
/// with it; a name already taken is Exchange's message; Set-Mailbox,
/// Remove-Mailbox and the set-based Set-CASMailbox work the same.
fn refusals_and_the_rest(d: &Dir) {
    d.ok(NEW_JOHN);
    let r = d.run("Set-CASMailbox jsmith -PopEnabled $false -ImapMessagesRetrievalMimeFormat Bogus");
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Bogus"), "{}", r.stderr);
    let r = d.run("Set-ImapSettings -MaxCommandSize 5 -LoginType PlainTextLogin");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(
        d.ok("$m = Get-CASMailbox jsmith; \"$($m.PopEnabled) $($m.ImapMessagesRetrievalMimeFormat)\""),
        "True BestBodyFormat\n"
    );
    assert_eq!(d.ok("(Get-ImapSettings).LoginType; (Get-ImapSettings).MaxCommandSize"), "SecureLogin\n10240\n");
    assert_eq!(d.ok("@(Search-AdminAuditLog).Count"), "1\n");

    let r = d.run("New-Mailbox -Name 'Other' -Alias JSMITH -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("The alias \"JSMITH\" is already being used by another recipient. Please try another alias."),
        "{}",
        r.stderr
    );
    let r = d.run("New-Mailbox -Name 'JOHN SMITH' -Alias other -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)");
    assert!(
        r.stderr.contains("The name \"JOHN SMITH\" is already being used. Please try another name."),
        "{}",
        r.stderr
    );
    assert_eq!(d.ok("@(Get-Mailbox).Count; @(Search-AdminAuditLog).Count"), "1\n1\n");

    // Where a mailbox goes: this server's database and the Users container
    // only; another is not found, never a mailbox made elsewhere.
    let new = |rest: &str| {
        d.run(&format!(
            "New-Mailbox -Name 'Pat' -Alias pat -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) {rest}"
        ))
    };
    for (rest, object) in [("-Database DB02", "DB02"), ("-OrganizationalUnit contoso.com/Sales", "contoso.com/Sales")] {
        let r = new(rest);
        assert_eq!(r.code, 1, "{rest}");
        assert!(
            r.stderr.starts_with(&format!(
                "New-Mailbox : The operation couldn't be performed because object '{object}' couldn't be found on 'cas01.contoso.com'.\n"
            )),
            "{}",
            r.stderr
        );
    }
    let r = new("-ResetPasswordOnNextLogon $true");
    assert!(
        r.stderr.starts_with("New-Mailbox : New-Mailbox -ResetPasswordOnNextLogon $true is not implemented by mailsh: IMAP4 and POP3 users cannot change their password at logon.\n"),
        "{}",
        r.stderr
    );
    assert_eq!(d.ok("@(Get-Mailbox).Count"), "1\n", "nothing was made");
    let db = d.ok("(Get-Mailbox jsmith).Database");
    // Exchange's name for a server's first database: ten digits.
    let digits = db.trim().strip_prefix("Mailbox Database ").unwrap_or_default();
    assert!(digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()), "{db}");
    d.ok(&format!(
        "{} -Database '{}' -OrganizationalUnit 'CN=Users,DC=contoso,DC=com' | Out-Null",
        "New-Mailbox -Name 'Pat' -Alias pat -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)",
        db.trim()
    ));
    d.ok("Remove-Mailbox pat -Confirm:$false");

    d.ok("New-Mailbox -Name 'Ken Sanchez' -Alias ksanchez -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null");
    d.ok("Set-Mailbox ksanchez -DisplayName 'Ken S.' -ProhibitSendQuota 2GB -ForwardingSmtpAddress ken@fabrikam.com -DeliverToMailboxAndForward $true");
    assert_eq!(
        d.ok("$m = Get-Mailbox ksanchez; \"$($m.DisplayName) $($m.ProhibitSendQuota) $($m.ForwardingSmtpAddress) $($m.DeliverToMailboxAndForward)\""),
        "Ken S. 2 GB (2,147,483,648 bytes) smtp:ken@fabrikam.com True\n"
    );
    d.ok("Set-Mailbox ksanchez -ForwardingAddress jsmith@contoso.com");
    assert_eq!(d.ok("(Get-Mailbox ksanchez).ForwardingAddress"), "contoso.com/Users/John Smith\n");
    assert_eq!(
        d.ok("$a = Search-AdminAuditLog -Cmdlets Set-Mailbox -ResultSize 1; ($a.OriginalProperties -join ';') + ' > ' + ($a.ModifiedProperties -join ';')"),
        "ForwardingAddress= > ForwardingAddress=contoso.com/Users/John Smith\n"
    );
    let r = d.run("Set-Mailbox ksanchez -ForwardingAddress nobody");
    assert!(r.stderr.contains("object 'nobody' couldn't be found"), "{}", r.stderr);
    d.ok("Set-Mailbox ksanchez -ForwardingAddress $null");
    assert_eq!(d.ok("$null -eq (Get-Mailbox ksanchez).ForwardingAddress"), "True\n");
    let r = d.run("Set-Mailbox ksanchez -Name 'john smith'");
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("is already used by another recipient"), "{}", r.stderr);

    // The pipeline over every mailbox: one set-based change, audited per mailbox.
    d.ok("Set-CASMailbox jsmith -PopEnabled $false");
    let r = d.run("Get-CASMailbox -ResultSize Unlimited | Set-CASMailbox -PopEnabled $false");
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    assert_eq!(
        r.stderr,
        "WARNING: The command completed successfully but no settings of 'contoso.com/Users/John Smith' have been modified.\n"
    );
    assert_eq!(
        d.ok("Get-CASMailbox | ForEach-Object { \"$($_.Name) $($_.PopEnabled)\" }"),
        "John Smith False\nKen Sanchez False\n"
    );
    assert_eq!(
        d.ok("Search-AdminAuditLog -Cmdlets Set-CASMailbox -ResultSize 1 | ForEach-Object { $_.ObjectModified + ' ' + ($_.CmdletParameters -join ';') + ' ' + ($_.OriginalProperties -join ';') }"),
        "contoso.com/Users/Ken Sanchez Identity=contoso.com/Users/Ken Sanchez;PopEnabled=False PopEnabled=True\n"
    );

    // A pipeline's records share a transaction, each in a savepoint: the
    // record the database refuses is undone alone, the others stay.
    let r = d.run("Get-Mailbox | Set-Mailbox -Alias shared");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("The name, alias or address of 'Ken Sanchez' is already used by another recipient."),
        "{}",
        r.stderr
    );
    assert_eq!(d.ok("Get-Mailbox | ForEach-Object Alias"), "shared\nksanchez\n");
    assert_eq!(
        d.ok("(Search-AdminAuditLog -Cmdlets Set-Mailbox -ResultSize 1).ObjectModified"),
        "contoso.com/Users/John Smith\n"
    );

    d.ok("Remove-Mailbox ksanchez -Confirm:$false");
    assert_eq!(d.ok("Get-Mailbox | ForEach-Object Name"), "John Smith\n");
    assert_eq!(d.ok("(Search-AdminAuditLog -ResultSize 1).CmdletName"), "Remove-Mailbox\n");
}

#[test]
fn refusals_and_the_rest_on_sqlite() {
    refusals_and_the_rest(&Dir::sqlite());
}

#[test]
fn refusals_and_the_rest_on_postgresql() {
    refusals_and_the_rest(&Dir::postgres());
}

/// More mailboxes than a page (500) with names of mixed case and
/// punctuation: every one listed once, in the same order on both backends
/// (SQLite's NOCASE is PostgreSQL's lower()), and found by wildcard.
fn many_mailboxes(d: &Dir) -> String {
    use mailsh::store::{CreateOptions, NewMailbox, Store};
    let options =
        CreateOptions { server_name: Some("CAS01".into()), domain: Some("contoso.com".into()), ..Default::default() };
    let mut store = Store::open_or_create(std::path::Path::new(&d.store), &options).unwrap();
    store
        .write(|tx| {
            for i in 0..1100 {
                let name = match i % 4 {
                    0 => format!("user{i:04}"),
                    1 => format!("User{i:04}b"),
                    2 => format!("USER_{i:04}"),
                    _ => format!("user-{i:04}"),
                };
                let alias = format!("a{i}");
                Store::insert_mailbox(
                    tx,
                    &NewMailbox {
                        name: name.clone(),
                        alias: alias.clone(),
                        display_name: name,
                        upn: format!("{alias}@contoso.com"),
                        primary_smtp: format!("{alias}@contoso.com"),
                        ..Default::default()
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    let names = d.ok("Get-Mailbox -ResultSize Unlimited | ForEach-Object Name");
    let lines: Vec<&str> = names.lines().collect();
    assert_eq!(lines.len(), 1100);
    let mut sorted = lines.clone();
    sorted.sort_by_key(|n| n.to_ascii_lowercase());
    sorted.dedup();
    assert_eq!(sorted, lines);
    assert_eq!(d.ok("@(Get-Mailbox 'USER1*' -ResultSize Unlimited).Count"), "50\n");
    names
}

#[test]
fn many_mailboxes_list_alike_on_both_backends() {
    assert_eq!(many_mailboxes(&Dir::sqlite()), many_mailboxes(&Dir::postgres()));
}

/// Accepted domains and the transport settings: the organization's domain
/// made at setup, a domain added, changed, made the default; a value or a
/// name refused changes nothing; the audit rows.
fn mail_flow_settings(d: &Dir) {
    let domains =
        "Get-AcceptedDomain | ForEach-Object { \"$($_.Name) $($_.DomainName) $($_.DomainType) $($_.Default)\" }";
    assert_eq!(d.ok(domains), "contoso.com contoso.com Authoritative True\n");
    assert_eq!(
        d.ok("New-AcceptedDomain -Name Fabrikam -DomainName FABRIKAM.com | ForEach-Object { \"$($_.Name) $($_.DomainName) $($_.DomainType)\" }"),
        "Fabrikam fabrikam.com Authoritative\n"
    );
    for (command, refusal) in [
        (
            "New-AcceptedDomain -Name FABRIKAM -DomainName x.com",
            "An accepted domain named \"FABRIKAM\" already exists.",
        ),
        (
            "New-AcceptedDomain -Name Other -DomainName Fabrikam.COM",
            "The accepted domain \"fabrikam.com\" already exists. Specify a different domain name.",
        ),
        ("New-AcceptedDomain -Name Other -DomainName 'bad domain'", "\"bad domain\" isn't a valid SMTP domain."),
        (
            "Set-AcceptedDomain Fabrikam -Name CONTOSO.COM -DomainType InternalRelay",
            "An accepted domain named \"CONTOSO.COM\" already exists.",
        ),
        (
            "Set-AcceptedDomain Fabrikam -DomainType Bogus -MakeDefault $true",
            "Unable to match the identifier name Bogus",
        ),
        ("Set-AcceptedDomain Nowhere -MakeDefault $true", "Nowhere"),
    ] {
        let r = d.run(command);
        assert_eq!((r.code, r.stdout.as_str()), (1, ""), "{command}: {}", r.stderr);
        assert!(r.stderr.contains(refusal), "{command}: {}", r.stderr);
    }
    assert_eq!(
        d.ok(domains),
        "contoso.com contoso.com Authoritative True\nFabrikam fabrikam.com Authoritative False\n"
    );
    d.ok("Set-AcceptedDomain fabrikam.com -DomainType InternalRelay -MakeDefault $true");
    assert_eq!(
        d.ok(domains),
        "contoso.com contoso.com Authoritative False\nFabrikam fabrikam.com InternalRelay True\n"
    );
    let r = d.run("Set-AcceptedDomain Fabrikam -DomainType InternalRelay");
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "", "WARNING: The command completed successfully but no settings of 'Fabrikam' have been modified.\n")
    );

    let limits = "Get-TransportConfig | ForEach-Object { \"$($_.MaxReceiveSize) / $($_.MaxSendSize)\" }";
    assert_eq!(d.ok(limits), "10 MB (10,485,760 bytes) / 10 MB (10,485,760 bytes)\n");
    let r = d.run("Set-TransportConfig -MaxReceiveSize 25MB -MaxSendSize Bogus");
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Cannot convert value \"Bogus\""), "{}", r.stderr);
    assert_eq!(d.ok(limits), "10 MB (10,485,760 bytes) / 10 MB (10,485,760 bytes)\n");
    d.ok("Set-TransportConfig -MaxReceiveSize 25MB -MaxSendSize Unlimited");
    assert_eq!(d.ok(limits), "25 MB (26,214,400 bytes) / Unlimited\n");

    let service = "Get-TransportService | ForEach-Object { \"$($_.Name) $($_.MessageExpirationTimeout) $($_.MessageRetryInterval) $($_.MaxConcurrentMailboxDeliveries)\" }";
    assert_eq!(d.ok(service), "CAS01 2.00:00:00 00:15:00 20\n");
    let r = d.run("Set-TransportService -MessageRetryInterval 00:10:00 -MaxConcurrentMailboxDeliveries 0");
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("The 0 argument is less than the minimum allowed range of 1."), "{}", r.stderr);
    assert_eq!(d.ok(service), "CAS01 2.00:00:00 00:15:00 20\n");
    d.ok("Set-TransportService CAS01 -MessageRetryInterval 00:10:00 -MaxConcurrentMailboxDeliveries 30");
    assert_eq!(d.ok(service), "CAS01 2.00:00:00 00:10:00 30\n");

    let audit = d.ok(
        "Search-AdminAuditLog | ForEach-Object { $_.CmdletName + ' ' + $_.ObjectModified + ' [' + ($_.CmdletParameters -join ';') + '] [' + ($_.ModifiedProperties -join ';') + '] [' + ($_.OriginalProperties -join ';') + ']' }",
    );
    assert_eq!(
        audit,
        "Set-TransportService CAS01 [Identity=CAS01;MessageRetryInterval=00:10:00;MaxConcurrentMailboxDeliveries=30] [MessageRetryInterval=00:10:00;MaxConcurrentMailboxDeliveries=30] [MessageRetryInterval=00:15:00;MaxConcurrentMailboxDeliveries=20]\n\
         Set-TransportConfig Transport Settings [MaxReceiveSize=26214400;MaxSendSize=Unlimited] [MaxReceiveSize=26214400;MaxSendSize=Unlimited] [MaxReceiveSize=10485760;MaxSendSize=10485760]\n\
         Set-AcceptedDomain Fabrikam [Identity=fabrikam.com;DomainType=InternalRelay;MakeDefault=True] [DomainType=InternalRelay;Default=True] [DomainType=Authoritative;Default=False]\n\
         New-AcceptedDomain Fabrikam [Name=Fabrikam;DomainName=FABRIKAM.com] [] []\n"
    );
}

#[test]
fn mail_flow_settings_on_sqlite() {
    mail_flow_settings(&Dir::sqlite());
}

#[test]
fn mail_flow_settings_on_postgresql() {
    mail_flow_settings(&Dir::postgres());
}
