//! recipients > mailboxes with curl: Edit > general and Edit > email
//! address (each Save one Set-Mailbox), New (New-Mailbox) and Delete
//! (Remove-Mailbox after the EAC's warning), each through the shell's
//! runtime: the page's state, Get-Mailbox, the audit row naming the
//! signed-in admin, and the cmdlet's refusal word for word.

use super::fixture::{Eac, PASSWORD};
use super::http::{Curl, assert_refused_with, shell_message};

/// The newest audit row of `cmdlet`.
fn last_audit(eac: &Eac, cmdlet: &str) -> String {
    let r = eac.shell(&format!(
        "Search-AdminAuditLog -Cmdlets {cmdlet} | Select-Object -First 1 | Format-List Caller,CmdletName,ObjectModified,ModifiedProperties"
    ));
    r.stdout.trim().to_string()
}

fn admin(eac: &Eac, lang: &'static str) -> Curl {
    let curl = Curl::new(lang);
    assert_eq!(curl.sign_in(eac, "administrator", PASSWORD).status, 303);
    curl
}

#[test]
fn the_general_section_runs_set_mailbox_and_shows_its_refusal() {
    let eac = Eac::start(900);
    let john = eac.guid_of("John Smith");
    let url = eac.url(&format!("/ecp/recipients/mailboxes/{john}"));
    let fr = admin(&eac, "fr-FR,fr;q=0.9");
    let page = fr.get(&format!("{url}?section=general"));
    assert_eq!(page.status, 200);
    for label in ["Général", "Adresse de messagerie", "Nom d’affichage :", "Enregistrer"] {
        assert!(page.body.contains(label), "{label}\n{}", page.body);
    }
    assert!(page.body.contains("name=\"display_name\" id=\"display_name\" value=\"John Smith\""), "{}", page.body);
    let csrf = page.csrf();
    // Saved: one Set-Mailbox with what changed, the admin as caller.
    let r = fr.post(
        &url,
        &[
            ("csrf", &csrf),
            ("section", "general"),
            ("name", "John Smith"),
            ("display_name", "John A. Smith"),
            ("alias", "john"),
        ],
    );
    assert_eq!(
        (r.status, r.header("location")),
        (303, vec![format!("/ecp/recipients/mailboxes/{john}?section=general&saved=1")])
    );
    let page = fr.get(&format!("{url}?section=general&saved=1"));
    assert!(page.body.contains("Vos modifications ont été enregistrées."), "{}", page.body);
    assert!(page.body.contains("value=\"John A. Smith\"") && page.body.contains("value=\"john\""), "{}", page.body);
    let r = eac.shell("Get-Mailbox john | Format-List Name,DisplayName,Alias");
    assert_eq!(r.stdout.trim(), "Name        : John Smith\nDisplayName : John A. Smith\nAlias       : john");
    assert_eq!(
        last_audit(&eac, "Set-Mailbox"),
        "Caller             : contoso.com/Users/Administrator\nCmdletName         : Set-Mailbox\nObjectModified     : contoso.com/Users/John Smith\nModifiedProperties : {Alias=john, DisplayName=John A. Smith}"
    );
    let log = fr.get(&eac.url("/ecp/commandlog"));
    assert!(
        log.body.contains(&format!(
            "<code>Set-Mailbox -Identity '{john}' -DisplayName 'John A. Smith' -Alias 'john'</code>"
        )),
        "{}",
        log.body
    );
    // Refused: a name another mailbox has. The page shows the Shell's
    // message and keeps what was typed; nothing changes.
    let message = shell_message(&eac, "Set-Mailbox", "Set-Mailbox john -Name 'Administrator'");
    let r = fr.post(
        &url,
        &[
            ("csrf", &csrf),
            ("section", "general"),
            ("name", "Administrator"),
            ("display_name", "John A. Smith"),
            ("alias", "john"),
        ],
    );
    assert_refused_with(&r, &message);
    assert!(r.body.contains("name=\"name\" id=\"name\" value=\"Administrator\""), "{}", r.body);
    assert_eq!(eac.shell("(Get-Mailbox john).Name").stdout, "John Smith\n");
}

