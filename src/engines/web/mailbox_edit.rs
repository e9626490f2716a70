//! The "User Mailbox" dialog of recipients > mailboxes > Edit: its
//! sections (general and email address are `mailbox_general.rs` and
//! `mailbox_addresses.rs`), and mailbox features with its Email
//! Connectivity block (Outlook Web App, IMAP4, POP3, MAPI, each
//! Enabled/Disabled with an Enable/Disable link), then Save, as the
//! Exchange 2013 help pages walk it.
//!
//! Without JavaScript, the Enable/Disable links are buttons of one form
//! that carries the pending state; Save compares it with the store and
//! runs one `Set-CASMailbox` with what changed, through the shell's
//! runtime. A refused change shows the cmdlet's own message.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::App;
use super::access::Admin;
use super::labels::Labels;
use super::page::{self, Feature};
use crate::store::Mailbox;

/// The Email Connectivity switches, in the EAC's order: the form field,
/// Set-CASMailbox's parameter.
const CONNECTIVITY: [(&str, &str); 4] =
    [("owa", "OWAEnabled"), ("imap", "ImapEnabled"), ("pop", "PopEnabled"), ("mapi", "MAPIEnabled")];

/// A switch's label ("IMAP:"), which the state follows.
fn feature_label(l: &Labels, field: &str) -> &'static str {
    match field {
        "owa" => l.owa_feature,
        "imap" => l.imap_feature,
        "pop" => l.pop_feature,
        _ => l.mapi_feature,
    }
}

fn stored(m: &Mailbox, field: &str) -> bool {
    match field {
        "owa" => m.cas.owa_enabled,
        "imap" => m.cas.imap_enabled,
        "pop" => m.cas.pop_enabled,
        _ => m.cas.mapi_enabled,
    }
}

#[derive(Deserialize, Default)]
pub struct DialogQuery {
    section: Option<String>,
    saved: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    General,
    Addresses,
    Features,
}

impl Section {
    fn from(text: Option<&str>) -> Section {
        match text {
            Some("features") => Section::Features,
            Some("addresses") => Section::Addresses,
            _ => Section::General,
        }
    }

    pub(super) fn query(self) -> &'static str {
        match self {
            Section::General => "general",
            Section::Addresses => "addresses",
            Section::Features => "features",
        }
    }
}

/// What the page shows besides the mailbox.
#[derive(Default)]
struct Shown {
    /// The pending switches (field → enabled), when they differ from the store's.
    pending: HashMap<&'static str, bool>,
    errors: Vec<String>,
    saved: bool,
    /// Asking to confirm MAPI's Disable.
    confirm_mapi: bool,
}

