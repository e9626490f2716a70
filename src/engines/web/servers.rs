//! servers > servers: this server, for Organization Management (and
//! View-Only Organization Management to read); Recipient Management is
//! refused here, as Exchange's role groups decide.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::App;
use super::access::Admin;
use super::page::{self, Feature};

pub async fn list(State(app): State<App>, admin: Admin) -> Response {
    if !admin.may_see_servers() {
        return admin.forbidden();
    }
    let l = admin.lang.labels();
    let tabs = html! { a.active href="/ecp/servers/servers" id="tab-servers" { (l.servers_tab) } };
    let body = html! {
        table.list id="server-list" {
            thead { tr { th { (l.server_name) } th { (l.server_roles) } th { (l.version) } } }
            tbody { tr {
                td { (app.server.name) " " a href="/ecp/servers/servers/imap" id="edit-server" title=(l.edit) { "✎ " (l.edit) } }
                td { "Mailbox, Client Access" }
                td { "Version 15.0 (Build 1497.2)" }
            } }
        }
    };
    page::frame(admin.lang, Some(&admin), Feature::Servers, tabs, body).into_response()
}
