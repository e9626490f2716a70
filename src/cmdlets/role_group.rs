//! Get-RoleGroup, Get-RoleGroupMember, Add-RoleGroupMember and
//! Remove-RoleGroupMember: Exchange's built-in role groups that decide who
//! may sign in to the Exchange admin center and what they may do there
//! (`store::role_groups`). Members are mailboxes.

use super::common::{canonical_name, object};
use super::confirm_texts::{ADD_ROLE_GROUP_MEMBER, REMOVE_ROLE_GROUP_MEMBER, fill};
use super::identity::{identity_text, resolve_mailbox, store_err};
use crate::format::views::{ROLE_GROUP, ROLE_GROUP_MEMBER};
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{ConfirmImpact, Param, ParamType as T, Signature};
use crate::runtime::value::Value;
use crate::store::role_groups::{ROLE_GROUPS, RoleGroup};
use crate::store::{Mailbox, Store};

/// Where Exchange keeps its role groups, as its messages name them.
const GROUPS_OU: &str = "Microsoft Exchange Security Groups";

pub fn definitions() -> Vec<CmdletDef> {
    let identity = || Param::new("Identity", T::Identity("RoleGroupIdParameter")).position(0);
    let get = Signature::build("Get-RoleGroup")
        .synopsis("Shows the management role groups: who may use the Exchange admin center, and for what.")
        .description(
            "Organization Management may do everything; Recipient Management manages recipients (the server \
             pages of the Exchange admin center are refused); View-Only Organization Management reads only.",
        )
        .param(identity().pipeline().by_property().help("The role group's name; wildcards accepted."))
        .example("The role groups", "Get-RoleGroup", "")
        .example(
            "What Recipient Management is assigned",
            "Get-RoleGroup \"Recipient Management\" | Format-List Name,AssignedRoles",
            "",
        );
    let get_members = Signature::build("Get-RoleGroupMember")
        .synopsis("Lists the members of a management role group.")
        .param(identity().mandatory().pipeline().by_property())
        .example("Who may manage the organization", "Get-RoleGroupMember \"Organization Management\"", "");
    let add = member_change(
        "Add-RoleGroupMember",
        "Adds a mailbox to a management role group.",
        "The member's next request to the Exchange admin center has the group's permissions.",
        ConfirmImpact::Medium,
        ADD_ROLE_GROUP_MEMBER,
        "The mailbox to add.",
    )
    .example(
        "Let David manage recipients",
        "New-Mailbox -Name David -Alias david -Password (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force) | Out-Null; Add-RoleGroupMember \"Recipient Management\" -Member David",
        "",
    );
    let remove = member_change(
        "Remove-RoleGroupMember",
        "Removes a mailbox from a management role group.",
        "The Exchange admin center refuses the member's next request if no other group lets it in.",
        ConfirmImpact::High,
        REMOVE_ROLE_GROUP_MEMBER,
        "The mailbox to remove.",
    )
    .example(
        "David no longer manages recipients",
        "New-Mailbox -Name David -Alias david -Password (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force) | Out-Null; Add-RoleGroupMember \"Recipient Management\" -Member David; Remove-RoleGroupMember \"Recipient Management\" -Member David -Confirm:$false",
        "",
    );
    vec![
        CmdletDef::run(get, get_role_group),
        CmdletDef::run(get_members, get_role_group_member),
        CmdletDef::run(add, |a, i, cx, o| change_member(a, i, cx, o, true)),
        CmdletDef::run(remove, |a, i, cx, o| change_member(a, i, cx, o, false)),
    ]
}

/// Add- and Remove-RoleGroupMember declare the same parameters.
fn member_change(
    name: &'static str,
    synopsis: &'static str,
    description: &'static str,
    impact: ConfirmImpact,
    confirm: &'static str,
    member_help: &'static str,
) -> Signature {
    Signature::build(name)
        .synopsis(synopsis)
        .description(description)
        .should_process(impact)
        .confirm_message(confirm)
        .writes_store()
        .param(Param::new("Identity", T::Identity("RoleGroupIdParameter")).position(0).mandatory())
        .param(
            Param::new("Member", T::Identity("SecurityPrincipalIdParameter")).mandatory().pipeline().help(member_help),
        )
        .param(Param::new("BypassSecurityGroupManagerCheck", T::Switch))
}

fn group_identity(domain: &str, g: &RoleGroup) -> String {
    format!("{domain}/{GROUPS_OU}/{}", g.name)
}

