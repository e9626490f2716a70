//! Real POP3 clients other than poplib: curl and, when installed, fetchmail.

use std::process::Command;

use crate::support::{Env, message};

#[test]
fn curl_lists_and_retrieves() {
    let mut env = Env::pop(false);
    env.deliver(&message("curl one", "hello from curl\r\n"));
    env.deliver(&message("curl two", "second\r\n"));
    env.start_pop();
    let url = format!("pop3://127.0.0.1:{}/", env.plain_port);
    let creds = format!("{}:{}", crate::support::USER, crate::support::PASSWORD);
    let list = Command::new("curl").args(["-s", "--max-time", "20", "-u", &creds, &url]).output().expect("curl runs");
    assert!(list.status.success(), "{list:?}");
    let text = String::from_utf8_lossy(&list.stdout);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.starts_with("1 "), "{text}");
    let one = Command::new("curl")
        .args(["-s", "--max-time", "20", "-u", &creds, &format!("{url}1")])
        .output()
        .expect("curl runs");
    assert!(one.status.success(), "{one:?}");
    let text = String::from_utf8_lossy(&one.stdout);
    assert!(text.contains("Subject: curl one") && text.contains("hello from curl"), "{text}");
    let bad = Command::new("curl")
        .args(["-s", "--max-time", "20", "-u", &format!("{}:nope", crate::support::USER), &url])
        .output()
        .expect("curl runs");
    assert_eq!(bad.status.code(), Some(67), "curl's 'login denied': {bad:?}");
}

#[test]
fn fetchmail_downloads_and_deletes_over_stls() {
    if Command::new("fetchmail").arg("--version").output().is_err() {
        eprintln!("fetchmail is not installed (apt-get install -y fetchmail); skipping");
        return;
    }
    let mut env = Env::pop(true);
    env.deliver(&message("fm one", "body one\r\n.dotted\r\n"));
    env.deliver(&message("fm two", "body two\r\n"));
    env.start_pop();
    let out_dir = env.dir.path().join("fetched");
    std::fs::create_dir_all(&out_dir).expect("folder");
    let mbox = out_dir.join("mbox");
    let rc = env.dir.path().join("fetchmailrc");
    std::fs::write(
        &rc,
        format!(
            "poll 127.0.0.1 protocol pop3 port {} uidl\n  user \"{}\" password \"{}\" sslproto tls1.2+ no sslcertck\n  mda \"cat >> {}\"\n",
            env.plain_port,
            crate::support::USER,
            crate::support::PASSWORD,
            mbox.display()
        ),
    )
    .expect("rc");
    let mut perms = std::fs::metadata(&rc).expect("rc").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o600);
    std::fs::set_permissions(&rc, perms).expect("chmod");
    let out = Command::new("fetchmail")
        .args(["-f"])
        .arg(&rc)
        .args(["--nodetach", "--nosyslog", "-v", "--idfile"])
        .arg(out_dir.join("ids"))
        .env("HOME", env.dir.path())
        .output()
        .expect("fetchmail runs");
    let log = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{log}");
    let fetched = std::fs::read_to_string(&mbox).unwrap_or_default();
    assert!(fetched.contains("Subject: fm one") && fetched.contains("Subject: fm two"), "{fetched}\n{log}");
    assert!(fetched.contains("\n.dotted"), "dot-stuffing undone: {fetched}");
    assert!(log.contains("STLS"), "{log}");
    assert!(env.inbox_uids().is_empty(), "fetchmail deletes after download (at QUIT)\n{log}");
}
