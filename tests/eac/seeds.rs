//! Seeds 001 (IMAP4, in French), 003 (MAPI, in French, with its
//! confirmation) and 004 (POP3, in English) walked in a real browser exactly as the Exchange 2013 help pages write them: sign
//! in, Recipients > Mailboxes, select John Smith, Edit, Mailbox features,
//! Disable under the protocol, Save. Then the page shows Disabled, the
//! Shell (the real binary on the same store) shows the switch False, the
//! admin audit log names the EAC's administrator, and a real client is
//! refused.

use fantoccini::Locator;

use super::browser::with_browser;
use super::fixture::{Eac, PASSWORD};
use crate::support::python;

/// The walk, with the page's labels in the browser's language.
struct Walk {
    lang: &'static str,
    recipients: &'static str,
    mailboxes: &'static str,
    edit: &'static str,
    mailbox_features: &'static str,
    disable: &'static str,
    /// The button that confirms the Disable, when Exchange asks (MAPI).
    confirm: Option<&'static str>,
    save: &'static str,
    /// The protocol's field and what the page shows before and after.
    field: &'static str,
    before: &'static str,
    after: &'static str,
    screenshots: &'static str,
}

fn walk(eac: &Eac, w: Walk) {
    let url = eac.url("/ecp");
    with_browser(w.lang, move |b| async move {
        // Signing in: the EAC sends an unsigned browser to its form.
        b.goto(&url).await;
        b.type_in("#username", "contoso\\administrator").await;
        b.type_in("#password", PASSWORD).await;
        // Seed 003's walk shows only its warning and result (the rest is 001's).
        let every_page = w.confirm.is_none();
        if every_page {
            b.screenshot(&format!("{}-sign-in.png", w.screenshots)).await;
        }
        b.click(Locator::Css("#signin-submit")).await;
        // 1. Dans le CAE, accédez à Destinataires > Boîtes aux lettres.
        b.click(Locator::LinkText(w.recipients)).await;
        b.click(Locator::LinkText(w.mailboxes)).await;
        // 2. Sélectionnez l'utilisateur, puis cliquez sur Modifier.
        b.click(Locator::LinkText("John Smith")).await;
        b.find(Locator::Css("#details")).await;
        if every_page {
            b.screenshot(&format!("{}-mailboxes.png", w.screenshots)).await;
        }
        b.click(Locator::Css(&format!("a[title='{}']", w.edit))).await;
        // 3. Cliquez sur Fonctionnalités de boîte aux lettres; sous
        //    Connectivité de messagerie, sous « IMAP4 : Activé », Désactiver.
        b.click(Locator::LinkText(w.mailbox_features)).await;
        let state = format!("#state-{}", w.field);
        b.wait_for_text(&state, w.before).await;
        let disable = format!("//div[@id='feature-{}']//button[normalize-space()='{}']", w.field, w.disable);
        b.click(Locator::XPath(&disable)).await;
        // « Un message d'avertissement s'affiche [...] Cliquez sur Oui. »
        if let Some(yes) = w.confirm {
            b.find(Locator::Css("#mapi-warning")).await;
            b.wait_for_text(&state, w.before).await;
            b.screenshot(&format!("{}-warning.png", w.screenshots)).await;
            b.click(Locator::XPath(&format!("//button[normalize-space()='{yes}']"))).await;
        }
        b.wait_for_text(&state, w.after).await;
        // 4. Cliquez sur Enregistrer.
        b.click(Locator::XPath(&format!("//button[normalize-space()='{}']", w.save))).await;
        b.find(Locator::Css("#saved")).await;
        // Comment savoir si cela a fonctionné ? The dialog, opened again.
        b.wait_for_text(&state, w.after).await;
        b.screenshot(&format!("{}-mailbox-features.png", w.screenshots)).await;
    });
}

