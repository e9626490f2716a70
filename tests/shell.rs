//! The shell end to end: the real binary, a real store, exact text.

use crate::support::*;

#[test]
fn seed_001_disable_and_enable_imap_for_a_user() {
    let s = Shell::new();
    s.mailboxes(&["John Smith"]);
    let r = s.cmd("Set-CASMailbox -Identity \"John Smith\" -IMAPEnabled $false");
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    let r = s.cmd("Get-CASMailbox \"John Smith\"");
    assert_text(
        &r.stdout,
        "\nName                 ActiveSyncEnabled OWAEnabled PopEnabled ImapEnabled MapiEnabled\n----                 ----------------- ---------- ---------- ----------- -----------\nJohn Smith           True              True       True       False       True\n\n",
    );
    let r = s.cmd("Set-CASMailbox -Identity \"John Smith\" -IMAPEnabled $true");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = s.cmd("(Get-CASMailbox \"John Smith\").ImapEnabled");
    assert_eq!(r.stdout, "True\n");
}

#[test]
fn seed_003_mapi_off_is_shown_as_mapienabled_false() {
    let s = Shell::new();
    s.mailboxes(&["Ken Sanchez", "Esther Valle"]);
    assert_eq!(s.cmd("Set-CASMailbox -Identity \"Ken Sanchez\" -MAPIEnabled $false").code, 0);
    let r = s.cmd("Get-CASMailbox \"Ken Sanchez\"");
    assert!(
        r.stdout.contains("Ken Sanchez          True              True       True       True        False\n"),
        "{}",
        r.stdout
    );
    let r = s.cmd("Set-CASMailbox -Identity \"Esther Valle\" -MAPIEnabled $true");
    assert_eq!(
        r.stderr,
        "WARNING: The command completed successfully but no settings of 'contoso.com/Users/Esther Valle' have been modified.\n"
    );
    assert_eq!(r.code, 0, "a warning is not an error");
}

#[test]
fn seed_000_calendar_options_and_their_check() {
    let s = Shell::new();
    let r = s.stdin(
        "Set-ImapSettings -Identity CAS01 -CalendarItemRetrievalOption IntranetUrl \nSet-Imap4Settings -CalendarItemRetrievalOption Custom -OwaServerUrl \"https://OwaServer01\"\nGet-ImapSettings | format-list\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "\nCalendarItemRetrievalOption       : Custom\nOwaServerUrl                      : https://OwaServer01\n"
        ),
        "{}",
        r.stdout
    );
    assert_eq!(
        r.stderr,
        "WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server CAS01.\n".repeat(2)
    );
    let r =
        s.cmd("Set-ImapSettings -CalendarItemRetrievalOption intranet; (Get-ImapSettings).CalendarItemRetrievalOption");
    assert_eq!(r.stdout, "intranetUrl\n", "the member prints with its lower-case i");
}

#[test]
fn custom_without_a_url_is_refused_and_changes_nothing() {
    let s = Shell::new();
    let r = s.cmd("Set-ImapSettings -CalendarItemRetrievalOption Custom -LoginType PlainTextLogin");
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("Set-ImapSettings : When CalendarItemRetrievalOption is set to Custom, you must specify an Outlook Web App server URL with the OwaServerUrl parameter.\n"), "{}", r.stderr);
    let r = s.cmd("$s = Get-ImapSettings; \"$($s.CalendarItemRetrievalOption) $($s.LoginType)\"");
    assert_eq!(r.stdout, "iCalendar SecureLogin\n");
}

