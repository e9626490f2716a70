//! New-, Get-, Set- and Remove-DistributionGroup, Get-, Add- and
//! Remove-DistributionGroupMember: mail-enabled groups of mailboxes and
//! other groups (`store::groups`), expanded by the Transport's categorizer.
//! A group is named as a mailbox is: name, alias, display name, any SMTP
//! address, canonical or distinguished name, `DOMAIN\alias`, GUID.

use super::common::{audit, canonical_name, distinguished_name, insert_new, legacy_dn, object, warn_nothing_changed};
use super::confirm_texts::{
    ADD_DISTRIBUTION_GROUP_MEMBER, NEW_DISTRIBUTION_GROUP, REMOVE_DISTRIBUTION_GROUP, REMOVE_DISTRIBUTION_GROUP_MEMBER,
    SET_DISTRIBUTION_GROUP, fill,
};
use super::identity::{identity_text, store_err};
use super::mailbox::{check_alias, check_smtp};
use crate::format::views::{DISTRIBUTION_GROUP, ROLE_GROUP_MEMBER};
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{ConfirmImpact, Param, ParamType as T, Signature};
use crate::runtime::value::{EnumDef, Value, now_unix};
use crate::store::groups::{DistributionGroup, GroupMember, MemberRef, smtp_addresses};
use crate::store::{Store, StoreError};

/// New-DistributionGroup -Type.
static GROUP_TYPE: EnumDef = EnumDef {
    type_name: "Microsoft.Exchange.Management.RecipientTasks.GroupType",
    members: &["Distribution", "Security"],
};

/// An example's script after two mailboxes to put in groups are made.
macro_rules! with_ann_and_ben {
    ($script:literal) => {
        concat!(
            "$p = ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force; New-Mailbox -Name Ann -Password $p | Out-Null; New-Mailbox -Name Ben -Password $p | Out-Null; ",
            $script
        )
    };
}

