//! What Exchange's cmdlets say under -WhatIf and -Confirm (`{target}` is
//! the object, as the cmdlet names it), in one place so a text checked
//! against a real Exchange 2013 can be corrected here alone. Removing a
//! mailbox and creating an accepted domain are Exchange's texts (the
//! latter from Exchange 2013's help on the WhatIf switch); the others
//! follow Exchange's pattern ("Setting <object> "<identity>".") and are
//! unconfirmed.

pub const NEW_MAILBOX: &str = "Creating mailbox \"{target}\".";
pub const SET_MAILBOX: &str = "Setting mailbox \"{target}\".";
pub const REMOVE_MAILBOX: &str = "Removing mailbox \"{target}\" will remove the Active Directory user object and mark the mailbox in the database for removal.";
pub const SET_CAS_MAILBOX: &str = "Setting CAS mailbox \"{target}\".";
pub const SET_IMAP_SETTINGS: &str = "Setting IMAP4 settings \"{target}\".";
pub const SET_POP_SETTINGS: &str = "Setting POP3 settings \"{target}\".";
pub const SET_OWA_VIRTUAL_DIRECTORY: &str = "Setting Outlook Web App virtual directory \"{target}\".";
pub const ADD_ROLE_GROUP_MEMBER: &str = "Adding member to role group \"{target}\".";
pub const REMOVE_ROLE_GROUP_MEMBER: &str = "Removing member from role group \"{target}\".";
pub const SET_ECP_VIRTUAL_DIRECTORY: &str = "Setting ECP virtual directory \"{target}\".";
/// `{domain}` is the domain name.
pub const NEW_ACCEPTED_DOMAIN: &str = "Creating Accepted Domain \"{target}\" with domain name \"{domain}\".";
pub const SET_ACCEPTED_DOMAIN: &str = "Setting accepted domain \"{target}\".";
pub const NEW_RECEIVE_CONNECTOR: &str = "Creating receive connector \"{target}\".";
pub const SET_RECEIVE_CONNECTOR: &str = "Setting receive connector \"{target}\".";
pub const REMOVE_RECEIVE_CONNECTOR: &str = "Removing receive connector \"{target}\".";
pub const SET_TRANSPORT_CONFIG: &str = "Setting transport configuration \"{target}\".";
