//! Replay: every transcript in examples/ and tests/transcripts/ passes; a
//! broken one fails with a readable diff; -Update rewrites it.

use crate::support::*;

use mailsh::hosts::replay::PORT_VARIABLES;

/// `mailsh -Replay ARGS`, every port variable on a free port.
fn replay(args: &[&str]) -> Run {
    let shell = Shell::new();
    let mut command = shell.command();
    for (_, env, _) in PORT_VARIABLES {
        command.env(env, free_port().to_string());
    }
    // On the PostgreSQL run of the suite, each transcript gets a scratch
    // database on the test server.
    if on_postgres() {
        command.arg("-Store").arg(postgres::server_url());
    }
    Run::from(command.arg("-Replay").args(args).output().expect("mailsh runs"))
}

#[test]
fn every_example_and_test_transcript_replays() {
    let root = env!("CARGO_MANIFEST_DIR");
    let r = replay(&[&format!("{root}/examples"), &format!("{root}/tests/transcripts")]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    // The transcripts of several servers replay on a directory only.
    let skipped = if on_postgres() { " 0 skipped," } else { " 1 skipped," };
    let last = r.stdout.lines().last().unwrap_or_default();
    assert!(last.ends_with(&format!("{skipped} 0 failed")), "{}", r.stdout);
    if on_postgres() {
        // Every scratch database was dropped.
        let mut admin = ::postgres::Client::connect(&postgres::server_url(), ::postgres::NoTls).unwrap();
        let left = admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'mailsh_replay_%'", &[]).unwrap();
        assert!(left.is_empty(), "{} scratch databases left", left.len());
    }
}

const BROKEN: &str = "PS C:\\Users\\admin> New-Mailbox -Name \"John Smith\" -Alias jsmith -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Out-Null
PS C:\\Users\\admin> Get-CASMailbox \"John Smith\" | Format-List Name,ImapEnabled

Name        : John Smith
ImapEnabled : False

";

#[test]
fn a_broken_transcript_fails_with_a_diff_and_update_fixes_it() {
    let shell = Shell::new();
    let path = shell.path("broken.ps1");
    std::fs::write(&path, BROKEN).unwrap();
    let r = replay(&[path.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("FAIL "), "{}", r.stdout);
    assert!(
        r.stdout.contains("@@ line 2: Get-CASMailbox \"John Smith\" | Format-List Name,ImapEnabled @@"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("-ImapEnabled : False\n+ImapEnabled : True\n")
            || r.stdout.contains("+ImapEnabled : True\n-ImapEnabled : False\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.ends_with("0 passed, 0 skipped, 1 failed\n"), "{}", r.stdout);

    let r = replay(&[path.to_str().unwrap(), "-Update"]);
    assert_eq!(r.code, 1, "the run that updates still reports the failure");
    let fixed = file_text(&path);
    assert!(fixed.contains("ImapEnabled : True"), "{fixed}");
    let r = replay(&[path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.ends_with("1 passed, 0 skipped, 0 failed\n"));
}

#[test]
fn wildcards_absorb_volatile_values() {
    let shell = Shell::new();
    let path = shell.path("wild.ps1");
    std::fs::write(
        &path,
        "PS> Get-Mailbox -ResultSize 1\nPS> New-Mailbox -Name Ann -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force) | Format-List Name,Guid,WhenCreated\n\nName        : Ann\nGuid        : [..]\nWhenCreated : [..] [..]M\n\nPS> Get-Command Get-*Settings\n...\nCmdlet          Get-PopSettings[..]\n...\n",
    )
    .unwrap();
    let r = replay(&[path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn the_replayer_sets_the_port_variables_from_the_environment_or_defaults() {
    let shell = Shell::new();
    let names: Vec<String> = PORT_VARIABLES.iter().map(|(name, ..)| format!("${name}")).collect();
    let transcript = |path: &str, values: &[String]| {
        let path = shell.path(path);
        std::fs::write(&path, format!("PS> \"{}\"\n{}\n", names.join(" "), values.join(" "))).unwrap();
        path
    };
    let clean = || {
        let mut command = shell.command();
        for (_, env, _) in PORT_VARIABLES {
            command.env_remove(env);
        }
        command
    };

    let defaults: Vec<String> = PORT_VARIABLES.iter().map(|(.., port)| port.to_string()).collect();
    let path = transcript("defaults.ps1", &defaults);
    let r = Run::from(clean().arg("-Replay").arg(&path).output().expect("mailsh runs"));
    assert_eq!(r.code, 0, "{}", r.stdout);

    let free: Vec<String> = PORT_VARIABLES.iter().map(|_| free_port().to_string()).collect();
    let path = transcript("free.ps1", &free);
    let mut command = clean();
    for ((_, env, _), port) in PORT_VARIABLES.iter().zip(&free) {
        command.env(env, port);
    }
    let r = Run::from(command.arg("-Replay").arg(&path).output().expect("mailsh runs"));
    assert_eq!(r.code, 0, "{}", r.stdout);

    let r = Run::from(clean().env("MAILSH_IMAP_PORT", "imap").arg("-Replay").arg(&path).output().expect("mailsh runs"));
    assert_eq!((r.code, r.stdout.as_str()), (64, ""), "a bad port refuses the run");
    assert_eq!(r.stderr, "MAILSH_IMAP_PORT is \"imap\", not a port number (1 to 65535).\n");
}
