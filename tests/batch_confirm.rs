//! -WhatIf and -Confirm in batch: every command that changes state
//! describes what it would do and changes nothing under -WhatIf; a
//! confirmation nobody can answer (-NonInteractive, piped input) is an error
//! that changes nothing.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn mailsh(store: &Path, dir: &Path, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailsh"))
        .args(args)
        .current_dir(dir)
        .env("MAILSH_STORE", store)
        .env("MAILSH_SERVER", "CAS01")
        .env("MAILSH_DOMAIN", "contoso.com")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mailsh runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("script written");
    let out = child.wait_with_output().expect("mailsh ends");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const SETUP: &str = "New-Mailbox -Name 'John Smith' -Alias jsmith -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null\nSet-Content -Path keep.txt -Value 'kept'\n";

/// What the store and the folder hold, as text to compare before and after.
const STATE: &str = "Get-Mailbox | Format-List Name,Alias,ProhibitSendQuota\nGet-CASMailbox | Format-List Name,ImapEnabled,PopEnabled\nGet-ImapSettings | Format-List Banner\nGet-PopSettings | Format-List Banner\nGet-OwaVirtualDirectory | Format-List InternalUrl\nGet-Service MSExchangePOP3 | Format-List Status,StartType\nGet-EcpVirtualDirectory | Format-List InternalUrl\nGet-RoleGroupMember 'Organization Management' | Format-List Name\nGet-AcceptedDomain | Format-List Name,Default\nGet-ReceiveConnector | Format-List Name,MaxMessageSize\nGet-TransportConfig | Format-List MaxReceiveSize\n@(Search-AdminAuditLog).Count\nGet-ChildItem -Name | Sort-Object\nGet-Content keep.txt\n";