pub fn definitions() -> Vec<CmdletDef> {
    let identity = || Param::new("Identity", T::Identity("DistributionGroupIdParameter")).position(0);
    let new = Signature::build("New-DistributionGroup")
        .synopsis("Creates a distribution group: mail to its address goes to every member.")
        .description(
            "Its address is alias@ the default accepted domain unless -PrimarySmtpAddress says otherwise. \
             RequireSenderAuthenticationEnabled is $true: only senders who logged on may send to it until \
             Set-DistributionGroup says otherwise.",
        )
        .should_process(ConfirmImpact::Medium)
        .confirm_message(NEW_DISTRIBUTION_GROUP)
        .writes_store()
        .param(Param::new("Name", T::String).position(0).mandatory().help("The unique name of the group."))
        .param(Param::new("Alias", T::String).help("The alias; defaults to the name without spaces."))
        .param(Param::new("DisplayName", T::String).help("The display name; defaults to Name."))
        .param(Param::new("PrimarySmtpAddress", T::String).help("The primary address; defaults to alias@domain."))
        .param(Param::new("Members", T::Strings).help("Mailboxes or groups to add at once."))
        .param(Param::new("Type", T::Enum(&GROUP_TYPE)).help("Distribution (the default) or Security."))
        .param(Param::new("ManagedBy", T::Strings).help("The mailboxes that own the group."))
        .param(Param::new("Notes", T::String))
        .example("A group of two", with_ann_and_ben!("New-DistributionGroup -Name Sales -Members Ann,Ben"), "");
    let get = Signature::build("Get-DistributionGroup")
        .synopsis("Lists distribution groups, or shows one.")
        .param(identity().pipeline().by_property().help("The group; wildcards (*) are accepted."))
        .example("Every group", "Get-DistributionGroup", "")
        .example(
            "One group, every property",
            "New-DistributionGroup -Name Sales | Out-Null; Get-DistributionGroup Sales | Format-List",
            "",
        );
    let set = Signature::build("Set-DistributionGroup")
        .synopsis("Changes a distribution group's names, addresses, owners or who may send to it.")
        .should_process(ConfirmImpact::Medium)
        .confirm_message(SET_DISTRIBUTION_GROUP)
        .writes_store()
        .param(identity().mandatory().pipeline().by_property())
        .param(Param::new("Name", T::String))
        .param(Param::new("Alias", T::String))
        .param(Param::new("DisplayName", T::String))
        .param(Param::new("PrimarySmtpAddress", T::String))
        .param(Param::new("EmailAddresses", T::Strings).help("Every proxy address; @{Add=...; Remove=...} edits the list."))
        .param(Param::new("ManagedBy", T::Strings))
        .param(
            Param::new("RequireSenderAuthenticationEnabled", T::Bool)
                .help("$false: anyone, even a sender who did not log on, may send to it."),
        )
        .example(
            "Take mail from the Internet",
            "New-DistributionGroup -Name Sales | Out-Null; Set-DistributionGroup Sales -RequireSenderAuthenticationEnabled $false",
            "",
        );
    let remove = Signature::build("Remove-DistributionGroup")
        .synopsis("Removes a distribution group. Asks for confirmation unless -Confirm:$false.")
        .should_process(ConfirmImpact::High)
        .confirm_message(REMOVE_DISTRIBUTION_GROUP)
        .writes_store()
        .param(identity().mandatory().pipeline().by_property())
        .example(
            "Remove without asking",
            "New-DistributionGroup -Name Sales | Out-Null; Remove-DistributionGroup Sales -Confirm:$false",
            "",
        );
    let members = Signature::build("Get-DistributionGroupMember")
        .synopsis("Lists the members of a distribution group.")
        .param(identity().mandatory().pipeline().by_property())
        .example(
            "Who is in Sales",
            with_ann_and_ben!(
                "New-DistributionGroup -Name Sales -Members Ann,Ben | Out-Null; Get-DistributionGroupMember Sales"
            ),
            "",
        );
    let add = member_change(
        "Add-DistributionGroupMember",
        "Adds a mailbox or a group to a distribution group.",
        ConfirmImpact::Medium,
        ADD_DISTRIBUTION_GROUP_MEMBER,
    )
    .example(
        "Ann joins Sales",
        with_ann_and_ben!(
            "New-DistributionGroup -Name Sales | Out-Null; Add-DistributionGroupMember Sales -Member Ann"
        ),
        "",
    );
    let remove_member = member_change(
        "Remove-DistributionGroupMember",
        "Removes a member from a distribution group. Asks for confirmation unless -Confirm:$false.",
        ConfirmImpact::High,
        REMOVE_DISTRIBUTION_GROUP_MEMBER,
    )
    .example(
        "Ben leaves Sales",
        with_ann_and_ben!("New-DistributionGroup -Name Sales -Members Ann,Ben | Out-Null; Remove-DistributionGroupMember Sales -Member Ben -Confirm:$false"),
        "",
    );
    vec![
        CmdletDef::run(new, new_group),
        CmdletDef::run(get, get_group),
        CmdletDef::run(set, set_group),
        CmdletDef::run(remove, remove_group),
        CmdletDef::run(members, get_members),
        CmdletDef::run(add, |a, i, cx, o| change_member(a, i, cx, o, true)),
        CmdletDef::run(remove_member, |a, i, cx, o| change_member(a, i, cx, o, false)),
    ]
}

/// Add- and Remove-DistributionGroupMember declare the same parameters.
fn member_change(
    name: &'static str,
    synopsis: &'static str,
    impact: ConfirmImpact,
    confirm: &'static str,
) -> Signature {
    Signature::build(name)
        .synopsis(synopsis)
        .should_process(impact)
        .confirm_message(confirm)
        .writes_store()
        .param(Param::new("Identity", T::Identity("DistributionGroupIdParameter")).position(0).mandatory())
        .param(
            Param::new("Member", T::Identity("RecipientWithAdUserGroupIdParameter"))
                .mandatory()
                .pipeline()
                .help("A mailbox or a group."),
        )
}

fn group_type(g: &DistributionGroup) -> &'static str {
    if g.security { "Universal, SecurityEnabled" } else { "Universal" }
}

fn recipient_type(security: bool) -> &'static str {
    if security { "MailUniversalSecurityGroup" } else { "MailUniversalDistributionGroup" }
}

