//! Edit > general: Name, Display name and Alias, changed by one
//! `Set-Mailbox` with what differs from the store, run through the
//! shell's runtime; a refusal (a name another mailbox has) shows the
//! cmdlet's message and keeps what was typed. First and last name are
//! shown as the store has them: Exchange changes them with Set-User,
//! which mailsh does not have.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};

use super::App;
use super::access::Admin;
use super::mailbox_edit::{Section, dialog};
use super::page::{self, quoted};
use crate::store::Mailbox;

/// The form's fields: field name, Set-Mailbox's parameter, the stored value.
fn fields(m: &Mailbox) -> [(&'static str, &'static str, &str); 3] {
    [("name", "Name", &m.name), ("display_name", "DisplayName", &m.display_name), ("alias", "Alias", &m.alias)]
}

/// The section; `typed` is what a refused form held.
pub fn view(admin: &Admin, m: &Mailbox, typed: Option<&HashMap<String, String>>) -> Markup {
    let l = admin.lang.labels();
    let editable = admin.may_change_recipients();
    let value = |field: &str, stored: &str| -> String {
        typed.and_then(|t| t.get(field)).cloned().unwrap_or_else(|| stored.to_string())
    };
    let labels = [l.name, l.display_name_field, l.alias];
    html! {
        h3 { (l.general) }
        @if !editable { p.notice id="read-only" { (l.read_only) } }
        form method="post" action=(format!("/ecp/recipients/mailboxes/{}", m.guid)) id="general-form" {
            input type="hidden" name="csrf" value=(admin.session.csrf);
            input type="hidden" name="section" value="general";
            dl.fields {
                dt { (l.first_name) } dd id="general-first-name" { (m.first_name.as_deref().unwrap_or_default()) }
                dt { (l.last_name) } dd id="general-last-name" { (m.last_name.as_deref().unwrap_or_default()) }
                @for ((field, _, stored), label) in fields(m).into_iter().zip(labels) {
                    dt { label for=(field) { (label) } }
                    dd { input type="text" name=(field) id=(field) value=(value(field, stored)) readonly[!editable]; }
                }
                dt { (l.upn) } dd id="general-upn" { (m.upn) }
                dt { (l.new_address) } dd id="general-email" { (m.primary_smtp) }
            }
            @if editable {
                div.buttons {
                    button type="submit" name="action" value="save" id="save" { (l.save) }
                    a href=(format!("/ecp/recipients/mailboxes?selected={}", m.guid)) id="cancel" { (l.cancel) }
                }
            }
        }
    }
}

/// Save: one Set-Mailbox with the fields that changed.
pub async fn submit(app: &App, admin: &Admin, m: &Mailbox, form: &HashMap<String, String>) -> Response {
    let mut line = format!("Set-Mailbox -Identity {}", quoted(&m.guid));
    let mut changed = false;
    for (field, parameter, stored) in fields(m) {
        if let Some(typed) = form.get(field)
            && typed != stored
        {
            line.push_str(&format!(" -{parameter} {}", quoted(typed)));
            changed = true;
        }
    }
    let here = format!("/ecp/recipients/mailboxes/{}?section=general", m.guid);
    if !changed {
        return page::redirect(&here);
    }
    let outcome = admin.run(app, line).await;
    if outcome.errors.is_empty() {
        return page::redirect(&format!("{here}&saved=1"));
    }
    let inner = view(admin, m, Some(form));
    dialog(admin, m, Section::General, &outcome.errors, false, inner, StatusCode::UNPROCESSABLE_ENTITY)
}
