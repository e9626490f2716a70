//! The interactive shell an administrator trusts, through a real
//! pseudo-terminal: -Confirm asks in PowerShell's words and its answers
//! hold (Y, N, A, L, Ctrl-C); secrets show `*` and reach neither history nor
//! transcript; Ctrl-C stops a running pipeline, a prompt or a network wait
//! and the shell stays; history is written line by line; Clear-Host; Tab
//! completion of members, variables and paths; a transcript recorded on
//! another domain replays.

use std::process::Command;

use crate::support::pty::Pty;

fn spawn(store: &std::path::Path) -> Pty {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailsh"));
    cmd.env("MAILSH_STORE", store)
        .env("MAILSH_SERVER", "CAS01")
        .env("MAILSH_DOMAIN", "contoso.com")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    Pty::spawn(cmd)
}

const PROMPT: &str = "[PS] CAS01>";
const CHOICES: &str = "[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is \"Y\"): ";

/// The confirmation as the terminal shows it (the output is in cooked mode,
/// so every line ends in CR LF).
fn confirmation(operation: &str) -> String {
    format!("\r\nConfirm\r\nAre you sure you want to perform this action?\r\n{operation}\r\n{CHOICES}")
}

fn new_mailbox(s: &mut Pty, name: &str, alias: &str) {
    s.run(&format!(
        "New-Mailbox -Name \"{name}\" -Alias {alias} -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null"
    ));
}

/// Runs `expr` and waits for `expected` on its own line.
fn check(s: &mut Pty, expr: &str, expected: &str) {
    s.run(expr);
    s.expect(&format!("\r\n{expected}\r\n"));
}

#[test]
fn confirm_asks_and_each_answer_holds() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut s = spawn(&dir.path().join("config.db"));
    s.expect(PROMPT);
    new_mailbox(&mut s, "John Smith", "jsmith");
    new_mailbox(&mut s, "Ken Sanchez", "ksanchez");
    new_mailbox(&mut s, "Pat Colon", "pcolon");

    // N: nothing changes.
    s.send_line("Set-CASMailbox jsmith -PopEnabled $false -Confirm");
    s.expect(&confirmation("Setting Client Access server mailbox \"jsmith\"."));
    s.press("n\r");
    check(&mut s, "(Get-CASMailbox jsmith).PopEnabled", "True");

    // ? explains the answers and asks again; Y changes it.
    s.send_line("Set-CASMailbox jsmith -PopEnabled $false -Confirm");
    s.expect(CHOICES);
    s.send("?\r");
    s.expect("L - Skip this operation and all subsequent operations.\r\n");
    s.expect(CHOICES);
    s.press("y\r");
    check(&mut s, "(Get-CASMailbox jsmith).PopEnabled", "False");

    // A: one question for the whole pipeline, every record changed.
    s.send_line("Get-CASMailbox | Set-CASMailbox -ImapEnabled $false -Confirm");
    s.expect(&confirmation("Setting Client Access server mailbox \"contoso.com/Users/John Smith\"."));
    s.press("a\r");
    check(&mut s, "@(Get-CASMailbox | Where-Object { $_.ImapEnabled }).Count", "0");

    // L: one question, nothing changed.
    s.send_line("Get-CASMailbox | Set-CASMailbox -MAPIEnabled $false -Confirm");
    s.expect(CHOICES);
    s.press("l\r");
    check(&mut s, "@(Get-CASMailbox | Where-Object { -not $_.MAPIEnabled }).Count", "0");

    // Services take -WhatIf and -Confirm too.
    s.run("Stop-Service MSExchangeIMAP4 -WhatIf");
    s.expect(
        "What if: Performing the operation \"Stop-Service\" on target \"Microsoft Exchange IMAP4 (MSExchangeIMAP4)\".\r\n",
    );
    s.send_line("Set-Service MSExchangePOP3 -StartupType Disabled -Confirm");
    s.expect(&confirmation(
        "Performing the operation \"Set-Service\" on target \"Microsoft Exchange POP3 (MSExchangePOP3)\".",
    ));
    s.press("n\r");
    check(&mut s, "(Get-Service MSExchangePOP3).StartType", "Manual");

    // Remove-Mailbox asks unprompted (ConfirmImpact High); Ctrl-C at the
    // question keeps the mailbox and the shell.
    s.send_line("Remove-Mailbox pcolon");
    s.expect(&confirmation(
        "Removing mailbox \"pcolon\" will remove the Active Directory user object and mark the mailbox and the archive (if present) in the database for removal.",
    ));
    s.press("\x03");
    check(&mut s, "(Get-Mailbox pcolon).Name", "Pat Colon");

    // $ConfirmPreference = 'Medium' makes a Set ask without -Confirm.
    s.run("$ConfirmPreference = 'Medium'");
    s.send_line("Set-CASMailbox ksanchez -OWAEnabled $false");
    s.expect(&confirmation("Setting Client Access server mailbox \"ksanchez\"."));
    s.press("\r");
    check(&mut s, "(Get-CASMailbox ksanchez).OWAEnabled", "False");

    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));
}

