//! The REPL through a real pseudo-terminal: prompt, completion, history,
//! multi-line input, the mandatory-parameter prompt, Ctrl-C and exit.

use crate::support::Shell;
use crate::support::pty::Pty;

fn spawn(shell: &Shell) -> Pty {
    let mut cmd = shell.command();
    cmd.env("TERM", "xterm");
    Pty::spawn(cmd)
}

#[test]
fn an_administrator_session_on_a_terminal() {
    let shell = Shell::new();
    let mut s = spawn(&shell);
    s.expect("[PS] CAS01>");

    s.run("New-Mailbox -Name \"John Smith\" -Alias jsmith -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null");

    // Tab completes the cmdlet, a parameter, a Boolean and a mailbox name.
    s.send("Set-CASMail\t");
    s.expect("Set-CASMailbox");
    s.send(" -Identity Joh\t");
    s.expect("\"John Smith\"");
    s.send(" -MAPIEn\t");
    s.expect("-MAPIEnabled");
    s.send(" $fa\t");
    s.expect("$false");
    s.enter();

    s.run("(Get-CASMailbox jsmith).MAPIEnabled");
    s.expect("False");

    // Up arrow brings the last command back.
    s.send("\x1b[A");
    s.enter();
    s.expect("False");

    // An open pipe continues on a `>> ` line.
    s.send_line("Get-CASMailbox |");
    s.expect(">> ");
    s.run("Select-Object -ExpandProperty PrimarySmtpAddress");
    s.expect("jsmith@contoso.com");

    // So does a line ending in a backtick.
    s.send_line("Get-CASMailbox jsmith `");
    s.expect(">> ");
    s.run("-ErrorAction Stop | ForEach-Object { $_.Name + '-continued' }");
    s.expect("John Smith-continued");

    // A missing mandatory parameter is asked for.
    s.send_line("Set-CASMailbox -ImapEnabled $false");
    s.expect("Supply values for the following parameters:");
    s.expect("Identity: ");
    s.run("jsmith");
    s.run("(Get-CASMailbox jsmith).ImapEnabled");
    s.expect("False");

    // Ctrl-C clears the line; exit leaves.
    s.send("Get-Nothing-Typed");
    s.press("\x03");
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));

    let history = std::fs::read_to_string(shell.local_folder().join("history.txt")).unwrap_or_default();
    assert!(history.contains("(Get-CASMailbox jsmith).MAPIEnabled"), "{history}");
    assert!(!history.contains("Get-Nothing-Typed"), "a cleared line is not history");
}

#[test]
fn a_transcript_recorded_in_the_repl_replays() {
    let shell = Shell::new();
    let transcript = shell.path("session.ps1");
    let mut s = spawn(&shell);
    s.expect("[PS] CAS01>");
    s.send_line(&format!("Start-Transcript -Path {}", transcript.display()));
    s.expect("Transcript started, output file is");
    s.expect("[PS] CAS01>");
    s.run("New-Mailbox -Name \"John Smith\" -Alias jsmith -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)");
    s.run("Set-CASMailbox -Identity \"John Smith\" -IMAPEnabled $false");
    s.run("Set-CASMailbox -Identity \"John Smith\" -IMAPEnabled $false");
    s.run("Get-CASMailbox \"John Smith\" | Format-List Name,ImapEnabled");
    s.run("Get-Nothing");
    // A session with a server (here, its own) shows the computer before the
    // prompt until Exit-PSSession; the transcript keeps those prompts.
    s.run("Enter-PSSession cas01");
    s.expect("[CAS01]: PS>");
    s.run("(Get-ExchangeServer).Name");
    s.run("Exit-PSSession");
    s.expect("[PS] CAS01>");
    s.send_line("Stop-Transcript");
    s.expect("Transcript stopped");
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));

    let text = std::fs::read_to_string(&transcript).expect("the transcript was written");
    assert!(text.starts_with("**********************\nWindows PowerShell transcript start\nStart time: "), "{text}");
    assert!(text.contains("\nMachine: CAS01 ("), "{text}");
    assert!(text.contains("\n[PS] CAS01>Get-CASMailbox \"John Smith\" | Format-List Name,ImapEnabled\n\nName        : John Smith\nImapEnabled : False\n"), "{text}");
    assert!(text.contains("\n[CAS01]: PS>(Get-ExchangeServer).Name\nCAS01\n[CAS01]: PS>Exit-PSSession\n"), "{text}");
    assert!(text.ends_with("**********************\n"), "{text}");

    let out = std::process::Command::new(crate::support::exe())
        .arg("-Replay")
        .arg(&transcript)
        .output()
        .expect("replay runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.ends_with("1 passed, 0 skipped, 0 failed\n"), "{stdout}");
}
