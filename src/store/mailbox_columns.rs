//! The settings of a mailbox Set-Mailbox changes, declared once: for each,
//! its Exchange property (and parameter) name, its column in the `mailbox`
//! table, its type, its help, and how it is read from and written to
//! `Mailbox` (a quota's default is in its type). The store's SELECT, INSERT
//! and UPDATE and the default quotas are driven by this table; Set-Mailbox
//! reads it for its parameters and the change it applies, Get-Mailbox for
//! its object. A new setting is a field, a line here, a migration adding its
//! column, and its place in Get-Mailbox's property order.

use rusqlite::Row;
use rusqlite::types::Value as SqlValue;

use super::cas_columns::to_json;
use super::mailboxes::{Mailbox, Quotas};

/// The kinds of mailbox settings.
#[derive(Clone, Copy)]
pub enum MailboxField {
    /// Text every mailbox has: a name.
    Text { get: fn(&Mailbox) -> &String, set: fn(&mut Mailbox, String) },
    /// The primary SMTP address (Set-Mailbox also makes it the `SMTP:`
    /// entry of the address list).
    Primary { get: fn(&Mailbox) -> &String, set: fn(&mut Mailbox, String) },
    /// Every address, the primary first as `SMTP:`, the others as `smtp:`
    /// (a JSON list; Set-Mailbox takes the primary from its `SMTP:` entry).
    Addresses { get: fn(&Mailbox) -> &Vec<String>, set: fn(&mut Mailbox, Vec<String>) },
    /// A secret, stored as its hash and never shown.
    Secret { get: fn(&Mailbox) -> &Option<String>, set: fn(&mut Mailbox, Option<String>) },
    /// A size in bytes; `None` (NULL) is Unlimited.
    Quota { default: Option<u64>, get: fn(&Mailbox) -> Option<u64>, set: fn(&mut Mailbox, Option<u64>) },
    /// An SMTP address or none (NULL): shown `smtp:address`, as Exchange
    /// shows a ProxyAddress.
    Address { get: fn(&Mailbox) -> &Option<String>, set: fn(&mut Mailbox, Option<String>) },
    /// A switch kept as 0 or 1.
    Flag { get: fn(&Mailbox) -> bool, set: fn(&mut Mailbox, bool) },
    /// Another mailbox of the organization, by its GUID, or none (NULL):
    /// set by any identity of it, shown by its canonical name.
    Recipient { get: fn(&Mailbox) -> &Option<String>, set: fn(&mut Mailbox, Option<String>) },
}

/// One mailbox setting.
pub struct MailboxColumn {
    /// The Exchange property (and Set-Mailbox parameter) name.
    pub name: &'static str,
    /// Its column in the `mailbox` table.
    pub column: &'static str,
    /// Set-Mailbox's help for the parameter ("" for none).
    pub help: &'static str,
    pub field: MailboxField,
}

const fn text(
    name: &'static str,
    column: &'static str,
    help: &'static str,
    get: fn(&Mailbox) -> &String,
    set: fn(&mut Mailbox, String),
) -> MailboxColumn {
    MailboxColumn { name, column, help, field: MailboxField::Text { get, set } }
}

const fn quota(
    name: &'static str,
    column: &'static str,
    help: &'static str,
    get: fn(&Mailbox) -> Option<u64>,
    set: fn(&mut Mailbox, Option<u64>),
) -> MailboxColumn {
    MailboxColumn { name, column, help, field: MailboxField::Quota { default: None, get, set } }
}