/// AdvertisedCapabilities: Full by default, Exchange2013 on request (the
/// engines read it: tests/imap/condstore.rs); an unknown value is refused.
#[test]
fn advertised_capabilities_is_full_or_exchange_2013() {
    let s = Shell::new();
    let r = s.cmd("(Get-ImapSettings).AdvertisedCapabilities");
    assert_eq!(r.stdout, "Full\n");
    let r = s.cmd("Set-ImapSettings -AdvertisedCapabilities exchange2013; (Get-ImapSettings).AdvertisedCapabilities");
    assert_eq!(r.stdout, "Exchange2013\n", "{}", r.stderr);
    let r = s.cmd("Set-ImapSettings -AdvertisedCapabilities Exchange2010");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("Exchange2010"), "{}", r.stderr);
    let r = s.cmd("Set-PopSettings -AdvertisedCapabilities Full");
    assert_eq!(r.code, 1, "POP3 has no such setting: {}", r.stderr);
}

#[test]
fn settings_are_validated_as_exchange_does() {
    let s = Shell::new();
    let r = s.cmd("Set-ImapSettings -SSLBindings 0.0.0.0:99999");
    assert!(
        r.stderr.contains("Cannot convert value \"0.0.0.0:99999\" to type \"Microsoft.Exchange.Data.IPBinding\""),
        "{}",
        r.stderr
    );
    let r = s.cmd("Set-PopSettings -MaxCommandSize 2048");
    assert!(r.stderr.contains("The 2048 argument is greater than the maximum allowed range of 1024."), "{}", r.stderr);
    let r = s.cmd("Set-ImapSettings -ProxyTargetPort 70000");
    assert!(
        r.stderr.contains("The 70000 argument is greater than the maximum allowed range of 65535."),
        "{}",
        r.stderr
    );
    let r = s.cmd("Set-ImapSettings -Identity CAS02 -LoginType SecureLogin");
    assert!(r.stderr.starts_with("Set-ImapSettings : The operation couldn't be performed because object 'CAS02' couldn't be found on 'cas01.contoso.com'."), "{}", r.stderr);
    let r = s.cmd("Set-ImapSettings -UnencryptedOrTLSBindings '[::1]:10143','127.0.0.1:10143' -AuthenticatedConnectionTimeout 00:10:00; Get-ImapSettings | Format-List UnencryptedOrTLSBindings,AuthenticatedConnectionTimeout");
    assert_text(
        &r.stdout,
        "\nUnencryptedOrTLSBindings       : {[::1]:10143, 127.0.0.1:10143}\nAuthenticatedConnectionTimeout : 00:10:00\n\n\n",
    );
    let r = s.cmd("Set-ImapSettings -AuthenticatedConnectionTimeout 00:00:10");
    assert!(r.stderr.contains("The value 00:00:10 isn't in the range 00:00:30 - 1.00:00:00."), "{}", r.stderr);
}

/// The cmdlets and the engines read bindings with one parser: what Set-
/// refuses, a service could not bind either, and what it keeps is the
/// normal form the engine binds.
#[test]
fn bindings_are_exchange_ipbindings_in_their_normal_form() {
    let s = Shell::new();
    for bad in ["*:143", "localhost:143", "::1:143"] {
        let r = s.cmd(&format!("Set-PopSettings -UnencryptedOrTLSBindings '{bad}'"));
        assert_eq!(r.code, 1, "{bad}");
        assert!(
            r.stderr.contains(&format!(
                "Cannot convert value \"{bad}\" to type \"Microsoft.Exchange.Data.IPBinding\". Error: \"'{bad}' isn't a valid IP address and port number.\""
            )),
            "{}",
            r.stderr
        );
    }
    let r = s.cmd("Set-PopSettings -SSLBindings '[0:0::1]:0995',' 127.0.0.1:995 '; (Get-PopSettings).SSLBindings");
    assert_eq!(r.stdout, "[::1]:995\n127.0.0.1:995\n", "{}", r.stderr);
}