#[test]
fn what_if_describes_every_change_and_makes_none() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = dir.path().join("config.db");
    let setup = mailsh(&store, dir.path(), &["-Command", "-"], SETUP);
    assert_eq!(setup.code, 0, "{}", setup.stderr);
    let before = mailsh(&store, dir.path(), &["-Command", "-"], STATE);

    let script = "\
New-Mailbox -Name 'Ken Sanchez' -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) -WhatIf
Set-Mailbox jsmith -Alias john -WhatIf
Remove-Mailbox jsmith -WhatIf
Remove-Mailbox jsmith -Permanent $true -WhatIf
Set-CASMailbox jsmith -ImapEnabled $false -WhatIf
Get-CASMailbox | Set-CASMailbox -PopEnabled $false -WhatIf
Set-ImapSettings -Banner 'Changed' -WhatIf
Set-PopSettings -Banner 'Changed' -WhatIf
Set-OwaVirtualDirectory 'owa (Default Web Site)' -InternalUrl 'https://changed/owa' -WhatIf
Get-OwaVirtualDirectory | Set-OwaVirtualDirectory -InternalUrl 'https://changed/owa' -WhatIf
Set-EcpVirtualDirectory 'CAS01\\ecp (Default Web Site)' -InternalUrl 'https://changed/ecp' -WhatIf
Add-RoleGroupMember 'Organization Management' -Member jsmith -WhatIf
Remove-RoleGroupMember 'Organization Management' -Member 'John Smith' -WhatIf
New-AcceptedDomain -Name Fabrikam -DomainName fabrikam.com -WhatIf
Set-AcceptedDomain contoso.com -MakeDefault $true -WhatIf
New-ReceiveConnector -Name Relay -Bindings 0.0.0.0:2525 -RemoteIPRanges 192.168.1.10 -WhatIf
New-ReceiveConnector -Name Relay2 -Bindings 0.0.0.0:2526,[::]:2526 -WhatIf
Set-ReceiveConnector 'Default Frontend CAS01' -MaxMessageSize 20MB -WhatIf
Get-ReceiveConnector 'Default Frontend CAS01' | Set-ReceiveConnector -MaxMessageSize 20MB -WhatIf
Remove-ReceiveConnector 'CAS01\\Client Frontend CAS01' -WhatIf
Set-TransportConfig -MaxReceiveSize 25MB -WhatIf
Set-Service MSExchangePOP3 -StartupType Disabled -WhatIf
Start-Service MSExchangePOP3 -WhatIf
Stop-Service MSExchangePOP3 -WhatIf
Restart-Service MSExchangePOP3 -WhatIf
Set-Content -Path keep.txt -Value 'changed' -WhatIf
Add-Content -Path keep.txt -Value 'more' -WhatIf
New-Item -Path new.txt -ItemType File -WhatIf
Copy-Item -Path keep.txt -Destination copy.txt -WhatIf
Move-Item -Path keep.txt -Destination moved.txt -WhatIf
Rename-Item -Path keep.txt -NewName renamed.txt -WhatIf
Remove-Item -Path keep.txt -WhatIf
'x' | Out-File -FilePath out.txt -WhatIf
Get-Mailbox | Export-Csv -Path export.csv -WhatIf
Start-Transcript -Path transcript.txt -WhatIf
$kept = 1
Set-Variable -Name kept -Value 2 -WhatIf
Clear-Variable -Name kept -WhatIf
Remove-Variable -Name kept -WhatIf
New-Variable -Name fresh -Value 3 -WhatIf
\"kept=$kept fresh=$(Test-Path variable:fresh)\"
";
    let r = mailsh(&store, dir.path(), &["-NonInteractive", "-Command", "-"], script);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
    let folder = std::fs::canonicalize(dir.path()).expect("the folder").display().to_string();
    let expected = [
        // Exchange 2013's own texts (src/cmdlets/confirm_texts.rs names each
        // resource); the object as typed, or a piped object's Identity.
        "What if: Creating mailbox \"Ken Sanchez\" with User Principal Name \"KenSanchez@contoso.com\" in organizational unit \"contoso.com/Users\".".to_string(),
        "What if: Setting mailbox \"jsmith\".".into(),
        "What if: Removing mailbox \"jsmith\" will remove the Active Directory user object and mark the mailbox and the archive (if present) in the database for removal.".into(),
        "What if: Removing the mailbox \"jsmith\" will remove the Active Directory user object and mark the mailbox in the database for removal.".into(),
        "What if: Setting Client Access server mailbox \"jsmith\".".into(),
        "What if: Setting Client Access server mailbox \"contoso.com/Users/John Smith\".".into(),
        "What if: Setting IMAP setting.".into(),
        "What if: Setting POP setting.".into(),
        "What if: Setting Outlook Web App virtual directory \"cas01.contoso.com\\owa (Default Web Site)\".".into(),
        "What if: Setting Outlook Web App virtual directory \"CAS01\\owa (Default Web Site)\".".into(),
        "What if: Setting ECP virtual directory \"CAS01\\ecp (Default Web Site)\".".into(),
        "What if: Adding the member \"jsmith\" on the role group \"Organization Management\".".into(),
        "What if: Removing the member \"John Smith\" from the role group \"Organization Management\".".into(),
        "What if: Creating Accepted Domain \"Fabrikam\" with domain name \"fabrikam.com\".".into(),
        "What if: Configuring accepted domain \"contoso.com\".".into(),
        "What if: Creating Receive connector \"Relay\" with bindings \"'0.0.0.0:2525'\", remote IP ranges \"'192.168.1.10'\".".into(),
        "What if: Creating Receive connector \"Relay2\" with bindings \"'0.0.0.0:2526', '[::]:2526'\", remote IP ranges \"'::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '0.0.0.0-255.255.255.255'\".".into(),
        "What if: Configuring Receive connector \"cas01.contoso.com\\Default Frontend CAS01\".".into(),
        "What if: Configuring Receive connector \"CAS01\\Default Frontend CAS01\".".into(),
        "What if: Removing Receive connector \"CAS01\\Client Frontend CAS01\".".into(),
        "What if: Setting Transport configuration.".into(),
        "What if: Performing the operation \"Set-Service\" on target \"Microsoft Exchange POP3 (MSExchangePOP3)\".".into(),
        "What if: Performing the operation \"Start-Service\" on target \"Microsoft Exchange POP3 (MSExchangePOP3)\".".into(),
        "What if: Performing the operation \"Stop-Service\" on target \"Microsoft Exchange POP3 (MSExchangePOP3)\".".into(),
        "What if: Performing the operation \"Restart-Service\" on target \"Microsoft Exchange POP3 (MSExchangePOP3)\".".into(),
        format!("What if: Performing the operation \"Set Content\" on target \"Path: {folder}/keep.txt\"."),
        format!("What if: Performing the operation \"Add Content\" on target \"Path: {folder}/keep.txt\"."),
        format!("What if: Performing the operation \"Create File\" on target \"Destination: {folder}/new.txt\"."),
        format!("What if: Performing the operation \"Copy File\" on target \"Item: {folder}/keep.txt Destination: {folder}/copy.txt\"."),
        format!("What if: Performing the operation \"Move File\" on target \"Item: {folder}/keep.txt Destination: {folder}/moved.txt\"."),
        format!("What if: Performing the operation \"Rename File\" on target \"Item: {folder}/keep.txt Destination: {folder}/renamed.txt\"."),
        format!("What if: Performing the operation \"Remove File\" on target \"{folder}/keep.txt\"."),
        format!("What if: Performing the operation \"Output to File\" on target \"{folder}/out.txt\"."),
        format!("What if: Performing the operation \"Export-Csv\" on target \"{folder}/export.csv\"."),
        format!("What if: Performing the operation \"Start-Transcript\" on target \"{folder}/transcript.txt\"."),
        "What if: Performing the operation \"Set variable\" on target \"Name: kept Value: 2\".".into(),
        "What if: Performing the operation \"Clear variable\" on target \"Name: kept\".".into(),
        "What if: Performing the operation \"Remove variable\" on target \"Name: kept\".".into(),
        "What if: Performing the operation \"New variable\" on target \"Name: fresh Value: 3\".".into(),
        "kept=1 fresh=False".into(),
    ];
    let got: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(got, expected, "{}", r.stdout);

    let after = mailsh(&store, dir.path(), &["-Command", "-"], STATE);
    assert_eq!(after.stdout, before.stdout, "-WhatIf changed something");
}

