//! servers > servers > Edit > IMAP4 / POP3: the settings of
//! Set-ImapSettings / Set-PopSettings an administrator changes (logon
//! method, bindings, certificate name, banner, connection time-outs and
//! limits, message
//! retrieval format, calendar items and the Outlook Web App URL), with the
//! restart note Exchange shows. Save runs one Set-ImapSettings or
//! Set-PopSettings with what changed; its warnings and errors are shown as
//! the cmdlet wrote them. Organization Management may change them,
//! View-Only Organization Management reads them, Recipient Management is
//! refused.

use std::collections::HashMap;

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::App;
use super::access::Admin;
use super::page::{self, Feature, quoted};
use crate::store::role_groups::Reach;
use crate::store::{CalendarItemRetrievalOption, ExchangeEnum, LoginType, MimeTextFormat, Protocol, ProtocolSettings};

/// How a form field is shown and sent.
enum Kind {
    Choice(&'static [&'static str]),
    /// A comma-separated list.
    List,
    Text,
}

/// Each field: the cmdlet's parameter (also the form field) and how to
/// show it; the label comes from the language's table.
const FIELDS: [(&str, Kind); 13] = [
    ("LoginType", Kind::Choice(LoginType::MEMBERS)),
    ("UnencryptedOrTLSBindings", Kind::List),
    ("SSLBindings", Kind::List),
    ("X509CertificateName", Kind::Text),
    ("Banner", Kind::Text),
    ("AuthenticatedConnectionTimeout", Kind::Text),
    ("PreAuthenticatedConnectionTimeout", Kind::Text),
    ("MaxConnections", Kind::Text),
    ("MaxConnectionFromSingleIP", Kind::Text),
    ("MaxConnectionsPerUser", Kind::Text),
    ("MessageRetrievalMimeFormat", Kind::Choice(MimeTextFormat::MEMBERS)),
    ("CalendarItemRetrievalOption", Kind::Choice(CalendarItemRetrievalOption::MEMBERS)),
    ("OwaServerUrl", Kind::Text),
];

fn label(l: &super::labels::Labels, field: &str) -> &'static str {
    match field {
        "LoginType" => l.logon_method,
        "UnencryptedOrTLSBindings" => l.plain_bindings,
        "SSLBindings" => l.ssl_bindings,
        "X509CertificateName" => l.certificate_name,
        "Banner" => l.banner,
        "AuthenticatedConnectionTimeout" => l.authenticated_timeout,
        "PreAuthenticatedConnectionTimeout" => l.unauthenticated_timeout,
        "MaxConnections" => l.max_connections,
        "MaxConnectionFromSingleIP" => l.max_from_ip,
        "MaxConnectionsPerUser" => l.max_per_user,
        "MessageRetrievalMimeFormat" => l.retrieval_format,
        "CalendarItemRetrievalOption" => l.calendar_items,
        _ => l.owa_url,
    }
}

/// The field's value as the page shows it.
fn current(s: &ProtocolSettings, field: &str) -> String {
    match field {
        "LoginType" => s.login_type.name().to_string(),
        "UnencryptedOrTLSBindings" => s.unencrypted_or_tls_bindings.join(", "),
        "SSLBindings" => s.ssl_bindings.join(", "),
        "X509CertificateName" => s.x509_certificate_name.clone(),
        "Banner" => s.banner.clone(),
        "AuthenticatedConnectionTimeout" => timespan(s.authenticated_connection_timeout),
        "PreAuthenticatedConnectionTimeout" => timespan(s.preauthenticated_connection_timeout),
        "MaxConnections" => s.max_connections.to_string(),
        "MaxConnectionFromSingleIP" => s.max_connection_from_single_ip.to_string(),
        "MaxConnectionsPerUser" => s.max_connections_per_user.to_string(),
        "MessageRetrievalMimeFormat" => s.message_retrieval_mime_format.name().to_string(),
        "CalendarItemRetrievalOption" => s.calendar_item_retrieval_option.name().to_string(),
        _ => s.owa_server_url.clone().unwrap_or_default(),
    }
}

