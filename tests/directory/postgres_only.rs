//! What only PostgreSQL has: several shells (servers) writing at once, and
//! the refusal of what is not stored there yet.

use super::{Dir, NEW_JOHN};

/// Two mailsh processes change different settings of one mailbox, forty
/// times each, at the same time: each change reads what the other
/// committed, so neither is lost, every change is audited once, and each
/// audit row's original value is the one before it.
#[test]
fn two_shells_setting_one_mailbox_lose_no_update() {
    let d = Dir::postgres();
    d.ok(NEW_JOHN);
    let toggle =
        |setting: &str| format!("foreach ($i in 1..40) {{ Set-CASMailbox jsmith -{setting} ([bool]($i % 2)) }}");
    let a = d.spawn(&toggle("PopEnabled"));
    let b = d.spawn(&toggle("MAPIEnabled"));
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(String::from_utf8_lossy(&o.stdout), "");
        assert_eq!(
            String::from_utf8_lossy(&o.stderr),
            "WARNING: The command completed successfully but no settings of 'contoso.com/Users/John Smith' have been modified.\n"
        );
    }
    // Both end on $false ($i = 40), and ImapEnabled was never touched.
    assert_eq!(
        d.ok("$m = Get-CASMailbox jsmith; \"$($m.PopEnabled) $($m.MAPIEnabled) $($m.ImapEnabled)\""),
        "False False True\n"
    );
    for setting in ["PopEnabled", "MAPIEnabled"] {
        // The first iteration sets True (no change: a warning, no audit row), then 39 changes alternating.
        let changes = audited_changes(&d, "Set-CASMailbox", setting);
        assert_eq!(changes.len(), 39, "{setting}: {changes:?}");
        for (i, change) in changes.iter().enumerate() {
            let (old, new) = if i % 2 == 0 { ("True", "False") } else { ("False", "True") };
            assert_eq!(*change, format!("{setting}={old}>{setting}={new}"), "{setting}, change {i}");
        }
    }
}

/// Set-Mailbox and Set-CASMailbox on one mailbox at the same time, forty
/// times each: Set-Mailbox reads, changes and writes in one transaction,
/// so it never writes back the CAS settings it read before the other's
/// change (it did: a MAPIEnabled change was lost now and then).
#[test]
fn set_mailbox_and_set_casmailbox_at_once_lose_no_update() {
    let d = Dir::postgres();
    d.ok(NEW_JOHN);
    assert_eq!(super::set_john_from_two_shells_at_once(&d, 40), "False 40 MB (41,943,040 bytes)\n");
    assert_eq!(audited_changes(&d, "Set-CASMailbox", "MAPIEnabled").len(), 39);
    assert_eq!(audited_changes(&d, "Set-Mailbox", "IssueWarningQuota").len(), 40);
}

/// The audit log's changes of `setting` by `cmdlet`, oldest first, each as
/// `Setting=original>Setting=new`.
fn audited_changes(d: &Dir, cmdlet: &str, setting: &str) -> Vec<String> {
    let history = d.ok(&format!(
        "Search-AdminAuditLog -Cmdlets {cmdlet} | Where-Object {{ $_.ModifiedProperties -like '{setting}=*' }} | ForEach-Object {{ ($_.OriginalProperties -join ';') + '>' + ($_.ModifiedProperties -join ';') }}"
    ));
    history.lines().rev().map(str::to_string).collect()
}

/// A directory that cannot be reached is named without its password.
#[test]
fn an_unreachable_directory_is_named_without_its_password() {
    let port = crate::support::free_port();
    let d = Dir {
        store: format!("postgresql://admin:s3cret@127.0.0.1:{port}/dir"),
        cwd: tempfile::tempdir().unwrap(),
        data_home: None,
    };
    let r = d.run("Get-Mailbox");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(&format!("The directory 'postgresql://admin:***@127.0.0.1:{port}/dir' could not be opened")),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("s3cret"), "{}", r.stderr);
}

/// Shells of several servers opening a new directory at once: it is
/// created and seeded once, and every shell works on it.
#[test]
fn shells_opening_a_new_directory_at_once_create_it_once() {
    let d = Dir::postgres();
    let shells: Vec<_> = (0..4).map(|_| d.spawn("@(Get-Mailbox).Count; (Get-ImapSettings).Server")).collect();
    for shell in shells {
        let o = shell.wait_with_output().unwrap();
        assert_eq!(String::from_utf8_lossy(&o.stderr), "");
        assert_eq!(String::from_utf8_lossy(&o.stdout), "0\nCAS01\n");
    }
}

