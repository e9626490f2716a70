//! Exchange's role groups that decide who may use the Exchange admin
//! center and what they may do there. The groups are Exchange's built-in
//! ones (fixed: mailsh has no New-RoleGroup); their members are mailboxes,
//! kept in `role_group_member` (a deleted mailbox leaves every group).
//!
//! A new store has no mailbox, so every group starts empty: the first
//! administrator is made from the Shell (`Add-RoleGroupMember
//! "Organization Management" -Member <mailbox>`), as Exchange's setup
//! makes the account that installs it a member.

use rusqlite::types::Value as SqlValue;

use super::{Mailbox, Sql, Store, StoreResult, Tx};

/// What a role group lets its members do in the EAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// Reads everything, changes nothing.
    ViewOnly,
    /// Reads and changes recipients; the server pages are refused.
    Recipients,
    /// Everything.
    Organization,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleGroup {
    pub name: &'static str,
    pub guid: &'static str,
    pub description: &'static str,
    /// The management roles Exchange 2013 assigns the group, in its order.
    pub roles: &'static [&'static str],
    pub reach: Reach,
}

pub const ORGANIZATION_MANAGEMENT: &str = "Organization Management";
pub const RECIPIENT_MANAGEMENT: &str = "Recipient Management";
pub const VIEW_ONLY_ORGANIZATION_MANAGEMENT: &str = "View-Only Organization Management";

pub const ROLE_GROUPS: &[RoleGroup] = &[
    RoleGroup {
        name: ORGANIZATION_MANAGEMENT,
        guid: "6e5c6b7e-2f0a-4d2c-9d1e-3f0b8a6c1a01",
        description: "Members of this management role group have permissions to manage Exchange objects and their \
                      properties in the Exchange organization. Members can also delegate role groups and management \
                      roles in the organization. This role group shouldn't be deleted.",
        roles: &[
            "Organization Transport Settings",
            "Organization Client Access",
            "Mail Recipients",
            "Mail Recipient Creation",
            "Exchange Servers",
            "Exchange Server Certificates",
            "Audit Logs",
            "Role Management",
            "View-Only Configuration",
            "View-Only Recipients",
        ],
        reach: Reach::Organization,
    },
    RoleGroup {
        name: RECIPIENT_MANAGEMENT,
        guid: "6e5c6b7e-2f0a-4d2c-9d1e-3f0b8a6c1a02",
        description: "Members of this management role group have rights to create, manage, and remove Exchange \
                      recipient objects in the Exchange organization.",
        roles: &["Mail Recipients", "Mail Recipient Creation", "Recipient Policies", "Move Mailboxes"],
        reach: Reach::Recipients,
    },
    RoleGroup {
        name: VIEW_ONLY_ORGANIZATION_MANAGEMENT,
        guid: "6e5c6b7e-2f0a-4d2c-9d1e-3f0b8a6c1a03",
        description: "Members of this management role group can view recipient and configuration objects and their \
                      properties in the Exchange organization.",
        roles: &["View-Only Configuration", "View-Only Recipients"],
        reach: Reach::ViewOnly,
    },
];

/// The group named (case-insensitive).
pub fn role_group(name: &str) -> Option<&'static RoleGroup> {
    ROLE_GROUPS.iter().find(|g| g.name.eq_ignore_ascii_case(name.trim()))
}

fn texts(rows: Vec<Vec<SqlValue>>) -> Vec<String> {
    rows.into_iter()
        .filter_map(|r| match r.into_iter().next() {
            Some(SqlValue::Text(t)) => Some(t),
            _ => None,
        })
        .collect()
}

impl Store {
    /// The group's members, by name.
    pub fn role_group_members(&self, group: &RoleGroup) -> StoreResult<Vec<Mailbox>> {
        let guids = texts(self.any().rows(
            "SELECT m.guid FROM role_group_member g JOIN mailbox m ON m.id = g.mailbox_id \
             WHERE g.role_group = $1 ORDER BY lower(m.name)",
            vec![group.name.to_string().into()],
        )?);
        let mut out = Vec::with_capacity(guids.len());
        for guid in guids {
            if let Some(m) = self.mailbox_by_guid(&guid)? {
                out.push(m);
            }
        }
        Ok(out)
    }

    /// The widest reach of the groups the mailbox belongs to; None if it
    /// belongs to none, is gone, or may not use the admin center
    /// (`Set-CASMailbox -ECPEnabled $false`, which Exchange enforces there).
    pub fn reach_of(&self, mailbox_guid: &str) -> StoreResult<Option<Reach>> {
        let names = texts(self.any().rows(
            "SELECT g.role_group FROM role_group_member g JOIN mailbox m ON m.id = g.mailbox_id \
             WHERE m.guid = $1 AND m.ecp_enabled = $2",
            vec![mailbox_guid.to_string().into(), SqlValue::Integer(1)],
        )?);
        Ok(names.iter().filter_map(|n| role_group(n)).map(|g| g.reach).max())
    }

    /// Whether the mailbox is a member already (read in the transaction,
    /// so a check and the change it decides are one).
    pub fn is_role_group_member(tx: &Tx<'_>, group: &RoleGroup, mailbox_id: i64) -> StoreResult<bool> {
        let found = tx.any().rows(
            "SELECT 1 FROM role_group_member WHERE role_group = $1 AND mailbox_id = $2",
            vec![group.name.to_string().into(), mailbox_id.into()],
        )?;
        Ok(!found.is_empty())
    }

    pub fn add_role_group_member(tx: &Tx<'_>, group: &RoleGroup, mailbox_id: i64) -> StoreResult<()> {
        let sql = match tx.any() {
            Sql::Lite(_) => "INSERT OR IGNORE INTO role_group_member (role_group, mailbox_id) VALUES ($1, $2)",
            Sql::Pg(_) => {
                "INSERT INTO role_group_member (role_group, mailbox_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            }
        };
        tx.any().run(sql, vec![group.name.to_string().into(), mailbox_id.into()])?;
        Ok(())
    }

    pub fn remove_role_group_member(tx: &Tx<'_>, group: &RoleGroup, mailbox_id: i64) -> StoreResult<()> {
        tx.any().run(
            "DELETE FROM role_group_member WHERE role_group = $1 AND mailbox_id = $2",
            vec![group.name.to_string().into(), mailbox_id.into()],
        )?;
        Ok(())
    }
}
