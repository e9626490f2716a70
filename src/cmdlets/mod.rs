//! Every cmdlet, one file per noun. Each file declares its signatures and
//! run functions; this registry is the dispatcher's only index.

mod audit_log;
mod cas_mailbox;
mod common;
mod connectivity;
mod convert_csv;
mod convert_json;
mod foreach_object;
mod format_list;
mod format_table;
mod group_object;
mod help;
mod identity;
mod imap_settings;
mod invoke_command;
mod mailbox;
mod measure_object;
mod misc;
mod net;
mod opath_filter;
mod out;
mod owa_virtual_directory;
mod pop_settings;
mod protocol_settings;
mod secure_string;
mod select_object;
mod service;
mod sort_object;
mod timespan;
mod transcript;
mod where_object;
mod write;

use std::sync::LazyLock;

use crate::runtime::command::CommandTable;

static REGISTRY: LazyLock<CommandTable> = LazyLock::new(|| {
    let mut defs = Vec::new();
    defs.extend(cas_mailbox::definitions());
    defs.extend(mailbox::definitions());
    defs.extend(imap_settings::definitions());
    defs.extend(pop_settings::definitions());
    defs.extend(owa_virtual_directory::definitions());
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
    defs.extend(service::definitions());
    defs.extend(net::definitions());
    defs.extend(connectivity::definitions());
    defs.extend(timespan::definitions());
    defs.extend(invoke_command::definitions());
    defs.sort_by_key(|a| a.signature.name.to_ascii_lowercase());
    CommandTable::new(defs)
});

/// Every cmdlet mailsh has; the hosts hand it to the sessions they make.
pub fn registry() -> &'static CommandTable {
    &REGISTRY
}

pub use help::cmdlets_markdown;

#[cfg(test)]
mod examples_test;
