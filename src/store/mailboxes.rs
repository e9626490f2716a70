//! Mailboxes and their client access (CAS) settings.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::enums::MimeTextFormat;
use super::{Store, StoreError, StoreResult, Tx};

/// Per-mailbox overrides of one protocol's server settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolOverrides {
    pub use_protocol_defaults: bool,
    pub mime_format: MimeTextFormat,
    pub exact_size: bool,
    pub suppress_read_receipt: bool,
    pub force_ical: bool,
}

impl Default for ProtocolOverrides {
    fn default() -> Self {
        ProtocolOverrides {
            use_protocol_defaults: true,
            mime_format: MimeTextFormat::BestBodyFormat,
            exact_size: false,
            suppress_read_receipt: false,
            force_ical: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasSettings {
    pub imap_enabled: bool,
    pub pop_enabled: bool,
    pub mapi_enabled: bool,
    pub owa_enabled: bool,
    pub activesync_enabled: bool,
    pub ews_enabled: bool,
    pub ecp_enabled: bool,
    pub mapihttp_enabled: bool,
    pub owa_for_devices_enabled: bool,
    pub imap: ProtocolOverrides,
    pub pop: ProtocolOverrides,
    pub activesync_allowed_ids: Vec<String>,
    pub activesync_blocked_ids: Vec<String>,
    pub ews_allow_list: Vec<String>,
    pub ews_block_list: Vec<String>,
}

impl Default for CasSettings {
    /// Every protocol on, as Exchange creates a mailbox (seed 003).
    fn default() -> Self {
        CasSettings {
            imap_enabled: true,
            pop_enabled: true,
            mapi_enabled: true,
            owa_enabled: true,
            activesync_enabled: true,
            ews_enabled: true,
            ecp_enabled: true,
            mapihttp_enabled: true,
            owa_for_devices_enabled: true,
            imap: ProtocolOverrides::default(),
            pop: ProtocolOverrides::default(),
            activesync_allowed_ids: vec![],
            activesync_blocked_ids: vec![],
            ews_allow_list: vec![],
            ews_block_list: vec![],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub id: i64,
    pub guid: String,
    pub name: String,
    pub alias: String,
    pub display_name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub upn: String,
    pub primary_smtp: String,
    /// Every address, primary first as `SMTP:`, others as `smtp:`.
    pub email_addresses: Vec<String>,
    pub password_hash: Option<String>,
    pub created: i64,
    pub changed: i64,
    pub cas: CasSettings,
    /// Set-Mailbox's storage quotas.
    pub quotas: Quotas,
}

/// A mailbox's storage quotas in bytes (Set-Mailbox); None is Unlimited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quotas {
    pub issue_warning: Option<u64>,
    pub prohibit_send: Option<u64>,
    pub prohibit_send_receive: Option<u64>,
}

/// Exchange 2013's StorageLimitStatus for a mailbox holding `used` bytes.
pub fn storage_limit_status(q: &Quotas, used: u64) -> &'static str {
    let over = |limit: Option<u64>| limit.is_some_and(|l| used >= l);
    if over(q.prohibit_send_receive) {
        "MailboxDisabled"
    } else if over(q.prohibit_send) {
        "ProhibitSend"
    } else if over(q.issue_warning) {
        "IssueWarning"
    } else if *q == Quotas::default() {
        "NoChecking"
    } else {
        "BelowLimit"
    }
}

/// What New-Mailbox provides; the store fills in the rest.
#[derive(Debug, Clone, Default)]
pub struct NewMailbox {
    pub name: String,
    pub alias: String,
    pub display_name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub upn: String,
    pub primary_smtp: String,
    pub password_hash: Option<String>,
}

const COLUMNS: &str = "id, guid, name, alias, display_name, first_name, last_name, upn, primary_smtp, email_addresses, \
    password_hash, created, changed, imap_enabled, pop_enabled, mapi_enabled, owa_enabled, activesync_enabled, \
    ews_enabled, ecp_enabled, mapihttp_enabled, owa_for_devices_enabled, imap_use_protocol_defaults, imap_mime_format, \
    imap_exact_size, imap_suppress_read_receipt, imap_force_ical, pop_use_protocol_defaults, pop_mime_format, \
    pop_exact_size, pop_suppress_read_receipt, pop_force_ical, activesync_allowed_ids, activesync_blocked_ids, \
    ews_allow_list, ews_block_list, issue_warning_quota, prohibit_send_quota, prohibit_send_receive_quota";

fn json_list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_string())
}

fn mime(text: String) -> MimeTextFormat {
    MimeTextFormat::from_name(&text).unwrap_or(MimeTextFormat::BestBodyFormat)
}

fn from_row(r: &Row) -> rusqlite::Result<Mailbox> {
    Ok(Mailbox {
        id: r.get(0)?,
        guid: r.get(1)?,
        name: r.get(2)?,
        alias: r.get(3)?,
        display_name: r.get(4)?,
        first_name: r.get(5)?,
        last_name: r.get(6)?,
        upn: r.get(7)?,
        primary_smtp: r.get(8)?,
        email_addresses: json_list(r.get(9)?),
        password_hash: r.get(10)?,
        created: r.get(11)?,
        changed: r.get(12)?,
        cas: CasSettings {
            imap_enabled: r.get(13)?,
            pop_enabled: r.get(14)?,
            mapi_enabled: r.get(15)?,
            owa_enabled: r.get(16)?,
            activesync_enabled: r.get(17)?,
            ews_enabled: r.get(18)?,
            ecp_enabled: r.get(19)?,
            mapihttp_enabled: r.get(20)?,
            owa_for_devices_enabled: r.get(21)?,
            imap: ProtocolOverrides {
                use_protocol_defaults: r.get(22)?,
                mime_format: mime(r.get(23)?),
                exact_size: r.get(24)?,
                suppress_read_receipt: r.get(25)?,
                force_ical: r.get(26)?,
            },
            pop: ProtocolOverrides {
                use_protocol_defaults: r.get(27)?,
                mime_format: mime(r.get(28)?),
                exact_size: r.get(29)?,
                suppress_read_receipt: r.get(30)?,
                force_ical: r.get(31)?,
            },
            activesync_allowed_ids: json_list(r.get(32)?),
            activesync_blocked_ids: json_list(r.get(33)?),
            ews_allow_list: json_list(r.get(34)?),
            ews_block_list: json_list(r.get(35)?),
        },
        quotas: Quotas {
            issue_warning: r.get::<_, Option<i64>>(36)?.map(|n| n as u64),
            prohibit_send: r.get::<_, Option<i64>>(37)?.map(|n| n as u64),
            prohibit_send_receive: r.get::<_, Option<i64>>(38)?.map(|n| n as u64),
        },
    })
}

fn query(conn: &Connection, sql_where: &str, args: impl rusqlite::Params) -> StoreResult<Vec<Mailbox>> {
    let sql = format!("SELECT {COLUMNS} FROM mailbox {sql_where}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

impl Store {
    /// Every mailbox whose identity matches, as Exchange's MailboxIdParameter
    /// does: GUID, name, alias, display name, UPN, SMTP address, canonical
    /// name (`domain/Users/name`) or `DOMAIN\alias`; `*` as a wildcard.
    /// At most `limit` rows.
    pub fn resolve_mailboxes(&self, identity: &str, limit: usize) -> StoreResult<Vec<Mailbox>> {
        let id = identity.trim();
        let key = match id.split_once('\\') {
            Some((_, alias)) if !alias.is_empty() => alias,
            _ => id,
        };
        let key = match key.rsplit_once("/Users/") {
            Some((_, name)) => name,
            None => key,
        };
        let key = key.strip_prefix("SMTP:").or_else(|| key.strip_prefix("smtp:")).unwrap_or(key);
        if key.contains('*') {
            let pattern = key.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_").replace('*', "%");
            return query(
                &self.conn,
                "WHERE name LIKE ?1 ESCAPE '\\' OR alias LIKE ?1 ESCAPE '\\' OR display_name LIKE ?1 ESCAPE '\\' \
                 OR primary_smtp LIKE ?1 ESCAPE '\\' ORDER BY name LIMIT ?2",
                params![pattern, limit as i64],
            );
        }
        let found = query(
            &self.conn,
            "WHERE guid = ?1 OR name = ?1 OR alias = ?1 OR upn = ?1 OR primary_smtp = ?1 OR display_name = ?1 \
             ORDER BY name LIMIT ?2",
            params![key.to_lowercase(), limit as i64],
        )?;
        if !found.is_empty() || !key.contains('@') {
            return Ok(found);
        }
        // A secondary address: rare, so the unindexed scan is acceptable.
        let needle = format!("%\"smtp:{}\"%", key.to_lowercase());
        query(&self.conn, "WHERE lower(email_addresses) LIKE ?1 ORDER BY name LIMIT ?2", params![needle, limit as i64])
    }

    pub fn mailbox_by_guid(&self, guid: &str) -> StoreResult<Option<Mailbox>> {
        Ok(query(&self.conn, "WHERE guid = ?1", [guid])?.pop())
    }

    pub fn mailbox_by_id(&self, id: i64) -> StoreResult<Option<Mailbox>> {
        Ok(query(&self.conn, "WHERE id = ?1", [id])?.pop())
    }

    /// A page of mailboxes in name order, after `after_name` (keyset paging
    /// keeps memory flat on large directories).
    pub fn mailboxes_page(&self, after_name: Option<&str>, limit: usize) -> StoreResult<Vec<Mailbox>> {
        match after_name {
            Some(name) => query(&self.conn, "WHERE name > ?1 ORDER BY name LIMIT ?2", params![name, limit as i64]),
            None => query(&self.conn, "ORDER BY name LIMIT ?1", params![limit as i64]),
        }
    }

    pub fn mailbox_count(&self) -> StoreResult<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM mailbox", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// The mailbox a client names when it logs in: UPN, primary SMTP address
    /// or alias, case-insensitive.
    pub fn find_login(&self, login: &str) -> StoreResult<Option<Mailbox>> {
        let login = login.trim().to_lowercase();
        let login = match login.split_once('\\') {
            Some((_, alias)) => alias.to_string(),
            None => login,
        };
        Ok(query(&self.conn, "WHERE upn = ?1 OR primary_smtp = ?1 OR alias = ?1 LIMIT 1", [login])?.pop())
    }

    pub fn insert_mailbox(tx: &Tx, new: &NewMailbox) -> StoreResult<Mailbox> {
        let now = crate::runtime::value::now_unix();
        let guid = super::new_guid();
        let addresses = vec![format!("SMTP:{}", new.primary_smtp)];
        tx.execute(
            "INSERT INTO mailbox (guid, name, alias, display_name, first_name, last_name, upn, primary_smtp, \
             email_addresses, password_hash, created, changed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
            params![
                guid,
                new.name,
                new.alias,
                new.display_name,
                new.first_name,
                new.last_name,
                new.upn,
                new.primary_smtp,
                to_json(&addresses),
                new.password_hash,
                now
            ],
        )
        .map_err(|e| conflict(e, new))?;
        query(tx, "WHERE guid = ?1", [&guid])?.pop().ok_or_else(|| StoreError::Corrupt("a new mailbox vanished".into()))
    }

    /// Writes every field of `m`; returns false when nothing differed.
    pub fn update_mailbox(tx: &Tx, m: &Mailbox) -> StoreResult<bool> {
        let c = &m.cas;
        let mut stmt = tx.prepare_cached(
            "UPDATE mailbox SET name=?2, alias=?3, display_name=?4, first_name=?5, last_name=?6, upn=?7, \
             primary_smtp=?8, email_addresses=?9, password_hash=?10, changed=?11, imap_enabled=?12, pop_enabled=?13, \
             mapi_enabled=?14, owa_enabled=?15, activesync_enabled=?16, ews_enabled=?17, ecp_enabled=?18, \
             mapihttp_enabled=?19, owa_for_devices_enabled=?20, imap_use_protocol_defaults=?21, imap_mime_format=?22, \
             imap_exact_size=?23, imap_suppress_read_receipt=?24, imap_force_ical=?25, pop_use_protocol_defaults=?26, \
             pop_mime_format=?27, pop_exact_size=?28, pop_suppress_read_receipt=?29, pop_force_ical=?30, \
             activesync_allowed_ids=?31, activesync_blocked_ids=?32, ews_allow_list=?33, ews_block_list=?34, \
             issue_warning_quota=?35, prohibit_send_quota=?36, prohibit_send_receive_quota=?37 \
             WHERE id = ?1",
        )?;
        let n = stmt
            .execute(params![
                m.id,
                m.name,
                m.alias,
                m.display_name,
                m.first_name,
                m.last_name,
                m.upn,
                m.primary_smtp,
                to_json(&m.email_addresses),
                m.password_hash,
                m.changed,
                c.imap_enabled,
                c.pop_enabled,
                c.mapi_enabled,
                c.owa_enabled,
                c.activesync_enabled,
                c.ews_enabled,
                c.ecp_enabled,
                c.mapihttp_enabled,
                c.owa_for_devices_enabled,
                c.imap.use_protocol_defaults,
                c.imap.mime_format.name(),
                c.imap.exact_size,
                c.imap.suppress_read_receipt,
                c.imap.force_ical,
                c.pop.use_protocol_defaults,
                c.pop.mime_format.name(),
                c.pop.exact_size,
                c.pop.suppress_read_receipt,
                c.pop.force_ical,
                to_json(&c.activesync_allowed_ids),
                to_json(&c.activesync_blocked_ids),
                to_json(&c.ews_allow_list),
                to_json(&c.ews_block_list),
                m.quotas.issue_warning.map(|n| n as i64),
                m.quotas.prohibit_send.map(|n| n as i64),
                m.quotas.prohibit_send_receive.map(|n| n as i64),
            ])
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                    StoreError::Conflict(format!(
                        "The name, alias or address of '{}' is already used by another recipient.",
                        m.name
                    ))
                }
                other => StoreError::Sqlite(other),
            })?;
        Ok(n > 0)
    }

