//! Distribution groups (New-DistributionGroup): mail-enabled groups whose
//! members are mailboxes or other groups, kept as rows of
//! `distribution_group_member` (a removed mailbox or group leaves every
//! group by the foreign keys' cascade). A group is a recipient: its name,
//! alias and SMTP addresses are unique across mailboxes and groups, and
//! the Transport's categorizer expands it (`Store::expand_group`).
//! The same SQL on both backends but for the address match
//! (`has_address`).

use std::collections::HashSet;

use rusqlite::types::Value as SqlValue;

use super::cells::Cells;
use super::{Sql, Store, StoreError, StoreResult, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DistributionGroup {
    pub id: i64,
    pub guid: String,
    pub name: String,
    pub alias: String,
    pub display_name: String,
    pub primary_smtp: String,
    /// Every proxy address, the primary as `SMTP:`.
    pub email_addresses: Vec<String>,
    /// -Type Security: GroupType "Universal, SecurityEnabled".
    pub security: bool,
    /// Only authenticated senders, or the organization's own servers, may
    /// send to it (Exchange 2013's default for new groups: $true).
    pub require_sender_auth: bool,
    /// The owners' canonical names.
    pub managed_by: Vec<String>,
    pub notes: String,
    pub created: i64,
    pub changed: i64,
}

/// A member as Get-DistributionGroupMember shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMember {
    pub name: String,
    pub alias: String,
    pub primary_smtp: String,
    pub guid: String,
    /// None: a mailbox; Some(security): a group.
    pub group: Option<bool>,
}

/// What a membership row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberRef {
    Mailbox(i64),
    Group(i64),
}

/// A group's address as the categorizer finds it at RCPT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRecipient {
    pub id: i64,
    pub primary_smtp: String,
    pub require_sender_auth: bool,
}

/// One group's part of an expansion: the group's address and the members
/// it added (the mailboxes' and nested groups' primary addresses), each
/// mailbox once however often it was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub group: String,
    pub members: Vec<String>,
}

/// A group expanded: every mailbox reached (by primary address, in order),
/// and each group's part (the tracking log's EXPAND events).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    pub mailboxes: Vec<String>,
    pub groups: Vec<Expanded>,
}

const COLUMNS: &str = "id, guid, name, alias, display_name, primary_smtp, email_addresses, security_enabled, \
    require_sender_authentication, managed_by, notes, created, changed";

fn group_of(row: Vec<SqlValue>) -> StoreResult<DistributionGroup> {
    let mut c = Cells::new(row, "distribution group");
    Ok(DistributionGroup {
        id: c.int()?,
        guid: c.text()?,
        name: c.text()?,
        alias: c.text()?,
        display_name: c.text()?,
        primary_smtp: c.text()?,
        email_addresses: c.list()?,
        security: c.flag()?,
        require_sender_auth: c.flag()?,
        managed_by: c.list()?,
        notes: c.text()?,
        created: c.int()?,
        changed: c.int()?,
    })
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// `table.email_addresses` holds `$1` as an SMTP address (any case):
/// SQLite reads the JSON list, PostgreSQL probes its index of them.
pub(in crate::store) fn has_address(db: Sql<'_>, table: &str) -> String {
    match db {
        Sql::Lite(_) => format!(
            "(lower({table}.primary_smtp) = lower($1) OR EXISTS (SELECT 1 FROM json_each({table}.email_addresses) \
             WHERE lower(value) LIKE 'smtp:%' AND lower(substr(value, instr(value, ':') + 1)) = lower($1)))"
        ),
        Sql::Pg(_) => format!(
            "(lower({table}.primary_smtp) = lower($1) \
             OR mailsh_smtp_addresses({table}.email_addresses) @> ARRAY[lower($1)])"
        ),
    }
}

/// The SMTP addresses of a proxy address list, without their prefix.
pub fn smtp_addresses(list: &[String]) -> Vec<String> {
    list.iter()
        .filter_map(|a| a.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("smtp")).map(|(_, r)| r.to_string()))
        .collect()
}

