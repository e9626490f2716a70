//! What Exchange's cmdlets say under -WhatIf ("What if: <text>") and
//! -Confirm (the text under "Are you sure you want to perform this
//! action?"), in one place.
//!
//! Every text here is Exchange 2013's own: the neutral-language resource
//! `Microsoft.Exchange.Management.Tasks.Strings` of Exchange 2013 CU23
//! (build 15.00.1497), as published decompiled in
//! <https://github.com/PiratesRE/exchange_diff> (commit 1d7d834, security
//! update KB5000871) at
//! `Microsoft.Exchange.Management/Exchange/Management/Tasks/Strings.resources`,
//! and identically in <https://github.com/evilashz/exchange-server-27065>
//! (commit 91e42d9, KB4593466). Each constant names its resource and the
//! cmdlet class whose `ConfirmationMessage` returns it. New-AcceptedDomain's
//! text is also printed in Exchange 2013's help on the WhatIf switch
//! (<https://technet.microsoft.com/en-us/library/bb124088(v=exchg.150)>).
//!
//! The placeholders are what Exchange formats in: `{target}` is
//! `this.Identity.ToString()`, which is the identity as typed (or, piped,
//! the object's Identity); a server-based identity (virtual directory,
//! receive connector) typed without a server gets the local server's FQDN
//! in front (`ServerBasedIdParameter`). The cmdlets render them so.
//!
//! The queue cmdlets' texts are `Microsoft.Exchange.Management.QueueViewerStrings`
//! of the same build and repository
//! (`Microsoft.Exchange.Management/Exchange/Management/QueueViewerStrings.resources`):
//! each names its resource; with -Filter the cmdlet asks once, with the
//! filter as typed.
//!
//! Unconfirmed: the distribution group cmdlets' texts (NEW_, SET_ and
//! REMOVE_DISTRIBUTION_GROUP, ADD_ and REMOVE_DISTRIBUTION_GROUP_MEMBER):
//! their resource names and placeholders are Exchange's (the cmdlet
//! classes in the same repositories), the wording is not checked against
//! the resource file yet.

/// `ConfirmationMessageNewMailboxUser` (NewMailboxBase): the user
/// parameter set. `{name}` is -Name, `{upn}` the user principal name,
/// `{ou}` the organizational unit's canonical name (`contoso.com/Users`).
pub const NEW_MAILBOX: &str =
    "Creating mailbox \"{name}\" with User Principal Name \"{upn}\" in organizational unit \"{ou}\".";
