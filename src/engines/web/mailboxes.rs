//! recipients > mailboxes: the list (display name, mailbox type, email
//! address) with search, sort and paging done by the store's indexes
//! (`Store::mailbox_list`), and the details pane of the selected mailbox
//! with its Edit link.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::App;
use super::access::Admin;
use super::labels::Labels;
use super::page::{self, Feature, query_value};
use crate::store::Mailbox;
use crate::store::mailbox_list::{ListQuery, ListRow, ListSort};

/// Rows per page.
pub const PAGE_SIZE: u64 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct ListParams {
    #[serde(default)]
    search: String,
    /// `name` (the default) or `email`.
    #[serde(default)]
    sort: String,
    #[serde(default)]
    desc: Option<u8>,
    #[serde(default)]
    page: Option<u64>,
    #[serde(default)]
    selected: Option<String>,
}

impl ListParams {
    fn sort(&self) -> ListSort {
        if self.sort == "email" { ListSort::Email } else { ListSort::DisplayName }
    }

    fn descending(&self) -> bool {
        self.desc == Some(1)
    }

    /// This list's URL with some parameters changed.
    fn url(&self, sort: ListSort, desc: bool, page: u64, selected: Option<&str>) -> String {
        let mut url = format!(
            "/ecp/recipients/mailboxes?search={}&sort={}&desc={}&page={page}",
            query_value(&self.search),
            if sort == ListSort::Email { "email" } else { "name" },
            u8::from(desc)
        );
        if let Some(g) = selected {
            url.push_str(&format!("&selected={}", query_value(g)));
        }
        url
    }
}

/// The feature's tabs (only mailboxes is served).
pub fn tabs(l: &Labels) -> Markup {
    html! { a.active href="/ecp/recipients/mailboxes" id="tab-mailboxes" { (l.mailboxes) } }
}

pub async fn list(State(app): State<App>, admin: Admin, Query(p): Query<ListParams>) -> Response {
    let l = admin.lang.labels();
    let query = ListQuery {
        search: p.search.clone(),
        sort: p.sort(),
        descending: p.descending(),
        offset: p.page.unwrap_or(0).saturating_mul(PAGE_SIZE),
        limit: PAGE_SIZE,
    };
    let selected = p.selected.clone();
    let read = app
        .auth
        .with_store(move |s| {
            let (rows, total) = s.mailbox_list(&query)?;
            let chosen = match selected {
                Some(g) => s.mailbox_by_guid(&g)?,
                None => None,
            };
            Ok((rows, total, chosen))
        })
        .await;
    let (rows, total, chosen) = match read {
        Ok(r) => r,
        Err(e) => return page::unavailable(admin.lang, &e.to_string()),
    };
    let page_no = p.page.unwrap_or(0);
    let first = if rows.is_empty() { 0 } else { page_no * PAGE_SIZE + 1 };
    let last = page_no * PAGE_SIZE + rows.len() as u64;
    let count = l
        .selected_of_total
        .replace("{selected}", if chosen.is_some() { "1" } else { "0" })
        .replace("{total}", &total.to_string());
    let range = l.page_range.replace("{first}", &first.to_string()).replace("{last}", &last.to_string());
    let sort_link = |sort: ListSort| {
        let desc = p.sort() == sort && !p.descending();
        p.url(sort, desc, 0, p.selected.as_deref())
    };
    let body = html! {
        div.toolbar {
            @if admin.may_change_recipients() {
                a href="/ecp/recipients/mailboxes/new" id="new" title=(l.new) { "+ " (l.new) }
            }
            @if let Some(m) = &chosen {
                @if admin.may_change_recipients() {
                    a href=(format!("/ecp/recipients/mailboxes/{}", m.guid)) id="edit" title=(l.edit) { "✎ " (l.edit) }
                    a href=(format!("/ecp/recipients/mailboxes/{}/delete", m.guid)) id="delete" title=(l.delete) { "× " (l.delete) }
                }
            }
            form method="get" action="/ecp/recipients/mailboxes" style="display:inline" {
                input type="search" name="search" id="search" value=(p.search) placeholder=(l.search);
                input type="hidden" name="sort" value=(if p.sort() == ListSort::Email { "email" } else { "name" });
                input type="hidden" name="desc" value=(u8::from(p.descending()));
                button type="submit" id="search-go" { (l.search) }
            }
        }
        div.panes {
            div {
                table.list id="mailbox-list" {
                    thead { tr {
                        th { a href=(sort_link(ListSort::DisplayName)) id="sort-name" { (l.display_name) } }
                        th { (l.mailbox_type) }
                        th { a href=(sort_link(ListSort::Email)) id="sort-email" { (l.email_address) } }
                    } }
                    tbody {
                        @for row in &rows { (list_row(&p, row, chosen.as_ref(), l)) }
                    }
                }
                p id="count" { (count) }
                p {
                    span id="range" { (range) }
                    " "
                    @if page_no > 0 {
                        a href=(p.url(p.sort(), p.descending(), page_no - 1, None)) id="previous" { (l.previous) }
                        " "
                    }
                    @if last < total {
                        a href=(p.url(p.sort(), p.descending(), page_no + 1, None)) id="next" { (l.next) }
                    }
                }
            }
            @if let Some(m) = &chosen { (details(m, l)) }
        }
    };
    page::frame(admin.lang, Some(&admin), Feature::Recipients, tabs(l), body).into_response()
}

fn list_row(p: &ListParams, row: &ListRow, chosen: Option<&Mailbox>, l: &Labels) -> Markup {
    let selected = chosen.is_some_and(|m| m.guid == row.guid);
    let href = p.url(p.sort(), p.descending(), p.page.unwrap_or(0), Some(&row.guid));
    html! {
        tr class=[selected.then_some("selected")] data-guid=(row.guid) {
            td { a href=(href) { (row.display_name) } }
            td { (l.user_mailbox) }
            td { (row.primary_smtp) }
        }
    }
}

fn details(m: &Mailbox, l: &Labels) -> Markup {
    html! {
        div.details id="details" {
            h2 { (m.display_name) }
            p { (l.user_mailbox) }
            p { (m.primary_smtp) }
            p { (l.alias) " " (m.alias) }
        }
    }
}