#[test]
fn a_confirmation_nobody_can_answer_is_an_error_that_changes_nothing() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = dir.path().join("config.db");
    assert_eq!(mailsh(&store, dir.path(), &["-Command", "-"], SETUP).code, 0);
    let before = mailsh(&store, dir.path(), &["-Command", "-"], STATE);

    for args in [&["-NonInteractive", "-Command", "-"][..], &["-Command", "-"][..]] {
        let r = mailsh(
            &store,
            dir.path(),
            args,
            "Set-CASMailbox jsmith -ImapEnabled $false -Confirm\nRemove-Mailbox jsmith\nStop-Service MSExchangePOP3 -Confirm\nRemove-Item keep.txt -Confirm\n",
        );
        assert_eq!(r.code, 1, "{args:?}");
        assert_eq!(
            r.stderr
                .matches(
                    "Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available."
                )
                .count(),
            4,
            "{}",
            r.stderr
        );
        assert!(r.stderr.starts_with("Set-CASMailbox : Windows PowerShell is in NonInteractive mode."), "{}", r.stderr);
    }
    let after = mailsh(&store, dir.path(), &["-Command", "-"], STATE);
    assert_eq!(after.stdout, before.stdout, "a refused confirmation changed something");

    // -Confirm:$false goes ahead without asking, even for Remove-Mailbox.
    let r = mailsh(
        &store,
        dir.path(),
        &["-NonInteractive", "-Command", "-"],
        "Remove-Mailbox jsmith -Confirm:$false\n@(Get-Mailbox).Count\n",
    );
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "0\n", ""));
}

#[test]
fn ctrl_c_ends_a_batch_script_with_a_message_and_a_failure() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailsh"))
        .args(["-NonInteractive", "-Command", "'started'; while ($true) { }; 'never'"])
        .env("MAILSH_STORE", dir.path().join("config.db"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mailsh runs");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("the first line");
    assert_eq!(first, "started\n");
    // SAFETY: a signal to the child we started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().expect("mailsh ends");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).expect("the rest of the output");
    assert_eq!(rest, "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "The pipeline has been stopped.\n");
}

#[test]
fn script_functions_ask_by_their_confirm_impact() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = dir.path().join("config.db");
    let script = "\
function Remove-Thing { [CmdletBinding(SupportsShouldProcess, ConfirmImpact='High')] param($Name) if ($PSCmdlet.ShouldProcess($Name)) { \"removed $Name\" } }
function Set-Thing { [CmdletBinding(SupportsShouldProcess)] param($Name) if ($PSCmdlet.ShouldProcess($Name)) { \"set $Name\" } }
Set-Thing a
Remove-Thing b -Confirm:$false
Remove-Thing c -WhatIf
Remove-Thing d
";
    let r = mailsh(&store, dir.path(), &["-NonInteractive", "-Command", "-"], script);
    assert_eq!(r.stdout, "set a\nremoved b\nWhat if: Performing the operation \"Remove-Thing\" on target \"c\".\n");
    assert!(
        r.stderr.starts_with(
            "Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.\n"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(r.code, 1);
}