#[test]
fn binder_errors_match_powershell() {
    let s = Shell::new();
    s.mailboxes(&["John Smith"]);
    let r = s.cmd("Set-CASMailbox -Identity \"John Smith\" -NoSuchParam $true");
    assert_text(
        &r.stderr,
        "Set-CASMailbox : A parameter cannot be found that matches parameter name 'NoSuchParam'.\nAt line:1 char:39\n+ Set-CASMailbox -Identity \"John Smith\" -NoSuchParam $true\n+                                       ~~~~~~~~~~~~\n    + CategoryInfo          : InvalidArgument: (:) [Set-CASMailbox], ParameterBindingException\n    + FullyQualifiedErrorId : NamedParameterNotFound,Set-CASMailbox\n \n",
    );
    assert_eq!(r.code, 1);
    let r = s.cmd("Set-CASMailbox \"John Smith\" -ImapEn $true");
    assert!(r.stderr.starts_with("Set-CASMailbox : Parameter cannot be processed because the parameter name 'ImapEn' is ambiguous. Possible matches include: -ImapEnabled -ImapEnableExactRFC822Size."), "{}", r.stderr);
    let r = s.cmd("set-casmailbox \"John Smith\" -imapuse $false -popenabled 0; Get-CASMailbox \"John Smith\" | fl ImapUseProtocolDefaults,PopEnabled");
    assert_text(&r.stdout, "\nImapUseProtocolDefaults : False\nPopEnabled              : False\n\n\n");
    let r = s.cmd("Set-CASMailbox \"John Smith\" -ImapEnabled 'true'");
    assert!(r.stderr.contains("Cannot convert value \"System.String\" to type \"System.Boolean\". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0."));
    let r = s.cmd("Set-ImapSettings -LoginType Foo");
    assert!(r.stderr.contains("Specify one of the following enumerator names and try again:\nPlainTextLogin, PlainTextAuthentication, SecureLogin\"\n"), "{}", r.stderr);
    let r = s.cmd("Set-CASMailbox -ImapEnabled $true");
    assert!(
        r.stderr.starts_with(
            "Set-CASMailbox : Cannot process command because of one or more missing mandatory parameters: Identity.\n"
        ),
        "{}",
        r.stderr
    );
    let r = s.cmd("Get-Nothing");
    assert!(r.stderr.starts_with("Get-Nothing : The term 'Get-Nothing' is not recognized as the name of a cmdlet, function, script file, or operable program."), "{}", r.stderr);
    assert!(r.stderr.contains("    + CategoryInfo          : ObjectNotFound: (Get-Nothing:String) [], CommandNotFoundException\n    + FullyQualifiedErrorId : CommandNotFoundException\n"));
}

#[test]
fn identities_resolve_by_any_name_and_report_misses() {
    let s = Shell::new();
    s.mailboxes(&["John Smith", "John Doe"]);
    for id in [
        "\"John Smith\"",
        "johnsmith",
        "johnsmith@contoso.com",
        "CONTOSO\\johnsmith",
        "\"contoso.com/Users/John Smith\"",
    ] {
        let r = s.cmd(&format!("(Get-CASMailbox {id}).Name"));
        assert_eq!(r.stdout, "John Smith\n", "identity {id}: {}", r.stderr);
    }
    let r = s.cmd("Get-CASMailbox jdoe");
    assert!(r.stderr.starts_with("Get-CASMailbox : The operation couldn't be performed because object 'jdoe' couldn't be found on 'cas01.contoso.com'.\n"), "{}", r.stderr);
    assert!(r.stderr.contains(
        "    + CategoryInfo          : NotSpecified: (:) [Get-CASMailbox], ManagementObjectNotFoundException\n"
    ));
    let r = s.cmd("(Get-CASMailbox John*).Count");
    assert_eq!(r.stdout, "2\n");
}