/// Every mailbox setting, in Set-Mailbox's parameter order.
pub const MAILBOX_COLUMNS: &[MailboxColumn] = &[
    text("Name", "name", "The mailbox's unique name.", |m| &m.name, |m, v| m.name = v),
    text("Alias", "alias", "The mailbox's alias (its mail nickname).", |m| &m.alias, |m, v| m.alias = v),
    text(
        "DisplayName",
        "display_name",
        "The name shown in address lists.",
        |m| &m.display_name,
        |m, v| m.display_name = v,
    ),
    text("UserPrincipalName", "upn", "The user's logon name (user@domain).", |m| &m.upn, |m, v| m.upn = v),
    MailboxColumn {
        name: "PrimarySmtpAddress",
        column: "primary_smtp",
        help: "The primary email address.",
        field: MailboxField::Primary { get: |m| &m.primary_smtp, set: |m, v| m.primary_smtp = v },
    },
    MailboxColumn {
        name: "EmailAddresses",
        column: "email_addresses",
        help: "Every address (SMTP:primary, smtp:secondary); @{Add=...; Remove=...} edits it.",
        field: MailboxField::Addresses { get: |m| &m.email_addresses, set: |m, v| m.email_addresses = v },
    },
    MailboxColumn {
        name: "Password",
        column: "password_hash",
        help: "A new password; open IMAP4 and POP3 sessions keep theirs until they log in again.",
        field: MailboxField::Secret { get: |m| &m.password_hash, set: |m, v| m.password_hash = v },
    },
    quota(
        "IssueWarningQuota",
        "issue_warning_quota",
        "Unlimited or a size (2GB): IMAP4 warns past it.",
        |m| m.quotas.issue_warning,
        |m, v| m.quotas.issue_warning = v,
    ),
    quota(
        "ProhibitSendQuota",
        "prohibit_send_quota",
        "Unlimited or a size: the mailbox may not send past it.",
        |m| m.quotas.prohibit_send,
        |m, v| m.quotas.prohibit_send = v,
    ),
    quota(
        "ProhibitSendReceiveQuota",
        "prohibit_send_receive_quota",
        "Unlimited or a size: IMAP4 APPEND, COPY and MOVE are refused past it (NO [OVERQUOTA]).",
        |m| m.quotas.prohibit_send_receive,
        |m, v| m.quotas.prohibit_send_receive = v,
    ),
    MailboxColumn {
        name: "ForwardingAddress",
        column: "forwarding_address",
        help: "A mailbox of the organization (name, alias or address) mail to this mailbox is forwarded to; it takes precedence over ForwardingSmtpAddress; $null for none.",
        field: MailboxField::Recipient { get: |m| &m.forwarding_address, set: |m, v| m.forwarding_address = v },
    },
    MailboxColumn {
        name: "ForwardingSmtpAddress",
        column: "forwarding_smtp_address",
        help: "An address mail to this mailbox is forwarded to (inside or outside the organization); $null for none.",
        field: MailboxField::Address { get: |m| &m.forwarding_smtp_address, set: |m, v| m.forwarding_smtp_address = v },
    },
    MailboxColumn {
        name: "DeliverToMailboxAndForward",
        column: "deliver_to_mailbox_and_forward",
        help: "$true: forwarded mail is also kept in this mailbox; $false: only forwarded.",
        field: MailboxField::Flag {
            get: |m| m.deliver_to_mailbox_and_forward,
            set: |m, v| m.deliver_to_mailbox_and_forward = v,
        },
    },
];

/// The setting of that Exchange name (case-insensitive).
pub fn mailbox_column(name: &str) -> Option<&'static MailboxColumn> {
    MAILBOX_COLUMNS.iter().find(|c| c.name.eq_ignore_ascii_case(name))
}

/// The order Set-Mailbox applies its settings in: the table's, but the
/// primary address after the address list, so that -PrimarySmtpAddress
/// given with -EmailAddresses names the primary.
pub fn apply_order() -> &'static [&'static MailboxColumn] {
    static ORDER: std::sync::OnceLock<Vec<&'static MailboxColumn>> = std::sync::OnceLock::new();
    ORDER.get_or_init(|| {
        let list = MAILBOX_COLUMNS.iter().position(|c| matches!(c.field, MailboxField::Addresses { .. }));
        let mut order: Vec<(usize, bool, &MailboxColumn)> = MAILBOX_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| match (c.field, list) {
                (MailboxField::Primary { .. }, Some(list)) => (list, true, c),
                _ => (i, false, c),
            })
            .collect();
        order.sort_by_key(|(i, after, _)| (*i, *after));
        order.into_iter().map(|(_, _, c)| c).collect()
    })
}

impl MailboxColumn {
    /// The setting's value in `m`, as the store writes it.
    pub(super) fn sql(&self, m: &Mailbox) -> SqlValue {
        match self.field {
            MailboxField::Text { get, .. } | MailboxField::Primary { get, .. } => SqlValue::Text(get(m).clone()),
            MailboxField::Addresses { get, .. } => SqlValue::Text(to_json(get(m))),
            MailboxField::Secret { get, .. } => get(m).clone().map_or(SqlValue::Null, SqlValue::Text),
            MailboxField::Quota { get, .. } => get(m).map_or(SqlValue::Null, |n| SqlValue::Integer(n as i64)),
            MailboxField::Address { get, .. } | MailboxField::Recipient { get, .. } => {
                get(m).clone().map_or(SqlValue::Null, SqlValue::Text)
            }
            MailboxField::Flag { get, .. } => SqlValue::Integer(i64::from(get(m))),
        }
    }

    /// Sets the setting in `m` from column `i` of a row. Text columns are
    /// NOT NULL: a NULL there is an error, not a default.
    pub(super) fn read(&self, m: &mut Mailbox, r: &Row, i: usize) -> rusqlite::Result<()> {
        match self.field {
            MailboxField::Text { set, .. } | MailboxField::Primary { set, .. } => set(m, r.get(i)?),
            MailboxField::Addresses { set, .. } => {
                set(m, serde_json::from_str(&r.get::<_, String>(i)?).unwrap_or_default())
            }
            MailboxField::Secret { set, .. } => set(m, r.get(i)?),
            MailboxField::Quota { set, .. } => set(m, r.get::<_, Option<i64>>(i)?.map(|n| n as u64)),
            MailboxField::Address { set, .. } | MailboxField::Recipient { set, .. } => set(m, r.get(i)?),
            MailboxField::Flag { set, .. } => set(m, r.get(i)?),
        }
        Ok(())
    }
}

