//! Quotas end to end: Set-Mailbox's IssueWarningQuota and
//! ProhibitSendReceiveQuota (through the real shell), IMAP QUOTA (RFC 9208)
//! reporting them, APPEND/COPY refused past the limit with `NO
//! [OVERQUOTA]`, an ALERT past the warning, a raised limit taking effect
//! in an open session, and Get-MailboxStatistics reading the same figures.

use std::process::Command;

use crate::support::{Env, USER, exe, message, raw_script, shown};

/// `mailsh -Command script` on the services' store; what it printed.
fn shell(env: &Env, script: &str) -> String {
    let out = Command::new(exe())
        .env("MAILSH_STORE", &env.store)
        .env("NO_COLOR", "1")
        .args(["-NonInteractive", "-Command", script])
        .output()
        .expect("mailsh runs");
    assert!(out.status.success(), "{script}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn quotas_are_reported_enforced_and_shown() {
    let mut env = Env::imap(false);
    let first = message("one", "1\r\n");
    env.deliver(&first);
    assert_eq!(first.len(), 111);
    shell(&env, &format!("Set-Mailbox {USER} -IssueWarningQuota 200B -ProhibitSendReceiveQuota 400B"));
    let q = shell(
        &env,
        &format!("Get-Mailbox {USER} | Format-List IssueWarningQuota,ProhibitSendReceiveQuota,ProhibitSendQuota"),
    );
    assert!(q.contains("IssueWarningQuota        : 200 B (200 bytes)"), "{q}");
    assert!(q.contains("ProhibitSendReceiveQuota : 400 B (400 bytes)"), "{q}");
    assert!(q.contains("ProhibitSendQuota        : Unlimited"), "{q}");
    env.start_imap();
    let out = raw_script(
        &env,
        &format!(
            r#"import subprocess, time, os
a = Raw(); a.login(); a.cmd('SELECT INBOX')
show('root', a.cmd('GETQUOTAROOT INBOX'))
show('quota', a.cmd('GETQUOTA ""'))
show('append', a.cmd(b'APPEND INBOX {{110+}}\r\n' + b'x' * 110))
show('full', a.cmd(b'APPEND INBOX {{200+}}\r\n' + b'y' * 200))
show('copy', a.cmd('COPY 1:* Drafts'))
show('move', a.cmd('MOVE 2 Drafts'))
show('set', a.cmd('SETQUOTA "" (STORAGE 10)'))
print('ready', flush=True)
# Raised by the administrator meanwhile (below): the open session follows.
subprocess.run([os.environ['MAILSH'], '-NonInteractive', '-Command', "Set-Mailbox {USER} -ProhibitSendReceiveQuota 1MB"], check=True, env=dict(os.environ, MAILSH_STORE=os.environ['STORE']))
deadline = time.time() + 10
while True:
    r = a.cmd(b'APPEND INBOX {{200+}}\r\n' + b'y' * 200)
    if r[-1].startswith('TAG OK') or time.time() > deadline:
        break
    a.cmd('NOOP')
show('raised', [l for l in r if 'ALERT' not in l])
"#
        ),
    );
    assert_eq!(
        shown(&out, "root"),
        ["* QUOTAROOT \"INBOX\" \"\"", "* QUOTA \"\" (STORAGE 1 1)", "TAG OK GETQUOTAROOT completed."],
        "{out}"
    );
    assert_eq!(shown(&out, "quota"), ["* QUOTA \"\" (STORAGE 1 1)", "TAG OK GETQUOTA completed."], "{out}");
    let append = shown(&out, "append");
    assert!(
        append[0].starts_with("* OK [ALERT] The mailbox is nearly full: 1 KB used"),
        "221 bytes are past 200: {out}"
    );
    assert!(append.last().is_some_and(|l| l.starts_with("TAG OK [APPENDUID ")), "{out}");
    assert_eq!(
        shown(&out, "full"),
        ["TAG NO [OVERQUOTA] The mailbox is full (ProhibitSendReceiveQuota)."],
        "221 + 200 > 400: {out}"
    );
    assert_eq!(
        shown(&out, "copy").last().copied(),
        Some("TAG NO [OVERQUOTA] The mailbox is full (ProhibitSendReceiveQuota)."),
        "{out}"
    );
    assert!(shown(&out, "move").last().is_some_and(|l| l.starts_with("TAG OK")), "a MOVE adds nothing: {out}");
    assert_eq!(shown(&out, "set"), ["TAG NO [NOPERM] Quotas are set by the administrator (Set-Mailbox)."], "{out}");
    assert!(shown(&out, "raised").last().is_some_and(|l| l.starts_with("TAG OK [APPENDUID ")), "{out}");
    let stats =
        shell(&env, &format!("Get-MailboxStatistics {USER} | Format-List ItemCount,TotalItemSize,StorageLimitStatus"));
    assert!(stats.contains("ItemCount          : 3"), "{stats}");
    assert!(stats.contains("TotalItemSize      : 421 B (421 bytes)"), "{stats}");
    assert!(stats.contains("StorageLimitStatus : IssueWarning"), "{stats}");
}
