//! Replay: every transcript in examples/ and tests/transcripts/ passes; a
//! broken one fails with a readable diff; -Update rewrites it.

mod common;
use common::*;

fn replay(args: &[&str]) -> Run {
    let shell = Shell::new();
    let o = shell.command().arg("-Replay").args(args).output().expect("mailsh runs");
    Run {
        stdout: String::from_utf8_lossy(&o.stdout).into(),
        stderr: String::from_utf8_lossy(&o.stderr).into(),
        code: o.status.code().unwrap_or(-1),
    }
}

#[test]
fn every_example_and_test_transcript_replays() {
    let root = env!("CARGO_MANIFEST_DIR");
    let r = replay(&[&format!("{root}/examples"), &format!("{root}/tests/transcripts")]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.lines().last().is_some_and(|l| l.ends_with(" passed, 0 failed")), "{}", r.stdout);
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
    assert!(r.stdout.ends_with("0 passed, 1 failed\n"), "{}", r.stdout);

    let r = replay(&[path.to_str().unwrap(), "-Update"]);
    assert_eq!(r.code, 1, "the run that updates still reports the failure");
    let fixed = file_text(&path);
    assert!(fixed.contains("ImapEnabled : True"), "{fixed}");
    let r = replay(&[path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.ends_with("1 passed, 0 failed\n"));
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