/// A group as Get-DistributionGroup shows it, in Exchange's order.
fn group_object(g: &DistributionGroup, domain: &str) -> Value {
    let strings = |v: &[String]| Value::array(v.iter().map(Value::str).collect());
    object(
        DISTRIBUTION_GROUP,
        vec![
            ("GroupType", Value::str(group_type(g))),
            ("SamAccountName", Value::str(g.alias.chars().take(20).collect::<String>())),
            ("ManagedBy", strings(&g.managed_by)),
            ("Alias", Value::str(&g.alias)),
            ("DisplayName", Value::str(&g.display_name)),
            ("EmailAddresses", strings(&g.email_addresses)),
            ("LegacyExchangeDN", Value::str(legacy_dn(&g.alias))),
            ("PrimarySmtpAddress", Value::str(&g.primary_smtp)),
            ("RecipientType", Value::str(recipient_type(g.security))),
            ("RecipientTypeDetails", Value::str(recipient_type(g.security))),
            ("RequireSenderAuthenticationEnabled", Value::Bool(g.require_sender_auth)),
            ("Notes", Value::str(&g.notes)),
            ("Identity", Value::str(canonical_name(domain, &g.name))),
            ("Name", Value::str(&g.name)),
            ("DistinguishedName", Value::str(distinguished_name(domain, &g.name))),
            ("OrganizationalUnit", Value::str(format!("{domain}/Users"))),
            ("Guid", Value::str(&g.guid)),
            ("WhenChanged", Value::date_unix(g.changed)),
            ("WhenCreated", Value::date_unix(g.created)),
        ],
    )
}

/// Whether `key` (no wildcard) names the group, as a recipient identity.
fn names(g: &DistributionGroup, domain: &str, key: &str) -> bool {
    let key = key.trim();
    let bare = key.strip_prefix("SMTP:").or_else(|| key.strip_prefix("smtp:")).unwrap_or(key);
    let alias = key.split_once('\\').map(|(_, a)| a).unwrap_or(key);
    [&g.name, &g.alias, &g.display_name, &g.guid].iter().any(|v| v.eq_ignore_ascii_case(key))
        || g.alias.eq_ignore_ascii_case(alias)
        || smtp_addresses(&g.email_addresses).iter().any(|a| a.eq_ignore_ascii_case(bare))
        || canonical_name(domain, &g.name).eq_ignore_ascii_case(key)
        || distinguished_name(domain, &g.name).eq_ignore_ascii_case(key)
}

/// The groups an identity names (wildcards on name, alias, display name
/// and primary address), or Exchange's "couldn't be found".
fn matching(cx: &mut Session, identity: &Value) -> Result<Vec<DistributionGroup>> {
    let store = cx.store()?;
    let (domain, fqdn) = (store.server().domain.clone(), store.server().fqdn.clone());
    let all = store.distribution_groups().map_err(store_err)?;
    // A piped group carries its GUID.
    let wanted = match identity {
        Value::Object(o) => o.get("Guid").map(|g| g.to_text()).unwrap_or_else(|| identity_text(identity)),
        other => other.to_text(),
    };
    let found: Vec<DistributionGroup> = if wanted.contains('*') {
        all.into_iter()
            .filter(|g| {
                [&g.name, &g.alias, &g.display_name, &g.primary_smtp].iter().any(|v| wildcard_match(&wanted, v, false))
            })
            .collect()
    } else {
        all.into_iter().filter(|g| names(g, &domain, &wanted)).collect()
    };
    if found.is_empty() {
        return Err(ErrorRecord::object_not_found(&identity_text(identity), &fqdn).into());
    }
    Ok(found)
}

/// Exactly one group, for the cmdlets that change one.
fn one_group(cx: &mut Session, identity: &Value) -> Result<DistributionGroup> {
    let mut found = matching(cx, identity)?;
    if found.len() > 1 {
        return Err(ErrorRecord::object_ambiguous(&identity_text(identity)).into());
    }
    Ok(found.remove(0))
}

/// A recipient a group may hold: a mailbox, else a group; with its
/// canonical name.
fn member_named(cx: &mut Session, v: &Value) -> Result<(MemberRef, String)> {
    let text = identity_text(v);
    let store = cx.store()?;
    let domain = store.server().domain.clone();
    let mut mailboxes = store.resolve_mailboxes(&text, 2).map_err(store_err)?;
    match mailboxes.len() {
        1 => {
            let m = mailboxes.remove(0);
            return Ok((MemberRef::Mailbox(m.id), canonical_name(&domain, &m.name)));
        }
        0 => {}
        _ => return Err(ErrorRecord::object_ambiguous(&text).into()),
    }
    let g = one_group(cx, v)?;
    Ok((MemberRef::Group(g.id), canonical_name(&domain, &g.name)))
}

