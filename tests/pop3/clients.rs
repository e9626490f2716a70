//! Real POP3 clients other than poplib: curl and, when installed, fetchmail.

use std::process::Command;

use crate::support::fetchmail::{fetchmail, fetchmail_installed};
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
    if !fetchmail_installed() {
        return;
    }
    let mut env = Env::pop(true);
    env.deliver(&message("fm one", "body one\r\n.dotted\r\n"));
    env.deliver(&message("fm two", "body two\r\n"));
    env.start_pop();
    let (fetched, log) = fetchmail(&env, "pop3", " uidl");
    assert!(fetched.contains("Subject: fm one") && fetched.contains("Subject: fm two"), "{fetched}\n{log}");
    assert!(fetched.contains("\n.dotted"), "dot-stuffing undone: {fetched}");
    assert!(log.contains("STLS"), "{log}");
    assert!(env.inbox_uids().is_empty(), "fetchmail deletes after download (at QUIT)\n{log}");
}
