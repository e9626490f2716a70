//! Mailboxes and their client access (CAS) settings.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::cas_columns::{self, CAS_COLUMNS, to_json};
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

impl CasSettings {
    /// Every flag off, every list empty: what reading a row starts from.
    pub(super) fn blank() -> CasSettings {
        CasSettings {
            imap_enabled: false,
            pop_enabled: false,
            mapi_enabled: false,
            owa_enabled: false,
            activesync_enabled: false,
            ews_enabled: false,
            ecp_enabled: false,
            mapihttp_enabled: false,
            owa_for_devices_enabled: false,
            imap: ProtocolOverrides::default(),
            pop: ProtocolOverrides::default(),
            activesync_allowed_ids: vec![],
            activesync_blocked_ids: vec![],
            ews_allow_list: vec![],
            ews_block_list: vec![],
        }
    }
}

impl Default for CasSettings {
    /// As Exchange creates a mailbox: the defaults of `CAS_COLUMNS`.
    fn default() -> Self {
        cas_columns::defaults()
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

/// The mailbox columns before the client access settings, in `from_row`'s order.
const HEAD_COLUMNS: &str = "id, guid, name, alias, display_name, first_name, last_name, upn, primary_smtp, email_addresses, password_hash, \
     created, changed";
const HEAD_COUNT: usize = 13;
const QUOTA_COLUMNS: &str = "issue_warning_quota, prohibit_send_quota, prohibit_send_receive_quota";

/// Every column `from_row` reads, in its order.
fn columns() -> &'static str {
    static COLUMNS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    COLUMNS.get_or_init(|| {
        let cas: Vec<&str> = CAS_COLUMNS.iter().map(|c| c.column).collect();
        format!("{HEAD_COLUMNS}, {}, {QUOTA_COLUMNS}", cas.join(", "))
    })
}

/// `col = ?N` for each client access setting, numbered from `first`.
fn cas_assignments(first: usize) -> String {
    CAS_COLUMNS.iter().enumerate().map(|(i, c)| format!("{} = ?{}", c.column, first + i)).collect::<Vec<_>>().join(", ")
}

fn json_list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

fn from_row(r: &Row) -> rusqlite::Result<Mailbox> {
    let mut cas = CasSettings::blank();
    for (i, column) in CAS_COLUMNS.iter().enumerate() {
        column.read(&mut cas, r.get(HEAD_COUNT + i)?);
    }
    let quota = HEAD_COUNT + CAS_COLUMNS.len();
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
        cas,
        quotas: Quotas {
            issue_warning: r.get::<_, Option<i64>>(quota)?.map(|n| n as u64),
            prohibit_send: r.get::<_, Option<i64>>(quota + 1)?.map(|n| n as u64),
            prohibit_send_receive: r.get::<_, Option<i64>>(quota + 2)?.map(|n| n as u64),
        },
    })
}

fn query(conn: &Connection, sql_where: &str, args: impl rusqlite::Params) -> StoreResult<Vec<Mailbox>> {
    let sql = format!("SELECT {} FROM mailbox {sql_where}", columns());
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

    pub fn insert_mailbox(tx: &Tx<'_>, new: &NewMailbox) -> StoreResult<Mailbox> {
        let tx = tx.sql();
        let now = super::now_unix();
        let guid = super::new_guid();
        let addresses = vec![format!("SMTP:{}", new.primary_smtp)];
        // The client access settings are written as the table's defaults
        // say, not left to the schema's column defaults.
        let cas = CasSettings::default();
        let names: Vec<&str> = CAS_COLUMNS.iter().map(|c| c.column).collect();
        let slots: Vec<String> = (0..CAS_COLUMNS.len()).map(|i| format!("?{}", 12 + i)).collect();
        let sql = format!(
            "INSERT INTO mailbox (guid, name, alias, display_name, first_name, last_name, upn, primary_smtp, \
             email_addresses, password_hash, created, changed, {}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, \
             ?11, ?11, {})",
            names.join(", "),
            slots.join(", ")
        );
        let mut values: Vec<SqlValue> = vec![
            guid.clone().into(),
            new.name.clone().into(),
            new.alias.clone().into(),
            new.display_name.clone().into(),
            new.first_name.clone().into(),
            new.last_name.clone().into(),
            new.upn.clone().into(),
            new.primary_smtp.clone().into(),
            to_json(&addresses).into(),
            new.password_hash.clone().into(),
            now.into(),
        ];
        values.extend(CAS_COLUMNS.iter().map(|c| c.sql(&cas)));
        tx.prepare_cached(&sql)?.execute(params_from_iter(values)).map_err(|e| conflict(e, new))?;
        query(tx, "WHERE guid = ?1", [&guid])?.pop().ok_or_else(|| StoreError::Corrupt("a new mailbox vanished".into()))
    }

    /// Writes every field of `m`; returns false when nothing differed.
    pub fn update_mailbox(tx: &Tx<'_>, m: &Mailbox) -> StoreResult<bool> {
        let tx = tx.sql();
        let quota = 12 + CAS_COLUMNS.len();
        let sql = format!(
            "UPDATE mailbox SET name = ?2, alias = ?3, display_name = ?4, first_name = ?5, last_name = ?6, upn = ?7, \
             primary_smtp = ?8, email_addresses = ?9, password_hash = ?10, changed = ?11, {}, \
             issue_warning_quota = ?{}, prohibit_send_quota = ?{}, prohibit_send_receive_quota = ?{} WHERE id = ?1",
            cas_assignments(12),
            quota,
            quota + 1,
            quota + 2
        );
        let mut values: Vec<SqlValue> = vec![
            m.id.into(),
            m.name.clone().into(),
            m.alias.clone().into(),
            m.display_name.clone().into(),
            m.first_name.clone().into(),
            m.last_name.clone().into(),
            m.upn.clone().into(),
            m.primary_smtp.clone().into(),
            to_json(&m.email_addresses).into(),
            m.password_hash.clone().into(),
            m.changed.into(),
        ];
        values.extend(CAS_COLUMNS.iter().map(|c| c.sql(&m.cas)));
        for q in [m.quotas.issue_warning, m.quotas.prohibit_send, m.quotas.prohibit_send_receive] {
            values.push(q.map(|n| n as i64).into());
        }
        let n = tx.prepare_cached(&sql)?.execute(params_from_iter(values)).map_err(|e| match e {
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
    pub fn update_cas_settings(tx: &Tx<'_>, id: i64, c: &CasSettings, changed: i64) -> StoreResult<bool> {
        let tx = tx.sql();
        let sql = format!("UPDATE mailbox SET changed = ?2, {} WHERE id = ?1", cas_assignments(3));
        let mut values: Vec<SqlValue> = vec![id.into(), changed.into()];
        values.extend(CAS_COLUMNS.iter().map(|col| col.sql(c)));
        let n = tx.prepare_cached(&sql)?.execute(params_from_iter(values))?;
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
            let tx = tx.sql();
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
    pub fn mailbox_for_update(tx: &Tx<'_>, id: i64) -> StoreResult<Option<Mailbox>> {
        let tx = tx.sql();
        Ok(query(tx, "WHERE id = ?1", [id])?.pop())
    }

    /// The same by GUID, for objects that come down a pipeline.
    pub fn mailbox_for_update_by_guid(tx: &Tx<'_>, guid: &str) -> StoreResult<Option<Mailbox>> {
        let tx = tx.sql();
        Ok(query(tx, "WHERE guid = ?1", [guid])?.pop())
    }

    pub fn delete_mailbox(tx: &Tx<'_>, id: i64) -> StoreResult<bool> {
        let tx = tx.sql();
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
