//! The EAC with curl, as any HTTP client sees it: the redirect from HTTP,
//! the cookies' flags, sign-in refusals (wrong password, no role group)
//! and their log lines, a form without its CSRF token, an idle session,
//! a session kept across a restart of W3SVC, a member removed from the
//! role groups, the server pages refused to
//! Recipient Management, and View-Only Organization Management's
//! read-only pages.

use std::path::PathBuf;
use std::process::Command;

use mailsh::services::Service;

use super::fixture::{Eac, PASSWORD};
use crate::support::wait_until;

pub struct Response {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Vec<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.headers
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_string())
            .collect()
    }

    /// The value of the hidden field `csrf` of the page's (first) form.
    pub fn csrf(&self) -> String {
        let at = self.body.find("name=\"csrf\" value=\"").unwrap_or_else(|| panic!("no csrf field in\n{}", self.body));
        let rest = &self.body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

/// A browser without a browser: curl with a cookie jar.
pub struct Curl {
    jar: PathBuf,
    _dir: tempfile::TempDir,
    lang: &'static str,
}

impl Curl {
    pub fn new(lang: &'static str) -> Curl {
        let dir = tempfile::tempdir().unwrap();
        Curl { jar: dir.path().join("cookies"), _dir: dir, lang }
    }

    pub fn request(&self, url: &str, form: Option<&[(&str, &str)]>) -> Response {
        let mut c = Command::new("curl");
        c.args(["-sk", "-i", "--max-time", "20", "-H"])
            .arg(format!("Accept-Language: {}", self.lang))
            .arg("-c")
            .arg(&self.jar)
            .arg("-b")
            .arg(&self.jar);
        for (k, v) in form.unwrap_or_default() {
            c.arg("--data-urlencode").arg(format!("{k}={v}"));
        }
        let out = c.arg(url).output().expect("curl runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        Response { status, headers: head.to_string(), body: body.to_string() }
    }

    pub fn get(&self, url: &str) -> Response {
        self.request(url, None)
    }

    pub fn post(&self, url: &str, form: &[(&str, &str)]) -> Response {
        self.request(url, Some(form))
    }

    /// Fetches the sign-in form and posts it.
    pub fn sign_in(&self, eac: &Eac, user: &str, password: &str) -> Response {
        let form = self.get(&eac.url("/ecp/auth/signin"));
        assert_eq!(form.status, 200, "{}", form.body);
        let csrf = form.csrf();
        self.post(&eac.url("/ecp/auth/signin"), &[("csrf", &csrf), ("username", user), ("password", password)])
    }
}

/// The first error the Shell prints for `line`, without its
/// `<Cmdlet> : ` prefix, as HTML writes it.
pub fn shell_message(eac: &Eac, cmdlet: &str, line: &str) -> String {
    let r = eac.shell(line);
    let first = r.stderr.lines().next().unwrap_or_else(|| panic!("{line} is refused in the Shell\n{}", r.stdout));
    let message = first.strip_prefix(&format!("{cmdlet} : ")).unwrap_or_else(|| panic!("{first}"));
    message.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

pub fn assert_refused_with(r: &Response, message: &str) {
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(&format!("<p class=\"error cmdlet-error\">{message}</p>")), "{message}\n{}", r.body);
}

#[test]
fn http_is_redirected_to_https_and_the_session_cookie_is_locked_down() {
    let eac = Eac::start(900);
    let r = Curl::new("en").get(&format!("http://127.0.0.1:{}/ecp/?x=1", eac.http));
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), [format!("https://127.0.0.1:{}/ecp/?x=1", eac.https)]);

    let curl = Curl::new("en");
    let r = curl.get(&eac.url("/ecp"));
    assert_eq!((r.status, r.header("location")), (303, vec!["/ecp/recipients/mailboxes".to_string()]));
    let r = curl.get(&eac.url("/ecp/recipients/mailboxes"));
    assert_eq!((r.status, r.header("location")), (303, vec!["/ecp/auth/signin".to_string()]), "not signed in");
    let r = curl.sign_in(&eac, "contoso\\administrator", PASSWORD);
    assert_eq!(r.status, 303, "{}", r.body);
    let cookies = r.header("set-cookie");
    let session = cookies.iter().find(|c| c.starts_with("ecp_session=")).expect("a session cookie");
    assert!(session.ends_with("; Path=/ecp; Secure; HttpOnly; SameSite=Strict"), "{session}");
    let r = curl.get(&eac.url("/ecp/recipients/mailboxes"));
    assert_eq!(r.status, 200);
    assert!(r.body.contains(">John Smith</a>") && r.body.contains("jsmith@contoso.com"), "{}", r.body);
    // Never framed, never cached, nothing loaded from elsewhere.
    assert_eq!(r.header("x-frame-options"), ["DENY"]);
    assert_eq!(r.header("cache-control"), ["no-store"]);
    assert_eq!(r.header("x-content-type-options"), ["nosniff"]);
    assert!(r.header("content-security-policy")[0].starts_with("default-src 'none';"));
}