#[test]
fn pipeline_input_binds_by_property_name_and_errors_do_not_stop_the_rest() {
    let s = Shell::new();
    s.mailboxes(&["Ann", "Bob", "Cid"]);
    let r = s.cmd("Get-CASMailbox | Set-CASMailbox -PopEnabled $false; Get-CASMailbox | Where-Object PopEnabled -eq $false | Measure-Object | Select-Object -ExpandProperty Count");
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("3\n", ""));
    let r = s.cmd(
        "'Ann','nobody','Cid' | Set-CASMailbox -ImapEnabled $false; (Get-CASMailbox | ? { -not $_.ImapEnabled }).Name",
    );
    assert_eq!(r.stdout, "Ann\nCid\n");
    assert!(r.stderr.contains("object 'nobody' couldn't be found"), "{}", r.stderr);
    assert_eq!(r.code, 1);
}

#[test]
fn filters_and_result_size() {
    let s = Shell::new();
    s.mailboxes(&["Ann", "Bob", "Cid"]);
    s.cmd("Set-CASMailbox Bob -ImapEnabled $false");
    let r = s.cmd("Get-CASMailbox -Filter \"ImapEnabled -eq $false\" | % Name");
    assert_eq!(r.stdout, "Bob\n");
    let r = s.cmd("Get-CASMailbox -Filter \"Name -like 'A*' -or Name -eq 'Cid'\" | % Name");
    assert_eq!(r.stdout, "Ann\nCid\n");
    let r = s.cmd("Get-CASMailbox -ResultSize 2 | % Name");
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str()),
        (
            "Ann\nBob\n",
            "WARNING: There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.\n"
        )
    );
    let r = s.cmd("Get-CASMailbox -ResultSize 3 | % Name");
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("Ann\nBob\nCid\n", ""));
    let r = s.cmd("Get-CASMailbox -Filter \"Colour -eq 'red'\"");
    assert!(r.stderr.contains("'Colour' is not a recognized filterable property."), "{}", r.stderr);
}

#[test]
fn more_than_a_thousand_mailboxes_warn_without_result_size() {
    let s = Shell::new();
    bulk_mailboxes(&s, 1001);
    let r = s.cmd("Get-CASMailbox | Measure-Object | % Count");
    assert_eq!(r.stdout, "1000\n");
    assert_eq!(
        r.stderr,
        "WARNING: By default, only the first 1000 items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify \"-ResultSize Unlimited\". Be aware that, depending upon the actual number of items, returning all items can take a long time and consume a large amount of memory. Also, we don't recommend storing the results in a variable. Instead, pipe the results to another task or script to perform batch changes.\n"
    );
    let r = s.cmd("Get-CASMailbox -ResultSize 2 | Measure-Object | % Count");
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str()),
        (
            "2\n",
            "WARNING: There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.\n"
        )
    );
    let r = s.cmd("(Get-CASMailbox -ResultSize Unlimited | Measure-Object).Count");
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("1001\n", ""));
}

/// Many mailboxes through the store API (no password hashing: fast).
fn bulk_mailboxes(s: &Shell, n: usize) {
    s.cmd("Get-ExchangeServer | Out-Null");
    let mut store = mailsh::store::Store::open_existing(&s.store()).expect("store");
    store
        .write(|tx| {
            for i in 0..n {
                let name = format!("user{i:06}");
                mailsh::store::Store::insert_mailbox(
                    tx,
                    &mailsh::store::NewMailbox {
                        name: name.clone(),
                        alias: name.clone(),
                        display_name: name.clone(),
                        upn: format!("{name}@contoso.com"),
                        primary_smtp: format!("{name}@contoso.com"),
                        ..Default::default()
                    },
                )?;
            }
            Ok(())
        })
        .expect("bulk insert");
}