#[test]
fn secrets_are_masked_and_never_kept() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let transcript = dir.path().join("session.txt");
    let mut s = spawn(&dir.path().join("config.db"));
    s.expect(PROMPT);
    s.send_line(&format!("Start-Transcript -Path {}", transcript.display()));
    s.expect("Transcript started, output file is");
    s.expect(PROMPT);

    // Get-Credential: one `*` per character.
    s.send_line("$c = Get-Credential -UserName admin");
    s.expect("Password for user admin: ");
    s.send("Secret1x");
    s.expect("********");
    s.press("\r");
    check(&mut s, "$c.UserName", "admin");
    check(&mut s, "$c.GetNetworkCredential().Password.Length", "8");

    // A mandatory SecureString parameter, asked for.
    s.send_line("New-Mailbox -Name \"Pat Colon\"");
    s.expect("Supply values for the following parameters:\r\n");
    s.expect("Password: ");
    s.send("Hidden2y");
    s.expect("********");
    s.press("\r");
    check(&mut s, "(Get-Mailbox 'Pat Colon').Name", "Pat Colon");

    // Read-Host -AsSecureString.
    s.send_line("$p = Read-Host -Prompt 'PIN' -AsSecureString");
    s.expect("PIN: ");
    s.send("Quiet3z");
    s.expect("*******");
    s.press("\r");

    s.run("Stop-Transcript");
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));

    let history = std::fs::read_to_string(dir.path().join("config.db.d/history.txt")).expect("history");
    let text = std::fs::read_to_string(&transcript).expect("transcript");
    for secret in ["Secret1x", "Hidden2y", "Quiet3z"] {
        assert!(!history.contains(secret), "{secret} in history:\n{history}");
        assert!(!text.contains(secret), "{secret} in the transcript:\n{text}");
    }
    assert!(history.contains("$c = Get-Credential -UserName admin"), "{history}");
}

#[test]
fn ctrl_c_stops_the_command_never_the_shell() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut s = spawn(&dir.path().join("config.db"));
    s.expect(PROMPT);

    // A long pipeline stops between records.
    s.send_line("1..1000 | ForEach-Object { 1..1000 } | ForEach-Object { if ($_ -eq 1) { Write-Host 'started' }; $_ } | Out-Null");
    s.expect("started\r\n");
    s.press("\x03");
    check(&mut s, "'still here'", "still here");

    // A prompt for a mandatory parameter.
    s.send_line("Set-CASMailbox -ImapEnabled $false");
    s.expect("Identity: ");
    s.press("\x03");
    check(&mut s, "'after the prompt'", "after the prompt");

    // A network wait: a server that accepts and never says a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("a listening socket");
    let port = silent.local_addr().expect("its address").port();
    s.send_line(&format!(
        "Write-Host 'probing'; Test-ImapConnectivity 127.0.0.1 -ConnectionType Plaintext -PortClientAccessServer {port} -PerConnectionTimeout 600 -MailboxCredential (New-Object System.Management.Automation.PSCredential('a@contoso.com', (ConvertTo-SecureString 'x' -AsPlainText -Force)))"
    ));
    s.expect("probing\r\n");
    // Wait until the probe is connected, so Ctrl-C lands during the wait.
    silent.set_nonblocking(true).expect("non-blocking accept");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let _conn = loop {
        match silent.accept() {
            Ok(c) => break c,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(std::time::Instant::now() < deadline, "the probe never connected");
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) => panic!("accept: {e}"),
        }
    };
    s.press("\x03");
    check(&mut s, "'after the wait'", "after the wait");

    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));
}