pub async fn show(
    State(app): State<App>,
    admin: Admin,
    Path(guid): Path<String>,
    Query(q): Query<DialogQuery>,
) -> Response {
    match admin.mailbox(&app, guid).await {
        Ok(m) => {
            let saved = q.saved.is_some();
            match Section::from(q.section.as_deref()) {
                Section::Features => {
                    let shown = Shown { saved, ..Shown::default() };
                    features_dialog(&admin, &m, &shown, StatusCode::OK)
                }
                Section::General => {
                    let inner = super::mailbox_general::view(&admin, &m, None);
                    dialog(&admin, &m, Section::General, &[], saved, inner, StatusCode::OK)
                }
                Section::Addresses => {
                    let inner = super::mailbox_addresses::view(&admin, &m, &m.email_addresses, "");
                    dialog(&admin, &m, Section::Addresses, &[], saved, inner, StatusCode::OK)
                }
            }
        }
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
    match form.get("section").map(String::as_str) {
        Some("general") => return super::mailbox_general::submit(&app, &admin, &m, &form).await,
        Some("addresses") => return super::mailbox_addresses::submit(&app, &admin, &m, &form).await,
        _ => {}
    }
    let mut shown = Shown::default();
    for (field, _) in CONNECTIVITY {
        let value = form.get(field).map_or(stored(&m, field), |v| v == "1");
        shown.pending.insert(field, value);
    }
    let action = form.get("action").map(String::as_str).unwrap_or_default();
    match action {
        "save" => {
            let mut line = format!("Set-CASMailbox -Identity {}", page::quoted(&m.guid));
            let mut changed = false;
            for (field, parameter) in CONNECTIVITY {
                let want = shown.pending.get(field).copied().unwrap_or(stored(&m, field));
                if want != stored(&m, field) {
                    line.push_str(&format!(" -{parameter} ${want}"));
                    changed = true;
                }
            }
            if !changed {
                return page::redirect(&format!("/ecp/recipients/mailboxes/{}?section=features", m.guid));
            }
            let outcome = admin.run(&app, line).await;
            if outcome.errors.is_empty() {
                return page::redirect(&format!("/ecp/recipients/mailboxes/{}?section=features&saved=1", m.guid));
            }
            shown.errors = outcome.errors;
            features_dialog(&admin, &m, &shown, StatusCode::UNPROCESSABLE_ENTITY)
        }
        "confirm-mapi" => {
            shown.pending.insert("mapi", false);
            features_dialog(&admin, &m, &shown, StatusCode::OK)
        }
        toggle => {
            if let Some(field) = toggle.strip_prefix("toggle-")
                && let Some((key, _)) = CONNECTIVITY.iter().find(|(f, _)| *f == field)
            {
                let now = shown.pending.get(key).copied().unwrap_or(true);
                if *key == "mapi" && now {
                    // Exchange asks before MAPI is turned off.
                    shown.confirm_mapi = true;
                } else {
                    shown.pending.insert(key, !now);
                }
            }
            features_dialog(&admin, &m, &shown, StatusCode::OK)
        }
    }
}

fn features_dialog(admin: &Admin, m: &Mailbox, shown: &Shown, status: StatusCode) -> Response {
    let l = admin.lang.labels();
    let base = format!("/ecp/recipients/mailboxes/{}", m.guid);
    let inner = features(admin, m, shown, l, &base);
    dialog(admin, m, Section::Features, &shown.errors, shown.saved, inner, status)
}

/// The dialog around one section: its title, the sections' list, the
/// cmdlet's errors (word for word) or the saved notice, then the section.
pub(super) fn dialog(
    admin: &Admin,
    m: &Mailbox,
    section: Section,
    errors: &[String],
    saved: bool,
    inner: Markup,
    status: StatusCode,
) -> Response {
    let l = admin.lang.labels();
    let base = format!("/ecp/recipients/mailboxes/{}", m.guid);
    let sections = [
        (Section::General, l.general),
        (Section::Addresses, l.email_address_section),
        (Section::Features, l.mailbox_features),
    ];
    let body = html! {
        h2 id="dialog-title" { (l.user_mailbox_dialog) " - " (m.display_name) }
        div.dialog {
            nav {
                @for (s, label) in sections {
                    a href=(format!("{base}?section={}", s.query())) id=(format!("section-{}", s.query()))
                        class=[(section == s).then_some("active")] { (label) }
                }
            }
            section {
                @for e in errors { p.error.cmdlet-error { (e) } }
                @if saved { p.notice id="saved" { (l.saved) } }
                (inner)
            }
        }
        p { a href=(format!("/ecp/recipients/mailboxes?selected={}", m.guid)) id="back" { (l.mailboxes) } }
    };
    (status, page::frame(admin.lang, Some(admin), Feature::Recipients, super::mailboxes::tabs(l), body)).into_response()
}

fn features(admin: &Admin, m: &Mailbox, shown: &Shown, l: &Labels, base: &str) -> Markup {
    let state = |field: &str| shown.pending.get(field).copied().unwrap_or(stored(m, field));
    let editable = admin.may_change_recipients();
    let block = html! {
        h3 { (l.mailbox_features) }
        h4 id="email-connectivity" { (l.email_connectivity) }
        @if !editable { p.notice id="read-only" { (l.read_only) } }
        @for (field, _) in CONNECTIVITY {
            div.feature id=(format!("feature-{field}")) {
                span.state id=(format!("state-{field}")) {
                    (feature_label(l, field)) " " (if state(field) { l.enabled } else { l.disabled })
                }
                @if editable {
                    br;
                    button.link type="submit" name="action" value=(format!("toggle-{field}")) id=(format!("toggle-{field}")) {
                        (if state(field) { l.disable } else { l.enable })
                    }
                }
            }
            @if field == "mapi" && shown.confirm_mapi {
                div.warning id="mapi-warning" {
                    p { (l.mapi_warning) }
                    button type="submit" name="action" value="confirm-mapi" id="confirm-yes" { (l.yes) }
                    button type="submit" name="action" value="none" id="confirm-no" { (l.no) }
                }
            }
        }
    };
    if !editable {
        return block;
    }
    html! {
        form method="post" action=(base) id="features-form" {
            input type="hidden" name="csrf" value=(admin.session.csrf);
            @for (field, _) in CONNECTIVITY {
                input type="hidden" name=(field) value=(if state(field) { "1" } else { "0" });
            }
            (block)
            div.buttons {
                button type="submit" name="action" value="save" id="save" { (l.save) }
                a href=(format!("/ecp/recipients/mailboxes?selected={}", m.guid)) id="cancel" { (l.cancel) }
            }
        }
    }
}