#[test]
fn concurrent_shells_lose_no_update() {
    let s = Shell::new();
    s.mailboxes(&["John Smith"]);
    let props = ["ImapEnabled", "PopEnabled", "MAPIEnabled", "OWAEnabled", "ActiveSyncEnabled", "EwsEnabled"];
    let children: Vec<_> = props
        .iter()
        .map(|p| {
            let script = format!("Set-CASMailbox \"John Smith\" -{p} $false\nSet-CASMailbox \"John Smith\" -{p} $true\nSet-CASMailbox \"John Smith\" -{p} $false\n");
            let mut c = s.command();
            c.args(["-Command", &script]).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
            c.spawn().expect("mailsh starts")
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().expect("mailsh ends");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success() && !err.contains("locked"), "{err}");
    }
    let r = s.cmd(
        "Get-CASMailbox \"John Smith\" | fl ImapEnabled,PopEnabled,MAPIEnabled,OWAEnabled,ActiveSyncEnabled,EwsEnabled",
    );
    assert_eq!(r.stdout.matches(": False").count(), 6, "{}", r.stdout);
    let r = s.cmd("(Search-AdminAuditLog -Cmdlets Set-CASMailbox).Count");
    assert_eq!(r.stdout, "18\n");
}

#[test]
fn batch_hosts_and_exit_status() {
    let s = Shell::new();
    let r = s.stdin("Write-Output one\nWrite-Output 'two' | ForEach-Object { $_.ToUpper() }\n");
    assert_eq!((r.stdout.as_str(), r.code), ("one\nTWO\n", 0));
    // A backtick at the end of a line continues the command on the next.
    let r = s.stdin("Write-Output a `\r\n  b\nWrite-Output c # not `\nWrite-Output d\n");
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("a\nb\nc\nd\n", ""));
    let r = s.file("s.ps1", "Write-Output a\nexit 7\nWrite-Output b\n");
    assert_eq!((r.stdout.as_str(), r.code), ("a\n", 7));
    let r = s.cmd("Get-Nothing; Write-Output after");
    assert_eq!((r.stdout.as_str(), r.code), ("after\n", 1));
    let r = s.cmd("Get-Nothing -ErrorAction SilentlyContinue; $?");
    assert_eq!(r.stdout, "False\n");
    let r = s.cmd("Get-CASMailbox nobody -ErrorAction SilentlyContinue; Write-Output $?");
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("False\n", ""));
    let r = s.cmd("$ErrorActionPreference = 'Stop'; Get-CASMailbox nobody; Write-Output unreachable");
    assert_eq!((r.stdout.as_str(), r.code), ("", 1));
    let r = s.cmd("Get-CASMailbox nobody -ErrorAction Stop; Write-Output unreachable");
    assert_eq!(r.stdout, "");
    let mut c = s.command();
    let o = c
        .args(["-Command", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut ch| {
            use std::io::Write;
            ch.stdin.take().map(|mut i| i.write_all(b"Write-Output from-stdin\n"));
            ch.wait_with_output()
        });
    assert_eq!(String::from_utf8_lossy(&o.expect("runs").stdout), "from-stdin\n");
}

#[test]
fn a_parse_error_runs_nothing_of_its_statement() {
    let s = Shell::new();
    let r = s.stdin(
        "Write-Output before\nWrite-Output \"unclosed\nstill the string\"\nWrite-Output 'ok' )\nWrite-Output after\n",
    );
    assert_eq!(r.stdout, "before\nunclosed\nstill the string\nafter\n");
    assert_text(
        &r.stderr,
        "At line:4 char:19\n+ Write-Output 'ok' )\n+                   ~\nUnexpected token ')' in expression or statement.\n    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\n    + FullyQualifiedErrorId : UnexpectedToken\n \n",
    );
    let r = s.file("bad.ps1", "Write-Output first\nWrite-Output (\n");
    assert_eq!(r.stdout, "", "a script that does not parse runs nothing");
    assert!(r.stderr.contains("bad.ps1:2 char:14\n"), "{}", r.stderr);
    assert!(r.stderr.contains("Missing closing ')' in expression."), "{}", r.stderr);
}