fn audit_names_the_eac_admin(eac: &Eac, parameter: &str) {
    let r = eac.shell(
        "Search-AdminAuditLog -Cmdlets Set-CASMailbox | Select-Object -First 1 | Format-List Caller,CmdletName,ObjectModified,ModifiedProperties",
    );
    assert_eq!(
        r.stdout.trim(),
        format!(
            "Caller             : contoso.com/Users/Administrator\nCmdletName         : Set-CASMailbox\nObjectModified     : contoso.com/Users/John Smith\nModifiedProperties : {{{parameter}=False}}"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn seed_001_imap4_disabled_in_the_french_eac() {
    let mut eac = Eac::start(900);
    eac.env.start_imap();
    walk(
        &eac,
        Walk {
            lang: "fr-FR,fr",
            recipients: "Destinataires",
            mailboxes: "Boîtes aux lettres",
            edit: "Modifier",
            mailbox_features: "Fonctionnalités de boîte aux lettres",
            disable: "Désactiver",
            confirm: None,
            save: "Enregistrer",
            field: "imap",
            before: "IMAP4 : Activé",
            after: "IMAP4 : Désactivé",
            screenshots: "eac-fr",
        },
    );
    let r = eac.shell("Get-CASMailbox 'John Smith' | Format-List Name,ImapEnabled");
    assert_eq!(r.stdout.trim(), "Name        : John Smith\nImapEnabled : False");
    audit_names_the_eac_admin(&eac, "ImapEnabled");
    let (ok, out, err) = python(
        &eac.env,
        "import imaplib, os\nc = imaplib.IMAP4('127.0.0.1', int(os.environ['PORT']))\ntry:\n    c.login('jsmith@contoso.com', 'P@ssw0rd1'); print('in')\nexcept imaplib.IMAP4.error as e:\n    print('refused', e)\n",
    );
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "refused b'LOGIN failed.'");
}

#[test]
fn seed_004_pop3_disabled_in_the_english_eac() {
    let mut eac = Eac::start(900);
    eac.env.start_pop();
    walk(
        &eac,
        Walk {
            lang: "en-US,en",
            recipients: "recipients",
            mailboxes: "mailboxes",
            edit: "Edit",
            mailbox_features: "mailbox features",
            disable: "Disable",
            confirm: None,
            save: "save",
            field: "pop",
            before: "POP3: Enabled",
            after: "POP3: Disabled",
            screenshots: "eac-en",
        },
    );
    let r = eac.shell("Get-CASMailbox 'John Smith' | Format-List Name,PopEnabled");
    assert_eq!(r.stdout.trim(), "Name       : John Smith\nPopEnabled : False");
    audit_names_the_eac_admin(&eac, "PopEnabled");
    let script = format!(
        "import poplib\nc = poplib.POP3('127.0.0.1', {})\ntry:\n    c.user('jsmith@contoso.com'); c.pass_('P@ssw0rd1'); print('in')\nexcept poplib.error_proto as e:\n    print('refused', e)\n",
        eac.env.pop.plain
    );
    let (ok, out, err) = python(&eac.env, &script);
    assert!(ok, "{err}");
    assert!(out.starts_with("refused b'-ERR"), "{out}");
}

#[test]
fn seed_003_mapi_disabled_in_the_french_eac_after_its_warning() {
    let eac = Eac::start(900);
    walk(
        &eac,
        Walk {
            lang: "fr-FR,fr",
            recipients: "Destinataires",
            mailboxes: "Boîtes aux lettres",
            edit: "Modifier",
            mailbox_features: "Fonctionnalités de boîte aux lettres",
            disable: "Désactiver",
            confirm: Some("Oui"),
            save: "Enregistrer",
            field: "mapi",
            before: "MAPI : Activé",
            after: "MAPI : Désactivé",
            screenshots: "eac-fr-mapi",
        },
    );
    let r = eac.shell("Get-CASMailbox 'John Smith' | Format-List Name,MapiEnabled");
    assert_eq!(r.stdout.trim(), "Name        : John Smith\nMAPIEnabled : False");
    audit_names_the_eac_admin(&eac, "MAPIEnabled");
}
