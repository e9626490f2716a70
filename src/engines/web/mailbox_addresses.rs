//! Edit > email address: the mailbox's address list (`SMTP:` is the
//! reply address, shown in bold; `smtp:` the others). Add, Remove and
//! "Make this the reply address" change a pending list the form carries
//! (no JavaScript needed); Save runs one `Set-Mailbox -EmailAddresses`
//! with the whole list through the shell's runtime, so an address the
//! cmdlet refuses shows its message and nothing is changed.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};

use super::App;
use super::access::Admin;
use super::mailbox_edit::{Section, dialog};
use super::page::{self, quoted};
use crate::store::Mailbox;

/// The address without its type prefix.
fn bare(address: &str) -> &str {
    address.split_once(':').map_or(address, |(_, rest)| rest)
}

fn is_reply(address: &str) -> bool {
    address.starts_with("SMTP:")
}

/// The list with `index` as the reply address (the old one kept as `smtp:`).
fn with_reply(list: &[String], index: usize) -> Vec<String> {
    list.iter()
        .enumerate()
        .map(|(i, a)| {
            let prefix = if i == index { "SMTP:" } else { "smtp:" };
            if a.to_ascii_lowercase().starts_with("smtp:") { format!("{prefix}{}", bare(a)) } else { a.clone() }
        })
        .collect()
}

/// What Add puts in the list: a bare address is a secondary SMTP one
/// (Exchange's own rule), and so is a typed `SMTP:` one (the list has one
/// reply address; "Make this the reply address" chooses it).
fn added(typed: &str) -> String {
    match typed.split_once(':') {
        Some((kind, rest)) if kind.eq_ignore_ascii_case("smtp") => format!("smtp:{rest}"),
        Some(_) => typed.to_string(),
        None => format!("smtp:{typed}"),
    }
}

/// The section with the pending list `list` and what was typed in the
/// new address's box.
pub fn view(admin: &Admin, m: &Mailbox, list: &[String], typed: &str) -> Markup {
    let l = admin.lang.labels();
    let editable = admin.may_change_recipients();
    html! {
        h3 { (l.email_address_section) }
        p { (l.addresses_hint) }
        @if !editable { p.notice id="read-only" { (l.read_only) } }
        form method="post" action=(format!("/ecp/recipients/mailboxes/{}", m.guid)) id="addresses-form" {
            input type="hidden" name="csrf" value=(admin.session.csrf);
            input type="hidden" name="section" value="addresses";
            input type="hidden" name="addresses" value=(list.join("\n"));
            table.list id="address-list" {
                thead { tr { th { (l.address_type) } th { (l.email_address) } th {} } }
                tbody {
                    @for (i, a) in list.iter().enumerate() {
                        tr id=(format!("address-{i}")) {
                            td { (a.split_once(':').map_or("SMTP", |(t, _)| t).to_ascii_uppercase()) }
                            td {
                                @if is_reply(a) { strong.reply { (bare(a)) } } @else { (bare(a)) }
                            }
                            td {
                                @if editable && !is_reply(a) {
                                    button.link type="submit" name="action" value=(format!("reply-{i}")) id=(format!("reply-{i}")) { (l.make_reply_address) }
                                    " "
                                    button.link type="submit" name="action" value=(format!("remove-{i}")) id=(format!("remove-{i}")) { (l.remove) }
                                }
                            }
                        }
                    }
                }
            }
            @if editable {
                p {
                    label for="new_address" { (l.new_address) } " "
                    input type="text" name="new_address" id="new_address" value=(typed);
                    " "
                    button type="submit" name="action" value="add" id="add" { (l.add) }
                }
                div.buttons {
                    button type="submit" name="action" value="save" id="save" { (l.save) }
                    a href=(format!("/ecp/recipients/mailboxes?selected={}", m.guid)) id="cancel" { (l.cancel) }
                }
            }
        }
    }
}

pub async fn submit(app: &App, admin: &Admin, m: &Mailbox, form: &HashMap<String, String>) -> Response {
    let mut list: Vec<String> = match form.get("addresses") {
        Some(text) => text.lines().map(str::trim).filter(|a| !a.is_empty()).map(str::to_string).collect(),
        None => m.email_addresses.clone(),
    };
    let action = form.get("action").map(String::as_str).unwrap_or_default();
    let mut typed = form.get("new_address").map(|t| t.trim().to_string()).unwrap_or_default();
    let index =
        |prefix: &str| action.strip_prefix(prefix).and_then(|i| i.parse::<usize>().ok()).filter(|i| *i < list.len());
    if action == "save" {
        if list == m.email_addresses {
            return page::redirect(&format!("/ecp/recipients/mailboxes/{}?section=addresses", m.guid));
        }
        let items: Vec<String> = list.iter().map(|a| quoted(a)).collect();
        let line = format!("Set-Mailbox -Identity {} -EmailAddresses {}", quoted(&m.guid), items.join(","));
        let outcome = admin.run(app, line).await;
        if outcome.errors.is_empty() {
            return page::redirect(&format!("/ecp/recipients/mailboxes/{}?section=addresses&saved=1", m.guid));
        }
        let inner = view(admin, m, &list, &typed);
        return dialog(admin, m, Section::Addresses, &outcome.errors, false, inner, StatusCode::UNPROCESSABLE_ENTITY);
    }
    if action == "add" && !typed.is_empty() {
        let address = added(&typed);
        if !list.iter().any(|a| a.eq_ignore_ascii_case(&address)) {
            list.push(address);
        }
        typed.clear();
    } else if let Some(i) = index("remove-") {
        if !is_reply(&list[i]) {
            list.remove(i);
        }
    } else if let Some(i) = index("reply-") {
        list = with_reply(&list, i);
    }
    let inner = view(admin, m, &list, &typed);
    dialog(admin, m, Section::Addresses, &[], false, inner, StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use super::{added, with_reply};

    #[test]
    fn an_added_address_is_never_a_second_reply_address() {
        assert_eq!(
            [added("a@contoso.com"), added("SMTP:b@contoso.com"), added("smtp:c@contoso.com"), added("X400:c=US")],
            ["smtp:a@contoso.com", "smtp:b@contoso.com", "smtp:c@contoso.com", "X400:c=US"]
        );
    }

    #[test]
    fn the_new_reply_address_takes_smtp_and_the_old_one_keeps_its_place() {
        let list: Vec<String> =
            ["SMTP:a@contoso.com", "smtp:b@contoso.com", "X400:c=US"].iter().map(|s| s.to_string()).collect();
        assert_eq!(with_reply(&list, 1), ["smtp:a@contoso.com", "SMTP:b@contoso.com", "X400:c=US"]);
    }
}