#[test]
fn a_wrong_password_and_a_mailbox_in_no_role_group_are_refused_and_logged() {
    let eac = Eac::start(900);
    for (user, password) in [("administrator@contoso.com", "wrong"), ("nora@contoso.com", PASSWORD)] {
        let curl = Curl::new("en");
        let r = curl.sign_in(&eac, user, password);
        assert_eq!(r.status, 401, "{user}: {}", r.body);
        assert!(r.body.contains("The user name or password you entered isn't correct"), "{}", r.body);
        assert!(r.header("set-cookie").iter().all(|c| !c.starts_with("ecp_session=")), "no session for {user}");
        let r = curl.get(&eac.url("/ecp/recipients/mailboxes"));
        assert_eq!(r.status, 303, "still signed out");
    }
    wait_until("both refusals in the service log", || {
        let log = eac.w3svc_log();
        log.contains("refused for 'administrator@contoso.com' from 127.0.0.1: wrong user name or password")
            && log.contains("refused for 'nora@contoso.com' from 127.0.0.1: not a member of a role group")
    });
    assert!(!eac.w3svc_log().contains(PASSWORD), "no password is logged");
    // The French page says it in French.
    let r = Curl::new("fr-FR,fr;q=0.9").sign_in(&eac, "nora", PASSWORD);
    assert!(r.body.contains("Le nom d’utilisateur ou le mot de passe que vous avez entré est incorrect"), "{}", r.body);
}

