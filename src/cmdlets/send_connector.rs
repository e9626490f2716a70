//! New-, Get-, Set- and Remove-SendConnector: how the Transport service
//! carries mail to domains outside the organization. mailsh sends through
//! smart hosts; routing by DNS (MX records) is refused by name.

use super::common::{audit, change_in_one_write, insert_new, object};
use super::confirm_texts::{NEW_SEND_CONNECTOR, fill, list};
use super::identity::store_err;
use super::mailbox::quota_arg;
use crate::format::views::SEND_CONNECTOR;
use crate::runtime::command::{Args, CmdletDef, Output};
use crate::runtime::errors::{Category, ErrorRecord, Result};
use crate::runtime::ops::wildcard_match;
use crate::runtime::session::Session;
use crate::runtime::signature::{ConfirmImpact, Param, ParamType as T, Signature};
use crate::runtime::types::exchange::{EnumValue, PROTOCOL_LOGGING_LEVEL};
use crate::runtime::value::{Value, now_unix};
use crate::store::send_connectors::{AddressSpace, DEFAULT_MAX_MESSAGE_SIZE, SendConnector, shown_host};
use crate::store::{ProtocolLoggingLevel, Store, StoreError, Tx};

/// SmartHostAuthMechanism's members (Exchange's AuthMechanisms of a send
/// connector); mailsh logs on with BasicAuth (and BasicAuthRequireTLS) or
/// not at all.
const SMART_HOST_AUTH: &[&str] =
    &["None", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer", "ExternalAuthoritative"];
const USAGES: &[&str] = &["Custom", "Internal", "Internet", "Partner"];

/// Parameters that Set- and New- share.
fn settings(sig: Signature) -> Signature {
    sig.param(
        Param::new("SmartHosts", T::Strings)
            .help("Host names or IP addresses that take the mail, tried in order (DNSRoutingEnabled $false)."),
    )
    .param(Param::new("Port", T::Int { min: 0, max: 65535 }).help("The smart hosts' SMTP port (25)."))
    .param(
        Param::new("DNSRoutingEnabled", T::Bool)
            .help("$false: send through SmartHosts. $true (routing by MX records) is not implemented by mailsh."),
    )
    .param(Param::new("SmartHostAuthMechanism", T::String).help("None, BasicAuth (AUTH PLAIN or LOGIN with AuthenticationCredential) or BasicAuthRequireTLS (only over TLS)."))
    .param(Param::new("AuthenticationCredential", T::Credential).help("The account BasicAuth logs on to the smart hosts with (Get-Credential)."))
    .param(Param::new("MaxMessageSize", T::String).help("The largest message sent (35MB); Unlimited."))
    .param(Param::new("Fqdn", T::String).help("The name said in EHLO; the server's FQDN unless given."))
    .param(Param::new("ProtocolLoggingLevel", T::Enum(&PROTOCOL_LOGGING_LEVEL)))
    .param(Param::new("Comment", T::String))
    .param(Param::new("Enabled", T::Bool))
    .param(Param::new("RequireTLS", T::Bool).help("$true: mail leaves only over TLS (STARTTLS); a smart host without it is not sent to, the mail waits."))
    .param(
        Param::new("TlsAuthLevel", T::Enum(&TLS_AUTH_LEVEL))
            .help("With RequireTLS: EncryptionOnly, CertificateValidation (a certificate the system's roots trust), DomainValidation (also for TlsDomain)."),
    )
    .param(Param::new("TlsDomain", T::String).help("With TlsAuthLevel DomainValidation: the domain the smart host's certificate must name."))
}

pub fn definitions() -> Vec<CmdletDef> {
    let identity =
        || Param::new("Identity", T::Identity("SendConnectorIdParameter")).position(0).pipeline().by_property();
    let get = Signature::build("Get-SendConnector")
        .synopsis("Shows the send connectors: which domains each carries mail to, and through which smart hosts.")
        .param(identity().help("The connector's name or GUID; wildcards accepted."))
        .example("Every send connector", "Get-SendConnector", "")
        .example(
            "Where mail to the Internet goes",
            "Get-SendConnector | Format-List Name,AddressSpaces,SmartHosts,Port",
            "",
        );
    let new = settings(
        Signature::build("New-SendConnector")
            .synopsis("Creates a send connector: mail to its address spaces leaves through its smart hosts.")
            .should_process(ConfirmImpact::Medium)
            .confirm_message(NEW_SEND_CONNECTOR)
            .param(Param::new("Name", T::String).position(0).mandatory().help("A unique name."))
            .param(
                Param::new("AddressSpaces", T::Strings)
                    .mandatory()
                    .help("The domains it carries mail to: *, fabrikam.com, *.fabrikam.com, SMTP:fabrikam.com;10."),
            )
            .param(Param::new("Usage", T::String).help("Custom, Internal, Internet or Partner."))
            .param(Param::new("Internet", T::Switch))
            .param(Param::new("Internal", T::Switch))
            .param(Param::new("Partner", T::Switch))
            .param(Param::new("Custom", T::Switch)),
    )
    .example(
        "Send Internet mail through a smart host",
        "New-SendConnector -Name \"To Internet\" -Internet -AddressSpaces * -SmartHosts smtp.contoso.net",
        "",
    );
    let set = settings(
        Signature::build("Set-SendConnector")
            .synopsis("Changes a send connector; the Transport service uses the change for the next message.")
            .should_process(ConfirmImpact::Medium)
            .confirm_message(super::confirm_texts::SET_SEND_CONNECTOR)
            .param(identity().mandatory())
            .param(Param::new("Name", T::String))
            .param(Param::new("AddressSpaces", T::Strings)),
    )
    .example(
        "Another smart host",
        "New-SendConnector \"To Internet\" -AddressSpaces * -SmartHosts smtp.contoso.net | Out-Null\nSet-SendConnector \"To Internet\" -SmartHosts 192.168.1.25 -Port 587",
        "",
    );
    let remove = Signature::build("Remove-SendConnector")
        .synopsis("Removes a send connector; mail it would carry waits in the Unreachable queue.")
        .should_process(ConfirmImpact::High)
        .confirm_message(super::confirm_texts::REMOVE_SEND_CONNECTOR)
        .param(identity().mandatory())
        .example(
            "Remove a connector",
            "New-SendConnector \"To Internet\" -AddressSpaces * -SmartHosts smtp.contoso.net | Out-Null\nRemove-SendConnector \"To Internet\" -Confirm:$false",
            "",
        );
    vec![
        CmdletDef::run(get, get_connector),
        CmdletDef::run(new, new_connector),
        CmdletDef::run(set, set_connector),
        CmdletDef::run(remove, remove_connector),
    ]
}

fn connector_object(c: &SendConnector, server: &str) -> Value {
    let strings = |v: Vec<String>| Value::array(v.into_iter().map(Value::str).collect());
    object(
        SEND_CONNECTOR,
        vec![
            ("AddressSpaces", strings(c.address_spaces.iter().map(AddressSpace::shown).collect())),
            (
                "AuthenticationCredential",
                // The account only: the password never leaves the store.
                c.auth_credential.as_ref().map_or(Value::Null, |(user, _)| Value::credential(user.clone(), "".into())),
            ),
            ("Comment", Value::str(&c.comment)),
            ("DNSRoutingEnabled", Value::Bool(c.dns_routing_enabled)),
            ("Enabled", Value::Bool(c.enabled)),
            ("Fqdn", c.fqdn.clone().map(Value::from).unwrap_or(Value::Null)),
            ("MaxMessageSize", c.max_message_size.map(Value::Bytes).unwrap_or_else(|| Value::str("Unlimited"))),
            ("Port", Value::Int(i32::from(c.port))),
            ("ProtocolLoggingLevel", c.protocol_logging_level.to_value()),
            ("RequireTLS", Value::Bool(c.require_tls)),
            ("SmartHostAuthMechanism", Value::str(&c.smart_host_auth)),
            ("SmartHosts", strings(c.smart_hosts.iter().map(|h| shown_host(h)).collect())),
            ("SmartHostsString", Value::str(c.smart_hosts_string())),
            ("SourceTransportServers", strings(vec![server.to_string()])),
            ("TlsAuthLevel", c.tls_auth_level.clone().map(Value::from).unwrap_or(Value::Null)),
            ("TlsDomain", c.tls_domain.clone().map(Value::from).unwrap_or(Value::Null)),
            ("Identity", Value::str(&c.name)),
            ("Name", Value::str(&c.name)),
            ("Guid", Value::str(&c.guid)),
            ("WhenChanged", Value::date_unix(c.changed)),
            ("WhenCreated", Value::date_unix(c.created)),
        ],
    )
}

fn matching(cx: &mut Session, args: &Args) -> Result<Vec<SendConnector>> {
    let store = cx.store()?;
    let fqdn = store.server().fqdn.clone();
    let all = store.send_connectors().map_err(store_err)?;
    let Some(id) = args.get("Identity") else { return Ok(all) };
    let wanted = match id {
        Value::Object(o) => o.get("Identity").map(|n| n.to_text()).unwrap_or_default(),
        other => other.to_text(),
    };
    let found: Vec<SendConnector> = all
        .into_iter()
        .filter(|c| c.name.eq_ignore_ascii_case(&wanted) || c.guid == wanted || wildcard_match(&wanted, &c.name, false))
        .collect();
    if found.is_empty() {
        return Err(ErrorRecord::object_not_found(&wanted, &fqdn).into());
    }
    Ok(found)
}

fn get_connector(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let found = matching(cx, args)?;
    let server = cx.store()?.server().name.clone();
    for c in found {
        out.emit(cx, connector_object(&c, &server))?;
    }
    Ok(())
}

fn invalid_operation(text: &str) -> ErrorRecord {
    ErrorRecord::new(
        text.to_string(),
        Category::InvalidOperation,
        "InvalidOperationException",
        "InvalidOperationException",
    )
}

/// Applies the settings given to `c`; what changed, for the audit record.
/// The first bad value fails the cmdlet before anything is written; so does
/// a connector left routing by DNS, which mailsh cannot do.
fn apply(args: &Args, c: &mut SendConnector) -> Result<Vec<(String, String, String)>> {
    let before = c.clone();
    let mut changed: Vec<(String, String, String)> = Vec::new();
    let mut note = |name: &str, old: String, new: String| {
        if old != new {
            changed.push((name.to_string(), old, new));
        }
    };
    if let Some(name) = args.string("Name") {
        c.name = name.trim().to_string();
        note("Name", before.name.clone(), c.name.clone());
    }
    if let Some(v) = args.get("AddressSpaces") {
        let mut spaces = Vec::new();
        for item in v.clone().into_items() {
            let text = item.to_text();
            let space =
                AddressSpace::parse(&text).map_err(|e| ErrorRecord::argument_transformation("AddressSpaces", &e))?;
            if !spaces.contains(&space) {
                spaces.push(space);
            }
        }
        if spaces.is_empty() {
            return Err(ErrorRecord::argument_validation(
                "AddressSpaces",
                "The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.",
            )
            .into());
        }
        c.address_spaces = spaces;
        let shown = |s: &[AddressSpace]| s.iter().map(AddressSpace::shown).collect::<Vec<_>>().join(",");
        note("AddressSpaces", shown(&before.address_spaces), shown(&c.address_spaces));
    }
    let dns_given = args.bool("DNSRoutingEnabled");
    if let Some(v) = args.get("SmartHosts") {
        let hosts: Vec<String> = v
            .clone()
            .into_items()
            .iter()
            .flat_map(|i| {
                i.to_text().split(',').map(|h| h.trim().trim_matches(['[', ']']).to_string()).collect::<Vec<_>>()
            })
            .filter(|h| !h.is_empty())
            .collect();
        if let Some(bad) = hosts.iter().find(|h| !valid_host(h)) {
            return Err(ErrorRecord::argument_transformation(
                "SmartHosts",
                &format!("Cannot convert value \"{bad}\" to type \"Microsoft.Exchange.Data.SmartHost\". Error: \"'{bad}' isn't a valid host name or IP address.\""),
            )
            .into());
        }
        if dns_given == Some(true) && !hosts.is_empty() {
            return Err(invalid_operation(
                "You must not set the DNSRoutingEnabled parameter to $true if smart hosts are used.",
            )
            .into());
        }
        // Exchange: a connector given smart hosts and no DNSRoutingEnabled
        // sends through them.
        if dns_given.is_none() && !hosts.is_empty() {
            c.dns_routing_enabled = false;
        }
        c.smart_hosts = hosts;
        note("SmartHosts", before.smart_hosts.join(","), c.smart_hosts.join(","));
    }
    if let Some(dns) = dns_given {
        c.dns_routing_enabled = dns;
        if dns {
            // As Exchange: routing by DNS forgets the smart hosts.
            c.smart_hosts.clear();
        }
    }
    if let Some(mechanism) = args.string("SmartHostAuthMechanism") {
        let Some(member) = SMART_HOST_AUTH.iter().find(|m| m.eq_ignore_ascii_case(mechanism.trim())) else {
            return Err(ErrorRecord::argument_transformation(
                "SmartHostAuthMechanism",
                &format!(
                    "Cannot convert value \"{mechanism}\" to type \"Microsoft.Exchange.Data.Directory.SystemConfiguration.SmtpSendConnectorConfig+AuthMechanisms\". Error: \"Unable to match the identifier name {mechanism} to a valid enumerator name. Specify one of the following enumerator names and try again:\n{}\"",
                    SMART_HOST_AUTH.join(", ")
                ),
            )
            .into());
        };
        if !matches!(*member, "None" | "BasicAuth" | "BasicAuthRequireTLS") {
            return Err(ErrorRecord::new(
                format!(
                    "mailsh doesn't log on to smart hosts as {member}: SmartHostAuthMechanism None, BasicAuth and BasicAuthRequireTLS are implemented."
                ),
                Category::NotImplemented,
                "NotImplemented",
                "NotImplemented",
            )
            .into());
        }
        c.smart_host_auth = member.to_string();
        note("SmartHostAuthMechanism", before.smart_host_auth.clone(), c.smart_host_auth.clone());
    }
    if let Some(v) = args.get("AuthenticationCredential") {
        c.auth_credential = match v {
            Value::Credential(cred) => Some((cred.user.clone(), cred.password.to_string())),
            _ => None,
        };
        // The audit record names the account, never the password; a new
        // password for the same account is still a change.
        let user = |cred: &Option<(String, String)>| cred.as_ref().map(|(u, _)| u.clone()).unwrap_or_default();
        let (old, mut new) = (user(&before.auth_credential), user(&c.auth_credential));
        if old == new && before.auth_credential != c.auth_credential {
            new.push_str(" (new password)");
        }
        note("AuthenticationCredential", old, new);
    }
    if c.smart_host_auth != "None" && c.auth_credential.is_none() {
        return Err(invalid_operation(
            "The AuthenticationCredential parameter must be set when SmartHostAuthMechanism is BasicAuth or BasicAuthRequireTLS.",
        )
        .into());
    }
    if let Some(port) = args.int("Port") {
        c.port = u16::try_from(port).unwrap_or(25);
        note("Port", before.port.to_string(), c.port.to_string());
    }
    if let Some(v) = args.get("MaxMessageSize") {
        c.max_message_size = quota_arg("MaxMessageSize", v)?;
        let shown = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_else(|| "Unlimited".into());
        note("MaxMessageSize", shown(before.max_message_size), shown(c.max_message_size));
    }
    if let Some(v) = args.get("Fqdn") {
        c.fqdn = if v.is_null() || v.to_text().trim().is_empty() { None } else { Some(v.to_text().trim().to_string()) };
        note("Fqdn", before.fqdn.clone().unwrap_or_default(), c.fqdn.clone().unwrap_or_default());
    }
    if let Some(level) = args.get("ProtocolLoggingLevel").and_then(ProtocolLoggingLevel::from_value) {
        c.protocol_logging_level = level;
        note("ProtocolLoggingLevel", before.protocol_logging_level.name().into(), level.name().into());
    }
    if let Some(comment) = args.string("Comment") {
        c.comment = comment;
        note("Comment", before.comment.clone(), c.comment.clone());
    }
    if let Some(enabled) = args.bool("Enabled") {
        c.enabled = enabled;
        note("Enabled", before.enabled.to_string(), enabled.to_string());
    }
    tls_settings(args, c, &before, &mut note)?;
    if before.dns_routing_enabled != c.dns_routing_enabled {
        note("DNSRoutingEnabled", before.dns_routing_enabled.to_string(), c.dns_routing_enabled.to_string());
    }
    if !c.dns_routing_enabled && c.smart_hosts.is_empty() {
        return Err(invalid_operation(
            "You must specify at least one smart host in the SmartHosts parameter when DNSRoutingEnabled is $false.",
        )
        .into());
    }
    Ok(changed)
}

/// RequireTLS, TlsAuthLevel and TlsDomain, with Exchange's rules: an
/// authentication level only with RequireTLS, a domain only with
/// DomainValidation (and DomainValidation needs one).
fn tls_settings(
    args: &Args,
    c: &mut SendConnector,
    before: &SendConnector,
    note: &mut impl FnMut(&str, String, String),
) -> Result<()> {
    if let Some(require) = args.bool("RequireTLS") {
        c.require_tls = require;
        note("RequireTLS", before.require_tls.to_string(), require.to_string());
        if !require {
            c.tls_auth_level = None;
            c.tls_domain = None;
        }
    }
    if let Some(level) = args.get("TlsAuthLevel") {
        c.tls_auth_level = if level.is_null() { None } else { Some(level.to_text()) };
        note(
            "TlsAuthLevel",
            before.tls_auth_level.clone().unwrap_or_default(),
            c.tls_auth_level.clone().unwrap_or_default(),
        );
    }
    if let Some(domain) = args.get("TlsDomain") {
        let text = if domain.is_null() { String::new() } else { domain.to_text().trim().to_lowercase() };
        c.tls_domain = if text.is_empty() { None } else { Some(text) };
        note("TlsDomain", before.tls_domain.clone().unwrap_or_default(), c.tls_domain.clone().unwrap_or_default());
    }
    let refuse = |text: &str| Err(invalid_operation(text).into());
    if c.tls_auth_level.is_some() && !c.require_tls {
        return refuse("The TlsAuthLevel parameter can only be set when the RequireTLS parameter is set to $true.");
    }
    if let Some(d) = &c.tls_domain
        && rustls::pki_types::ServerName::try_from(d.clone()).is_err()
    {
        return refuse(&format!(
            "The TlsDomain '{d}' isn't a domain name mailsh can check a certificate for (wildcards are not taken)."
        ));
    }
    let domain_validation = c.tls_auth_level.as_deref() == Some("DomainValidation");
    if c.tls_domain.is_some() && !domain_validation {
        return refuse(
            "The TlsDomain parameter can only be set when the TlsAuthLevel parameter is set to DomainValidation.",
        );
    }
    if domain_validation && c.tls_domain.is_none() {
        return refuse(
            "The TlsDomain parameter must be set when the TlsAuthLevel parameter is set to DomainValidation.",
        );
    }
    Ok(())
}

static TLS_AUTH_LEVEL: crate::runtime::value::EnumDef = crate::runtime::value::EnumDef {
    type_name: "Microsoft.Exchange.Data.TlsAuthLevel",
    members: &["EncryptionOnly", "CertificateValidation", "DomainValidation"],
};

/// A host name (letters, digits, hyphens, dots) or an IP address.
fn valid_host(h: &str) -> bool {
    h.parse::<std::net::IpAddr>().is_ok()
        || (h.len() <= 253
            && h.split('.')
                .all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')))
}

/// -Usage or one of its switches; given twice, Exchange's refusal.
fn usage(args: &Args) -> Result<String> {
    let mut given: Vec<String> = Vec::new();
    if let Some(u) = args.string("Usage") {
        let Some(member) = USAGES.iter().find(|m| m.eq_ignore_ascii_case(u.trim())) else {
            return Err(ErrorRecord::argument_transformation(
                "Usage",
                &format!(
                    "Cannot convert value \"{u}\" to type \"Microsoft.Exchange.Management.SystemConfigurationTasks.NewSendConnector+UsageType\". Error: \"Unable to match the identifier name {u} to a valid enumerator name. Specify one of the following enumerator names and try again:\n{}\"",
                    USAGES.join(", ")
                ),
            )
            .into());
        };
        given.push(member.to_string());
    }
    given.extend(USAGES.iter().filter(|u| args.switch(u)).map(|u| u.to_string()));
    if given.len() > 1 {
        return Err(invalid_operation(
            "Only one of the parameters Usage, Internet, Internal, Partner, Custom may be specified.",
        )
        .into());
    }
    Ok(given.pop().unwrap_or_else(|| "Custom".to_string()))
}

fn new_connector(args: &Args, _input: Option<&Value>, cx: &mut Session, out: &mut Output) -> Result<()> {
    let usage = usage(args)?;
    let now = now_unix();
    let mut c = SendConnector {
        id: 0,
        name: String::new(),
        guid: crate::store::new_guid(),
        address_spaces: Vec::new(),
        smart_hosts: Vec::new(),
        port: 25,
        // Exchange: routing by DNS unless smart hosts are given (a Partner
        // connector routes by DNS).
        dns_routing_enabled: true,
        max_message_size: if usage == "Internal" { None } else { Some(DEFAULT_MAX_MESSAGE_SIZE) },
        fqdn: None,
        protocol_logging_level: ProtocolLoggingLevel::None,
        comment: String::new(),
        enabled: true,
        created: now,
        changed: now,
        require_tls: false,
        tls_auth_level: None,
        tls_domain: None,
        smart_host_auth: "None".into(),
        auth_credential: None,
    };
    if usage == "Partner" && args.get("SmartHosts").is_some() && args.bool("DNSRoutingEnabled").is_none() {
        return Err(invalid_operation(
            "You must not set the DNSRoutingEnabled parameter to $true if smart hosts are used.",
        )
        .into());
    }
    apply(args, &mut c)?;
    let spaces = list(&c.address_spaces.iter().map(AddressSpace::shown).collect::<Vec<_>>());
    let text = fill(NEW_SEND_CONNECTOR, &[("target", &c.name), ("spaces", &spaces)]);
    if !cx.should_process_text(args, &text)? {
        return Ok(());
    }
    let identity = c.name.clone();
    let mut id = 0;
    insert_new(cx, args, &identity, |tx| {
        id = Store::insert_send_connector(tx, &c)?;
        Ok(())
    })?;
    c.id = id;
    let server = cx.store()?.server().name.clone();
    out.emit(cx, connector_object(&c, &server))
}

fn set_connector(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let found = matching(cx, args)?;
    for c in found {
        let identity = c.name.clone();
        // The settings are checked before anything is asked or written...
        apply(args, &mut c.clone())?;
        if !cx.should_process(args, &identity)? {
            continue;
        }
        // ...then applied to the connector as the write transaction reads
        // it, so that another shell's change made meanwhile is kept.
        let read = |tx: &Tx| {
            Store::send_connector_for_update(tx, &c.guid)?
                .ok_or_else(|| StoreError::Conflict(format!("The send connector \"{identity}\" was removed.")))
        };
        let change = |c: &mut SendConnector| {
            c.changed = now_unix();
            apply(args, c)
        };
        change_in_one_write(cx, args, &identity, read, change, |tx, c| Store::save_send_connector(tx, c).map(|_| ()))?;
    }
    Ok(())
}

fn remove_connector(args: &Args, _input: Option<&Value>, cx: &mut Session, _out: &mut Output) -> Result<()> {
    let found = matching(cx, args)?;
    for c in found {
        if !cx.should_process(args, &c.name)? {
            continue;
        }
        let user = cx.user.clone();
        cx.store()?
            .write(|tx| {
                Store::delete_send_connector(tx, &c.guid)?;
                audit(tx, &user, args, &c.name, vec![])
            })
            .map_err(store_err)?;
    }
    Ok(())
}
