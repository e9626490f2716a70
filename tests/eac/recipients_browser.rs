//! A mailbox's whole life in chromium, as an admin clicks it: New (name,
//! alias, password, Save), Edit > general (a display name, Save), Edit >
//! email address (Add, Make this the reply address, Save), Delete (the
//! warning, Yes). Each step's page, then the Shell on the same store and
//! the audit rows naming the EAC's administrator. The screenshots are
//! docs/eac.md's.

use fantoccini::Locator;

use super::browser::with_browser;
use super::fixture::Eac;

#[test]
fn a_mailbox_is_made_edited_and_deleted_in_the_english_eac() {
    let eac = Eac::start(900);
    let url = eac.url("/ecp");
    with_browser("en-US,en", move |b| async move {
        b.sign_in(&url, "administrator@contoso.com").await;
        // New: the form, then the list searched for the new name.
        b.click(Locator::Css("#new")).await;
        b.type_in("#name", "Patrick Colon").await;
        b.type_in("#alias", "pcolon").await;
        b.type_in("#password", "N3w-P@ss").await;
        b.screenshot("eac-en-new-mailbox.png").await;
        b.click(Locator::Css("#save")).await;
        b.click(Locator::LinkText("Patrick Colon")).await;
        b.find(Locator::Css("#details")).await;
        // Edit > general: a display name.
        b.click(Locator::Css("#edit")).await;
        b.find(Locator::Css("#general-form")).await;
        b.find(Locator::Css("#display_name")).await.clear().await.unwrap();
        b.type_in("#display_name", "Patrick A. Colon").await;
        b.click(Locator::Css("#save")).await;
        b.find(Locator::Css("#saved")).await;
        b.wait_for_text("#dialog-title", "User Mailbox - Patrick A. Colon").await;
        b.screenshot("eac-en-general.png").await;
        // Edit > email address: one more, made the reply address.
        b.click(Locator::LinkText("email address")).await;
        b.type_in("#new_address", "patrick.colon@contoso.com").await;
        b.click(Locator::Css("#add")).await;
        b.click(Locator::Css("#reply-1")).await;
        b.wait_for_text("strong.reply", "patrick.colon@contoso.com").await;
        b.screenshot("eac-en-email-address.png").await;
        b.click(Locator::Css("#save")).await;
        b.find(Locator::Css("#saved")).await;
        b.wait_for_text("strong.reply", "patrick.colon@contoso.com").await;
    });
    let r = eac.shell("Get-Mailbox pcolon | Format-List DisplayName,PrimarySmtpAddress,EmailAddresses");
    assert_eq!(
        r.stdout.trim(),
        "DisplayName        : Patrick A. Colon\nPrimarySmtpAddress : patrick.colon@contoso.com\nEmailAddresses     : {smtp:pcolon@contoso.com, SMTP:patrick.colon@contoso.com}"
    );
    let url = eac.url("/ecp/recipients/mailboxes?search=patrick");
    with_browser("en-US,en", move |b| async move {
        b.sign_in(&url, "administrator").await;
        b.click(Locator::LinkText("Patrick A. Colon")).await;
        b.click(Locator::Css("#delete")).await;
        // Exchange's own question (Strings:DeleteOtherMailboxConfirmSingle).
        b.wait_for_text("#delete-warning p", "Are you sure you want to delete \"Patrick A. Colon\"?").await;
        b.screenshot("eac-en-delete.png").await;
        b.click(Locator::Css("#confirm-yes")).await;
        // Back on the whole list: the fixture's six mailboxes.
        b.wait_for_text("#count", "0 selected of 6 total").await;
    });
    assert_ne!(eac.shell("Get-Mailbox pcolon").code, 0, "removed");
    let r = eac.shell(
        // Newest first, as Exchange returns them; reversed by position, since
        // RunDate has whole seconds and two steps may share one.
        "$log = @(Search-AdminAuditLog -Cmdlets New-Mailbox,Set-Mailbox,Remove-Mailbox); $log[($log.Count - 1)..0] | ForEach-Object { $_.Caller + ' ' + $_.CmdletName + ' ' + $_.ObjectModified }",
    );
    let rows: Vec<&str> = r.stdout.lines().filter(|l| l.contains("Patrick Colon")).collect();
    assert_eq!(
        rows,
        [
            "contoso.com/Users/Administrator New-Mailbox contoso.com/Users/Patrick Colon",
            "contoso.com/Users/Administrator Set-Mailbox contoso.com/Users/Patrick Colon",
            "contoso.com/Users/Administrator Set-Mailbox contoso.com/Users/Patrick Colon",
            "contoso.com/Users/Administrator Remove-Mailbox contoso.com/Users/Patrick Colon",
        ],
        "{}{}",
        r.stdout,
        r.stderr
    );
}