#[test]
fn format_list_and_table_layouts() {
    let s = Shell::new();
    s.mailboxes(&["Ann", "Bob"]);
    let r = s.cmd("Get-CASMailbox | Format-List Name,PopEnabled");
    assert_text(&r.stdout, "\nName       : Ann\nPopEnabled : True\n\nName       : Bob\nPopEnabled : True\n\n\n");
    let r = s.cmd("Get-CASMailbox | Format-Table Name,ImapEnabled,EmailAddresses -AutoSize");
    assert_text(&r.stdout, "\nName ImapEnabled EmailAddresses\n---- ----------- --------------\nAnn         True {SMTP:ann@contoso.com}\nBob         True {SMTP:bob@contoso.com}\n\n".replace("        True", " True       ").as_str());
    let r = s.cmd("Get-CASMailbox Ann | fl *Imap*");
    assert!(r.stdout.starts_with("\nExternalImapSettings                    : {}\nInternalImapSettings                    : {}\nImapEnabled                             : True\n"), "{}", r.stdout);
    let r = s.cmd("1,2,3 | Measure-Object -Sum -Average");
    assert_text(&r.stdout, "\nCount    : 3\nAverage  : 2\nSum      : 6\nMaximum  :\nMinimum  :\nProperty :\n\n\n");
    let r = s.cmd("Get-CASMailbox | Select-Object Name,@{Name='Imap';Expression={$_.ImapEnabled}} | ConvertTo-Json");
    assert_text(
        &r.stdout,
        "[\n    {\n        \"Name\":  \"Ann\",\n        \"Imap\":  true\n    },\n    {\n        \"Name\":  \"Bob\",\n        \"Imap\":  true\n    }\n]\n",
    );
    let r = s.cmd("Get-CASMailbox | Select-Object Name,PopEnabled | ConvertTo-Csv -NoTypeInformation");
    assert_eq!(r.stdout, "\"Name\",\"PopEnabled\"\n\"Ann\",\"True\"\n\"Bob\",\"True\"\n");
    let r = s.cmd("Get-CASMailbox | Group-Object ImapEnabled -NoElement");
    assert_text(
        &r.stdout,
        "\nCount Name                      \n----- ----                      \n    2 True                      \n\n"
            .replace("                      \n", "\n")
            .as_str(),
    );
    let r = s.cmd("Get-CASMailbox | Sort-Object Name -Descending | Select-Object -First 1 -ExpandProperty Name");
    assert_eq!(r.stdout, "Bob\n");
    let r = s.cmd("Get-Mailbox | Select-Object -Last 1 | % Alias");
    assert_eq!(r.stdout, "bob\n");
    let r = s.cmd("$x = Get-CASMailbox | Out-String; $x.Length -gt 100");
    assert_eq!(r.stdout, "True\n");
    let r = s.cmd("Write-Host a b -Separator ','; Write-Warning careful");
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("a,b\n", "WARNING: careful\n"));
}

#[test]
fn export_csv_writes_a_file() {
    let s = Shell::new();
    s.mailboxes(&["Ann"]);
    let r = s.cmd("Get-CASMailbox | Select-Object Name,ImapEnabled | Export-Csv out.csv -NoTypeInformation");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(file_text(&s.path("out.csv")), "\"Name\",\"ImapEnabled\"\r\n\"Ann\",\"True\"\r\n");
}