#[test]
fn a_form_without_its_csrf_token_changes_nothing() {
    let eac = Eac::start(900);
    let john = eac.guid_of("John Smith");
    let curl = Curl::new("en");
    // The sign-in form itself: cookie and field must agree.
    let _ = curl.get(&eac.url("/ecp/auth/signin"));
    let r = curl.post(
        &eac.url("/ecp/auth/signin"),
        &[("username", "administrator"), ("password", PASSWORD), ("csrf", "forged")],
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(curl.sign_in(&eac, "administrator", PASSWORD).status, 303);
    let page = curl.get(&eac.url(&format!("/ecp/recipients/mailboxes/{john}?section=features")));
    assert!(page.body.contains("IMAP: Enabled"), "{}", page.body);
    let edit = eac.url(&format!("/ecp/recipients/mailboxes/{john}"));
    for forged in [vec![("imap", "0"), ("action", "save")], vec![("imap", "0"), ("action", "save"), ("csrf", "x")]] {
        let r = curl.post(&edit, &forged);
        assert_eq!(r.status, 403, "{}", r.body);
        // Exchange's own text for a request without its canary.
        assert!(
            r.body.contains("Sorry, your request couldn't be completed. Try deleting the cookies from your browser, and then sign in again."),
            "{}",
            r.body
        );
    }
    let r = eac.shell("(Get-CASMailbox 'John Smith').ImapEnabled");
    assert_eq!(r.stdout, "True\n");
    // With the token, the same form goes through the cmdlet.
    let r = curl.post(&edit, &[("imap", "0"), ("action", "save"), ("csrf", &page.csrf())]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(eac.shell("(Get-CASMailbox 'John Smith').ImapEnabled").stdout, "False\n");
    let log = curl.get(&eac.url("/ecp/commandlog"));
    assert!(
        log.body.contains(&format!("<code>Set-CASMailbox -Identity '{john}' -ImapEnabled $false</code>")),
        "{}",
        log.body
    );
}

#[test]
fn a_w3svc_restart_keeps_administrators_signed_in() {
    let eac = Eac::start(900);
    let john = eac.guid_of("John Smith");
    let curl = Curl::new("en");
    assert_eq!(curl.sign_in(&eac, "administrator", PASSWORD).status, 303);
    let edit = eac.url(&format!("/ecp/recipients/mailboxes/{john}"));
    let csrf = curl.get(&format!("{edit}?section=features")).csrf();
    let r = curl.post(&edit, &[("csrf", &csrf), ("imap", "0"), ("action", "save")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let before = eac.env.engine_pid(Service::W3svc);
    assert_eq!(eac.shell("Restart-Service W3SVC").code, 0);
    let after = eac.env.engine_pid(Service::W3svc);
    assert!(after != 0 && after != before, "a new process: {before} then {after}");
    // The same cookie: still signed in, with the same form token and the
    // command the session ran before the restart.
    let page = curl.get(&format!("{edit}?section=features"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("IMAP: Disabled"), "{}", page.body);
    assert_eq!(page.csrf(), csrf);
    let log = curl.get(&eac.url("/ecp/commandlog"));
    assert!(
        log.body.contains(&format!("<code>Set-CASMailbox -Identity '{john}' -ImapEnabled $false</code>")),
        "{}",
        log.body
    );
    // Signing out still ends it, restart or not.
    assert_eq!(curl.post(&eac.url("/ecp/auth/signout"), &[("csrf", &csrf)]).status, 303);
    assert_eq!(curl.get(&eac.url("/ecp/recipients/mailboxes")).header("location"), ["/ecp/auth/signin"]);
}

#[test]
fn an_idle_session_is_sent_back_to_sign_in() {
    let eac = Eac::start(1);
    let curl = Curl::new("en");
    let signed_in = std::time::Instant::now();
    assert_eq!(curl.sign_in(&eac, "administrator", PASSWORD).status, 303);
    assert_eq!(curl.get(&eac.url("/ecp/recipients/mailboxes")).status, 200, "in, and seen now");
    let seen = std::time::Instant::now();
    // Idle (each request is activity, so none is made) for more than the
    // site's one-second timeout: the next request goes back to the sign-in
    // page, which says why.
    wait_until("the session's idle time to pass", || seen.elapsed() > std::time::Duration::from_millis(1100));
    let r = curl.get(&eac.url("/ecp/recipients/mailboxes"));
    assert_eq!(r.header("location"), ["/ecp/auth/signin?expired=1"], "{:?}", signed_in.elapsed());
    let r = curl.get(&eac.url("/ecp/auth/signin?expired=1"));
    assert!(r.body.contains("The session has expired. Please sign in and try again."), "{}", r.body);
    let r = curl.get(&eac.url("/ecp/recipients/mailboxes"));
    assert_eq!(r.header("location"), ["/ecp/auth/signin"], "the expired session is gone");
}

#[test]
fn role_groups_are_read_at_every_request() {
    let eac = Eac::start(900);
    let rita = Curl::new("en");
    assert_eq!(rita.sign_in(&eac, "rita@contoso.com", PASSWORD).status, 303);
    let r = rita.get(&eac.url("/ecp/recipients/mailboxes"));
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("feature-servers"), "no servers link for Recipient Management");
    let r = rita.get(&eac.url("/ecp/servers/servers"));
    assert_eq!(r.status, 403, "{}", r.body);
    let admin = Curl::new("en");
    assert_eq!(admin.sign_in(&eac, "administrator", PASSWORD).status, 303);
    let r = admin.get(&eac.url("/ecp/servers/servers"));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<td>CAS01 <a href=\"/ecp/servers/servers/imap\""), "{}", r.body);
    assert_eq!(rita.get(&eac.url("/ecp/servers/servers/imap")).status, 403, "nor its settings");
    // Removed from the group: out at the next request.
    assert_eq!(eac.shell("Remove-RoleGroupMember 'Recipient Management' -Member rita -Confirm:$false").code, 0);
    let r = rita.get(&eac.url("/ecp/recipients/mailboxes"));
    assert_eq!(r.header("location"), ["/ecp/auth/signin"]);
    // ECPEnabled $false closes the admin center to a member too: out at the
    // next request, and refused at sign-in; back once it is $true again.
    assert_eq!(eac.shell("Set-CASMailbox administrator -ECPEnabled $false").code, 0);
    let r = admin.get(&eac.url("/ecp/recipients/mailboxes"));
    assert_eq!(r.header("location"), ["/ecp/auth/signin"]);
    assert_eq!(Curl::new("en").sign_in(&eac, "administrator", PASSWORD).status, 401);
    assert_eq!(eac.shell("Set-CASMailbox administrator -ECPEnabled $true").code, 0);
    assert_eq!(Curl::new("en").sign_in(&eac, "administrator", PASSWORD).status, 303);
}

#[test]
fn view_only_organization_management_reads_and_changes_nothing() {
    let eac = Eac::start(900);
    let john = eac.guid_of("John Smith");
    let vera = Curl::new("en");
    assert_eq!(vera.sign_in(&eac, "vera@contoso.com", PASSWORD).status, 303);
    let list = vera.get(&eac.url(&format!("/ecp/recipients/mailboxes?selected={john}")));
    assert!(list.body.contains("id=\"details\""), "{}", list.body);
    assert!(!list.body.contains("id=\"edit\""), "no Edit link: {}", list.body);
    let page = vera.get(&eac.url(&format!("/ecp/recipients/mailboxes/{john}?section=features")));
    assert!(page.body.contains("IMAP: Enabled") && !page.body.contains("toggle-imap"), "{}", page.body);
    assert_eq!(vera.get(&eac.url("/ecp/servers/servers")).status, 200, "reads the server pages");
    // A forged form with a valid token is still refused.
    let csrf = page.csrf();
    let r = vera.post(
        &eac.url(&format!("/ecp/recipients/mailboxes/{john}")),
        &[("csrf", &csrf), ("imap", "0"), ("action", "save")],
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(eac.shell("(Get-CASMailbox 'John Smith').ImapEnabled").stdout, "True\n");
}

#[test]
fn the_list_searches_sorts_and_pages() {
    let eac = Eac::start(900);
    let mut script = String::new();
    for i in 0..60 {
        script.push_str(&format!(
            "New-Mailbox -Name 'User {i:02}' -Alias user{i:02} -Password (ConvertTo-SecureString '{PASSWORD}' -AsPlainText -Force) | Out-Null\n"
        ));
    }
    assert_eq!(eac.shell(&script).code, 0);
    let curl = Curl::new("en");
    assert_eq!(curl.sign_in(&eac, "administrator", PASSWORD).status, 303);
    let rows =
        |body: &str| body.matches("<tr data-guid").count() + body.matches("<tr class=\"selected\" data-guid").count();
    let first = curl.get(&eac.url("/ecp/recipients/mailboxes"));
    assert_eq!(rows(&first.body), 50);
    assert!(first.body.contains("0 selected of 66 total") && first.body.contains(">1 - 50<"), "{}", first.body);
    let second = curl.get(&eac.url("/ecp/recipients/mailboxes?search=&sort=name&desc=0&page=1"));
    assert_eq!(rows(&second.body), 16);
    assert!(second.body.contains("0 selected of 66 total") && second.body.contains(">51 - 66<"));
    let found = curl.get(&eac.url("/ecp/recipients/mailboxes?search=user%205"));
    assert!(found.body.contains("0 selected of 10 total") && found.body.contains(">1 - 10<"), "{}", found.body);
    let by_mail_desc = curl.get(&eac.url("/ecp/recipients/mailboxes?search=&sort=email&desc=1"));
    let first_row = by_mail_desc.body.split("<tr data-guid").nth(1).unwrap();
    assert!(first_row.contains("vera@contoso.com"), "{first_row}");
}

#[test]
fn the_imap4_settings_page_runs_set_imapsettings_and_shows_its_warning_and_its_refusal() {
    let eac = Eac::start(900);
    let admin = Curl::new("en");
    assert_eq!(admin.sign_in(&eac, "administrator", PASSWORD).status, 303);
    let url = eac.url("/ecp/servers/servers/imap");
    let page = admin.get(&url);
    assert_eq!(page.status, 200);
    // Exchange's labels and names for LoginType's members, and the
    // cmdlet's restart warning as the note.
    assert!(
        page.body.contains("<label for=\"LoginType\">Logon method:</label>")
            && page
                .body
                .contains("<option value=\"PlainTextLogin\" selected>Basic authentication (Plain text)</option>")
            && page.body.contains("<option value=\"SecureLogin\">Secure TLS connection</option>")
            && page.body.contains("<label for=\"MaxCommandSize\">Maximum command size (bytes):</label><br><input type=\"text\" id=\"MaxCommandSize\" name=\"MaxCommandSize\" value=\"10240\"")
            && !page.body.contains("MessageRetrievalSortOrder"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server CAS01."));
    let csrf = page.csrf();
    // A refused value: the page shows the cmdlet's own message, as the
    // Shell prints it, and nothing changes.
    let message = shell_message(&eac, "Set-ImapSettings", "Set-ImapSettings -SSLBindings 'nonsense'");
    let r = admin.post(&url, &[("csrf", &csrf), ("SSLBindings", "nonsense")]);
    assert_refused_with(&r, &message);
    let before = eac.shell("(Get-ImapSettings).LoginType").stdout;
    assert_eq!(before, "PlainTextLogin\n");
    // A change: the restart warning the cmdlet writes is on the page.
    let r = admin.post(
        &url,
        &[
            ("csrf", &csrf),
            ("LoginType", "SecureLogin"),
            ("CalendarItemRetrievalOption", "Custom"),
            ("OwaServerUrl", "https://OwaServer01"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("WARNING: Changes to IMAP4 settings will only take effect after all Microsoft Exchange IMAP4 services are restarted on server CAS01."),
        "{}",
        r.body
    );
    let r = eac.shell("Get-ImapSettings | Format-List LoginType,CalendarItemRetrievalOption,OwaServerUrl");
    assert_eq!(
        r.stdout.trim(),
        "LoginType                   : SecureLogin\nCalendarItemRetrievalOption : Custom\nOwaServerUrl                : https://OwaServer01"
    );
    let log = admin.get(&eac.url("/ecp/commandlog"));
    assert!(
        log.body.contains("<code>Set-ImapSettings -LoginType 'SecureLogin' -CalendarItemRetrievalOption 'Custom' -OwaServerUrl 'https://OwaServer01'</code>"),
        "{}",
        log.body
    );
    // Recipient Management may not, even with its own valid token.
    let rita = Curl::new("en");
    assert_eq!(rita.sign_in(&eac, "rita", PASSWORD).status, 303);
    let token = rita.get(&eac.url("/ecp/recipients/mailboxes")).csrf();
    let r = rita.post(&url, &[("csrf", &token), ("LoginType", "PlainTextLogin")]);
    assert_eq!(r.status, 403);
    assert_eq!(eac.shell("(Get-ImapSettings).LoginType").stdout, "SecureLogin\n");
}

#[test]
fn the_pop3_settings_page_sets_the_banner_the_time_outs_and_the_sort_order() {
    let eac = Eac::start(900);
    let fr = Curl::new("fr-FR,fr");
    assert_eq!(fr.sign_in(&eac, "administrator", PASSWORD).status, 303);
    let url = eac.url("/ecp/servers/servers/pop");
    let page = fr.get(&url);
    for field in [
        "<label for=\"Banner\">Chaîne de bannière :</label><br><input type=\"text\" id=\"Banner\" name=\"Banner\" value=\"The Microsoft Exchange POP3 service is ready.\"",
        "id=\"AuthenticatedConnectionTimeout\" name=\"AuthenticatedConnectionTimeout\" value=\"1800\"",
        "<label for=\"MessageRetrievalSortOrder\">Ordre de tri des messages :</label><br><select id=\"MessageRetrievalSortOrder\" name=\"MessageRetrievalSortOrder\"><option value=\"Ascending\" selected>Croissant</option><option value=\"Descending\">Décroissant</option></select>",
        "<label for=\"PreAuthenticatedConnectionTimeout\">Délai d’expiration non authentifié (secondes) :</label><br><input type=\"text\" id=\"PreAuthenticatedConnectionTimeout\" name=\"PreAuthenticatedConnectionTimeout\" value=\"60\"",
    ] {
        assert!(page.body.contains(field), "{field}\n{}", page.body);
    }
    let csrf = page.csrf();
    // Refused below Exchange's 30 seconds: the Shell's message, nothing changed.
    let message =
        shell_message(&eac, "Set-PopSettings", "Set-PopSettings -PreAuthenticatedConnectionTimeout '00:00:10'");
    let r = fr.post(&url, &[("csrf", &csrf), ("PreAuthenticatedConnectionTimeout", "10")]);
    assert_refused_with(&r, &message);
    assert_eq!(eac.shell("(Get-PopSettings).PreAuthenticatedConnectionTimeout.TotalSeconds").stdout, "60\n");
    // Saved: one Set-PopSettings with what changed, the seconds sent as
    // TimeSpans; the page shows the store's values.
    let r = fr.post(
        &url,
        &[
            ("csrf", &csrf),
            ("Banner", "CAS01 POP3 ready"),
            ("AuthenticatedConnectionTimeout", "3600"),
            ("PreAuthenticatedConnectionTimeout", "120"),
            ("MessageRetrievalSortOrder", "Descending"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("name=\"PreAuthenticatedConnectionTimeout\" value=\"120\""), "{}", r.body);
    let r = eac.shell("Get-PopSettings | Format-List Banner,*Timeout,MessageRetrievalSortOrder");
    assert_eq!(
        r.stdout.trim(),
        "Banner                            : CAS01 POP3 ready\nAuthenticatedConnectionTimeout    : 01:00:00\nPreAuthenticatedConnectionTimeout : 00:02:00\nMessageRetrievalSortOrder         : Descending"
    );
    let log = fr.get(&eac.url("/ecp/commandlog"));
    assert!(
        log.body.contains("<code>Set-PopSettings -Banner 'CAS01 POP3 ready' -AuthenticatedConnectionTimeout '01:00:00' -PreAuthenticatedConnectionTimeout '00:02:00' -MessageRetrievalSortOrder 'Descending'</code>"),
        "{}",
        log.body
    );
}
