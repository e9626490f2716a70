//! Sign-in and sign-out. The form takes `domain\user`, the user principal
//! name or the address, and the mailbox's password; the check is the one
//! every service makes (`Authenticator::login`: the shared logon record,
//! its delays and lockouts, the bounded password pool), then membership of
//! a role group. Every refusal reads the same and is written to the
//! service's log. The form carries its own CSRF token (cookie and field
//! must agree), so another site cannot sign a browser in.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use super::App;
use super::access::{Admin, Visitor};
use super::labels::Lang;
use super::page::{self, Feature};
use super::sessions::{SESSION_COOKIE, SIGNIN_COOKIE, clear_cookie, cookie, random_token, same_token, set_cookie};
use crate::engines::net::auth::{Caller, LoginOutcome};

#[derive(Deserialize)]
pub struct SignInQuery {
    expired: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInForm {
    username: Option<String>,
    password: Option<String>,
    csrf: Option<String>,
}

fn form_page(lang: Lang, status: StatusCode, message: Option<&str>, name: &str) -> Response {
    let l = lang.labels();
    let Some(token) = random_token() else {
        return page::unavailable(lang, "no random token could be made");
    };
    let body = html! {
        form.signin method="post" action="/ecp/auth/signin" {
            h2 { (l.sign_in) }
            @if let Some(m) = message { p.error id="signin-error" { (m) } }
            input type="hidden" name="csrf" value=(token);
            label for="username" { (l.sign_in_hint) }
            input type="text" id="username" name="username" value=(name) autocomplete="username";
            label for="password" { (l.password) }
            input type="password" id="password" name="password" autocomplete="current-password";
            button type="submit" id="signin-submit" { (l.sign_in) }
        }
    };
    let frame = page::frame(lang, None, Feature::None, html! {}, body);
    (
        status,
        [(header::SET_COOKIE, set_cookie(SIGNIN_COOKIE, &token)), (header::CACHE_CONTROL, "no-store".into())],
        frame,
    )
        .into_response()
}

pub async fn form(Visitor(lang): Visitor, Query(q): Query<SignInQuery>) -> Response {
    let message = q.expired.is_some().then_some(lang.labels().session_expired);
    form_page(lang, StatusCode::OK, message, "")
}

/// A refused sign-in, in the service's log (never the password).
fn log_refusal(user: &str, peer: SocketAddr, why: &str) {
    eprintln!(
        "{} W3SVC: sign-in to the Exchange admin center refused for '{}' from {}: {why}",
        crate::engines::net::time::iso_now(),
        user.trim().escape_debug(),
        peer.ip()
    );
}

pub async fn submit(
    State(app): State<App>,
    Visitor(lang): Visitor,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let l = lang.labels();
    let sent_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookie(h, SIGNIN_COOKIE))
        .map(str::to_string);
    let user = form.username.unwrap_or_default();
    match (sent_cookie.as_deref(), form.csrf.as_deref()) {
        (Some(a), Some(b)) if same_token(a, b) => {}
        _ => {
            log_refusal(&user, peer, "the form's CSRF token was missing or wrong");
            return page::refusal(lang, StatusCode::FORBIDDEN, l.form_expired);
        }
    }
    let password = form.password.unwrap_or_default();
    let mailbox = match app.auth.login(Caller::Client(peer.ip()), &user, &password).await {
        LoginOutcome::Accepted(m) => m,
        LoginOutcome::Refused => {
            log_refusal(&user, peer, "wrong user name or password, or the account is locked out");
            return form_page(lang, StatusCode::UNAUTHORIZED, Some(l.sign_in_refused), &user);
        }
        LoginOutcome::Busy => return form_page(lang, StatusCode::SERVICE_UNAVAILABLE, Some(l.sign_in_busy), &user),
        LoginOutcome::Unavailable(e) => return page::unavailable(lang, &e),
    };
    let guid = mailbox.guid.clone();
    match app.auth.with_store(move |s| s.reach_of(&guid)).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            log_refusal(&user, peer, "not a member of a role group");
            return form_page(lang, StatusCode::UNAUTHORIZED, Some(l.sign_in_refused), &user);
        }
        Err(e) => return page::unavailable(lang, &e.to_string()),
    }
    let caller = format!("{}/Users/{}", app.server.domain, mailbox.name);
    let token = match app.sessions.begin(mailbox.guid.clone(), caller, mailbox.display_name.clone()) {
        Ok(token) => token,
        Err(e) => return page::unavailable(lang, &e),
    };
    let mut response = page::redirect("/ecp/recipients/mailboxes");
    let headers = response.headers_mut();
    for c in [set_cookie(SESSION_COOKIE, &token), clear_cookie(SIGNIN_COOKIE)] {
        if let Ok(v) = header::HeaderValue::from_str(&c) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    response
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: Option<String>,
}

pub async fn sign_out(State(app): State<App>, admin: Admin, Form(form): Form<CsrfOnly>) -> Response {
    if let Err(refused) = admin.check_csrf(form.csrf.as_deref()) {
        return refused;
    }
    if let Err(e) = app.sessions.end(&admin.token) {
        return page::unavailable(admin.lang, &e);
    }
    let mut response = page::redirect("/ecp/auth/signin");
    if let Ok(v) = header::HeaderValue::from_str(&clear_cookie(SESSION_COOKIE)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
