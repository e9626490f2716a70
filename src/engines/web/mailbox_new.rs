//! recipients > mailboxes > New (+): the "new user mailbox" form (name,
//! alias, password), saved by one `New-Mailbox` through the shell's
//! runtime; the cmdlet's refusal (an empty name, a name or address taken,
//! a bad alias) is shown word for word with what was typed. The password
//! never reaches Show Command Logging.

use std::collections::HashMap;

use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::App;
use super::access::Admin;
use super::page::{self, Feature, query_value, quoted};

/// The form's fields: field name, New-Mailbox's parameter.
const FIELDS: [(&str, &str); 3] = [("name", "Name"), ("alias", "Alias"), ("password", "Password")];

pub async fn form(admin: Admin) -> Response {
    if !admin.may_change_recipients() {
        return admin.forbidden();
    }
    new_form(&admin, &HashMap::new(), &[], StatusCode::OK)
}

pub async fn submit(State(app): State<App>, admin: Admin, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Err(refused) = admin.check_recipient_change(&form) {
        return refused;
    }
    let given = |field: &str| form.get(field).map(String::as_str).unwrap_or_default();
    let name = given("name");
    let mut line = format!("New-Mailbox -Name {}", quoted(name));
    if !given("alias").trim().is_empty() {
        line.push_str(&format!(" -Alias {}", quoted(given("alias").trim())));
    }
    let shown = format!("{line} -Password '********'");
    line.push_str(&format!(" -Password (ConvertTo-SecureString {} -AsPlainText -Force)", quoted(given("password"))));
    let outcome = admin.run_shown_as(&app, line, shown).await;
    if outcome.errors.is_empty() {
        return page::redirect(&format!("/ecp/recipients/mailboxes?search={}", query_value(name)));
    }
    new_form(&admin, &form, &outcome.errors, StatusCode::UNPROCESSABLE_ENTITY)
}

/// The form, with what was typed (never the password) after a refusal.
fn new_form(admin: &Admin, typed: &HashMap<String, String>, errors: &[String], status: StatusCode) -> Response {
    let l = admin.lang.labels();
    let labels = [l.name, l.alias, l.new_password];
    let body = html! {
        h2 id="dialog-title" { (l.new_user_mailbox) }
        @for e in errors { p.error.cmdlet-error { (e) } }
        form method="post" action="/ecp/recipients/mailboxes/new" id="new-form" {
            input type="hidden" name="csrf" value=(admin.session.csrf);
            dl.fields {
                @for ((field, _), label) in FIELDS.into_iter().zip(labels) {
                    dt { label for=(field) { (label) } }
                    dd {
                        @if field == "password" {
                            input type="password" name=(field) id=(field) autocomplete="new-password";
                        } @else {
                            input type="text" name=(field) id=(field) value=(typed.get(field).map(String::as_str).unwrap_or_default());
                        }
                    }
                }
            }
            div.buttons {
                button type="submit" id="save" { (l.save) }
                a href="/ecp/recipients/mailboxes" id="cancel" { (l.cancel) }
            }
        }
    };
    (status, page::frame(admin.lang, Some(admin), Feature::Recipients, super::mailboxes::tabs(l), body)).into_response()
}
