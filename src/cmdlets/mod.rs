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
mod mailbox;
mod mailbox_statistics;
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
mod transcript;
mod where_object;
mod write;

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::runtime::command::CmdletDef;

pub struct Registry {
    defs: Vec<CmdletDef>,
    index: HashMap<String, usize>,
}

impl Registry {
    fn new(defs: Vec<CmdletDef>) -> Registry {
        let mut index = HashMap::new();
        for (i, d) in defs.iter().enumerate() {
            index.insert(d.signature.name.to_ascii_lowercase(), i);
            for a in d.signature.aliases {
                index.insert(a.to_ascii_lowercase(), i);
            }
        }
        Registry { defs, index }
    }

    /// Case-insensitive lookup by name or alias.
    pub fn find(&self, name: &str) -> Option<&CmdletDef> {
        self.index.get(&name.to_ascii_lowercase()).map(|i| &self.defs[*i])
    }

    pub fn all(&self) -> &[CmdletDef] {
        &self.defs
    }
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    let mut defs = Vec::new();
    defs.extend(cas_mailbox::definitions());
    defs.extend(mailbox::definitions());
    defs.extend(mailbox_statistics::definitions());
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
    defs.sort_by_key(|a| a.signature.name.to_ascii_lowercase());
    Registry::new(defs)
});

pub fn registry() -> &'static Registry {
    &REGISTRY
}

pub use help::cmdlets_markdown;

#[cfg(test)]
mod examples_test;