#[test]
fn get_service_table_has_powershell_widths() {
    let s = Shell::new();
    let r = s.cmd("Get-Help Set-CASMailbox");
    assert!(r.stdout.contains("SYNTAX\n    Set-CASMailbox [-Identity] <MailboxIdParameter> "), "{}", r.stdout);
    let r = s.cmd("Set-CASMailbox -?");
    assert!(r.stdout.contains("NAME\n    Set-CASMailbox\n"), "{}", r.stdout);
    let r = s.cmd("Get-Help Set-ImapSettings -Parameter LoginType");
    assert!(r.stdout.contains("Allowed values: PlainTextLogin, PlainTextAuthentication, SecureLogin"), "{}", r.stdout);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let s = Shell::new();
    bulk_mailboxes(&s, 300);
    let mut child = s
        .command()
        .args(["-Command", "Get-CASMailbox -ResultSize Unlimited | Format-List"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let mut out = child.stdout.take().expect("piped");
    let mut first = [0u8; 64];
    use std::io::Read;
    let _ = out.read(&mut first);
    drop(out);
    let o = child.wait_with_output().expect("ends");
    assert_eq!(String::from_utf8_lossy(&o.stderr), "");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn remove_mailbox_needs_confirmation_in_batch() {
    let s = Shell::new();
    s.mailboxes(&["Ann"]);
    let r = s.cmd("Remove-Mailbox Ann");
    assert!(
        r.stderr.starts_with(
            "Remove-Mailbox : Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.\n"
        ),
        "{}",
        r.stderr
    );
    let r = s.cmd("Remove-Mailbox Ann -Confirm:$false; (Get-Mailbox | Measure-Object).Count");
    assert_eq!((r.stdout.as_str(), r.code), ("0\n", 0), "{}", r.stderr);
    let r = s.cmd("Search-AdminAuditLog | Select-Object -First 1 | % CmdletName");
    assert_eq!(r.stdout, "Remove-Mailbox\n");
}

#[test]
fn common_stream_variables_collect() {
    let s = Shell::new();
    s.mailboxes(&["Ann", "Bob"]);
    let r = s.cmd("Get-CASMailbox -OutVariable boxes | Out-Null; $boxes.Count; Get-CASMailbox nobody -ErrorAction SilentlyContinue -ErrorVariable err; $err.Count; Set-CASMailbox Ann -ImapEnabled $true -WarningAction SilentlyContinue -WarningVariable w; $w");
    assert_eq!(
        r.stdout,
        "2\n1\nThe command completed successfully but no settings of 'contoso.com/Users/Ann' have been modified.\n"
    );
    assert_eq!(r.stderr, "");
}

/// `Get-CASMailbox -ResultSize Unlimited | Set-CASMailbox -X $v` runs set-based;
/// what it leaves behind must be what the record-by-record path leaves.
#[test]
fn the_set_based_bulk_change_matches_the_record_by_record_one() {
    let script = |pipe: &str| {
        format!(
            "Set-CASMailbox Bob -PopEnabled $false\n{pipe}\nGet-CASMailbox | Format-Table Name,PopEnabled,ImapEnabled -AutoSize\nSearch-AdminAuditLog -Cmdlets Set-CASMailbox | Format-List ObjectModified,CmdletParameters,ModifiedProperties,OriginalProperties,Caller,Succeeded\n"
        )
    };
    let run = |pipe: &str| {
        let s = Shell::new();
        s.mailboxes(&["Ann", "Bob", "Cid"]);
        s.stdin(&script(pipe))
    };
    let fused = run("Get-CASMailbox -ResultSize Unlimited | Set-CASMailbox -PopEnabled $false -ImapEnabled 1");
    let streamed = run(
        "Get-CASMailbox -ResultSize Unlimited | Where-Object { $true } | Set-CASMailbox -PopEnabled $false -ImapEnabled 1",
    );
    assert_eq!(fused.code, 0, "{}", fused.stderr);
    assert_text(&fused.stdout, &streamed.stdout);
    assert_text(&fused.stderr, &streamed.stderr);
    assert!(fused.stderr.contains("no settings of 'contoso.com/Users/Bob' have been modified"), "{}", fused.stderr);
    assert!(fused.stdout.contains("ModifiedProperties : {PopEnabled=False}\n"), "{}", fused.stdout);
}

#[test]
fn added_addresses_are_secondary_smtp_and_resolve() {
    let s = Shell::new();
    s.mailboxes(&["John Smith"]);
    let r = s.cmd("Set-CASMailbox johnsmith -EmailAddresses @{Add='js@contoso.com'}; (Get-Mailbox johnsmith).EmailAddresses; (Get-CASMailbox js@contoso.com).Name");
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str()),
        ("SMTP:johnsmith@contoso.com\nsmtp:js@contoso.com\nJohn Smith\n", "")
    );
}

#[test]
fn an_address_list_without_a_primary_makes_its_first_address_the_primary() {
    let s = Shell::new();
    s.mailboxes(&["John Smith"]);
    // Exchange: "If you don't specify SMTP, the first e-mail address becomes
    // the primary e-mail address."
    let r = s.cmd(
        "Set-Mailbox johnsmith -EmailAddresses 'js@contoso.com','smtp:john@contoso.com'; \
         $m = Get-Mailbox johnsmith; $m.EmailAddresses; $m.PrimarySmtpAddress; \
         Set-Mailbox johnsmith -EmailAddresses @{Remove='SMTP:js@contoso.com'}; (Get-Mailbox johnsmith).PrimarySmtpAddress",
    );
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str()),
        ("SMTP:js@contoso.com\nsmtp:john@contoso.com\njs@contoso.com\njohn@contoso.com\n", "")
    );
}

