//! recipients > mailboxes > Delete: the EAC's warning, then Yes runs one
//! `Remove-Mailbox -Confirm:$false` through the shell's runtime (the
//! warning is the confirmation). View-Only Organization Management sees
//! no Delete and a forged form is refused.

use std::collections::HashMap;

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::App;
use super::access::Admin;
use super::page::{self, Feature, quoted};
use crate::store::Mailbox;

pub async fn confirm(State(app): State<App>, admin: Admin, Path(guid): Path<String>) -> Response {
    if !admin.may_change_recipients() {
        return admin.forbidden();
    }
    match admin.mailbox(&app, guid).await {
        Ok(m) => warning(&admin, &m, &[], StatusCode::OK),
        Err(refused) => refused,
    }
}

pub async fn submit(
    State(app): State<App>,
    admin: Admin,
    Path(guid): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let m = match admin.mailbox_to_change(&app, &form, guid).await {
        Ok(m) => m,
        Err(refused) => return refused,
    };
    let outcome = admin.run(&app, format!("Remove-Mailbox -Identity {} -Confirm:$false", quoted(&m.guid))).await;
    if outcome.errors.is_empty() {
        return page::redirect("/ecp/recipients/mailboxes");
    }
    warning(&admin, &m, &outcome.errors, StatusCode::UNPROCESSABLE_ENTITY)
}

fn warning(admin: &Admin, m: &Mailbox, errors: &[String], status: StatusCode) -> Response {
    let l = admin.lang.labels();
    let body = html! {
        @for e in errors { p.error.cmdlet-error { (e) } }
        div.warning id="delete-warning" {
            p { (l.delete_warning.replace("{name}", &m.display_name)) }
            form method="post" action=(format!("/ecp/recipients/mailboxes/{}/delete", m.guid)) {
                input type="hidden" name="csrf" value=(admin.session.csrf);
                button type="submit" id="confirm-yes" { (l.yes) }
                " "
                a href=(format!("/ecp/recipients/mailboxes?selected={}", m.guid)) id="confirm-no" { (l.no) }
            }
        }
    };
    (status, page::frame(admin.lang, Some(admin), Feature::Recipients, super::mailboxes::tabs(l), body)).into_response()
}