    /// Writes only the client access settings of a mailbox: no indexed
    /// column is touched, so bulk changes skip index maintenance.
    pub fn update_cas_settings(tx: &Tx, id: i64, c: &CasSettings, changed: i64) -> StoreResult<bool> {
        let mut stmt = tx.prepare_cached(
            "UPDATE mailbox SET changed=?2, imap_enabled=?3, pop_enabled=?4, mapi_enabled=?5, owa_enabled=?6, \
             activesync_enabled=?7, ews_enabled=?8, ecp_enabled=?9, mapihttp_enabled=?10, owa_for_devices_enabled=?11, \
             imap_use_protocol_defaults=?12, imap_mime_format=?13, imap_exact_size=?14, imap_suppress_read_receipt=?15, \
             imap_force_ical=?16, pop_use_protocol_defaults=?17, pop_mime_format=?18, pop_exact_size=?19, \
             pop_suppress_read_receipt=?20, pop_force_ical=?21, activesync_allowed_ids=?22, activesync_blocked_ids=?23, \
             ews_allow_list=?24, ews_block_list=?25 WHERE id = ?1",
        )?;
        let n = stmt.execute(params![
            id,
            changed,
            c.imap_enabled,
            c.pop_enabled,
            c.mapi_enabled,
            c.owa_enabled,
            c.activesync_enabled,
            c.ews_enabled,
            c.ecp_enabled,
            c.mapihttp_enabled,
            c.owa_for_devices_enabled,
            c.imap.use_protocol_defaults,
            c.imap.mime_format.name(),
            c.imap.exact_size,
            c.imap.suppress_read_receipt,
            c.imap.force_ical,
            c.pop.use_protocol_defaults,
            c.pop.mime_format.name(),
            c.pop.exact_size,
            c.pop.suppress_read_receipt,
            c.pop.force_ical,
            to_json(&c.activesync_allowed_ids),
            to_json(&c.activesync_blocked_ids),
            to_json(&c.ews_allow_list),
            to_json(&c.ews_block_list),
        ])?;
        Ok(n > 0)
    }

