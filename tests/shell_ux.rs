//! What an administrator expects of the shell in batch: Get-Help with
//! wildcards lists the matching commands and about_ topics, Clear-Host
//! writes nothing into redirected output.

use std::process::Command;

fn command(dir: &std::path::Path, text: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mailsh"))
        .args(["-NonInteractive", "-Command", text])
        .current_dir(dir)
        .env("MAILSH_STORE", dir.join("config.db"))
        .env("MAILSH_SERVER", "CAS01")
        .env("MAILSH_DOMAIN", "contoso.com")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .output()
        .expect("mailsh runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn get_help_with_a_wildcard_lists_the_matching_commands() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (code, stdout, stderr) = command(dir.path(), "Get-Help *-ImapSettings");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "\nName             Category Synopsis\n----             -------- --------\nGet-ImapSettings Cmdlet   Shows the IMAP4 settings of a server.\nSet-ImapSettings Cmdlet   Changes the IMAP4 settings of a server.\n\n"
    );
    // One match shows that command's help.
    let (_, stdout, _) = command(dir.path(), "Get-Help Set-ImapSet* -Parameter Banner");
    assert!(stdout.starts_with("\n    -Banner <String>\n        The greeting clients see.\n"), "{stdout}");
    let (code, _, stderr) = command(dir.path(), "Get-Help *NoSuchThing*");
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("Get-Help : Get-Help could not find *NoSuchThing* in a help file in this session."),
        "{stderr}"
    );
}

#[test]
fn clear_host_writes_nothing_into_redirected_output() {
    let dir = tempfile::tempdir().expect("temporary folder");
    assert_eq!(command(dir.path(), "Clear-Host; cls; clear; 'after'"), (0, "after\n".to_string(), String::new()));
}

#[test]
fn about_topics_are_listed_and_shown() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (code, stdout, stderr) = command(dir.path(), "Get-Help about_* | ForEach-Object Name");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(stdout, "about_mailsh\nabout_mailsh_Shell\nabout_CommonParameters\nabout_Preference_Variables\n");
    let (code, stdout, _) = command(dir.path(), "Get-Help about_commonparameters");
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("\nTOPIC\n    about_CommonParameters\n\nSHORT DESCRIPTION\n    Parameters every command takes.\n\nLONG DESCRIPTION\n"),
        "{stdout}"
    );
}
