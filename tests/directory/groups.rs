//! Distribution groups on both backends: the cmdlets, their refusals, and
//! what the Transport's categorizer reads (a group found by any of its
//! addresses, expanded to its members' mailboxes, nested groups and loops
//! included).

use super::{Dir, NEW_JOHN};
use mailsh::store::Store;
use mailsh::store::groups::{Expanded, Expansion};
use mailsh::store::transport::Recipient;

const NEW_ANN_AND_CAROL: &str = "$p = ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force
    New-Mailbox -Name Ann -Alias ann -Password $p | Out-Null
    New-Mailbox -Name Carol -Alias carol -Password $p | Out-Null";

fn open(d: &Dir) -> Store {
    if d.store.starts_with("postgresql://") {
        Store::open_organization(&d.store, None).unwrap()
    } else {
        Store::open_existing(std::path::Path::new(&d.store)).unwrap()
    }
}

fn groups_walk(d: &Dir) {
    d.ok(NEW_JOHN);
    d.ok(NEW_ANN_AND_CAROL);
    d.ok("New-DistributionGroup -Name Sales -Members jsmith,ann | Out-Null
          New-DistributionGroup -Name 'Sales East' -Alias east -Type Security -Members carol,ann | Out-Null
          Add-DistributionGroupMember Sales -Member east
          Add-DistributionGroupMember east -Member Sales
          Set-DistributionGroup Sales -EmailAddresses @{Add='team@contoso.com'}");
    assert_eq!(
        d.ok("Get-DistributionGroup | Format-Table -AutoSize"),
        "\nName       DisplayName GroupType                  PrimarySmtpAddress\n\
         ----       ----------- ---------                  ------------------\n\
         Sales      Sales       Universal                  Sales@contoso.com\n\
         Sales East Sales East  Universal, SecurityEnabled east@contoso.com\n\n"
    );
    assert_eq!(
        d.ok("Get-DistributionGroupMember team@contoso.com | ForEach-Object { $_.Name + ' ' + $_.RecipientType }"),
        "Ann UserMailbox\nJohn Smith UserMailbox\nSales East MailUniversalSecurityGroup\n"
    );
    assert_eq!(
        d.ok("$g = Get-DistributionGroup 'contoso.com/Users/Sales'; \"$($g.RecipientType) $($g.RequireSenderAuthenticationEnabled) $($g.EmailAddresses -join ',')\""),
        "MailUniversalDistributionGroup True SMTP:Sales@contoso.com,smtp:team@contoso.com\n"
    );
    // The refusals, in Exchange's words; nothing changed by any of them.
    let first_line = |text: &str| d.run(text).stderr.lines().next().unwrap_or_default().to_string();
    assert_eq!(
        first_line("Add-DistributionGroupMember Sales -Member ann"),
        "Add-DistributionGroupMember : The recipient \"contoso.com/Users/Ann\" is already a member of the group \"contoso.com/Users/Sales\"."
    );
    assert_eq!(
        first_line("Remove-DistributionGroupMember Sales -Member carol -Confirm:$false"),
        "Remove-DistributionGroupMember : The recipient \"contoso.com/Users/Carol\" isn't a member of the group \"contoso.com/Users/Sales\"."
    );
    assert_eq!(
        first_line("Get-DistributionGroupMember Marketing"),
        "Get-DistributionGroupMember : The operation couldn't be performed because object 'Marketing' couldn't be found on 'cas01.contoso.com'."
    );
    assert_eq!(
        first_line("New-DistributionGroup -Name Support -PrimarySmtpAddress ann@contoso.com"),
        "New-DistributionGroup : The proxy address \"SMTP:ann@contoso.com\" is already being used by the proxy addresses or LegacyExchangeDN. Please choose another proxy address."
    );
    assert_eq!(
        first_line(
            "New-Mailbox -Name Team -Alias team2 -PrimarySmtpAddress team@contoso.com -Password (ConvertTo-SecureString 'P@ssw0rd1' -AsPlainText -Force)"
        ),
        "New-Mailbox : The proxy address \"SMTP:team@contoso.com\" is already being used by the proxy addresses or LegacyExchangeDN. Please choose another proxy address."
    );
    assert_eq!(
        first_line("Set-DistributionGroup east -Name Sales"),
        "Set-DistributionGroup : The name \"Sales\" is already being used. Please try another name."
    );
    assert_eq!(d.ok("(Get-DistributionGroup).Count; (Get-DistributionGroup east).Name"), "2\nSales East\n");

    // The categorizer's view: the group by a proxy address, expanded once
    // each (Ann is in both groups; East and Sales hold each other).
    let store = open(d);
    let Recipient::Group(sales) = store.resolve_recipient("TEAM@contoso.com").unwrap() else { panic!("a group") };
    assert_eq!((sales.primary_smtp.as_str(), sales.require_sender_auth), ("Sales@contoso.com", true));
    assert_eq!(
        store.expand_group(sales.id).unwrap(),
        Expansion {
            mailboxes: vec!["ann@contoso.com".into(), "jsmith@contoso.com".into(), "carol@contoso.com".into()],
            groups: vec![
                Expanded {
                    group: "Sales@contoso.com".into(),
                    members: vec!["ann@contoso.com".into(), "jsmith@contoso.com".into(), "east@contoso.com".into()],
                },
                Expanded { group: "east@contoso.com".into(), members: vec!["carol@contoso.com".into()] },
            ],
        }
    );
    // A removed mailbox leaves every group; a removed group too.
    d.ok("Remove-Mailbox ann -Confirm:$false; Remove-DistributionGroup east -Confirm:$false");
    assert_eq!(d.ok("(Get-DistributionGroupMember Sales).Name"), "John Smith\n");
    let audit = d.ok("(Search-AdminAuditLog | Where-Object CmdletName -like '*Distribution*').Count");
    // Two New-, two Add-, one Set-, one Remove-: the refusals recorded nothing.
    assert_eq!(audit, "6\n");
}

#[test]
fn distribution_groups_on_sqlite() {
    groups_walk(&Dir::sqlite());
}

#[test]
fn distribution_groups_on_postgresql() {
    groups_walk(&Dir::postgres());
}
