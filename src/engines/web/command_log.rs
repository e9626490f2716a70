//! Show Command Logging: the cmdlets this browser session ran, newest
//! last, with when they started and whether they succeeded: the columns of
//! Exchange's command log (Start Time, Status, Command), which records no
//! end time.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::App;
use super::access::Admin;
use super::page::{self, Feature};

fn clock(t: std::time::SystemTime) -> String {
    let secs = t.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0).map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M:%S").to_string())
}

pub async fn show(State(app): State<App>, admin: Admin) -> Response {
    let l = admin.lang.labels();
    let tabs = html! { a.active href="/ecp/commandlog" { (l.command_logging) } };
    let commands = match app.sessions.commands(&admin.token) {
        Ok(c) => c,
        Err(e) => return page::unavailable(admin.lang, &e),
    };
    let body = html! {
        @if commands.is_empty() {
            p id="no-commands" { (l.no_commands) }
        } @else {
            table.list id="command-log" {
                thead { tr {
                    th { (l.start_time) } th { (l.status) } th { (l.command) }
                } }
                tbody {
                    @for c in &commands {
                        tr {
                            td { (clock(c.started)) }
                            td { (if c.errors.is_empty() { l.completed } else { l.failed }) }
                            td { code { (c.line) } }
                        }
                    }
                }
            }
        }
    };
    page::frame(admin.lang, Some(&admin), Feature::None, tabs, body).into_response()
}