#[test]
fn history_survives_a_killed_shell() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = dir.path().join("config.db");
    let mut s = spawn(&store);
    s.expect(PROMPT);
    s.run("'first line'");
    s.run("'second line'");
    drop(s); // SIGKILL: no clean exit.
    let history = std::fs::read_to_string(dir.path().join("config.db.d/history.txt")).expect("history");
    assert!(history.contains("'first line'") && history.contains("'second line'"), "{history}");
}

#[test]
fn clear_host_cls_and_clear_clear_the_screen() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut s = spawn(&dir.path().join("config.db"));
    s.expect(PROMPT);
    for command in ["Clear-Host", "cls", "clear"] {
        s.send_line(command);
        s.expect("\x1b[H\x1b[2J\x1b[3J");
        s.expect(PROMPT);
    }
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));
}

#[test]
fn tab_completes_members_variables_and_paths() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("schedule.ps1"), "'from the script'").expect("a script");
    let mut s = spawn(&dir.path().join("config.db"));
    s.expect(PROMPT);
    new_mailbox(&mut s, "John Smith", "jsmith");
    s.run("$mbx = Get-CASMailbox jsmith");
    s.send("$mbx.PopUse\t");
    // (the line is highlighted: `$mbx` and the member are painted apart)
    s.expect(".PopUseProtocolDefaults");
    s.enter();
    s.expect("\r\nTrue\r\n");
    s.send("$WhatIfPref\t");
    s.expect("WhatIfPreference");
    s.enter();
    s.expect("\r\nFalse\r\n");
    // Property names from the objects the pipeline carries.
    s.send("Get-CASMailbox | Select-Object -ExpandProperty PopUse\t");
    s.expect("PopUseProtocolDefaults");
    s.enter();
    s.expect("\r\nTrue\r\n");
    s.send(&format!("& {}/sched\t", dir.path().display()));
    s.expect("schedule.ps1");
    s.enter();
    s.expect("\r\nfrom the script\r\n");
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));
}

#[test]
fn tab_with_no_match_leaves_the_line_and_enter_runs_it() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut s = spawn(&dir.path().join("config.db"));
    s.expect(PROMPT);
    s.send("Set-CASMailbox -Zz\t");
    s.send("\r");
    s.expect("Set-CASMailbox : A parameter cannot be found that matches parameter name 'Zz'.\r\n");
    s.expect(PROMPT);
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));
}