#[test]
fn the_email_address_section_adds_removes_and_makes_the_reply_address() {
    let eac = Eac::start(900);
    let john = eac.guid_of("John Smith");
    let url = eac.url(&format!("/ecp/recipients/mailboxes/{john}"));
    let en = admin(&eac, "en");
    let page = en.get(&format!("{url}?section=addresses"));
    assert!(page.body.contains("<strong class=\"reply\">jsmith@contoso.com</strong>"), "{}", page.body);
    let csrf = page.csrf();
    let form = |addresses: &str, action: &str, typed: &str| {
        en.post(
            &url,
            &[
                ("csrf", &csrf),
                ("section", "addresses"),
                ("addresses", addresses),
                ("action", action),
                ("new_address", typed),
            ],
        )
    };
    // Add is pending until Save.
    let r = form("SMTP:jsmith@contoso.com", "add", "john.smith@contoso.com");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("value=\"SMTP:jsmith@contoso.com\nsmtp:john.smith@contoso.com\""), "{}", r.body);
    assert_eq!(eac.shell("(Get-Mailbox jsmith).EmailAddresses.Count").stdout, "1\n", "not saved yet");
    // Make it the reply address, then Save: one Set-Mailbox.
    let r = form("SMTP:jsmith@contoso.com\nsmtp:john.smith@contoso.com", "reply-1", "");
    assert!(r.body.contains("value=\"smtp:jsmith@contoso.com\nSMTP:john.smith@contoso.com\""), "{}", r.body);
    let r = form("smtp:jsmith@contoso.com\nSMTP:john.smith@contoso.com", "save", "");
    assert_eq!(r.status, 303, "{}", r.body);
    let r = eac.shell("Get-Mailbox jsmith | Format-List PrimarySmtpAddress,EmailAddresses");
    assert_eq!(
        r.stdout.trim(),
        "PrimarySmtpAddress : john.smith@contoso.com\nEmailAddresses     : {smtp:jsmith@contoso.com, SMTP:john.smith@contoso.com}"
    );
    assert_eq!(
        last_audit(&eac, "Set-Mailbox"),
        "Caller             : contoso.com/Users/Administrator\nCmdletName         : Set-Mailbox\nObjectModified     : contoso.com/Users/John Smith\nModifiedProperties : {EmailAddresses=smtp:jsmith@contoso.com, SMTP:john.smith@contoso.com}"
    );
    // Remove: the reply address has no Remove; the other goes at Save.
    let page = en.get(&format!("{url}?section=addresses"));
    assert!(page.body.contains("id=\"remove-0\"") && !page.body.contains("id=\"remove-1\""), "{}", page.body);
    let r = form("smtp:jsmith@contoso.com\nSMTP:john.smith@contoso.com", "remove-0", "");
    assert!(r.body.contains("name=\"addresses\" value=\"SMTP:john.smith@contoso.com\""), "{}", r.body);
    assert_eq!(form("SMTP:john.smith@contoso.com", "save", "").status, 303);
    assert_eq!(eac.shell("(Get-Mailbox jsmith).EmailAddresses").stdout, "SMTP:john.smith@contoso.com\n");
    // Refused: the cmdlet's own message, nothing changed.
    let message = shell_message(
        &eac,
        "Set-Mailbox",
        "Set-Mailbox jsmith -EmailAddresses 'SMTP:john.smith@contoso.com','smtp:not an address'",
    );
    let r = form("SMTP:john.smith@contoso.com\nsmtp:not an address", "save", "");
    assert_refused_with(&r, &message);
    assert_eq!(eac.shell("(Get-Mailbox jsmith).EmailAddresses").stdout, "SMTP:john.smith@contoso.com\n");
}

