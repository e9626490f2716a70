//! Mailboxes and their client access (CAS) settings.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::cas_columns::{self, CAS_COLUMNS};
use super::enums::MimeTextFormat;
use super::mailbox_columns::{self, MAILBOX_COLUMNS};
use super::pg::mailboxes as pg;
use super::{Sql, Store, StoreError, StoreResult, Tx};

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
    /// Set-Mailbox -ForwardingSmtpAddress: mail to the mailbox goes there
    /// (the address alone, without `smtp:`).
    /// Set-Mailbox -ForwardingAddress: the GUID of the mailbox mail to
    /// this one is forwarded to (before ForwardingSmtpAddress).
    pub forwarding_address: Option<String>,
    pub forwarding_smtp_address: Option<String>,
    /// Set-Mailbox -DeliverToMailboxAndForward: forwarded mail is also
    /// delivered to the mailbox.
    pub deliver_to_mailbox_and_forward: bool,
    /// The GUID of its mailbox database (`store::databases`); None for a
    /// mailbox made before its server had one.
    pub database: Option<String>,
}

impl Mailbox {
    /// Every text empty, every flag off, every quota Unlimited: what
    /// reading a row starts from.
    pub(super) fn blank() -> Mailbox {
        Mailbox {
            id: 0,
            guid: String::new(),
            name: String::new(),
            alias: String::new(),
            display_name: String::new(),
            first_name: None,
            last_name: None,
            upn: String::new(),
            primary_smtp: String::new(),
            email_addresses: vec![],
            password_hash: None,
            created: 0,
            changed: 0,
            cas: CasSettings::blank(),
            quotas: Quotas { issue_warning: None, prohibit_send: None, prohibit_send_receive: None },
            forwarding_address: None,
            forwarding_smtp_address: None,
            deliver_to_mailbox_and_forward: false,
            database: None,
        }
    }
}

/// A mailbox's storage quotas in bytes (Set-Mailbox); None is Unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    pub issue_warning: Option<u64>,
    pub prohibit_send: Option<u64>,
    pub prohibit_send_receive: Option<u64>,
}

impl Default for Quotas {
    /// As Exchange creates a mailbox: the defaults of `MAILBOX_COLUMNS`.
    fn default() -> Self {
        mailbox_columns::default_quotas()
    }
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
    } else if q.issue_warning.is_none() && q.prohibit_send.is_none() && q.prohibit_send_receive.is_none() {
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
    /// Its mailbox database's GUID; None: the one automatic distribution
    /// picks (`Store::database_for_new_mailbox`).
    pub database: Option<String>,
}

/// The mailbox columns that are no setting of Set-Mailbox or
/// Set-CASMailbox, in `from_row`'s order; the two tables' columns follow.
const HEAD_COLUMNS: &str = "id, guid, first_name, last_name, created, changed, database_guid";
pub(in crate::store) const HEAD_COUNT: usize = 7;

/// Every column `from_row` reads, in its order.
pub(in crate::store) fn columns() -> &'static str {
    static COLUMNS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    COLUMNS.get_or_init(|| format!("{HEAD_COLUMNS}, {}", setting_columns().join(", ")))
}

/// The columns of both tables' settings: the mailbox's, then the client
/// access settings.
pub(in crate::store) fn setting_columns() -> Vec<&'static str> {
    MAILBOX_COLUMNS.iter().map(|c| c.column).chain(CAS_COLUMNS.iter().map(|c| c.column)).collect()
}

/// Every setting of `m` as the store writes it, in `setting_columns`' order.
pub(in crate::store) fn setting_values(m: &Mailbox) -> impl Iterator<Item = SqlValue> + '_ {
    MAILBOX_COLUMNS.iter().map(|c| c.sql(m)).chain(CAS_COLUMNS.iter().map(|c| c.sql(&m.cas)))
}

/// `col = ?N` for each column, numbered from `first`.
fn assignments(columns: &[&str], first: usize) -> String {
    columns.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", first + i)).collect::<Vec<_>>().join(", ")
}