/// `-ManagedBy`: each a mailbox, kept by its canonical name.
fn owners(cx: &mut Session, given: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for o in given {
        let m = super::identity::resolve_mailbox(cx, &Value::str(o))?;
        let domain = cx.store()?.server().domain.clone();
        out.push(canonical_name(&domain, &m.name));
    }
    Ok(out)
}

/// The organization's default accepted domain (new recipients' addresses).
fn default_domain(cx: &mut Session) -> Result<String> {
    let store = cx.store()?;
    let fallback = store.server().domain.clone();
    Ok(store.default_domain_name().map_err(store_err)?.unwrap_or(fallback))
}

fn new_group(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let name = args.string("Name").unwrap_or_default();
    let alias = args.string("Alias").unwrap_or_else(|| {
        name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect()
    });
    check_alias(&alias)?;
    let smtp = match args.string("PrimarySmtpAddress") {
        Some(a) => a,
        None => format!("{alias}@{}", default_domain(cx)?),
    };
    check_smtp("PrimarySmtpAddress", &smtp)?;
    let managed_by = owners(cx, &args.strings("ManagedBy").unwrap_or_default())?;
    // The members are looked up before anything is written: one unknown
    // member and nothing is made.
    let mut members = Vec::new();
    for m in args.strings("Members").unwrap_or_default() {
        let (member, _) = member_named(cx, &Value::str(&m))?;
        if !members.contains(&member) {
            members.push(member);
        }
    }
    let domain = cx.store()?.server().domain.clone();
    let text = fill(NEW_DISTRIBUTION_GROUP, &[("name", name.as_str()), ("ou", &format!("{domain}/Users"))]);
    if !cx.should_process_text(args, &text)? {
        return Ok(());
    }
    let now = now_unix();
    let security = args.get("Type").is_some_and(|t| t.to_text().eq_ignore_ascii_case("Security"));
    let mut g = DistributionGroup {
        id: 0,
        guid: crate::store::new_guid(),
        display_name: args.string("DisplayName").unwrap_or_else(|| name.clone()),
        name: name.clone(),
        alias,
        email_addresses: vec![format!("SMTP:{smtp}")],
        primary_smtp: smtp,
        security,
        require_sender_auth: true,
        managed_by,
        notes: args.string("Notes").unwrap_or_default(),
        created: now,
        changed: now,
    };
    let made = std::cell::Cell::new(0);
    insert_new(cx, args, &canonical_name(&domain, &name), |tx| {
        let id = Store::insert_group(tx, &g)?;
        for m in &members {
            Store::add_group_member(tx, id, *m)?;
        }
        made.set(id);
        Ok(())
    })?;
    g.id = made.get();
    out.emit(cx, group_object(&g, &domain))
}

fn get_group(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let domain = cx.store()?.server().domain.clone();
    let found = match args.get("Identity") {
        Some(id) => matching(cx, id)?,
        None => cx.store()?.distribution_groups().map_err(store_err)?,
    };
    for g in found {
        out.emit(cx, group_object(&g, &domain))?;
    }
    Ok(())
}

