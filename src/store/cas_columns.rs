//! The client access settings of a mailbox, declared once: for each, its
//! Exchange property name, its column in the `mailbox` table, its value
//! when Exchange creates a mailbox, and how it is read from and written to
//! `CasSettings`. The store's SELECT, INSERT and UPDATEs and
//! `CasSettings::default` are driven by this table; Get-/Set-CASMailbox
//! read it for their parameters, object and set-based path. A new setting
//! is a field, a line here, a migration adding its column, and its place in
//! Get-CASMailbox's property order.

use rusqlite::types::Value as SqlValue;

use super::enums::MimeTextFormat;
use super::mailboxes::CasSettings;

/// The kinds of client access settings.
#[derive(Clone, Copy)]
pub enum CasField {
    Flag { default: bool, get: fn(&CasSettings) -> bool, set: fn(&mut CasSettings, bool) },
    Mime { get: fn(&CasSettings) -> MimeTextFormat, set: fn(&mut CasSettings, MimeTextFormat) },
    List { get: fn(&CasSettings) -> &Vec<String>, set: fn(&mut CasSettings, Vec<String>) },
}

/// One client access setting.
pub struct CasColumn {
    /// The Exchange property (and Set-CASMailbox parameter) name.
    pub name: &'static str,
    /// Its column in the `mailbox` table.
    pub column: &'static str,
    pub field: CasField,
}

const fn flag(
    name: &'static str,
    column: &'static str,
    default: bool,
    get: fn(&CasSettings) -> bool,
    set: fn(&mut CasSettings, bool),
) -> CasColumn {
    CasColumn { name, column, field: CasField::Flag { default, get, set } }
}

const fn list(
    name: &'static str,
    column: &'static str,
    get: fn(&CasSettings) -> &Vec<String>,
    set: fn(&mut CasSettings, Vec<String>),
) -> CasColumn {
    CasColumn { name, column, field: CasField::List { get, set } }
}

/// Every client access setting, in the store's column order.
pub const CAS_COLUMNS: &[CasColumn] = &[
    flag("ImapEnabled", "imap_enabled", true, |c| c.imap_enabled, |c, v| c.imap_enabled = v),
    flag("PopEnabled", "pop_enabled", true, |c| c.pop_enabled, |c, v| c.pop_enabled = v),
    flag("MAPIEnabled", "mapi_enabled", true, |c| c.mapi_enabled, |c, v| c.mapi_enabled = v),
    flag("OWAEnabled", "owa_enabled", true, |c| c.owa_enabled, |c, v| c.owa_enabled = v),
    flag("ActiveSyncEnabled", "activesync_enabled", true, |c| c.activesync_enabled, |c, v| c.activesync_enabled = v),
    flag("EwsEnabled", "ews_enabled", true, |c| c.ews_enabled, |c, v| c.ews_enabled = v),
    flag("ECPEnabled", "ecp_enabled", true, |c| c.ecp_enabled, |c, v| c.ecp_enabled = v),
    flag("MapiHttpEnabled", "mapihttp_enabled", true, |c| c.mapihttp_enabled, |c, v| c.mapihttp_enabled = v),
    flag(
        "OWAforDevicesEnabled",
        "owa_for_devices_enabled",
        true,
        |c| c.owa_for_devices_enabled,
        |c, v| c.owa_for_devices_enabled = v,
    ),
    flag(
        "ImapUseProtocolDefaults",
        "imap_use_protocol_defaults",
        true,
        |c| c.imap.use_protocol_defaults,
        |c, v| c.imap.use_protocol_defaults = v,
    ),
    CasColumn {
        name: "ImapMessagesRetrievalMimeFormat",
        column: "imap_mime_format",
        field: CasField::Mime { get: |c| c.imap.mime_format, set: |c, v| c.imap.mime_format = v },
    },
    flag("ImapEnableExactRFC822Size", "imap_exact_size", false, |c| c.imap.exact_size, |c, v| c.imap.exact_size = v),
    flag(
        "ImapSuppressReadReceipt",
        "imap_suppress_read_receipt",
        false,
        |c| c.imap.suppress_read_receipt,
        |c, v| c.imap.suppress_read_receipt = v,
    ),
    flag(
        "ImapForceICalForCalendarRetrievalOption",
        "imap_force_ical",
        false,
        |c| c.imap.force_ical,
        |c, v| c.imap.force_ical = v,
    ),
    flag(
        "PopUseProtocolDefaults",
        "pop_use_protocol_defaults",
        true,
        |c| c.pop.use_protocol_defaults,
        |c, v| c.pop.use_protocol_defaults = v,
    ),
    CasColumn {
        name: "PopMessagesRetrievalMimeFormat",
        column: "pop_mime_format",
        field: CasField::Mime { get: |c| c.pop.mime_format, set: |c, v| c.pop.mime_format = v },
    },
    flag("PopEnableExactRFC822Size", "pop_exact_size", false, |c| c.pop.exact_size, |c, v| c.pop.exact_size = v),
    flag(
        "PopSuppressReadReceipt",
        "pop_suppress_read_receipt",
        false,
        |c| c.pop.suppress_read_receipt,
        |c, v| c.pop.suppress_read_receipt = v,
    ),
    flag(
        "PopForceICalForCalendarRetrievalOption",
        "pop_force_ical",
        false,
        |c| c.pop.force_ical,
        |c, v| c.pop.force_ical = v,
    ),
    list(
        "ActiveSyncAllowedDeviceIDs",
        "activesync_allowed_ids",
        |c| &c.activesync_allowed_ids,
        |c, v| c.activesync_allowed_ids = v,
    ),
    list(
        "ActiveSyncBlockedDeviceIDs",
        "activesync_blocked_ids",
        |c| &c.activesync_blocked_ids,
        |c, v| c.activesync_blocked_ids = v,
    ),
    list("EwsAllowList", "ews_allow_list", |c| &c.ews_allow_list, |c, v| c.ews_allow_list = v),
    list("EwsBlockList", "ews_block_list", |c| &c.ews_block_list, |c, v| c.ews_block_list = v),
];

