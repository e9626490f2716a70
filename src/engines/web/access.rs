//! What every page checks before it shows anything: a live session (idle
//! sessions are sent back to sign in), membership of a role group read
//! from the store at every request (a member removed from the groups is
//! out at the next click), and the browser's language. Changes also need
//! the session's CSRF token and a group that may change what is asked.

use std::collections::HashMap;
use std::time::SystemTime;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::labels::Lang;
use super::sessions::{LoggedCommand, NoSession, SESSION_COOKIE, Session, cookie, same_token};
use super::{App, CommandOutcome, page};
use crate::store::Mailbox;
use crate::store::role_groups::Reach;

/// The language of a request.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    Lang::from_accept_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

/// A signed-in member of a role group.
pub struct Admin {
    pub token: String,
    pub session: Session,
    pub reach: Reach,
    pub lang: Lang,
}

impl Admin {
    pub fn may_change_recipients(&self) -> bool {
        self.reach >= Reach::Recipients
    }

    /// The server pages: Organization Management, and View-Only
    /// Organization Management to read them.
    pub fn may_see_servers(&self) -> bool {
        self.reach != Reach::Recipients
    }

    /// A form's token against the session's: a POST without it (or with
    /// another) is refused before anything is read from it.
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), Response> {
        match sent {
            Some(sent) if same_token(sent, &self.session.csrf) => Ok(()),
            _ => Err(page::refusal(self.lang, StatusCode::FORBIDDEN, self.lang.labels().form_expired)),
        }
    }

    /// A recipients form: its CSRF token, then a group that may change
    /// recipients (View-Only Organization Management may not).
    pub fn check_recipient_change(&self, form: &HashMap<String, String>) -> Result<(), Response> {
        self.check_csrf(form.get("csrf").map(String::as_str))?;
        if self.may_change_recipients() { Ok(()) } else { Err(self.forbidden()) }
    }

    /// The mailbox a page names, or the page that says why not.
    pub async fn mailbox(&self, app: &App, guid: String) -> Result<Mailbox, Response> {
        match app.auth.with_store(move |s| s.mailbox_by_guid(&guid)).await {
            Ok(Some(m)) => Ok(m),
            Ok(None) => Err(page::refusal(self.lang, StatusCode::NOT_FOUND, self.lang.labels().not_found)),
            Err(e) => Err(page::unavailable(self.lang, &e.to_string())),
        }
    }

    /// What every form that changes a mailbox does first: the form's
    /// token and the member's groups are checked (nothing is read from the
    /// form before), then the mailbox it names is loaded.
    pub async fn mailbox_to_change(
        &self,
        app: &App,
        form: &HashMap<String, String>,
        guid: String,
    ) -> Result<Mailbox, Response> {
        self.check_recipient_change(form)?;
        self.mailbox(app, guid).await
    }

    /// The page refused to this member's groups.
    pub fn forbidden(&self) -> Response {
        page::refusal(self.lang, StatusCode::FORBIDDEN, self.lang.labels().forbidden)
    }

    /// Runs a command line through the shell's runtime as this admin, and
    /// logs it for Show Command Logging.
    pub async fn run(&self, app: &App, line: String) -> CommandOutcome {
        let shown = line.clone();
        self.run_shown_as(app, line, shown).await
    }

    /// As [`Admin::run`], logging `shown` in place of the line (a line
    /// that carries a password logs it masked).
    pub async fn run_shown_as(&self, app: &App, line: String, shown: String) -> CommandOutcome {
        let runner = app.runner.clone();
        let store = app.store_path.clone();
        let caller = self.session.caller.clone();
        let started = SystemTime::now();
        let outcome = tokio::task::spawn_blocking(move || runner.run(&store, &caller, &line))
            .await
            .unwrap_or_else(|e| CommandOutcome { errors: vec![e.to_string()], warnings: vec![] });
        if let Err(e) = app
            .sessions
            .log_command(&self.token, LoggedCommand { started, line: shown, errors: outcome.errors.clone() })
        {
            // The command ran; only Show Command Logging misses it.
            eprintln!(
                "{} W3SVC: a command could not be added to Show Command Logging: {e}",
                crate::engines::net::time::iso_now()
            );
        }
        outcome
    }
}

fn to_sign_in(expired: bool) -> Response {
    page::redirect(if expired { "/ecp/auth/signin?expired=1" } else { "/ecp/auth/signin" })
}

impl FromRequestParts<App> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Admin, Response> {
        let lang = lang_of(&parts.headers);
        let token = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|h| cookie(h, SESSION_COOKIE))
            .map(str::to_string);
        let Some(token) = token else { return Err(to_sign_in(false)) };
        let session = match app.sessions.touch(&token) {
            Ok(s) => s,
            Err(NoSession::Expired) => return Err(to_sign_in(true)),
            Err(NoSession::Unknown) => return Err(to_sign_in(false)),
            Err(NoSession::Unavailable(e)) => return Err(page::unavailable(lang, &e)),
        };
        let guid = session.guid.clone();
        let reach = match app.auth.with_store(move |s| s.reach_of(&guid)).await {
            Ok(Some(reach)) => reach,
            Ok(None) => {
                // Out of every group: signed out (were this to fail, the
                // groups are read again at the next request anyway).
                let _ = app.sessions.end(&token);
                return Err(to_sign_in(false));
            }
            Err(e) => return Err(page::unavailable(lang, &e.to_string())),
        };
        Ok(Admin { token, session, reach, lang })
    }
}

/// The language alone, for pages shown before sign-in.
pub struct Visitor(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Visitor, Self::Rejection> {
        Ok(Visitor(lang_of(&parts.headers)))
    }
}