/// Set-DistributionGroup's parameters applied to `g`: (property, old, new)
/// for each change; a bad value refuses the whole change.
fn apply(
    args: &Args,
    g: &mut DistributionGroup,
    managed_by: &Option<Vec<String>>,
) -> Result<Vec<(String, String, String)>> {
    let mut changed = Vec::new();
    let mut text = |name: &str, field: &mut String, next: Option<String>| {
        if let Some(v) = next
            && v != *field
        {
            changed.push((name.to_string(), field.clone(), v.clone()));
            *field = v;
        }
    };
    text("Name", &mut g.name, args.string("Name"));
    if let Some(a) = args.string("Alias") {
        check_alias(&a)?;
    }
    text("Alias", &mut g.alias, args.string("Alias"));
    text("DisplayName", &mut g.display_name, args.string("DisplayName"));
    if let Some(given) = args.get("EmailAddresses") {
        let next = super::common::email_addresses(&g.email_addresses, given);
        for a in smtp_addresses(&next) {
            check_smtp("EmailAddresses", &a)?;
        }
        if next != g.email_addresses {
            changed.push(("EmailAddresses".into(), g.email_addresses.join(", "), next.join(", ")));
            if let Some(p) = next.iter().find_map(|a| a.strip_prefix("SMTP:")) {
                g.primary_smtp = p.to_string();
            }
            g.email_addresses = next;
        }
    }
    if let Some(smtp) = args.string("PrimarySmtpAddress") {
        check_smtp("PrimarySmtpAddress", &smtp)?;
        if !smtp.eq_ignore_ascii_case(&g.primary_smtp) {
            changed.push(("PrimarySmtpAddress".into(), g.primary_smtp.clone(), smtp.clone()));
            // The old primary stays as a secondary address.
            let mut list: Vec<String> = g
                .email_addresses
                .iter()
                .map(|a| a.strip_prefix("SMTP:").map(|r| format!("smtp:{r}")).unwrap_or_else(|| a.clone()))
                .filter(|a| !a.split_once(':').is_some_and(|(_, r)| r.eq_ignore_ascii_case(&smtp)))
                .collect();
            list.insert(0, format!("SMTP:{smtp}"));
            g.email_addresses = list;
            g.primary_smtp = smtp;
        }
    }
    if let Some(owners) = managed_by
        && *owners != g.managed_by
    {
        changed.push(("ManagedBy".into(), g.managed_by.join(", "), owners.join(", ")));
        g.managed_by = owners.clone();
    }
    if let Some(b) = args.bool("RequireSenderAuthenticationEnabled")
        && b != g.require_sender_auth
    {
        changed.push(("RequireSenderAuthenticationEnabled".into(), g.require_sender_auth.to_string(), b.to_string()));
        g.require_sender_auth = b;
    }
    if !changed.is_empty() {
        g.changed = now_unix();
    }
    Ok(changed)
}

fn set_group(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let identity = args.get("Identity").cloned().unwrap_or(Value::Null);
    let found = one_group(cx, &identity)?;
    let managed_by = match args.strings("ManagedBy") {
        Some(list) => Some(owners(cx, &list)?),
        None => None,
    };
    let text = fill(SET_DISTRIBUTION_GROUP, &[("target", &identity_text(&identity))]);
    if !cx.should_process_text(args, &text)? {
        return Ok(());
    }
    let domain = cx.store()?.server().domain.clone();
    let shown = canonical_name(&domain, &found.name);
    let user = cx.user.clone();
    // Read, change and write in one transaction: what another shell
    // committed since is kept; a bad value rolls everything back.
    let mut refused = None;
    let outcome = cx.store()?.write(|tx| {
        let Some(mut g) = Store::group_for_update(tx, &found.guid)? else { return Ok(None) };
        let changed = match apply(args, &mut g, &managed_by) {
            Ok(changed) => changed,
            Err(e) => {
                refused = Some(e);
                return Err(StoreError::Conflict(String::new()));
            }
        };
        if changed.is_empty() {
            return Ok(Some(false));
        }
        Store::save_group(tx, &g)?;
        audit(tx, &user, args, &shown, changed)?;
        Ok(Some(true))
    });
    if let Some(e) = refused {
        return Err(e);
    }
    match outcome {
        Ok(Some(true)) => Ok(()),
        Ok(Some(false)) => {
            warn_nothing_changed(cx, &shown);
            Ok(())
        }
        // Removed by another shell meanwhile.
        Ok(None) => {
            let fqdn = cx.store()?.server().fqdn.clone();
            Err(ErrorRecord::object_not_found(&identity_text(&identity), &fqdn).into())
        }
        // A name, alias or address another recipient holds.
        Err(StoreError::Conflict(text)) => Err(ErrorRecord::task(text, "ADObjectAlreadyExistsException").into()),
        Err(e) => Err(store_err(e).into()),
    }
}