/// `ConfirmationMessageSetMailbox` (SetMailboxBase).
pub const SET_MAILBOX: &str = "Setting mailbox \"{target}\".";
/// `ConfirmationMessageRemoveMailboxIdentity` (RemoveMailboxBase): without
/// -Permanent.
pub const REMOVE_MAILBOX: &str = "Removing mailbox \"{target}\" will remove the Active Directory user object and mark the mailbox and the archive (if present) in the database for removal.";
/// `ConfirmationMessageRemoveMailboxPermanent` (RemoveMailboxBase): with
/// -Permanent $true.
pub const REMOVE_MAILBOX_PERMANENT: &str = "Removing the mailbox \"{target}\" will remove the Active Directory user object and mark the mailbox in the database for removal.";
/// `ConfirmationMessageSetCASMailbox` (SetCASMailboxBase).
pub const SET_CAS_MAILBOX: &str = "Setting Client Access server mailbox \"{target}\".";
/// `ConfirmationMessageSetImap4Config` (SetImap4Configuration): no target.
pub const SET_IMAP_SETTINGS: &str = "Setting IMAP setting.";
/// `ConfirmationMessageSetPop3Config` (SetPop3Configuration): no target.
pub const SET_POP_SETTINGS: &str = "Setting POP setting.";
/// `ConfirmationMessageSetOwaVirtualDirectory` (SetOwaVirtualDirectory).
pub const SET_OWA_VIRTUAL_DIRECTORY: &str = "Setting Outlook Web App virtual directory \"{target}\".";
/// `ConfirmationMessageSetEcpVirtualDirectory` (SetEcpVirtualDirectory).
pub const SET_ECP_VIRTUAL_DIRECTORY: &str = "Setting ECP virtual directory \"{target}\".";
/// `ConfirmationMessageAddRoleGroupMember` (AddRoleGroupMember): `{target}`
/// is the role group, `{member}` the member, both as typed.
pub const ADD_ROLE_GROUP_MEMBER: &str = "Adding the member \"{member}\" on the role group \"{target}\".";
/// `ConfirmationMessageRemoveRoleGroupMember` (RemoveRoleGroupMember).
pub const REMOVE_ROLE_GROUP_MEMBER: &str = "Removing the member \"{member}\" from the role group \"{target}\".";
/// `ConfirmationMessageNewDistributionGroup` (NewDistributionGroupBase):
/// `{name}` is -Name, `{ou}` the container's canonical name. Unconfirmed.
pub const NEW_DISTRIBUTION_GROUP: &str = "Creating distribution group \"{name}\" in organizational unit \"{ou}\".";
/// `ConfirmationMessageSetDistributionGroup`. Unconfirmed.
pub const SET_DISTRIBUTION_GROUP: &str = "Setting distribution group \"{target}\".";
/// `ConfirmationMessageRemoveDistributionGroup` (RemoveDistributionGroupBase). Unconfirmed.
pub const REMOVE_DISTRIBUTION_GROUP: &str = "Removing distribution group \"{target}\".";
/// `ConfirmationMessageAddDistributionGroupMember`: `{member}` is -Member. Unconfirmed.
pub const ADD_DISTRIBUTION_GROUP_MEMBER: &str = "Adding member \"{member}\" to distribution group \"{target}\".";
/// `ConfirmationMessageRemoveDistributionGroupMember`. Unconfirmed.
pub const REMOVE_DISTRIBUTION_GROUP_MEMBER: &str = "Removing member \"{member}\" from distribution group \"{target}\".";
/// `ConfirmationMessageNewAcceptedDomain` (NewAcceptedDomain): `{target}`
/// is -Name, `{domain}` the domain name.
pub const NEW_ACCEPTED_DOMAIN: &str = "Creating Accepted Domain \"{target}\" with domain name \"{domain}\".";
/// `ConfirmationMessageSetAcceptedDomain` (SetAcceptedDomain).
pub const SET_ACCEPTED_DOMAIN: &str = "Configuring accepted domain \"{target}\".";
/// `ConfirmationMessageNewReceiveConnector` (NewReceiveConnector):
/// `{target}` is -Name; `{bindings}` and `{ranges}` are the new
/// connector's Bindings and RemoteIPRanges as Exchange's
/// `FormatMultiValuedProperty` writes a list: `'a', 'b'`.
pub const NEW_RECEIVE_CONNECTOR: &str =
    "Creating Receive connector \"{target}\" with bindings \"{bindings}\", remote IP ranges \"{ranges}\".";
/// `ConfirmationMessageNewSendConnectorAddressSpaces` (NewSendConnector):
/// `{target}` is -Name; `{spaces}` the address spaces as
/// `FormatMultiValuedProperty` writes them (`'SMTP:*;1'`).
pub const NEW_SEND_CONNECTOR: &str = "Creating Send Connector \"{target}\", Address Spaces \"{spaces}\".";
/// `ConfirmationMessageSetSendConnector` (SetSendConnector).
pub const SET_SEND_CONNECTOR: &str = "Configuring Send connector \"{target}\".";
/// `ConfirmationMessageRemoveSendConnector` (RemoveSendConnector).
pub const REMOVE_SEND_CONNECTOR: &str = "Removing Send connector \"{target}\".";
/// `ConfirmationMessageSetReceiveConnector` (SetReceiveConnector).
pub const SET_RECEIVE_CONNECTOR: &str = "Configuring Receive connector \"{target}\".";
/// `ConfirmationMessageRemoveReceiveConnector` (RemoveReceiveConnector).
pub const REMOVE_RECEIVE_CONNECTOR: &str = "Removing Receive connector \"{target}\".";
/// `ConfirmationMessageSetTransportConfig` (SetTransportConfig): no target.
pub const SET_TRANSPORT_CONFIG: &str = "Setting Transport configuration.";