#[test]
fn a_transcript_replays_with_the_domain_and_width_it_was_recorded_with() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let transcript = dir.path().join("session.ps1");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailsh"));
    cmd.env("MAILSH_STORE", dir.path().join("config.db"))
        .env("MAILSH_SERVER", "CAS01")
        .env("MAILSH_DOMAIN", "mailsh.local")
        .env("COLUMNS", "60")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut s = Pty::spawn(cmd);
    s.expect(PROMPT);
    s.send_line(&format!("Start-Transcript -Path {}", transcript.display()));
    s.expect("Transcript started, output file is");
    s.expect(PROMPT);
    new_mailbox(&mut s, "John Smith", "jsmith");
    s.run("Set-CASMailbox jsmith -PopEnabled $false -WhatIf");
    s.run("Get-CASMailbox nobody");
    // Laid out in the recorded console's 60 columns, on replay too.
    s.run("[pscustomobject]@{Alpha = 'word ' * 30; Beta = 1} | Format-Table");
    s.run("Stop-Transcript");
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));
    let text = std::fs::read_to_string(&transcript).expect("the transcript");
    assert!(text.contains("couldn't be found on 'cas01.mailsh.local'"), "{text}");
    assert!(text.contains("\nConsole Width: 60\n"), "{text}");
    assert!(text.contains("\nword word word word word word word word word word wo...    1\n"), "{text}");

    let out = Command::new(env!("CARGO_BIN_EXE_mailsh")).arg("-Replay").arg(&transcript).output().expect("replay runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.ends_with("1 passed, 0 skipped, 0 failed\n"), "{stdout}");
}

#[test]
fn ctrl_r_then_enter_runs_the_line_found() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut s = spawn(&dir.path().join("config.db"));
    s.expect(PROMPT);
    check(&mut s, "'alpha ' + 'one'", "alpha one");
    check(&mut s, "'beta ' + 'two'", "beta two");
    s.send("\x12alph");
    s.expect("bck-i-search: alph");
    s.press("\r");
    s.expect("\r\nalpha one\r\n");
    // The next prompt starts empty, and the line found is history again.
    check(&mut s, "'after'", "after");
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));
    let history = std::fs::read_to_string(dir.path().join("config.db.d/history.txt")).expect("history");
    assert_eq!(history.lines().filter(|l| *l == "'alpha ' + 'one'").count(), 2, "{history}");
}

/// The REPL on a 40-column terminal.
fn spawn_narrow(store: &std::path::Path) -> Pty {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailsh"));
    cmd.env("MAILSH_STORE", store)
        .env("MAILSH_SERVER", "CAS01")
        .env("MAILSH_DOMAIN", "contoso.com")
        .env("COLUMNS", "40")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    Pty::spawn(cmd)
}

/// The progress pane as drawn: cursor saved, each row at the top of the
/// window in reverse video (colour is off) padded to 40 columns, rows of a
/// taller pane drawn before blanked, cursor restored.
fn pane(rows: &[&str], blanked: usize) -> String {
    let mut text = String::from("\x1b7");
    for (i, row) in rows.iter().enumerate() {
        text.push_str(&format!("\x1b[{};1H\x1b[7m{row:<40}\x1b[0m", i + 1));
    }
    for i in rows.len()..rows.len() + blanked {
        text.push_str(&format!("\x1b[{};1H\x1b[2K", i + 1));
    }
    text + "\x1b8"
}

/// Runs a line and returns its output whole: from the end of the echoed
/// line to the prompt drawn again (reedline starts it by hiding the cursor).
fn output_of(s: &mut Pty, line: &str) -> String {
    s.send_line(line);
    s.expect("\x1b[?25h\x1b[J\r\n");
    let out = s.read_until("\x1b[0m\x1b[?25l");
    s.expect(PROMPT);
    out
}

