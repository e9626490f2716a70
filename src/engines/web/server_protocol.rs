//! servers > servers > Edit > IMAP4 / POP3: the settings of
//! Set-ImapSettings / Set-PopSettings an administrator changes (logon
//! method, bindings, banner, connection time-outs in seconds and limits,
//! the maximum command size, message retrieval format and (POP3) sort
//! order, as Exchange 2013's EAC shows them; then the
//! certificate name, calendar items and the Outlook Web App URL, which
//! Exchange sets only in the Shell), with the cmdlet's restart warning as
//! a note. Save runs one Set-ImapSettings or
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
use super::labels::Labels;
use super::page::{self, Feature, quoted};
use crate::store::role_groups::Reach;
use crate::store::{
    CalendarItemRetrievalOption, ExchangeEnum, LoginType, MimeTextFormat, Protocol, ProtocolSettings, SortOrder,
};

/// How a form field is shown and sent.
enum Kind {
    /// The enum's members (the values sent), shown by the language's
    /// names for them.
    Choice(&'static [&'static str], fn(&'static Labels) -> &'static [&'static str]),
    /// A comma-separated list.
    List,
    /// A TimeSpan typed in seconds, as Exchange's EAC asks for it.
    Seconds,
    Text,
}

fn sort_orders(l: &'static Labels) -> &'static [&'static str] {
    &l.sort_orders
}

/// The fields of a protocol's section (POP3 alone has a sort order).
fn fields(protocol: Protocol) -> impl Iterator<Item = &'static (&'static str, Kind)> {
    FIELDS.iter().filter(move |(f, _)| protocol == Protocol::Pop3 || *f != "MessageRetrievalSortOrder")
}

fn login_types(l: &'static Labels) -> &'static [&'static str] {
    &l.login_types
}

fn mime_formats(l: &'static Labels) -> &'static [&'static str] {
    &l.mime_formats
}

/// Calendar items retrieval is Shell-only in Exchange 2013: its members
/// are shown as the Shell names them.
fn calendar_options(_: &'static Labels) -> &'static [&'static str] {
    CalendarItemRetrievalOption::MEMBERS
}

/// Each field: the cmdlet's parameter (also the form field) and how to
/// show it; the label comes from the language's table. In Exchange's
/// order, then the Shell-only ones.
const FIELDS: [(&str, Kind); 15] = [
    ("LoginType", Kind::Choice(LoginType::MEMBERS, login_types)),
    ("UnencryptedOrTLSBindings", Kind::List),
    ("SSLBindings", Kind::List),
    ("X509CertificateName", Kind::Text),
    ("Banner", Kind::Text),
    ("AuthenticatedConnectionTimeout", Kind::Seconds),
    ("PreAuthenticatedConnectionTimeout", Kind::Seconds),
    ("MaxConnections", Kind::Text),
    ("MaxConnectionFromSingleIP", Kind::Text),
    ("MaxConnectionsPerUser", Kind::Text),
    ("MaxCommandSize", Kind::Text),
    ("MessageRetrievalMimeFormat", Kind::Choice(MimeTextFormat::MEMBERS, mime_formats)),
    // POP3 only.
    ("MessageRetrievalSortOrder", Kind::Choice(SortOrder::MEMBERS, sort_orders)),
    ("CalendarItemRetrievalOption", Kind::Choice(CalendarItemRetrievalOption::MEMBERS, calendar_options)),
    ("OwaServerUrl", Kind::Text),
];

fn label(l: &Labels, field: &str) -> &'static str {
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
        "MaxCommandSize" => l.max_command_size,
        "MessageRetrievalSortOrder" => l.sort_order,
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
        "AuthenticatedConnectionTimeout" => s.authenticated_connection_timeout.to_string(),
        "PreAuthenticatedConnectionTimeout" => s.preauthenticated_connection_timeout.to_string(),
        "MaxConnections" => s.max_connections.to_string(),
        "MaxConnectionFromSingleIP" => s.max_connection_from_single_ip.to_string(),
        "MaxConnectionsPerUser" => s.max_connections_per_user.to_string(),
        "MaxCommandSize" => s.max_command_size.to_string(),
        "MessageRetrievalSortOrder" => s.message_retrieval_sort_order.name().to_string(),
        "MessageRetrievalMimeFormat" => s.message_retrieval_mime_format.name().to_string(),
        "CalendarItemRetrievalOption" => s.calendar_item_retrieval_option.name().to_string(),
        _ => s.owa_server_url.clone().unwrap_or_default(),
    }
}

/// Seconds as a TimeSpan's text (`00:30:00`, `1.00:00:00`), as the
/// time-outs' parameters take them.
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
        Kind::Text | Kind::Seconds if text.is_empty() => "$null".to_string(),
        // Anything but a count of seconds goes as typed, for the cmdlet to
        // refuse in its own words.
        Kind::Seconds => text.parse::<u32>().map_or_else(|_| quoted(text), |secs| quoted(&timespan(i64::from(secs)))),
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
            let values: HashMap<&str, String> = fields(protocol).map(|(f, _)| (*f, current(&s, f))).collect();
            dialog(&app, &admin, protocol, &name, shown, &values, &[], &[], StatusCode::OK)
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
    for (field, kind) in fields(protocol) {
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
            values = fields(protocol).map(|(f, _)| (*f, current(&s, f))).collect();
        }
    }
    dialog(&app, &admin, protocol, &name, shown, &values, &outcome.errors, &outcome.warnings, status)
}

#[allow(clippy::too_many_arguments)]
fn dialog(
    app: &App,
    admin: &Admin,
    protocol: Protocol,
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
        @for (field, kind) in fields(protocol) {
            p {
                label for=(field) { (label(l, field)) }
                br;
                @let value = values.get(field).cloned().unwrap_or_default();
                @match kind {
                    Kind::Choice(members, shown) => {
                        select id=(field) name=(field) disabled[!editable] {
                            @for (m, text) in members.iter().zip(shown(l)) {
                                option value=(m) selected[*m == value] { (text) }
                            }
                        }
                    }
                    Kind::List => {
                        input type="text" id=(field) name=(field) value=(value) size="50" title=(l.bindings_hint)
                            placeholder=(l.bindings_hint) readonly[!editable];
                    }
                    _ => { input type="text" id=(field) name=(field) value=(value) size="50" readonly[!editable]; }
                }
            }
        }
    };
    let body = html! {
        h2 id="dialog-title" { (app.server.name) " - " (shown) }
        div.dialog {
            // The sections' names: Strings:Imap4, Strings:Pop3.
            nav {
                a href="/ecp/servers/servers/imap" id="section-imap" class=[(name == "imap").then_some("active")] { "IMAP4" }
                a href="/ecp/servers/servers/pop" id="section-pop" class=[(name == "pop").then_some("active")] { "POP3" }
            }
            section {
                @for e in errors { p.error.cmdlet-error { (e) } }
                @for w in warnings { p.notice.cmdlet-warning { "WARNING: " (w) } }
                // The note is the cmdlet's own warning: once Save has shown
                // that, not twice.
                @if warnings.is_empty() { p.notice id="restart-note" { (note) } }
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
    use super::{Kind, argument, timespan};

    #[test]
    fn time_outs_typed_in_seconds_are_sent_as_timespans() {
        assert_eq!(
            [timespan(30), timespan(1800), timespan(3661), timespan(86_400)],
            ["00:00:30", "00:30:00", "01:01:01", "1.00:00:00"]
        );
        assert_eq!(argument(&Kind::Seconds, " 1800 "), "'00:30:00'");
        // Not a count of seconds: as typed, for the cmdlet to refuse.
        assert_eq!(argument(&Kind::Seconds, "half an hour"), "'half an hour'");
        assert_eq!(argument(&Kind::Seconds, ""), "$null");
    }
}