    /// Sets Boolean CAS columns on every mailbox in one transaction, as
    /// `Get-CASMailbox -ResultSize Unlimited | Set-CASMailbox -X $v` would
    /// record by record: an audit row for each mailbox that changes (its
    /// parameters and modified properties as the per-record path writes
    /// them), and the names of those that were already so, in name order.
    /// `changes` holds (column, property, value); the columns come from the
    /// cmdlet's static table, never from input.
    pub fn set_cas_flags_everywhere(
        &mut self,
        changes: &[(&str, &str, bool)],
        caller: &str,
        domain: &str,
        now: i64,
    ) -> StoreResult<Vec<String>> {
        let differs: Vec<String> = changes.iter().map(|(c, _, v)| format!("{c} IS NOT {}", *v as i32)).collect();
        let differs = format!("({})", differs.join(" OR "));
        let text = |v: bool| if v { "True" } else { "False" };
        let params: Vec<String> =
            changes.iter().map(|(_, p, v)| format!("json_array('{p}', '{}')", text(*v))).collect();
        let modified: Vec<String> = changes
            .iter()
            .map(|(c, p, v)| {
                format!(
                    "CASE WHEN {c} IS NOT {} THEN json_array('{p}', CASE {c} WHEN 1 THEN 'True' ELSE 'False' END, '{}') || ',' ELSE '' END",
                    *v as i32,
                    text(*v)
                )
            })
            .collect();
        let sets: Vec<String> = changes.iter().map(|(c, _, v)| format!("{c} = {}", *v as i32)).collect();
        self.write(|tx| {
            let mut unchanged = Vec::new();
            {
                let mut stmt = tx.prepare(&format!("SELECT name FROM mailbox WHERE NOT {differs} ORDER BY name"))?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
                for r in rows {
                    unchanged.push(r?);
                }
            }
            tx.execute(
                &format!(
                    "INSERT INTO audit_log (run_date, caller, cmdlet, object_id, parameters, modified, succeeded) \
                     SELECT ?1, ?2, 'Set-CASMailbox', ?3 || '/Users/' || name, \
                     json_array(json_array('Identity', ?3 || '/Users/' || name), {}), \
                     '[' || rtrim({}, ',') || ']', 1 FROM mailbox WHERE {differs} ORDER BY name",
                    params.join(", "),
                    modified.join(" || ")
                ),
                params![now, caller, domain],
            )?;
            tx.execute(&format!("UPDATE mailbox SET {}, changed = ?1 WHERE {differs}", sets.join(", ")), [now])?;
            Ok(unchanged)
        })
    }