fn role_group_object(domain: &str, g: &RoleGroup, members: &[Mailbox]) -> Value {
    let names = |list: &[&str]| Value::array(list.iter().map(|s| Value::str(*s)).collect());
    let assignments: Vec<String> = g.roles.iter().map(|r| format!("{r}-{}", g.name)).collect();
    object(
        ROLE_GROUP,
        vec![
            ("Name", Value::str(g.name)),
            ("AssignedRoles", names(g.roles)),
            ("RoleAssignments", Value::array(assignments.into_iter().map(Value::str).collect())),
            ("ManagedBy", Value::array(vec![])),
            ("Members", Value::array(members.iter().map(|m| Value::str(m.name.clone())).collect())),
            ("Description", Value::str(g.description)),
            ("RoleGroupType", Value::str("Standard")),
            ("Identity", Value::str(group_identity(domain, g))),
            ("Guid", Value::str(g.guid)),
        ],
    )
}

/// The groups named (wildcards allowed), or Exchange's "couldn't be found".
fn groups(cx: &mut Session, args: &Args) -> Result<Vec<&'static RoleGroup>> {
    let Some(v) = args.get("Identity") else { return Ok(ROLE_GROUPS.iter().collect()) };
    let wanted = match v {
        Value::Object(o) => o.get("Name").map(|n| n.to_text()).unwrap_or_default(),
        other => other.to_text(),
    };
    let bare = wanted.rsplit(['/', '\\']).next().unwrap_or(&wanted).trim().to_string();
    let found: Vec<&RoleGroup> = ROLE_GROUPS.iter().filter(|g| wildcard_match(&bare, g.name, false)).collect();
    if found.is_empty() {
        let fqdn = cx.store()?.server().fqdn.clone();
        return Err(ErrorRecord::object_not_found(&wanted, &fqdn).into());
    }
    Ok(found)
}

fn get_role_group(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    for g in groups(cx, args)? {
        let store = cx.store()?;
        let domain = store.server().domain.clone();
        let members = store.role_group_members(g).map_err(store_err)?;
        out.emit(cx, role_group_object(&domain, g, &members))?;
    }
    Ok(())
}

fn get_role_group_member(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    for g in groups(cx, args)? {
        let members = cx.store()?.role_group_members(g).map_err(store_err)?;
        for m in members {
            out.emit(
                cx,
                object(
                    ROLE_GROUP_MEMBER,
                    vec![
                        ("Name", Value::str(m.name.clone())),
                        ("RecipientType", Value::str("UserMailbox")),
                        ("Alias", Value::str(m.alias.clone())),
                        ("PrimarySmtpAddress", Value::str(m.primary_smtp.clone())),
                        ("Guid", Value::str(m.guid.clone())),
                    ],
                ),
            )?;
        }
    }
    Ok(())
}

fn change_member(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output, add: bool) -> Result<()> {
    let found = groups(cx, args)?;
    let [group] = found.as_slice() else {
        let wanted = args.get("Identity").map(|v| v.to_text()).unwrap_or_default();
        return Err(ErrorRecord::object_ambiguous(&wanted).into());
    };
    let member = args.get("Member").cloned().unwrap_or(Value::Null);
    let mailbox = resolve_mailbox(cx, &member)?;
    let domain = cx.store()?.server().domain.clone();
    let recipient = canonical_name(&domain, &mailbox.name);
    let group_id = group_identity(&domain, group);
    // Exchange names the group and the member as they were given.
    let typed_group = args.get("Identity").map(identity_text).unwrap_or_default();
    let text = fill(
        if add { ADD_ROLE_GROUP_MEMBER } else { REMOVE_ROLE_GROUP_MEMBER },
        &[("target", typed_group.as_str()), ("member", identity_text(&member).as_str())],
    );
    if !cx.should_process_text(args, &text)? {
        return Ok(());
    }
    let user = cx.user.clone();
    let written = cx.store()?.write(|tx| {
        let is_member = Store::is_role_group_member(tx, group, mailbox.id)?;
        if is_member == add {
            return Ok(false);
        }
        if add {
            Store::add_role_group_member(tx, group, mailbox.id)?;
        } else {
            Store::remove_role_group_member(tx, group, mailbox.id)?;
        }
        super::common::audit(tx, &user, args, group.name, vec![])?;
        Ok(true)
    });
    match written {
        Ok(true) => Ok(()),
        Ok(false) if add => Err(ErrorRecord::new(
            format!("The recipient \"{recipient}\" is already a member of the group \"{group_id}\"."),
            Category::InvalidArgument,
            "MemberAlreadyExistsException",
            "MemberAlreadyExistsException",
        )
        .into()),
        Ok(false) => Err(ErrorRecord::new(
            format!("The recipient \"{recipient}\" isn't a member of the group \"{group_id}\"."),
            Category::InvalidArgument,
            "MemberNotFoundException",
            "MemberNotFoundException",
        )
        .into()),
        Err(e) => Err(store_err(e).into()),
    }
}