/// The setting of that Exchange name (case-insensitive).
pub fn cas_column(name: &str) -> Option<&'static CasColumn> {
    CAS_COLUMNS.iter().find(|c| c.name.eq_ignore_ascii_case(name))
}

impl CasColumn {
    /// The setting's value in `c`, as the store writes it.
    pub(super) fn sql(&self, c: &CasSettings) -> SqlValue {
        match self.field {
            CasField::Flag { get, .. } => SqlValue::Integer(get(c) as i64),
            CasField::Mime { get, .. } => SqlValue::Text(get(c).name().to_string()),
            CasField::List { get, .. } => SqlValue::Text(to_json(get(c))),
        }
    }

    /// Sets the setting in `c` from a column's value as read.
    pub(super) fn read(&self, c: &mut CasSettings, value: SqlValue) {
        match (self.field, value) {
            (CasField::Flag { set, .. }, SqlValue::Integer(n)) => set(c, n != 0),
            (CasField::Mime { set, .. }, SqlValue::Text(t)) => {
                set(c, MimeTextFormat::from_name(&t).unwrap_or(MimeTextFormat::BestBodyFormat))
            }
            (CasField::List { set, .. }, SqlValue::Text(t)) => set(c, serde_json::from_str(&t).unwrap_or_default()),
            // A NULL or a value of another type: the default stays.
            _ => {}
        }
    }

    fn set_default(&self, c: &mut CasSettings) {
        match self.field {
            CasField::Flag { default, set, .. } => set(c, default),
            CasField::Mime { set, .. } => set(c, MimeTextFormat::BestBodyFormat),
            CasField::List { set, .. } => set(c, Vec::new()),
        }
    }
}

pub(super) fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_string())
}

/// Every setting as Exchange creates a mailbox (all protocols on).
pub(super) fn defaults() -> CasSettings {
    let mut c = CasSettings::blank();
    for column in CAS_COLUMNS {
        column.set_default(&mut c);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_reads_back_what_it_wrote_and_names_are_unique() {
        let mut c = defaults();
        assert!(c.imap_enabled && c.pop_enabled && c.mapi_enabled && c.imap.use_protocol_defaults);
        assert!(!c.imap.exact_size && c.imap.mime_format == MimeTextFormat::BestBodyFormat);
        for (i, column) in CAS_COLUMNS.iter().enumerate() {
            match column.field {
                CasField::Flag { get, set, .. } => {
                    let flipped = !get(&c);
                    set(&mut c, flipped)
                }
                CasField::Mime { set, .. } => set(&mut c, MimeTextFormat::TextOnly),
                CasField::List { set, .. } => set(&mut c, vec![format!("x{i}")]),
            }
        }
        let mut back = CasSettings::blank();
        for column in CAS_COLUMNS {
            column.read(&mut back, column.sql(&c));
        }
        assert_eq!(back, c);
        for (i, a) in CAS_COLUMNS.iter().enumerate() {
            for b in &CAS_COLUMNS[i + 1..] {
                assert!(!a.name.eq_ignore_ascii_case(b.name) && a.column != b.column, "{} twice", a.name);
            }
        }
    }
}