impl MailboxColumn {
    /// Sets the setting in `m` from a column's value as PostgreSQL's rows
    /// arrive (`store::pg`); a value of another type is a damaged record.
    pub(super) fn read_value(&self, m: &mut Mailbox, value: SqlValue) -> Result<(), String> {
        match (self.field, value) {
            (MailboxField::Text { set, .. } | MailboxField::Primary { set, .. }, SqlValue::Text(t)) => set(m, t),
            (MailboxField::Addresses { set, .. }, SqlValue::Text(t)) => {
                set(m, serde_json::from_str(&t).unwrap_or_default())
            }
            (MailboxField::Secret { set, .. }, SqlValue::Text(t)) => set(m, Some(t)),
            (MailboxField::Secret { set, .. }, SqlValue::Null) => set(m, None),
            (MailboxField::Quota { set, .. }, SqlValue::Integer(n)) => set(m, Some(n as u64)),
            (MailboxField::Quota { set, .. }, SqlValue::Null) => set(m, None),
            (MailboxField::Address { set, .. } | MailboxField::Recipient { set, .. }, SqlValue::Text(t)) => {
                set(m, Some(t))
            }
            (MailboxField::Address { set, .. } | MailboxField::Recipient { set, .. }, SqlValue::Null) => set(m, None),
            (MailboxField::Flag { set, .. }, SqlValue::Integer(n)) => set(m, n != 0),
            _ => return Err(format!("the mailbox column {} holds a value of another type", self.column)),
        }
        Ok(())
    }
}

/// The quotas Exchange gives a new mailbox (Unlimited).
pub(super) fn default_quotas() -> Quotas {
    let mut m = Mailbox::blank();
    for column in MAILBOX_COLUMNS {
        if let MailboxField::Quota { default, set, .. } = column.field {
            set(&mut m, default);
        }
    }
    m.quotas
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_reads_back_what_it_wrote_and_names_are_unique() {
        for (i, a) in MAILBOX_COLUMNS.iter().enumerate() {
            for b in &MAILBOX_COLUMNS[i + 1..] {
                assert!(!a.name.eq_ignore_ascii_case(b.name) && a.column != b.column, "{} twice", a.name);
            }
        }
        assert_eq!(Quotas::default(), Quotas { issue_warning: None, prohibit_send: None, prohibit_send_receive: None });
        let mut m = Mailbox::blank();
        for (i, column) in MAILBOX_COLUMNS.iter().enumerate() {
            match column.field {
                MailboxField::Text { set, .. } => set(&mut m, format!("t{i}")),
                MailboxField::Primary { set, .. } => set(&mut m, format!("p{i}@contoso.com")),
                MailboxField::Addresses { set, .. } => set(&mut m, vec![format!("SMTP:a{i}"), format!("smtp:b{i}")]),
                MailboxField::Secret { set, .. } => set(&mut m, Some(format!("h{i}"))),
                MailboxField::Quota { set, .. } => set(&mut m, Some(i as u64)),
                MailboxField::Address { set, .. } => set(&mut m, Some(format!("f{i}@fabrikam.com"))),
                MailboxField::Flag { set, .. } => set(&mut m, true),
                MailboxField::Recipient { set, .. } => set(&mut m, Some(format!("guid-{i}"))),
            }
        }
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let columns: Vec<&str> = MAILBOX_COLUMNS.iter().map(|c| c.column).collect();
        let slots: Vec<String> = (1..=MAILBOX_COLUMNS.len()).map(|i| format!("?{i}")).collect();
        conn.execute_batch(&format!("CREATE TABLE t ({})", columns.join(", "))).unwrap();
        conn.execute(
            &format!("INSERT INTO t VALUES ({})", slots.join(", ")),
            rusqlite::params_from_iter(MAILBOX_COLUMNS.iter().map(|c| c.sql(&m))),
        )
        .unwrap();
        let back = conn
            .query_row("SELECT * FROM t", [], |r| {
                let mut back = Mailbox::blank();
                for (i, column) in MAILBOX_COLUMNS.iter().enumerate() {
                    column.read(&mut back, r, i)?;
                }
                Ok(back)
            })
            .unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn the_primary_address_is_applied_after_the_address_list() {
        let names: Vec<&str> = apply_order().iter().map(|c| c.name).collect();
        let list = names.iter().position(|n| *n == "EmailAddresses").unwrap();
        assert_eq!(names[list + 1], "PrimarySmtpAddress");
        assert_eq!(names.len(), MAILBOX_COLUMNS.len());
    }
}
