//! A real sync client against the services: NeoMutt (Debian's neomutt, with
//! its header cache and `imap_qresync`) makes a full sync of the Inbox,
//! the server changes (a flag set by another client, a message expunged, a
//! message delivered), then a second run resynchronises incrementally:
//! the server's protocol log must show `ENABLE QRESYNC` and `UID FETCH ...
//! (CHANGEDSINCE modseq VANISHED)` with the modseq of the first run, and
//! the client must end with exactly the server's messages and flags (it
//! copies them to a local mbox, whose Status/X-Status headers carry them).
//! (mbsync 1.4 and offlineimap, the other sync clients in Debian, use
//! neither CONDSTORE nor QRESYNC.)

use std::process::Command;

use crate::support::{Env, PASSWORD, USER, imaplib_session, message};

/// The front end's and the back end's protocol logs so far.
fn protocol_logs(env: &Env) -> [String; 2] {
    [env.protocol_log("IMAP4"), env.protocol_log("IMAP4BE")]
}

/// Runs neomutt once in a pseudo-terminal: it opens the Inbox (syncing its
/// header cache), runs `keys`, and quits. Bounded by a deadline.
fn neomutt(env: &Env, home: &std::path::Path, keys: &str) {
    let rc = home.join("neomuttrc");
    std::fs::write(
        &rc,
        format!(
            "set imap_user='{USER}'\nset imap_pass='{PASSWORD}'\nset folder='imap://127.0.0.1:{port}/'\n\
             set spoolfile='+INBOX'\nset header_cache='{hc}'\nset imap_condstore=yes\nset imap_qresync=yes\n\
             set ssl_starttls=no\nset ssl_force_tls=no\nset imap_passive=no\nset imap_check_subscribed=no\n\
             set confirmcreate=no\nset confirmappend=no\nset quit=yes\nset mbox_type=mbox\nset move=no\n\
             set sort=date\nset mark_old=no\nset beep=no\nset timeout=1\n",
            port = env.plain_port,
            hc = home.join("hcache").display()
        ),
    )
    .expect("neomuttrc written");
    let command = format!("neomutt -n -F {} -e 'push \"{keys}q\"'", rc.display());
    let out = Command::new("timeout")
        .args(["60", "script", "-qec", &command, "/dev/null"])
        .env("TERM", "xterm")
        .env("HOME", home)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("neomutt runs under script");
    assert!(out.status.success(), "neomutt: {:?}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
}

#[test]
fn neomutt_resynchronises_with_qresync_after_a_full_sync() {
    let mut env = Env::imap(false);
    for (subject, body) in [("alpha", "a\r\n"), ("beta", "b\r\n"), ("gamma", "c\r\n")] {
        env.deliver(&message(subject, body));
    }
    env.start_imap();
    let home = env.dir.path().join("client");
    std::fs::create_dir_all(&home).expect("client home");
    neomutt(&env, &home, "");
    let before = protocol_logs(&env);
    let first = before.concat();
    assert!(first.contains("ENABLE (QRESYNC)") || first.contains("ENABLE (CONDSTORE QRESYNC)"), "{first}");
    // Changes made by another client while the first is away.
    let (ok, out, err) = imaplib_session(
        &env,
        r#"
m.select('INBOX')
m.store('2', '+FLAGS', '(\\Flagged)')
m.store('3', '+FLAGS', '(\\Deleted)')
m.expunge()
m.append('INBOX', None, None, b'From: Alice <alice@contoso.com>\r\nSubject: delta\r\nDate: Mon, 2 Nov 2026 11:00:00 +0000\r\n\r\nd\r\n')
typ, data = m.status('INBOX', '(HIGHESTMODSEQ UIDVALIDITY)')
print('status', data[0].decode())
m.logout()
"#,
    );
    assert!(ok, "{out}\n{err}");
    let mbox = home.join("copy.mbox");
    neomutt(&env, &home, &format!("<tag-pattern>~A<enter><tag-prefix><copy-message>{}<enter>", mbox.display()));
    // What each log gained during the second run.
    let second: String =
        protocol_logs(&env).iter().zip(&before).map(|(now, was)| now.get(was.len()..).unwrap_or_default()).collect();
    // The first run saw HIGHESTMODSEQ 4 (three deliveries after the
    // folder's 1); the second asks for what changed since, and for the
    // UIDs that vanished (RFC 7162 3.2.6).
    assert!(second.contains("ENABLE (QRESYNC)"), "{second}");
    assert!(second.contains(" FETCH (CHANGEDSINCE 4 VANISHED)"), "no incremental FETCH in the second run:\n{second}");
    assert!(!first.contains("CHANGEDSINCE"), "the first run had nothing cached: {first}");
    let copied = std::fs::read_to_string(&mbox).expect("the client copied the Inbox");
    let subjects: Vec<&str> = copied.lines().filter_map(|l| l.strip_prefix("Subject: ")).collect();
    assert_eq!(subjects, ["alpha", "beta", "delta"], "{copied}");
    let beta = copied.split("Subject: beta").nth(1).unwrap_or_default().split("\n\n").next().unwrap_or_default();
    let before_beta = copied.split("Subject: beta").next().unwrap_or_default();
    let beta_headers = format!("{}{}", before_beta.rsplit("\nFrom ").next().unwrap_or_default(), beta);
    assert!(beta_headers.contains("X-Status: F") || beta_headers.contains("X-Status: AF"), "beta is flagged: {copied}");
}