#[test]
fn write_progress_draws_the_pane_at_the_top_and_output_goes_under_it() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut s = spawn_narrow(&dir.path().join("config.db"));
    s.expect(PROMPT);
    let full = [
        "",
        " Checking mailboxes",
        "    Ann Beebe",
        "    [oooooooooooooo              ]",
        "    00:01:15 remaining.",
        "",
        "    Reading the IMAP4 settings",
        "",
    ];
    let out = output_of(
        &mut s,
        "Write-Progress -Activity 'Checking mailboxes' -Status 'Ann Beebe' -PercentComplete 50 -SecondsRemaining 75 -CurrentOperation 'Reading the IMAP4 settings'; Write-Host 'under the pane'; Write-Progress -Activity 'Checking mailboxes' -Completed; Write-Host 'after'",
    );
    // Drawn; taken down around the output, drawn again; -Completed blanks it.
    let expected = [
        pane(&full, 0),
        pane(&[], 8),
        "under the pane\r\n".to_string(),
        pane(&full, 0),
        pane(&[], 8),
        "after\r\n".to_string(),
    ]
    .concat();
    assert_eq!(out, expected);

    // Nested activities: the child two columns in under its parent.
    let out = output_of(
        &mut s,
        "Write-Progress -Id 1 -Activity 'All servers' -Status 'CAS01'; Write-Progress -Id 2 -ParentId 1 -Activity 'Mailboxes' -Status 'jsmith' -PercentComplete 100",
    );
    let parent = ["", " All servers", "    CAS01", ""];
    let nested =
        ["", " All servers", "    CAS01", "   Mailboxes", "      jsmith", "      [oooooooooooooooooooooooooo]", ""];
    // A command line that never said -Completed leaves no pane behind.
    assert_eq!(out, [pane(&parent, 0), pane(&nested, 0), pane(&[], 7)].concat());

    // $ProgressPreference SilentlyContinue: nothing drawn.
    let out = output_of(
        &mut s,
        "$ProgressPreference = 'SilentlyContinue'; Write-Progress -Activity 'Hidden' -Status 'x'; 'shown'",
    );
    assert_eq!(out, "shown\r\n");
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));
}

#[test]
fn progress_stays_out_of_the_transcript() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let transcript = dir.path().join("session.txt");
    let mut s = spawn_narrow(&dir.path().join("config.db"));
    s.expect(PROMPT);
    s.run(&format!("Start-Transcript -Path {}", transcript.display()));
    s.send_line("Write-Progress -Activity 'Checking mailboxes' -Status 'Ann Beebe'; 'done'");
    s.expect(" Checking mailboxes");
    s.expect("done\r\n");
    s.expect(PROMPT);
    s.run("Stop-Transcript");
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));
    let text = std::fs::read_to_string(&transcript).expect("the transcript");
    assert!(text.contains("\ndone\n"), "{text}");
    assert!(!text.contains("Ann Beebe\n") && !text.contains('\x1b'), "{text}");
}

#[test]
fn a_bulk_change_that_runs_past_a_second_shows_how_many_records_are_done() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = dir.path().join("config.db");
    let made = Command::new(env!("CARGO_BIN_EXE_mailsh"))
        .args(["-NonInteractive", "-Command", "New-Mailbox -Name 'John Smith' -Alias jsmith -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null"])
        .env("MAILSH_STORE", &store)
        .env("MAILSH_SERVER", "CAS01")
        .env("MAILSH_DOMAIN", "contoso.com")
        .output()
        .expect("mailsh runs");
    assert!(made.status.success(), "{made:?}");
    let mut s = spawn_narrow(&store);
    s.expect(PROMPT);
    // Five records, one every 300 ms: past the first second the writer's
    // count is shown; the pane goes with the pipeline.
    let line = "1..5 | ForEach-Object { Start-Sleep -Milliseconds 300; 'jsmith' } | Set-CASMailbox -PopEnabled $false -WarningAction SilentlyContinue";
    let out = output_of(&mut s, line);
    let first = (3..=5)
        .map(|n| pane(&["", " Set-CASMailbox", &format!("    Processed {n} objects"), ""], 0))
        .find(|p| out.starts_with(p.as_str()));
    assert!(first.is_some(), "{out:?}");
    assert!(out.ends_with(&pane(&[], 4)), "{out:?}");
    // A change within the second shows nothing.
    assert_eq!(output_of(&mut s, "'jsmith' | Set-CASMailbox -PopEnabled $true"), "");
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));

    // Nothing of it in redirected output.
    let out = Command::new(env!("CARGO_BIN_EXE_mailsh"))
        .args(["-NonInteractive", "-Command", line])
        .env("MAILSH_STORE", &store)
        .output()
        .expect("mailsh runs");
    assert!(out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
}