/// Which of a recipient's values another recipient already holds, in
/// Exchange's order (name, alias, then each address): `except_group` is
/// the group being saved itself. Read under the write lock, so the check
/// and the write it allows are one.
pub(in crate::store) fn taken(
    db: Sql<'_>,
    name: &str,
    alias: &str,
    addresses: &[String],
    except_group: i64,
) -> StoreResult<Option<Taken>> {
    let any = |sql: &str, params: Vec<SqlValue>| -> StoreResult<bool> { Ok(!db.rows(sql, params)?.is_empty()) };
    let on_both = |mailbox: &str, group: &str, value: &str| -> StoreResult<bool> {
        Ok(any(&format!("SELECT 1 FROM mailbox WHERE {mailbox} LIMIT 1"), vec![value.to_string().into()])?
            || any(
                &format!("SELECT 1 FROM distribution_group WHERE {group} AND id <> $2 LIMIT 1"),
                vec![value.to_string().into(), except_group.into()],
            )?)
    };
    let by_column = |column: &str, value: &str| {
        let same = format!("lower({column}) = lower($1)");
        on_both(&same, &same, value)
    };
    if by_column("name", name)? {
        return Ok(Some(Taken::Name(name.to_string())));
    }
    if by_column("alias", alias)? {
        return Ok(Some(Taken::Alias(alias.to_string())));
    }
    for a in addresses {
        if on_both(&has_address(db, "mailbox"), &has_address(db, "distribution_group"), a)? {
            return Ok(Some(Taken::Address(a.clone())));
        }
    }
    Ok(None)
}

/// A value another recipient holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    Name(String),
    Alias(String),
    Address(String),
}

impl Taken {
    /// Exchange's words for it (as New-Mailbox's).
    pub fn conflict(&self) -> StoreError {
        StoreError::Conflict(match self {
            Taken::Name(n) => format!("The name \"{n}\" is already being used. Please try another name."),
            Taken::Alias(a) => {
                format!("The alias \"{a}\" is already being used by another recipient. Please try another alias.")
            }
            Taken::Address(a) => format!(
                "The proxy address \"SMTP:{a}\" is already being used by the proxy addresses or LegacyExchangeDN. Please choose another proxy address."
            ),
        })
    }
}

/// Whether a group holds this name, alias or address (New-Mailbox's check).
pub(in crate::store) fn group_holds(db: Sql<'_>, column: &str, value: &str) -> StoreResult<bool> {
    let sql = match column {
        "name" | "alias" => format!("SELECT 1 FROM distribution_group WHERE lower({column}) = lower($1) LIMIT 1"),
        _ => format!("SELECT 1 FROM distribution_group WHERE {} LIMIT 1", has_address(db, "distribution_group")),
    };
    Ok(!db.rows(&sql, vec![value.to_string().into()])?.is_empty())
}

/// The membership column `member` is kept in, and its row number.
fn member_column(member: MemberRef) -> (&'static str, i64) {
    match member {
        MemberRef::Mailbox(id) => ("mailbox_id", id),
        MemberRef::Group(id) => ("member_group_id", id),
    }
}

impl Store {
    /// Every group, by name.
    pub fn distribution_groups(&self) -> StoreResult<Vec<DistributionGroup>> {
        let rows =
            self.any().rows(&format!("SELECT {COLUMNS} FROM distribution_group ORDER BY lower(name)"), vec![])?;
        rows.into_iter().map(group_of).collect()
    }

    /// The group, read again in a write transaction.
    pub fn group_for_update(tx: &Tx<'_>, guid: &str) -> StoreResult<Option<DistributionGroup>> {
        let rows = tx.any().rows(
            &format!("SELECT {COLUMNS} FROM distribution_group WHERE guid = $1"),
            vec![guid.to_string().into()],
        )?;
        rows.into_iter().next().map(group_of).transpose()
    }

