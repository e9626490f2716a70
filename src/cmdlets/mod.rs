//! Every cmdlet, one file per noun. Each file declares its signatures and
//! run functions; this registry is the dispatcher's only index.

/// Registers one of PowerShell's own cmdlets (Get-Content, Test-Path...):
/// `powershell_cmdlet!(sig, function)` or `powershell_cmdlet!(sig, || processor)`.
/// The errors it returns are terminating, as ThrowTerminatingError's are;
/// its non-terminating ones go through `common::write_error`.
macro_rules! powershell_cmdlet {
    ($sig:expr, || $make:expr) => {
        $crate::runtime::command::CmdletDef::stateful($sig, || Box::new($crate::cmdlets::common::Terminating($make)))
    };
    ($sig:expr, $f:path) => {
        $crate::runtime::command::CmdletDef::stateful($sig, || {
            Box::new($crate::cmdlets::common::Terminating($crate::cmdlets::common::Once($f)))
        })
    };
}

mod about_topics;
mod accepted_domain;
mod audit_log;
mod cas_mailbox;
mod child_item;
mod command;
mod common;
mod compare_object;
mod confirm_texts;
mod connectivity;
mod content;
mod convert_csv;
mod convert_json;
mod date;
mod distribution_group;
mod exchange_server;
mod expression;
mod file_encoding;
mod foreach_object;
mod format_list;
mod format_table;
mod group_object;
mod help;
mod identity;
mod imap_settings;
mod invoke_command;
mod item;
mod location;
mod mailbox;
mod mailbox_database;
mod mailbox_pages;
mod mailbox_statistics;
mod measure_object;
mod member;
mod message;
mod message_tracking;
mod misc;
mod move_request;
mod net;
mod new_object;
mod opath_filter;
mod out;
mod path;
mod paths;
mod pop_settings;
mod progress;
mod protocol_settings;
mod pssession;
mod queue;
mod random;
mod read_host;
mod receive_connector;
mod role_group;
mod secure_string;
mod select_object;
mod select_string;
mod send_connector;
mod send_mail;
mod service;
mod service_remote;
pub mod setup;
mod shown;
mod sleep;
mod snapin;
mod sort_object;
mod tee_object;
mod timespan;
mod transcript;
mod transport_config;
mod transport_service;
mod unique;
mod variable;
mod virtual_directory;
mod where_object;
mod write;

use std::sync::LazyLock;

use crate::runtime::command::CommandTable;

static REGISTRY: LazyLock<CommandTable> = LazyLock::new(|| {
    let mut defs = Vec::new();
    defs.extend(cas_mailbox::definitions());
    defs.extend(setup::definitions());
    defs.extend(pssession::definitions());
    defs.extend(mailbox::definitions());
    defs.extend(mailbox_statistics::definitions());
    defs.extend(imap_settings::definitions());
    defs.extend(pop_settings::definitions());
    defs.extend(virtual_directory::definitions());
    defs.extend(role_group::definitions());
    defs.extend(receive_connector::definitions());
    defs.extend(send_connector::definitions());
    defs.extend(message_tracking::definitions());
    defs.extend(accepted_domain::definitions());
    defs.extend(distribution_group::definitions());
    defs.extend(queue::definitions());
    defs.extend(message::definitions());
    defs.extend(transport_config::definitions());
    defs.extend(transport_service::definitions());
    defs.extend(audit_log::definitions());
    defs.extend(help::definitions());
    defs.extend(format_list::definitions());
    defs.extend(format_table::definitions());
    defs.extend(select_object::definitions());
    defs.extend(where_object::definitions());
    defs.extend(sort_object::definitions());
    defs.extend(measure_object::definitions());
    defs.extend(foreach_object::definitions());
    defs.extend(group_object::definitions());
    defs.extend(convert_json::definitions());
    defs.extend(convert_csv::definitions());
    defs.extend(out::definitions());
    defs.extend(write::definitions());
    defs.extend(secure_string::definitions());
    defs.extend(transcript::definitions());
    defs.extend(misc::definitions());
    defs.extend(exchange_server::definitions());
    defs.extend(mailbox_database::definitions());
    defs.extend(move_request::definitions());
    defs.extend(content::definitions());
    defs.extend(date::definitions());
    defs.extend(item::definitions());
    defs.extend(child_item::definitions());
    defs.extend(location::definitions());
    defs.extend(path::definitions());
    defs.extend(variable::definitions());
    defs.extend(member::definitions());
    defs.extend(select_string::definitions());
    defs.extend(command::definitions());
    defs.extend(compare_object::definitions());
    defs.extend(expression::definitions());
    defs.extend(progress::definitions());
    defs.extend(random::definitions());
    defs.extend(read_host::definitions());
    defs.extend(send_mail::definitions());
    defs.extend(sleep::definitions());
    defs.extend(tee_object::definitions());
    defs.extend(unique::definitions());
    defs.extend(new_object::definitions());
    defs.extend(snapin::definitions());
    defs.extend(service::definitions());
    defs.extend(net::definitions());
    defs.extend(connectivity::definitions());
    defs.extend(timespan::definitions());
    defs.extend(invoke_command::definitions());
    defs.sort_by_key(|a| a.signature.name.to_ascii_lowercase());
    crate::runtime::value::set_string_form(string_form);
    CommandTable::new(defs)
});

/// The string form of the objects these cmdlets make whose .NET ToString()
/// is not their Identity or Name.
fn string_form(o: &crate::runtime::value::Object) -> Option<String> {
    match o.type_name().as_str() {
        crate::format::views::PATH_INFO => o.get("Path").map(|v| v.to_text()),
        crate::format::views::MATCH_INFO => Some(crate::format::views::match_info_text(o, None)),
        _ => None,
    }
}

/// Every cmdlet mailsh has; the hosts hand it to the sessions they make.
pub fn registry() -> &'static CommandTable {
    &REGISTRY
}

pub use help::cmdlets_markdown;

#[cfg(test)]
mod examples_test;