    /// Reads one mailbox inside a write transaction (for read-modify-write).
    pub fn mailbox_for_update(tx: &Tx, id: i64) -> StoreResult<Option<Mailbox>> {
        Ok(query(tx, "WHERE id = ?1", [id])?.pop())
    }

    /// The same by GUID, for objects that come down a pipeline.
    pub fn mailbox_for_update_by_guid(tx: &Tx, guid: &str) -> StoreResult<Option<Mailbox>> {
        Ok(query(tx, "WHERE guid = ?1", [guid])?.pop())
    }

    pub fn delete_mailbox(tx: &Tx, id: i64) -> StoreResult<bool> {
        Ok(tx.execute("DELETE FROM mailbox WHERE id = ?1", [id])? > 0)
    }

    /// Whether any mailbox already uses one of these names or addresses.
    pub fn recipient_exists(&self, value: &str) -> StoreResult<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM mailbox WHERE name = ?1 OR alias = ?1 OR upn = ?1 OR primary_smtp = ?1 LIMIT 1",
                [value],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

fn conflict(e: rusqlite::Error, new: &NewMailbox) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(f, Some(msg)) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            let what = if msg.contains("mailbox.name") {
                format!("The name \"{}\" is already being used. Please try another name.", new.name)
            } else if msg.contains("mailbox.alias") {
                format!(
                    "The alias \"{}\" is already being used by another recipient. Please try another alias.",
                    new.alias
                )
            } else if msg.contains("mailbox.upn") {
                format!("The user principal name \"{}\" is already being used. Please try another name.", new.upn)
            } else {
                format!(
                    "The proxy address \"SMTP:{}\" is already being used by the proxy addresses or LegacyExchangeDN. Please choose another proxy address.",
                    new.primary_smtp
                )
            };
            StoreError::Conflict(what)
        }
        other => StoreError::Sqlite(other),
    }
}