    /// A new group; its name, alias and addresses must be free.
    pub fn insert_group(tx: &Tx<'_>, g: &DistributionGroup) -> StoreResult<i64> {
        if let Some(t) = taken(tx.any(), &g.name, &g.alias, &smtp_addresses(&g.email_addresses), 0)? {
            return Err(t.conflict());
        }
        let rows = tx.any().rows(
            "INSERT INTO distribution_group (guid, name, alias, display_name, primary_smtp, email_addresses, \
             security_enabled, require_sender_authentication, managed_by, notes, created, changed) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            vec![
                g.guid.clone().into(),
                g.name.clone().into(),
                g.alias.clone().into(),
                g.display_name.clone().into(),
                g.primary_smtp.clone().into(),
                json(&g.email_addresses).into(),
                SqlValue::Integer(g.security.into()),
                SqlValue::Integer(g.require_sender_auth.into()),
                json(&g.managed_by).into(),
                g.notes.clone().into(),
                g.created.into(),
                g.changed.into(),
            ],
        )?;
        match super::one(rows) {
            Some(SqlValue::Integer(id)) => Ok(id),
            _ => Err(StoreError::Corrupt("a new distribution group".into())),
        }
    }

    /// Writes every setting of `g`; its name, alias and addresses must be
    /// free of every other recipient.
    pub fn save_group(tx: &Tx<'_>, g: &DistributionGroup) -> StoreResult<()> {
        if let Some(t) = taken(tx.any(), &g.name, &g.alias, &smtp_addresses(&g.email_addresses), g.id)? {
            return Err(t.conflict());
        }
        tx.any().run(
            "UPDATE distribution_group SET name = $2, alias = $3, display_name = $4, primary_smtp = $5, \
             email_addresses = $6, require_sender_authentication = $7, managed_by = $8, notes = $9, changed = $10 \
             WHERE id = $1",
            vec![
                g.id.into(),
                g.name.clone().into(),
                g.alias.clone().into(),
                g.display_name.clone().into(),
                g.primary_smtp.clone().into(),
                json(&g.email_addresses).into(),
                SqlValue::Integer(g.require_sender_auth.into()),
                json(&g.managed_by).into(),
                g.notes.clone().into(),
                g.changed.into(),
            ],
        )?;
        Ok(())
    }

    /// Removes the group; it leaves every group it was in (the cascade).
    pub fn delete_group(tx: &Tx<'_>, id: i64) -> StoreResult<bool> {
        Ok(tx.any().run("DELETE FROM distribution_group WHERE id = $1", vec![id.into()])? > 0)
    }

    /// The group's direct members: mailboxes, then groups, each by name.
    pub fn group_members(&self, group_id: i64) -> StoreResult<Vec<GroupMember>> {
        let rows = self.any().rows(
            "SELECT m.name, m.alias, m.primary_smtp, m.guid, NULL FROM distribution_group_member d \
             JOIN mailbox m ON m.id = d.mailbox_id WHERE d.group_id = $1 \
             UNION ALL \
             SELECT g.name, g.alias, g.primary_smtp, g.guid, g.security_enabled FROM distribution_group_member d \
             JOIN distribution_group g ON g.id = d.member_group_id WHERE d.group_id = $1",
            vec![group_id.into()],
        )?;
        let mut out = rows
            .into_iter()
            .map(|row| {
                let mut c = Cells::new(row, "distribution group member");
                Ok(GroupMember {
                    name: c.text()?,
                    alias: c.text()?,
                    primary_smtp: c.text()?,
                    guid: c.text()?,
                    group: c.opt_int()?.map(|s| s != 0),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        out.sort_by_key(|m| (m.group.is_some(), m.name.to_lowercase()));
        Ok(out)
    }

    /// Whether `member` is a direct member (read in the transaction, so
    /// the check and the change it decides are one).
    pub fn is_group_member(tx: &Tx<'_>, group_id: i64, member: MemberRef) -> StoreResult<bool> {
        let (column, id) = member_column(member);
        let sql = format!("SELECT 1 FROM distribution_group_member WHERE group_id = $1 AND {column} = $2");
        Ok(!tx.any().rows(&sql, vec![group_id.into(), id.into()])?.is_empty())
    }

    pub fn add_group_member(tx: &Tx<'_>, group_id: i64, member: MemberRef) -> StoreResult<()> {
        let (column, id) = member_column(member);
        let sql = format!("INSERT INTO distribution_group_member (group_id, {column}) VALUES ($1, $2)");
        tx.any().run(&sql, vec![group_id.into(), id.into()])?;
        Ok(())
    }

    pub fn remove_group_member(tx: &Tx<'_>, group_id: i64, member: MemberRef) -> StoreResult<()> {
        let (column, id) = member_column(member);
        let sql = format!("DELETE FROM distribution_group_member WHERE group_id = $1 AND {column} = $2");
        tx.any().run(&sql, vec![group_id.into(), id.into()])?;
        Ok(())
    }

    /// The group having `address` among its SMTP addresses, if one has.
    pub fn group_with_address(&self, address: &str) -> StoreResult<Option<GroupRecipient>> {
        let sql = format!(
            "SELECT id, primary_smtp, require_sender_authentication FROM distribution_group WHERE {} LIMIT 1",
            has_address(self.any(), "distribution_group")
        );
        let Some(row) = self.any().rows(&sql, vec![address.trim().to_string().into()])?.into_iter().next() else {
            return Ok(None);
        };
        let mut c = Cells::new(row, "distribution group");
        Ok(Some(GroupRecipient { id: c.int()?, primary_smtp: c.text()?, require_sender_auth: c.flag()? }))
    }

    /// The categorizer's expansion of a group: its members' mailboxes,
    /// nested groups expanded in turn (breadth first), each mailbox and
    /// each group once, so a loop between groups ends.
    pub fn expand_group(&self, group_id: i64) -> StoreResult<Expansion> {
        let mut seen_groups: HashSet<i64> = HashSet::from([group_id]);
        let mut seen_mailboxes: HashSet<i64> = HashSet::new();
        let mut pending = std::collections::VecDeque::from([group_id]);
        let mut out = Expansion::default();
        while let Some(id) = pending.pop_front() {
            let address = super::one(
                self.any().rows("SELECT primary_smtp FROM distribution_group WHERE id = $1", vec![id.into()])?,
            );
            let Some(SqlValue::Text(group)) = address else { continue };
            let rows = self.any().rows(
                "SELECT m.id, m.primary_smtp, 0, lower(m.name) FROM distribution_group_member d \
                 JOIN mailbox m ON m.id = d.mailbox_id WHERE d.group_id = $1 \
                 UNION ALL \
                 SELECT g.id, g.primary_smtp, 1, lower(g.name) FROM distribution_group_member d \
                 JOIN distribution_group g ON g.id = d.member_group_id WHERE d.group_id = $1 \
                 ORDER BY 3, 4",
                vec![id.into()],
            )?;
            let mut members = Vec::new();
            for row in rows {
                let mut c = Cells::new(row, "distribution group member");
                let (member, address, is_group) = (c.int()?, c.text()?, c.flag()?);
                let new = if is_group { seen_groups.insert(member) } else { seen_mailboxes.insert(member) };
                if !new {
                    continue;
                }
                if is_group {
                    pending.push_back(member);
                } else {
                    out.mailboxes.push(address.clone());
                }
                members.push(address);
            }
            out.groups.push(Expanded { group, members });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_smtp_proxy_addresses_count() {
        let list = vec!["SMTP:sales@contoso.com".to_string(), "X500:/o=x".into(), "smtp:s@contoso.com".into()];
        assert_eq!(smtp_addresses(&list), vec!["sales@contoso.com".to_string(), "s@contoso.com".into()]);
    }

    #[test]
    fn conflicts_use_exchanges_words() {
        assert_eq!(
            Taken::Address("a@contoso.com".into()).conflict().to_string(),
            "The proxy address \"SMTP:a@contoso.com\" is already being used by the proxy addresses or LegacyExchangeDN. Please choose another proxy address."
        );
    }
}