fn from_row(r: &Row) -> rusqlite::Result<Mailbox> {
    let mut m = Mailbox::blank();
    m.id = r.get(0)?;
    m.guid = r.get(1)?;
    m.first_name = r.get(2)?;
    m.last_name = r.get(3)?;
    m.created = r.get(4)?;
    m.changed = r.get(5)?;
    m.database = r.get(6)?;
    for (i, column) in MAILBOX_COLUMNS.iter().enumerate() {
        column.read(&mut m, r, HEAD_COUNT + i)?;
    }
    let cas = HEAD_COUNT + MAILBOX_COLUMNS.len();
    for (i, column) in CAS_COLUMNS.iter().enumerate() {
        column.read(&mut m.cas, r.get(cas + i)?);
    }
    Ok(m)
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
        let conn = match self.any() {
            Sql::Lite(conn) => conn,
            Sql::Pg(p) => return resolve_pg(p, key, limit),
        };
        if key.contains('*') {
            return query(
                conn,
                "WHERE name LIKE ?1 ESCAPE '\\' OR alias LIKE ?1 ESCAPE '\\' OR display_name LIKE ?1 ESCAPE '\\' \
                 OR primary_smtp LIKE ?1 ESCAPE '\\' ORDER BY name LIMIT ?2",
                params![like_pattern(key), limit as i64],
            );
        }
        let found = query(
            conn,
            "WHERE guid = ?1 OR name = ?1 OR alias = ?1 OR upn = ?1 OR primary_smtp = ?1 OR display_name = ?1 \
             ORDER BY name LIMIT ?2",
            params![key.to_lowercase(), limit as i64],
        )?;
        if !found.is_empty() || !key.contains('@') {
            return Ok(found);
        }
        // A secondary address: rare, so the unindexed scan is acceptable.
        query(
            conn,
            "WHERE lower(email_addresses) LIKE ?1 ORDER BY name LIMIT ?2",
            params![secondary_needle(key), limit as i64],
        )
    }

    /// Does the directory hold the mailbox `guid` (delivery asks at the
    /// moment it stores)?
    /// What delivery asks of a mailbox (`store::mail::Listing`): whether
    /// the directory still holds it, and its ProhibitSendReceiveQuota.
    /// One column of one row: delivery asks it of every mailbox of every
    /// batch.
    pub fn mailbox_listing(&self, guid: &str) -> StoreResult<crate::store::mail::Listing> {
        use crate::store::mail::Listing;
        let rows = self
            .any()
            .rows("SELECT prohibit_send_receive_quota FROM mailbox WHERE guid = $1", vec![guid.to_string().into()])?;
        let Some(row) = rows.into_iter().next() else { return Ok(Listing::Gone) };
        let limit = super::cells::Cells::new(row, "mailbox").opt_int()?;
        Ok(Listing::Receives(limit.map(|v| v.max(0) as u64)))
    }

    pub fn mailbox_by_guid(&self, guid: &str) -> StoreResult<Option<Mailbox>> {
        by_guid(self.any(), guid)
    }

    pub fn mailbox_by_id(&self, id: i64) -> StoreResult<Option<Mailbox>> {
        by_id(self.any(), id)
    }

    /// A page of mailboxes in name order, after `after_name` (keyset paging
    /// keeps memory flat on large directories).
    pub fn mailboxes_page(&self, after_name: Option<&str>, limit: usize) -> StoreResult<Vec<Mailbox>> {
        let conn = match self.any() {
            Sql::Lite(conn) => conn,
            Sql::Pg(p) => return pg::page(p, after_name, limit),
        };
        match after_name {
            Some(name) => query(conn, "WHERE name > ?1 ORDER BY name LIMIT ?2", params![name, limit as i64]),
            None => query(conn, "ORDER BY name LIMIT ?1", params![limit as i64]),
        }
    }

    pub fn mailbox_count(&self) -> StoreResult<u64> {
        match self.any() {
            Sql::Lite(conn) => Ok(conn.query_row("SELECT count(*) FROM mailbox", [], |r| r.get::<_, i64>(0))? as u64),
            Sql::Pg(p) => pg::count(p),
        }
    }

    /// The mailbox a client names when it logs in: UPN, primary SMTP address
    /// or alias, case-insensitive.
    pub fn find_login(&self, login: &str) -> StoreResult<Option<Mailbox>> {
        let login = login.trim().to_lowercase();
        let login = match login.split_once('\\') {
            Some((_, alias)) => alias.to_string(),
            None => login,
        };
        match self.any() {
            Sql::Lite(conn) => {
                Ok(query(conn, "WHERE upn = ?1 OR primary_smtp = ?1 OR alias = ?1 LIMIT 1", [login])?.pop())
            }
            Sql::Pg(p) => pg::login(p, &login),
        }
    }

    pub fn insert_mailbox(tx: &Tx<'_>, new: &NewMailbox) -> StoreResult<Mailbox> {
        let now = super::now_unix();
        let guid = super::new_guid();
        // Every setting is written as the tables' defaults say, not left to
        // the schema's column defaults.
        let mut m = Mailbox::blank();
        m.guid = guid.clone();
        m.name = new.name.clone();
        m.alias = new.alias.clone();
        m.display_name = new.display_name.clone();
        m.first_name = new.first_name.clone();
        m.last_name = new.last_name.clone();
        m.upn = new.upn.clone();
        m.primary_smtp = new.primary_smtp.clone();
        m.email_addresses = vec![format!("SMTP:{}", new.primary_smtp)];
        m.password_hash = new.password_hash.clone();
        m.created = now;
        m.changed = now;
        m.cas = CasSettings::default();
        m.quotas = Quotas::default();
        m.database = match &new.database {
            // Read again under the write lock: Remove-MailboxDatabase may
            // have taken it since the caller chose it.
            Some(guid) => match super::databases::exists(tx.any(), guid)? {
                true => Some(guid.clone()),
                false => return Err(StoreError::Conflict("The mailbox database was removed meanwhile.".into())),
            },
            None => super::databases::pick(tx.any(), "")?,
        };
        // The first value already taken, in Exchange's order, names the
        // conflict; the unique indexes stay the last word (the write lock
        // is held, so nothing is taken in between).
        for (column, value) in
            [("name", &new.name), ("alias", &new.alias), ("upn", &new.upn), ("primary_smtp", &new.primary_smtp)]
        {
            // A distribution group's name, alias or address is a recipient's too.
            let group_has = column != "upn" && super::groups::group_holds(tx.any(), column, value)?;
            if group_has || value_taken(tx.any(), column, value)? {
                return Err(conflict_on(column, new));
            }
        }
        let tx = match tx.any() {
            Sql::Lite(conn) => conn,
            Sql::Pg(p) => {
                let id = pg::insert(p, &m).map_err(|e| match e {
                    StoreError::Unique(constraint) => conflict_on(pg::refused_column(&constraint), new),
                    other => other,
                })?;
                return by_id(tx.any(), id)?.ok_or_else(|| StoreError::Corrupt("a new mailbox vanished".into()));
            }
        };
        let names = setting_columns();
        let slots: Vec<String> = (0..names.len()).map(|i| format!("?{}", 7 + i)).collect();
        let sql = format!(
            "INSERT INTO mailbox (guid, first_name, last_name, created, changed, database_guid, {}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, {})",
            names.join(", "),
            slots.join(", ")
        );
        let mut values: Vec<SqlValue> = vec![
            guid.clone().into(),
            m.first_name.clone().into(),
            m.last_name.clone().into(),
            now.into(),
            now.into(),
            m.database.clone().into(),
        ];
        values.extend(setting_values(&m));
        tx.prepare_cached(&sql)?.execute(params_from_iter(values)).map_err(|e| conflict(e, new))?;
        query(tx, "WHERE guid = ?1", [&guid])?.pop().ok_or_else(|| StoreError::Corrupt("a new mailbox vanished".into()))
    }

    /// Writes every field of `m`; returns false when nothing differed.
    pub fn update_mailbox(tx: &Tx<'_>, m: &Mailbox) -> StoreResult<bool> {
        let taken = || {
            StoreError::Conflict(format!(
                "The name, alias or address of '{}' is already used by another recipient.",
                m.name
            ))
        };
        // A distribution group's name, alias or addresses are taken too.
        let addresses = super::groups::smtp_addresses(&m.email_addresses);
        for (column, value) in
            [("name", &m.name), ("alias", &m.alias)].into_iter().chain(addresses.iter().map(|a| ("address", a)))
        {
            if super::groups::group_holds(tx.any(), column, value)? {
                return Err(taken());
            }
        }
        let tx = match tx.any() {
            Sql::Lite(conn) => conn,
            Sql::Pg(p) => {
                return pg::update(p, m).map(|n| n > 0).map_err(|e| match e {
                    StoreError::Unique(_) => taken(),
                    other => other,
                });
            }
        };
        let sql = format!(
            "UPDATE mailbox SET first_name = ?2, last_name = ?3, changed = ?4, {} WHERE id = ?1",
            assignments(&setting_columns(), 5)
        );
        let mut values: Vec<SqlValue> =
            vec![m.id.into(), m.first_name.clone().into(), m.last_name.clone().into(), m.changed.into()];
        values.extend(setting_values(m));
        let n = tx.prepare_cached(&sql)?.execute(params_from_iter(values)).map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => taken(),
            other => StoreError::Sqlite(other),
        })?;
        Ok(n > 0)
    }

    /// Writes only the client access settings of a mailbox: no indexed
    /// column is touched, so bulk changes skip index maintenance.
    pub fn update_cas_settings(tx: &Tx<'_>, id: i64, c: &CasSettings, changed: i64) -> StoreResult<bool> {
        let tx = match tx.any() {
            Sql::Lite(conn) => conn,
            Sql::Pg(p) => return Ok(pg::update_cas(p, id, c, changed)? > 0),
        };
        let cas: Vec<&str> = CAS_COLUMNS.iter().map(|col| col.column).collect();
        let sql = format!("UPDATE mailbox SET changed = ?2, {} WHERE id = ?1", assignments(&cas, 3));
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
        if let Sql::Pg(_) = self.any() {
            return self.write(|tx| match tx.any() {
                Sql::Pg(p) => pg::set_flags_everywhere(p, changes, caller, domain, now),
                Sql::Lite(_) => Err(StoreError::Corrupt("the store changed backend".into())),
            });
        }
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
            let tx = tx.sql("The set-based Set-CASMailbox")?;
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
        by_id(tx.any(), id)
    }

    /// The same by GUID, for objects that come down a pipeline.
    pub fn mailbox_for_update_by_guid(tx: &Tx<'_>, guid: &str) -> StoreResult<Option<Mailbox>> {
        by_guid(tx.any(), guid)
    }

    /// Removes the mailbox; mailboxes that forwarded to it forward no
    /// more (their ForwardingAddress is cleared, as Active Directory drops
    /// a link to a deleted object).
    pub fn delete_mailbox(tx: &Tx<'_>, id: i64) -> StoreResult<bool> {
        // Its move request goes with it.
        tx.any().run(
            "DELETE FROM move_request WHERE mailbox_guid = (SELECT guid FROM mailbox WHERE id = $1)",
            vec![id.into()],
        )?;
        match tx.any() {
            Sql::Lite(conn) => {
                conn.execute(
                    "UPDATE mailbox SET forwarding_address = NULL \
                     WHERE forwarding_address = (SELECT guid FROM mailbox WHERE id = ?1)",
                    [id],
                )?;
                Ok(conn.execute("DELETE FROM mailbox WHERE id = ?1", [id])? > 0)
            }
            Sql::Pg(p) => pg::delete(p, id),
        }
    }

    /// The names of the mailboxes others forward to, by GUID
    /// (Get-Mailbox's ForwardingAddress).
    pub fn forwarding_targets(&self) -> StoreResult<std::collections::HashMap<String, String>> {
        const SQL: &str = "SELECT guid, name FROM mailbox WHERE guid IN \
                           (SELECT forwarding_address FROM mailbox WHERE forwarding_address IS NOT NULL)";
        let rows: Vec<(String, String)> = match self.any() {
            Sql::Lite(conn) => {
                let mut stmt = conn.prepare_cached(SQL)?;
                let found = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                found.collect::<Result<_, _>>()?
            }
            Sql::Pg(p) => p
                .query(SQL, &[])?
                .into_iter()
                .filter_map(|row| match row.as_slice() {
                    [SqlValue::Text(g), SqlValue::Text(n)] => Some((g.clone(), n.clone())),
                    _ => None,
                })
                .collect(),
        };
        Ok(rows.into_iter().collect())
    }

    /// Whether any mailbox already uses one of these names or addresses.
    pub fn recipient_exists(&self, value: &str) -> StoreResult<bool> {
        let conn = match self.any() {
            Sql::Lite(conn) => conn,
            Sql::Pg(p) => return pg::recipient_exists(p, value),
        };
        Ok(conn
            .query_row(
                "SELECT 1 FROM mailbox WHERE name = ?1 OR alias = ?1 OR upn = ?1 OR primary_smtp = ?1 LIMIT 1",
                [value],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

/// `resolve_mailboxes` on PostgreSQL: the same three lookups.
fn resolve_pg(p: &super::pg::Pg, key: &str, limit: usize) -> StoreResult<Vec<Mailbox>> {
    if key.contains('*') {
        return pg::by_pattern(p, &like_pattern(key), limit);
    }
    let found = pg::by_key(p, &key.to_lowercase(), limit)?;
    if !found.is_empty() || !key.contains('@') {
        return Ok(found);
    }
    pg::by_secondary(p, &secondary_needle(key), limit)
}

/// An identity with `*` wildcards as a LIKE pattern (escape `\`).
fn like_pattern(key: &str) -> String {
    key.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_").replace('*', "%")
}

/// A secondary address as it appears in the JSON list of addresses.
fn secondary_needle(key: &str) -> String {
    format!("%\"smtp:{}\"%", key.to_lowercase())
}

/// Whether a mailbox's `column` (a unique one, from the store's own list)
/// already holds `value`, case-insensitively.
fn value_taken(db: Sql<'_>, column: &str, value: &str) -> StoreResult<bool> {
    match db {
        Sql::Lite(conn) => Ok(conn
            .prepare_cached(&format!("SELECT 1 FROM mailbox WHERE {column} = ?1 LIMIT 1"))?
            .query_row([value], |_| Ok(()))
            .optional()?
            .is_some()),
        Sql::Pg(p) => pg::value_taken(p, column, value),
    }
}

fn by_id(db: Sql<'_>, id: i64) -> StoreResult<Option<Mailbox>> {
    match db {
        Sql::Lite(conn) => Ok(query(conn, "WHERE id = ?1", [id])?.pop()),
        Sql::Pg(p) => Ok(pg::query(p, "WHERE id = $1", &[id.into()])?.pop()),
    }
}

fn by_guid(db: Sql<'_>, guid: &str) -> StoreResult<Option<Mailbox>> {
    match db {
        Sql::Lite(conn) => Ok(query(conn, "WHERE guid = ?1", [guid])?.pop()),
        Sql::Pg(p) => Ok(pg::query(p, "WHERE guid = $1", &[guid.to_string().into()])?.pop()),
    }
}

fn conflict(e: rusqlite::Error, new: &NewMailbox) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(f, Some(msg)) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            let column = ["name", "alias", "upn"].into_iter().find(|c| msg.contains(&format!("mailbox.{c}")));
            conflict_on(column.unwrap_or("primary_smtp"), new)
        }
        other => StoreError::Sqlite(other),
    }
}

/// Exchange's message for a new mailbox whose `column` is already taken.
fn conflict_on(column: &str, new: &NewMailbox) -> StoreError {
    StoreError::Conflict(match column {
        "name" => format!("The name \"{}\" is already being used. Please try another name.", new.name),
        "alias" => {
            format!("The alias \"{}\" is already being used by another recipient. Please try another alias.", new.alias)
        }
        "upn" => format!("The user principal name \"{}\" is already being used. Please try another name.", new.upn),
        _ => format!(
            "The proxy address \"SMTP:{}\" is already being used by the proxy addresses or LegacyExchangeDN. Please choose another proxy address.",
            new.primary_smtp
        ),
    })
}