/// Seconds as a TimeSpan's text (`00:30:00`, `1.00:00:00`), as the Shell
/// shows the time-outs and as their parameters take them.
fn timespan(secs: i64) -> String {
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let clock = format!("{:02}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60);
    if days > 0 { format!("{days}.{clock}") } else { clock }
}

/// The argument a field's text becomes on the command line.
fn argument(kind: &Kind, text: &str) -> String {
    let text = text.trim();
    match kind {
        Kind::List => {
            let items: Vec<String> = text.split(',').map(str::trim).filter(|i| !i.is_empty()).map(quoted).collect();
            if items.is_empty() { "$null".to_string() } else { items.join(",") }
        }
        Kind::Text if text.is_empty() => "$null".to_string(),
        _ => quoted(text),
    }
}

fn protocol_of(name: &str) -> Option<(Protocol, &'static str, &'static str)> {
    match name {
        "imap" => Some((Protocol::Imap4, "IMAP4", "Set-ImapSettings")),
        "pop" => Some((Protocol::Pop3, "POP3", "Set-PopSettings")),
        _ => None,
    }
}

async fn load(app: &App, protocol: Protocol) -> Result<ProtocolSettings, String> {
    app.auth.with_store(move |s| s.protocol_settings(protocol)).await.map_err(|e| e.to_string())
}

pub async fn show(State(app): State<App>, admin: Admin, Path(name): Path<String>) -> Response {
    if !admin.may_see_servers() {
        return admin.forbidden();
    }
    let Some((protocol, shown, _)) = protocol_of(&name) else {
        return page::refusal(admin.lang, StatusCode::NOT_FOUND, admin.lang.labels().not_found);
    };
    match load(&app, protocol).await {
        Ok(s) => {
            let values: HashMap<&str, String> = FIELDS.iter().map(|(f, _)| (*f, current(&s, f))).collect();
            dialog(&app, &admin, &name, shown, &values, &[], &[], StatusCode::OK)
        }
        Err(e) => page::unavailable(admin.lang, &e),
    }
}

pub async fn submit(
    State(app): State<App>,
    admin: Admin,
    Path(name): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(refused) = admin.check_csrf(form.get("csrf").map(String::as_str)) {
        return refused;
    }
    if admin.reach != Reach::Organization {
        return admin.forbidden();
    }
    let Some((protocol, shown, cmdlet)) = protocol_of(&name) else {
        return page::refusal(admin.lang, StatusCode::NOT_FOUND, admin.lang.labels().not_found);
    };
    let settings = match load(&app, protocol).await {
        Ok(s) => s,
        Err(e) => return page::unavailable(admin.lang, &e),
    };
    let mut line = cmdlet.to_string();
    let mut values: HashMap<&str, String> = HashMap::new();
    for (field, kind) in &FIELDS {
        let now = current(&settings, field);
        let sent = form.get(*field).map(|v| v.trim().to_string()).unwrap_or_else(|| now.clone());
        if sent != now {
            line.push_str(&format!(" -{field} {}", argument(kind, &sent)));
        }
        values.insert(field, sent);
    }
    if line == cmdlet {
        return page::redirect(&format!("/ecp/servers/servers/{name}"));
    }
    let outcome = admin.run(&app, line).await;
    let status = if outcome.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    if outcome.errors.is_empty() {
        // What the store now holds (the cmdlet normalises what it takes).
        if let Ok(s) = load(&app, protocol).await {
            values = FIELDS.iter().map(|(f, _)| (*f, current(&s, f))).collect();
        }
    }
    dialog(&app, &admin, &name, shown, &values, &outcome.errors, &outcome.warnings, status)
}

#[allow(clippy::too_many_arguments)]
fn dialog(
    app: &App,
    admin: &Admin,
    name: &str,
    shown: &str,
    values: &HashMap<&str, String>,
    errors: &[String],
    warnings: &[String],
    status: StatusCode,
) -> Response {
    let l = admin.lang.labels();
    let editable = admin.reach == Reach::Organization;
    let note = l.restart_note.replace("{protocol}", shown).replace("{server}", &app.server.name);
    let fields: Markup = html! {
        @for (field, kind) in &FIELDS {
            p {
                label for=(field) { (label(l, field)) }
                br;
                @let value = values.get(field).cloned().unwrap_or_default();
                @match kind {
                    Kind::Choice(members) => {
                        select id=(field) name=(field) disabled[!editable] {
                            @for m in *members { option value=(m) selected[*m == value] { (m) } }
                        }
                    }
                    _ => { input type="text" id=(field) name=(field) value=(value) size="50" readonly[!editable]; }
                }
            }
        }
    };
    let body = html! {
        h2 id="dialog-title" { (app.server.name) " - " (shown) }
        div.dialog {
            nav {
                a href="/ecp/servers/servers/imap" id="section-imap" class=[(name == "imap").then_some("active")] { "IMAP4" }
                a href="/ecp/servers/servers/pop" id="section-pop" class=[(name == "pop").then_some("active")] { "POP3" }
            }
            section {
                @for e in errors { p.error.cmdlet-error { (e) } }
                @for w in warnings { p.notice.cmdlet-warning { "WARNING: " (w) } }
                p.notice id="restart-note" { (note) }
                @if editable {
                    form method="post" action=(format!("/ecp/servers/servers/{name}")) id="settings-form" {
                        input type="hidden" name="csrf" value=(admin.session.csrf);
                        (fields)
                        div.buttons { button type="submit" id="save" { (l.save) } }
                    }
                } @else {
                    p.notice id="read-only" { (l.read_only) }
                    (fields)
                }
            }
        }
    };
    let tabs = html! { a.active href="/ecp/servers/servers" id="tab-servers" { (l.servers_tab) } };
    (status, page::frame(admin.lang, Some(admin), Feature::Servers, tabs, body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::timespan;

    #[test]
    fn time_outs_are_shown_as_timespans() {
        assert_eq!(
            [timespan(30), timespan(1800), timespan(3661), timespan(86_400)],
            ["00:00:30", "00:30:00", "01:01:01", "1.00:00:00"]
        );
    }
}