/// Two shells change the two transport size limits at once, thirty times
/// each: each change reads what the other committed (inside its own
/// transaction), so neither limit is overwritten with a stale value and
/// each audit row's original value is the one before it.
#[test]
fn two_shells_setting_the_transport_limits_lose_no_update() {
    let d = Dir::postgres();
    d.ok("Get-TransportConfig | Out-Null");
    let toggle = |setting: &str| {
        format!(
            "foreach ($i in 1..30) {{ if ($i % 2) {{ Set-TransportConfig -{setting} 20MB }} else {{ Set-TransportConfig -{setting} 30MB }} }}"
        )
    };
    let a = d.spawn(&toggle("MaxReceiveSize"));
    let b = d.spawn(&toggle("MaxSendSize"));
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        assert_eq!(String::from_utf8_lossy(&o.stderr), "");
        assert!(o.status.success());
    }
    assert_eq!(
        d.ok("$c = Get-TransportConfig; \"$($c.MaxReceiveSize) / $($c.MaxSendSize)\""),
        "30 MB (31,457,280 bytes) / 30 MB (31,457,280 bytes)\n"
    );
    for setting in ["MaxReceiveSize", "MaxSendSize"] {
        let changes = audited_changes(&d, "Set-TransportConfig", setting);
        assert_eq!(changes.len(), 30, "{setting}: {changes:?}");
        for (i, change) in changes.iter().enumerate() {
            let (old, new) = match i {
                0 => ("10485760", "20971520"),
                _ if i % 2 == 0 => ("31457280", "20971520"),
                _ => ("20971520", "31457280"),
            };
            assert_eq!(*change, format!("{setting}={old}>{setting}={new}"), "{setting}, change {i}");
        }
    }
}

/// Two shells change different settings of one receive connector, one send
/// connector and one virtual directory at once, thirty times each: each
/// change is applied to the object as its own transaction reads it, so the
/// last value each shell set is the one kept, and every change is audited.
#[test]
fn two_shells_setting_connectors_and_virtual_directories_lose_no_update() {
    let d = Dir::postgres();
    d.ok("New-SendConnector -Name 'To Fabrikam' -AddressSpaces fabrikam.com -SmartHosts 127.0.0.1 | Out-Null");
    let a = d.spawn(
        "foreach ($i in 1..30) { $size = if ($i % 2) { '20MB' } else { '30MB' }; \
         Set-ReceiveConnector 'Default Frontend CAS01' -MaxMessageSize $size; \
         Set-SendConnector 'To Fabrikam' -MaxMessageSize $size; \
         Set-OwaVirtualDirectory 'owa (Default Web Site)' -InternalUrl \"https://mail$i.contoso.com/owa\" }",
    );
    let b = d.spawn(
        "foreach ($i in 1..30) { Set-ReceiveConnector 'Default Frontend CAS01' -Banner \"220 banner $i\"; \
         Set-SendConnector 'To Fabrikam' -Comment \"comment $i\"; \
         Set-OwaVirtualDirectory 'owa (Default Web Site)' -ExternalUrl \"https://owa$i.contoso.com/owa\" }",
    );
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        assert_eq!(String::from_utf8_lossy(&o.stderr), "");
        assert!(o.status.success());
    }
    assert_eq!(
        d.ok("$r = Get-ReceiveConnector 'Default Frontend CAS01'; $s = Get-SendConnector 'To Fabrikam'; \
             $o = Get-OwaVirtualDirectory; \
             \"$($r.MaxMessageSize) | $($r.Banner)\"; \"$($s.MaxMessageSize) | $($s.Comment)\"; \
             \"$($o.InternalUrl) | $($o.ExternalUrl)\""),
        "30 MB (31,457,280 bytes) | 220 banner 30\n30 MB (31,457,280 bytes) | comment 30\n\
         https://mail30.contoso.com/owa | https://owa30.contoso.com/owa\n"
    );
    for (cmdlet, setting) in [
        ("Set-ReceiveConnector", "MaxMessageSize"),
        ("Set-ReceiveConnector", "Banner"),
        ("Set-SendConnector", "MaxMessageSize"),
        ("Set-SendConnector", "Comment"),
        ("Set-OwaVirtualDirectory", "InternalUrl"),
        ("Set-OwaVirtualDirectory", "ExternalUrl"),
    ] {
        assert_eq!(audited_changes(&d, cmdlet, setting).len(), 30, "{cmdlet} -{setting}");
    }
}