fn remove_group(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let identity = args.get("Identity").cloned().unwrap_or(Value::Null);
    let found = one_group(cx, &identity)?;
    let text = fill(REMOVE_DISTRIBUTION_GROUP, &[("target", &identity_text(&identity))]);
    if !cx.should_process_text(args, &text)? {
        return Ok(());
    }
    let domain = cx.store()?.server().domain.clone();
    let (user, shown) = (cx.user.clone(), canonical_name(&domain, &found.name));
    cx.store()?
        .write(|tx| {
            Store::delete_group(tx, found.id)?;
            audit(tx, &user, args, &shown, vec![])
        })
        .map_err(store_err)?;
    Ok(())
}

fn member_object(m: &GroupMember) -> Value {
    object(
        ROLE_GROUP_MEMBER,
        vec![
            ("Name", Value::str(&m.name)),
            ("RecipientType", Value::str(m.group.map_or("UserMailbox", recipient_type))),
            ("Alias", Value::str(&m.alias)),
            ("PrimarySmtpAddress", Value::str(&m.primary_smtp)),
            ("Guid", Value::str(&m.guid)),
        ],
    )
}

fn get_members(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let identity = args.get("Identity").cloned().unwrap_or(Value::Null);
    for g in matching(cx, &identity)? {
        for m in cx.store()?.group_members(g.id).map_err(store_err)? {
            out.emit(cx, member_object(&m))?;
        }
    }
    Ok(())
}

fn change_member(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output, add: bool) -> Result<()> {
    let identity = args.get("Identity").cloned().unwrap_or(Value::Null);
    let group = one_group(cx, &identity)?;
    let member_value = args.get("Member").cloned().unwrap_or(Value::Null);
    let (member, recipient) = member_named(cx, &member_value)?;
    let domain = cx.store()?.server().domain.clone();
    let group_id = canonical_name(&domain, &group.name);
    let text = fill(
        if add { ADD_DISTRIBUTION_GROUP_MEMBER } else { REMOVE_DISTRIBUTION_GROUP_MEMBER },
        &[("target", identity_text(&identity).as_str()), ("member", identity_text(&member_value).as_str())],
    );
    if !cx.should_process_text(args, &text)? {
        return Ok(());
    }
    let user = cx.user.clone();
    let written = cx.store()?.write(|tx| {
        if Store::is_group_member(tx, group.id, member)? == add {
            return Ok(false);
        }
        if add {
            Store::add_group_member(tx, group.id, member)?;
        } else {
            Store::remove_group_member(tx, group.id, member)?;
        }
        audit(tx, &user, args, &group_id, vec![])?;
        Ok(true)
    });
    let (text, id) = match written.map_err(store_err)? {
        true => return Ok(()),
        false if add => (
            format!("The recipient \"{recipient}\" is already a member of the group \"{group_id}\"."),
            "MemberAlreadyExistsException",
        ),
        false => (
            format!("The recipient \"{recipient}\" isn't a member of the group \"{group_id}\"."),
            "MemberNotFoundException",
        ),
    };
    Err(ErrorRecord::new(text, Category::InvalidArgument, id, id).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sales() -> DistributionGroup {
        DistributionGroup {
            name: "Sales Team".into(),
            alias: "sales".into(),
            display_name: "Sales".into(),
            primary_smtp: "sales@contoso.com".into(),
            email_addresses: vec!["SMTP:sales@contoso.com".into(), "smtp:team@contoso.com".into()],
            guid: "0a1b".into(),
            ..DistributionGroup::default()
        }
    }

    #[test]
    fn a_group_is_named_as_a_recipient_is() {
        let g = sales();
        for key in [
            "Sales Team",
            "sales",
            "SALES",
            "team@contoso.com",
            "smtp:sales@contoso.com",
            "contoso.com/Users/Sales Team",
            "CN=Sales Team,CN=Users,DC=contoso,DC=com",
            "CONTOSO\\sales",
            "0a1b",
        ] {
            assert!(names(&g, "contoso.com", key), "{key}");
        }
        assert!(!names(&g, "contoso.com", "sales@fabrikam.com"));
    }

    #[test]
    fn group_types_are_exchanges() {
        let mut g = sales();
        assert_eq!((group_type(&g), recipient_type(g.security)), ("Universal", "MailUniversalDistributionGroup"));
        g.security = true;
        assert_eq!(
            (group_type(&g), recipient_type(g.security)),
            ("Universal, SecurityEnabled", "MailUniversalSecurityGroup")
        );
    }
}