/// The line as the editor paints it after a key: the prompt, the command
/// (highlighted), then everything below cleared: no menu, nothing left
/// under the line.
fn painted(line: &str) -> String {
    format!(
        "\x1b[0m\x1b[?25l\x1b[1;2H\x1b[J\x1b[1;1H\x1b[92m{PROMPT}\x1b[96m\x1b[35m\x1b[0m\x1b[0m{line}\x1b7\x1b[2;1H\x1b[J\x1b8"
    )
}

#[test]
fn tab_cycles_in_place_and_shift_tab_goes_back() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut s = spawn(&dir.path().join("config.db"));
    s.expect(PROMPT);
    new_mailbox(&mut s, "John Smith", "jsmith");
    check(&mut s, "'ready'", "ready");
    s.expect("\x1b[?25h");
    let command = |name: &str| painted(&format!("\x1b[33m{name}\x1b[0m"));
    // Each key repaints the line once, with the match in place of the word.
    let key = |s: &mut Pty, keys: &str| {
        s.send(keys);
        s.read_until("\x1b[?25h")
    };
    // One match: Tab puts it in place, a second Tab leaves it.
    assert_eq!(key(&mut s, "Get-CAS\t"), command("Get-CASMailbox"));
    assert_eq!(key(&mut s, "\t"), command("Get-CASMailbox"));
    // Typing ends the round; the next Tab completes the word as it is now.
    key(&mut s, "\x15");
    assert_eq!(key(&mut s, "Get-C\t"), command("Get-CASMailbox"));
    assert_eq!(key(&mut s, "\t"), command("Get-ChildItem"));
    assert_eq!(key(&mut s, "\t"), command("Get-Command"));
    assert_eq!(key(&mut s, "\x1b[Z"), command("Get-ChildItem"));
    assert_eq!(key(&mut s, "\x1b[Z"), command("Get-CASMailbox"));
    // Back past the first match comes round to the last.
    assert_eq!(key(&mut s, "\x1b[Z"), command("Get-Credential"));
    assert_eq!(key(&mut s, "\t"), command("Get-CASMailbox"));
    // Enter runs the line as it stands.
    s.send(" jsmith | Select-Object -ExpandProperty PopEnabled");
    s.press("\r");
    s.expect("\r\nTrue\r\n");
    // Shift-Tab on a fresh word starts from the last match.
    s.expect("\x1b[?25h");
    assert_eq!(key(&mut s, "Get-C\x1b[Z"), command("Get-Credential"));
    s.send("\x15");
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));
}

/// The text of terminal output without its escape sequences.
fn without_escapes(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
        } else if chars.next_if_eq(&'[').is_some() {
            // Parameters and intermediates up to the final byte.
            while chars.next().is_some_and(|c| !c.is_ascii_alphabetic()) {}
        } else {
            chars.next();
        }
    }
    out
}

#[test]
fn ctrl_space_shows_the_matches_as_a_menu() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut s = spawn(&dir.path().join("config.db"));
    s.expect(PROMPT);
    s.expect("\x1b[?25h");
    s.send("Get-C\x00");
    // The line as typed, the grid of every match under it (the first selected).
    let menu = s.read_until("\x1b[?25h");
    assert_eq!(
        without_escapes(&menu),
        format!(
            "{PROMPT}Get-CGet-CASMailbox      Get-ChildItem       Get-Command         Get-Content         \r\nGet-Credential      "
        )
    );
    // Tab moves through the menu, Shift-Tab back, Enter takes the selection.
    s.send("\t");
    s.expect("\x1b[?25h");
    s.send("\x1b[Z");
    s.expect("\x1b[?25h");
    s.send("\r");
    // The grid is gone (the repaint clears below the prompt), the line holds the match.
    assert_eq!(without_escapes(&s.read_until("\x1b[?25h")), format!("{PROMPT}Get-CASMailbox"));
    s.send("\x15");
    s.send_line("exit");
    assert_eq!(s.wait_exit(), Some(0));
}
