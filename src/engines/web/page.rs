//! The frame every EAC page shares (title bar, the left-hand feature list,
//! the tabs of the feature), the refusals, and redirects. Plain HTML and a
//! little CSS: every page works without JavaScript.

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::access::{Admin, Visitor};
use super::labels::Lang;

/// Which feature (left-hand list) a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    Recipients,
    Servers,
    None,
}

const STYLE: &str = "
body{font-family:'Segoe UI',Tahoma,Arial,sans-serif;font-size:13px;margin:0;color:#333}
header{background:#0072c6;color:#fff;padding:6px 16px;display:flex;justify-content:space-between;align-items:center}
header h1{font-size:20px;font-weight:300;margin:0}
header form{display:inline} header button,header a{color:#fff;background:none;border:none;font:inherit;cursor:pointer;text-decoration:none;margin-left:12px}
.shell{display:flex} nav.features{width:190px;padding:16px} nav.features a{display:block;padding:4px 0;color:#333;text-decoration:none;font-size:15px}
nav.features a.active{color:#0072c6;font-weight:600} main{flex:1;padding:12px 20px}
nav.tabs a{margin-right:18px;font-size:16px;color:#666;text-decoration:none} nav.tabs a.active{color:#0072c6;border-bottom:2px solid #0072c6}
table.list{border-collapse:collapse;width:100%;margin-top:10px} table.list th{text-align:left;font-weight:600;font-size:11px;color:#666;padding:4px 8px;border-bottom:1px solid #ddd}
table.list th a{color:#666;text-decoration:none} table.list td{padding:4px 8px} table.list tr.selected{background:#cde6f7}
table.list td a{color:#333;text-decoration:none;display:block}
.panes{display:flex;gap:20px} .panes>div:first-child{flex:2} .details{flex:1;border-left:1px solid #ddd;padding-left:16px}
.toolbar a,.toolbar button{margin-right:12px;color:#0072c6}
.error{color:#c00;margin:8px 0} .notice{color:#060;margin:8px 0}
.dialog{display:flex;border:1px solid #ccc;max-width:760px} .dialog nav{width:200px;padding:12px;border-right:1px solid #eee}
.dialog nav a{display:block;padding:3px 0;color:#333;text-decoration:none} .dialog nav a.active{color:#0072c6;font-weight:600}
.dialog section{flex:1;padding:12px 20px} .feature{margin:10px 0} .feature .state{font-weight:600}
button.link{background:none;border:none;color:#0072c6;padding:0;font:inherit;cursor:pointer;text-decoration:underline}
dl.fields{display:grid;grid-template-columns:170px 1fr;gap:6px 10px;align-items:center} dl.fields dd{margin:0}
.buttons{margin-top:16px} .buttons button,.buttons a{margin-right:10px}
form.signin{max-width:380px;margin:60px auto} form.signin input{display:block;width:100%;margin:4px 0 12px;padding:4px}
";

/// A whole page: for a signed-in admin (with the features and tabs) or a
/// visitor (the sign-in page, refusals).
pub fn frame(lang: Lang, admin: Option<&Admin>, feature: Feature, tabs: Markup, body: Markup) -> Html<String> {
    let l = lang.labels();
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                title { (l.title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (l.title) }
                    @if let Some(admin) = admin {
                        div {
                            span id="signed-in" { (admin.session.display_name) }
                            a href="/ecp/commandlog" id="command-logging" { (l.command_logging) }
                            form method="post" action="/ecp/auth/signout" {
                                input type="hidden" name="csrf" value=(admin.session.csrf);
                                button type="submit" id="sign-out" { (l.sign_out) }
                            }
                        }
                    }
                }
                @if let Some(admin) = admin {
                    div.shell {
                        nav.features {
                            a href="/ecp/recipients/mailboxes" id="feature-recipients"
                                class=[(feature == Feature::Recipients).then_some("active")] { (l.recipients) }
                            @if admin.may_see_servers() {
                                a href="/ecp/servers/servers" id="feature-servers"
                                    class=[(feature == Feature::Servers).then_some("active")] { (l.servers) }
                            }
                        }
                        main {
                            nav.tabs { (tabs) }
                            (body)
                        }
                    }
                } @else {
                    main { (body) }
                }
            }
        }
    };
    Html(markup.into_string())
}

/// Every answer: never framed by another site (clickjacking), scripts and
/// styles only from the page itself, no content sniffing, never cached
/// (pages show mailboxes and carry CSRF tokens).
pub async fn protect(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        headers.insert(name, header::HeaderValue::from_static(value));
    }
    response
}

pub fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// A refusal page with its status.
pub fn refusal(lang: Lang, status: StatusCode, text: &str) -> Response {
    let body = html! { p.error id="refusal" { (text) } p { a href="/ecp" { (lang.labels().title) } } };
    (status, frame(lang, None, Feature::None, html! {}, body)).into_response()
}

/// The store could not be read.
pub fn unavailable(lang: Lang, reason: &str) -> Response {
    refusal(lang, StatusCode::SERVICE_UNAVAILABLE, reason)
}

pub async fn to_ecp() -> Response {
    redirect("/ecp/recipients/mailboxes")
}

pub async fn not_found(Visitor(lang): Visitor) -> Response {
    refusal(lang, StatusCode::NOT_FOUND, lang.labels().not_found)
}

/// Percent-encodes a query value.
pub fn query_value(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A value as a single-quoted PowerShell string, for the command lines
/// the pages run.
pub fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
