//! The server pages and Show Command Logging in chromium, as an admin
//! clicks them: servers > servers, Edit > IMAP4 (a banner, Save, the
//! cmdlet's warning), POP3, then Show Command Logging with the line the
//! page ran. Then the Shell on the same store. The screenshots are
//! docs/eac.md's.

use fantoccini::Locator;

use super::browser::with_browser;
use super::fixture::Eac;

#[test]
fn the_server_pages_and_command_logging_in_the_english_eac() {
    let eac = Eac::start(900);
    // Exchange's default bindings (no IMAP4 or POP3 service runs here), so
    // the screenshots do not show the test's free ports.
    let r = eac.shell(
        "Set-ImapSettings -UnencryptedOrTLSBindings 0.0.0.0:143 -SSLBindings 0.0.0.0:993 -WarningAction SilentlyContinue\n\
         Set-PopSettings -UnencryptedOrTLSBindings 0.0.0.0:110 -SSLBindings 0.0.0.0:995 -WarningAction SilentlyContinue",
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let url = eac.url("/ecp");
    with_browser("en-US,en", move |b| async move {
        b.sign_in(&url, "contoso\\administrator").await;
        // servers > servers: this server.
        b.click(Locator::Css("#feature-servers")).await;
        b.wait_for_text("#server-list th:nth-child(2)", "SERVER ROLES").await;
        b.screenshot("eac-en-servers.png").await;
        // Edit > IMAP4: a banner, Save; the cmdlet's warning on the page.
        b.click(Locator::Css("#edit-server")).await;
        b.wait_for_text("#dialog-title", "CAS01 - IMAP4").await;
        b.find(Locator::Css("#Banner")).await.clear().await.unwrap();
        b.type_in("#Banner", "CAS01 IMAP4 ready").await;
        b.click(Locator::Css("#save")).await;
        b.wait_for_text(
            ".cmdlet-warning",
            "WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server CAS01.",
        )
        .await;
        b.screenshot("eac-en-imap4.png").await;
        // POP3, unchanged.
        b.click(Locator::Css("#section-pop")).await;
        b.wait_for_text("#dialog-title", "CAS01 - POP3").await;
        b.screenshot("eac-en-pop3.png").await;
        // Show Command Logging: the line the IMAP4 page ran.
        b.click(Locator::Css("#command-logging")).await;
        b.wait_for_text("#command-log td code", "Set-ImapSettings -Banner 'CAS01 IMAP4 ready'").await;
        b.wait_for_text("#command-log td:nth-child(2)", "Completed").await;
        b.screenshot("eac-en-command-logging.png").await;
    });
    assert_eq!(eac.shell("(Get-ImapSettings).Banner").stdout, "CAS01 IMAP4 ready\n");
}