/// `ConfirmationMessageSetTransportServer` (SetTransportService).
pub const SET_TRANSPORT_SERVICE: &str = "Setting Transport server \"{target}\".";
/// `ConfirmationMessageSuspendQueueIdentity` (SuspendQueue).
pub const SUSPEND_QUEUE: &str = "Suspending the queue \"{target}\".";
/// `ConfirmationMessageResumeQueueIdentity` (ResumeQueue).
pub const RESUME_QUEUE: &str = "Resuming the queue \"{target}\".";
/// `ConfirmationMessageRetryQueueIdentity` (RetryQueue).
pub const RETRY_QUEUE: &str = "Retrying the queue \"{target}\".";
/// `ConfirmationMessageSuspendMessageIdentity` (FreezeMessage, Suspend-Message).
pub const SUSPEND_MESSAGE: &str = "Suspending the message \"{target}\".";
/// `ConfirmationMessageSuspendMessageFilter`: `{target}` is the filter.
pub const SUSPEND_MESSAGES_FILTER: &str = "Suspending the messages that match filter \"{target}\".";
/// `ConfirmationMessageResumeMessageIdentity` (Resume-Message).
pub const RESUME_MESSAGE: &str = "Resuming the message \"{target}\".";
/// `ConfirmationMessageResumeMessageFilter`.
pub const RESUME_MESSAGES_FILTER: &str = "Resuming the messages that match filter \"{target}\".";
/// `ConfirmationMessageRemoveMessageIdentity` (Remove-Message).
pub const REMOVE_MESSAGE: &str = "Removing the message \"{target}\".";
/// `ConfirmationMessageRemoveMessageFilter`.
pub const REMOVE_MESSAGES_FILTER: &str = "Removing the messages that match filter \"{target}\".";

/// A text with its placeholders filled in (`("member", "David")` fills
/// `{member}`).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_string(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// A list as Exchange's `MultiValuedPropertyBase.FormatMultiValuedProperty`
/// writes it into a text: each value in single quotes, `, ` between.
pub fn list(values: &[String]) -> String {
    values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ")
}

/// `ConfirmationMessageNewMailboxDatabase` (NewMailboxDatabase).
pub const NEW_MAILBOX_DATABASE: &str = "Creating mailbox database \"{target}\".";
/// `ConfirmationMessageRemoveMailboxDatabase` (RemoveMailboxDatabase).
pub const REMOVE_MAILBOX_DATABASE: &str = "Removing mailbox database \"{target}\".";
/// `ConfirmationMessageMountDatabase` (MountDatabase).
pub const MOUNT_DATABASE: &str = "Mounting database \"{target}\".";
/// `ConfirmationMessageDismountDatabase` (DismountDatabase).
pub const DISMOUNT_DATABASE: &str =
    "Dismounting database \"{target}\". This may result in reduced availability for mailboxes in the database.";

/// `ConfirmationMessageNewMoveRequest` (NewMoveRequest).
pub const NEW_MOVE_REQUEST: &str = "Creating move request \"{target}\".";
/// `ConfirmationMessageRemoveMoveRequest` (RemoveMoveRequest).
pub const REMOVE_MOVE_REQUEST: &str = "Removing completed move request \"{target}\".";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_and_lists_are_quoted_as_exchange_writes_them() {
        let bindings = list(&["0.0.0.0:2025".to_string(), "[::]:2025".to_string()]);
        assert_eq!(bindings, "'0.0.0.0:2025', '[::]:2025'");
        assert_eq!(
            fill(NEW_RECEIVE_CONNECTOR, &[("target", "Relay"), ("bindings", &bindings), ("ranges", "'10.0.0.1'")]),
            "Creating Receive connector \"Relay\" with bindings \"'0.0.0.0:2025', '[::]:2025'\", remote IP ranges \"'10.0.0.1'\"."
        );
        assert_eq!(list(&[]), "");
    }
}