/// A directory made before accepted domains and the transport settings
/// were on PostgreSQL (schema 1) gets them when a newer mailsh opens it:
/// Exchange's defaults, and the organization's domain as the default
/// accepted domain.
#[test]
fn a_directory_of_schema_1_gets_its_domain_and_transport_settings() {
    let d = Dir::postgres();
    d.ok(NEW_JOHN);
    let mut client = ::postgres::Client::connect(&d.store, ::postgres::NoTls).unwrap();
    client
        .batch_execute(
            "DROP TABLE accepted_domain, transport_config, transport_service, exchange_server, service, \
             owa_virtual_directory, ecp_virtual_directory, directory_change, mailbox_database, organization_secret, service_state, move_request, \
             receive_connector, send_connector, role_group_member, web_site, distribution_group_member, distribution_group; \
             DROP INDEX mailbox_by_smtp_address; DROP FUNCTION mailsh_smtp_addresses; \
             ALTER TABLE protocol_settings DROP COLUMN server_guid; \
             ALTER TABLE protocol_settings ADD PRIMARY KEY (protocol); \
             ALTER TABLE mailbox DROP COLUMN forwarding_smtp_address, DROP COLUMN deliver_to_mailbox_and_forward, \
             DROP COLUMN forwarding_address, DROP COLUMN database_guid; \
             UPDATE mailsh_schema SET version = 1",
        )
        .unwrap();
    assert_eq!(
        d.ok("Get-AcceptedDomain | ForEach-Object { \"$($_.Name) $($_.DomainName) $($_.DomainType) $($_.Default)\" }; (Get-TransportConfig).MaxSendSize; \"$((Get-TransportService).MessageRetryInterval)\"; (Get-Mailbox).Alias"),
        "contoso.com contoso.com Authoritative True\n10 MB (10,485,760 bytes)\n00:15:00\njsmith\n"
    );
    // The organization's server, listed from its record.
    assert_eq!(d.ok("(Get-ExchangeServer).ServerRole"), "Mailbox, ClientAccess\n");
    let version: i64 = client.query_one("SELECT version FROM mailsh_schema", &[]).unwrap().get(0);
    assert_eq!(version, 17, "every migration since schema 1 ran (17: distribution groups)");
    // The organization's server got its receive connectors.
    assert_eq!(d.ok("(Get-ReceiveConnector).Count"), "5\n");
    // The organization's server got its first database, and John is in it.
    assert_eq!(d.ok("(Get-Mailbox jsmith).Database -eq (Get-MailboxDatabase).Name"), "True\n");
    // The organization's server got its virtual directories.
    assert_eq!(d.ok("(Get-OwaVirtualDirectory).InternalUrl"), "https://cas01.contoso.com/owa\n");
}

/// A shell on the directory starts opening it as the process starts, but
/// only reads: a command that never needs the store leaves an empty
/// directory empty, and the first that does creates the organization as
/// before; a shell of a server that is not in the organization still
/// hears why.
#[test]
fn a_shell_opens_the_directory_ahead_but_writes_nothing_until_a_command_needs_it() {
    let d = Dir::postgres();
    assert_eq!(d.ok("1 + 1"), "2\n");
    let mut directory = ::postgres::Client::connect(&d.store, ::postgres::NoTls).unwrap();
    let tables: i64 =
        directory.query_one("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", &[]).unwrap().get(0);
    assert_eq!(tables, 0, "nothing was made by a command that read nothing");
    assert_eq!(d.ok("(Get-ExchangeServer).Name"), "CAS01\n");
    assert_eq!(d.ok("(Get-ExchangeServer).Name"), "CAS01\n");
    let r = d.on("MBX07", "Get-Mailbox");
    assert!(r.stderr.contains("MBX07 is not a server of this organization"), "{}", r.stderr);
}