#[test]
fn new_runs_new_mailbox_and_never_logs_the_password() {
    let eac = Eac::start(900);
    let en = admin(&eac, "en");
    let list = en.get(&eac.url("/ecp/recipients/mailboxes"));
    assert!(list.body.contains("<a href=\"/ecp/recipients/mailboxes/new\" id=\"new\""), "{}", list.body);
    let page = en.get(&eac.url("/ecp/recipients/mailboxes/new"));
    assert!(page.body.contains("new user mailbox"), "{}", page.body);
    let csrf = page.csrf();
    let new = eac.url("/ecp/recipients/mailboxes/new");
    let r = en.post(&new, &[("csrf", &csrf), ("name", "Patrick Colon"), ("alias", "pcolon"), ("password", "N3w-P@ss")]);
    assert_eq!(
        (r.status, r.header("location")),
        (303, vec!["/ecp/recipients/mailboxes?search=Patrick%20Colon".to_string()])
    );
    let list = en.get(&eac.url("/ecp/recipients/mailboxes?search=Patrick%20Colon"));
    assert!(list.body.contains(">Patrick Colon</a>") && list.body.contains("pcolon@contoso.com"), "{}", list.body);
    let r = eac.shell("Get-Mailbox pcolon | Format-List Name,Alias,PrimarySmtpAddress");
    assert_eq!(
        r.stdout.trim(),
        "Name               : Patrick Colon\nAlias              : pcolon\nPrimarySmtpAddress : pcolon@contoso.com"
    );
    assert!(last_audit(&eac, "New-Mailbox").starts_with(
        "Caller             : contoso.com/Users/Administrator\nCmdletName         : New-Mailbox\nObjectModified     : contoso.com/Users/Patrick Colon"
    ));
    // The password it was given signs in (once a member of a role group);
    // it is in no log.
    assert_eq!(Curl::new("en").sign_in(&eac, "pcolon", "N3w-P@ss").status, 401, "a mailbox, not an admin");
    assert_eq!(eac.shell("Add-RoleGroupMember 'Recipient Management' -Member pcolon").code, 0);
    assert_eq!(Curl::new("en").sign_in(&eac, "pcolon", "N3w-P@ss").status, 303);
    let log = en.get(&eac.url("/ecp/commandlog"));
    assert!(
        log.body.contains("<code>New-Mailbox -Name 'Patrick Colon' -Alias 'pcolon' -Password '********'</code>"),
        "{}",
        log.body
    );
    assert!(!log.body.contains("N3w-P@ss") && !eac.w3svc_log().contains("N3w-P@ss"));
    assert!(!eac.shell("Search-AdminAuditLog -Cmdlets New-Mailbox | Format-List *").stdout.contains("N3w-P@ss"));
    // Refused: the same name again; what was typed stays, not the password.
    let message = shell_message(
        &eac,
        "New-Mailbox",
        "New-Mailbox -Name 'Patrick Colon' -Alias pcolon -Password (ConvertTo-SecureString 'x' -AsPlainText -Force)",
    );
    let r = en.post(&new, &[("csrf", &csrf), ("name", "Patrick Colon"), ("alias", "pcolon"), ("password", "x")]);
    assert_refused_with(&r, &message);
    assert!(r.body.contains("value=\"Patrick Colon\"") && !r.body.contains("value=\"x\""), "{}", r.body);
    assert_eq!(eac.shell("(Get-Mailbox -Anr Patrick | Measure-Object).Count").stdout, "1\n");
}

#[test]
fn delete_warns_then_runs_remove_mailbox_and_view_only_may_not() {
    let eac = Eac::start(900);
    let john = eac.guid_of("John Smith");
    let delete = eac.url(&format!("/ecp/recipients/mailboxes/{john}/delete"));
    // View-Only: no Delete, no New, the warning refused, a forged form too.
    let vera = Curl::new("en");
    assert_eq!(vera.sign_in(&eac, "vera", PASSWORD).status, 303);
    let list = vera.get(&eac.url(&format!("/ecp/recipients/mailboxes?selected={john}")));
    assert!(!list.body.contains("id=\"delete\"") && !list.body.contains("id=\"new\""), "{}", list.body);
    assert_eq!(vera.get(&delete).status, 403);
    assert_eq!(vera.get(&eac.url("/ecp/recipients/mailboxes/new")).status, 403);
    let r = vera.post(&delete, &[("csrf", &list.csrf())]);
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(eac.shell("(Get-Mailbox 'John Smith').Alias").stdout, "jsmith\n");
    // The admin is warned in French, then Oui removes it.
    let fr = admin(&eac, "fr");
    let list = fr.get(&eac.url(&format!("/ecp/recipients/mailboxes?selected={john}")));
    assert!(
        list.body.contains(&format!("href=\"/ecp/recipients/mailboxes/{john}/delete\" id=\"delete\"")),
        "{}",
        list.body
    );
    let page = fr.get(&delete);
    assert!(
        page.body.contains("Voulez-vous vraiment supprimer « John Smith » ?") && page.body.contains(">Oui</button>"),
        "{}",
        page.body
    );
    let r = fr.post(&delete, &[("csrf", &page.csrf())]);
    assert_eq!((r.status, r.header("location")), (303, vec!["/ecp/recipients/mailboxes".to_string()]));
    let r = eac.shell("Get-Mailbox 'John Smith'");
    assert_ne!(r.code, 0);
    assert_eq!(
        last_audit(&eac, "Remove-Mailbox"),
        "Caller             : contoso.com/Users/Administrator\nCmdletName         : Remove-Mailbox\nObjectModified     : contoso.com/Users/John Smith\nModifiedProperties : {}"
    );
    let list = fr.get(&eac.url("/ecp/recipients/mailboxes"));
    assert!(!list.body.contains("John Smith"), "{}", list.body);
    assert_eq!(fr.get(&delete).status, 404, "gone");
}