#[test]
fn set_mailbox_applies_the_address_list_before_the_primary_address_and_audits_in_that_order() {
    let s = Shell::new();
    s.mailboxes(&["John Smith"]);
    let r = s.cmd(
        "Set-Mailbox johnsmith -PrimarySmtpAddress c@contoso.com -EmailAddresses 'SMTP:a@contoso.com','b@contoso.com' \
         -DisplayName 'John A. Smith' -IssueWarningQuota 1KB -Password (ConvertTo-SecureString -String 'N3w-P@ss' -AsPlainText -Force); \
         $m = Get-Mailbox johnsmith; $m.PrimarySmtpAddress; $m.EmailAddresses; \
         $a = Search-AdminAuditLog -Cmdlets Set-Mailbox | Select-Object -First 1; $a.ModifiedProperties; $a.OriginalProperties",
    );
    let expected = "c@contoso.com\nSMTP:c@contoso.com\nsmtp:a@contoso.com\nsmtp:b@contoso.com\n\
        DisplayName=John A. Smith\nEmailAddresses=SMTP:a@contoso.com, smtp:b@contoso.com\n\
        PrimarySmtpAddress=c@contoso.com\nPassword=********\nIssueWarningQuota=1 KB (1,024 bytes)\n\
        DisplayName=John Smith\nEmailAddresses=SMTP:johnsmith@contoso.com\nPrimarySmtpAddress=a@contoso.com\n\
        Password=********\nIssueWarningQuota=Unlimited\n";
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), (expected, ""));
}

#[test]
fn an_error_marks_the_command_not_the_pipe_after_it() {
    let s = Shell::new();
    let r = s.cmd("Get-CASMailbox nobody | % Name");
    assert!(r.stderr.contains("\n+ Get-CASMailbox nobody | % Name\n+ ~~~~~~~~~~~~~~~~~~~~~\n"), "{}", r.stderr);
}

#[test]
fn if_and_foreach_statements_run_in_scripts() {
    let s = Shell::new();
    s.mailboxes(&["Ann", "Bob"]);
    let r = s.file(
        "loop.ps1",
        "foreach ($m in Get-CASMailbox) {\n  if ($m.Name -eq 'Bob') {\n    Set-CASMailbox $m.Identity -ImapEnabled $false\n  }\n  elseif ($m.Name -like 'A*') { \"keep $($m.Name)\" }\n  else { 'never' }\n}\n(Get-CASMailbox -Filter \"ImapEnabled -eq `$false\").Name\n",
    );
    assert_eq!((r.stdout.as_str(), r.stderr.as_str(), r.code), ("keep Ann\nBob\n", "", 0));
    let r = s.cmd("foreach ($i in 1,2) { Get-Nothing; \"after $i\" }");
    assert_eq!(r.stdout, "after 1\nafter 2\n", "an error ends only its own statement");
}
